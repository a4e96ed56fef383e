"""The committed notebook reads as a model answer: each problem opens with the lab's question and a
short answer, prose is Markdown (not strings built in code), the main body is short, and the
notebook stays small.

Each test prints the figure it checks, so `pytest -s tests/test_notebook_shape.py` gives the
numbers."""

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "lab4.ipynb"
HEADINGS = [f"## Problem {n}" for n in range(1, 8)] + ["## The lab's open questions"]


def _cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def _words(text):
    return len(re.findall(r"[A-Za-z0-9]+", text))


def _appendix_index(cells):
    return next(
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown" and _text(c["source"]).startswith("# Appendix")
    )


def _prose(text):
    """Markdown words a reader reads: table rows are data, not prose."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))


def test_every_problem_opens_with_the_quoted_question_and_a_short_answer():
    cells = _cells()
    for heading in HEADINGS:
        cell = next(
            (c for c in cells if c["cell_type"] == "markdown" and heading in _text(c["source"])),
            None,
        )
        assert cell is not None, f"no Markdown cell with the heading {heading!r}"
        after = _text(cell["source"]).split(heading, 1)[1]
        blocks = [b.strip() for b in after.split("\n\n") if b.strip()]
        assert blocks[1].startswith(">"), (
            f"{heading}: the lab's question (a > blockquote) must follow the heading"
        )
        answer = next((b for b in blocks if b.startswith("**Answer.**")), None)
        assert answer is not None and blocks.index(answer) == 2, (
            f"{heading}: **Answer.** must follow the question"
        )
        n = _words(answer) - 1
        print(f"{heading}: answer of {n} words")
        assert n <= 150, f"{heading}: the answer has {n} words (at most 150)"
        assert "PLACEHOLDER" not in answer


def test_size_targets():
    cells = _cells()
    appendix = _appendix_index(cells)
    before = sum(
        _words(_prose(_text(c["source"]))) for c in cells[:appendix] if c["cell_type"] == "markdown"
    )
    total = sum(_words(_prose(_text(c["source"]))) for c in cells if c["cell_type"] == "markdown")
    rendered = 0
    for c in cells:
        for out in c.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if md:
                rendered += _words(_prose(_text(md)))
    print(
        f"prose before the appendix {before} words, whole notebook {total}, Markdown rendered by "
        f"code {rendered}"
    )
    assert before <= 3500 and total <= 6000 and rendered <= 300, (before, total, rendered)


def test_the_notebook_defines_few_functions_and_keeps_main_cells_short():
    cells = _cells()
    appendix = _appendix_index(cells)
    source = "\n".join(_text(c["source"]) for c in cells if c["cell_type"] == "code")
    clean = "\n".join(
        line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
    )
    functions = [
        n.name
        for n in ast.walk(ast.parse(clean))
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    longest = max(
        len(_text(c["source"]).splitlines()) for c in cells[:appendix] if c["cell_type"] == "code"
    )
    print(
        f"functions defined in the notebook: {functions}; longest main-body code cell: {longest} "
        "lines"
    )
    assert len(functions) <= 5, functions
    assert longest <= 30, f"a main-body code cell has {longest} lines (at most 30)"


@pytest.mark.parametrize(
    "stale", ["unseen", "causal", "separated", "code gap", "parallel cuts", "display(Markdown(f"]
)
def test_no_coined_or_stale_terms_in_what_a_reader_sees(stale):
    cells = _cells()
    markdown = " ".join(_text(c["source"]) for c in cells if c["cell_type"] == "markdown").lower()
    code = " ".join(_text(c["source"]) for c in cells if c["cell_type"] == "code")
    if stale == "display(Markdown(f":
        assert stale not in code, "prose is built in code"
    else:
        assert stale not in markdown, f"{stale!r} in the notebook's prose"


def test_every_assert_in_the_notebook_says_what_it_measured():
    """A failing grading run shows the measured value and the bar (issue 19, finding 12)."""
    source = "\n".join(_text(c["source"]) for c in _cells() if c["cell_type"] == "code")
    lines = source.splitlines()
    clean = "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))
    asserts = [n for n in ast.walk(ast.parse(clean)) if isinstance(n, ast.Assert)]
    bare = [ast.unparse(n.test)[:60] for n in asserts if n.msg is None]
    print(f"{len(asserts)} asserts, {len(bare)} without a message")
    assert asserts and not bare, bare


def test_mnist_is_loaded_and_checked_before_the_xor_work():
    """A bad MNIST file fails in the first cells, not minutes in (issue 19, finding 13)."""
    code = [_text(c["source"]) for c in _cells() if c["cell_type"] == "code"]
    first = next(i for i, src in enumerate(code) if "data.load_mnist()" in src)
    xor_work = next(i for i, src in enumerate(code) if "xor." in src)
    assert first < xor_work and first <= 3, (first, xor_work)
