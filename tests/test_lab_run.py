"""Issue 19, findings 2 and 3: `make lab` (tools/lab_run.py) runs the notebook into a temporary
folder and moves lab4.ipynb, results.json, figures/ and lab4.html into place only when the whole run
succeeded.

A fake executor stands in for nbconvert (no TensorFlow); one test runs real nbconvert on a tiny
notebook."""

import importlib.util
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "lab_run.py"
spec = importlib.util.spec_from_file_location("lab_run", TOOL)
lab_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lab_run)

FAKE = textwrap.dedent('''
    """A stand-in for executing the notebook: writes new deliverables into the temporary folder."""
    import os, sys, time
    from pathlib import Path

    tmp, mode = Path(sys.argv[1]), sys.argv[2]
    assert os.environ["LAB4_OUTPUT_DIR"] == str(tmp), "the run must write into the temporary folder"
    assert Path.cwd().resolve() == Path(sys.argv[3]).resolve(), "steps run from the repository root"
    (tmp / "figures").mkdir(exist_ok=True)
    (tmp / "figures" / "a.png").write_text("new a")
    (tmp / "figures" / "b.png").write_text("new b")
    if mode == "hang":  # a long run, to be interrupted
        (tmp.parent / "started").write_text(str(os.getpid()))
        time.sleep(60)
    if mode.startswith("edit:"):  # the user saves an edit to a source while the run goes on
        edited = Path(sys.argv[3]) / mode[len("edit:"):]
        edited.parent.mkdir(parents=True, exist_ok=True)
        edited.write_text("saved during the run")
    if mode == "fail":  # a cell raised: nbconvert exits 1 and writes no notebook
        sys.exit(3)
    if mode != "no-results":
        (tmp / "results.json").write_text('{"new": true}')
    (tmp / "lab4.ipynb").write_text("new notebook")
''')
EXPORT = (
    "import sys; from pathlib import Path; t = Path(sys.argv[1]); "
    "(t / 'lab4.html').write_text('new html from ' + (t / 'lab4.ipynb').read_text())"
)


@pytest.fixture
def repo(tmp_path):
    """A repository holding the old (committed) deliverables, and the fake executor."""
    root = tmp_path / "repo"
    (root / "figures").mkdir(parents=True)
    for name in ("lab4.ipynb", "results.json", "lab4.html", "figures/a.png", "figures/kept.png"):
        (root / name).write_text("old " + name, encoding="utf-8")
    (tmp_path / "fake_run.py").write_text(FAKE, encoding="utf-8")
    return root


def steps(root, mode="ok"):
    py = shlex.quote(sys.executable)
    fake = shlex.quote(str(root.parent / "fake_run.py"))
    return [
        "--step",
        f"{py} {fake} {{tmp}} {mode} {shlex.quote(str(root))}",
        "--step",
        f"{py} -c {shlex.quote(EXPORT)} {{tmp}}",
    ]


def snapshot(root):
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def leftovers(root):
    return sorted(p.name for p in root.glob(".lab-run-*"))


OLD = {
    "lab4.ipynb": "old lab4.ipynb",
    "results.json": "old results.json",
    "lab4.html": "old lab4.html",
    "figures/a.png": "old figures/a.png",
    "figures/kept.png": "old figures/kept.png",
}


def test_a_successful_run_replaces_every_deliverable_and_removes_its_folder(repo, capsys):
    assert lab_run.main(["--root", str(repo), *steps(repo)]) == 0
    assert snapshot(repo) == {
        "lab4.ipynb": "new notebook",
        "results.json": '{"new": true}',
        "lab4.html": "new html from new notebook",
        "figures/a.png": "new a",
        "figures/b.png": "new b",
        # a figure this run did not draw (e.g. no graphviz) stays
        "figures/kept.png": "old figures/kept.png",
    }
    assert leftovers(repo) == [] and "run succeeded" in capsys.readouterr().out


