"""Issue 19, findings 4, 5, 6 and 11: bad arguments are refused at the call, with one ValueError
line that names the argument and what is allowed (not deep inside Keras, TensorFlow or NumPy)."""

import math

import numpy as np
import pytest

from helpers import checks, data, xor


def refused(fn, *words, **kwargs):
    """Call ``fn``; it must raise one ValueError line containing every one of ``words``."""
    with pytest.raises(ValueError) as err:
        fn(**kwargs)
    text = str(err.value)
    assert text and "\n" not in text, text
    for w in words:
        assert w in text, (w, text)
    return text


# --- the shared checks ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -3, 2.5, 3.0, True, "4", None, float("nan")])
def test_whole_refuses_what_is_not_a_positive_whole_number(value):
    refused(lambda: checks.whole("epochs", value), "epochs=", "whole number >= 1")


def test_whole_and_real_accept_good_values_as_plain_python_numbers():
    assert checks.whole("epochs", np.int64(3)) == 3 and type(checks.whole("n", np.int32(2))) is int
    assert checks.whole("shift", 0, minimum=0, maximum=27) == 0
    assert checks.positive("learning_rate", np.float32(0.5)) == 0.5
    assert checks.real("validation_split", 0.2, 0.2, 1.0, high_open=True) == 0.2
    refused(lambda: checks.real("validation_split", 1.0, 0.2, 1.0, high_open=True), "[0.2, 1)")
    for bad in (0, -1e-3, math.inf, math.nan, "0.1", None):
        refused(lambda bad=bad: checks.positive("learning_rate", bad), "learning_rate=", "> 0")


def test_finite_array_counts_nan_and_inf_and_passes_integers():
    checks.finite_array("x", np.arange(5, dtype=np.uint8))
    text = refused(
        lambda: checks.finite_array("x", np.array([1.0, np.nan, np.inf, np.nan])), "x holds"
    )
    assert "2 NaN" in text and "1 infinite" in text and "(1,)" in text
    refused(lambda: checks.finite_array("x", np.array(["a"])), "dtype")


# --- finding 5: xor.run and xor.Recipe ------------------------------------------------------------


@pytest.mark.parametrize(
    "change, words",
    [
        ({"hidden": (0,)}, ("hidden=(0,)", ">= 1")),
        ({"hidden": (4, -2)}, ("hidden=(4, -2)", ">= 1")),
        ({"hidden": (2.5,)}, ("hidden=(2.5,)", "whole number")),
        ({"hidden": 3}, ("hidden=3", "tuple")),
        ({"learning_rate": float("nan")}, ("learning_rate=nan", "> 0")),
        ({"learning_rate": 0.0}, ("learning_rate=0.0", "> 0")),
        ({"learning_rate": -0.1}, ("learning_rate=-0.1", "> 0")),
        ({"learning_rate": float("inf")}, ("learning_rate=inf", "finite")),
        ({"epochs": 0}, ("epochs=0", ">= 1")),
        ({"epochs": 2.5}, ("epochs=2.5", "whole number")),
        ({"batch_size": 2}, ("batch_size=2", "None (full batch) or 1")),
        ({"optimizer": "rmsprop"}, ("optimizer='rmsprop'", "sgd")),
        ({"kernel": "zeros"}, ("kernel='zeros'", "he_normal")),
        ({"activation": "gelu"}, ("activation='gelu'", "relu")),
        ({"bias": float("nan")}, ("bias=nan", "finite")),
    ],
)
def test_xor_recipe_refuses_fields_out_of_range(change, words):
    refused(lambda: xor.Recipe(**change), *words)
    refused(lambda: xor.Recipe().replace(**change), *words)


def test_xor_run_refuses_width_0_seeds_0_and_nan_learning_rate():
    """Before: width 0 reported '0% solved' with n_params 1, seeds=0 a NaN rate, lr=nan '0%
    solved'."""
    recipe = xor.Recipe(hidden=(2,), epochs=3)
    refused(lambda: xor.run(recipe, seeds=0), "seeds=0", "whole number >= 1")
    refused(lambda: xor.run(recipe, seeds=-5), "seeds=-5")
    refused(lambda: xor.run(recipe, seeds=2.0), "seeds=2.0")
    refused(lambda: xor.run(recipe, seeds=3, seed=-1), "seed=-1", ">= 0")
    refused(lambda: xor.n_params((0,)), "hidden=(0,)")
    changed = xor.Recipe(hidden=(2,), epochs=3)
    changed.hidden = (0,)  # a dataclass field set after construction is checked again by run
    refused(lambda: xor.run(changed, seeds=3), "hidden=(0,)")
    changed = xor.Recipe(hidden=(2,), epochs=3)
    changed.learning_rate = float("nan")
    refused(lambda: xor.run(changed, seeds=3), "learning_rate=nan")
    refused(lambda: xor.run({"hidden": (2,)}, seeds=3), "xor.Recipe")
    result = xor.run(recipe, seeds=np.int64(3), seed=np.int64(1))  # NumPy whole numbers are fine
    assert result.seeds == 3 and result.params == 9


