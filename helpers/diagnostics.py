"""What hidden units do inside an MNIST MLP: saturation, silence, and how large the backward signal
is.

Everything is measured in inference mode (no dropout, no shifts) on a fixed probe batch, so values
taken at initialisation, after an epoch and at the end of training are comparable with each other,
and the per-layer sizes are comparable across layers of different shapes:

* ``delta_rms``: the root mean square of dE/dnet over (example, unit), where E is each example's own
  cross-entropy. This is the backprop *delta* of the lecture, the signal a layer passes down.
* ``grad_rms``: the root mean square of dE/dW over the layer's kernel entries, E the batch-mean
  loss. This is per weight, so a 784x512 and a 512x512 kernel are on the same scale.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf


def hidden_layers(model):
    """The model's hidden Dense layers: every Dense layer but the last (the output layer)."""
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    return dense[:-1]


def _forward(model, x, training=False):
    """Run ``model`` layer by layer, keeping each hidden Dense layer's net input and activation."""
    h, nets, acts = x, [], []
    hidden = {id(layer) for layer in hidden_layers(model)}
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if id(layer) in hidden:
            net = tf.matmul(h, layer.kernel) + layer.bias
            h = layer.activation(net)
            nets.append(net)
            acts.append(h)
        else:
            h = layer(h, training=training)
    return h, nets, acts


def layer_stats(model, x, y):
    """Per hidden layer, a dict of numpy floats measured on ``(x, y)`` with the weights as they are
    now.

    ``saturated``: share of (example, unit) pairs with |a| > 0.99 (a tanh unit's slope 1 - a^2 is
    under 2%); ``zero``: share with a == 0 exactly (a ReLU unit that is off: slope 0);
    ``slope``: mean activation slope g'(net) over (example, unit) pairs;
    ``delta_rms`` and ``grad_rms``: see the module docstring.
    """
    x = tf.constant(x, tf.float32)
    y = tf.constant(y, tf.float32)
    layers = hidden_layers(model)
    kernels = [layer.kernel for layer in layers]
    with tf.GradientTape(persistent=True) as tape:
        probs, nets, acts = _forward(model, x)
        per_example = keras.losses.categorical_crossentropy(y, probs)
        total, mean = tf.reduce_sum(per_example), tf.reduce_mean(per_example)
    deltas = tape.gradient(total, nets)
    grads = tape.gradient(mean, kernels)
    del tape
    out = []
    for layer, net, a, d, g in zip(layers, nets, acts, deltas, grads):
        with tf.GradientTape() as t2:
            t2.watch(net)
            a2 = layer.activation(net)
        slope = t2.gradient(a2, net)  # elementwise, since each unit's a depends only on its own net
        a = a.numpy()
        out.append(
            {
                "saturated": float(np.mean(np.abs(a) > 0.99)),
                "zero": float(np.mean(a == 0)),
                "slope": float(tf.reduce_mean(slope)),
                "delta_rms": float(tf.sqrt(tf.reduce_mean(tf.square(d)))),
                "grad_rms": float(tf.sqrt(tf.reduce_mean(tf.square(g)))),
            }
        )
    return out


def dead_fraction(model, x, batch_size=2000):
    """Per hidden layer, the share of units whose activation is exactly 0 on every example of
    ``x``."""
    probe = keras.Model(model.inputs, [layer.output for layer in hidden_layers(model)])
    outs = probe.predict(x, batch_size=batch_size, verbose=0)
    outs = outs if isinstance(outs, list) else [outs]
    return [float(np.mean(np.all(a == 0, axis=0))) for a in outs]


class LayerProbe(keras.callbacks.Callback):
    """``layer_stats`` on a fixed probe batch before training (``self.stats[0]``) and after every
    epoch (``self.stats[e]`` after epoch ``e``); ``within_first_epoch=True`` also measures after
    every graph call of epoch 1 (each ``steps_per_execution`` batches), kept in ``self.first_epoch``
    as ``(batches, stats)``."""

    def __init__(self, x, y, within_first_epoch=False):
        super().__init__()
        self.x, self.y = x, y
        self.within_first_epoch = within_first_epoch
        self.stats, self.first_epoch, self._epoch = [], [], 0

    def on_train_begin(self, logs=None):
        self.stats = [layer_stats(self.model, self.x, self.y)]
        self.first_epoch = [(0, self.stats[0])]

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.within_first_epoch and self._epoch == 0:
            self.first_epoch.append((batch + 1, layer_stats(self.model, self.x, self.y)))

    def on_epoch_end(self, epoch, logs=None):
        self.stats.append(layer_stats(self.model, self.x, self.y))

    def series(self, key, layer):
        """``key`` of hidden layer ``layer`` (0-based) at initialisation and after each epoch."""
        return [s[layer][key] for s in self.stats]

    def first_epoch_series(self, key, layer):
        """``(batches seen, values)`` of ``key`` for hidden layer ``layer`` through epoch 1."""
        return [b for b, _ in self.first_epoch], [s[layer][key] for _, s in self.first_epoch]