def test_a_failed_run_changes_nothing_and_removes_its_folder(repo, capsys):
    """Before: figures were written into figures/ as the run went, so a failure left a mix."""
    assert lab_run.main(["--root", str(repo), *steps(repo, "fail")]) == 3
    assert snapshot(repo) == OLD and leftovers(repo) == []
    err = capsys.readouterr().err
    assert "failed (exit 3)" in err and "unchanged" in err and err.count("\n") == 1


def test_a_run_that_writes_no_results_changes_nothing(repo, capsys):
    assert lab_run.main(["--root", str(repo), *steps(repo, "no-results")]) == 1
    assert snapshot(repo) == OLD and leftovers(repo) == []
    assert "wrote no results.json" in capsys.readouterr().err


def test_a_failing_export_step_keeps_the_old_notebook_too(repo):
    args = [
        "--root",
        str(repo),
        *steps(repo)[:2],
        "--step",
        f"{shlex.quote(sys.executable)} -c 'raise SystemExit(2)'",
    ]
    assert lab_run.main(args) == 2
    assert snapshot(repo) == OLD and leftovers(repo) == []


@pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX signals: Windows stops a process without a handler"
)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_run_changes_nothing_stops_the_step_and_removes_its_folder(repo, sig):
    """Before: a SIGTERM 30 s into `make lab` left 6 new figures beside the old notebook."""
    proc = subprocess.Popen(
        [sys.executable, str(TOOL), "--root", str(repo), *steps(repo, "hang")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = None
    for _ in range(1200):  # up to a minute on a loaded machine
        started = next(iter(repo.glob("started")), None)
        if started is not None and started.read_text(encoding="utf-8"):
            break
        time.sleep(0.05)
    assert started is not None, "the fake run did not start"
    step_pid = int(started.read_text(encoding="utf-8"))
    started.unlink()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + sig, err
    assert "interrupted" in err and "unchanged" in err
    assert snapshot(repo) == OLD and leftovers(repo) == []
    with pytest.raises(ProcessLookupError):  # the step was stopped and reaped, not left running
        os.kill(step_pid, 0)


@pytest.mark.parametrize("edited", ["lab4.ipynb", "src/lab4.py"])
def test_an_edit_saved_during_the_run_is_kept_and_the_outputs_go_to_runs(repo, capsys, edited):
    """Issue 26, item 3. Before: lab4.ipynb was replaced by the run's copy (and an edit to
    src/lab4.py was then lost by the next sync) while lab_run printed 'run succeeded'."""
    before = snapshot(repo)
    assert lab_run.main(["--root", str(repo), *steps(repo, f"edit:{edited}")]) == 1
    after = snapshot(repo)
    assert after.pop(edited) == "saved during the run"
    runs = sorted((repo / "runs").glob("lab-*"))
    assert len(runs) == 1 and leftovers(repo) == []
    kept = {k: v for k, v in after.items() if not k.startswith("runs/")}
    assert kept == {k: v for k, v in before.items() if k != edited}  # no deliverable replaced
    out = {k.split("/", 2)[2]: v for k, v in after.items() if k.startswith("runs/")}
    assert out["lab4.ipynb"] == "new notebook" and out["figures/b.png"] == "new b"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{edited} changed while the run was going" in err
    assert f"runs/{runs[0].name}/" in err and "left alone" in err


def test_protect_names_any_source_such_as_a_second_notebook(repo, capsys):
    """`make lab` will run two notebooks: every source named by --protect is guarded."""
    args = ["--root", str(repo), "--protect", "evidence.ipynb", *steps(repo, "edit:evidence.ipynb")]
    assert lab_run.main(args) == 1
    assert (repo / "lab4.ipynb").read_text(encoding="utf-8") == "old lab4.ipynb"
    assert "evidence.ipynb changed" in capsys.readouterr().err
    # an unprotected file changing does not stop delivery
    args = ["--root", str(repo), "--protect", "evidence.ipynb", *steps(repo, "edit:other.txt")]
    assert lab_run.main(args) == 0
    assert (repo / "lab4.ipynb").read_text(encoding="utf-8") == "new notebook"


def test_without_sighup_or_a_signal_mask_lab_run_still_runs(repo, monkeypatch):
    """Issue 26, item 2: Windows has neither; lab_run used signal.SIGHUP at import time."""
    monkeypatch.delattr(signal, "SIGHUP", raising=False)
    monkeypatch.delattr(signal, "pthread_sigmask", raising=False)
    spec = importlib.util.spec_from_file_location("lab_run_windows", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.SIGNALS) == {signal.SIGINT, signal.SIGTERM}
    assert module.main(["--root", str(repo), *steps(repo)]) == 0
    assert (repo / "lab4.ipynb").read_text(encoding="utf-8") == "new notebook"


def make_dry(*args):
    if not shutil.which("make"):
        pytest.skip("no make")
    return subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout


def test_make_lab_execs_lab_run_so_that_stopping_make_stops_the_run():
    """Issue 26, item 5. Before: `kill <make's pid>` ended make and its shell, but lab_run,
    nbconvert and the kernel went on and replaced the deliverables later."""
    line = next(ln for ln in make_dry("lesson").splitlines() if "tools/lab_run.py" in ln)
    assert line.lstrip().startswith("exec "), line
    assert "--protect lab4.ipynb" in line and "--protect src/lab4.py" in line


def test_make_lab_runs_the_notebook_through_lab_run():
    if not shutil.which("make"):
        pytest.skip("no make")
    dry = subprocess.run(
        ["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    assert "tools/lab_run.py" in dry and "--inplace" not in dry
    assert "--execute" in dry and "--output-dir {tmp} lab4.ipynb" in dry
    assert "export/jupyter_nbconvert_config.py --to html --output-dir {tmp} {tmp}/lab4.ipynb" in dry


def test_lab_run_folders_are_git_ignored():
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "/.lab-run-*/" in lines


NOTEBOOK_CODE = """
import json, os
out = os.environ["LAB4_OUTPUT_DIR"]
os.makedirs(os.path.join(out, "figures"), exist_ok=True)
open(os.path.join(out, "figures", "f.png"), "w").write("figure")
json.dump({"answer": 42}, open(os.path.join(out, "results.json"), "w"))
print("ran in", os.getcwd())
"""


def test_real_nbconvert_executes_into_the_folder_and_the_deliverables_arrive(tmp_path):
    """The same nbconvert flags as the Makefile, on a one-cell notebook (a real kernel, no
    TensorFlow)."""
    nbformat = pytest.importorskip("nbformat")
    kernelspec = pytest.importorskip("jupyter_client.kernelspec")
    if "python3" not in kernelspec.find_kernel_specs():
        pytest.skip("no python3 Jupyter kernel")
    root = tmp_path / "repo"
    root.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CODE)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "lab4.ipynb")
    jupyter = f"{shlex.quote(sys.executable)} -m jupyter"
    execute = (
        f"{jupyter} nbconvert --to notebook --execute --ExecutePreprocessor.timeout=120 "
        "--output-dir {tmp} lab4.ipynb"
    )
    export = f"{jupyter} nbconvert --to html --output-dir {{tmp}} {{tmp}}/lab4.ipynb"
    code = lab_run.main(["--root", str(root), "--step", execute, "--step", export])
    assert code == 0
    executed = nbformat.read(root / "lab4.ipynb", as_version=4)
    text = "".join(o.get("text", "") for o in executed.cells[0].outputs)
    assert (
        f"ran in {root}" in text
    )  # the kernel ran from the repository root, so `import helpers` works
    assert json.loads((root / "results.json").read_text(encoding="utf-8")) == {"answer": 42}
    assert (root / "figures" / "f.png").read_text(encoding="utf-8") == "figure"
    assert "ran in" in (root / "lab4.html").read_text(encoding="utf-8") and leftovers(root) == []
