"""The HTML export: the committed lab4.html and evidence.html are the exports of their notebooks,
and the export still works (MathJax from a CDN, one warning line) when django-static-mathjax is
missing."""

import importlib.metadata
import re
from pathlib import Path

import pytest
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from traitlets.config import Config
from exporting import export_html

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "export" / "jupyter_nbconvert_config.py"
HTML = ROOT / "lab4.html"


def load_config():
    """Run export/jupyter_nbconvert_config.py as Jupyter does (a get_config() in its namespace)."""
    cfg = Config()
    code = compile(CONFIG.read_text(encoding="utf-8"), str(CONFIG), "exec")
    exec(code, {"get_config": lambda: cfg, "__file__": str(CONFIG), "__name__": "nbconvert_config"})
    return cfg


def small_notebook():
    cell = new_code_cell("sp.Matrix([1])", execution_count=1)
    cell.outputs = [
        new_output(
            "execute_result",
            data={
                "text/latex": "$\\displaystyle \\left[\\begin{matrix}1\\end{matrix}\\right]$",
                "text/plain": "Matrix([[1]])",
            },
            execution_count=1,
        )
    ]
    return new_notebook(cells=[new_markdown_cell("# Math\n$\\sigma(x) = 1/(1+e^{-x})$"), cell])


def test_mathjax_is_inlined_from_the_package():
    cfg = load_config()
    assert cfg.HTMLExporter.mathjax_url == ""
    html, _ = HTMLExporter(config=cfg).from_notebook_node(small_notebook())
    assert "inlined so the math renders offline" in html and 'id="MathJax-script"' not in html
    assert len(html) > 1_000_000  # MathJax itself is in the file


def test_missing_mathjax_package_falls_back_to_the_cdn_with_one_warning(monkeypatch, capsys):
    real = importlib.metadata.distribution

    def distribution(name):  # as if django-static-mathjax were not installed
        if name == "django-static-mathjax":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "distribution", distribution)
    cfg = load_config()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(
        "warning: django-static-mathjax is not installed"
    )
    assert (
        cfg.HTMLExporter.mathjax_url.startswith("https://")
        and "mathjax@3" in cfg.HTMLExporter.mathjax_url
    )
    html, _ = HTMLExporter(config=cfg).from_notebook_node(small_notebook())
    assert re.search(
        rf'<script[^>]*id="MathJax-script"[^>]*src="{re.escape(cfg.HTMLExporter.mathjax_url)}"',
        html,
    )
    assert "window.MathJax = {" in html  # the same MathJax 3 configuration as the inlined file
    assert "inlined so the math renders offline" not in html and len(html) < 1_000_000


def comparable(html):
    """What a reader sees, for comparing two exports: line endings made LF (a Windows checkout may
    have CRLF), <style> and <script> bodies dropped (nbconvert's CSS and MathJax, fixed by the lock;
    a patch release of nbconvert or the Pygments theme must not fail this test), whitespace runs
    made one space. Every cell's source and output text, image data, alt text and heading stays
    in."""
    html = html.replace("\r\n", "\n")
    html = re.sub(r"(?is)<(style|script)\b([^>]*)>.*?</\1>", r"<\1\2></\1>", html)
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("stem", ["lab4", "evidence"])
def test_committed_html_is_the_export_of_the_committed_notebook(stem, tmp_path):
    # The export is deterministic (two exports are byte-identical: no timestamps, ids or paths), so
    # a difference after `comparable` means the HTML was not regenerated after its notebook changed.
    export_html(ROOT / f"{stem}.ipynb", tmp_path, name=stem)
    fresh = comparable((tmp_path / f"{stem}.html").read_text(encoding="utf-8"))
    committed = comparable((ROOT / f"{stem}.html").read_text(encoding="utf-8"))
    if fresh != committed:
        i = next(
            (k for k, (a, b) in enumerate(zip(fresh, committed)) if a != b),
            min(len(fresh), len(committed)),
        )
        pytest.fail(
            f"{stem}.html is not the export of {stem}.ipynb: run `make html` and commit it. First "
            "difference "
            f"at character {i}:\n  committed: ...{committed[max(0, i - 80) : i + 80]}...\n"
            f"  export:    ...{fresh[max(0, i - 80) : i + 80]}..."
        )


def test_comparison_ignores_only_what_does_not_change_the_content():
    page = (
        "<html><style>a{color:red}</style><script>var x=1;</script><p>Accuracy: 0.99</p>\r\n</html>"
    )
    assert comparable(page) == comparable(
        page.replace("color:red", "color:blue").replace("\r\n", "\n  ")
    )
    assert comparable(page) != comparable(page.replace("0.99", "0.98"))
