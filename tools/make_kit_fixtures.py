"""Train the small MNIST nets that the instructor kit's test fixtures load (run once; minutes).

    python tools/make_kit_fixtures.py [--out tests/fixtures/kit]

Writes mnist_tanh.npz (784-256-10) and mnist_relu.npz (784-256-128-10), above 98% on the test,
and mnist_tanh97.npz (784-256-10 tanh, stopped early between 97.0% and 97.5%): each file holds
the Dense layers' weights and biases as float16 (w0, b0, w1, b1) and the test accuracy it was
saved at. The fixture
notebooks rebuild the same architecture and load these, so the grading tests evaluate real nets
on the real test set without training them in CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(keras, hidden, activation):
    model = keras.Sequential(
        [keras.Input(shape=(784,))]
        + [keras.layers.Dense(units, activation=activation) for units in hidden]
        + [keras.layers.Dense(10, activation="softmax")]
    )
    model.compile(
        loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(), metrics=["accuracy"]
    )
    return model


def accuracy(model, x, y):
    return float((model.predict(x, verbose=0, batch_size=1000).argmax(1) == y.argmax(1)).mean())


def as_float16(model):
    arrays = {}
    for i, layer in enumerate(layer for layer in model.layers if layer.weights):
        w, b = layer.get_weights()
        arrays[f"w{i}"], arrays[f"b{i}"] = w.astype("float16"), b.astype("float16")
    return arrays


def reload(keras, arrays, hidden, activation):
    model = build(keras, hidden, activation)
    dense = [layer for layer in model.layers if layer.weights]
    for i, layer in enumerate(dense):
        layer.set_weights([arrays[f"w{i}"].astype("float32"), arrays[f"b{i}"].astype("float32")])
    return model


def train(keras, x, y, xt, yt, hidden, activation, low, high, max_epochs, out):
    keras.utils.set_random_seed(1)
    model = build(keras, hidden, activation)
    for epoch in range(1, max_epochs + 1):
        model.fit(x, y, batch_size=128, epochs=1, verbose=0, validation_split=0.2)
        arrays = as_float16(model)
        acc = accuracy(reload(keras, arrays, hidden, activation), xt, yt)
        print(f"{out.name}: epoch {epoch}, test accuracy {acc:.4f} (float16 weights)", flush=True)
        if low < acc < high:
            np.savez_compressed(out, accuracy=np.float32(acc), **arrays)
            return acc
    raise SystemExit(f"{out.name}: no epoch landed between {low} and {high}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "kit")
    parser.add_argument("only", nargs="*", help="the files to make (default: all three)")
    args = parser.parse_args(argv)
    import keras

    from helpers.data import load_mnist, prepare

    (x, y), (xt, yt) = load_mnist()
    x, y = prepare(x, y)
    xt, yt = prepare(xt, yt)
    args.out.mkdir(parents=True, exist_ok=True)
    nets = {
        "mnist_tanh.npz": ((256,), "tanh", 0.9805, 1.0, 40),
        "mnist_relu.npz": ((256, 128), "relu", 0.9805, 1.0, 40),
        "mnist_tanh97.npz": ((256,), "tanh", 0.970, 0.975, 30),
    }
    for name, (hidden, activation, low, high, epochs) in nets.items():
        if name in args.only or not args.only:
            train(keras, x, y, xt, yt, hidden, activation, low, high, epochs, args.out / name)


if __name__ == "__main__":
    main()
