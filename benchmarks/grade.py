"""Per-problem grading checklist from results.json, figures/ and the executed lab4.ipynb.

    python -m benchmarks.grade      (make grade runs the notebook under nbval first)

Prints one line per required piece and exits 1 if anything required is missing or below its threshold.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIGURES = {
    "Tutorial": ["tutorial_tanh_before", "tutorial_tanh_after", "tutorial_tanh_loss", "tutorial_tanh_units",
                 "tutorial_tanh_training_strip", "tutorial_relu_before", "tutorial_relu_after", "tutorial_relu_loss",
                 "mnist_first_five", "mnist_single_layer_history"],
    "Problem 1": ["p1_relu_xor"],
    "Problem 3": ["p3_smallest_relu_xor", "p3_units", "p3_skip_one_unit"],
    "Problem 4": ["p4_width_sweep", "p4_hinges"],
    "Problem 5": ["p5_tanh_history"],
    "Problem 6": ["p6_relu_history"],
    "Problem 7": ["p7_overlay", "p7_inside", "p7_deep_init", "p7_confusion_matrix", "p7_misclassified"],
    "Wider vs deeper": ["wider_vs_deeper"],
}
HEADINGS = ["## Tutorial 1", "## Tutorial 2", "## Tutorial 3", "## Tutorial 4", "## Tutorial 5", "## Tutorial 6",
            "## Problem 1", "## Problem 2", "## Problem 3", "## Problem 4", "### Problem 5", "### Problem 6",
            "## Problem 7", "## Wider vs deeper"]


def get(d, path, default=None):
    for key in path.split("."):
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def checks(results, nb, figures_dir):
    """Yield (section, description, passed)."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c.get("execution_count") for c in code]
    errors = sum(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    yield "Notebook", "every code cell executed, counts in order", None not in counts and counts == sorted(counts) and len(set(counts)) == len(counts)
    yield "Notebook", "no error outputs", errors == 0
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for h in HEADINGS:
        yield "Notebook", f"heading '{h}'", h in text
    for section, names in FIGURES.items():
        for name in names:
            yield section, f"figure {name}.png", (figures_dir / f"{name}.png").is_file()
    r = results
    yield "Tutorial", "hand backprop step equals Keras's (< 1e-6)", (get(r, "backprop_max_abs_diff", 1.0) or 1.0) < 1e-6
    yield "Tutorial", "tanh XOR net accuracy 1.0", get(r, "tutorial.tanh_xor_accuracy") == 1.0
    yield "Tutorial", "single-layer MNIST test accuracy > 0.91", (get(r, "tutorial.mnist_single_layer_test_accuracy", 0) or 0) > 0.91
    yield "Problem 1", "evaluate() accuracy 1.0", get(r, "xor.p1.accuracy") == 1.0
    yield "Problem 1", "success rate >= 99% over >= 100 seeds", (get(r, "xor.p1.success_rate", 0) or 0) >= 0.99 and (get(r, "xor.p1.seeds", 0) or 0) >= 100
    yield "Problem 2", "ablation measured", bool(get(r, "xor.ablation"))
    yield "Problem 3", "evaluate() accuracy 1.0", get(r, "xor.p3.accuracy") == 1.0
    yield "Problem 3", "smaller than Problem 1", (get(r, "xor.p3.params", 1e9) or 1e9) < (get(r, "xor.p1.params", 0) or 0)
    yield "Problem 3", "skip-connection question answered", isinstance(get(r, "xor.p3.skip_connection_one_unit"), bool)
    yield "Problem 4", "width sweep for ReLU and tanh, widths 1-8", all(len(get(r, f"xor.width_sweep.{a}", {}) or {}) >= 8 for a in ("relu", "tanh"))
    for n, act in ((5, "tanh"), (6, "relu")):
        yield f"Problem {n}", "test accuracy > 0.98", (get(r, f"mnist.{act}.test_accuracy", 0) or 0) > 0.98
        yield f"Problem {n}", "validation split >= 0.2", (get(r, f"mnist.{act}.validation_split", 0) or 0) >= 0.2
    yield "Problem 1", "95% interval on the success rate", len(get(r, "xor.p1.ci95", []) or []) == 2
    cmp = get(r, "mnist.comparison", {}) or {}
    seeds = cmp.get("seeds", [])
    yield "Problem 7", "tanh vs ReLU over >= 4 seeds, one test accuracy per seed", (
        len(seeds) >= 4 and all(len(cmp.get(a, [])) == len(seeds) for a in ("tanh", "relu")))
    yield "Problem 7", "every seed above 98% test accuracy", bool(seeds) and all(v > 0.98 for a in ("tanh", "relu") for v in cmp.get(a, [0]))
    yield "Problem 7", "diagnostics measured for both nets", all(get(r, f"mnist.{a}.diagnostics") for a in ("tanh", "relu"))
    wvd = get(r, "mnist.wider_vs_deeper", []) or []
    yield "Wider vs deeper", "parameter-matched runs for tanh and ReLU", len(wvd) >= 6 and {w.get("activation") for w in wvd} == {"tanh", "relu"}
    yield "Wider vs deeper", ">= 3 seeds per shape, one validation accuracy per seed", bool(wvd) and all(
        len(w.get("seeds", [])) >= 3 and len(w.get("val_accuracy", [])) == len(w.get("seeds", [])) for w in wvd)


def main():
    # `make grade` points LAB4_OUTPUT_DIR at the folder its notebook run wrote results.json and figures/ into.
    out = Path(os.environ.get("LAB4_OUTPUT_DIR") or ROOT)
    missing = [str(p) for p in (out / "results.json", ROOT / "lab4.ipynb") if not p.is_file()]
    if missing:
        sys.exit(f"grade: {', '.join(missing)} not found: run `make lab` (or `make grade`) first")
    results = json.loads((out / "results.json").read_text())
    nb = json.loads((ROOT / "lab4.ipynb").read_text())
    failed = 0
    section = None
    for sec, what, ok in checks(results, nb, out / "figures"):
        if sec != section:
            print(f"\n{sec}")
            section = sec
        print(f"  [{'ok' if ok else 'MISSING'}] {what}")
        failed += not ok
    total = sum(1 for _ in checks(results, nb, out / "figures"))
    print(f"\ngrade: {total - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
