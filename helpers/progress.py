"""Progress for the notebook's loops that reads both live and saved, with no widgets.

    from helpers.progress import progress
    for item in progress(items, desc="ablation"):
        ...

In a Jupyter kernel, one plain-text output is updated in place while the loop runs
(``ablation: ████████············ 5/12 [00:02<00:03]``) and is left holding the final state
(``ablation: 12/12 [00:03]``). That is what the saved notebook and its HTML export show: plain text,
no JavaScript, not a stderr block. In a terminal the line is redrawn with carriage returns; when
output goes to a file or a pipe, only the final line is printed.
"""

from __future__ import annotations

import sys
import time

BAR_WIDTH = 20


def clock(seconds):
    """``mm:ss`` (``h:mm:ss`` from an hour on), as tqdm writes times."""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def status(desc, n, total, elapsed, *, done=False):
    """One progress line. ``done=True`` gives the final form, ``desc: n/total [elapsed]``."""
    head = f"{desc}: " if desc else ""
    count = f"{n}/{total}" if total is not None else f"{n}"
    if done:
        return f"{head}{count} [{clock(elapsed)}]"
    bar, eta = "", "?"
    if total:
        filled = min(BAR_WIDTH, n * BAR_WIDTH // total)
        bar = "█" * filled + "·" * (BAR_WIDTH - filled) + " "
        if n:
            eta = clock(elapsed / n * (total - n))
    return f"{head}{bar}{count} [{clock(elapsed)}<{eta}]"


def _in_kernel():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class _KernelLine:
    """A ``text/plain`` display output, updated in place (``update_display_data``)."""

    def __init__(self, text):
        from IPython.display import display

        self.handle = display({"text/plain": text}, raw=True, display_id=True)

    def show(self, text, final=False):
        self.handle.update({"text/plain": text}, raw=True)


class _StreamLine:
    """A terminal line redrawn with ``\\r``; to a file or pipe, only the final line."""

    def __init__(self, text, stream=None):
        self.stream = stream or sys.stdout
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        if self.live:
            self.show(text)

    def show(self, text, final=False):
        if self.live or final:
            self.stream.write(("\r" if self.live else "") + text + ("\n" if final else ""))
            self.stream.flush()


def progress(iterable, desc="", total=None, mininterval=0.5):
    """Yield the items of ``iterable`` while showing ``desc: done/total`` (see the module
    docstring).

    ``total`` defaults to ``len(iterable)`` when it has one. The display is refreshed at most every
    ``mininterval`` seconds and once at the end; a loop left early (``break``, an exception) ends
    with ``desc: n/total [elapsed] (stopped)``.
    """
    if total is None:
        try:
            total = len(iterable)
        except TypeError:
            total = None
    start = time.perf_counter()
    line = (_KernelLine if _in_kernel() else _StreamLine)(status(desc, 0, total, 0.0))
    n, last = 0, start
    try:
        for item in iterable:
            yield item
            n += 1
            now = time.perf_counter()
            if now - last >= mininterval and (total is None or n < total):
                line.show(status(desc, n, total, now - start))
                last = now
    finally:
        text = status(desc, n, total, time.perf_counter() - start, done=True)
        line.show(text if total is None or n >= total else text + " (stopped)", final=True)
