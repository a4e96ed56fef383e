"""Issue 19, finding 1: `make sync` (tools/sync_guard.py) never loses an edit.

Each test works on a tiny Jupytext pair in its own git repository, laid out as the lab's."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "sync_guard.py"
spec = importlib.util.spec_from_file_location("sync_guard", TOOL)
sync_guard = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sync_guard)

SCRIPT = """# %% [markdown]
# # A tiny lab
#
# Some text.

# %%
x = 1
print(x)

# %% tags=["parameters"]
SEED = 4850
"""
GIT = [
    "git",
    "-c",
    "user.name=test",
    "-c",
    "user.email=test@example.com",
    "-c",
    "commit.gpgsign=false",
]


def git(repo, *args):
    return subprocess.run(
        [*GIT, *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path):
    """A committed pair in sync; the notebook's code cell holds an output (it must survive
    syncs)."""
    if shutil.which("git") is None:
        pytest.skip("git is needed for the committed base")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lab4.py").write_text(SCRIPT, encoding="utf-8")
    shutil.copy(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    nb = jupytext.read(tmp_path / "src" / "lab4.py")
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb.cells[1].execution_count = 1
    jupytext.write(nb, tmp_path / "lab4.ipynb")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "pair")
    return tmp_path


def nb_path(repo):
    return repo / "lab4.ipynb"


def py_path(repo):
    return repo / "src" / "lab4.py"


def edit_notebook(repo, old="Some text.", new="Some text. NOTEBOOK EDIT"):
    raw = json.loads(nb_path(repo).read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        src = "".join(cell["source"])
        if old in src:
            cell["source"] = src.replace(old, new)
    nb_path(repo).write_text(json.dumps(raw, indent=1), encoding="utf-8")


def edit_script(repo, old="x = 1", new="x = 2  # SCRIPT EDIT"):
    py_path(repo).write_text(
        py_path(repo).read_text(encoding="utf-8").replace(old, new), encoding="utf-8"
    )


def make_newer(path):
    """Give ``path`` the later modification time (jupytext --sync keeps the newer file)."""
    later = time.time() + 5
    os.utime(path, (later, later))


def run(repo, *args):
    """tools/sync_guard.py in-process: (exit code, stdout, stderr)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = sync_guard.main(["--root", str(repo), *args])
    return code, out.getvalue(), err.getvalue()


def cells(path):
    nb = jupytext.read(path)
    return [c.source for c in nb.cells]


def assert_conflict_reported(code, err):
    assert code == 1
    line = err.strip()
    assert "\n" not in line, err
    assert "lab4.ipynb" in line and "src/lab4.py" in line and "nothing was overwritten" in line
    assert "make sync KEEP=lab4.ipynb" in line and "make sync KEEP=src/lab4.py" in line
    assert "jupytext --to py:percent -o src/lab4.py lab4.ipynb" in line


@pytest.mark.parametrize("newer", ["notebook", "script"])
def test_both_edited_since_the_commit_stops_and_loses_neither_edit(repo, newer):
    """Before: `make sync` kept only the newer file; the other edit vanished with exit 0."""
    edit_notebook(repo)
    edit_script(repo)
    make_newer(nb_path(repo) if newer == "notebook" else py_path(repo))
    before = nb_path(repo).read_bytes(), py_path(repo).read_bytes()
    code, _, err = run(repo)
    assert_conflict_reported(code, err)
    assert "both lab4.ipynb and src/lab4.py changed" in err
    assert (nb_path(repo).read_bytes(), py_path(repo).read_bytes()) == before  # neither edit lost
    assert not (repo / sync_guard.STAMP).exists()


def test_both_edited_since_the_last_sync_stops_too(repo):
    """The stamp of the last sync is the base: edits made after it, on both sides, stop the sync."""
    edit_script(repo)
    assert run(repo)[0] == 0  # one-sided: synced, stamp written (now different from HEAD)
    stamp = (repo / sync_guard.STAMP).read_text(encoding="utf-8")
    edit_notebook(repo)
    edit_script(repo, "x = 2  # SCRIPT EDIT", "x = 3  # SECOND SCRIPT EDIT")
    before = nb_path(repo).read_bytes(), py_path(repo).read_bytes()
    code, _, err = run(repo)
    assert_conflict_reported(code, err)
    assert (nb_path(repo).read_bytes(), py_path(repo).read_bytes()) == before
    assert (repo / sync_guard.STAMP).read_text(encoding="utf-8") == stamp


