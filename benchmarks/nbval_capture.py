"""A pytest plugin that keeps what nbval executed, so `make grade` can check the run it just made.

    pytest NB.ipynb --nbval-lax -x -p benchmarks.nbval_capture      (benchmarks/grade.py runs this)

nbval runs each code cell in one kernel and compares, but saves nothing. With this plugin the
outputs of every cell that ran (an error output included) go into a copy of the notebook, written
when the session ends to the path in $LAB4_GRADE_EXECUTED; cells that never ran (after a failure
under -x) are left without outputs and execution counts. A JSON summary of the first failing cell
(its index, source and error) is written beside it, as NAME.failure.json.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

_notebooks = {}  # id(parent) -> (parent, set of ids of the cells that ran)
_failure = {}
_count = [0]


def _record(item, failed):
    cell = getattr(item, "cell", None)
    parent = getattr(item, "parent", None)
    outputs = getattr(item, "test_outputs", None)
    if cell is None or parent is None or not hasattr(parent, "nb"):
        return
    _count[0] += 1
    cell.outputs = list(outputs or [])
    cell.execution_count = _count[0]
    for out in cell.outputs:
        if out.get("output_type") == "execute_result":
            out["execution_count"] = _count[0]
            out.setdefault("metadata", {})
    _notebooks.setdefault(id(parent), (parent, set()))[1].add(id(cell))
    if failed and not _failure:
        error = next((o for o in cell.outputs if o.get("output_type") == "error"), None)
        code = [c for c in parent.nb.cells if c.cell_type == "code"]
        _failure.update(
            code_cell=next((i + 1 for i, c in enumerate(code) if c is cell), None),
            source=cell.source,
            error=(
                f"{error['ename']}: {ANSI.sub('', error['evalue'])}"
                if error
                else "the cell did not finish (timeout, or the kernel died)"
            ),
        )


def pytest_runtest_makereport(item, call):
    if call.when == "call":
        _record(
            item,
            failed=call.excinfo is not None
            and not call.excinfo.errisinstance(pytest.skip.Exception),
        )


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("LAB4_GRADE_EXECUTED")
    if not target or not _notebooks:
        return
    import nbformat

    parent, ran = next(iter(_notebooks.values()))
    nb = parent.nb
    for cell in nb.cells:
        if cell.cell_type == "code" and id(cell) not in ran:
            cell.outputs = []
            cell.execution_count = None
    path = Path(target)
    nbformat.write(nb, str(path))
    failure = path.with_name(path.stem + ".failure.json")
    failure.write_text(json.dumps(_failure, indent=1), encoding="utf-8")
