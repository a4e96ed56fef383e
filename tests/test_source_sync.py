"""Each notebook and its percent-format script are a Jupytext pair: the test fails when their cells
differ."""

from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [("lab4.ipynb", "src/lab4.py"), ("evidence.ipynb", "src/evidence.py")]


def cells(nb):
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]


@pytest.mark.parametrize("notebook, script", PAIRS)
def test_notebook_and_percent_script_hold_the_same_cells(notebook, script):
    a = cells(nbformat.read(ROOT / notebook, as_version=4))
    b = cells(jupytext.read(ROOT / script))
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    assert a == b, (
        f"{notebook} and {script} differ from cell {first} on ({len(a)} vs {len(b)} cells): "
        "run `make sync` (without make: `python tools/sync_guard.py --notebook ... --script ...`), "
        "which copies the edited file's cells into the other and stops without writing when both "
        "were edited; not `jupytext --sync`, which keeps whichever file is newer"
    )


@pytest.mark.parametrize("notebook", [n for n, _ in PAIRS])
def test_notebook_has_a_papermill_parameters_cell_with_seed(notebook):
    nb = nbformat.read(ROOT / notebook, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "SEED =" in tagged[0].source and "OUTPUT_DIR =" in tagged[0].source
