"""benchmarks/grade.py reads the lab's requirements from any notebook's outputs: tested on small
synthetic notebooks (no TensorFlow). One test runs a two-cell notebook under nbval to check that
`--run` grades the run it has just made and stops at the first failing cell."""

import json
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import grade

ROOT = Path(__file__).resolve().parent.parent

PNG = {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
ANSWER = " ".join(["This answer explains the choice with evidence from the runs above."] * 8)


def code(source, *outputs, count=None):
    cell = new_code_cell(source, execution_count=count)
    cell.outputs = list(outputs)
    return cell


def stream(text):
    return new_output("stream", name="stdout", text=text)


def image():
    return new_output("display_data", data=PNG)


def student_notebook(mnist_acc="0.9850", split="0.2", history_plot=True, answers=True):
    """A notebook written without this project's helpers, as a student might hand it in."""
    cells = [
        new_markdown_cell("# Open Lab 4\nMy solutions."),
        code("import numpy as np"),
        new_markdown_cell("## Problem 1\nA ReLU net for XOR."),
        code(
            "history = model.fit(X, Y, epochs=500, verbose=0)\nplt.plot(history.history['loss'])",
            image(),
        ),
        code(
            "predictions = model.predict(positions)\nplt.plot(zeros[:,0], zeros[:,1], 'ro')",
            image(),
        ),
        code(
            "score = model.evaluate(X, Y, verbose=1)\nprint('Accuracy:', score[1])",
            stream(
                "1/1 \x1b[32m━━━━\x1b[0m 0s 3ms/step - binary_accuracy: 1.0000 - loss: 0.0100\n"
                "Accuracy: 1.0\n"
            ),
        ),
        new_markdown_cell("## Problem 2\n" + (ANSWER if answers else "")),
        new_markdown_cell("**Problem 3** the smallest net"),
        code(
            "h = small.fit(X, Y, verbose=0)\nplot_boundary(small)\nplt.plot(h.history['loss'])",
            image(),
        ),
        code(
            "small.evaluate(X, Y)",
            new_output(
                "execute_result",
                data={"text/plain": "{'accuracy': 1.0, 'loss': 0.02}"},
                execution_count=5,
            ),
        ),
        new_markdown_cell("## Problem 4\n" + (ANSWER if answers else "")),
        new_markdown_cell("## Problems 5 and 6\nBoth MNIST nets use the same split."),
        code("VAL = " + split + "  # validation_split=0.9 in a comment does not count"),
        new_markdown_cell("### Problem 5"),
        code(
            "history = tanh_net.fit(x, y, validation_split=VAL, "
            "verbose=0)\nplt.plot(history.history['val_accuracy'])",
            image() if history_plot else stream("no plot\n"),
        ),
        code(
            "score = tanh_net.evaluate(x_test, y_test, verbose=0)\nprint('Test accuracy:', "
            "score[1])",
            stream(f"Test accuracy: {mnist_acc}\n"),
        ),
        new_markdown_cell("### Problem 6"),
        code(
            "history = relu_net.fit(x, y, "
            "validation_split=0.25)\nplt.plot(history.history['val_accuracy'])",
            image(),
        ),
        code(
            "print(relu_net.evaluate(x_test, y_test, return_dict=True))",
            stream("Epoch 1 - val_accuracy: 0.9990\n"),
            stream("{'accuracy': 0.9871, 'loss': 0.05}\n"),
        ),
        new_markdown_cell("## Problem 7\n" + (ANSWER if answers else grade.PROMPTS[7])),
        new_markdown_cell("## Wider vs deeper\nNot a problem of the assignment."),
        code("plt.plot([1, 2])", image()),
    ]
    nb = new_notebook(cells=cells)
    for i, c in enumerate(c for c in nb.cells if c.cell_type == "code"):
        c.execution_count = i + 1
    return nb


def rows(nb, failure=None):
    return {
        (sec, what): (ok, evidence) for sec, what, ok, evidence in grade.lab_checks(nb, failure)
    }


def test_problem_numbers_and_sections():
    assert grade.problem_numbers("Problems 5 and 6: MNIST") == {5, 6}
    assert grade.problem_numbers("Problems 1-4 (XOR)") == {1, 2, 3, 4}
    assert grade.problem_numbers("Question #2") == {2}
    nb = student_notebook()
    secs = grade.sections(nb.cells)
    assert set(secs) == {1, 2, 3, 4, 5, 6, 7}
    shared = (
        11  # the 'Problems 5 and 6' cell belongs to both, each subsection to its own problem only
    )
    assert shared in secs[5] and shared in secs[6]
    assert 14 in secs[5] and 14 not in secs[6] and 17 in secs[6] and 17 not in secs[5]
    assert 21 not in secs[7]  # '## Wider vs deeper' ends Problem 7


def test_accuracies_are_read_from_keras_and_print_outputs():
    assert grade.accuracies("313/313 - 1s - accuracy: 0.9812 - loss: 0.06") == [0.9812]
    assert grade.accuracies("Test accuracy: 98.5%") == [0.985]
    assert grade.accuracies("{'accuracy': 0.99, 'loss': 0.1}") == [0.99]
    assert grade.accuracies("accuracy: 0.9 - val_accuracy: 0.95") == [0.9]
    # Keras's verbose=1 progress bar: carriage returns and backspaces leave only the last state
    out = stream("1/2 acc: 0.5000\r\x08\x08\x082/2 accuracy: 0.7500\n")
    assert grade.accuracies(grade.output_text(out)) == [0.75]


def test_a_complete_student_notebook_meets_every_requirement():
    r = rows(student_notebook())
    failed = {k: v for k, v in r.items() if not v[0]}
    assert not failed, failed
    assert (
        r[("Problem 5", "validation split >= 0.2")][1] == "0.2"
    )  # resolved through VAL, comment ignored
    assert r[("Problem 6", "validation split >= 0.2")][1] == "0.25"
    assert (
        "0.9871" in r[("Problem 6", "evaluate() prints test accuracy > 98%")][1]
    )  # val_accuracy left out


def test_missed_targets_fail_their_rows_only():
    r = rows(student_notebook(mnist_acc="0.9790", split="0.1", history_plot=False, answers=False))
    assert r[("Problem 5", "evaluate() prints test accuracy > 98%")][0] is False
    assert r[("Problem 5", "validation split >= 0.2")][0] is False
    assert r[("Problem 5", "training history plot")][0] is False
    assert r[("Problem 6", "evaluate() prints test accuracy > 98%")][0] is True
    for n in (2, 4, 7):  # the lab's own prompt, pasted, is not an answer
        assert r[(f"Problem {n}", "written answer")][0] is False
    assert r[("Problem 1", "evaluate() prints 100% accuracy on the 4 XOR patterns")][0] is True


def test_errors_and_unrun_cells_fail_execution():
    nb = student_notebook()
    nb.cells[1].outputs = [
        new_output("error", ename="TypeError", evalue="bad \x1b[31marg\x1b[0m", traceback=[])
    ]
    ok, evidence = rows(nb)[("Notebook", "executes top to bottom without errors")]
    assert ok is False and "TypeError: bad arg" in evidence
    nb = student_notebook()
    nb.cells[3].execution_count = None
    assert rows(nb)[("Notebook", "executes top to bottom without errors")][0] is False
    failure = {
        "code_cell": 3,
        "source": "x",
        "error": "ValueError: Argument(s) not recognized: {'lr': 0.1}",
    }
    ok, evidence = rows(student_notebook(), failure)[
        ("Notebook", "executes top to bottom without errors")
    ]
    assert ok is False and "code cell 3" in evidence and "'lr'" in evidence


def test_seed_tutorial_fixture_fails_every_problem_row():
    nb = nbformat.read(str(ROOT / "tests" / "fixtures" / "seed_tutorial.ipynb"), as_version=4)
    assert sum(c.cell_type == "code" for c in nb.cells) >= 35
    r = rows(nb)
    assert r[("Notebook", "executes top to bottom without errors")][0] is False  # never executed
    problem_rows = {k: v for k, v in r.items() if k[0].startswith("Problem")}
    assert len(problem_rows) == sum(len(v) for v in grade.REQUIRED.values())
    assert all(not ok and "no answer found" in ev for ok, ev in problem_rows.values())


def test_seed_fixture_is_what_the_builder_makes(tmp_path):
    seed = Path("/work/shared/seed/open-lab-4.txt")
    if not seed.is_file():
        pytest.skip(f"the seed lab text is not here ({seed})")
    from tools import make_seed_fixture

    make_seed_fixture.build(seed, tmp_path / "fixture.ipynb")
    assert (tmp_path / "fixture.ipynb").read_text(encoding="utf-8") == (
        ROOT / "tests" / "fixtures" / "seed_tutorial.ipynb"
    ).read_text(encoding="utf-8")


def test_stale_results_json_is_refused(tmp_path, monkeypatch, capsys):
    (tmp_path / "src").mkdir()
    for name in ("results.json", "lab4.ipynb", "src/lab4.py"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    old = time.time() - 3600
    os.utime(tmp_path / "results.json", (old, old))
    monkeypatch.setattr(grade, "ROOT", tmp_path)
    monkeypatch.delenv("LAB4_OUTPUT_DIR", raising=False)
    with pytest.raises(SystemExit) as exc:
        grade.check_committed()
    message = str(exc.value)
    assert "older than src/lab4.py" in message and "\n" not in message


def test_run_grades_the_run_it_made_and_stops_at_the_first_failure(tmp_path, capsys):
    # a notebook whose saved outputs claim success; the run itself fails in its second cell
    nb = new_notebook(
        cells=[
            new_markdown_cell("## Problem 1"),
            code(
                "score = [0.1, 1.0]  # evaluate(\nprint('accuracy:', score[1])",
                stream("accuracy: 0.5\n"),
                count=1,
            ),
            code("raise ValueError('broken on purpose')", count=2),
            code("print('never runs')", stream("never runs\n"), count=3),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "student.ipynb"
    nbformat.write(nb, str(path))
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("lab4-grade-*"))
    failed = grade.run_and_grade(path)
    out = capsys.readouterr().out
    assert failed > 0
    assert "stopped at code cell 2" in out and "ValueError: broken on purpose" in out
    assert "raise ValueError" in out  # the failing cell's source head
    # the accuracy is the one this run printed (1.0), not the saved 0.5
    assert "[ok] evaluate() prints 100% accuracy on the 4 XOR patterns: 1 (code cell 1)" in out
    assert "extras: not graded" in out
    assert (
        set(Path(os.environ.get("TMPDIR", "/tmp")).glob("lab4-grade-*")) == before
    )  # temp folder removed
    assert json.loads(path.read_text(encoding="utf-8"))["cells"][3][
        "outputs"
    ]  # the student's file untouched