@pytest.mark.parametrize("newer", ["notebook", "script"])
def test_a_script_edit_reaches_the_notebook_whatever_the_file_times(repo, newer):
    edit_script(repo)
    make_newer(nb_path(repo) if newer == "notebook" else py_path(repo))
    code, out, _ = run(repo)
    assert code == 0 and "src/lab4.py -> lab4.ipynb" in out
    assert "x = 2  # SCRIPT EDIT\nprint(x)" in cells(nb_path(repo))
    raw = json.loads(nb_path(repo).read_text(encoding="utf-8"))
    assert (
        "".join(raw["cells"][1]["outputs"][0]["text"]) == "1\n"
    )  # outputs kept (jupytext --update)
    assert cells(nb_path(repo)) == cells(py_path(repo))
    stamp = json.loads((repo / sync_guard.STAMP).read_text(encoding="utf-8"))
    assert set(stamp) == {"lab4.ipynb", "src/lab4.py"} and len(set(stamp.values())) == 1


@pytest.mark.parametrize("newer", ["notebook", "script"])
def test_a_notebook_edit_reaches_the_script_whatever_the_file_times(repo, newer):
    edit_notebook(repo)
    make_newer(nb_path(repo) if newer == "notebook" else py_path(repo))
    code, out, _ = run(repo)
    assert code == 0 and "lab4.ipynb -> src/lab4.py" in out
    assert "Some text. NOTEBOOK EDIT" in py_path(repo).read_text(encoding="utf-8")
    assert cells(nb_path(repo)) == cells(py_path(repo))


def test_in_sync_pair_and_executed_notebook_are_left_alone(repo):
    raw = json.loads(nb_path(repo).read_text(encoding="utf-8"))
    raw["cells"][1]["outputs"][0]["text"] = "re-executed\n"  # outputs are not an edit
    nb_path(repo).write_text(json.dumps(raw, indent=1), encoding="utf-8")
    before = nb_path(repo).read_bytes(), py_path(repo).read_bytes()
    code, out, _ = run(repo)
    assert code == 0 and "nothing to do" in out
    assert (nb_path(repo).read_bytes(), py_path(repo).read_bytes()) == before


def test_keep_settles_a_conflict_with_the_chosen_file(repo):
    edit_notebook(repo)
    edit_script(repo)
    assert run(repo)[0] == 1
    code, out, _ = run(repo, "--keep", "src/lab4.py")
    assert code == 0 and "src/lab4.py -> lab4.ipynb" in out
    assert "x = 2  # SCRIPT EDIT\nprint(x)" in cells(
        nb_path(repo)
    ) and "NOTEBOOK EDIT" not in nb_path(repo).read_text(encoding="utf-8")
    assert run(repo)[:2] == (0, "lab4.ipynb and src/lab4.py hold the same cells: nothing to do\n")
    code, _, err = run(repo, "--keep", "other.py")
    assert code == 1 and "KEEP=other.py" in err


def test_a_branch_switch_is_not_mistaken_for_an_edit(repo):
    """Files that match the commit are unchanged even when the stamp is from another state."""
    edit_script(repo)
    assert run(repo)[0] == 0  # stamp: the edited state
    git(
        repo, "checkout", "-q", "--", "."
    )  # back to the committed pair (as after switching branches)
    edit_script(repo, "x = 1", "x = 5  # AFTER THE SWITCH")
    code, out, _ = run(repo)
    assert code == 0 and "src/lab4.py -> lab4.ipynb" in out
    assert "x = 5  # AFTER THE SWITCH\nprint(x)" in cells(nb_path(repo))


