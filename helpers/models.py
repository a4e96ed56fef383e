"""Keras model builders, so every experiment in the lab builds its nets one way."""

from __future__ import annotations

import keras
from keras import layers, ops

from . import checks


@keras.saving.register_keras_serializable(package="lab4")
class RandomIntegerShift(layers.Layer):
    """Move each training image by a random whole number of pixels, up to ``max_shift`` each way.

    Every image in a batch gets its own offsets ``(dy, dx)``, drawn uniformly from
    ``{-max_shift, ..., max_shift}``; pixels moved in from outside the image are 0
    (MNIST's background). Whole-pixel moves need no interpolation: the image is
    padded, the 2k+1 candidate windows are stacked, and each image keeps its own
    (rows first, then columns), instead of resampling every pixel through a
    projective transform as ``RandomTranslation`` does. At inference
    (``training=False``) the layer returns its input unchanged. Input and output
    are flat ``side * side`` vectors; the layer has no weights.
    """

    def __init__(self, max_shift, side=28, seed=None, **kwargs):
        super().__init__(**kwargs)
        if int(max_shift) < 0 or int(max_shift) >= side:
            raise ValueError(
                f"max_shift={max_shift}: use a whole number of pixels from 0 to {side - 1}"
            )
        self.max_shift, self.side, self.seed = int(max_shift), int(side), seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def offsets(self, batch):
        """``(batch, 2)`` int32 offsets ``(dy, dx)``, each in ``[-max_shift, max_shift]``."""
        k = self.max_shift
        return keras.random.randint((batch, 2), -k, k + 1, seed=self.seed_generator, dtype="int32")

    def shift(self, inputs, offsets):
        """``inputs`` (batch, side*side) moved by ``offsets`` (batch, 2): out[i, j] = in[i - dy, j -
        dx]."""
        side, k = self.side, self.max_shift
        images = ops.pad(
            ops.reshape(inputs, (-1, side, side)), ((0, 0), (k, k), (k, k))
        )  # zero border of k pixels
        # Rows, then columns: stack the 2k+1 possible windows and keep each image's own one with a
        # 0/1 weight (elementwise work only; batched small matrix products and gathers were several
        # times slower here).
        pick_y = ops.one_hot(offsets[:, 0] + k, 2 * k + 1, dtype=images.dtype)[:, :, None, None]
        pick_x = ops.one_hot(offsets[:, 1] + k, 2 * k + 1, dtype=images.dtype)[:, :, None, None]
        rows = ops.stack([images[:, k - dy : k - dy + side, :] for dy in range(-k, k + 1)], axis=1)
        moved = ops.sum(rows * pick_y, axis=1)  # (batch, side, side + 2k)
        cols = ops.stack([moved[:, :, k - dx : k - dx + side] for dx in range(-k, k + 1)], axis=1)
        moved = ops.sum(cols * pick_x, axis=1)  # (batch, side, side)
        return ops.reshape(moved, (-1, side * side))

    def call(self, inputs, training=None):
        if not training or self.max_shift == 0:
            return inputs
        return self.shift(inputs, self.offsets(ops.shape(inputs)[0]))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "max_shift": self.max_shift,
            "side": self.side,
            "seed": self.seed,
        }


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
    if isinstance(hidden, int) and not isinstance(hidden, bool):
        raise ValueError(
            f"xor_net(hidden={hidden}): give the hidden widths as a tuple, e.g. ({hidden},) for "
            f"one layer of {hidden} units"
        )
    hidden = checks.widths(hidden)
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
    model = keras.Model(
        inputs,
        outputs,
        name=name or f"xor_{activation}_{'x'.join(map(str, hidden))}{'_skip' if skip else ''}",
    )
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
    moves each training image by a random whole number of pixels, up to ``k``
    each way (``RandomIntegerShift``; augmentation, identity at evaluation). Neither adds
    parameters. A std that is 0 or not finite, a mean that is not finite, a width below 1 or a
    dropout rate outside [0, 1) raises a one-line ``ValueError``.
    """
    checks.widths(hidden)
    checks.real("dropout", dropout, 0.0, 1.0, high_open=True)
    if standardize is not None:
        try:
            mean, std = standardize
        except (TypeError, ValueError):
            raise ValueError(
                f"standardize={standardize!r}: give (mean, std) of the training pixels"
            ) from None
        checks.real("standardize mean", mean)
        checks.positive("standardize std", std)  # 0 (constant pixels) would divide by zero
    inputs = keras.Input(shape=(input_dim,), name="pixels")
    h = inputs
    if shift:
        h = RandomIntegerShift(shift, side=int(round(input_dim**0.5)), name="random_shift")(h)
    if standardize is not None:
        mean, std = (float(v) for v in standardize)
        h = layers.Rescaling(1.0 / std, offset=-mean / std, name="standardize")(h)
    for i, width in enumerate(hidden, start=1):
        h = layers.Dense(
            width, activation=activation, kernel_initializer=kernel_initializer, name=f"hidden_{i}"
        )(h)
        if dropout:
            h = layers.Dropout(dropout, name=f"dropout_{i}")(h)
    outputs = layers.Dense(num_classes, activation="softmax", name="output")(h)
    label = "x".join(map(str, hidden)) or "single"
    model = keras.Model(inputs, outputs, name=name or f"mnist_{activation or 'softmax'}_{label}")
    model.compile(
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=label_smoothing),
        optimizer=optimizer if optimizer is not None else keras.optimizers.Nadam(),
        metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")],
        steps_per_execution=steps_per_execution,
    )
    return model


def width_for_budget(depth, budget, n_in=784, n_out=10):
    """The largest width ``w`` such that ``depth`` hidden layers of ``w`` units (n_in-w-...-w-n_out,
    with biases) have at most ``budget`` parameters."""
    if depth < 1 or budget < 1:
        raise ValueError(f"depth={depth}, budget={budget}: both must be positive")
    count = lambda w: (n_in + 1) * w + (depth - 1) * (w + 1) * w + (w + 1) * n_out  # noqa: E731
    w = 1
    while count(w + 1) <= budget:
        w += 1
    if count(w) > budget:
        raise ValueError(f"budget={budget} is too small for {depth} hidden layer(s) of even 1 unit")
    return w


OPTIMIZERS = {
    "sgd": keras.optimizers.SGD,
    "adam": keras.optimizers.Adam,
    "nadam": keras.optimizers.Nadam,
}


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
