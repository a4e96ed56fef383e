"""``make sync``: bring lab4.ipynb and src/lab4.py (a Jupytext pair) level without ever dropping an
edit.

Each file's *cells* are compared, as Jupytext writes them in the percent format (the notebook's
outputs and metadata do not count, so executing the notebook is not an edit). A file has *changed*
when its cells differ from both of its bases:

* the stamp ``.sync-stamp.json`` (git-ignored) that this tool writes after every successful sync,
  and
* the committed version (``git show HEAD:<file>``), the only base in a fresh clone.

A file that matches either base is unchanged (so switching branches does not look like an edit).

Then:

* no difference between the two files: nothing to do (the stamp is refreshed);
* only one file changed: its cells are copied into the other (into the notebook with
  ``jupytext --update``, which keeps the outputs), whichever file is newer on disk (modification
  times are not used);
* both changed (or neither did, yet they differ, or there is no base at all): nothing is written,
  and the tool exits 1 with one line naming both files and how to resolve it. ``--keep FILE``
  (``make sync KEEP=src/lab4.py``) then copies that file's cells into the other.

It also stops, in one line, when a file holds merge-conflict markers (they would be synced into a
cell), when the notebook is missing (rebuilding it would drop every output: ``git checkout``
restores it; ``KEEP=src/lab4.py`` rebuilds it anyway), and when the checkout is read-only.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK, SCRIPT, STAMP = "lab4.ipynb", "src/lab4.py", ".sync-stamp.json"


class SyncError(Exception):
    """One line for the user: why nothing was synced and what to do."""


def cells_text(text: str, fmt: str) -> str:
    """The cells of a notebook given as ``text`` in ``fmt`` (``ipynb`` or ``py:percent``), written
    by Jupytext in the percent format without the notebook's metadata (outputs are never in it)."""
    import jupytext

    nb = jupytext.reads(text, fmt=fmt)
    nb.metadata = {}
    return jupytext.writes(nb, fmt="py:percent")


def digest(text: str, fmt: str) -> str:
    return hashlib.sha256(cells_text(text, fmt).encode()).hexdigest()


def fmt_of(path: str) -> str:
    return "ipynb" if path.endswith(".ipynb") else "py:percent"


def committed(root: Path, rel: str):
    """The file's text at ``HEAD``, or None (no git, not a repository, not committed)."""
    try:
        out = subprocess.run(
            ["git", "show", f"HEAD:./{rel}"], cwd=root, capture_output=True, check=False
        )
    except OSError:
        return None
    return out.stdout.decode() if out.returncode == 0 else None


def read_stamp(root: Path, stamp: str, files):
    """``{file: digest}`` from the stamp, or None when there is no usable stamp for these two
    files."""
    try:
        saved = json.loads((root / stamp).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(saved, dict)
        or sorted(saved) != sorted(files)
        or not all(isinstance(v, str) for v in saved.values())
    ):
        return None
    return saved


def write_stamp(root: Path, stamp: str, digests: dict) -> None:
    """Record the synced state; a read-only checkout gets no stamp (the commit is the base)."""
    tmp = root / (stamp + ".tmp")
    try:
        tmp.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, root / stamp)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


CONFLICT = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)


def conflict_line(text: str):
    """The line number of the first merge-conflict marker in ``text``, or None."""
    found = CONFLICT.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


class _NoSignatures:
    """The notary Jupytext's command line asks about trust: no notebook is trusted or signed.
    nbformat's own ``NotebookNotary`` would open Jupyter's signature database and bind a logger to
    the current stderr, which outlives the call (and a test's captured stderr)."""

    def check_signature(self, nb):
        return False

    def mark_cells(self, nb, trusted):
        pass

    def check_cells(self, nb):
        return False

    def sign(self, nb):
        pass


def copy_cells(root: Path, source: str, target: str) -> None:
    """``jupytext --to FORMAT [--update] --output target source``: ``source``'s cells into
    ``target`` (a notebook target keeps its outputs: ``--update``)."""
    import inspect

    from jupytext.cli import jupytext as jupytext_cli

    if not os.access(root / target if (root / target).exists() else root, os.W_OK):
        raise SyncError(
            f"cannot write {target}: the checkout is read-only for this user; nothing was changed"
        )
    args = ["--quiet", "--to", fmt_of(target), "--output", str(root / target)]
    if target.endswith(".ipynb") and (root / target).exists():
        args.append("--update")
    args.append(str(root / source))
    try:
        if "notary" in inspect.signature(jupytext_cli).parameters:
            code = jupytext_cli(args, notary=_NoSignatures())
        else:  # an older or newer Jupytext without that hook: its own process
            run = subprocess.run([sys.executable, "-m", "jupytext", *args], check=False)
            code = run.returncode
    except OSError as err:
        raise SyncError(
            f"cannot write {target} ({err.strerror or err}); nothing else was changed"
        ) from err
    if code:
        raise SyncError(
            f"jupytext could not copy {source} into {target} (exit {code}); nothing else was "
            "changed"
        )


