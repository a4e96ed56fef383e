"""helpers.parallel: jobs trained in worker processes give what they give here, in job order, and
bad jobs are refused in one line before any process starts."""

import numpy as np
import pytest

from helpers import data, parallel, training


@pytest.fixture
def tiny_mnist(tmp_path, monkeypatch):
    """A 200-image stand-in for MNIST, named by MNIST_NPZ (which spawned workers inherit)."""
    rng = np.random.default_rng(0)
    path = tmp_path / "mnist.npz"
    np.savez(
        path,
        x_train=rng.integers(0, 256, (200, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, 200).astype(np.uint8),
        x_test=rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, 10).astype(np.uint8),
    )
    monkeypatch.setenv(data.ENV_VAR, str(path))
    monkeypatch.setattr(parallel, "_TRAIN", None)  # this process loads the stand-in afresh


def recipe(width):
    return training.mnist_recipe("relu", (width,), epochs=2, shift=0, dropout=0.0, batch_size=32)


def test_workers_match_this_process_in_job_order(tiny_mnist):
    jobs = [(recipe(8), 0), (recipe(8), 1), (recipe(3), 0)]
    here = list(parallel.train_jobs(jobs, processes=1))
    there = list(parallel.train_jobs(jobs, processes=2))
    assert [r["params"] for r in there] == [784 * 8 + 8 + 90, 784 * 8 + 8 + 90, 784 * 3 + 3 + 40]
    for a, b in zip(here, there):
        assert b["val_accuracy"] == pytest.approx(a["val_accuracy"], abs=1e-6)
        assert b["train_loss"] == pytest.approx(a["train_loss"], rel=1e-5)
    assert here[0]["train_loss"] != here[1]["train_loss"]  # the seed matters


@pytest.mark.parametrize(
    "jobs, processes, words",
    [
        ([(recipe(8), -1)], 1, "seed=-1"),
        ([({"activation": "relu"}, 0)], 1, "lacks"),
        ([(recipe(8), 0)], 0, "processes=0"),
    ],
)
def test_bad_jobs_are_refused_in_one_line(jobs, processes, words):
    with pytest.raises(ValueError) as err:
        list(parallel.train_jobs(jobs, processes=processes))
    assert words in str(err.value) and "\n" not in str(err.value)
