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


def wvd_runs(*accs):
    return [{"val_accuracy": a, "epochs": 20, "params": 99385} for a in accs]


def new_results():
    """A results.json in the current schema (figures from a real run, lists shortened)."""
    ablation = {"success_rate": 0.79, "ci95": [0.73, 0.84], "holm_p": None}
    return {
        "seed": 4850,
        "seconds": {"tutorial_xor": 21.5, "problems_5_7": 1292.2, "total": 1652.7},
        "backprop_max_abs_diff": 5.96e-08,
        "tutorial": {
            "tanh_xor_accuracy": 1.0,
            "relu_xor_accuracy": 0.75,
            "tanh_recipe": {"success_rate": 0.61, "ci95": [0.54, 0.67]},
            "relu_recipe": {"success_rate": 0.285, "ci95": [0.23, 0.35]},
            "relu_vs_tanh_fisher_p": 8.3e-11,
            "mnist_single_layer_test_accuracy": 0.9272,
        },
        "xor": {
            "p1": {
                "hidden": [16],
                "params": 65,
                "accuracy": 1.0,
                "starts": 1000,
                "success_rate": 1.0,
                "ci95": [0.9962, 1.0],
                "keras_agreement_max_abs_diff": 0.0004,
            },
            "all_off_at_init": {
                "2": {"predicted": 136.7, "measured": 131},
                "16": {"predicted": 0.012, "measured": 0},
            },
            "all_off_intervention": {
                "width": 2,
                "starts_changed": 131,
                "solved_as_drawn": 56,
                "solved_lifted": 111,
                "mcnemar_p": 3.3e-14,
            },
            "p2": {"ablation_width": 4, "ablation": {"Problem 1 recipe at 4 units": ablation}},
            "p3": {
                "hidden": [2],
                "params": 9,
                "accuracy": 1.0,
                "success_rate": 0.28,
                "ci95": [0.22, 0.35],
                "one_unit_random_solutions": 0,
                "skip_params": 7,
                "skip": {"success_rate": 0.965, "ci95": [0.93, 0.98]},
                "size_table": {"2": {"success_rate": 0.28, "ci95": [0.22, 0.35]}},
            },
            "width_sweep": {"relu_he_normal": {"2": 0.28}},
            "width_relu_vs_tanh_holm_p": {"2": 1.8e-06},
            "predictive_test": {},
            "failure_diagnosis": {},
        },
        "mnist": {
            "tanh": {"test_accuracy": 0.9877, "validation_split": 0.2, "epochs": 20},
            "relu": {"test_accuracy": 0.9889, "validation_split": 0.2, "epochs": 20},
            "comparison": {
                "seeds": [4850, 4851, 4852, 4853],
                "tanh": [0.9877, 0.9883, 0.9871, 0.9879],
                "relu": [0.9889, 0.9890, 0.9894, 0.9899],
                "paired_diff": {"mean": 0.0015, "ci95": [0.0004, 0.0026], "n": 4, "p": 0.023},
                "paired": {
                    "test accuracy (%)": {
                        "mean": 0.15,
                        "ci95": [0.04, 0.26],
                        "n": 4,
                        "p": 0.023,
                        "wins": 4,
                    }
                },
            },
            "init_control": {},
            "hypothesis": {},
        },
        "deep": {
            "gain_per_layer": {
                "glorot": {"predicted": 0.707, "measured": [0.72, 0.70]},
                "he": {"predicted": 1.0, "measured": [1.03, 1.02]},
                "tanh_glorot": {"predicted": 1.0, "measured": [0.84, 0.84]},
            }
        },
        "wider_vs_deeper": {
            "tanh, Glorot, depth 1": wvd_runs(0.968, 0.969),
            "tanh, Glorot, depth 2": wvd_runs(0.970, 0.9725),
            "tanh, Glorot, depth 4": wvd_runs(0.966, 0.966),
            "ReLU, Glorot, depth 1": wvd_runs(0.9737, 0.9761),
            "ReLU, Glorot, depth 2": wvd_runs(0.9729, 0.9751),
            "ReLU, He, depth 1": wvd_runs(0.9736, 0.9730),
            "ReLU, He, depth 2": wvd_runs(0.9745, 0.9737),
            "ReLU, He, depth 8": wvd_runs(0.9617, 0.9616),
        },
    }