def resolve_hint(notebook: str, script: str) -> str:
    return (
        "copy the edits you want into one of them, then keep that one: `make sync "
        f"KEEP={notebook}` (= `jupytext --to py:percent -o {script} {notebook}`) or `make sync "
        f"KEEP={script}` (= `jupytext --to ipynb --update -o {notebook} {script}`); `git diff` "
        "shows the edits since the last commit"
    )


def sync(
    root: Path = ROOT, notebook: str = NOTEBOOK, script: str = SCRIPT, stamp: str = STAMP, keep=None
) -> str:
    """Sync the pair in ``root``; returns what was done (one line). Raises ``SyncError`` when it
    cannot tell which file to keep."""
    files = (notebook, script)
    texts = {}
    for f in files:
        try:
            texts[f] = (root / f).read_text(encoding="utf-8")
        except FileNotFoundError:
            texts[f] = None
    if texts[notebook] is None and texts[script] is None:
        raise SyncError(f"neither {notebook} nor {script} exists in {root}")
    if keep is not None and keep not in files:
        raise SyncError(f"KEEP={keep}: give {notebook} or {script}")
    for f in files:
        line = conflict_line(texts[f] or "")
        if line is not None:
            raise SyncError(
                f"{f} holds merge-conflict markers (line {line}): resolve the conflict in it "
                "first (keep one side, delete the <<<<<<< ======= >>>>>>> lines); nothing was "
                "synced"
            )
    if keep is None and texts[notebook] is None:  # rebuilding it would drop every output
        raise SyncError(
            f"{notebook} is missing: restore it with `git checkout -- {notebook}` (outputs "
            f"included), then run make sync again; or rebuild it without outputs from {script} "
            f"with `make sync KEEP={script}`"
        )
    if keep is None and None in texts.values():  # the script missing: make it from the notebook
        keep = notebook

    now = {}
    for f in files:
        if texts[f] is not None:
            try:
                now[f] = digest(texts[f], fmt_of(f))
            except Exception as err:  # any parse error: report it in one line
                raise SyncError(
                    f"cannot read {f} as a notebook ({type(err).__name__}: "
                    f"{' '.join(str(err).split())[:200]}): fix it, or restore it with "
                    f"`git checkout -- {f}`"
                ) from err

    if keep is None:
        if now[notebook] == now[script]:
            write_stamp(root, stamp, now)
            return f"{notebook} and {script} hold the same cells: nothing to do"
        bases = {f: set() for f in files}  # a file is unchanged while it matches the stamp or HEAD
        stamped = read_stamp(root, stamp, files)
        for f in files:
            if stamped is not None:
                bases[f].add(stamped[f])
            text = committed(root, f)
            if text is not None:
                with contextlib.suppress(
                    Exception
                ):  # a committed file Jupytext cannot read is no base
                    bases[f].add(digest(text, fmt_of(f)))
        where = f"they were last in sync (stamp {stamp}) or committed"
        changed = [f for f in files if now[f] not in bases[f]]
        if len(changed) == 1:
            keep = changed[0]
        elif not changed:
            raise SyncError(
                f"{notebook} and {script} hold different cells, yet neither changed since {where} "
                f"(it was saved out of sync), so it is not clear which to keep; nothing was "
                f"overwritten: {resolve_hint(notebook, script)}"
            )
        elif not any(bases.values()):
            raise SyncError(
                f"{notebook} and {script} hold different cells and there is no stamp ({stamp}) or "
                f"commit to tell which was edited; nothing was overwritten: "
                f"{resolve_hint(notebook, script)}"
            )
        else:
            raise SyncError(
                f"both {notebook} and {script} changed since {where}, so syncing either way "
                f"would lose an edit; nothing was overwritten: {resolve_hint(notebook, script)}"
            )

    other = script if keep == notebook else notebook
    copy_cells(root, keep, other)
    after = {f: digest((root / f).read_text(encoding="utf-8"), fmt_of(f)) for f in files}
    if after[notebook] != after[script]:
        raise SyncError(
            f"after copying {keep} into {other} their cells still differ: "
            f"compare them with `jupytext --diff {notebook} {script}`"
        )
    write_stamp(root, stamp, after)
    return f"synced: {keep} -> {other}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Sync lab4.ipynb and src/lab4.py without losing an edit."
    )
    parser.add_argument(
        "--keep", help=f"copy this file's cells into the other ({NOTEBOOK} or {SCRIPT})"
    )
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--notebook", default=NOTEBOOK)
    parser.add_argument("--script", default=SCRIPT)
    parser.add_argument("--stamp", default=STAMP)
    args = parser.parse_args(argv)
    keep = args.keep or None  # `make sync KEEP=` (empty) means no choice
    try:
        print(sync(args.root.resolve(), args.notebook, args.script, args.stamp, keep))
    except SyncError as err:
        print(f"make sync: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
