"""The committed notebook is a clean executed notebook, its HTML export is self-contained,
and the grading checklist can fail."""

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import grade
from exporting import export_html

ROOT = Path(__file__).resolve().parent.parent
NB = ROOT / "lab4.ipynb"


@pytest.fixture(scope="module")
def nb():
    return json.loads(NB.read_text(encoding="utf-8"))


def test_committed_notebook_is_executed_in_order_without_errors(nb):
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert None not in counts and counts == list(range(1, len(code) + 1))
    for c in code:
        for o in c["outputs"]:
            assert o["output_type"] != "error", "".join(c["source"])[:80]
            assert "Traceback (most recent call last)" not in "".join(o.get("text", ""))


def test_html_export_embeds_figures_math_and_headings(nb, tmp_path):
    # exported as `make html` does (export/jupyter_nbconvert_config.py); tests/test_html_browser.py
    # renders it
    export_html(NB, tmp_path)
    html = (tmp_path / "lab4.html").read_text(encoding="utf-8")
    # figures: PNG outputs that are not SymPy's LaTeX renderings (those are typeset by MathJax
    # instead)
    images = sum(
        "image/png" in o.get("data", {}) and "text/latex" not in o["data"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c["outputs"]
    )
    assert images >= len(grade.FIGURES["Problem 7"]) + 10
    assert html.count("data:image/png;base64,") >= images  # every figure embedded as data
    assert 'src="figures/' not in html  # nothing that needs a file beside the HTML
    assert not re.search(
        r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html
    )  # no script, style or image from the web
    # MathJax 3 inlined (not loaded from a CDN), and every SymPy output left for it as TeX
    assert (
        "window.MathJax = {" in html
        and "MathJax 3.2.2 (tex-svg-full.js" in html
        and 'id="MathJax-script"' not in html
    )
    assert html.count('data-mime-type="text/latex"') == sum(
        "text/latex" in o.get("data", {})
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c["outputs"]
    )
    # every figure carries its own description
    alts = re.findall(r'<img[^>]*?alt="([^"]*)"', html)
    assert len(alts) == len(re.findall(r"<img\b", html)) and all(a.strip() for a in alts)
    assert "No description has been provided" not in html
    assert (
        "Traceback (most recent call last)" not in html and 'class="ansi-red-fg">Error' not in html
    )
    for heading in grade.HEADINGS:
        assert heading.lstrip("#").strip() in html, heading


def test_grade_checklist_fails_when_a_target_is_missed(nb, tmp_path):
    good = {
        "backprop_max_abs_diff": 1e-8,
        "tutorial": {"tanh_xor_accuracy": 1.0, "mnist_single_layer_test_accuracy": 0.92},
        "mnist": {
            "relu": {"test_accuracy": 0.99, "validation_split": 0.2},
            "tanh": {"test_accuracy": 0.97, "validation_split": 0.2},
        },
    }
    good["mnist"]["comparison"] = {"seeds": [1, 2, 3], "tanh": [0.99] * 3, "relu": [0.99] * 3}
    good["wider_vs_deeper"] = {f"arm {i}": [{"val_accuracy": 0.9}] for i in range(12)}  # 1 seed
    rows = {(sec, what): ok for sec, what, ok in grade.checks(good, nb, tmp_path)}
    assert (
        rows[("Problem 7", "tanh vs ReLU over >= 4 seeds, one test accuracy per seed")] is False
    )  # 3 seeds
    wvd = "parameter-matched depths 1-8 for tanh and ReLU (Glorot and He), >= 2 seeds each"
    assert rows[("Wider vs deeper", wvd)] is False  # 1 seed per cell
    good["wider_vs_deeper"] = {f"arm {i}": [{"val_accuracy": 0.9}] * 2 for i in range(12)}
    rows_2 = {(sec, what): ok for sec, what, ok in grade.checks(good, nb, tmp_path)}
    assert rows_2[("Wider vs deeper", wvd)] is True
    assert rows[("Problem 6", "test accuracy > 0.98")] is True
    assert rows[("Problem 5", "test accuracy > 0.98")] is False  # 97% is below the bar
    assert rows[("Problem 1", "figure p1_relu_xor.png")] is False  # empty figures folder
