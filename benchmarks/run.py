"""Measured figures for this lab against its anchors; writes BENCHMARKS.md and the README's Results.

    python -m benchmarks.run [PART ...]      (make bench runs them all, about 20 minutes)

Parts (each saves bench_out/PART.json; BENCHMARKS.md is assembled from the parts present):
  derivatives  the seed's np.vectorize + evalf functions vs helpers.backprop on 10^4 elements
  tutorial     the seed's tutorial training steps as written (only Keras 3's forced edits) vs ours
  mnist        Problem 6's recipe vs the Keras reference MLP: time to 98% test accuracy, GFLOP/s
  seeds        Problems 1 and 3 success rates, Problems 5 and 6 test accuracy, over 3 other seeds
  notebook     the whole notebook executed twice on fresh kernels: wall time, sections, determinism
Run it on an otherwise idle machine: the timings are wall-clock.
"""

from __future__ import annotations

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
    b = -((y * sp.log(x) + (1 - y) * sp.log(1 - x)))
    dg, dfdx, dbdx = g.diff(x), f.diff(x), b.diff(x)
    seed = {
        "tanh": np.vectorize(lambda x_: np.float32(g.evalf(subs=dict(x=x_)))),
        "dtanh": np.vectorize(lambda x_: np.float32(dg.evalf(subs=dict(x=x_)))),
        "sigmoid": np.vectorize(lambda x_: np.float32(f.evalf(subs=dict(x=x_)))),
        "dsigmoid": np.vectorize(lambda x_: np.float32(dfdx.evalf(subs=dict(x=x_)))),
        "bce": np.vectorize(lambda y_, x_: np.float32(b.evalf(subs=dict(x=x_, y=y_)))),
        "dbce": np.vectorize(lambda y_, x_: np.float32(dbdx.evalf(subs=dict(x=x_, y=y_)))),
    }
    ours = {
        "tanh": backprop.ACTIVATIONS["tanh"], "dtanh": backprop.DERIVATIVES["tanh"],
        "sigmoid": backprop.ACTIVATIONS["sigmoid"], "dsigmoid": backprop.DERIVATIVES["sigmoid"],
        "bce": backprop.bce, "dbce": backprop.dbce,
    }
    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, n).astype(np.float32)
    a = rng.uniform(0.01, 0.99, n).astype(np.float32)
    t = rng.integers(0, 2, n).astype(np.float32)
    rows = {}
    for name in seed:
        args = (t, a) if name in ("bce", "dbce") else (z,)
        s_out, s_sec = clock(seed[name], *args)
        ours[name](*args)  # warm
        reps = 50
        _, o_sec = clock(lambda: [ours[name](*args) for _ in range(reps)])
        o_sec /= reps
        rows[name] = {"seed_seconds": s_sec, "ours_seconds": o_sec, "speedup": s_sec / o_sec,
                      "max_abs_diff": float(np.abs(np.asarray(s_out, np.float64) - ours[name](*args)).max())}
        print(f"  {name}: seed {s_sec:.2f} s, ours {o_sec * 1e6:.0f} us, x{s_sec / o_sec:,.0f}", flush=True)
    return {"elements": n, "functions": rows}


