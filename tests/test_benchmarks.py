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
        "seconds_to_98": to_98,
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
    # A run that never reached 98% has no time-to-98 ratio; the others are still summarised.
    assert per_round[2]["time_to_98_ratio"] is None
    assert st["time_to_98_ratio"]["n"] == 2 and st["time_to_98_ratio"]["median"] == pytest.approx(
        (0.25 + 1.0) / 2
    )
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
