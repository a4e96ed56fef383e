"""Generate the instructor's kit from the model answer: `make assign` (python -m instructor.assign).

    python -m instructor.assign [--model-answer lab4.ipynb] [--out instructor/dist]

One source, three outputs. The model answer (lab4.ipynb) stays free of any grading syntax; its cell
tags say what each cell is (`solution`: code the student writes; `answer`: a written answer;
`evidence`: cites the evidence notebook; `parameters`: the seed; untagged: tutorial and setup).
This script turns it into an otter-grader master notebook (build/master/lab4.ipynb: otter's
`# BEGIN QUESTION` raw cells, solution blocks with prompts, the tests of instructor/rubric.toml) and
runs `otter assign` on that, giving

    OUT/student/lab4.ipynb      the notebook students start from (+ tests/ with the public tests)
    OUT/autograder/tests/*.py   public and hidden tests, read by `python -m instructor.grade`
    OUT/autograder/rubric.toml  the rubric, with what full marks need for the hand-graded answers
    OUT/autograder/*.zip        otter's autograder (for `otter run` or Gradescope)

The solution notebook is the model answer itself (lab4.ipynb and lab4.html), unchanged.

The student notebook keeps the lab's text and tutorial cells, each problem's question, an empty
solution cell that names the variables the tests read, an answer prompt and `grader.check` for
the public tests. It drops the evidence cells, the model answer's own prose in the problem
sections and everything after the problems (the lab's open questions, appendices). It may
import only `helpers.data` (MNIST loading) from helpers/: other helpers imports are removed from
its cells, and generation stops if a kept cell still uses one.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_raw_cell

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = Path(__file__).resolve().parent / "rubric.toml"
NAME = "lab4"
# helpers modules a student notebook may import (no answers in them): MNIST loading, where a run
# writes, and plt.show() with alt text
ALLOWED_HELPERS = {"data", "paths", "plots"}
HANDOUT_HELPERS = ["__init__", "data", "checks", "paths", "plots"]  # those and what they import
PROBLEM = re.compile(r"^\s*##\s+Problem\s+(\d+)\b", re.MULTILINE)
TUTORIAL = re.compile(r"^\s*##\s+Tutorial\s+(\d+)\b", re.MULTILINE)
H2 = re.compile(r"^\s*##\s+\S", re.MULTILINE)
ASSIGNMENT_CONFIG = f"""# ASSIGNMENT CONFIG
name: {NAME}
init_cell: true
check_all_cell: false
export_cell: false
run_tests: false
solutions_pdf: false
generate: true
tests:
    files: true
    ok_format: false
"""
# Markers of the grading tool: none may appear in the model answer (nor in its HTML).
TOOL_MARKERS = ("# BEGIN QUESTION", "# BEGIN SOLUTION", "# END SOLUTION", "# BEGIN TESTS", "otter")


class KitError(Exception):
    """The model answer does not fit the contract the kit is generated from; one line says where."""


def load_rubric(path=RUBRIC):
    with open(path, "rb") as f:
        rows = tomllib.load(f)["row"]
    return {row["problem"]: row for row in rows}


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def first_line(cell):
    return (cell.source.strip().splitlines() or [""])[0][:80]


def sections(nb):
    """Split the cells into ('intro' | 'tutorial' | ('problem', N) | 'tail', cells) in order."""
    parts, kind = [], "intro"
    for cell in nb.cells:
        if cell.cell_type == "markdown" and H2.search(cell.source):
            problem, tutorial = PROBLEM.search(cell.source), TUTORIAL.search(cell.source)
            if problem:
                kind = ("problem", int(problem.group(1)))
            elif tutorial:
                kind = "tutorial"
            elif kind != "intro":  # a new section after the tutorials or problems: the open
                kind = "tail"  # questions, appendices: the model answer's, not the student's
        if not parts or parts[-1][0] != kind:
            parts.append((kind, []))
        parts[-1][1].append(cell)
    return parts


HELPERS_FROM = re.compile(r"^(\s*)from\s+helpers\s+import\s+(.+)$")
HELPERS_OTHER = re.compile(r"^\s*(?:from\s+helpers\.(\w+)\s+import|import\s+helpers\.(\w+))")


def strip_helpers(source, removed):
    """The source with helpers imports other than ALLOWED_HELPERS removed; names dropped are
    added to `removed`."""
    out = []
    for line in source.splitlines():
        m = HELPERS_FROM.match(line)
        if m:
            names = [n.strip() for n in m.group(2).strip("()").split(",") if n.strip()]
            keep = [n for n in names if n.split(" as ")[0].strip() in ALLOWED_HELPERS]
            removed.update(n.split(" as ")[-1].strip() for n in names if n not in keep)
            if keep:
                out.append(f"{m.group(1)}from helpers import {', '.join(keep)}")
            continue
        m = HELPERS_OTHER.match(line)
        if m and (m.group(1) or m.group(2)) not in ALLOWED_HELPERS:
            removed.add(m.group(1) or m.group(2))
            continue
        out.append(line)
    return "\n".join(out)


def assigned_names(source):
    return set(re.findall(r"^\s*([A-Za-z_]\w*)\s*(?:,\s*[A-Za-z_]\w*\s*)*=", source, re.MULTILINE))


def prompt_block(row, defined):
    lines = [f"# Problem {row['problem']}: your code here (more cells are fine)."]
    lines += [f"# {line}" for line in row["prompt"].splitlines()]
    lines += [f"{name} = ..." for name in row["names"] if name not in defined]
    return "\n".join(lines)


def test_cells(row):
    """Otter exception-based test cells: a public check of the names (0 points, the students run
    it with grader.check) and one hidden test that carries the row's points."""
    n, names = row["problem"], row["names"]
    args = ", ".join(names)
    model, history = names[0], names[1]
    public = f'''""" # BEGIN TEST CONFIG
points: 0
name: p{n}-names
failure_message: Keep {model} and {history} as the last cells of Problem {n} leave them.
""" # END TEST CONFIG
def test_p{n}_names({args}):
    import keras
    assert isinstance({model}, keras.Model), "{model} should be your trained keras model"
    assert isinstance({history}, keras.callbacks.History), (
        "{history} should be the History that {model}.fit(...) returns"
    )
'''
    if "VALIDATION_SPLIT" in names:
        public += (
            "    assert VALIDATION_SPLIT >= 0.2, "
            '"VALIDATION_SPLIT should be at least 0.2 (the lab\'s minimum)"\n'
        )
    if row["problem"] in (1, 3):
        call = f'behaviour.check_xor({model}, {history}, "p{n}"' + (
            f", max_hidden={row['max_hidden_units']})" if "max_hidden_units" in row else ")"
        )
    else:
        tag = model.removesuffix("_model")
        call = (
            f'behaviour.check_mnist({model}, {history}, "{tag}", "{row["activation"]}", '
            f"VALIDATION_SPLIT)"
        )
    hidden = f'''""" # BEGIN TEST CONFIG
points: {row["points"]}
hidden: true
name: p{n}-behaviour
""" # END TEST CONFIG
def test_p{n}_behaviour({args}):
    from instructor import behaviour
    {call}
'''
    return [nbformat.v4.new_code_cell(public), nbformat.v4.new_code_cell(hidden)]


