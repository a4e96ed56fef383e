"""The instructor's kit, end to end on small fixtures: `make assign` on a model answer in the shape
of lab4.ipynb (tests/fixtures/kit/model_answer.py), then the real grader (instructor/grade.py) on
the answer key, the student notebook as handed out, the notebook that fooled the old regex grader,
a submission at 97% on MNIST, and one in the lab's Keras 2 style.

The fixture's MNIST nets load weights saved by tools/make_kit_fixtures.py (no training in CI); the
grading path is the real one: each notebook runs in a kernel and the hidden tests evaluate its
models on the four XOR patterns and the 10,000 MNIST test images. About 2 minutes in all.
"""

import os
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from instructor import assign, grade, keras2

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "kit"
AUTO = (1, 3, 5, 6)

pytestmark = pytest.mark.skipif(
    not os.environ.get("MNIST_NPZ") and not (ROOT / "data" / "mnist.npz").exists(),
    reason="needs a local MNIST copy (MNIST_NPZ): grading runs offline",
)


def notebook(name, replace=()):
    text = (FIXTURES / f"{name}.py").read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    return jupytext.reads(text, fmt="py:percent")


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    base = tmp_path_factory.mktemp("kit")
    os.environ["LAB4_KIT_FIXTURES"] = str(FIXTURES)
    key = base / "model_answer.ipynb"
    nbformat.write(notebook("model_answer"), key)
    student = assign.assign(key, base / "dist", quiet=True)
    return {"base": base, "key": key, "dist": base / "dist", "student": student}


def run(kit, nb_or_path, name="submission.ipynb", cell_timeout=300):
    path = nb_or_path
    if not isinstance(nb_or_path, Path):
        path = kit["base"] / name
        nbformat.write(nb_or_path, path)
    return grade.grade_one(path, kit["dist"], cell_timeout=cell_timeout, timeout=900)


def auto_scores(result):
    return {n: result.rows[n][0] for n in AUTO}


def test_the_model_answer_scores_full_marks_on_every_automatic_row(kit):
    result = run(kit, kit["key"])
    assert auto_scores(result) == {1: 15, 3: 15, 5: 15, 6: 15}, grade.report(
        result, grade.load_rubric(kit["dist"])
    )
    assert not result.problems
    assert all(result.rows[n][0] is None for n in (2, 4, 7))  # by hand


def test_the_student_notebook_as_handed_out_scores_zero_and_raises_nothing_else(kit):
    result = run(kit, kit["student"])
    assert auto_scores(result) == {n: 0 for n in AUTO}
    assert result.problems == [], result.problems  # no cell raised; only the tests fail
    nb = nbformat.read(kit["student"], as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(
        r"helpers import .*\b(xor|models|training|mechanisms|stats|diagnostics|backprop)\b", code
    )
    assert "from helpers import data" in code
    text = "\n".join(c.source for c in nb.cells)
    for names in ("p1_model", "p3_history", "tanh_history", "relu_model", "VALIDATION_SPLIT"):
        assert names in text  # the names the tests need are stated
    assert "Fixture text" not in text and "evidence" not in code  # no answers, no evidence cells
    assert "not handed out" not in text
    assert len(re.findall(r"_Type your answer here", text)) == 7  # one prompt per problem


def test_the_notebook_that_fooled_the_regex_grader_scores_zero(kit):
    result = run(kit, notebook("fooling"), "fooling.ipynb")
    assert auto_scores(result) == {n: 0 for n in AUTO}


def test_97_percent_on_mnist_loses_exactly_problem_5(kit):
    nb = notebook(
        "model_answer",
        [
            (
                'saved_net("mnist_tanh.npz", [256], "tanh")',
                'saved_net("mnist_tanh97.npz", [256], "tanh")',
            )
        ],
    )
    result = run(kit, nb, "mnist97.ipynb")
    assert auto_scores(result) == {1: 15, 3: 15, 5: 0, 6: 15}
    assert "97." in result.rows[5][2] and "98%" in result.rows[5][2]


def test_keras_2_code_gets_the_line_and_the_keras_3_spelling(kit):
    nb = notebook(
        "model_answer",
        [
            (
                "optimizer=keras.optimizers.Adam(learning_rate=0.05)",
                "optimizer=SGD(lr=0.1)",
            ),
            (
                "p1_model = keras.Sequential(",
                "from tensorflow.keras.optimizers import SGD\np1_model = keras.Sequential(",
            ),
        ],
    )
    result = run(kit, nb, "keras2.ipynb")
    text = grade.report(result, grade.load_rubric(kit["dist"]))
    errors = [f for f in result.keras2 if f.error]
    assert len(errors) == 1 and "learning_rate=" in errors[0].fix
    assert "SGD(lr=0.1)" in errors[0].code
    cell = nb.cells[errors[0].cell - 1].source.splitlines()
    assert "lr=0.1" in cell[errors[0].line - 1]  # the line named is the one to change
    assert any(f"line {errors[0].line}: " in p and "learning_rate" in p for p in result.problems)
    assert "tensorflow.keras" in text and "import keras" in text  # the idiom, noted
    assert auto_scores(result) == {1: 0, 3: 15, 5: 15, 6: 15}


def test_an_endless_cell_and_a_dead_kernel_do_not_hang_the_grader(kit, tmp_path):
    endless = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("while True:\n    pass"), nbformat.v4.new_code_cell("x=1")]
    )
    result = run(kit, endless, "endless.ipynb", cell_timeout=10)
    assert any("did not finish" in p for p in result.problems)
    assert auto_scores(result) == {n: 0 for n in AUTO}
    dead = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nos._exit(1)")])
    result = run(kit, dead, "dead.ipynb")
    assert any("kernel died" in p for p in result.problems)
    assert auto_scores(result) == {n: 0 for n in AUTO}


