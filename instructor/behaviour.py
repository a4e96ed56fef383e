"""What the hidden tests check: the submitted Keras models and their training histories.

The hidden tests (generated into the autograder by `make assign`) call these functions from inside
the kernel that has just run a submission. They never read the notebook's text or printed numbers:
they evaluate the models themselves, on the four XOR patterns written here and on the MNIST test set
read here (not the submission's own X or x_test), and they read what `fit` was called with from a
record the grader attaches to every History (`install_fit_recorder`, run before the submission).

Every check raises AssertionError with one line that says what was expected and what was found.
"""

from __future__ import annotations

import inspect

import numpy as np

XOR_X = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype="float32")
XOR_Y = np.array([0, 1, 1, 0])
MIN_MNIST_ACCURACY = 0.98
MIN_VALIDATION_SPLIT = 0.2
# Layers a plain multi-layer net may contain besides Dense (they add no hidden units).
NEUTRAL_LAYERS = {"InputLayer", "Activation", "Dropout", "Flatten", "Reshape", "BatchNormalization"}


def install_fit_recorder():
    """Make every `Model.fit` attach to its History what it was called with (`_lab4_fit`).

    Run by the grader before the submission's first cell; `tensorflow.keras` and `keras` are the
    same Keras 3 classes, so either spelling in a submission is recorded."""
    import keras

    fit = keras.Model.fit
    if getattr(fit, "_lab4_recorder", False):
        return
    signature = inspect.signature(fit)

    def recorded_fit(self, *args, **kwargs):
        history = fit(self, *args, **kwargs)
        try:
            bound = signature.bind(self, *args, **kwargs)
            arguments = bound.arguments
            x = arguments.get("x")
            history._lab4_fit = {
                "validation_split": float(arguments.get("validation_split") or 0.0),
                "validation_data": arguments.get("validation_data") is not None,
                "samples": int(len(x)) if hasattr(x, "__len__") else None,
            }
        except Exception:  # noqa: BLE001 - a record we cannot make is reported as missing
            pass
        return history

    recorded_fit._lab4_recorder = True
    keras.Model.fit = recorded_fit


def _model(obj, name):
    import keras

    assert obj is not None, f"{name} is not defined: the tests read it after the notebook has run"
    assert isinstance(obj, keras.Model), (
        f"{name} should be a Keras model (keras.Model); found {type(obj).__name__}"
    )
    return obj


def _layers(model):
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def hidden_activations(model) -> list[str]:
    """The activation of each hidden Dense layer (an Activation layer after a linear one counts)."""
    layers = _layers(model)
    dense = [i for i, layer in enumerate(layers) if type(layer).__name__ == "Dense"]
    names = []
    for i in dense[:-1]:
        name = getattr(layers[i].activation, "__name__", str(layers[i].activation))
        if name == "linear" and i + 1 < len(layers):
            follower = layers[i + 1]
            if type(follower).__name__ == "Activation":
                name = getattr(follower.activation, "__name__", str(follower.activation))
            elif type(follower).__name__ in {"ReLU", "LeakyReLU"}:
                name = "relu"
        names.append(name)
    return names


def hidden_units(model) -> int:
    """Units in every Dense layer but the output layer."""
    dense = [layer for layer in _layers(model) if type(layer).__name__ == "Dense"]
    return sum(int(layer.units) for layer in dense[:-1])


def check_plain_net(model, name, activation):
    """Dense layers with at least one hidden layer, every hidden one using `activation`. Layers
    without trainable weights (rescaling, normalisation, random shifts of the input) may sit
    among them: they change the data, not the kind of network. A layer that learns weights of
    its own (a convolution, say) makes it another kind of network."""
    odd = sorted(
        {
            type(layer).__name__
            for layer in _layers(model)
            if type(layer).__name__ not in NEUTRAL_LAYERS | {"Dense", "ReLU", "LeakyReLU"}
            and layer.trainable_weights
        }
    )
    assert not odd, f"{name} should be built from Dense layers; it also has {', '.join(odd)}"
    acts = hidden_activations(model)
    assert acts, f"{name} should have at least one hidden Dense layer; it has none"
    assert all(a == activation for a in acts), (
        f"{name}'s hidden layers should all use {activation}; found {acts}"
    )


def predict_classes(model, x) -> np.ndarray:
    out = np.asarray(model.predict(x, verbose=0))
    if out.ndim == 1 or out.shape[-1] == 1:
        return (out.reshape(len(x)) > 0.5).astype(int)
    return out.argmax(axis=-1)


