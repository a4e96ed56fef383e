"""helpers.models builders and helpers.training's in-graph fit."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from helpers import backprop, models, training, xor  # noqa: E402


def test_xor_net_shapes_and_counts():
    m = models.xor_net((2,), "tanh")
    assert m.count_params() == 9 == xor.n_params((2,))
    assert m.output_shape == (None, 1)
    skip = models.xor_net((1,), "relu", skip=True)
    assert skip.count_params() == 7 == xor.n_params((1,), skip=True)
    with pytest.raises(ValueError, match="width must be a whole number >= 1"):
        models.xor_net((0,))


@pytest.mark.parametrize("hidden", [(), (512, 512), (256, 256, 256, 256)])
def test_mnist_mlp_params(hidden):
    m = models.mnist_mlp(hidden, "tanh", standardize=(0.13, 0.31), shift=2)
    assert m.count_params() == backprop.param_count([784, *hidden, 10])
    assert m.output_shape == (None, 10)


def test_augmentation_and_scaling_are_identity_free_at_inference():
    m = models.mnist_mlp((16,), "relu", shift=2, dropout=0.5)
    x = np.random.default_rng(0).random((4, 784), dtype=np.float32)
    np.testing.assert_allclose(m.predict(x, verbose=0), m(x, training=False).numpy(), atol=1e-6)
    np.testing.assert_allclose(m(x, training=False).numpy(), m(x, training=False).numpy())


@pytest.mark.parametrize("shuffle", [False, True])
def test_fit_in_graph_equals_fit(shuffle):
    keras.utils.set_random_seed(0)
    a = models.xor_net((2,), "tanh")
    b = models.xor_net((2,), "tanh")
    b.set_weights(a.get_weights())
    if shuffle:  # same permutations as fit_in_graph draws, fed to fit one epoch at a time
        rng = np.random.default_rng(7)
        losses = []
        for _ in range(15):
            order = rng.permutation(4)
            losses += a.fit(
                xor.X[order], xor.Y[order], batch_size=1, epochs=1, shuffle=False, verbose=0
            ).history["loss"]
    else:
        losses = a.fit(xor.X, xor.Y, batch_size=1, epochs=15, shuffle=False, verbose=0).history[
            "loss"
        ]
    h = training.fit_in_graph(b, xor.X, xor.Y, epochs=15, batch_size=1, shuffle=shuffle, seed=7)
    for u, v in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(u, v, atol=1e-6)
    np.testing.assert_allclose(h["loss"], losses, atol=1e-6)


def test_fit_in_graph_checks_lengths():
    m = models.xor_net((2,), "tanh")
    with pytest.raises(ValueError, match="one target row per input row"):
        training.fit_in_graph(m, xor.X, xor.Y[:3], epochs=1)


def _classification_data(n=230, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 784), dtype=np.float32)
    return x, np.eye(10, dtype=np.float32)[rng.integers(0, 10, n)]


def test_train_mlp_trains_with_fit_and_holds_out_the_last_rows():
    """train_mlp is model.fit on models.mnist_mlp: a recipe's validation_split holds out the last
    rows, and one seed gives one result."""
    x, y = _classification_data(120)

    def run(seed):
        keras.utils.set_random_seed(seed)
        recipe = training.mnist_recipe("relu", (8,), epochs=2, shift=0, dropout=0.0, batch_size=16)
        model, history, seconds = training.train_mlp(recipe, x, y)
        return model.get_weights()[0], history.history, seconds

    w1, h1, s1 = run(1)
    w1b, _, _ = run(1)
    assert np.array_equal(w1, w1b) and not np.array_equal(w1, run(2)[0])
    assert (
        set(h1) == {"loss", "accuracy", "val_loss", "val_accuracy"}
        and len(h1["loss"]) == 2
        and s1 > 0
    )


def test_dead_fraction_counts_units_off_on_every_example():
    from helpers import diagnostics

    model = models.mnist_mlp((4,), "relu", dropout=0.0)
    kernel, bias = model.get_layer("hidden_1").get_weights()
    bias[:] = [-1e3, -1e3, 1e3, 1e3]  # units 1 and 2 can never switch on; 3 and 4 are always on
    model.get_layer("hidden_1").set_weights([kernel, bias])
    x = np.random.default_rng(0).random((20, 784), dtype=np.float32)
    assert diagnostics.dead_fraction(model, x) == [0.5]


def test_recipe_refuses_small_validation_split():
    with pytest.raises(ValueError, match="at least 0.2"):
        training.mnist_recipe("relu", validation_split=0.1)
    assert training.mnist_recipe("tanh")["dropout"] == 0.1


def test_train_mlp_and_diagnostics_on_tiny_data():
    from helpers import diagnostics

    rng = np.random.default_rng(0)
    x = rng.random((200, 784), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 200)]
    recipe = training.mnist_recipe("relu", (16, 8), epochs=2, batch_size=50)
    probe = diagnostics.LayerProbe(x[:32], y[:32])
    model, hist, secs = training.train_mlp(recipe, x, y, callbacks=[probe])
    assert len(hist.history["val_accuracy"]) == 2 and secs > 0
    assert len(probe.stats) == 3 and all(
        len(s) == 2 for s in probe.stats
    )  # init + 2 epochs, 2 hidden layers
    assert len(diagnostics.dead_fraction(model, x[:50])) == 2


def test_fit_in_graph_records_weights_without_changing_the_updates():
    keras.utils.set_random_seed(1)
    a = models.xor_net((2,), "tanh")
    b = models.xor_net((2,), "tanh")
    b.set_weights(a.get_weights())
    plain = training.fit_in_graph(a, xor.X, xor.Y, epochs=30, batch_size=1, shuffle=True, seed=5)
    recorded = training.fit_in_graph(
        b, xor.X, xor.Y, epochs=30, batch_size=1, shuffle=True, seed=5, record=True
    )
    assert plain["loss"] == recorded["loss"] and "weights" not in plain
    for u, v in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(u, v)  # bit for bit: recording only reads the weights
    assert len(recorded["weights"]) == 30
    for u, v in zip(recorded["weights"][-1], b.get_weights()):
        np.testing.assert_array_equal(u, v)
    assert [w.shape for w in recorded["weights"][0]] == [w.shape for w in b.get_weights()]


def test_first_start_keeps_the_first_seed_that_trains_and_says_when_none_does():
    import keras

    tried = []

    def train(net):
        tried.append(net.get_weights()[0].copy())

    # accept only the third start: the helper must return seed 7 + 2 and that net
    seed, net = training.first_start(
        lambda: models.xor_net((2,), "tanh"), train, lambda n: len(tried) == 3, seed=7
    )
    assert seed == 9 and len(tried) == 3
    keras.utils.set_random_seed(seed)  # the same start is rebuilt from the returned seed
    assert np.array_equal(models.xor_net((2,), "tanh").get_weights()[0], tried[-1])
    assert not np.array_equal(tried[0], tried[1])
    with pytest.raises(RuntimeError, match="none of seeds 7-9"):
        training.first_start(
            lambda: models.xor_net((2,), "tanh"), lambda n: None, lambda n: False, seed=7, tries=3
        )
