"""lab4.ipynb and src/lab4.py are a Jupytext pair: the test fails when their cells differ."""

from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent


def cells(nb):
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]


def test_notebook_and_percent_script_hold_the_same_cells():
    notebook = nbformat.read(ROOT / "lab4.ipynb", as_version=4)
    script = jupytext.read(ROOT / "src" / "lab4.py")
    a, b = cells(notebook), cells(script)
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    assert a == b, (
        f"lab4.ipynb and src/lab4.py differ from cell {first} on ({len(a)} vs {len(b)} cells): "
        "run `make sync` (jupytext --sync lab4.ipynb) after editing either one"
    )


def test_notebook_has_a_papermill_parameters_cell_with_seed():
    notebook = nbformat.read(ROOT / "lab4.ipynb", as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "SEED =" in tagged[0].source and "OUTPUT_DIR =" in tagged[0].source
