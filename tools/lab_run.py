"""Run the notebook into a temporary folder; put its deliverables in place only when every step
succeeded.

``make lab`` runs::

    python tools/lab_run.py \\
        --step "jupyter nbconvert --to notebook --execute ... --output-dir {tmp} lab4.ipynb" \\
        --step "jupyter nbconvert --config export/jupyter_nbconvert_config.py --to html --output-dir
        {tmp} {tmp}/lab4.ipynb"

Each ``--step`` is one command (split like a shell line, not run by a shell), run in order from the
repository root with ``{tmp}`` replaced by a fresh temporary folder and ``LAB4_OUTPUT_DIR`` pointing
at it, so the notebook writes ``results.json`` and ``figures/`` there. Only when every step exits 0
and every deliverable (``--deliver``; default ``lab4.ipynb``, ``results.json``, ``figures``,
``lab4.html``) is in the folder are they moved into the repository: files replace their namesakes,
and each file in a delivered folder replaces its namesake there (figures a run did not draw, e.g.
the model diagram without graphviz, are kept). The moves are renames on one file system, done with
SIGINT/SIGTERM/SIGHUP held back, so an interrupt leaves either all old or all new deliverables. The
temporary folder (``.lab-run-*`` in the repository root, git-ignored) is removed whatever happens:
success, a failed step, Ctrl-C or SIGTERM (the running step is stopped first).

Edits saved during the run are kept: each ``--protect`` file (default ``lab4.ipynb`` and
``src/lab4.py``, the notebook's sources) has its content hash recorded when the run starts. If any
of them differs when the run ends, nothing is delivered into the repository: the run's outputs are
moved to ``runs/lab-<timestamp>/`` (git-ignored) and one line says so (exit status 1).

On Windows, which has no SIGHUP and no signal mask, the same code runs with SIGINT and SIGTERM.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DELIVERABLES = ("lab4.ipynb", "results.json", "figures", "lab4.html")
#: The sources whose edits a run must not overwrite (``--protect``).
PROTECTED = ("lab4.ipynb", "src/lab4.py")
# SIGHUP does not exist on Windows: only the signals this platform has.
SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(Exception):
    """A signal arrived: stop the step, clean up, exit 128 + signal number."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise(signum, frame):
    raise Interrupted(signum)


def run_step(argv, env, cwd):
    """Run one step; on an interrupt, stop it (SIGTERM, then SIGKILL after 10 s) before passing the
    interrupt on."""
    proc = subprocess.Popen(argv, env=env, cwd=cwd)
    try:
        return proc.wait()
    except BaseException:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        raise


def fingerprint(root: Path, names) -> dict:
    """``{name: sha256 of its bytes, or None when missing}`` for each file in ``names``."""
    found = {}
    for name in names:
        try:
            found[name] = hashlib.sha256((root / name).read_bytes()).hexdigest()
        except FileNotFoundError:
            found[name] = None
    return found


def set_aside(tmp: Path, root: Path) -> Path:
    """Move the whole temporary folder to ``runs/lab-<timestamp>/`` under ``root``; return it."""
    runs = root / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        dest = runs / (f"lab-{stamp}" if n == 0 else f"lab-{stamp}-{n}")
        if not dest.exists():
            os.replace(tmp, dest)
            return dest
    raise FileExistsError(f"{runs}: too many runs named lab-{stamp}")


class _Held:
    """Hold SIGINT/SIGTERM/SIGHUP back while the deliverables move (where the platform can: not on
    Windows, which has no signal mask)."""

    def __enter__(self):
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)

    def __exit__(self, *exc):
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


def deliver(tmp: Path, root: Path, names) -> list:
    """Move ``names`` from ``tmp`` into ``root`` (renames; see the module docstring); returns what
    moved."""
    moved = []
    for name in names:
        src, dst = tmp / name, root / name
        if src.is_dir():
            dst.mkdir(parents=True, exist_ok=True)
            for item in sorted(src.iterdir()):
                os.replace(item, dst / item.name)
                moved.append(f"{name}/{item.name}")
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            moved.append(name)
    return moved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--step",
        action="append",
        required=True,
        help="a command to run, {tmp} standing for the temporary folder (repeat for more)",
    )
    parser.add_argument(
        "--deliver",
        action="append",
        help=f"a deliverable to move into place (default {DELIVERABLES})",
    )
    parser.add_argument(
        "--protect",
        action="append",
        help=f"a source file an edit to which during the run must not be overwritten (default "
        f"{PROTECTED}; repeat for more)",
    )
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the repository (default: this tool's)"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    names = tuple(args.deliver or DELIVERABLES)
    kept = ", ".join(names)
    protected = tuple(args.protect or PROTECTED)
    at_start = fingerprint(root, protected)

    previous = {s: signal.signal(s, _raise) for s in SIGNALS}
    tmp = moved = None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".lab-run-", dir=root))
        env = {**os.environ, "LAB4_OUTPUT_DIR": str(tmp)}
        for step in args.step:
            cmd = [part.replace("{tmp}", str(tmp)) for part in shlex.split(step)]
            code = run_step(cmd, env, root)
            if code != 0:
                print(
                    f"lab_run: `{shlex.join(cmd)}` failed (exit {code}); the repository's {kept} "
                    "are unchanged",
                    file=sys.stderr,
                )
                return code if code > 0 else 128 - code
        missing = [n for n in names if not (tmp / n).exists()]
        if missing:
            print(
                f"lab_run: the run wrote no {', '.join(missing)}; the repository's {kept} are "
                "unchanged",
                file=sys.stderr,
            )
            return 1
        with _Held():  # all renames or none: signals wait until they are done
            now = fingerprint(root, protected)
            changed = [n for n in protected if now[n] != at_start[n]]
            if changed:
                aside = set_aside(tmp, root)
                tmp = None
            else:
                moved = deliver(tmp, root, names)
        if changed:
            print(
                f"lab_run: {', '.join(changed)} changed while the run was going, so the "
                f"repository's {kept} were left alone; this run's outputs are in "
                f"{aside.relative_to(root).as_posix()}/ (rerun `make lab` to run your edits)",
                file=sys.stderr,
            )
            return 1
        print(f"lab_run: run succeeded; updated {len(moved)} file(s): {kept}")
        return 0
    except Interrupted as stop:
        state = "were all updated" if moved is not None else "are unchanged"
        print(f"lab_run: interrupted ({stop}); the repository's {kept} {state}", file=sys.stderr)
        return 128 + stop.signum
    finally:
        for s in SIGNALS:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(s, signal.SIG_IGN)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        for s, handler in previous.items():
            signal.signal(s, handler)


if __name__ == "__main__":
    sys.exit(main())