# --- findings 6 and 11: data.prepare and data.check_xy --------------------------------------------


def images(n=4):
    return np.random.default_rng(0).integers(0, 256, (n, 28, 28), dtype=np.uint8)


@pytest.mark.parametrize(
    "labels, words",
    [
        ([0, 1, 2, -1], ("label -1", "0..9")),
        (np.array([0, 1, 2, 255], np.uint8), ("label 255", "0..9")),
        ([0, 1, 2, 10], ("label 10", "0..9")),
        ([0, 1, 2, 2.5], ("label 2.5", "whole number")),
        ([0, 1, 2, float("nan")], ("label nan", "whole number")),
        (np.eye(10)[[0, 1, 2, 3]], ("(4, 10)", "one-hot encoded already")),
        (["a", "b", "c", "d"], ("dtype", "whole numbers")),
    ],
)
def test_prepare_refuses_labels_outside_0_to_9(labels, words):
    """Before: label -1 was one-hot encoded as class 9, without a word."""
    refused(lambda: data.prepare(images(), labels), "prepare", *words)


def test_prepare_refuses_nan_and_out_of_range_pixels_and_keeps_good_input():
    x = images().astype(np.float32)
    x[2, 5, 5] = np.nan
    refused(lambda: data.prepare(x, [0, 1, 2, 3]), "images x", "1 NaN")
    x[2, 5, 5] = np.inf
    refused(lambda: data.prepare(x, [0, 1, 2, 3]), "infinite")
    refused(lambda: data.prepare(images() / 255.0 - 0.5, [0, 1, 2, 3]), "0..255")
    flat, onehot = data.prepare(
        images(), np.array([9, 0, 3.0, 1])
    )  # whole-number floats are labels too
    assert flat.shape == (4, 784) and onehot.argmax(1).tolist() == [9, 0, 3, 1]


def test_check_xy_refuses_integer_labels_mismatched_rows_and_nan():
    x, y = data.prepare(images(), [0, 1, 2, 3])
    data.check_xy(x, y)  # good data passes
    refused(
        lambda: data.check_xy(x, np.array([0, 1, 2, 3])),
        "y has shape (4,): one-hot encode it with data.prepare",
    )
    refused(lambda: data.check_xy(x, y[:3]), "x has 4 rows but y has 3")
    refused(lambda: data.check_xy(x, y[:, :9]), "(4, 9)", "(N, 10)")
    refused(lambda: data.check_xy(images(), y), "(4, 28, 28)", "data.prepare")
    bad = x.copy()
    bad[1, 7] = np.nan
    refused(lambda: data.check_xy(bad, y), "x holds 1 NaN")
    bad_y = y.copy()
    bad_y[0, 0] = np.inf
    refused(lambda: data.check_xy(x, bad_y), "y holds", "infinite")
    data.check_xy(x[:, :5], np.eye(3)[[0, 1, 2, 0]], num_classes=3)


# --- Keras-side checks: models.mnist_mlp, training.mnist_recipe / check_recipe, fit_in_graph ------

models = pytest.importorskip(
    "helpers.models"
)  # Keras and TensorFlow: skipped where they are missing
training = pytest.importorskip("helpers.training")


@pytest.mark.parametrize(
    "standardize, words",
    [
        ((0.13, 0.0), ("standardize std=0.0", "> 0")),
        ((0.13, -1.0), ("standardize std=-1.0",)),
        ((0.13, float("nan")), ("standardize std=nan",)),
        ((float("inf"), 0.3), ("standardize mean=inf", "finite")),
        ((0.13,), ("(mean, std)",)),
    ],
)
def test_mnist_mlp_refuses_std_0_and_non_finite_standardize(standardize, words):
    refused(lambda: models.mnist_mlp((4,), "relu", standardize=standardize), *words)


def test_mnist_mlp_refuses_bad_widths_and_dropout():
    refused(lambda: models.mnist_mlp((0,), "relu"), "hidden=(0,)")
    refused(lambda: models.mnist_mlp((4,), "relu", dropout=1.0), "dropout=1.0", "[0, 1)")


