"""The Problem 6 recipe as it was before the speed work (issue 8), kept as the timing anchor.

784-512-512-10 ReLU, dropout 0.2, inputs standardised, random shifts of up to 2 px done by Keras's
``RandomTranslation`` (a projective resampling of every image), Adam 1e-3 with cosine decay, batch
128, 20 epochs, ``validation_split=0.2``, ``steps_per_execution=16``.
"""

from __future__ import annotations

import keras
from keras import layers

RECIPE = {
    "activation": "relu",
    "hidden": [512, 512],
    "epochs": 20,
    "shift": 2,
    "dropout": 0.2,
    "batch_size": 128,
    "learning_rate": 1e-3,
    "validation_split": 0.2,
    "steps_per_execution": 16,
}


def build(x_train, recipe=RECIPE):
    n_fit = len(x_train) - int(len(x_train) * recipe["validation_split"])
    fit_part = x_train[:n_fit]
    mean, std = float(fit_part.mean()), float(fit_part.std())
    steps = -(-n_fit // recipe["batch_size"]) * recipe["epochs"]
    inputs = keras.Input(shape=(784,))
    h = layers.Reshape((28, 28, 1))(inputs)
    h = layers.RandomTranslation(2 / 28, 2 / 28, fill_mode="constant", interpolation="nearest")(h)
    h = layers.Flatten()(h)
    h = layers.Rescaling(1.0 / std, offset=-mean / std)(h)
    for i, width in enumerate(recipe["hidden"], start=1):
        h = layers.Dense(width, activation=recipe["activation"], name=f"hidden_{i}")(h)
        h = layers.Dropout(recipe["dropout"])(h)
    outputs = layers.Dense(10, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(
        loss="categorical_crossentropy",
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(recipe["learning_rate"], steps)
        ),
        metrics=["accuracy"],
        steps_per_execution=recipe["steps_per_execution"],
    )
    return model