# ----------------------------------------------------------------------------- tutorial
def part_tutorial():
    import keras
    import numpy as np
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
    tanh = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="tanh"), keras.layers.Dense(1, activation="sigmoid")])
    tanh.compile(loss=keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.SGD(learning_rate=0.1),
                 metrics=[keras.metrics.BinaryAccuracy()])
    tanh.fit(X, Y, epochs=1, verbose=0, shuffle=False)
    _, out["seed_tanh_1000_epochs"] = clock(tanh.fit, X, Y, batch_size=1, epochs=1000, verbose=0)
    relu = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="relu", bias_initializer=keras.initializers.Constant(0.1)),
                             keras.layers.Dense(1, activation="sigmoid")])
    relu.compile(loss=keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.Nadam())
    _, out["seed_relu_1000_epochs"] = clock(relu.fit, X, Y, batch_size=1, epochs=1000, verbose=0)
    single = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    single.compile(loss=keras.losses.CategoricalCrossentropy(), optimizer=keras.optimizers.Nadam(),
                   metrics=[keras.metrics.CategoricalAccuracy()])
    _, out["seed_mnist_single_30_epochs"] = clock(single.fit, xtr, ytr, batch_size=128, epochs=30, verbose=0, validation_split=0.2)
    out["seed_mnist_single_test_accuracy"] = float(single.evaluate(xte, yte, verbose=0)[1])

    # --- ours, the same steps
    keras.utils.set_random_seed(0)
    tanh = models.xor_net((2,), "tanh")
    tanh.fit(X, Y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    _, out["ours_tanh_1000_epochs"] = clock(training.fit_in_graph, tanh, X, Y, epochs=1000, batch_size=1, seed=0)
    relu = models.xor_net((2,), "relu", bias_initializer=keras.initializers.Constant(0.1), optimizer=keras.optimizers.Nadam())
    _, out["ours_relu_1000_epochs"] = clock(training.fit_in_graph, relu, X, Y, epochs=1000, batch_size=1, seed=0)
    single = models.mnist_mlp((), None, dropout=0.0, steps_per_execution=16)
    _, out["ours_mnist_single_30_epochs"] = clock(single.fit, xtr, ytr, batch_size=128, epochs=30, verbose=0, validation_split=0.2)
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
    macs = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return 6 * macs  # forward 2 FLOPs per multiply-add, backward twice that


def part_mnist():
    import keras
    import numpy as np
    import tensorflow as tf

    from helpers import data, training

    tf.get_logger().setLevel("ERROR")
    (xtr, ytr), (xte, yte) = data.load_mnist()
    xtr, ytr = data.prepare(xtr, ytr)
    xte, yte = data.prepare(xte, yte)

    class TestTrace(keras.callbacks.Callback):
        """Test accuracy after each epoch (benchmark only), with training time excluding this evaluation."""

        def on_train_begin(self, logs=None):
            self.train_seconds, self.acc, self.elapsed = [], [], 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.elapsed += time.perf_counter() - self.t0
            self.train_seconds.append(self.elapsed)
            self.acc.append(float(self.model.evaluate(xte, yte, verbose=0, batch_size=2000)[1]))

    def summary(trace, hidden, epochs):
        reach = next((s for s, a in zip(trace.train_seconds, trace.acc) if a >= 0.98), None)
        samples = int(len(xtr) * 0.8) * epochs
        return {"final_test_accuracy": trace.acc[-1], "seconds_to_98": reach, "train_seconds": trace.train_seconds[-1],
                "epoch_test_accuracy": trace.acc, "gflops": _flops_per_sample(hidden) * samples / trace.train_seconds[-1] / 1e9}

    out = {"matmul_peak_gflops": _matmul_peak()}
    keras.utils.set_random_seed(0)
    trace = TestTrace()
    recipe = training.mnist_recipe("relu")
    training.train_mlp(recipe, xtr, ytr, callbacks=[trace])
    out["ours"] = summary(trace, recipe["hidden"], recipe["epochs"])
    print("  ours:", {k: v for k, v in out["ours"].items() if k != "epoch_test_accuracy"}, flush=True)

    keras.utils.set_random_seed(0)  # Keras's reference MLP (keras-io mnist_mlp), as published
    ref = keras.Sequential([keras.Input((784,)), keras.layers.Dense(512, activation="relu"), keras.layers.Dropout(0.2),
                            keras.layers.Dense(512, activation="relu"), keras.layers.Dropout(0.2), keras.layers.Dense(10, activation="softmax")])
    ref.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.RMSprop(), metrics=["accuracy"])
    trace = TestTrace()
    ref.fit(xtr, ytr, batch_size=128, epochs=20, verbose=0, validation_split=0.2, callbacks=[trace])
    out["reference"] = summary(trace, (512, 512), 20)
    print("  reference:", {k: v for k, v in out["reference"].items() if k != "epoch_test_accuracy"}, flush=True)
    return out


# ----------------------------------------------------------------------------- seeds
def part_seeds(seeds=(1, 2, 3)):
    import keras
    import tensorflow as tf

    from helpers import data, training, xor

    tf.get_logger().setLevel("ERROR")
    p1 = xor.Recipe(hidden=(16,), kernel="he_normal", bias=0.1, optimizer="adam", learning_rate=0.01, epochs=300)
    out = {"seeds": list(seeds), "p1_success": [], "p3_success": [], "tanh_test": [], "relu_test": [], "tanh_seconds": [], "relu_seconds": []}
    for s in seeds:
        out["p1_success"].append(xor.run(p1, seeds=1000, seed=s).success_rate)
        out["p3_success"].append(xor.run(p1.replace(hidden=(2,)), seeds=200, seed=s).success_rate)
    (xtr, ytr), (xte, yte) = data.load_mnist()
    xtr, ytr = data.prepare(xtr, ytr)
    xte, yte = data.prepare(xte, yte)
    for s in seeds:
        for act in ("tanh", "relu"):
            keras.utils.set_random_seed(s)
            model, _, sec = training.train_mlp(training.mnist_recipe(act), xtr, ytr)
            out[f"{act}_test"].append(float(model.evaluate(xte, yte, verbose=0, batch_size=2000)[1]))
            out[f"{act}_seconds"].append(sec)
            print(f"  seed {s} {act}: {out[f'{act}_test'][-1]:.4f} in {sec:.1f} s", flush=True)
    return out


