"""Measured figures for this lab against its anchors; writes BENCHMARKS.md, BENCHMARKS.json and the
README's Results.

    python -m benchmarks.run [PART ...]
        (make bench runs them all; make seeds runs `seeds` alone; `report` only rewrites the files)

Parts (each saves bench_out/PART.json with the date it was measured; the reports are assembled
from the parts present):
  derivatives  the seed's np.vectorize + evalf functions vs helpers.backprop on 10^4 elements
  tutorial     the seed's tutorial training steps as written (only Keras 3's forced edits) vs ours
  mnist        Problem 6's recipe vs the earlier recipe (benchmarks/anchor.py) and the Keras
               reference MLP, all trained by `model.fit`: training seconds, share of the float32
               matmul peak, seconds to 98% validation accuracy (the test set is read once, at the
               end of each run), and a per-epoch breakdown (augmentation, forward, backward,
               optimizer, validation, overhead)
  seeds        the model answer lab4.ipynb executed by papermill under seeds 1, 2, 3, 7 and 11,
               each into bench_out/seeds/seedN/: whether every assert held, and the headline
               figures of each run's results.json
  notebook     on fresh kernels, one after another: the single notebook at b17cc73, lab4.ipynb
               and evidence.ipynb; wall seconds and each one's ratio to b17cc73 (aims: lab4 at
               most 0.5x, evidence at most 1.6x)
bench_out/ is git-ignored: a report run without the mnist, tutorial or derivatives part (a fresh
clone, or `python -m benchmarks.run notebook seeds`) keeps that section's figures from the
committed BENCHMARKS.json, with the date they were measured. The README's Results block is
written from the committed results.json (lab4.ipynb) and evidence.json (evidence.ipynb), and from
the seeds and notebook parts when present.
Run it on an otherwise idle machine: the timings are wall-clock, and every ratio is taken within one
run.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench_out"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(ROOT))


def clock(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t0


# ----------------------------------------------------------------------------- derivatives
def part_derivatives(n=10_000):
    import numpy as np
    import sympy as sp

    from helpers import backprop

    # The seed's functions, as written in the lab text.
    x, y = sp.symbols("x"), sp.symbols("y")
    g = (sp.exp(2 * x) - 1) / (sp.exp(2 * x) + 1)
    f = 1 / (sp.exp(-x) + 1)
    b = -(y * sp.log(x) + (1 - y) * sp.log(1 - x))
    dg, dfdx, dbdx = g.diff(x), f.diff(x), b.diff(x)
    seed = {
        "tanh": np.vectorize(lambda x_: np.float32(g.evalf(subs={"x": x_}))),
        "dtanh": np.vectorize(lambda x_: np.float32(dg.evalf(subs={"x": x_}))),
        "sigmoid": np.vectorize(lambda x_: np.float32(f.evalf(subs={"x": x_}))),
        "dsigmoid": np.vectorize(lambda x_: np.float32(dfdx.evalf(subs={"x": x_}))),
        "bce": np.vectorize(lambda y_, x_: np.float32(b.evalf(subs={"x": x_, "y": y_}))),
        "dbce": np.vectorize(lambda y_, x_: np.float32(dbdx.evalf(subs={"x": x_, "y": y_}))),
    }
    ours = {
        "tanh": backprop.ACTIVATIONS["tanh"],
        "dtanh": backprop.DERIVATIVES["tanh"],
        "sigmoid": backprop.ACTIVATIONS["sigmoid"],
        "dsigmoid": backprop.DERIVATIVES["sigmoid"],
        "bce": backprop.bce,
        "dbce": backprop.dbce,
    }
    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, n).astype(np.float32)
    a = rng.uniform(0.01, 0.99, n).astype(np.float32)
    t = rng.integers(0, 2, n).astype(np.float32)
    rows = {}
    reps = 50
    for name, seed_fn in seed.items():
        args = (t, a) if name in ("bce", "dbce") else (z,)
        s_out, s_sec = clock(seed_fn, *args)
        ours[name](*args)  # warm
        _, o_sec = clock(lambda fn=ours[name], args=args: [fn(*args) for _ in range(reps)])
        o_sec /= reps
        rows[name] = {
            "seed_seconds": s_sec,
            "ours_seconds": o_sec,
            "speedup": s_sec / o_sec,
            "max_abs_diff": float(np.abs(np.asarray(s_out, np.float64) - ours[name](*args)).max()),
        }
        print(
            f"  {name}: seed {s_sec:.2f} s, ours {o_sec * 1e6:.0f} us, x{s_sec / o_sec:,.0f}",
            flush=True,
        )
    return {"elements": n, "functions": rows}


# ----------------------------------------------------------------------------- tutorial
def part_tutorial():
    import keras
    import tensorflow as tf

    from helpers import data, models, training, xor

    tf.get_logger().setLevel("ERROR")
    X, Y = xor.X, xor.Y
    (xtr, ytr), (xte, yte) = data.load_mnist()
    xtr, ytr = data.prepare(xtr, ytr)
    xte, yte = data.prepare(xte, yte)
    out = {}

    # --- the seed, as written (Sequential + input_dim -> keras.Input, lr -> learning_rate)
    keras.utils.set_random_seed(0)
    tanh = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(2, activation="tanh"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    tanh.compile(
        loss=keras.losses.BinaryCrossentropy(),
        optimizer=keras.optimizers.SGD(learning_rate=0.1),
        metrics=[keras.metrics.BinaryAccuracy()],
    )
    tanh.fit(X, Y, epochs=1, verbose=0, shuffle=False)
    _, out["seed_tanh_1000_epochs"] = clock(tanh.fit, X, Y, batch_size=1, epochs=1000, verbose=0)
    relu = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(
                2, activation="relu", bias_initializer=keras.initializers.Constant(0.1)
            ),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    relu.compile(loss=keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.Nadam())
    _, out["seed_relu_1000_epochs"] = clock(relu.fit, X, Y, batch_size=1, epochs=1000, verbose=0)
    single = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    single.compile(
        loss=keras.losses.CategoricalCrossentropy(),
        optimizer=keras.optimizers.Nadam(),
        metrics=[keras.metrics.CategoricalAccuracy()],
    )
    _, out["seed_mnist_single_30_epochs"] = clock(
        single.fit, xtr, ytr, batch_size=128, epochs=30, verbose=0, validation_split=0.2
    )
    out["seed_mnist_single_test_accuracy"] = float(single.evaluate(xte, yte, verbose=0)[1])

    # --- ours, the same steps
    keras.utils.set_random_seed(0)
    tanh = models.xor_net((2,), "tanh")
    tanh.fit(X, Y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    _, out["ours_tanh_1000_epochs"] = clock(
        training.fit_in_graph, tanh, X, Y, epochs=1000, batch_size=1, seed=0
    )
    relu = models.xor_net(
        (2,),
        "relu",
        bias_initializer=keras.initializers.Constant(0.1),
        optimizer=keras.optimizers.Nadam(),
    )
    _, out["ours_relu_1000_epochs"] = clock(
        training.fit_in_graph, relu, X, Y, epochs=1000, batch_size=1, seed=0
    )
    single = models.mnist_mlp((), None, dropout=0.0, steps_per_execution=16)
    _, out["ours_mnist_single_30_epochs"] = clock(
        single.fit, xtr, ytr, batch_size=128, epochs=30, verbose=0, validation_split=0.2
    )
    out["ours_mnist_single_test_accuracy"] = float(single.evaluate(xte, yte, verbose=0)[1])
    for k, v in out.items():
        print(f"  {k}: {v:.3f}", flush=True)
    return out


# ----------------------------------------------------------------------------- mnist
def _matmul_peak():
    import numpy as np

    a = np.random.default_rng(0).random((2048, 2048), dtype=np.float32)
    a @ a
    _, sec = clock(lambda: [a @ a for _ in range(5)])
    return 5 * 2 * 2048**3 / sec / 1e9


def _flops_per_sample(hidden, n_in=784, n_out=10):
    sizes = [n_in, *hidden, n_out]
    macs = sum(a * b for a, b in itertools.pairwise(sizes))
    return 6 * macs  # forward 2 FLOPs per multiply-add, backward twice that


def _mnist_data():
    from helpers import data

    (xtr, ytr), (xte, yte) = data.load_mnist()
    return (*data.prepare(xtr, ytr), *data.prepare(xte, yte))


def _breakdown(model, recipe, xtr, ytr, validation_batch_size=None):
    """Seconds per epoch spent in each part of training, measured part by part on the same batches;
    the whole epoch is timed in ``model.fit`` (as every recipe here is trained), validating in
    batches of ``validation_batch_size`` (``fit``'s default, the training batch size, if None)."""
    import numpy as np
    import tensorflow as tf

    from helpers import training

    n_fit = training.fit_rows(len(xtr), recipe["validation_split"])
    x_fit, y_fit, x_val, y_val = xtr[:n_fit], ytr[:n_fit], xtr[n_fit:], ytr[n_fit:]
    bs = recipe["batch_size"]
    batches = [
        (tf.constant(x_fit[i : i + bs]), tf.constant(y_fit[i : i + bs]))
        for i in range(0, len(x_fit), bs)
    ]
    shift = next((layer for layer in model.layers if layer.name == "random_shift"), None)
    variables = model.trainable_variables
    model.optimizer.build(variables)

    # Each part runs a whole epoch's batches in one graph call (fit runs steps_per_execution batches
    # a call, which the last row's overhead then includes), and returns a value built from
    # everything it computed, so that nothing is pruned from the graph.
    def aug(x, y):
        return tf.reduce_sum(shift(x, training=True)) if shift is not None else tf.reduce_sum(x)

    def forward(x, y):
        return model.compute_loss(x=x, y=y, y_pred=model(x, training=True), training=True)

    def gradients(x, y):
        with tf.GradientTape() as tape:
            loss = model.compute_loss(x=x, y=y, y_pred=model(x, training=True), training=True)
        return tf.add_n([tf.reduce_sum(g) for g in tape.gradient(loss, variables)])

    def step(x, y):
        with tf.GradientTape() as tape:
            loss = model.compute_loss(x=x, y=y, y_pred=model(x, training=True), training=True)
        model.optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    xs, ys = tf.stack([x for x, _ in batches[:-1]]), tf.stack([y for _, y in batches[:-1]])
    last = batches[-1]

    def epoch(body):
        @tf.function
        def run_epoch():
            total = body(*last)
            for i in tf.range(len(batches) - 1):
                total += body(xs[i], ys[i])
            return total

        run_epoch()  # trace
        _, sec = clock(lambda: run_epoch().numpy())
        return sec

    t = {
        "augmentation": epoch(aug),
        "forward": epoch(forward),
        "forward+backward": epoch(gradients),
        "full step": epoch(step),
    }

    class Epochs(__import__("keras").callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.sec = []

        def on_epoch_begin(self, e, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, e, logs=None):
            self.sec.append(time.perf_counter() - self.t0)

    cb = Epochs()
    keras_fit(
        model,
        xtr,
        ytr,
        batch_size=bs,
        epochs=3,
        validation_split=recipe["validation_split"],
        validation_batch_size=validation_batch_size,
        callbacks=[cb],
    )
    fit_epoch = float(np.mean(cb.sec[1:]))
    vbs = validation_batch_size or bs
    model.evaluate(x_val[:vbs], y_val[:vbs], batch_size=vbs, verbose=0)
    _, t["validation pass"] = clock(model.evaluate, x_val, y_val, batch_size=vbs, verbose=0)
    rows = {
        "augmentation (shift layer)": t["augmentation"],
        "forward (rest of the net)": t["forward"] - t["augmentation"],
        "backward": t["forward+backward"] - t["forward"],
        "optimizer update": t["full step"] - t["forward+backward"],
        "validation pass": t["validation pass"],
        "loop overhead (data feeding, metrics, callbacks)": fit_epoch
        - t["full step"]
        - t["validation pass"],
    }
    return {"fit_epoch_seconds": fit_epoch, "parts": rows}


ROUNDS = 3


def keras_fit(model, x, y, **kwargs):
    """``model.fit`` quietly: how every recipe in the speed part is trained, so that its rows
    compare recipes, not training loops."""
    return model.fit(x, y, verbose=0, **kwargs)


# ``training.train_mlp`` validates in batches of 4,000; the anchor and the reference use ``fit``'s
# default (their training batch size).
OURS_VALIDATION_BATCH = 4000


def val_accuracy(logs):
    """The validation accuracy in one epoch's ``fit`` logs (``val_accuracy`` or, for a metric named
    otherwise, the one ``val_*accuracy`` key); None when ``fit`` did not validate."""
    logs = logs or {}
    if "val_accuracy" in logs:
        return float(logs["val_accuracy"])
    keys = [k for k in logs if k.startswith("val_") and k.endswith("accuracy")]
    return float(logs[keys[0]]) if len(keys) == 1 else None


def seconds_to(threshold, seconds, accuracies):
    """The first cumulative training time at which ``accuracies`` reaches ``threshold``, or None."""
    return next((s for s, a in zip(seconds, accuracies) if a is not None and a >= threshold), None)


def read_test_accuracy(model, x, y):
    """Accuracy on the test set, read once (``evaluate``'s ``accuracy`` metric)."""
    scores = model.evaluate(x, y, verbose=0, batch_size=2000, return_dict=True)
    return float(next(v for k, v in scores.items() if k.endswith("accuracy")))


def part_mnist():
    import keras
    import tensorflow as tf

    from benchmarks import anchor
    from helpers import training

    tf.get_logger().setLevel("ERROR")
    xtr, ytr, xte, yte = _mnist_data()

    class ValidationTrace(keras.callbacks.Callback):
        """Cumulative training seconds and ``fit``'s validation accuracy after each epoch (on the
        rows ``validation_split`` holds out: the last 12,000 training rows). Nothing extra is
        evaluated, so the seconds are ``fit``'s own, its validation pass included."""

        def on_train_begin(self, logs=None):
            self.train_seconds, self.acc, self.elapsed = [], [], 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.elapsed += time.perf_counter() - self.t0
            self.train_seconds.append(self.elapsed)
            self.acc.append(val_accuracy(logs))

    def run(model, recipe, validation_batch_size=None):
        trace = ValidationTrace()
        keras_fit(
            model,
            xtr,
            ytr,
            batch_size=recipe["batch_size"],
            epochs=recipe["epochs"],
            validation_split=recipe["validation_split"],
            validation_batch_size=validation_batch_size,
            callbacks=[trace],
        )
        samples = int(len(xtr) * (1 - recipe["validation_split"])) * recipe["epochs"]
        return {
            "final_test_accuracy": read_test_accuracy(model, xte, yte),  # the test set, read once
            "seconds_to_98_val": seconds_to(0.98, trace.train_seconds, trace.acc),
            "train_seconds": trace.train_seconds[-1],
            "epoch_val_accuracy": trace.acc,
            "gflops": _flops_per_sample(recipe["hidden"]) * samples / trace.train_seconds[-1] / 1e9,
            "recipe": recipe,
        }

    def reference():  # Keras's reference MLP (keras-io mnist_mlp), as published
        ref = keras.Sequential(
            [
                keras.Input((784,)),
                keras.layers.Dense(512, activation="relu"),
                keras.layers.Dropout(0.2),
                keras.layers.Dense(512, activation="relu"),
                keras.layers.Dropout(0.2),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        ref.compile(
            loss="categorical_crossentropy",
            optimizer=keras.optimizers.RMSprop(),
            metrics=["accuracy"],
        )
        return ref

    recipe = training.mnist_recipe("relu")
    ref_recipe = {"hidden": [512, 512], "epochs": 20, "batch_size": 128, "validation_split": 0.2}
    builds = {
        "ours": (lambda: training.build_mlp(recipe, xtr), recipe, OURS_VALIDATION_BATCH),
        "anchor": (lambda: anchor.build(xtr), anchor.RECIPE, None),
        "reference": (reference, ref_recipe, None),
    }
    # Epoch times on this shared VM swing by up to 1.5x from minute to minute, so the three recipes
    # are run in ROUNDS interleaved rounds (peak, ours, anchor, reference), and every ratio is taken
    # within a round.
    out = {"rounds": []}
    for i in range(ROUNDS):
        rnd = {"matmul_peak_gflops": _matmul_peak()}
        for name, (build, rec, val_batch) in builds.items():
            keras.utils.set_random_seed(0)
            rnd[name] = run(build(), rec, val_batch)
            print(
                f"  round {i + 1} {name}:",
                {k: v for k, v in rnd[name].items() if k not in ("epoch_val_accuracy", "recipe")},
                flush=True,
            )
        out["rounds"].append(rnd)
    out["matmul_peak_gflops_after"] = _matmul_peak()
    keras.utils.set_random_seed(0)
    out["breakdown"] = {
        "ours": _breakdown(training.build_mlp(recipe, xtr), recipe, xtr, ytr, OURS_VALIDATION_BATCH)
    }
    keras.utils.set_random_seed(0)
    out["breakdown"]["anchor"] = _breakdown(anchor.build(xtr), anchor.RECIPE, xtr, ytr)
    print("  breakdown:", json.dumps(out["breakdown"], indent=1), flush=True)
    return out


# ----------------------------------------------------------------------------- seeds
SEEDS = (1, 2, 3, 7, 11)


def _get(d, *keys):
    """``d[k1][k2]...``, or None where a key (or a dict on the way) is missing."""
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def _fmt(value, spec="{:.4f}"):
    """``spec.format(value)``, or "-" for a missing (or unformattable) value."""
    if value is None:
        return "-"
    try:
        return spec.format(value)
    except (TypeError, ValueError, IndexError, KeyError):
        return "-"


def _ci(ci, spec="{:.1%}", sep="-"):
    """A 95% interval as "low-high", or "-"."""
    if not isinstance(ci, (list, tuple)) or len(ci) != 2:
        return "-"
    low, high = _fmt(ci[0], spec), _fmt(ci[1], spec)
    return "-" if "-" in (low, high) else f"{low}{sep}{high}"


def _numbers(values):
    if not isinstance(values, (list, tuple)):
        return []
    return [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _mean(values):
    values = _numbers(values)
    return sum(values) / len(values) if values else None


def _min(values):
    values = _numbers(values)
    return min(values) if values else None


def _first_last(values):
    """The first and last entries of a per-epoch list, (None, None) when it is not one."""
    if not isinstance(values, (list, tuple)) or not values:
        return None, None
    return tuple(v if isinstance(v, (int, float)) else None for v in (values[0], values[-1]))


def _headline(res):
    """The headline figures of one lab4.ipynb run's results.json, flat; a figure whose keys are
    missing is None."""
    tanh_first, tanh_last = _first_last(_get(res, "tanh", "val_accuracy"))
    relu_first, relu_last = _first_last(_get(res, "relu", "val_accuracy"))
    return {
        "backprop_max_abs_diff": _get(res, "backprop_max_abs_diff"),
        "single_layer_test_accuracy": _get(res, "single_layer_test_accuracy"),
        "p1_accuracy": _get(res, "p1", "accuracy"),
        "p3_start": _get(res, "p3", "start"),
        "p3_params": _get(res, "p3", "params"),
        "tanh_test_accuracy": _get(res, "tanh", "test_accuracy"),
        "tanh_val_epoch1": tanh_first,
        "tanh_val_final": tanh_last,
        "relu_test_accuracy": _get(res, "relu", "test_accuracy"),
        "relu_val_epoch1": relu_first,
        "relu_val_final": relu_last,
    }


def seeds_table(runs):
    """BENCHMARKS.md's table of lab4.ipynb under other seeds (one row per run)."""
    lines = [
        "| seed | all asserts held | P3 start | tanh test | ReLU test | validation after epoch 1, "
        "tanh / ReLU | backprop diff | single layer | wall s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in runs:
        seed, wall = row.get("seed", "-"), _fmt(row.get("wall_seconds"), "{:.0f}")
        if not row.get("asserts_held"):
            lines.append(f"| {seed} | **no**: {row.get('error', '')} | | | | | | | {wall} |")
            continue
        lines.append(
            f"| {seed} | yes | {_fmt(row.get('p3_start'), '{}')} | "
            f"{_fmt(row.get('tanh_test_accuracy'))} | {_fmt(row.get('relu_test_accuracy'))} | "
            f"{_fmt(row.get('tanh_val_epoch1'))} / {_fmt(row.get('relu_val_epoch1'))} | "
            f"{_fmt(row.get('backprop_max_abs_diff'), '{:.1e}')} | "
            f"{_fmt(row.get('single_layer_test_accuracy'))} | {wall} |"
        )
    return lines


def part_seeds(seeds=SEEDS):
    """Execute lab4.ipynb with papermill under each seed; every assert in it must hold."""
    import papermill as pm

    out = {"seeds": list(seeds), "runs": []}
    for s in seeds:
        folder = OUT / "seeds" / f"seed{s}"
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        row = {"seed": s, "folder": str(folder.relative_to(ROOT))}
        try:
            pm.execute_notebook(
                str(ROOT / "lab4.ipynb"),
                str(folder / "lab4.ipynb"),
                parameters={"SEED": s, "OUTPUT_DIR": str(folder)},
                cwd=str(ROOT),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
            )
            row["asserts_held"] = True
        except pm.PapermillExecutionError as err:
            row["asserts_held"] = False
            row["error"] = f"cell {err.exec_count}: {err.ename}: {err.evalue}"
        row["wall_seconds"] = time.perf_counter() - t0
        results = folder / "results.json"
        if row["asserts_held"] and results.exists():
            row.update(_headline(json.loads(results.read_text(encoding="utf-8"))))
        out["runs"].append(row)
        print(
            f"  seed {s}: asserts held: {row['asserts_held']} ({row['wall_seconds']:.0f} s)",
            row.get("error", ""),
            flush=True,
        )
    return out


# ----------------------------------------------------------------------------- notebook
# The notebook issue 16 measured at about 300 s: the speed aim is "no more than 10% slower" than it,
# measured in the same run (machines of this kind differ by up to 1.5x, so never against a number
# from another day).
BASELINE_REV = "b17cc73"
# The aims, as ratios of wall seconds to the notebook at BASELINE_REV in the same run.
AIMS = {"lab4": 0.5, "evidence": 1.6}


def _ratio(n, name):
    """``name``'s wall seconds over the baseline's, both from the notebook part ``n``; the stored
    ratio when the seconds are missing; None when neither is there."""
    wall, base = _get(n, name, "wall_seconds"), _get(n, "baseline", "wall_seconds")
    if _numbers([wall, base]) == [wall, base] and base > 0:
        return wall / base
    ratio = _get(n, name, "ratio_to_baseline")
    return ratio if _numbers([ratio]) == [ratio] else None


def _execute(notebook, cwd, out_dir, results="results.json"):
    """Run ``notebook`` top to bottom on a fresh kernel (nbconvert --execute), its results file and
    figures going to ``out_dir``; return ``(wall seconds, the results file as a dict or {})``."""
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    t0 = time.perf_counter()
    subprocess.run(
        [
            jupyter,
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=3600",
            "--output-dir",
            str(out_dir),
            "--output",
            "run.ipynb",
            str(notebook),
        ],
        check=True,
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "LAB4_OUTPUT_DIR": str(out_dir), "PYTHONPATH": str(cwd)},
    )
    wall = time.perf_counter() - t0
    path = Path(out_dir) / results
    return wall, json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def part_notebook(baseline=BASELINE_REV):
    """On fresh kernels, one after another: the ``baseline`` revision's notebook (from ``git
    archive``, its own helpers beside it), the model answer lab4.ipynb and evidence.ipynb; wall
    seconds and each one's ratio to the baseline, measured in this one run."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = {}
        if baseline:
            old = tmp / "baseline"
            old.mkdir()
            tar = subprocess.run(
                ["git", "archive", baseline], cwd=ROOT, check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(old)], input=tar, check=True)
            (tmp / "baseline_out").mkdir()
            wall, res = _execute(old / "lab4.ipynb", old, tmp / "baseline_out")
            out["baseline"] = {"revision": baseline, "wall_seconds": wall}
            print(f"  notebook at {baseline}: {wall:.1f} s wall", flush=True)
        for name, results in (("lab4", "results.json"), ("evidence", "evidence.json")):
            (tmp / name).mkdir()
            wall, res = _execute(ROOT / f"{name}.ipynb", ROOT, tmp / name, results)
            out[name] = {"wall_seconds": wall, "sections": res.get("seconds", {})}
            print(f"  {name}.ipynb: {wall:.1f} s wall", flush=True)
            if baseline:
                out[name]["ratio_to_baseline"] = wall / out["baseline"]["wall_seconds"]
                print(f"  ratio to {baseline}: {out[name]['ratio_to_baseline']:.2f}", flush=True)
    return out


PARTS = {
    "derivatives": part_derivatives,
    "tutorial": part_tutorial,
    "mnist": part_mnist,
    "seeds": part_seeds,
    "notebook": part_notebook,
}


# ----------------------------------------------------------------------------- report
def _median(values):
    v = sorted(values)
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2


def speed_summary(m):
    """Per-round ratios of the MNIST speed part (each within one round) and their median and
    range."""
    per_round = []
    for rnd in m["rounds"]:
        o, a, r, peak = rnd["ours"], rnd["anchor"], rnd["reference"], rnd["matmul_peak_gflops"]
        per_round.append(
            {
                "train_seconds_ratio": o["train_seconds"] / a["train_seconds"],
                "share_of_peak": o["gflops"] / peak,
                "anchor_share_of_peak": a["gflops"] / peak,
                "time_to_98_val_ratio": o["seconds_to_98_val"] / r["seconds_to_98_val"]
                if o["seconds_to_98_val"] and r["seconds_to_98_val"]
                else None,
                # What ours would take at 100% of the measured peak (same FLOPs), against the
                # anchor's measured time: no float32 recipe with ours' arithmetic can have a lower
                # train-seconds ratio on this machine.
                "floor_ratio": o["gflops"] * o["train_seconds"] / peak / a["train_seconds"],
                "ours_seconds": o["train_seconds"],
                "anchor_seconds": a["train_seconds"],
                "reference_seconds": r["train_seconds"],
                "ours_seconds_to_98_val": o["seconds_to_98_val"],
                "reference_seconds_to_98_val": r["seconds_to_98_val"],
                "ours_gflops": o["gflops"],
                "peak_gflops": peak,
                "ours_test_accuracy": o["final_test_accuracy"],
                "anchor_test_accuracy": a["final_test_accuracy"],
                "reference_test_accuracy": r["final_test_accuracy"],
            }
        )
    keys = per_round[0].keys()
    stats = {}
    for k in keys:
        vals = [row[k] for row in per_round if row[k] is not None]
        stats[k] = (
            {"median": _median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}
            if vals
            else None
        )
    return per_round, stats


def load(name):
    """bench_out/NAME.json, with the date it was measured (``measured_on``, which ``main`` writes
    into each part; for a part saved before that, the file's modification date), or None."""
    path = OUT / f"{name}.json"
    part = _read_json(path)
    if isinstance(part, dict) and "measured_on" not in part:
        part["measured_on"] = time.strftime("%Y-%m-%d", time.localtime(path.stat().st_mtime))
    return part


def mnist_summary(m):
    """The MNIST speed part as BENCHMARKS.json holds it (and as section 2 is written from): the
    per-round ratios, their median and range, the recipes and the per-epoch breakdown."""
    per_round, st = speed_summary(m)
    return {
        "train_seconds_ratio": st["train_seconds_ratio"]["median"],
        "share_of_peak": st["share_of_peak"]["median"],
        "time_to_98_val_ratio": st["time_to_98_val_ratio"]["median"]
        if st["time_to_98_val_ratio"]
        else None,
        "floor_ratio": st["floor_ratio"]["median"],
        "statistic": f"median over {len(per_round)} interleaved rounds; each ratio taken "
        "within one round",
        "spread": st,
        "rounds": per_round,
        "matmul_peak_gflops_after": m.get("matmul_peak_gflops_after"),
        "recipes": {k: m["rounds"][0][k]["recipe"] for k in ("ours", "anchor", "reference")},
        "breakdown": m["breakdown"],
        "measured_on": m.get("measured_on"),
    }


MNIST_SPREAD_KEYS = (
    "train_seconds_ratio",
    "share_of_peak",
    "anchor_share_of_peak",
    "time_to_98_val_ratio",
    "floor_ratio",
    "ours_seconds",
    "anchor_seconds",
    "ours_seconds_to_98_val",
    "reference_seconds_to_98_val",
    "ours_gflops",
    "peak_gflops",
    "ours_test_accuracy",
    "anchor_test_accuracy",
    "reference_test_accuracy",
)
TUTORIAL_KEYS = tuple(
    f"{who}_{k}"
    for who in ("seed", "ours")
    for k in (
        "tanh_1000_epochs",
        "relu_1000_epochs",
        "mnist_single_30_epochs",
        "mnist_single_test_accuracy",
    )
)
# The parts that bench_out/ (git-ignored) may lack on a fresh clone, by their key in
# BENCHMARKS.json, and the keys each section of BENCHMARKS.md is written from there.
CARRIED = {
    "mnist": ("mnist_speed", ("spread", "rounds", "recipes", "breakdown")),
    "tutorial": ("tutorial", TUTORIAL_KEYS),
    "derivatives": ("derivatives", ("elements", "functions")),
}


def from_committed(part, committed):
    """The figures of ``part`` ("mnist", "tutorial" or "derivatives") in the committed
    BENCHMARKS.json (``committed``), in the form its section is written from and with the date they
    were measured (the entry's own ``measured_on``, else the file's), and None; or None and why
    they cannot be used (the file lacks them, or holds them in an older form)."""
    key, needed = CARRIED[part]
    entry = _get(committed, key)
    if not isinstance(entry, dict):
        return None, "nor does the committed `BENCHMARKS.json` hold figures for it"
    entry = {**entry, "measured_on": entry.get("measured_on") or committed.get("measured_on")}
    spread = entry.get("spread") if part == "mnist" else None
    if any(k not in entry for k in needed) or (
        part == "mnist" and any(k not in (spread or {}) for k in MNIST_SPREAD_KEYS)
    ):
        return None, (
            f"the committed `BENCHMARKS.json` holds figures for it (measured on "
            f"{entry['measured_on'] or 'an unrecorded date'}) in an older form that this "
            "section is not written from"
        )
    return entry, None


def summary_json(d, t, ms, s, n):
    """Every BENCHMARKS.md figure in machine-readable form (BENCHMARKS.json); each entry says when
    it was measured (``measured_on``), since entries may be carried over from an earlier run."""
    j = {"written_on": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} CPU cores"}
    if n:
        j["notebook"] = {
            **n,
            "aims": {k: f"at most {v}x the notebook at {BASELINE_REV}" for k, v in AIMS.items()},
        }
    if ms:
        j["mnist_speed"] = ms
    if t:
        j["tutorial"] = t
    if d:
        j["derivatives"] = d
    if s:
        j["seeds"] = s
    return j


def _when(part, carried=False):
    """The line under a section's heading saying when it was measured, and where it came from."""
    date = part.get("measured_on") or "an unrecorded date"
    if carried:
        return (
            f"Measured on {date}; not measured in this run, so taken from the committed "
            "`BENCHMARKS.json`."
        )
    return f"Measured on {date}."


def notebook_lines(n, carried=False):
    """Section 1: the notebook at the baseline revision, lab4.ipynb and evidence.ipynb, each on a
    fresh kernel in one run, with each one's ratio to the baseline against its aim."""
    lines = ["## 1. Notebooks on fresh kernels, one run", ""]
    if not n:
        return lines + [
            "Not measured in this run (no `bench_out/notebook.json`): `python -m benchmarks.run "
            "notebook` measures it.",
            "",
        ]
    rev = _get(n, "baseline", "revision") or BASELINE_REV
    lines += [
        f"The single notebook at {rev} (before the split into two notebooks), then `lab4.ipynb`"
        " (the model answer), then `evidence.ipynb` (the research), each executed top "
        "to bottom by `nbconvert --execute` on a fresh kernel, one after another in the same run. "
        + _when(n, carried),
        "",
        f"| notebook | wall seconds | ratio to {rev} | aim | met |",
        "|---|---|---|---|---|",
        f"| `lab4.ipynb` at {rev} | {_fmt(_get(n, 'baseline', 'wall_seconds'), '{:.0f}')} | "
        "1.00 | | |",
    ]
    for name, aim in AIMS.items():
        ratio = _ratio(n, name)
        met = "-" if ratio is None else ("yes" if ratio <= aim else "no")
        lines.append(
            f"| `{name}.ipynb` | {_fmt(_get(n, name, 'wall_seconds'), '{:.0f}')} | "
            f"{_fmt(ratio, '{:.2f}')} | <= {aim} | {met} |"
        )
    sections = [
        (name, k, v)
        for name in AIMS
        for k, v in (_get(n, name, "sections") or {}).items()
        if isinstance(v, (int, float))
    ]
    if sections:
        lines += ["", "| notebook | timed section | seconds |", "|---|---|---|"]
        lines += [f"| `{name}.ipynb` | {k} | {v:.1f} |" for name, k, v in sections]
    return lines + [""]


def mnist_lines(ms, carried=False):
    """Section 2, written from the MNIST speed part as BENCHMARKS.json holds it."""
    st = ms["spread"]

    def rng(k, f="{:.2f}"):
        return (
            f"{f.format(st[k]['median'])} ({f.format(st[k]['min'])}-{f.format(st[k]['max'])})"
            if st[k]
            else "n/a"
        )

    pct = "{:.0%}"
    rec = ms["recipes"]["ours"]
    lines = [
        "## 2. MNIST training speed (Problem 6 recipe)",
        "",
        _when(ms, carried),
        "",
        (
            "*Ours*: `training.mnist_recipe('relu')` (whole-pixel shifts by "
            f"`models.RandomIntegerShift`, batch {rec['batch_size']}), trained by "
            "`model.fit` as `training.train_mlp` calls it (32 batches per graph call, "
            "validation in batches of 4,000). *Earlier recipe* (the anchor): "
            "`benchmarks/anchor.py` (shifts by Keras's `RandomTranslation`, batch 128, 16 "
            "batches per graph call, trained by `model.fit`). *Keras reference*: "
            "784-512-512-10 ReLU, dropout 0.2, RMSprop, batch 128, 20 epochs, `model.fit` "
            "(keras-io `mnist_mlp`). All three are trained by `model.fit`, so the rows compare "
            "recipes, not training loops; all with `validation_split=0.2`, all from seed 0. "
            "The time to 98% is read from `fit`'s own validation accuracy after each epoch "
            "(the last 12,000 training rows, which `validation_split=0.2` holds out), so "
            "nothing extra is timed; the test set is read once, at the end of each run."
        ),
        "",
        (
            "Epoch times on this machine swing by up to 1.5x from minute to minute, so the "
            f"three recipes ran in {len(ms['rounds'])} interleaved rounds (matmul peak, ours, "
            "anchor, reference). Every ratio is taken within one round; the table gives the "
            "median over rounds and the range in brackets."
        ),
        "",
        "| measure | ours | anchor | ratio ours / anchor: median (range) | aim |",
        "|---|---|---|---|---|",
        (
            f"| seconds to train one Problem 6 model ({rec.get('epochs', 20)} epochs) | "
            f"{rng('ours_seconds', '{:.1f}')} | earlier recipe "
            f"{rng('anchor_seconds', '{:.1f}')} | **{rng('train_seconds_ratio')}** | <= 0.5 |"
        ),
        (
            "| training throughput as share of the float32 matmul peak "
            f"({rng('peak_gflops', '{:.0f}')} GFLOP/s, same round) | "
            f"**{rng('share_of_peak', pct)}** ({rng('ours_gflops', '{:.0f}')} GFLOP/s) | "
            f"earlier recipe {rng('anchor_share_of_peak', pct)} | | >= 60% |"
        ),
        (
            "| seconds to 98% validation accuracy | "
            f"{rng('ours_seconds_to_98_val', '{:.1f}')} | Keras reference "
            f"{rng('reference_seconds_to_98_val', '{:.1f}')} | "
            f"**{rng('time_to_98_val_ratio')}** | <= 0.5 |"
        ),
        "| ours at 100% of the round's peak (same arithmetic), against the anchor's seconds | "
        f"| | {rng('floor_ratio')} | (bound) |",
        (
            "| final test accuracy (seed 0; the test set read once, after training) | "
            f"{rng('ours_test_accuracy', '{:.4f}')} | earlier "
            f"{rng('anchor_test_accuracy', '{:.4f}')}, reference "
            f"{rng('reference_test_accuracy', '{:.4f}')} | | |"
        ),
        "",
        (
            "The bound row is the lowest train-seconds ratio any float32 recipe doing ours' "
            "arithmetic could reach on this machine: ours' floating-point operations divided "
            "by the matmul peak of the same round, over the anchor's measured seconds."
        ),
        "",
        "The matmul peak after the last round was "
        f"{_fmt(ms.get('matmul_peak_gflops_after'), '{:.0f}')} GFLOP/s.",
        "",
        (
            "Where an epoch goes (seconds per epoch, each part timed on its own over the same "
            "batches, once, after the rounds; a single measurement, so compare the recipes by "
            "the rounds above and read this table down a column):"
        ),
        "",
        "| part | ours | earlier recipe |",
        "|---|---|---|",
    ]
    bo, ba = ms["breakdown"]["ours"], ms["breakdown"]["anchor"]
    lines += [f"| {k} | {bo['parts'][k]:.2f} | {ba['parts'][k]:.2f} |" for k in bo["parts"]]
    lines += [
        "| **one training epoch** (`model.fit`, both) | "
        f"**{bo['fit_epoch_seconds']:.2f}** | **{ba['fit_epoch_seconds']:.2f}** |",
        "",
        (
            "For the earlier recipe the shift (`RandomTranslation`, applied to images) is "
            "inside the forward row. Each part is timed on its own, a whole epoch's batches in "
            "one graph call, and the rows are differences of those timings, so a small "
            "negative row is timing noise. The loop overhead row is what the training loop "
            "adds on top: `model.fit`'s `tf.data` feeding, metric objects and callbacks, "
            "with 32 batches per graph call for ours and 16 for the earlier recipe. The "
            "validation pass is timed with `evaluate` on the 12,000 held-out rows, in "
            "batches of 4,000 for ours and 128 for the earlier recipe, as `fit` validates."
        ),
        "",
    ]
    return lines


def tutorial_lines(t, carried=False):
    rows = [
        ("tanh XOR, 1000 epochs, batch 1", "tanh_1000_epochs"),
        ("ReLU XOR, 1000 epochs, batch 1", "relu_1000_epochs"),
        ("MNIST single layer, 30 epochs", "mnist_single_30_epochs"),
    ]
    lines = [
        "## 4. The seed's tutorial recipes vs ours (same steps, same math)",
        "",
        _when(t, carried),
        "",
        "| step | ours (s) | seed as written (s) | ratio seed / ours |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {label} | {t['ours_' + k]:.2f} | {t['seed_' + k]:.2f} | "
        f"{t['seed_' + k] / t['ours_' + k]:.1f}x |"
        for label, k in rows
    ]
    so, ss = sum(t["ours_" + k] for _, k in rows), sum(t["seed_" + k] for _, k in rows)
    return lines + [
        f"| all three | {so:.2f} | {ss:.2f} | {ss / so:.1f}x |",
        f"| single-layer test accuracy | {t['ours_mnist_single_test_accuracy']:.4f} | "
        f"{t['seed_mnist_single_test_accuracy']:.4f} | |",
        "",
    ]


def derivatives_lines(d, carried=False):
    lines = [
        f"## 5. Derivative functions on {d['elements']:,}-element arrays",
        "",
        _when(d, carried),
        "",
        "| function | ours (ms) | seed np.vectorize + evalf (s) | ratio | largest difference |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {k} | {v['ours_seconds'] * 1e3:.3f} | {v['seed_seconds']:.2f} | "
        f"{v['speedup']:,.0f}x | {v['max_abs_diff']:.1e} |"
        for k, v in d["functions"].items()
    ]
    return lines + [""]


def report():
    d, t, m, s, n = (load(p) for p in ("derivatives", "tutorial", "mnist", "seeds", "notebook"))
    if m is not None and "rounds" not in m:
        print(
            "bench_out/mnist.json is from before the interleaved rounds: run `python -m "
            "benchmarks.run mnist` again",
            file=sys.stderr,
        )
        m = None
    if m is not None and any("seconds_to_98_val" not in r["ours"] for r in m["rounds"]):
        print(
            "bench_out/mnist.json is from before the validation trace (it timed 98% test "
            "accuracy): run `python -m benchmarks.run mnist` again",
            file=sys.stderr,
        )
        m = None
    if n is not None and not any(name in n for name in AIMS):
        print(
            "bench_out/notebook.json is from before the split into lab4.ipynb and "
            "evidence.ipynb: run `python -m benchmarks.run notebook` again",
            file=sys.stderr,
        )
        n = None
    # bench_out/ is git-ignored: a part this run lacks keeps the figures the committed
    # BENCHMARKS.json holds for it (with their date), or is left out with a line saying so.
    committed = _read_json(ROOT / "BENCHMARKS.json") or {}
    parts = {"mnist": mnist_summary(m) if m else None, "tutorial": t, "derivatives": d}
    carried, left_out = set(), {}
    for name, part in parts.items():
        if part is None:
            parts[name], why = from_committed(name, committed)
            if why:
                left_out[name] = why
            else:
                carried.add(name)
    ms, t, d = parts["mnist"], parts["tutorial"], parts["derivatives"]
    # The seeds and notebook parts too: `make seeds` alone must not drop section 1, nor a
    # `notebook` run section 3.
    whole = {"seeds": s, "notebook": n}
    for name, needed in (("seeds", "runs"), ("notebook", "baseline")):
        entry = committed.get(name)
        if whole[name] is None and isinstance(entry, dict) and needed in entry:
            when = entry.get("measured_on") or committed.get("written_on")
            whole[name] = {**entry, "measured_on": when}
            carried.add(name)
    s, n = whole["seeds"], whole["notebook"]
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (`python -m benchmarks.run`) on this project's 2-core CPU "
        "machine, Keras 3 on TensorFlow 2.21.",
        "Every ratio is taken within one run on one machine (machines of this kind differ by up to "
        "1.5x in speed); each section says the date it was measured.",
        "The same figures are in `BENCHMARKS.json`; raw parts are in `bench_out/` when "
        "regenerated.",
        "",
    ]
    lines += notebook_lines(n, "notebook" in carried)
    if ms:
        lines += mnist_lines(ms, "mnist" in carried)
    lines += ["## 3. lab4.ipynb under other seeds (papermill, `make seeds`)", ""]
    if s:
        lines += [
            "Each row is `papermill lab4.ipynb -p SEED N -p OUTPUT_DIR bench_out/seeds/seedN`: "
            "every assert in the model answer must hold. Test accuracies are on the 10,000 MNIST "
            "test digits; validation accuracy is after epoch 1; P3 start is the start (1 = the "
            "first) from which the 2-2-1 net learned XOR. " + _when(s, "seeds" in carried),
            "",
        ]
        lines += seeds_table(s["runs"]) + [""]
    else:
        lines += [
            "Not measured in this run (no `bench_out/seeds.json`): `make seeds` measures it.",
            "",
        ]
    if t:
        lines += tutorial_lines(t, "tutorial" in carried)
    if d:
        lines += derivatives_lines(d, "derivatives" in carried)
    titles = {
        "mnist": "Section 2 (MNIST training speed)",
        "tutorial": "Section 4 (the seed's tutorial recipes)",
        "derivatives": "Section 5 (derivative functions)",
    }
    for name, why in left_out.items():
        lines += [
            f"{titles[name]} is left out: it was not measured in this run (no "
            f"`bench_out/{name}.json`), and {why}; `python -m benchmarks.run {name}` measures it.",
            "",
        ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    summary = summary_json(d, t, ms, s, n)
    (ROOT / "BENCHMARKS.json").write_text(
        json.dumps(summary, indent=1, default=float) + "\n", encoding="utf-8"
    )
    update_readme(s, n)


def _points(row, both=None):
    """A paired ReLU - tanh row of evidence.json (in percentage points): mean, 95% CI over seeds
    (and, from ``both``, the interval that also counts test-set sampling), seeds ahead and the
    exact sign-test p."""
    mean = _get(row, "mean")
    if not isinstance(mean, (int, float)):
        return "-"
    ci = _ci(_get(row, "ci95"), "{:+.2f}", " to ")
    wide = _ci(_get(both or {}, "ci95"), "{:+.2f}", " to ")
    wins, n = _get(row, "wins"), _get(row, "n")
    parts = [f"{mean:+.2f} points" + ("" if ci == "-" else f" (95% CI over seeds {ci})")]
    if wide != "-":
        parts.append(f"{wide} counting test-set sampling too")
    if wins is not None and n is not None:
        parts.append(f"ReLU ahead on {wins} of {n} seeds")
    if _fmt(_get(row, "sign_p"), "{:.3g}") != "-":
        parts.append(f"exact sign-test p = {_get(row, 'sign_p'):.3g}")
    return ", ".join(parts)


def _notebook_row(n, name):
    """``lab4.ipynb``'s or ``evidence.ipynb``'s wall seconds in the notebook part, with the ratio to
    the baseline revision, or None when the part did not time it."""
    wall = _get(n, name, "wall_seconds")
    if not isinstance(wall, (int, float)):
        return None
    ratio = _ratio(n, name)
    rev = _get(n, "baseline", "revision") or BASELINE_REV
    return f"{wall:.0f} s" + ("" if ratio is None else f" ({ratio:.2f}x the notebook at {rev})")


def readme_results(r, e=None, s=None, n=None):
    """The lines of README.md's Results block from lab4.ipynb's results.json (``r``),
    evidence.ipynb's evidence.json (``e``), the seeds part (``s``) and the notebook part (``n``); a
    figure whose keys are missing reads "-"."""
    r = r if isinstance(r, dict) else {}
    e = e if isinstance(e, dict) else {}
    h = _headline(r)
    start = h["p3_start"]
    restarts = start - 1 if isinstance(start, int) and not isinstance(start, bool) else None
    p1 = _get(e, "p1")
    p1_ci = _ci(_get(p1, "ci95"))
    solved, starts = _get(p1, "solved"), _get(p1, "starts")
    p1_rate = solved / starts if _numbers([solved, starts]) == [solved, starts] and starts else None
    p1_text = (
        f"{_fmt(_get(p1, 'solved'), '{:,}')} of {_fmt(_get(p1, 'starts'), '{:,}')} starts "
        f"({_fmt(p1_rate, '{:.1%}')}" + ("" if p1_ci == "-" else f"; 95% CI {p1_ci}") + ")"
    )
    tests = {a: _get(e, "mnist", "test_accuracy", a) for a in ("tanh", "relu")}
    paired_text = _points(
        _get(e, "mnist", "paired", "test accuracy (points)"),
        _get(e, "mnist", "test_accuracy_both_sources"),
    )
    seeds = _get(e, "mnist", "seeds")
    over = (
        f"seeds {', '.join(map(str, seeds))}" if isinstance(seeds, list) else "the evidence seeds"
    )
    depth = _get(e, "wider_deeper", "depth_1_minus_8")
    depth_text = (
        "; ".join(f"{arm} {_fmt(_get(row, 'mean'), '{:+.2f}')}" for arm, row in depth.items())
        if isinstance(depth, dict) and depth
        else "-"
    )
    wd_seeds = _get(e, "wider_deeper", "seeds")
    lines = [
        "From `results.json` (written by `lab4.ipynb`; this run, seed "
        f"{_fmt(_get(r, 'seed'), '{}')}), `evidence.json` (written by `evidence.ipynb`) and "
        "`BENCHMARKS.md`:",
        "",
        "| what | result |",
        "|---|---|",
        "| hand-computed backprop step vs Keras, largest difference | "
        f"{_fmt(h['backprop_max_abs_diff'], '{:.1e}')} |",
        f"| single-layer softmax, MNIST test accuracy | {_fmt(h['single_layer_test_accuracy'])} |",
        f"| Problem 1: 2-16-1 ReLU, XOR accuracy | {_fmt(h['p1_accuracy'], '{:.0%}')} |",
        "| Problem 1's recipe from random starts (evidence) | learned XOR from " + p1_text + " |",
        "| Problem 3: smallest ReLU net, 2-2-1 | learned XOR at start "
        f"{_fmt(start, '{}')} ({_fmt(restarts, '{}')} restarts before it), "
        f"{_fmt(h['p3_params'], '{}')} parameters |",
        "| Problem 3's 2-2-1 from random starts (evidence) | learned XOR from "
        f"{_fmt(_get(e, 'p3', 'sizes', '2-2-1'), '{}')} of {_fmt(_get(e, 'p3', 'starts'), '{}')} "
        "starts |",
        f"| Problem 5: tanh MLP, MNIST test accuracy | {_fmt(h['tanh_test_accuracy'])} |",
        f"| Problem 6: ReLU MLP, MNIST test accuracy | {_fmt(h['relu_test_accuracy'])} |",
        f"| tanh MLP, MNIST test accuracy over {over} (evidence) | mean "
        f"{_fmt(_mean(tests['tanh']))}, min {_fmt(_min(tests['tanh']))} |",
        "| ReLU MLP, MNIST test accuracy over the same seeds (evidence) | mean "
        f"{_fmt(_mean(tests['relu']))}, min {_fmt(_min(tests['relu']))} |",
        f"| ReLU - tanh test accuracy, paired over the same seeds (evidence) | {paired_text} |",
        "| wider vs deeper: validation accuracy of 1 hidden layer minus 8, mean over "
        f"{_fmt(wd_seeds, '{}')} seeds, points (evidence) | {depth_text} |",
    ]
    for name in ("lab4", "evidence"):
        row = _notebook_row(n, name)
        if row:
            lines.append(f"| `{name}.ipynb` on a fresh kernel (`make bench`), wall | {row} |")
    runs = (s or {}).get("runs") or []
    if runs:
        held = sum(bool(row.get("asserts_held")) for row in runs)
        lines.append(
            f"| `lab4.ipynb` under {len(runs)} other seeds (papermill, `make seeds`) | every "
            f"assert held in {held} of {len(runs)} |"
        )
    return lines


def _read_json(path):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def update_readme(s, n=None):
    """Rewrite README.md's Results block from the committed results.json and evidence.json and
    this run's seeds and notebook parts."""
    readme = ROOT / "README.md"
    r, e = _read_json(ROOT / "results.json"), _read_json(ROOT / "evidence.json")
    if not readme.exists() or (r is None and e is None):
        return
    lines = readme_results(r, e, s, n)
    text = readme.read_text(encoding="utf-8")
    block = "<!-- results:start -->\n" + "\n".join(lines) + "\n<!-- results:end -->"
    readme.write_text(
        re.sub(
            r"<!-- results:start -->.*?<!-- results:end -->", lambda _: block, text, flags=re.DOTALL
        ),
        encoding="utf-8",
    )


def main(argv):
    parts = argv or list(PARTS)
    unknown = [p for p in parts if p not in PARTS and p != "report"]
    if unknown:
        sys.exit(f"unknown part(s) {', '.join(unknown)}: choose from {', '.join(PARTS)} or report")
    OUT.mkdir(exist_ok=True)
    for p in parts:
        if p == "report":
            continue
        print(f"[{p}]", flush=True)
        result, sec = clock(PARTS[p])
        result["part_seconds"] = sec
        result["measured_on"] = time.strftime("%Y-%m-%d")
        (OUT / f"{p}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    report()
    print("wrote BENCHMARKS.md")


if __name__ == "__main__":
    main(sys.argv[1:])
