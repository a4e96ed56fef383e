"""The validation-only run that chose the MNIST recipe's dropout (0.1 against 0.2, shared by tanh
and ReLU).

    python -m benchmarks.tune_dropout      (about 10 minutes; writes benchmarks/tune_dropout.json)

Batch 256, everything else as ``training.mnist_recipe``; seeds 11 and 12 (not the notebook's). Only
the final validation accuracy and loss are recorded: the test set is not read.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    import keras

    from helpers import data, training

    (xtr, ytr), _ = data.load_mnist()
    xtr, ytr = data.prepare(xtr, ytr)
    out = []
    for seed in (11, 12):
        for drop in (0.1, 0.2):
            for act in ("tanh", "relu"):
                keras.utils.set_random_seed(seed)
                recipe = training.mnist_recipe(act, dropout=drop, batch_size=256)
                _, hist, sec = training.train_mlp(recipe, xtr, ytr)
                row = {
                    "seed": seed,
                    "act": act,
                    "dropout": drop,
                    "val": hist.history["val_accuracy"][-1],
                    "val_loss": hist.history["val_loss"][-1],
                    "sec": sec,
                    "val_curve": hist.history["val_accuracy"],
                }
                out.append(row)
                print(
                    {k: row[k] for k in ("seed", "act", "dropout", "val", "val_loss")}, flush=True
                )
    (ROOT / "benchmarks" / "tune_dropout.json").write_text(
        json.dumps(out, indent=1), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
