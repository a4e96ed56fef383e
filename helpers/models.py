"""Keras model builders, so every experiment in the lab builds its nets one way."""

from __future__ import annotations

import keras
from keras import layers


def xor_net(
    hidden=(2,),
    activation="tanh",
    *,
    optimizer=None,
    kernel_initializer="glorot_uniform",
    bias_initializer="zeros",
    skip=False,
    name=None,
):
    """A 2-input, 1-sigmoid-output net for XOR, compiled with binary cross-entropy.

    ``hidden`` lists the hidden layer widths. ``skip=True`` also wires the
    inputs straight to the output unit (functional API), so the output sees
    ``x`` as well as the last hidden layer. ``optimizer`` defaults to the
    tutorial's ``SGD(learning_rate=0.1)``.
    """
    if any(int(w) < 1 for w in hidden):
        raise ValueError(f"hidden widths must be >= 1, got {hidden}")
    inputs = keras.Input(shape=(2,), name="x")
    h = inputs
    for i, width in enumerate(hidden, start=1):
        h = layers.Dense(
            width,
            activation=activation,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            name=f"hidden_{i}",
        )(h)
    if skip:
        h = layers.Concatenate(name="hidden_and_inputs")([h, inputs])
    outputs = layers.Dense(1, activation="sigmoid", name="output")(h)
    model = keras.Model(inputs, outputs, name=name or f"xor_{activation}_{'x'.join(map(str, hidden))}{'_skip' if skip else ''}")
    model.compile(
        loss=keras.losses.BinaryCrossentropy(),
        optimizer=optimizer if optimizer is not None else keras.optimizers.SGD(learning_rate=0.1),
        metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
    )
    return model


def mnist_mlp(
    hidden=(512, 512),
    activation="relu",
    *,
    dropout=0.2,
    input_dim=784,
    num_classes=10,
    standardize=None,
    shift=0,
    kernel_initializer="glorot_uniform",
    optimizer=None,
    label_smoothing=0.0,
    steps_per_execution=1,
    name=None,
):
    """A dense softmax classifier for flattened 28x28 digits.

    ``hidden=()`` gives the single-layer net of the tutorial. ``standardize``
    is ``(mean, std)`` of the training pixels, applied inside the model so it
    takes the same [0, 1] inputs at training and test time. ``shift=k``
    randomly translates training images by up to ``k`` pixels each way
    (augmentation; identity at evaluation). Neither adds parameters.
    """
    inputs = keras.Input(shape=(input_dim,), name="pixels")
    h = inputs
    if shift:
        side = int(round(input_dim**0.5))
        h = layers.Reshape((side, side, 1))(h)
        h = layers.RandomTranslation(shift / side, shift / side, fill_mode="constant", interpolation="nearest", name="random_shift")(h)
        h = layers.Flatten()(h)
    if standardize is not None:
        mean, std = (float(v) for v in standardize)
        h = layers.Rescaling(1.0 / std, offset=-mean / std, name="standardize")(h)
    for i, width in enumerate(hidden, start=1):
        h = layers.Dense(width, activation=activation, kernel_initializer=kernel_initializer, name=f"hidden_{i}")(h)
        if dropout:
            h = layers.Dropout(dropout, name=f"dropout_{i}")(h)
    outputs = layers.Dense(num_classes, activation="softmax", name="output")(h)
    label = "x".join(map(str, hidden)) or "single"
    model = keras.Model(inputs, outputs, name=name or f"mnist_{activation}_{label}")
    model.compile(
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=label_smoothing),
        optimizer=optimizer if optimizer is not None else keras.optimizers.Nadam(),
        metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")],
        steps_per_execution=steps_per_execution,
    )
    return model


OPTIMIZERS = {"sgd": keras.optimizers.SGD, "adam": keras.optimizers.Adam, "nadam": keras.optimizers.Nadam}


def xor_net_from(recipe, weights=None):
    """The Keras net for a ``helpers.xor.Recipe`` (optionally starting from given weights)."""
    model = xor_net(
        recipe.hidden,
        recipe.activation,
        optimizer=OPTIMIZERS[recipe.optimizer](learning_rate=recipe.learning_rate),
        kernel_initializer=recipe.kernel,
        bias_initializer=keras.initializers.Constant(recipe.bias),
        skip=recipe.skip,
    )
    if weights is not None:
        model.set_weights([w for w in weights])
    return model
