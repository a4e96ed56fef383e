"""Issue 26, items 1, 9 and 11: the notebook's first cell (the cell of src/lab4.py tagged
`colab-setup`, the first code cell of lab4.ipynb) in Colab, under papermill, and from the wrong
folder; requirements-notebook.txt against Colab's pins. `make colab-check` (tools/colab_check.py)
runs the cell for real over Colab's pins in a fresh virtual environment; these tests run it in this
one, with pip and git stood in for."""

import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CELL = ROOT / "src" / "lab4.py"  # the one source of the cell
jupytext = pytest.importorskip("jupytext")
packaging = pytest.importorskip("packaging.requirements")


def cell_source():
    cells = jupytext.read(CELL, fmt="py:percent").cells
    code = [c for c in cells if c.cell_type == "code"]
    assert "colab-setup" in code[0].metadata.get("tags", []), "the Colab cell must come first"
    return code[0].source


def run_cell(namespace=None):
    namespace = {} if namespace is None else namespace
    exec(compile(cell_source(), "colab_cell", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.fixture
def pip_calls(monkeypatch):
    """Record pip installs instead of running them; let git run."""
    calls, real = [], subprocess.run

    def fake(cmd, *args, **kwargs):
        if "pip" in cmd:
            calls.append(cmd[cmd.index("install") + 1 :])
            return subprocess.CompletedProcess(cmd, 0)
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", fake)
    return calls


def test_in_colab_the_cell_clones_the_repository_and_changes_into_it(
    tmp_path, monkeypatch, pip_calls, capsys
):
    """Before: a notebook opened from GitHub got a runtime without the clone, and its first cell
    failed at `from helpers import ...`, before its version check."""
    if shutil.which("git") is None:
        pytest.skip("no git")
    content = tmp_path / "content"
    content.mkdir()
    monkeypatch.chdir(content)
    monkeypatch.setenv("COLAB_RELEASE_TAG", "test")
    monkeypatch.setenv("LAB4_REPO_URL", ROOT.as_uri())
    ns = run_cell()
    assert Path.cwd() == content / "lab4" and (content / "lab4" / "helpers").is_dir()
    assert ns["IN_COLAB"] and ns["LAB4_SETUP_DONE"]
    assert "in Colab" in capsys.readouterr().out
    # this environment has everything: nothing is installed, IPython least of all
    assert pip_calls == []
    run_cell(ns)  # running it again neither clones again nor complains
    assert Path.cwd() == content / "lab4"


def test_in_colab_only_what_is_missing_is_installed_and_colabs_tensorflow_counts(
    tmp_path, monkeypatch, pip_calls
):
    repo = tmp_path / "lab4"
    (repo / "helpers").mkdir(parents=True)
    (repo / "requirements-notebook.txt").write_text(
        "tensorflow-cpu>=2.16 ; sys_platform == 'linux'\n"
        "tensorflow>=2.16 ; sys_platform != 'linux'\n"
        "ipython>=7.34\nnumpy>=1.0\nno-such-package-issue26>=1.0\nnumpy>=999\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLAB_RELEASE_TAG", "test")
    real = importlib.metadata.version

    def version(name):  # Colab's runtime: `tensorflow`, not `tensorflow-cpu`; IPython 7.34
        if name == "tensorflow-cpu":
            raise importlib.metadata.PackageNotFoundError(name)
        return {"tensorflow": "2.19.0", "ipython": "7.34.0"}.get(name) or real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    run_cell()
    assert pip_calls == [["-q", "no-such-package-issue26>=1.0", "numpy>=999"]]


def test_outside_the_repository_folder_the_cell_says_where_to_run(tmp_path, monkeypatch):
    """Before: papermill run from another folder failed with `No module named 'helpers'`."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    with pytest.raises(RuntimeError, match=r"helpers/ not found in .*papermill: add --cwd"):
        run_cell()


def test_papermill_values_above_the_first_cell_are_refused(monkeypatch):
    """Before: without the `parameters` tag papermill put `SEED = 7` above the first cell, the
    notebook's own SEED = 4850 overwrote it, and the run rewrote the committed figures."""
    monkeypatch.chdir(ROOT)
    with pytest.raises(RuntimeError, match="no cell tagged `parameters`"):
        run_cell({"SEED": 7})
    run_cell({"SEED": 7, "LAB4_SETUP_DONE": True})  # a re-run in a live session is fine


def test_papermill_without_the_parameters_tag_stops_at_the_first_cell(tmp_path):
    """The same with papermill itself, on a two-cell notebook."""
    papermill = pytest.importorskip("papermill")
    nbformat = pytest.importorskip("nbformat")
    kernelspec = pytest.importorskip("jupyter_client.kernelspec")
    if "python3" not in kernelspec.find_kernel_specs():
        pytest.skip("no python3 Jupyter kernel")
    cells = [nbformat.v4.new_code_cell(cell_source()), nbformat.v4.new_code_cell("SEED = 4850")]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "untagged.ipynb")
    with pytest.raises(papermill.PapermillExecutionError, match="no cell tagged"):
        papermill.execute_notebook(
            str(tmp_path / "untagged.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"SEED": 7},
            cwd=str(ROOT),
            progress_bar=False,
            log_output=False,
        )


def requirements(path):
    reqs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            reqs.append(packaging.Requirement(line))
    return reqs


def test_requirements_notebook_accepts_colabs_ipython_and_uses_tensorflow_cpu_like_the_lock():
    """Before: ipython>=8.0 (Colab pins 7.34.0) and the 572 MB tensorflow on Linux x86-64."""
    notebook = {r.name: r for r in requirements(ROOT / "requirements-notebook.txt")}
    assert notebook["ipython"].specifier.contains("7.34.0")
    top = {r.name: r for r in requirements(ROOT / "requirements.in")}
    for name in ("tensorflow-cpu", "tensorflow"):
        assert str(notebook[name].marker) == str(top[name].marker)
    linux = {"sys_platform": "linux", "platform_machine": "x86_64"}
    assert notebook["tensorflow-cpu"].marker.evaluate(linux)
    assert not notebook["tensorflow"].marker.evaluate(linux)


def test_colab_check_runs_the_tagged_cells_and_says_so_when_none_is(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    spec = importlib.util.spec_from_file_location("colab_check", ROOT / "tools" / "colab_check.py")
    colab_check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(colab_check)
    new = nbformat.v4
    nb = new.new_notebook(
        cells=[new.new_markdown_cell("# t"), *(new.new_code_cell(f"x = {i}") for i in range(3))]
    )
    nbformat.write(nb, tmp_path / "a.ipynb")
    with pytest.raises(SystemExit, match="tagged 'colab-check'"):
        colab_check.setup_cells(tmp_path / "a.ipynb")
    nb.cells[2].metadata["tags"] = ["colab-check"]
    nbformat.write(nb, tmp_path / "a.ipynb")
    assert [c.source for c in colab_check.setup_cells(tmp_path / "a.ipynb")] == ["x = 1"]
    tagged = colab_check.setup_cells(ROOT / "lab4.ipynb")
    assert "REPO_URL" in tagged[0].source and tagged[0].source == cell_source()
    if shutil.which("make"):
        dry = subprocess.run(
            ["make", "-n", "colab-check"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert "tools/colab_check.py" in dry.stdout


def test_readme_links_to_colab_and_starts_with_clone_and_python():
    """Items 1 and 10: an Open in Colab link; the first screen clones, chooses Python, runs."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"colab\.research\.google\.com/github/", text)
    first = text[: text.index("## Supported platforms")]
    for needed in ("git clone", "python.org", "uv python install", "deadsnakes", "answer key"):
        assert needed in first, needed
    assert first.index("git clone") < first.index("make lab")
    placeholders = re.findall(r"\bTIME_[A-Z]+\b|\bTODO\b|\bTBD\b|\bXXX\b", text)
    assert not placeholders, f"the README still has placeholders: {placeholders}"
    colab = " ".join(text.split("## Colab")[1].split("\n## ")[0].split())
    assert "Do not run `%pip install -r requirements-notebook.txt` in Colab" in colab
