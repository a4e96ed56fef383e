"""Issue 26, item 2: nothing imports a Unix-only name at import time, so every module imports and
every test is collected on Windows. A Python with the POSIX-only names this project uses deleted
(signal.SIGHUP, signal.pthread_sigmask, os.geteuid; third-party packages choose by platform, not by
these names, so deleting more would break them, not this project) imports every module under
helpers/, tools/ and benchmarks/ and collects the tests; it must find as many as a normal
collection."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

UNIX_ONLY = {"signal": ["SIGHUP", "pthread_sigmask"], "os": ["geteuid"]}

PROBE = textwrap.dedent(
    """
    import importlib, importlib.util, os, signal, sys
    from pathlib import Path

    for module, names in {unix_only!r}.items():
        for name in names:
            if hasattr(sys.modules[module], name):
                delattr(sys.modules[module], name)
    root = Path({root!r})
    sys.path.insert(0, str(root))
    for folder in ("helpers", "benchmarks"):
        for path in sorted((root / folder).glob("*.py")):
            name = folder if path.stem == "__init__" else f"{{folder}}.{{path.stem}}"
            importlib.import_module(name)
    for path in sorted((root / "tools").glob("*.py")):  # scripts, not a package
        spec = importlib.util.spec_from_file_location(f"tool_{{path.stem}}", path)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    print("imported every module")
    import pytest

    sys.exit(pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", str(root / "tests")]))
    """
)


def collect(unix_only):
    code = PROBE.format(unix_only=unix_only, root=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def collected(out):
    found = re.search(r"^(\d+) tests? collected", out, re.MULTILINE)
    return int(found.group(1)) if found else None


def test_every_module_imports_and_every_test_is_collected_without_unix_only_names():
    """Before: tools/lab_run.py read signal.SIGHUP at import time, so collecting
    tests/test_lab_run.py failed ('1 error during collection')."""
    windows = collect(UNIX_ONLY)
    assert windows.returncode == 0, (windows.stdout + windows.stderr)[-3000:]
    assert "imported every module" in windows.stdout
    normal = collect({})
    assert normal.returncode == 0, (normal.stdout + normal.stderr)[-3000:]
    assert collected(windows.stdout) == collected(normal.stdout) > 0


def test_the_unreadable_file_test_runs_without_os_geteuid():
    """Before: tests/test_data_errors.py called os.geteuid(), which Windows lacks."""
    code = (
        "import os, sys, pytest; del os.geteuid; sys.exit(pytest.main(['-q', '-p', "
        "'no:cacheprovider', 'tests/test_data_errors.py::"
        "test_unreadable_file_says_cannot_read_and_does_not_advise_replacing_it']))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