def test_without_stamp_or_commit_a_difference_is_not_guessed(repo):
    shutil.rmtree(repo / ".git")
    edit_script(repo)
    before = nb_path(repo).read_bytes(), py_path(repo).read_bytes()
    code, _, err = run(repo)
    assert_conflict_reported(code, err)
    assert (nb_path(repo).read_bytes(), py_path(repo).read_bytes()) == before


def test_a_missing_script_is_made_from_the_notebook(repo):
    py_path(repo).unlink()
    code, out, _ = run(repo)
    assert (
        code == 0
        and "lab4.ipynb -> src/lab4.py" in out
        and cells(py_path(repo)) == cells(nb_path(repo))
    )


def test_an_unreadable_notebook_is_reported_in_one_line(repo):
    nb_path(repo).write_text("{ not json", encoding="utf-8")
    code, _, err = run(repo)
    assert code == 1 and "cannot read lab4.ipynb as a notebook" in err and err.count("\n") == 1


def test_command_line_and_make_target(repo):
    edit_notebook(repo)
    edit_script(repo)
    proc = subprocess.run(
        [sys.executable, str(TOOL), "--root", str(repo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        proc.returncode == 1
        and proc.stdout == ""
        and proc.stderr.startswith("make sync: both lab4.ipynb")
    )
    assert proc.stderr.count("\n") == 1
    if shutil.which("make"):
        dry = subprocess.run(
            ["make", "-n", "sync", "KEEP=src/lab4.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert "tools/sync_guard.py --keep src/lab4.py" in dry.stdout, dry.stdout + dry.stderr
        assert "jupytext --sync" not in dry.stdout


# --- issue 26, items 4 and 9 ---


def test_merge_conflict_markers_are_not_synced_into_a_cell(repo):
    """Before: the markers were copied into a notebook cell, reported as 'synced'."""
    before = nb_path(repo).read_text(encoding="utf-8")
    edit_script(repo, "x = 1", "<<<<<<< HEAD\nx = 1\n=======\nx = 3\n>>>>>>> other")
    code, out, err = run(repo)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "src/lab4.py holds merge-conflict markers (line" in err
    assert nb_path(repo).read_text(encoding="utf-8") == before


def test_a_deleted_notebook_is_not_rebuilt_without_its_outputs(repo):
    """Before: rebuilt from the script with no outputs and reported as 'synced'."""
    nb_path(repo).unlink()
    code, out, err = run(repo)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "git checkout -- lab4.ipynb" in err and not nb_path(repo).exists()
    code, out, _ = run(repo, "--keep", "src/lab4.py")  # asked for: rebuilt
    assert code == 0 and cells(nb_path(repo)) == cells(py_path(repo))


def test_a_read_only_checkout_is_one_line_not_a_traceback(repo, monkeypatch):
    """Before: PermissionError traceback from Jupytext's write."""
    edit_script(repo)
    before = nb_path(repo).read_text(encoding="utf-8")
    monkeypatch.setattr(sync_guard.os, "access", lambda path, mode: False)
    code, out, err = run(repo)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "cannot write lab4.ipynb: the checkout is read-only" in err
    assert nb_path(repo).read_text(encoding="utf-8") == before


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes read-only files anyway"
)
def test_a_really_read_only_checkout_is_one_line(repo):
    edit_script(repo)
    modes = {p: p.stat().st_mode for p in (repo, nb_path(repo))}
    for p in modes:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        code, _, err = run(repo)
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
    assert code == 1 and err.count("\n") == 1 and "cannot write lab4.ipynb" in err


def test_jupytext_toml_gives_advice_that_loses_nothing():
    """Before: it advised `jupytext --sync lab4.ipynb` "(run by make lab)": not run by make lab,
    and it keeps whichever file is newer, losing the other file's edit."""
    raw = (ROOT / "jupytext.toml").read_text(encoding="utf-8")
    text = " ".join(ln.lstrip("# ") for ln in raw.splitlines())  # comment lines joined
    assert "jupytext --sync lab4.ipynb" not in text and "run by `make lab`" not in text
    assert "`make sync`" in text and "Do not use `jupytext --sync`" in text
