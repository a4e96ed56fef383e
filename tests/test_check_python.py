"""`make setup` stops at once, in one line, on a Python outside 3.11-3.13
(tools/check_python.py)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools import check_python

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "version, ok",
    [((3, 10, 12), False), ((3, 11, 0), True), ((3, 13, 1), True), ((3, 14, 0), False)],
)
def test_supported_range(monkeypatch, capsys, version, ok):
    monkeypatch.setattr(sys, "version_info", version)
    assert (check_python.main([]) == 0) is ok
    out = capsys.readouterr().out
    if not ok:
        assert (
            out.count("\n") == 1
            and "outside the supported 3.11-3.13" in out
            and "make PYTHON=python3.12" in out
        )


FAKE = """#!/bin/sh
# a Python that reports itself as 3.10
if [ "$1" = "-c" ]; then exec {real} "$@"; fi
exec {real} -c 'import runpy, sys; sys.version_info = (3, 10, 4); sys.argv = sys.argv[1:]; '\\
'runpy.run_path(sys.argv[0], run_name="__main__")' "$@"
"""


@pytest.mark.skipif(
    shutil.which("make") is None or sys.platform == "win32", reason="needs make and sh"
)
def test_make_setup_stops_with_one_line(tmp_path):
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy(ROOT / "tools" / "check_python.py", tmp_path / "tools" / "check_python.py")
    fake = tmp_path / "python3.10"
    fake.write_text(FAKE.format(real=sys.executable), encoding="utf-8")
    fake.chmod(0o755)
    for python, says in (
        (str(fake), "Python 3.10"),
        ("no-such-python", "no-such-python not found"),
    ):
        # run as a top-level make, even when the tests themselves run under `make test`
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        r = subprocess.run(
            ["make", "--no-print-directory", "setup", f"PYTHON={python}"],
            check=False,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
        )
        lines = (r.stdout + r.stderr).strip().splitlines()
        assert r.returncode != 0 and len(lines) == 1, lines
        assert says in lines[0] and "make PYTHON=python3.12" in lines[0]
        assert not (tmp_path / ".venv").exists()  # stopped before making anything
