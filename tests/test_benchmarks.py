"""The benchmark report: ratios are taken within a round, summarised by median and range, and
written to both files."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import run


def fake_run(seconds, gflops, to_98, acc=0.99):
    return {
        "train_seconds": seconds,
        "gflops": gflops,
        "seconds_to_98_val": to_98,
        "final_test_accuracy": acc,
        "recipe": {"batch_size": 256},
    }


def fake_mnist():
    rounds = [
        {
            "matmul_peak_gflops": 100.0,
            "ours": fake_run(40.0, 50.0, 10.0),
            "anchor": fake_run(80.0, 25.0, 20.0),
            "reference": fake_run(60.0, 20.0, 40.0),
        },
        {
            "matmul_peak_gflops": 200.0,
            "ours": fake_run(60.0, 40.0, 30.0),
            "anchor": fake_run(60.0, 30.0, 20.0),
            "reference": fake_run(60.0, 20.0, 30.0),
        },
        {
            "matmul_peak_gflops": 100.0,
            "ours": fake_run(50.0, 45.0, None),
            "anchor": fake_run(70.0, 25.0, 20.0),
            "reference": fake_run(60.0, 20.0, 40.0),
        },
    ]
    part = {
        "ours": {"fit_epoch_seconds": 2.0, "parts": {"validation pass": 0.5}},
        "anchor": {"fit_epoch_seconds": 3.0, "parts": {"validation pass": 0.5}},
    }
    return {"rounds": rounds, "matmul_peak_gflops_after": 120.0, "breakdown": part}


def test_speed_summary_takes_each_ratio_within_its_round():
    per_round, st = run.speed_summary(fake_mnist())
    assert [r["train_seconds_ratio"] for r in per_round] == pytest.approx([0.5, 1.0, 50 / 70])
    assert st["train_seconds_ratio"]["median"] == pytest.approx(50 / 70)
    assert (st["train_seconds_ratio"]["min"], st["train_seconds_ratio"]["max"]) == pytest.approx(
        (0.5, 1.0)
    )
    assert [r["share_of_peak"] for r in per_round] == pytest.approx([0.5, 0.2, 0.45])
    # A run that never reached 98% validation accuracy has no time-to-98 ratio; the others are
    # still summarised.
    assert per_round[2]["time_to_98_val_ratio"] is None
    t98 = st["time_to_98_val_ratio"]
    assert t98["n"] == 2 and t98["median"] == pytest.approx((0.25 + 1.0) / 2)
    # The float32 bound: ours' arithmetic at 100% of the round's peak, over the anchor's seconds.
    assert per_round[0]["floor_ratio"] == pytest.approx(50.0 * 40.0 / 100.0 / 80.0)


def test_report_writes_medians_to_markdown_and_json(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "OUT", tmp_path / "bench_out")
    (tmp_path / "bench_out").mkdir()
    (tmp_path / "bench_out" / "mnist.json").write_text(json.dumps(fake_mnist()), encoding="utf-8")
    run.report()
    speed = json.loads((tmp_path / "BENCHMARKS.json").read_text(encoding="utf-8"))["mnist_speed"]
    assert speed["train_seconds_ratio"] == pytest.approx(50 / 70)
    assert speed["share_of_peak"] == pytest.approx(0.45)
    assert len(speed["rounds"]) == 3
    md = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "**0.71 (0.50-1.00)**" in md
    assert "3 interleaved rounds" in md
    assert speed["time_to_98_val_ratio"] == pytest.approx((0.25 + 1.0) / 2)
    assert "seconds to 98% validation accuracy" in md and "98.0% test" not in md
    assert "fit_epochs" not in md


def test_report_skips_a_speed_part_from_the_test_set_trace(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "OUT", tmp_path / "bench_out")
    (tmp_path / "bench_out").mkdir()
    old = fake_mnist()
    for rnd in old["rounds"]:
        for name in ("ours", "anchor", "reference"):
            rnd[name]["seconds_to_98"] = rnd[name].pop("seconds_to_98_val")
    (tmp_path / "bench_out" / "mnist.json").write_text(json.dumps(old), encoding="utf-8")
    run.report()
    assert "validation trace" in capsys.readouterr().err
    assert "## 2. MNIST" not in (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")


def test_the_speed_part_trains_every_recipe_with_model_fit():
    source = Path(run.__file__).read_text(encoding="utf-8")
    assert "fit_epochs" not in source and ".epoch_seconds" not in source
    assert "TestTrace" not in source and "self.model.evaluate" not in source


def test_val_accuracy_and_seconds_to_98():
    assert run.val_accuracy({"loss": 1.0, "val_accuracy": 0.97}) == pytest.approx(0.97)
    assert run.val_accuracy({"val_categorical_accuracy": 0.5}) == pytest.approx(0.5)
    assert run.val_accuracy({"accuracy": 0.9}) is None and run.val_accuracy(None) is None
    assert run.seconds_to(0.98, [1.0, 2.0, 3.0], [0.97, 0.98, 0.99]) == 2.0
    assert run.seconds_to(0.98, [1.0, 2.0], [None, 0.5]) is None


def test_fit_logs_validation_accuracy_on_the_held_out_rows():
    """A tiny model.fit with validation_split: the trace reads fit's own val_accuracy, which is
    the accuracy on the last rows, exactly as evaluate on them gives."""
    keras = pytest.importorskip("keras")
    import numpy as np

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, 4)).astype("float32")
    y = keras.utils.to_categorical((x[:, 0] > 0).astype(int), 2)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    seen = []

    class Trace(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(run.val_accuracy(logs))

    run.keras_fit(
        model,
        x,
        y,
        batch_size=50,
        epochs=2,
        validation_split=0.2,
        validation_batch_size=40,
        callbacks=[Trace()],
    )
    assert len(seen) == 2 and all(a is not None for a in seen)
    held_out = model.evaluate(x[-100:], y[-100:], verbose=0, return_dict=True)["accuracy"]
    assert seen[-1] == pytest.approx(held_out, abs=1e-6)
    assert run.read_test_accuracy(model, x[-100:], y[-100:]) == pytest.approx(held_out, abs=1e-6)


def test_breakdown_times_an_epoch_of_model_fit():
    """_breakdown on a tiny recipe (seconds): every part timed, the epoch timed in model.fit."""
    pytest.importorskip("keras")
    import numpy as np

    from helpers import training

    rng = np.random.default_rng(0)
    x = rng.random((400, 784)).astype("float32")
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, 400)]
    recipe = training.mnist_recipe("relu", hidden=(8,), epochs=3, batch_size=100)
    out = run._breakdown(training.build_mlp(recipe, x), recipe, x, y, validation_batch_size=80)
    assert out["fit_epoch_seconds"] > 0
    assert set(out["parts"]) >= {"validation pass", "optimizer update", "backward"}