# ----------------------------------------------------------------------------- notebook
def _flatten(d, prefix=""):
    items = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            items.update(_flatten(v, key + "."))
        else:
            items[key] = v
    return items


def part_notebook(runs=2):
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    out = {"runs": []}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            t0 = time.perf_counter()
            subprocess.run([jupyter, "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=1800",
                            "--output-dir", tmp, "--output", f"run{i}.ipynb", str(ROOT / "lab4.ipynb")],
                           check=True, cwd=ROOT, capture_output=True)
            wall = time.perf_counter() - t0
            res = json.loads((ROOT / "results.json").read_text())
            results.append(res)
            out["runs"].append({"wall_seconds": wall, "sections": res["seconds"]})
            print(f"  run {i + 1}: {wall:.1f} s wall", flush=True)
    timing = re.compile(r"(seconds|train_seconds|sweep_seconds)")
    a, b = (_flatten(r) for r in results[:2])
    out["differing_fields"] = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k) and not timing.search(k))
    out["timing_fields"] = sorted(k for k in a if timing.search(k))
    return out


PARTS = {"derivatives": part_derivatives, "tutorial": part_tutorial, "mnist": part_mnist, "seeds": part_seeds, "notebook": part_notebook}


# ----------------------------------------------------------------------------- report
def load(name):
    path = OUT / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def report():
    d, t, m, s, n = (load(p) for p in ("derivatives", "tutorial", "mnist", "seeds", "notebook"))
    lines = ["# Benchmarks", "",
             "Measured by `make bench` (`python -m benchmarks.run`) on this project's 2-core CPU machine, Keras 3 on TensorFlow 2.21.",
             "Raw figures are in `bench_out/` when regenerated. Ratio = anchor / ours for times (higher is better for us).", ""]
    if n:
        run = n["runs"][0]
        lines += ["## 1. Whole notebook, fresh kernel", "",
                  "| measure | ours | anchor | ratio |", "|---|---|---|---|",
                  f"| wall seconds, nbconvert --execute (run 1 / run 2) | {run['wall_seconds']:.0f} / {n['runs'][1]['wall_seconds']:.0f} | aim: 300 | {300 / run['wall_seconds']:.2f} |", ""]
        lines += ["| section | seconds (run 1) |", "|---|---|"]
        lines += [f"| {k} | {v:.1f} |" for k, v in run["sections"].items()]
        rest = run["wall_seconds"] - run["sections"].get("total", 0)
        lines += ["", f"The remaining {rest:.0f} s of wall time is kernel start-up, TensorFlow import and figure rendering outside the timed sections.", ""]
    if t:
        rows = [("tanh XOR, 1000 epochs, batch 1", "tanh_1000_epochs"), ("ReLU XOR, 1000 epochs, batch 1", "relu_1000_epochs"),
                ("MNIST single layer, 30 epochs", "mnist_single_30_epochs")]
        lines += ["## 2. The seed's tutorial recipes vs ours (same steps, same math)", "",
                  "| step | ours (s) | seed as written (s) | ratio |", "|---|---|---|---|"]
        lines += [f"| {label} | {t['ours_' + k]:.2f} | {t['seed_' + k]:.2f} | {t['seed_' + k] / t['ours_' + k]:.1f}x |" for label, k in rows]
        so, ss = sum(t["ours_" + k] for _, k in rows), sum(t["seed_" + k] for _, k in rows)
        lines += [f"| all three | {so:.2f} | {ss:.2f} | {ss / so:.1f}x |",
                  f"| single-layer test accuracy | {t['ours_mnist_single_test_accuracy']:.4f} | {t['seed_mnist_single_test_accuracy']:.4f} | |", ""]
    if d:
        lines += [f"## 3. Derivative functions on {d['elements']:,}-element arrays", "",
                  "| function | ours (ms) | seed np.vectorize + evalf (s) | ratio | largest difference |", "|---|---|---|---|---|"]
        lines += [f"| {k} | {v['ours_seconds'] * 1e3:.3f} | {v['seed_seconds']:.2f} | {v['speedup']:,.0f}x | {v['max_abs_diff']:.1e} |" for k, v in d["functions"].items()]
        lines += [""]
    if m:
        o, r = m["ours"], m["reference"]
        fmt = lambda v: "never" if v is None else f"{v:.1f}"  # noqa: E731
        lines += ["## 4. MNIST: Problem 6 recipe vs the Keras reference MLP", "",
                  "Reference: 784-512-512-10 ReLU, dropout 0.2, RMSprop, batch 128, 20 epochs, `validation_split=0.2` (keras-io `mnist_mlp`).",
                  "Test accuracy is measured after every epoch for this benchmark only; training time excludes that evaluation.", "",
                  "| measure | ours | reference | ratio |", "|---|---|---|---|",
                  f"| seconds of training to reach 98.0% test accuracy | {fmt(o['seconds_to_98'])} | {fmt(r['seconds_to_98'])} | "
                  + (f"{r['seconds_to_98'] / o['seconds_to_98']:.2f}x |" if o["seconds_to_98"] and r["seconds_to_98"] else "n/a |"),
                  f"| final test accuracy | {o['final_test_accuracy']:.4f} | {r['final_test_accuracy']:.4f} | {o['final_test_accuracy'] - r['final_test_accuracy']:+.4f} |",
                  f"| training seconds, 20 epochs | {o['train_seconds']:.1f} | {r['train_seconds']:.1f} | {r['train_seconds'] / o['train_seconds']:.2f}x |",
                  f"| training throughput, GFLOP/s | {o['gflops']:.1f} | {r['gflops']:.1f} | {o['gflops'] / r['gflops']:.2f}x |",
                  f"| share of float32 matmul peak ({m['matmul_peak_gflops']:.0f} GFLOP/s) | {o['gflops'] / m['matmul_peak_gflops']:.0%} | {r['gflops'] / m['matmul_peak_gflops']:.0%} | |", ""]
    if s:
        mn = lambda v: f"{min(v):.4f} / {sum(v) / len(v):.4f}"  # noqa: E731
        lines += [f"## 5. Seeds {s['seeds']} (other than the notebook's)", "",
                  "| measure | min / mean | per seed |", "|---|---|---|",
                  f"| Problem 1 success rate (1000 nets each) | {mn(s['p1_success'])} | {', '.join(f'{v:.3f}' for v in s['p1_success'])} |",
                  f"| Problem 3 (2-2-1) success rate (200 nets each) | {mn(s['p3_success'])} | {', '.join(f'{v:.3f}' for v in s['p3_success'])} |",
                  f"| Problem 5 tanh test accuracy | {mn(s['tanh_test'])} | {', '.join(f'{v:.4f}' for v in s['tanh_test'])} |",
                  f"| Problem 6 ReLU test accuracy | {mn(s['relu_test'])} | {', '.join(f'{v:.4f}' for v in s['relu_test'])} |",
                  f"| training seconds, tanh / ReLU (max) | {max(s['tanh_seconds']):.1f} / {max(s['relu_seconds']):.1f} | |", ""]
    if n:
        diff = n["differing_fields"]
        lines += ["## 6. Determinism", "",
                  f"Two executions of the notebook on fresh kernels: {'identical `results.json` apart from timings' if not diff else 'fields that differ: ' + ', '.join(diff)}.",
                  f"Timing fields, which differ by nature: {', '.join(n['timing_fields'])}.", ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines))
    update_readme(m, s)


