"""Issue 19, findings 2 and 13 (file part): a run writes the committed deliverables only under the
default seed, and the notebook finds the repository's files wherever it is started."""

import os
from pathlib import Path

import pytest

from helpers import paths

ROOT = Path(__file__).resolve().parent.parent


def test_default_seed_writes_the_deliverables_in_the_repository_root():
    assert paths.ROOT == ROOT
    assert paths.output_dir(4850, environ={}) == ROOT
    assert paths.output_dir(paths.DEFAULT_SEED, None, environ={}) == ROOT


def test_another_seed_writes_under_runs_seed_and_never_the_root():
    """Before: SEED = 7 with no OUTPUT_DIR replaced the tracked figures/*.png (and results.json)."""
    assert paths.output_dir(7, environ={}) == ROOT / "runs" / "seed7"
    assert paths.output_dir(0, environ={}) == ROOT / "runs" / "seed0"
    assert paths.output_dir(4850, default_seed=11, environ={}) == ROOT / "runs" / "seed4850"
    assert paths.output_dir(11, default_seed=11, environ={}) == ROOT


def test_runs_folder_is_git_ignored():
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "/runs/" in lines or "runs/" in lines


def test_the_working_directory_does_not_matter(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.output_dir(4850, environ={}) == ROOT
    assert paths.output_dir(7, environ={}) == ROOT / "runs" / "seed7"
    assert (
        paths.project_file("benchmarks/tune_dropout.json")
        == ROOT / "benchmarks" / "tune_dropout.json"
    )


def test_explicit_output_dir_wins_then_the_environment(tmp_path, monkeypatch):
    env = {paths.ENV_VAR: str(tmp_path / "from_env")}
    assert paths.output_dir(7, tmp_path / "given", environ=env) == tmp_path / "given"
    assert paths.output_dir(4850, str(tmp_path / "given"), environ=env) == tmp_path / "given"
    assert paths.output_dir(4850, environ=env) == tmp_path / "from_env"
    assert paths.output_dir(7, environ=env) == tmp_path / "from_env"
    monkeypatch.chdir(
        tmp_path
    )  # a relative folder is taken from the working directory, like a typed path
    assert paths.output_dir(7, "out", environ={}) == tmp_path / "out"
    assert paths.output_dir(7, environ={paths.ENV_VAR: "env_out"}) == tmp_path / "env_out"
    assert paths.output_dir(7, "~/x", environ={}) == Path(os.path.expanduser("~/x"))
    monkeypatch.setenv(paths.ENV_VAR, str(tmp_path / "real_env"))  # the real environment by default
    assert paths.output_dir(4850) == tmp_path / "real_env"


@pytest.mark.parametrize("seed", [-1, 2.5, "7", None, True])
def test_bad_seed_is_refused_in_one_line(seed):
    with pytest.raises(ValueError, match=r"SEED=.*whole number >= 0") as err:
        paths.output_dir(seed, environ={})
    assert "\n" not in str(err.value)


def test_empty_output_dir_or_environment_variable_is_refused():
    with pytest.raises(ValueError, match="OUTPUT_DIR is empty"):
        paths.output_dir(7, "", environ={})
    with pytest.raises(ValueError, match=f"{paths.ENV_VAR} is set but empty"):
        paths.output_dir(7, environ={paths.ENV_VAR: " "})


def test_project_file_is_absolute_inside_the_repository_and_says_when_missing():
    assert paths.project_file("benchmarks/tune_dropout.json").is_absolute()
    assert paths.project_file("helpers/../helpers/paths.py") == ROOT / "helpers" / "paths.py"
    assert (
        paths.project_file("nothing/here.json", must_exist=False) == ROOT / "nothing" / "here.json"
    )
    with pytest.raises(FileNotFoundError, match="not found") as err:
        paths.project_file("benchmarks/missing.json")
    assert str(ROOT / "benchmarks" / "missing.json") in str(err.value) and "\n" not in str(
        err.value
    )
    for bad in ("/etc/passwd", "../outside.txt", ""):
        with pytest.raises(ValueError):
            paths.project_file(bad)
