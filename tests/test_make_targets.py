"""Issue 26: the Makefile's recipes, read with `make -n` (nothing is built or run), and the
`make test` recipe's clean-up run under dash with its pytest replaced by a sleep."""

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="no make (Windows without WSL)")


def dry(*args):
    """The commands `make -n ARGS` would run, continuation lines joined."""
    out = subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    return out.replace("\\\n", "").splitlines()


def test_make_grade_quotes_the_notebook_path():
    """Item 9. Before: `make grade NB="a b.ipynb"` graded `a` with a stray argument `b.ipynb`."""
    line = next(ln for ln in dry("grade", "NB=my lab 4.ipynb") if "instructor.grade" in ln)
    assert shlex.split(line)[-1:] == ["my lab 4.ipynb"], line


def test_make_sync_does_not_install_graphviz_or_the_kernel_first():
    """Item 9. Before: `make sync` depended on `setup`, so as root without graphviz it ran
    `apt-get install graphviz` before syncing two text files."""
    text = "\n".join(dry("sync"))
    assert "tools/sync_guard.py" in text
    assert "apt-get" not in text and "install_kernel" not in text


def test_make_lock_installs_uv_into_a_virtual_environment_of_its_own():
    """Item 11. Before: `$(PYTHON) -m pip install uv` into the system Python, which Debian and
    Homebrew refuse (externally-managed-environment)."""
    lines = dry("lock", "PYTHON=python3")
    installs = [ln for ln in lines if "pip install" in ln]
    assert installs and all(".venv-lock/bin/python -m pip install" in ln for ln in installs)
    assert any("uv pip compile --universal" in ln for ln in lines)
    assert "/.venv-lock/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


@pytest.mark.skipif(
    not shutil.which("dash") or sys.platform == "win32", reason="needs dash and POSIX signals"
)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_make_test_removes_its_temporary_folder(sig):
    """Item 9. Before: Ctrl-C left the folder behind (dash, Debian's /bin/sh, skips the EXIT trap
    when a signal ends it)."""
    line = next(ln for ln in dry("test") if "mktemp -d" in ln)
    line = re.sub(r"LAB4_OUTPUT_DIR=.*", "sleep 30", line)  # the tests, standing still
    proc = subprocess.Popen(
        ["dash", "-c", line], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        folder = re.search(r"go to (\S+)", proc.stdout.readline()).group(1)
        assert os.path.isdir(folder)
        time.sleep(0.3)
        os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C does: the whole process group
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert not os.path.exists(folder), "the temporary folder was left behind"
    assert proc.returncode != 0
