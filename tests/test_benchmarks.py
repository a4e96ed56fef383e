"""The benchmark report: ratios are taken within a round, summarised by median and range, and
written to both files."""

import json
import os
import sys
import time
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


def new_results():
    """A lab4.ipynb results.json in the current schema (made-up figures, lists shortened)."""
    return {
        "seed": 4850,
        "backprop_max_abs_diff": 5.96e-08,
        "tutorial_tanh_accuracy": 1.0,
        "tutorial_relu_accuracy": 0.75,
        "single_layer_test_accuracy": 0.9272,
        "p1": {"accuracy": 1.0, "loss_first": 0.71, "loss_last": 0.002},
        "p3": {"accuracy": 1.0, "start": 3, "params": 9},
        "tanh": {"test_accuracy": 0.9877, "val_before": 0.1, "val_accuracy": [0.953, 0.97, 0.988]},
        "relu": {"test_accuracy": 0.989, "val_before": 0.1, "val_accuracy": [0.96, 0.98, 0.9891]},
    }


def new_evidence():
    """An evidence.json in the current schema (made-up figures, most sections left out)."""
    paired = {
        "mean": 0.15,
        "min": 0.05,
        "max": 0.25,
        "ci95": [0.04, 0.26],
        "t_p": 0.02,
        "wins": 4,
        "n": 4,
        "sign_p": 0.125,
        "holm_p": 0.75,
        "holm_t_p": 0.1,
    }
    return {
        "seed": 4850,
        "seconds": {"xor": 300.0, "mnist": 700.0, "wider_deeper": 200.0},
        "p1": {"solved": 998, "starts": 1000, "ci95": [0.9928, 0.9998]},
        "p3": {"sizes": {"2-2-1": 57, "2-3-1": 120}, "starts": 200, "skip": [190, 200]},
        "mnist": {
            "seeds": [4850, 4851, 4852, 4853],
            "test_accuracy": {
                "tanh": [0.9877, 0.9883, 0.9871, 0.9879],
                "relu": [0.9889, 0.9890, 0.9894, 0.9899],
            },
            "paired": {"test accuracy (points)": paired},
            "test_accuracy_both_sources": {"mean": 0.15, "ci95": [-0.06, 0.36], "p": 0.11},
        },
        "wider_deeper": {
            "seeds": 3,
            "depth_1_minus_8": {
                "tanh, equal widths": {"mean": 0.5, "per_seed": [0.4, 0.5, 0.6], "t_p": 0.01},
                "ReLU, equal widths": {"mean": 1.25, "per_seed": [1.2, 1.3, 1.25], "t_p": 0.02},
            },
        },
    }


def test_headline_reads_the_current_results_schema():
    h = run._headline(new_results())
    assert h["backprop_max_abs_diff"] == 5.96e-08 and h["single_layer_test_accuracy"] == 0.9272
    assert h["p1_accuracy"] == 1.0 and h["p3_start"] == 3 and h["p3_params"] == 9
    assert h["tanh_test_accuracy"] == 0.9877 and h["relu_test_accuracy"] == 0.989
    # validation accuracy after epoch 1 and after the last epoch
    assert (h["tanh_val_epoch1"], h["tanh_val_final"]) == (0.953, 0.988)
    assert (h["relu_val_epoch1"], h["relu_val_final"]) == (0.96, 0.9891)
    row = run.seeds_table([{"seed": 7, "asserts_held": True, "wall_seconds": 301.4, **h}])[-1]
    assert row == "| 7 | yes | 3 | 0.9877 | 0.9890 | 0.9530 / 0.9600 | 6.0e-08 | 0.9272 | 301 |"


def test_seeds_table_gives_the_error_and_seconds_of_a_run_whose_assert_failed():
    row = {
        "seed": 11,
        "asserts_held": False,
        "error": "cell 40: AssertionError: x",
        "wall_seconds": 99,
    }
    assert run.seeds_table([row])[-1] == (
        "| 11 | **no**: cell 40: AssertionError: x | | | | | | | 99 |"
    )


