"""The committed notebooks are clean executed notebooks, and their HTML exports are self-contained
(tests/test_export.py checks that the committed HTML files are those exports)."""

import json
import re
from pathlib import Path

import pytest
from exporting import export_html

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ["lab4.ipynb", "evidence.ipynb"]
LOG_NOISE = re.compile(r"E0000|I0000|W0000|absl::|cuInit|oneDNN|This TensorFlow binary")


def _load(name):
    return json.loads((ROOT / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_is_executed_in_order_without_errors_or_log_noise(name):
    code = [c for c in _load(name)["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert None not in counts and counts == list(range(1, len(code) + 1)), name
    for c in code:
        for o in c["outputs"]:
            text = "".join(o.get("text", ""))
            assert o["output_type"] != "error", "".join(c["source"])[:80]
            assert "Traceback (most recent call last)" not in text
            assert not (o.get("name") == "stderr" and text.strip()), f"stderr: {text[:200]}"
            assert not LOG_NOISE.search(text), text[:200]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_html_export_embeds_figures_and_math(name, tmp_path):
    nb = _load(name)
    html = export_html(ROOT / name, tmp_path, name=Path(name).stem).read_text(encoding="utf-8")
    images = sum(
        "image/png" in o.get("data", {}) and "text/latex" not in o["data"]
        for c in nb["cells"]
        for o in c.get("outputs", [])
    )
    assert images >= 5
    assert html.count("data:image/png;base64,") >= images  # every figure embedded as data
    assert 'src="figures/' not in html
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html)
    assert "window.MathJax = {" in html and 'id="MathJax-script"' not in html
    alts = re.findall(r'<img[^>]*?alt="([^"]*)"', html)
    assert len(alts) == len(re.findall(r"<img\b", html)) and all(a.strip() for a in alts)
