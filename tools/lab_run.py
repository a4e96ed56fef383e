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
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DELIVERABLES = ("lab4.ipynb", "results.json", "figures", "lab4.html")
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


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
        "--root", type=Path, default=ROOT, help="the repository (default: this tool's)"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    names = tuple(args.deliver or DELIVERABLES)
    kept = ", ".join(names)

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
        signal.pthread_sigmask(
            signal.SIG_BLOCK, SIGNALS
        )  # all renames or none: signals wait until they are done
        try:
            moved = deliver(tmp, root, names)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
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
