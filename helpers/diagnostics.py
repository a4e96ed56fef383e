"""What hidden units do inside a trained MNIST MLP: saturation, death, gradient flow."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf


def hidden_layers(model):
    return [layer for layer in model.layers if layer.name.startswith("hidden_")]


def hidden_activations(model, x, batch_size=2000):
    """Each hidden Dense layer's activations on ``x`` (inference mode), as numpy arrays."""
    probe = keras.Model(model.inputs, [layer.output for layer in hidden_layers(model)])
    out = probe.predict(x, batch_size=batch_size, verbose=0)
    return out if isinstance(out, list) else [out]


def saturated_fraction(activations, threshold=0.99):
    """Fraction of (example, unit) pairs where a tanh unit sits at |a| > threshold (gradient < 2%)."""
    return float(np.mean(np.abs(activations) > threshold))


def dead_fraction(activations):
    """Fraction of ReLU units that output exactly 0 on every example given."""
    return float(np.mean(np.all(activations == 0, axis=0)))


def inactive_fraction(activations):
    """Fraction of (example, unit) pairs where a ReLU unit outputs 0 (its gradient is 0 there)."""
    return float(np.mean(activations == 0))


class GradientNorms(keras.callbacks.Callback):
    """After each epoch, the L2 norm of the loss gradient for each hidden layer's kernel,
    on a fixed probe batch (training mode off), stored in ``self.norms[layer_name]``."""

    def __init__(self, x, y):
        super().__init__()
        self.x, self.y = tf.constant(x), tf.constant(y)
        self.norms = {}

    def on_epoch_end(self, epoch, logs=None):
        kernels = [layer.kernel for layer in hidden_layers(self.model)]
        with tf.GradientTape() as tape:
            pred = self.model(self.x, training=False)
            loss = self.model.compute_loss(x=self.x, y=self.y, y_pred=pred, training=False)
        for layer, grad in zip(hidden_layers(self.model), tape.gradient(loss, kernels)):
            self.norms.setdefault(layer.name, []).append(float(tf.norm(grad)))