def check_history(history, model, name, key="loss"):
    import keras

    assert isinstance(history, keras.callbacks.History), (
        f"{name} should be the History that model.fit(...) returns; found {type(history).__name__}"
    )
    assert getattr(history, "model", None) is model, (
        f"{name} should come from fitting the model the tests evaluate (its .model is another one)"
    )
    values = history.history.get(key)
    assert values, f"{name}.history has no '{key}'; keys: {sorted(history.history)}"
    return values


def check_xor(model, history, name, max_hidden=None):
    """Problems 1 and 3: a trained ReLU net that classifies all four XOR patterns."""
    _model(model, f"{name}_model")
    check_plain_net(model, f"{name}_model", "relu")
    shape = tuple(model.inputs[0].shape)[1:] if model.inputs else None
    assert shape in (None, (2,)), f"{name}_model should take 2 inputs; its input shape is {shape}"
    loss = check_history(history, model, f"{name}_history")
    assert len(loss) >= 2 and loss[-1] < loss[0], (
        f"{name}_history's loss should fall during training: first {loss[0]:.4g}, "
        f"last {loss[-1]:.4g} over {len(loss)} epochs"
    )
    got = predict_classes(model, XOR_X)
    right = int((got == XOR_Y).sum())
    assert right == 4, f"{name}_model classifies {right} of the 4 XOR patterns correctly: {got}"
    if max_hidden is not None:
        units = hidden_units(model)
        assert units <= max_hidden, (
            f"{name}_model has {units} hidden units; the answer key solves XOR with {max_hidden}"
        )


_MNIST_TEST = None


def mnist_test():
    """The 10,000 MNIST test images flattened to 784 floats in [0, 1], and their labels 0-9."""
    global _MNIST_TEST
    if _MNIST_TEST is None:
        from helpers.data import load_mnist

        _, (x, y) = load_mnist()
        _MNIST_TEST = (x.reshape(len(x), -1).astype("float32") / 255.0, np.asarray(y))
    return _MNIST_TEST


def mnist_accuracy(model) -> float:
    """Accuracy on the MNIST test set from the model's own predictions (argmax of its outputs), so
    it does not depend on how the submission compiled the model (metrics, one-hot or sparse)."""
    x, y = mnist_test()
    shape = tuple(model.inputs[0].shape)[1:] if model.inputs else (784,)
    if shape not in ((784,), (None,)):  # a model that takes 28x28 (or 28x28x1) images
        x = x.reshape((len(x), *shape))
    return float((predict_classes(model, x) == y).mean())


def check_mnist(model, history, name, activation, validation_split):
    """Problems 5 and 6: above 98% on the MNIST test set, validation accuracy in the history,
    and at least 20% of the training data held out for validation."""
    _model(model, f"{name}_model")
    check_plain_net(model, f"{name}_model", activation)
    check_history(history, model, f"{name}_history")
    keys = [k for k in history.history if k.startswith("val_") and "acc" in k]
    assert keys, (
        f"{name}_history has no validation accuracy (val_...accuracy); keys: "
        f"{sorted(history.history)}. Compile with metrics=['accuracy'], fit with validation_split"
    )
    val = history.history[keys[0]]
    assert len(val) >= 2, f"{name}_history has {len(val)} epoch(s); the plot needs at least 2"
    assert isinstance(validation_split, (int, float)) and not isinstance(validation_split, bool), (
        f"VALIDATION_SPLIT should be a number; found {type(validation_split).__name__}"
    )
    assert validation_split >= MIN_VALIDATION_SPLIT, (
        f"VALIDATION_SPLIT is {validation_split}; the lab asks for at least {MIN_VALIDATION_SPLIT}"
    )
    record = getattr(history, "_lab4_fit", None)
    assert record is not None, f"{name}_history was not made by model.fit(...) in this notebook"
    assert record["validation_split"] >= MIN_VALIDATION_SPLIT or record["validation_data"], (
        f"the fit that made {name}_history used validation_split={record['validation_split']}; "
        f"the lab asks for at least {MIN_VALIDATION_SPLIT}"
    )
    accuracy = mnist_accuracy(model)
    assert accuracy > MIN_MNIST_ACCURACY, (
        f"{name}_model scores {accuracy:.2%} on the 10,000 MNIST test images; "
        f"the lab asks for more than {MIN_MNIST_ACCURACY:.0%}"
    )