def test_a_folder_gives_a_csv(kit, tmp_path, monkeypatch):
    folder = tmp_path / "subs"
    folder.mkdir()
    nbformat.write(notebook("fooling"), folder / "a.ipynb")
    (folder / "b.ipynb").write_text("not a notebook", encoding="utf-8")
    monkeypatch.setattr(grade, "KIT", kit["dist"])
    grade.main([str(folder), "--kit", str(kit["dist"]), "--cell-timeout", "120"])
    rows = (folder / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("submission,p1,p2,p3,p4,p5,p6,p7,auto_total")
    assert rows[1].startswith("a.ipynb,0,,0,,0,0,,0,60") and rows[2].startswith("b.ipynb,0,")


def test_the_model_answer_has_no_grading_tool_markers():
    nb = nbformat.read(ROOT / "lab4.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    for marker in ("# BEGIN QUESTION", "# BEGIN SOLUTION", "# BEGIN TESTS", "grader.check"):
        assert marker not in text


def test_keras2_scan_reports_cell_and_line():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("lr=1"),
            nbformat.v4.new_code_cell("import numpy as np\nopt = keras.optimizers.SGD(lr=0.1)"),
            nbformat.v4.new_code_cell("# SGD(lr=0.1) in a comment is fine\nh.history['acc']"),
        ]
    )
    found = keras2.scan_notebook(nb)
    assert [(f.cell, f.line, f.error) for f in found] == [(2, 2, True), (3, 2, True)]


def test_an_mlp_with_input_preprocessing_is_a_plain_net_and_a_convolution_is_not():
    """The answer key's own MNIST nets shift and standardise their input inside the model
    (RandomIntegerShift, Rescaling): weight-free layers, so still an MLP. A graded run of the
    real lab4.ipynb scored 0 on Problems 5 and 6 before this; a layer with weights of its own
    (Conv2D) is still refused."""
    import keras

    from helpers import models
    from instructor import behaviour

    def net(*front):
        return keras.Sequential(
            [
                keras.Input(shape=(784,)),
                *front,
                keras.layers.Dense(8, activation="tanh"),
                keras.layers.Dropout(0.1),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )

    behaviour.check_plain_net(
        net(models.RandomIntegerShift(2), keras.layers.Rescaling(2.0, offset=-1.0)), "m", "tanh"
    )
    conv = net(
        keras.layers.Reshape((28, 28, 1)),
        keras.layers.Conv2D(2, 3),
        keras.layers.Flatten(),
    )
    with pytest.raises(AssertionError, match="Conv2D"):
        behaviour.check_plain_net(conv, "m", "tanh")