@pytest.mark.parametrize(
    "res",
    [
        {},
        {"p1": {}, "p3": None, "tanh": {"val_accuracy": []}, "relu": 3},
        {"seed": 5, "p1": 1, "tanh": {"val_accuracy": "abc"}, "relu": {"val_accuracy": [None]}},
    ],
)
def test_headline_gives_none_and_the_tables_a_dash_for_missing_keys(res):
    h = run._headline(res)
    assert all(v is None for v in h.values()), h
    row = run.seeds_table([{"seed": 7, "asserts_held": True, **h}])[-1]
    assert row == "| 7 | yes | - | - | - | - / - | - | - | - |"
    lines = run.readme_results(res, {"p1": {"solved": 3}, "mnist": {"paired": {}}})
    for expected in (
        "| single-layer softmax, MNIST test accuracy | - |",
        "| Problem 3: smallest ReLU net, 2-2-1 | learned XOR at start - (- restarts before it), - "
        "parameters |",
        "| Problem 1's recipe from random starts (evidence) | learned XOR from 3 of - starts (-) |",
        "| ReLU - tanh test accuracy, paired over the same seeds (evidence) | - |",
    ):
        assert expected in lines, expected
    assert not any("fresh kernel" in line or "other seeds" in line for line in lines)


def test_readme_results_block_uses_the_current_keys(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    (tmp_path / "results.json").write_text(json.dumps(new_results()), encoding="utf-8")
    (tmp_path / "evidence.json").write_text(json.dumps(new_evidence()), encoding="utf-8")
    (tmp_path / "README.md").write_text(
        "# Lab\n\n<!-- results:start -->\nold\n<!-- results:end -->\n\nafter\n", encoding="utf-8"
    )
    seeds = {"runs": [{"asserts_held": True}] * 4 + [{"asserts_held": False}]}
    run.update_readme(seeds, fake_notebook())
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "old" not in text and text.endswith("<!-- results:end -->\n\nafter\n")
    for expected in (
        "(written by `lab4.ipynb`; this run, seed 4850)",
        "| hand-computed backprop step vs Keras, largest difference | 6.0e-08 |",
        "| single-layer softmax, MNIST test accuracy | 0.9272 |",
        "| Problem 1: 2-16-1 ReLU, XOR accuracy | 100% |",
        "| learned XOR from 998 of 1,000 starts (99.8%; 95% CI 99.3%-100.0%) |",
        "| learned XOR at start 3 (2 restarts before it), 9 parameters |",
        "| Problem 3's 2-2-1 from random starts (evidence) | learned XOR from 57 of 200 starts |",
        "| Problem 5: tanh MLP, MNIST test accuracy | 0.9877 |",
        "| Problem 6: ReLU MLP, MNIST test accuracy | 0.9890 |",
        "over seeds 4850, 4851, 4852, 4853 (evidence) | mean 0.9877, min 0.9871 |",
        "over the same seeds (evidence) | mean 0.9893, min 0.9889 |",
        "| +0.15 points (95% CI over seeds +0.04 to +0.26), -0.06 to +0.36 counting test-set "
        "sampling too, ReLU ahead on 4 of 4 seeds, exact sign-test p = 0.125 |",
        "mean over 3 seeds, points (evidence) | tanh, equal widths +0.50; ReLU, equal widths "
        "+1.25 |",
        "| `lab4.ipynb` on a fresh kernel (`make bench`), wall | 280 s (0.47x the notebook at "
        "b17cc73) |",
        "| `evidence.ipynb` on a fresh kernel (`make bench`), wall | 1000 s (1.67x the notebook "
        "at b17cc73) |",
        "| `lab4.ipynb` under 5 other seeds (papermill, `make seeds`) | every assert held in 4 "
        "of 5 |",
    ):
        assert expected in text, expected


def fake_notebook():
    return {
        "baseline": {"revision": "b17cc73", "wall_seconds": 600.0},
        "lab4": {"wall_seconds": 280.0, "sections": {}, "ratio_to_baseline": 280 / 600},
        "evidence": {
            "wall_seconds": 1000.0,
            "sections": {"xor": 300.0, "mnist": 500.5},
            "ratio_to_baseline": 1000 / 600,
        },
        "measured_on": "2026-12-01",
    }


def test_report_compares_the_notebooks_with_the_baseline_revision_of_the_same_run(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "OUT", tmp_path / "bench_out")
    (tmp_path / "bench_out").mkdir()
    notebook = fake_notebook()
    (tmp_path / "bench_out" / "notebook.json").write_text(json.dumps(notebook), encoding="utf-8")
    run.report()
    md = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "## 1. Notebooks on fresh kernels, one run" in md and "Measured on 2026-12-01." in md
    assert "| `lab4.ipynb` at b17cc73 | 600 | 1.00 | | |" in md
    # "met" is computed from the seconds: 280 / 600 is within 0.5x, 1000 / 600 is not within 1.6x
    assert "| `lab4.ipynb` | 280 | 0.47 | <= 0.5 | yes |" in md
    assert "| `evidence.ipynb` | 1000 | 1.67 | <= 1.6 | no |" in md
    assert "| `evidence.ipynb` | mnist | 500.5 |" in md
    saved = json.loads((tmp_path / "BENCHMARKS.json").read_text(encoding="utf-8"))["notebook"]
    assert saved["evidence"]["wall_seconds"] == 1000.0 and saved["measured_on"] == "2026-12-01"


def test_a_run_without_the_seeds_part_keeps_the_committed_seeds_section(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "OUT", tmp_path / "bench_out")
    (tmp_path / "bench_out").mkdir()
    row = {"seed": 7, "asserts_held": True, "wall_seconds": 236.0}
    committed = {"written_on": "2026-12-02", "seeds": {"seeds": [7], "runs": [row]}}
    (tmp_path / "BENCHMARKS.json").write_text(json.dumps(committed), encoding="utf-8")
    (tmp_path / "bench_out" / "notebook.json").write_text(
        json.dumps(fake_notebook()), encoding="utf-8"
    )
    run.report()
    md = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "Not measured in this run (no `bench_out/seeds.json`)" not in md
    assert "Measured on 2026-12-02; not measured in this run, so taken from the committed" in md
    assert "| `lab4.ipynb` | 280 | 0.47 | <= 0.5 | yes |" in md  # this run's notebook part
    saved = json.loads((tmp_path / "BENCHMARKS.json").read_text(encoding="utf-8"))
    assert saved["seeds"]["runs"] == [row] and saved["seeds"]["measured_on"] == "2026-12-02"


def test_report_says_what_this_run_did_not_measure(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "OUT", tmp_path / "bench_out")
    (tmp_path / "bench_out").mkdir()
    # a notebook part from before the split into two notebooks is not read as this one
    old = {"wall_seconds": 660.0, "sections": {"total": 640.0}, "ratio_to_baseline": 1.1}
    (tmp_path / "bench_out" / "notebook.json").write_text(json.dumps(old), encoding="utf-8")
    run.report()
    assert "before the split" in capsys.readouterr().err
    md = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "Not measured in this run (no `bench_out/notebook.json`)" in md
    assert "Not measured in this run (no `bench_out/seeds.json`)" in md
    assert "660" not in md
    for part in ("mnist", "tutorial", "derivatives"):
        assert f"it was not measured in this run (no `bench_out/{part}.json`), and nor does" in md


def fake_tutorial():
    keys = ("tanh_1000_epochs", "relu_1000_epochs", "mnist_single_30_epochs")
    t = {f"ours_{k}": v for k, v in zip(keys, (0.5, 0.6, 8.0))}
    t.update({f"seed_{k}": v for k, v in zip(keys, (25.0, 30.0, 16.0))})
    t.update(ours_mnist_single_test_accuracy=0.9273, seed_mnist_single_test_accuracy=0.9271)
    return t


def fake_derivatives():
    row = {"seed_seconds": 7.5, "ours_seconds": 2.5e-05, "speedup": 3e5, "max_abs_diff": 6e-08}
    return {"elements": 10000, "functions": {"tanh": row}}


def test_report_takes_a_part_missing_from_bench_out_from_the_committed_benchmarks_json(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "OUT", tmp_path / "bench_out")
    (tmp_path / "bench_out").mkdir()
    # A first report from the raw parts, then a fresh clone: BENCHMARKS.json kept, bench_out gone
    # but for a seeds part of its own.
    for name, part in (("mnist", fake_mnist()), ("tutorial", fake_tutorial())):
        part["measured_on"] = "2026-11-20"
        (tmp_path / "bench_out" / f"{name}.json").write_text(json.dumps(part), encoding="utf-8")
    run.report()
    first = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    for name in ("mnist", "tutorial"):
        (tmp_path / "bench_out" / f"{name}.json").unlink()
    seeds = {"seeds": [1], "runs": [{"seed": 1, "asserts_held": True, "wall_seconds": 300.0}]}
    (tmp_path / "bench_out" / "seeds.json").write_text(json.dumps(seeds), encoding="utf-8")
    run.report()
    md = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    carried = (
        "Measured on 2026-11-20; not measured in this run, so taken from the committed "
        "`BENCHMARKS.json`."
    )
    assert md.count(carried) == 2 and carried not in first
    # the sections are written as from the raw parts, apart from that line
    for heading in ("## 2. MNIST", "## 4. The seed's tutorial"):
        section = md[md.index(heading) :].split("\n## ")[0]
        assert section.replace(carried, "Measured on 2026-11-20.") in first
    assert "**0.71 (0.50-1.00)**" in md and "| all three | 9.10 | 71.00 | 7.8x |" in md
    assert "| 1 | yes |" in md
    # and the carried figures stay in BENCHMARKS.json, still dated when they were measured
    saved = json.loads((tmp_path / "BENCHMARKS.json").read_text(encoding="utf-8"))
    assert saved["mnist_speed"]["measured_on"] == "2026-11-20"
    assert saved["tutorial"]["ours_tanh_1000_epochs"] == 0.5
    assert saved["tutorial"]["measured_on"] == "2026-11-20"
    assert "derivatives" not in saved


def test_report_takes_old_benchmarks_json_figures_only_where_their_section_can_use_them(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "OUT", tmp_path / "bench_out")
    # BENCHMARKS.json as written before parts were dated: one date for the file; its MNIST speed
    # figures timed 98% test accuracy (time_to_98_ratio), which section 2 no longer reports.
    speed = run.mnist_summary(fake_mnist())
    for k in ("time_to_98_val_ratio", "ours_seconds_to_98_val", "reference_seconds_to_98_val"):
        speed["spread"][k.replace("_val", "")] = speed["spread"].pop(k)
    committed = {
        "measured_on": "2026-11-25",
        "mnist_speed": speed,
        "tutorial": fake_tutorial(),
        "derivatives": fake_derivatives(),
    }
    (tmp_path / "BENCHMARKS.json").write_text(json.dumps(committed), encoding="utf-8")
    run.report()
    md = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "## 2. MNIST" not in md
    assert (
        "Section 2 (MNIST training speed) is left out: it was not measured in this run (no "
        "`bench_out/mnist.json`), and the committed `BENCHMARKS.json` holds figures for it "
        "(measured on 2026-11-25) in an older form" in md
    )
    assert md.count("Measured on 2026-11-25; not measured in this run") == 2
    assert "| tanh | 0.025 | 7.50 | 300,000x | 6.0e-08 |" in md


def test_load_dates_a_part_saved_without_a_date_by_its_file(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "OUT", tmp_path)
    path = tmp_path / "tutorial.json"
    path.write_text(json.dumps(fake_tutorial()), encoding="utf-8")
    os.utime(path, (1_790_000_000, 1_790_000_000))
    expected = time.strftime("%Y-%m-%d", time.localtime(1_790_000_000))
    assert run.load("tutorial")["measured_on"] == expected
    assert run.load("derivatives") is None
