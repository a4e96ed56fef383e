"""How lab4.html is exported, in one place: `make html` and the tests both run

    jupyter nbconvert --config export/jupyter_nbconvert_config.py --to html lab4.ipynb

The ``lab4`` template (export/templates/lab4) is JupyterLab's HTML template with four changes, so the
file reads the same offline as online, stays one self-contained file and shows no stray scroll bars:

* math: MathJax 3 (``tex-svg-full.js``, SVG output, no web fonts) is inlined from the pinned PyPI
  package ``django-static-mathjax`` instead of MathJax 2 loaded from a CDN (without the package: the
  same MathJax 3 from a CDN, with a one-line warning). It typesets the Markdown's
  ``$...$``/``$$...$$`` and SymPy's ``text/latex`` outputs (the weight matrices) as Jupyter does;
* figures: the ``alt`` text that ``helpers.plots.show`` stores in each PNG output's metadata becomes
  the ``<img alt=...>`` (nbconvert's template drops it);
* no scripts from the network: require.js, the widget manager and mermaid are left out (the notebook
  has no widgets and no diagrams);
* no vertical scroll bar beside SymPy's matrices: LaTeX outputs hide vertical overflow (MathJax's
  display math is a few pixels taller than the output box) and still scroll sideways.
"""

import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

HERE = Path(__file__).resolve().parent
MATHJAX_FILE = "tex-svg-full.js"
# Used only when the package is missing: the same MathJax 3 build, from a CDN.
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3.2.2/es5/tex-svg-full.js"


def mathjax_dir():
    """The folder holding MathJax 3's combined ``es5`` components, from the django-static-mathjax wheel, or
    None (with a one-line warning) when the package is missing: the export then loads MathJax from the CDN."""
    try:
        folder = Path(distribution("django-static-mathjax").locate_file("mathjax/static/mathjax/es5"))
    except PackageNotFoundError:
        folder = None
    if folder is None or not (folder / MATHJAX_FILE).is_file():
        print("warning: django-static-mathjax is not installed, so lab4.html loads MathJax from a CDN and its "
              "math needs a network (pip install -r requirements.txt for the offline file)", file=sys.stderr)
        return None
    return folder


c = get_config()  # noqa: F821 (traitlets config file)
c.HTMLExporter.template_name = "lab4"
c.TemplateExporter.extra_template_basedirs = [str(HERE / "templates")]
_mathjax = mathjax_dir()
if _mathjax is None:
    c.HTMLExporter.mathjax_url = MATHJAX_CDN
else:
    c.HTMLExporter.mathjax_url = ""  # the template inlines the file instead
    c.TemplateExporter.extra_template_paths = [str(_mathjax)]