@pytest.mark.parametrize(
    "change, words",
    [
        ({"epochs": 0}, ("epochs=0", "whole number >= 1")),
        ({"epochs": 2.5}, ("epochs=2.5", "whole number")),
        ({"batch_size": 0}, ("batch_size=0", "whole number >= 1")),
        ({"batch_size": -32}, ("batch_size=-32",)),
        ({"validation_split": 1.5}, ("validation_split=1.5", "[0.2, 1)")),
        ({"validation_split": 1.0}, ("validation_split=1.0", "[0.2, 1)")),
        ({"validation_split": 0.1}, ("validation_split=0.1", "at least 0.2")),
        ({"learning_rate": float("nan")}, ("learning_rate=nan", "> 0")),
        ({"learning_rate": 0}, ("learning_rate=0", "> 0")),
        ({"dropout": 1.0}, ("dropout=1.0", "[0, 1)")),
        ({"dropout": -0.1}, ("dropout=-0.1",)),
        ({"shift": -1}, ("shift=-1", "0 to 27")),
        ({"shift": 1.5}, ("shift=1.5", "whole number")),
        ({"hidden": (16, 0)}, ("hidden=(16, 0)", ">= 1")),
        ({"hidden": 16}, ("hidden=16", "tuple")),
    ],
)
def test_mnist_recipe_refuses_what_keras_would_fail_on_later(change, words):
    """Before: epochs=0 etc. failed inside Keras ('decay_steps must be > 0'), batch_size=0 with a
    ZeroDivisionError, epochs=2.5 with a TypeError."""
    refused(lambda: training.mnist_recipe("relu", **change), *words)
    recipe = training.mnist_recipe("relu")
    recipe.update(change)
    refused(lambda: training.check_recipe(recipe), *words[:1])


def test_check_recipe_passes_the_labs_recipes_and_names_missing_keys():
    for act in ("relu", "tanh"):
        recipe = training.mnist_recipe(act)
        assert training.check_recipe(recipe) is recipe
    assert training.mnist_recipe("relu", (8, 8), epochs=1, shift=0, dropout=0.0)["hidden"] == [8, 8]
    recipe = training.mnist_recipe("relu")
    del recipe["epochs"]
    refused(lambda: training.check_recipe(recipe), "lacks epochs")
    refused(lambda: training.check_recipe([1, 2]), "mnist_recipe")


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"epochs": 0}, ("epochs=0", ">= 1")),
        ({"epochs": 2.5}, ("epochs=2.5",)),
        ({"batch_size": 0}, ("batch_size=0", ">= 1")),
        ({"batch_size": -1}, ("batch_size=-1",)),
        ({"batch_size": 1.5}, ("batch_size=1.5",)),
        ({"seed": -2}, ("seed=-2", ">= 0")),
    ],
)
def test_fit_in_graph_refuses_bad_epochs_and_batch_sizes(kwargs, words):
    model = models.xor_net((2,), "tanh")
    args = {"epochs": 2, "batch_size": 1, **kwargs}
    refused(lambda: training.fit_in_graph(model, xor.X, xor.Y, **args), *words)


def test_fit_in_graph_refuses_nan_and_inf_inputs():
    """Finding 4: NaN inputs trained to a normal-looking loss while the weights turned NaN."""
    model = models.xor_net((2,), "tanh")
    before = [w.copy() for w in model.get_weights()]
    X = xor.X.copy()
    X[1, 0] = np.nan
    refused(lambda: training.fit_in_graph(model, X, xor.Y, epochs=2), "X holds 1 NaN")
    Y = xor.Y.copy()
    Y[0] = np.inf
    refused(lambda: training.fit_in_graph(model, xor.X, Y, epochs=2), "Y holds", "infinite")
    for u, v in zip(before, model.get_weights()):
        np.testing.assert_array_equal(u, v)  # nothing trained


def test_fit_recipe_and_first_start_check_their_arguments():
    model = models.xor_net((2,), "tanh")
    recipe = xor.Recipe(hidden=(2,), epochs=3)
    recipe.epochs = 0
    refused(lambda: training.fit_recipe(model, recipe, xor.X, xor.Y), "epochs=0")
    refused(lambda: training.fit_recipe(model, {"epochs": 3}, xor.X, xor.Y), "xor.Recipe")

    def build():
        return models.xor_net((2,), "tanh")

    refused(lambda: training.first_start(build, lambda n: None, lambda n: True, seed=-1), "seed=-1")
    refused(
        lambda: training.first_start(build, lambda n: None, lambda n: True, seed=0, tries=0),
        "tries=0",
    )
    refused(lambda: training.first_start(build, None, lambda n: True, seed=0), "train=None")
