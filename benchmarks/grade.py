"""Grade an Open Lab 4 notebook: the lab's own requirements, then this solution's extras.

    make grade                          execute lab4.ipynb under nbval, then grade that run
    make grade NB=path/to/other.ipynb   the same for another student's Lab 4 notebook
    python -m benchmarks.grade --run NB        what make grade runs
    python -m benchmarks.grade --check NB      grade an already executed notebook's saved outputs
    python -m benchmarks.grade                 this solution's committed lab4.ipynb and results.json

`--run` executes the notebook with nbval (`-x`: it stops at the first failing cell, whose source
head and error are printed) and keeps what that run produced (benchmarks/nbval_capture.py), so the
checks read the notebook it has just executed, not the committed one. Its temporary folder is
removed afterwards.

The lab's requirements are read from any notebook's outputs and sources, without our helpers:
sections are found by Markdown headings (or first lines) naming "Problem N"; accuracies are the
numbers labelled accuracy in the outputs of cells that call evaluate...(); the validation split is
`validation_split=...` in a section's code (a name is looked up in the notebook) or a printed
"validation split"; plots are image outputs. This solution's extras (results.json, figures/,
headings) are graded only when the run wrote a results.json (lab4.ipynb does: $LAB4_OUTPUT_DIR).
Exit status 1 if anything graded failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------------------------------
# The lab's own requirements, read from any notebook
# --------------------------------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
PROBLEM = re.compile(
    r"(?i)\b(?:problems?|questions?|exercises?|tasks?)\s*#?\s*"
    r"(\d+(?:\s*(?:,|&|and|-|–|to)\s*\d+)*)"
)
# "accuracy: 0.98", "Test accuracy: 0.9812", "binary_accuracy: 1.0000", "'accuracy': 0.98",
# "accuracy 98.9%"
ACCURACY = re.compile(
    r"(?i)\b((?:\w+_)?acc(?:uracy)?)\b['\"]?\s*(?:[:=]|is|of)?\s*(\d+(?:\.\d+)?(?:e-?\d+)?)\s*(%?)"
)
SPLIT_SOURCE = re.compile(r"""validation_split['"]?\s*[:=]\s*([A-Za-z_]\w*|\d*\.?\d+)""")
SPLIT_OUTPUT = re.compile(r"(?i)validation[ _]split\D{0,20}?(\d*\.\d+|\d+(?:\.\d+)?\s*%)")
BOUNDARY = re.compile(r"(?i)boundar|meshgrid|contour|decision|predict|positions|grid")
LOSS_PLOT = re.compile(r"(?i)loss|histor|learning|curve")
HISTORY_PLOT = re.compile(r"(?i)histor|learning|curve|val_")
WRITTEN = {
    2: 40,
    4: 40,
    7: 40,
}  # problem -> the fewest words of answer (beyond the lab's own prompt)
# The seed's wording of the written problems, subtracted before counting words (students often paste
# it).
PROMPTS = {
    2: "Describe in detail what selections in terms of network architecture, optimizer, "
    "hyperparameters, etc. that you made to allow the network in Problem 1 to succeed, and explain "
    "why those selections fixed the problems with the approach used in the tutorial above.",
    4: "Given your experiences in Problem 3, describe why the choice of using the ReLU activation "
    "function for hidden units might make your networks larger/smaller in size. Utilize the "
    "results from Problem 3 and anything learned in the tutorial above to justify your claims "
    "(describe the exact evidence which supports your answer).",
    7: "Describe any observed differences in the learning curves or final results obtained from "
    "Problems 5 and 6, and explain why you think those differences have occurred.",
}


def text_of(value):
    return "".join(value) if isinstance(value, list) else (value or "")


def output_text(out):
    r"""The text an output shows: streams, text/plain results, error messages; ANSI and \\b removed,
    carriage-return progress bars reduced to their last state."""
    if out.get("output_type") == "stream":
        text = text_of(out.get("text"))
    elif out.get("output_type") == "error":
        text = f"{out.get('ename')}: {out.get('evalue')}"
    else:
        text = text_of(out.get("data", {}).get("text/plain"))
    lines, line = [], []
    for ch in ANSI.sub(
        "", text
    ):  # as a terminal shows it: \r restarts the line, \b erases a character
        if ch == "\n":
            lines.append("".join(line))
            line = []
        elif ch == "\r":
            line = []
        elif ch == "\x08":
            line = line[:-1]
        else:
            line.append(ch)
    return "\n".join([*lines, "".join(line)])


def has_image(out):
    return any(k.startswith("image/") for k in out.get("data", {}))


def problem_numbers(text):
    nums = set()
    for m in PROBLEM.finditer(text):
        parts = re.split(r"\s*(?:,|&|and)\s*", m.group(1))
        for part in parts:
            r = re.split(r"\s*(?:-|–|to)\s*", part)
            if len(r) == 2 and r[0].isdigit() and r[1].isdigit() and int(r[0]) < int(r[1]) <= 20:
                nums.update(range(int(r[0]), int(r[1]) + 1))
            elif r[0].isdigit():
                nums.add(int(r[0]))
    return nums


def section_starts(cell):
    """[(level, problem numbers)] for each heading of a Markdown cell, in order; a first line that
    begins with 'Problem N' (e.g. **Problem 1**) counts as a heading of level 7, so that any heading
    ends it."""
    if cell.get("cell_type") != "markdown":
        return []
    lines = [ln for ln in text_of(cell.get("source")).splitlines() if ln.strip()]
    starts = [
        (len(m.group(1)), problem_numbers(m.group(2))) for m in map(HEADING.match, lines) if m
    ]
    if (
        not starts
        and lines
        and re.match(r"^\W*(?:problems?|questions?|exercises?)\s*#?\s*\d", lines[0], re.IGNORECASE)
    ):
        starts = [(7, problem_numbers(lines[0]))]
    return starts


def sections(cells):
    """problem number -> indices of the cells under a heading that names it. Under 'Problems 5 and
    6' followed by '### Problem 5' and '### Problem 6', Problem 6 gets the shared part and its
    own."""
    found = {}
    current, level = set(), 99
    for i, cell in enumerate(cells):
        for lvl, nums in section_starts(cell):
            if nums:
                current, level = nums, lvl
            elif lvl <= level:  # a heading at the same or a higher level that names no problem
                current, level = set(), 99
        for n in current:
            found.setdefault(n, []).append(i)
    return found


def accuracies(text):
    """Accuracies (as fractions) labelled in text, validation ones left out."""
    vals = []
    for m in ACCURACY.finditer(text):
        if m.group(1).lower().startswith("val"):
            continue
        v = float(m.group(2))
        if m.group(3) == "%" or 1 < v <= 100:
            v /= 100
        if 0 <= v <= 1:
            vals.append(v)
    return vals


def evaluate_accuracies(cells, idx):
    """Per evaluate-cell in idx, the last accuracy its outputs print: [(code cell number,
    accuracy)]."""
    found = []
    for i in idx:
        c = cells[i]
        if c.get("cell_type") != "code" or not re.search(
            r"evaluate\w*\s*\(", text_of(c.get("source"))
        ):
            continue
        vals = accuracies("\n".join(output_text(o) for o in c.get("outputs", [])))
        if vals:
            found.append((i, vals[-1]))
    return found


def code_without_comments(source):
    return "\n".join(re.sub(r"(^|\s)#.*$", "", ln) for ln in source.splitlines())


def validation_splits(cells, idx):
    """Validation splits the section's code passes (names looked up in the whole notebook) or
    prints."""
    code = [
        code_without_comments(text_of(c.get("source")))
        for c in cells
        if c.get("cell_type") == "code"
    ]
    splits = []
    for i in idx:
        c = cells[i]
        if c.get("cell_type") != "code":
            continue
        for m in SPLIT_SOURCE.finditer(code_without_comments(text_of(c.get("source")))):
            value = m.group(1)
            if not re.match(r"^\d*\.?\d+$", value):
                assigned = [
                    a.group(1)
                    for src in code
                    for a in re.finditer(
                        rf"^\s*{re.escape(value)}\s*=\s*(\d*\.?\d+)\s*$", src, re.MULTILINE
                    )
                ]
                value = assigned[-1] if assigned else None
            if value is not None:
                splits.append(float(value))
        for o in c.get("outputs", []):
            for m in SPLIT_OUTPUT.finditer(output_text(o)):
                v = m.group(1).strip()
                splits.append(float(v.rstrip("%").strip()) / 100 if v.endswith("%") else float(v))
    return splits


def images(cells, idx, source_pattern=None):
    """Code cell indices in idx with an image output (whose source matches source_pattern, if
    given)."""
    return [
        i
        for i in idx
        if cells[i].get("cell_type") == "code"
        and any(has_image(o) for o in cells[i].get("outputs", []))
        and (source_pattern is None or source_pattern.search(text_of(cells[i].get("source"))))
    ]


def answer_words(cells, idx, number):
    """Words of Markdown in the section, headings and the lab's own prompt left out."""
    text = " ".join(
        text_of(cells[i].get("source")) for i in idx if cells[i].get("cell_type") == "markdown"
    )
    text = "\n".join(ln for ln in text.splitlines() if not HEADING.match(ln))
    flat = re.sub(r"[*_`]", "", " ".join(text.split()))
    prompt = " ".join(PROMPTS.get(number, "").split())
    if prompt:
        flat = flat.replace(prompt, " ")
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", flat))


def cell_label(cells, i):
    n = sum(c.get("cell_type") == "code" for c in cells[: i + 1])
    return f"code cell {n}"


def lab_checks(nb, failure=None):
    """Yield (section, requirement, passed, evidence) for the lab's own requirements."""
    cells = nb["cells"]
    code = [c for c in cells if c.get("cell_type") == "code"]
    errors = [
        (i, o)
        for i, c in enumerate(cells)
        if c.get("cell_type") == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    unrun = sum(
        c.get("execution_count") is None and bool(text_of(c.get("source")).strip()) for c in code
    )
    if failure and failure.get("error"):
        evidence = f"stopped at code cell {failure.get('code_cell')}: {failure['error']}"
    elif errors:
        i, o = errors[0]
        evidence = f"{cell_label(cells, i)}: {o.get('ename')}: {ANSI.sub('', str(o.get('evalue')))}"
    elif unrun:
        evidence = f"{unrun} of {len(code)} code cells not executed"
    else:
        evidence = f"{len(code)} code cells, no errors"
    yield (
        "Notebook",
        "executes top to bottom without errors",
        not errors and not unrun and not failure,
        evidence,
    )

    secs = sections(cells)
    for n in range(1, 8):
        idx = secs.get(n)
        rows = (
            list(problem_rows(cells, n, idx))
            if idx
            else [
                (
                    what,
                    False,
                    f"no answer found: no Markdown heading (or first line) names Problem {n}",
                )
                for what in REQUIRED[n]
            ]
        )
        for what, ok, evidence in rows:
            yield f"Problem {n}", what, ok, evidence


REQUIRED = {
    1: [
        "evaluate() prints 100% accuracy on the 4 XOR patterns",
        "decision boundary plot",
        "loss plot",
    ],
    2: ["written answer"],
    3: [
        "evaluate() prints 100% accuracy on the 4 XOR patterns",
        "decision boundary plot",
        "loss plot",
    ],
    4: ["written answer"],
    5: [
        "evaluate() prints test accuracy > 98%",
        "validation split >= 0.2",
        "training history plot",
    ],
    6: [
        "evaluate() prints test accuracy > 98%",
        "validation split >= 0.2",
        "training history plot",
    ],
    7: ["written answer"],
}


def problem_rows(cells, n, idx):
    """(requirement, passed, evidence) for Problem n, read from the cells in its section."""
    if n in WRITTEN:
        words = answer_words(cells, idx, n)
        yield REQUIRED[n][0], words >= WRITTEN[n], f"{words} words (at least {WRITTEN[n]})"
        return
    accs = evaluate_accuracies(cells, idx)
    shown = (
        ", ".join(f"{a:.4g} ({cell_label(cells, i)})" for i, a in accs)
        or "no accuracy printed by a cell that calls evaluate"
    )
    if n in (1, 3):
        yield REQUIRED[n][0], any(a >= 1.0 for _, a in accs), shown
        b = images(cells, idx, BOUNDARY)
        yield (
            REQUIRED[n][1],
            bool(b),
            f"image in {cell_label(cells, b[0])}"
            if b
            else f"{len(images(cells, idx))} image(s), none from a cell that predicts on a grid",
        )
        lp = images(cells, idx, LOSS_PLOT)
        yield (
            REQUIRED[n][2],
            bool(lp),
            f"image in {cell_label(cells, lp[0])}"
            if lp
            else f"{len(images(cells, idx))} image(s), none from a cell that mentions loss or "
            "history",
        )
    else:
        yield REQUIRED[n][0], any(a > 0.98 for _, a in accs), shown
        splits = validation_splits(cells, idx)
        yield (
            REQUIRED[n][1],
            bool(splits) and min(splits) >= 0.2,
            ", ".join(f"{s:g}" for s in splits) or "no validation_split= in its code or printed",
        )
        h = images(cells, idx, HISTORY_PLOT)
        yield (
            REQUIRED[n][2],
            bool(h),
            f"image in {cell_label(cells, h[0])}"
            if h
            else f"{len(images(cells, idx))} image(s), none from a cell that mentions the history",
        )


# --------------------------------------------------------------------------------------------------
# This solution's extras: results.json, figures/ and headings of lab4.ipynb
# --------------------------------------------------------------------------------------------------

FIGURES = {
    "Tutorial": [
        "tutorial_tanh_before",
        "tutorial_tanh_after",
        "tutorial_tanh_loss",
        "tutorial_tanh_units",
        "tutorial_tanh_training_strip",
        "tutorial_relu_before",
        "tutorial_relu_after",
        "tutorial_relu_loss",
        "mnist_first_five",
        "mnist_single_layer_history",
    ],
    "Problem 1": ["p1_relu_xor"],
    "Problem 3": ["p3_smallest_relu_xor", "p3_units"],
    "Problem 4": ["p4_width_sweep"],
    "Problem 5": ["p5_tanh_history"],
    "Problem 6": ["p6_relu_history"],
    "Problem 7": [
        "p7_overlay",
        "p7_inside",
        "p7_confusion_matrix",
        "p7_misclassified",
    ],
    "Wider vs deeper": ["wider_vs_deeper"],
}
HEADINGS = [
    "## Tutorial 1",
    "## Tutorial 2",
    "## Tutorial 3",
    "## Tutorial 4",
    "## Tutorial 5",
    "## Tutorial 6",
    "## Problem 1",
    "## Problem 2",
    "## Problem 3",
    "## Problem 4",
    "## Problem 5",
    "## Problem 6",
    "## Problem 7",
    "## The lab's open questions",
    "# Appendix",
]


def get(d, path, default=None):
    for key in path.split("."):
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def checks(results, nb, figures_dir):
    """Yield (section, description, passed): this solution's own checklist (beyond the lab's)."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c.get("execution_count") for c in code]
    errors = sum(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    yield (
        "Notebook",
        "every code cell executed, counts in order",
        None not in counts and counts == sorted(counts) and len(set(counts)) == len(counts),
    )
    yield "Notebook", "no error outputs", errors == 0
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for h in HEADINGS:
        yield "Notebook", f"heading '{h}'", h in text
    for section, names in FIGURES.items():
        for name in names:
            yield section, f"figure {name}.png", (figures_dir / f"{name}.png").is_file()
    r = results
    yield (
        "Tutorial",
        "hand backprop step equals Keras's (< 1e-6)",
        (get(r, "backprop_max_abs_diff", 1.0) or 1.0) < 1e-6,
    )
    yield "Tutorial", "tanh XOR net accuracy 1.0", get(r, "tutorial.tanh_xor_accuracy") == 1.0
    yield (
        "Tutorial",
        "single-layer MNIST test accuracy > 0.91",
        (get(r, "tutorial.mnist_single_layer_test_accuracy", 0) or 0) > 0.91,
    )
    yield "Problem 1", "evaluate() accuracy 1.0", get(r, "xor.p1.accuracy") == 1.0
    yield (
        "Problem 1",
        "success rate >= 99% over >= 100 random starts",
        (get(r, "xor.p1.success_rate", 0) or 0) >= 0.99
        and (get(r, "xor.p1.starts", 0) or 0) >= 100,
    )
    yield "Problem 1", "95% interval on the success rate", len(get(r, "xor.p1.ci95", []) or []) == 2
    yield (
        "Problem 2",
        "all-off patterns at initialisation: predicted and measured per width",
        all(
            {"predicted", "measured"} <= set(get(r, f"xor.all_off_at_init.{w}", {}) or {})
            for w in ("2", "4", "8", "16")
        ),
    )
    yield (
        "Problem 2",
        "the all-off intervention run",
        get(r, "xor.all_off_intervention.mcnemar_p") is not None,
    )
    yield (
        "Problem 2",
        "one-at-a-time ablation below the ceiling (width 3 or 4)",
        get(r, "xor.p2.ablation_width") in (3, 4) and bool(get(r, "xor.p2.ablation")),
    )
    yield "Problem 3", "evaluate() accuracy 1.0", get(r, "xor.p3.accuracy") == 1.0
    yield (
        "Problem 3",
        "smaller than Problem 1",
        (get(r, "xor.p3.params", 1e9) or 1e9) < (get(r, "xor.p1.params", 0) or 0),
    )
    yield "Problem 3", "skip-connection net measured", get(r, "xor.p3.skip_params") == 7
    yield (
        "Problem 4",
        "width sweep for ReLU and tanh (and the tanh initialiser control), widths 1-8",
        all(
            len(get(r, f"xor.width_sweep.{a}", {}) or {}) >= 8
            for a in ("relu_he_normal", "tanh_he_normal", "tanh_glorot_uniform")
        ),
    )
    for n, act in ((5, "tanh"), (6, "relu")):
        yield (
            f"Problem {n}",
            "test accuracy > 0.98",
            (get(r, f"mnist.{act}.test_accuracy", 0) or 0) > 0.98,
        )
        yield (
            f"Problem {n}",
            "validation split >= 0.2",
            (get(r, f"mnist.{act}.validation_split", 0) or 0) >= 0.2,
        )
    cmp = get(r, "mnist.comparison", {}) or {}
    seeds = cmp.get("seeds", [])
    yield (
        "Problem 7",
        "tanh vs ReLU over >= 4 seeds, one test accuracy per seed",
        (len(seeds) >= 4 and all(len(cmp.get(a, [])) == len(seeds) for a in ("tanh", "relu"))),
    )
    yield (
        "Problem 7",
        "every seed above 98% test accuracy",
        bool(seeds) and all(v > 0.98 for a in ("tanh", "relu") for v in cmp.get(a, [0])),
    )
    yield (
        "Problem 7",
        "paired difference with its 95% interval",
        {"mean", "ci95", "n"} <= set(get(r, "mnist.comparison.paired_diff", {}) or {}),
    )
    yield "Problem 7", "ReLU + He control arm", bool(get(r, "mnist.init_control.test_accuracy"))
    yield (
        "Wider vs deeper",
        "gain per layer, predicted and measured, Glorot and He",
        all(
            {"predicted", "measured"} <= set(get(r, f"deep.gain_per_layer.{k}", {}) or {})
            for k in ("glorot", "he")
        ),
    )
    wvd = get(r, "wider_vs_deeper", {}) or {}
    yield (
        "Wider vs deeper",
        "parameter-matched depths 1-8 for tanh and ReLU (Glorot and He), >= 2 seeds each",
        len(wvd) >= 12 and all(len(v) >= 2 for v in wvd.values()),
    )


# --------------------------------------------------------------------------------------------------
# Running and reporting
# --------------------------------------------------------------------------------------------------


def read_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def report(nb, results=None, figures_dir=None, failure=None, name="the notebook"):
    """Print both checklists; return the number of failed rows."""
    failed = 0
    print(f"\nLab 4's requirements, checked from {name}'s outputs")
    section = None
    for sec, what, ok, evidence in lab_checks(nb, failure):
        if sec != section:
            print(f"  {sec}")
            section = sec
        print(f"    [{'ok' if ok else 'FAIL'}] {what}: {evidence}")
        failed += not ok
    lab_failed = failed
    if results is None:
        print(
            "\nThis solution's extras: not graded (the run wrote no results.json; only this "
            "project's "
            "lab4.ipynb writes one)"
        )
    else:
        print("\nThis solution's extras (results.json, figures/, headings)")
        section = None
        for sec, what, ok in checks(results, nb, figures_dir):
            if sec != section:
                print(f"  {sec}")
                section = sec
            print(f"    [{'ok' if ok else 'MISSING'}] {what}")
            failed += not ok
    print(
        f"\ngrade: lab requirements {'all met' if not lab_failed else f'{lab_failed} not met'}"
        + (
            ""
            if results is None
            else "; extras "
            f"{'all present' if failed == lab_failed else f'{failed - lab_failed} missing'}"
        )
    )
    return failed


def run_and_grade(notebook):
    """Execute `notebook` under nbval (stopping at the first failing cell), then grade that run."""
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        sys.exit(f"grade: {notebook} not found")
    tmp = Path(tempfile.mkdtemp(prefix="lab4-grade-"))
    try:
        out = tmp / "output"
        out.mkdir()
        executed = tmp / "executed.ipynb"
        env = dict(
            os.environ,
            LAB4_OUTPUT_DIR=str(out),
            LAB4_GRADE_EXECUTED=str(executed),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        print(
            f"grade: executing {notebook} under nbval (stops at the first failing cell)", flush=True
        )
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            str(notebook),
            "--nbval-lax",
            "-x",
            "--nbval-cell-timeout=1800",
            "-p",
            "no:cacheprovider",
            "-p",
            "benchmarks.nbval_capture",
            "-q",
            "--tb=no",
            "--rootdir",
            str(notebook.parent),
            "--color=" + ("yes" if sys.stdout.isatty() else "no"),
        ]
        subprocess.run(cmd, env=env, cwd=ROOT, check=False)
        if not executed.is_file():
            sys.exit(f"grade: nbval did not run {notebook} (see pytest's message above)")
        nb = read_json(executed)
        failure_file = executed.with_name("executed.failure.json")
        failure = read_json(failure_file) if failure_file.is_file() else {}
        if failure:
            head = "\n".join("      " + ln for ln in failure["source"].splitlines()[:6])
            print(
                f"\ngrade: the notebook stopped at code cell {failure['code_cell']} (nbval's Cell "
                f"{failure['code_cell'] - 1}), which begins:\n{head}\n"
                f"    error: {failure['error']}\n"
                "  the rows below are checked on the outputs of the cells before it"
            )
        results = read_json(out / "results.json") if (out / "results.json").is_file() else None
        return report(nb, results, out / "figures", failure, name="this run")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_committed():
    """This solution's committed notebook and results.json, refusing a results.json older than the
    source."""
    out = Path(os.environ.get("LAB4_OUTPUT_DIR") or ROOT)
    results_path, nb_path, source = (
        out / "results.json",
        ROOT / "lab4.ipynb",
        ROOT / "src" / "lab4.py",
    )
    missing = [str(p) for p in (results_path, nb_path) if not p.is_file()]
    if missing:
        sys.exit(f"grade: {', '.join(missing)} not found: run `make lab` (or `make grade`) first")
    # A fresh clone writes both files within the same second: only a clearly newer source counts as
    # stale.
    if source.is_file() and source.stat().st_mtime > results_path.stat().st_mtime + 2:
        sys.exit(
            f"grade: {results_path} is older than src/lab4.py: run `make lab` (or `make grade`, "
            "which grades a fresh run)"
        )
    return report(read_json(nb_path), read_json(results_path), out / "figures", name="lab4.ipynb")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.grade", description=__doc__.split("\n")[0]
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--run", metavar="NB", help="execute NB under nbval, then grade that run")
    group.add_argument("--check", metavar="NB", help="grade NB's saved outputs without running it")
    args = parser.parse_args(argv)
    if args.run:
        failed = run_and_grade(args.run)
    elif args.check:
        failed = report(read_json(args.check), name=args.check)
    else:
        failed = check_committed()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