def test_headline_reads_the_current_results_schema():
    h = run._headline(new_results())
    assert h["p1_success_rate"] == 1.0 and h["p1_ci95"] == [0.9962, 1.0] and h["p1_starts"] == 1000
    assert h["p3_success_rate"] == 0.28 and h["p3_params"] == 9 and h["p3_skip_params"] == 7
    assert h["tanh_test_mean"] == pytest.approx(0.98775) and h["tanh_test_min"] == 0.9871
    assert h["relu_test_mean"] == pytest.approx(0.9893) and h["relu_test_min"] == 0.9889
    assert h["relu_minus_tanh_test_mean"] == 0.0015
    assert h["relu_minus_tanh_test_ci95"] == [0.0004, 0.0026]
    # best depth per arm, by mean validation accuracy over its runs
    assert h["wvd_best_depth_tanh_glorot"] == 2
    assert h["wvd_best_depth_relu_glorot"] == 1
    assert h["wvd_best_depth_relu_he"] == 2
    assert h["backprop_max_abs_diff"] == 5.96e-08
    assert h["single_layer_test_accuracy"] == 0.9272
    assert h["notebook_seconds"] == 1652.7
    row = run.seeds_table([{"seed": 101, "asserts_held": True, **h}])[-1]
    assert row == (
        "| 101 | yes | 100.0% (99.6%-100.0%) | 28.0% | 0.9877 / 0.9871 | 0.9893 / 0.9889 | "
        "+0.15 pp (+0.04 to +0.26) | 2 / 1 / 2 | 6.0e-08 | 0.9272 | 1653 |"
    )


@pytest.mark.parametrize(
    "res",
    [
        {},
        {"xor": {"p1": {}}, "mnist": {"comparison": {"tanh": []}}, "wider_vs_deeper": {"x": 1}},
        {"xor": None, "mnist": 3, "seconds": {}, "wider_vs_deeper": {"ReLU, He, depth 2": [{}]}},
    ],
)
def test_headline_gives_none_and_the_tables_a_dash_for_missing_keys(res):
    h = run._headline(res)
    assert all(v is None for v in h.values())
    row = run.seeds_table([{"seed": 7, "asserts_held": True, **h}])[-1]
    assert row == "| 7 | yes | - | - | - / - | - / - | - | - / - / - | - | - | - |"
    lines = run.readme_results(res)
    assert any("single-layer softmax, MNIST test accuracy | - |" in line for line in lines)
    assert lines[-1] == "| whole notebook (timed sections) | - s |"


def test_readme_results_block_uses_the_current_keys(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    (tmp_path / "results.json").write_text(json.dumps(new_results()), encoding="utf-8")
    (tmp_path / "README.md").write_text(
        "# Lab\n\n<!-- results:start -->\nold\n<!-- results:end -->\n\nafter\n", encoding="utf-8"
    )
    seeds = {"runs": [{"asserts_held": True}, {"asserts_held": True}, {"asserts_held": False}]}
    run.update_readme(seeds)
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "old" not in text and text.endswith("<!-- results:end -->\n\nafter\n")
    for expected in (
        "| hand-computed backprop step vs Keras, largest difference | 6.0e-08 |",
        "| single-layer softmax, MNIST test accuracy | 0.9272 |",
        "| 100.0% of 1000 starts (95% CI 99.6%-100.0%) |",
        "| 2-2-1, 9 parameters (trains from 28.0% of starts); 1 unit + skip connection: 7 "
        "parameters |",
        "over seeds 4850, 4851, 4852, 4853 | mean 0.9877, min 0.9871 |",
        "over the same seeds | mean 0.9893, min 0.9889 |",
        "(mean, 95% CI) | +0.15 pp (+0.04 to +0.26) |",
        "| whole notebook (timed sections) | 1653 s |",
        "| whole notebook under 3 other seeds (papermill) | all asserts held in 2 of 3 |",
    ):
        assert expected in text, expected


def test_report_compares_the_notebook_with_the_baseline_revision_of_the_same_run(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "OUT", tmp_path / "bench_out")
    (tmp_path / "bench_out").mkdir()
    notebook = {
        "wall_seconds": 660.0,
        "sections": {"problems_5_7": 400.0, "total": 640.0},
        "baseline": {"revision": "b17cc73", "wall_seconds": 600.0,
                     "sections": {"problems_5_7": 380.0, "total": 590.0}},
        "ratio_to_baseline": 1.1,
    }
    (tmp_path / "bench_out" / "notebook.json").write_text(json.dumps(notebook), encoding="utf-8")
    run.report()
    md = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "| wall seconds, nbconvert --execute | 660 | 600 | 1.10 | <= 1.10 |" in md
    assert "| problems_5_7 | 400.0 | 380.0 |" in md