def grading_note(rubric):
    lines = [
        "### How this notebook is graded",
        "",
        "Problems 2, 4 and 7 are read and graded by hand. Problems 1, 3, 5 and 6 are graded by "
        "tests that run your notebook from top to bottom and then evaluate your trained models "
        "themselves, so each problem's cells must leave these variables behind:",
        "",
    ]
    for n, row in sorted(rubric.items()):
        if row["kind"] == "auto":
            lines.append(f"- Problem {n}: " + ", ".join(f"`{name}`" for name in row["names"]))
    lines += [
        "",
        "`X`, `Y` and the MNIST arrays `x_train, y_train, x_test, y_test` are made for you in "
        "the tutorial cells. `grader.check(...)` after each problem runs its public tests (do "
        "the names exist, is the split at least 0.2); the hidden tests check the behaviour "
        "(100% on XOR, above 98% on the MNIST test set...). Write for Keras 3: "
        "`import keras`, `keras.optimizers.SGD(learning_rate=0.1)`.",
    ]
    return new_markdown_cell("\n".join(lines))


def build_master(nb, rubric):
    """The otter-grader master notebook for the model answer `nb` (not modified)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for marker in TOOL_MARKERS:
            if marker in cell.source and marker != "otter":
                raise KitError(f"the model answer contains the tool marker {marker!r}")
    parts = sections(nb)
    found = [key[1] for key, _ in parts if isinstance(key, tuple)]
    if sorted(found) != sorted(rubric):
        raise KitError(f"expected '## Problem N' headings for {sorted(rubric)}; found {found}")
    cells = [new_raw_cell(ASSIGNMENT_CONFIG)]
    removed, kept_code = set(), []
    for key, part in parts:
        if key == "tail":
            continue
        if key in ("intro", "tutorial"):
            for cell in part:
                # colab-setup: the answer key's first cell clones the answer key's repository
                if {"evidence", "answer", "colab-setup"} & set(tags(cell)):
                    continue
                if cell.cell_type == "code" and "solution" in tags(cell):
                    print(
                        f"note: a solution cell outside the problems is dropped: {first_line(cell)}"
                    )
                    continue
                cell = copy.deepcopy(cell)
                if cell.cell_type == "code":
                    cell.source = strip_helpers(cell.source, removed)
                    cell.outputs, cell.execution_count = [], None
                    kept_code.append(cell)
                cells.append(cell)
                if key == "intro" and len(cells) == 2:
                    cells.append(grading_note(rubric))
            continue
        row = rubric[key[1]]
        heading, rest = part[0], part[1:]
        config = f"# BEGIN QUESTION\nname: p{row['problem']}\npoints: {row['points']}\n"
        if row["kind"] == "manual":
            config += "manual: true\n"
        else:
            config += "all_or_nothing: true\n"
        cells += [new_raw_cell(config), heading, new_raw_cell("# BEGIN SOLUTION")]
        defined = set().union(*(assigned_names(c.source) for c in kept_code))
        prompted = False
        for cell in rest:
            if "evidence" in tags(cell):
                continue
            if cell.cell_type == "markdown":
                if "answer" in tags(cell):
                    cells.append(copy.deepcopy(cell))
                continue  # the model answer's own prose: not the student's
            if cell.cell_type != "code":
                continue
            cell = copy.deepcopy(cell)
            cell.outputs, cell.execution_count = [], None
            body = f"# BEGIN SOLUTION NO PROMPT\n{cell.source}\n# END SOLUTION"
            if not prompted and row["kind"] == "auto":
                body += f'\n""" # BEGIN PROMPT\n{prompt_block(row, defined)}\n"""; # END PROMPT'
                prompted = True
            cell.source = body
            cells.append(cell)
        if row["kind"] == "auto" and not prompted:
            raise KitError(f"Problem {row['problem']} has no solution code cell")
        cells.append(new_raw_cell("# END SOLUTION"))
        if row["kind"] == "auto":
            cells += [new_raw_cell("# BEGIN TESTS"), *test_cells(row), new_raw_cell("# END TESTS")]
        cells.append(new_raw_cell("# END QUESTION"))
        if row["kind"] == "auto" and any("answer" in tags(c) for c in rest):
            # otter drops Markdown from the solution of an autograded question: the written part
            # of Problems 1, 3, 5 and 6 gets its own prompt after the question
            cells.append(
                new_markdown_cell(
                    f"**Problem {row['problem']}, your answer.** _Type your answer here, "
                    "replacing this text._",
                    metadata={"tags": ["otter_answer_cell"]},
                )
            )
    for cell in kept_code:
        for name in removed:
            if re.search(rf"\b{re.escape(name)}\s*\.", cell.source):
                raise KitError(
                    f"a tutorial cell uses helpers.{name}, which the student notebook may not "
                    f"import (only {sorted(ALLOWED_HELPERS)}): {first_line(cell)}"
                )
    nb.cells = cells
    nb.metadata.setdefault(
        "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
    )
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb


def postprocess_student(path):
    """Drop the code cells that otter left empty (a problem's further solution cells) and check
    that the notebook imports nothing from helpers/ but ALLOWED_HELPERS."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.source.strip()]
    for cell in nb.cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                if HELPERS_OTHER.match(line) and not re.search(
                    rf"helpers\.({'|'.join(ALLOWED_HELPERS)})\b", line
                ):
                    raise KitError(f"the student notebook imports from helpers: {line.strip()}")
                m = HELPERS_FROM.match(line)
                if m and any(
                    n.split(" as ")[0].strip() not in ALLOWED_HELPERS
                    for n in m.group(2).strip("()").split(",")
                ):
                    raise KitError(f"the student notebook imports from helpers: {line.strip()}")
    nbformat.write(nb, path)
    return nb


def assign(model_answer, out, build=None, rubric_path=RUBRIC, quiet=False):
    """Generate the kit into `out` (replaced); returns the student notebook's path."""
    model_answer, out = Path(model_answer), Path(out)
    build = Path(build) if build else out.parent / "build"
    rubric = load_rubric(rubric_path)
    master = build_master(nbformat.read(model_answer, as_version=4), rubric)
    shutil.rmtree(build, ignore_errors=True)
    (build / "master").mkdir(parents=True)
    master_path = build / "master" / f"{NAME}.ipynb"
    nbformat.write(master, master_path)
    shutil.rmtree(out, ignore_errors=True)
    otter = Path(sys.executable).with_name("otter")
    cmd = [str(otter) if otter.exists() else "otter", "assign", str(master_path), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=build / "master")
    if done.returncode != 0:
        raise KitError(f"otter assign failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    if not quiet:
        print(done.stdout.strip())
    student = out / "student" / f"{NAME}.ipynb"
    postprocess_student(student)
    # the handout loads MNIST offline with helpers.data (and the two modules it imports)
    (out / "student" / "helpers").mkdir()
    for name in HANDOUT_HELPERS:
        shutil.copy(ROOT / "helpers" / f"{name}.py", out / "student" / "helpers" / f"{name}.py")
    shutil.copy(rubric_path, out / "autograder" / "rubric.toml")
    return student


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-answer", default=ROOT / f"{NAME}.ipynb", type=Path)
    parser.add_argument("--out", default=ROOT / "instructor" / "dist", type=Path)
    args = parser.parse_args(argv)
    try:
        student = assign(args.model_answer, args.out)
    except KitError as err:
        raise SystemExit(f"make assign: {err}") from None
    print(f"student notebook: {student}")
    print(f"autograder:       {args.out / 'autograder'} (tests/, rubric.toml, otter's zip)")
    print(f"solution:         {args.model_answer} (and its HTML), unchanged")


if __name__ == "__main__":
    main()
