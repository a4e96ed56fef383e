"""Keras 2 spellings in a submission, found before it runs: each is reported with its cell, its
line and the Keras 3 spelling, so a student who followed the lab's own (Keras 2) code reads what to
change instead of a traceback.

`errors` stop the code under Keras 3 (TensorFlow 2.16+); `notes` still run but are Keras 2 idioms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (pattern, what Keras 3 spells, is it an error under Keras 3)
RULES = [
    (
        r"\b(?:SGD|Adam|Nadam|RMSprop|Adagrad|Adadelta|Adamax|Ftrl)\s*\([^)]*\blr\s*=",
        "the optimizer's `lr=` is `learning_rate=` in Keras 3, e.g. "
        "keras.optimizers.SGD(learning_rate=0.1)",
        True,
    ),
    (
        r"\b(?:SGD|Adam|Nadam|RMSprop|Adagrad|Adadelta|Adamax)\s*\([^)]*\bdecay\s*=",
        "optimizers take no `decay=` in Keras 3: pass a schedule, "
        "learning_rate=keras.optimizers.schedules.InverseTimeDecay(...)",
        True,
    ),
    (
        r"\boptimizers\.legacy\b",
        "keras.optimizers.legacy does not exist in Keras 3: use keras.optimizers.SGD (or Adam...)",
        True,
    ),
    (
        r"\.predict_classes\s*\(",
        "predict_classes() was removed: use np.argmax(model.predict(x), axis=-1) "
        "(or > 0.5 for one sigmoid output)",
        True,
    ),
    (
        r"\.(?:fit|evaluate|predict)_generator\s*\(",
        "fit_generator, evaluate_generator and predict_generator were removed: call fit, "
        "evaluate, predict",
        True,
    ),
    (
        r"\bnp_utils\b",
        "keras.utils.np_utils was removed: use keras.utils.to_categorical",
        True,
    ),
    (
        r"""\[\s*['"](?:val_)?acc['"]\s*\]""",
        "history keys are 'accuracy' and 'val_accuracy' (or the metric's name) in Keras 3, "
        "not 'acc' and 'val_acc'",
        True,
    ),
    (
        r"\bmnist\.load_data\s*\(",
        "keras.datasets.mnist.load_data() downloads MNIST, and grading runs offline: use "
        "`from helpers import data` and `data.load_mnist()` (same arrays)",
        True,
    ),
    (
        r"^\s*(?:from\s+tensorflow\.keras\b|import\s+tensorflow\.keras\b)",
        "`tensorflow.keras` is Keras 3 under another name here; the Keras 3 spelling is "
        "`import keras`",
        False,
    ),
    (
        r"\binput_dim\s*=",
        "`input_dim=` on a layer is a Keras 2 idiom (Keras 3 warns): start the model with "
        "keras.Input(shape=(2,)), e.g. keras.Sequential([keras.Input(shape=(2,)), ...])",
        False,
    ),
]
COMPILED = [(re.compile(p, re.MULTILINE), fix, err) for p, fix, err in RULES]


@dataclass
class Finding:
    cell: int  # 1-based among the notebook's cells, as Jupyter shows their order
    line: int  # 1-based within the cell
    code: str
    fix: str
    error: bool

    def __str__(self):
        kind = "Keras 2 (fails under Keras 3)" if self.error else "Keras 2 idiom (still runs)"
        return f"cell {self.cell}, line {self.line}: `{self.code}`: {kind}: {self.fix}"


def _strip_comment(line):
    # good enough for a notebook cell: a '#' outside quotes starts a comment
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            return line[:i]
    return line


def scan_source(source: str, cell: int) -> list[Finding]:
    code_lines = [_strip_comment(line) for line in source.splitlines()]
    text = "\n".join(code_lines)
    found = []
    for pattern, fix, err in COMPILED:
        for m in pattern.finditer(text):
            # report the line where the Keras 2 argument itself sits
            line_no = text.count("\n", 0, m.end() - 1) + 1
            found.append(Finding(cell, line_no, source.splitlines()[line_no - 1].strip(), fix, err))
    return sorted(found, key=lambda f: f.line)


def scan_notebook(nb) -> list[Finding]:
    """Findings in every code cell of an nbformat notebook, in cell order."""
    found = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            found.extend(scan_source(cell.source, index))
    return found