def update_readme(m, s):
    res_path = ROOT / "results.json"
    if not res_path.exists():
        return
    r = json.loads(res_path.read_text())
    x, mn = r["xor"], r["mnist"]
    lines = [f"From `results.json` (written by the notebook) and `BENCHMARKS.md`:", "",
             "| what | result |", "|---|---|",
             f"| hand-computed backprop step vs Keras, largest difference | {r['backprop_max_abs_diff']:.1e} |",
             f"| single-layer softmax, MNIST test accuracy | {r['tutorial']['mnist_single_layer_test_accuracy']:.4f} |",
             f"| Problem 1: 2-16-1 ReLU, XOR solved from random starts | {x['p1']['success_rate']:.1%} of {x['p1']['seeds']} |",
             f"| Problem 3: smallest ReLU net | 2-{'-'.join(map(str, x['p3']['hidden']))}-1, {x['p3']['params']} parameters (trains from {x['p3']['success_rate']:.0%} of starts); 1 unit + skip connection: {x['p3']['skip_params']} parameters |",
             f"| Problem 5: tanh MLP, MNIST test accuracy | {mn['tanh']['test_accuracy']:.4f} ({mn['tanh']['train_seconds']:.0f} s training) |",
             f"| Problem 6: ReLU MLP, MNIST test accuracy | {mn['relu']['test_accuracy']:.4f} ({mn['relu']['train_seconds']:.0f} s training) |",
             f"| whole notebook (timed sections) | {r['seconds']['total']:.0f} s |"]
    if s:
        lines.append(f"| 3 other seeds, minimum test accuracy tanh / ReLU | {min(s['tanh_test']):.4f} / {min(s['relu_test']):.4f} |")
    readme = ROOT / "README.md"
    text = readme.read_text()
    block = "<!-- results:start -->\n" + "\n".join(lines) + "\n<!-- results:end -->"
    readme.write_text(re.sub(r"<!-- results:start -->.*?<!-- results:end -->", lambda _: block, text, flags=re.S))


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
        (OUT / f"{p}.json").write_text(json.dumps(result, indent=1))
    report()
    print("wrote BENCHMARKS.md")


if __name__ == "__main__":
    main(sys.argv[1:])
