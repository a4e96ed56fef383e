"""Helpers for Open Lab 4: data, from-scratch backprop, models, training, plots, XOR sweeps."""
