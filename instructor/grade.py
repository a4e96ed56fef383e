"""Grade Lab 4 submissions: one notebook, or every notebook in a folder (with a CSV).

    python -m instructor.grade SUBMISSION.ipynb            a report on the terminal
    python -m instructor.grade FOLDER [--csv grades.csv]   every *.ipynb below FOLDER, and a CSV
    make grade NB=SUBMISSION_OR_FOLDER                     the same, after `make assign`

Each submission runs top to bottom in a fresh kernel (nbclient), in a temporary folder with the
public tests beside it, offline MNIST ($MNIST_NPZ) and `helpers.data` importable. Before its first
cell the grader records what every `Model.fit` is called with (instructor/behaviour.py); after its
last cell the autograder's tests (instructor/dist/autograder/tests, made by `make assign`) run in
the same kernel and evaluate the submission's models. A cell that errors does not stop the run.
A cell that runs longer than --cell-timeout (or past --timeout for the whole notebook) stops it:
the kernel is interrupted and the tests run on what exists. A kernel that dies (out of memory,
a crash) ends the run with a message; its automatic rows score 0.

The score has one row per problem of instructor/rubric.toml: automatic rows get all their points
or none; the written problems (2, 4, 7) are left blank for the hand grader. Before running, the
submission's code is read for Keras 2 spellings (instructor/keras2.py): each is named by cell and
line, with its Keras 3 spelling, and a cell that fails on one says so.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync

from instructor import keras2

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "instructor" / "dist"
MARKER = "LAB4-GRADING-RESULTS:"
SETUP = """# added by the grader (instructor/grade.py): record what fit is called with
import sys as _lab4_sys
_lab4_sys.path.insert(0, {root!r})
from instructor import behaviour as _lab4_behaviour
_lab4_behaviour.install_fit_recorder()
del _lab4_sys, _lab4_behaviour
"""
RUN_TESTS = """# added by the grader: the autograder's tests, on this kernel's objects
import glob as _g, json as _j, os as _o
from otter.test_files import ExceptionTestFile as _T
_lab4 = {{}}
for _p in sorted(_g.glob(_o.path.join({tests!r}, "*.py"))):
    _n = _o.path.basename(_p)[:-3]
    try:
        _t = _T.from_file(_p)
        _t.run(globals())
        _lab4[_n] = [dict(name=_r.test_case.name, points=_r.test_case.points,
                          hidden=_r.test_case.hidden, passed=bool(_r.passed),
                          message=_r.message or "") for _r in _t.test_case_results]
    except Exception as _e:
        _lab4[_n] = [dict(name="run", points=0, hidden=True, passed=False, message=repr(_e))]
