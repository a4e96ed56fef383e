"""Benchmarks and grading for Open Lab 4 (not part of CI: run with make bench / make grade)."""