print({marker!r} + _j.dumps(_lab4))
"""


@dataclass
class Result:
    submission: str
    rows: dict = field(default_factory=dict)  # problem -> (score or None, points, note)
    problems: list = field(default_factory=list)  # lines about the run itself
    keras2: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def auto(self):
        return sum(s for s, _, _ in self.rows.values() if s is not None)

    @property
    def auto_possible(self):
        return sum(p for s, p, _ in self.rows.values() if s is not None)


def load_rubric(kit):
    path = Path(kit) / "autograder" / "rubric.toml"
    if not path.exists():
        path = ROOT / "instructor" / "rubric.toml"
    with open(path, "rb") as f:
        return {row["problem"]: row for row in tomllib.load(f)["row"]}


def _error_of(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}".strip()
    return None


def _test_results(cell):
    for out in cell.get("outputs", []):
        text = out.get("text", "") if out.get("output_type") == "stream" else ""
        for line in text.splitlines():
            if line.startswith(MARKER):
                return json.loads(line[len(MARKER) :])
    return None


def _reason(message):
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error" in line or "assert" in line.lower():
            return line[:300]
    return lines[-1][:300] if lines else "failed"


def grade_one(path, kit=KIT, cell_timeout=1800, timeout=3600, kernel="python3"):
    """Run one submission and score it against the rubric."""
    path, kit = Path(path), Path(kit)
    tests = kit / "autograder" / "tests"
    if not tests.is_dir():
        raise SystemExit(f"no autograder tests in {tests}: run `make assign` first")
    rubric = load_rubric(kit)
    result = Result(submission=path.name)
    start = time.monotonic()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # noqa: BLE001 - any unreadable file is one line in the report
        result.problems.append(f"not a readable notebook: {err}")
        nb = None
    if nb is not None:
        result.keras2 = keras2.scan_notebook(nb)
        results = _run(nb, result, tests, kit, cell_timeout, timeout, kernel)
    else:
        results = None
    for n, row in sorted(rubric.items()):
        if row["kind"] != "auto":
            result.rows[n] = (None, row["points"], "graded by hand")
            continue
        cases = (results or {}).get(f"p{n}")
        if not cases:
            note = "tests did not run" if results is None else "no tests for this problem"
            result.rows[n] = (0, row["points"], note)
            continue
        failed = [c for c in cases if not c["passed"]]
        if failed:
            result.rows[n] = (0, row["points"], _reason(failed[-1]["message"]))
        else:
            result.rows[n] = (row["points"], row["points"], "all tests pass")
    result.seconds = time.monotonic() - start
    return result


def _run(nb, result, tests, kit, cell_timeout, timeout, kernel):
    """Execute the submission with the grader's first and last cells; return the tests' results.
    A cell tagged `colab-setup` (the answer key's first cell: in Colab it clones the repository)
    is left out, as the student notebook leaves it out: the grader provides the helpers."""
    nb.cells = [c for c in nb.cells if "colab-setup" not in c.get("metadata", {}).get("tags", [])]
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP.format(root=str(ROOT))))
    nb.cells.append(nbformat.v4.new_code_cell(RUN_TESTS.format(tests=str(tests), marker=MARKER)))
    deadline = time.monotonic() + timeout
    work = Path(tempfile.mkdtemp(prefix="lab4-grade-"))
    public = kit / "student" / "tests"
    if public.is_dir():  # for the submission's own grader.check(...) cells
        shutil.copytree(public, work / "tests")
    # otter.Notebook("lab4.ipynb") in the student notebook's first cell wants the file beside it
    nbformat.write(nb, work / "lab4.ipynb")
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        LAB4_OUTPUT_DIR=str(work),
        MPLBACKEND="Agg",
        TF_CPP_MIN_LOG_LEVEL=env.get("TF_CPP_MIN_LOG_LEVEL", "3"),
    )
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        timeout_func=lambda cell: max(1, min(cell_timeout, int(deadline - time.monotonic()))),
        kernel_name=kernel,
        allow_errors=True,
        interrupt_on_timeout=False,
        startup_timeout=120,
        resources={"metadata": {"path": str(work)}},
    )
    errors_by_cell = {}
    for f in result.keras2:
        errors_by_cell.setdefault(f.cell, []).append(f)
    try:
        with client.setup_kernel(cwd=str(work), env=env):
            stopped = False
            for index, cell in enumerate(nb.cells[:-1]):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    limit = "--timeout" if time.monotonic() >= deadline else "--cell-timeout"
                    result.problems.append(
                        f"cell {index} did not finish within its time limit ({limit}); the "
                        "kernel was interrupted and the rest of the notebook skipped"
                    )
                    run_sync(client.km.interrupt_kernel)()
                    time.sleep(2)
                    stopped = True
                    break
                error = _error_of(cell) if index else None
                if error and index:
                    line = f"cell {index} raised {error[:300]}"
                    hints = [f for f in errors_by_cell.get(index, []) if f.error]
                    if hints:
                        line += f" (Keras 2 code at line {hints[0].line}: {hints[0].fix})"
                    result.problems.append(line)
            client.timeout_func = None
            client.timeout = 300 if not stopped else 120
            try:
                client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
            except CellTimeoutError:
                result.problems.append("the tests did not finish (the kernel stayed busy)")
                return None
            results = _test_results(nb.cells[-1])
            if results is None:
                error = _error_of(nb.cells[-1])
                result.problems.append(f"the tests could not run: {error}")
            return results
    except DeadKernelError:
        result.problems.append(
            "the kernel died (out of memory, or a crash in native code); the automatic rows score 0"
        )
        return None
    except Exception as err:  # noqa: BLE001 - a kernel that cannot start is one line, not a crash
        result.problems.append(f"the notebook could not run: {type(err).__name__}: {err}")
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(result, rubric):
    lines = [f"== {result.submission} ({result.seconds:.0f} s)"]
    for n, (score, points, note) in result.rows.items():
        title = rubric[n]["title"]
        shown = f"{score:>3}/{points}" if score is not None else f"  -/{points}"
        lines.append(f"  Problem {n} {title:<40} {shown}  {note}")
    lines.append(
        f"  automatic rows: {result.auto}/{result.auto_possible}; "
        f"written answers (Problems 2, 4, 7): by hand, see instructor/rubric.toml"
    )
    if result.keras2:
        lines.append("  Keras 2 code (use the Keras 3 spelling):")
        lines += [f"    {f}" for f in result.keras2]
    raised = [p for p in result.problems if p.startswith("cell ") and " raised " in p]
    shown = [p for p in result.problems if p not in raised[3:]]
    lines += [f"  note: {p}" for p in shown]
    if len(raised) > 3:
        lines.append(f"  note: ... and {len(raised) - 3} later cells raised errors too")
    return "\n".join(lines)


def write_csv(results, rubric, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["submission"]
            + [f"p{n}" for n in sorted(rubric)]
            + ["auto_total", "auto_possible", "seconds", "keras2_lines", "notes"]
        )
        for r in results:
            writer.writerow(
                [r.submission]
                + ["" if r.rows[n][0] is None else r.rows[n][0] for n in sorted(rubric)]
                + [r.auto, r.auto_possible, round(r.seconds), len(r.keras2)]
                + [
                    "; ".join(
                        r.problems
                        + [f"p{n}: {note}" for n, (s, _, note) in r.rows.items() if s == 0]
                    )
                ]
            )


def submissions(target):
    target = Path(target)
    if target.is_dir():
        found = sorted(p for p in target.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        if not found:
            raise SystemExit(f"no .ipynb files in {target}")
        return found
    if not target.exists():
        raise SystemExit(f"{target}: no such file or folder")
    return [target]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", help="a submission .ipynb, or a folder of them")
    parser.add_argument("--kit", default=KIT, type=Path, help="what `make assign` wrote")
    parser.add_argument("--csv", type=Path, help="CSV of the scores (folder default: grades.csv)")
    parser.add_argument("--cell-timeout", type=int, default=1800, help="seconds for one cell")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds for one notebook")
    parser.add_argument("--kernel", default="python3")
    args = parser.parse_args(argv)
    paths = submissions(args.target)
    rubric = load_rubric(args.kit)
    results = []
    for path in paths:
        result = grade_one(path, args.kit, args.cell_timeout, args.timeout, args.kernel)
        results.append(result)
        print(report(result, rubric), flush=True)
    csv_path = args.csv or (
        Path(args.target) / "grades.csv" if Path(args.target).is_dir() else None
    )
    if csv_path:
        write_csv(results, rubric, csv_path)
        print(f"CSV: {csv_path}")
    return results


if __name__ == "__main__":
    sys.exit(0 if main() is not None else 1)
