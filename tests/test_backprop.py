"""helpers.backprop against finite differences and against Keras itself."""

import numpy as np
import pytest

from helpers import backprop


@pytest.mark.parametrize("name", sorted(backprop.ACTIVATIONS))
def test_derivative_matches_numerical_difference(name):
    z = np.linspace(-4, 4, 801)
    z = z[np.abs(z) > 1e-3]  # ReLU has a kink at 0
    h = 1e-6
    numeric = (backprop.ACTIVATIONS[name](z + h) - backprop.ACTIVATIONS[name](z - h)) / (2 * h)
    np.testing.assert_allclose(backprop.DERIVATIVES[name](z), numeric, atol=1e-6)


def test_bce_derivative_matches_numerical_difference():
    a = np.linspace(0.05, 0.95, 50)
    for t in (0.0, 1.0):
        numeric = (backprop.bce(t, a + 1e-7) - backprop.bce(t, a - 1e-7)) / 2e-7
        np.testing.assert_allclose(backprop.dbce(t, a), numeric, rtol=1e-5)


def test_sympy_facts():
    assert backprop.TANH_IDENTITY  # (e^2x - 1)/(e^2x + 1) is tanh
    net, target = np.linspace(-5, 5, 11), np.array([0.0, 1.0])[:, None]
    chain = backprop.dbce(target, backprop.ACTIVATIONS["sigmoid"](net)) * backprop.DERIVATIVES[
        "sigmoid"
    ](net)
    np.testing.assert_allclose(backprop.sigmoid_bce_delta(target, net), chain, atol=1e-12)


def test_functions_keep_shape_and_dtype():
    z = np.zeros((3, 4), dtype=np.float32)
    for table in (backprop.ACTIVATIONS, backprop.DERIVATIVES):
        for f in table.values():
            out = f(z)
            assert out.shape == (3, 4) and out.dtype == np.float32
    assert backprop.DERIVATIVES["relu"](np.array([0.0]))[0] == 0.0  # as TensorFlow


def test_extreme_net_inputs_stay_finite():
    z = np.array([-1e4, -100.0, 0.0, 100.0, 1e4])
    for name in backprop.ACTIVATIONS:
        assert np.isfinite(backprop.ACTIVATIONS[name](z)).all()
        assert np.isfinite(backprop.DERIVATIVES[name](z)).all()
    assert np.isfinite(backprop.sigmoid_bce_delta(np.ones(5), z)).all()


def random_net(sizes, acts, seed):
    rng = np.random.default_rng(seed)
    weights = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        weights += [
            rng.normal(0, 0.8, (a, b)).astype(np.float32),
            rng.normal(0, 0.3, b).astype(np.float32),
        ]
    X = rng.choice([-1.0, 1.0], (6, sizes[0])).astype(np.float32)
    Y = rng.integers(0, 2, 6).astype(np.float32)
    return weights, acts, X, Y


NETS = [
    ([2, 2, 1], ["tanh", "sigmoid"]),
    ([2, 8, 4, 1], ["relu", "linear", "sigmoid"]),
    ([5, 3, 1], ["sigmoid", "sigmoid"]),
    ([3, 6, 5, 4, 1], ["tanh", "relu", "linear", "sigmoid"]),
]


@pytest.mark.parametrize("sizes, acts", NETS)
def test_gradients_match_finite_differences(sizes, acts):
    weights, acts, X, Y = random_net(sizes, acts, 1)
    weights = [w.astype(np.float64) for w in weights]
    grads = backprop.gradients(weights, acts, X, Y)
    h = 1e-6
    for k, w in enumerate(weights):
        for idx in np.ndindex(w.shape):
            plus = [v.copy() for v in weights]
            minus = [v.copy() for v in weights]
            plus[k][idx] += h
            minus[k][idx] -= h
            numeric = (backprop.loss(plus, acts, X, Y) - backprop.loss(minus, acts, X, Y)) / (2 * h)
            assert grads[k][idx] == pytest.approx(numeric, abs=1e-6)


@pytest.mark.parametrize("sizes, acts", NETS)
@pytest.mark.parametrize("seed", [0, 1])
def test_sgd_step_equals_keras(sizes, acts, seed):
    keras = pytest.importorskip("keras")
    weights, acts, X, Y = random_net(sizes, acts, seed)
    model = keras.Sequential(
        [keras.Input((sizes[0],))]
        + [keras.layers.Dense(n, activation=a) for n, a in zip(sizes[1:], acts)]
    )
    model.compile(
        loss=keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.SGD(learning_rate=0.1)
    )
    model.set_weights(weights)
    ours_loss = backprop.loss(weights, acts, X, Y)
    ours = backprop.sgd_step(weights, acts, X, Y, eta=0.1)
    hist = model.fit(X, Y, batch_size=len(X), epochs=1, shuffle=False, verbose=0)
    assert hist.history["loss"][0] == pytest.approx(float(ours_loss), abs=1e-5)
    for mine, theirs in zip(ours, model.get_weights()):
        np.testing.assert_allclose(mine, theirs, atol=1e-5)
    # and the forward pass is Keras's predict
    np.testing.assert_allclose(
        backprop.forward(ours, acts, X)[-1][1], model.predict(X, verbose=0), atol=1e-5
    )


def test_targets_may_be_column_or_flat():
    weights, acts, X, Y = random_net([2, 3, 1], ["tanh", "sigmoid"], 0)
    a = backprop.sgd_step(weights, acts, X, Y, 0.5)
    b = backprop.sgd_step(weights, acts, X, Y[:, None], 0.5)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


def test_batched_networks_equal_one_at_a_time():
    nets = [random_net([2, 4, 1], ["relu", "sigmoid"], s) for s in range(3)]
    X, Y = nets[0][2], nets[0][3]
    stacked = [np.stack([n[0][k] for n in nets]) for k in range(4)]
    batched = backprop.gradients(stacked, ["relu", "sigmoid"], X, Y)
    for i, (w, acts, _, _) in enumerate(nets):
        for g_b, g in zip(batched, backprop.gradients(w, acts, X, Y)):
            np.testing.assert_allclose(g_b[i], g, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda w, a, X, Y: (w[:3], a, X, Y), "3 weight arrays for 2 activations"),
        (lambda w, a, X, Y: (w, ["tanh", "swish"], X, Y), "unknown activation 'swish'"),
        (lambda w, a, X, Y: (w, a, X[:, :1], Y), "expects 2 inputs but X has 1"),
        (
            lambda w, a, X, Y: ([w[0], w[1], w[2][:2], w[3]], a, X, Y),
            "expects 2 inputs but layer 1 gives 3",
        ),
        (lambda w, a, X, Y: ([w[0], w[1][:2], w[2], w[3]], a, X, Y), "do not fit"),
        (lambda w, a, X, Y: (w, a, X, Y[:4]), "targets of shape (4,)"),
        (lambda w, a, X, Y: (w, ["tanh", "relu"], X, Y), "needs a 'sigmoid' output"),
    ],
)
def test_bad_shapes_and_names_raise(mutate, message):
    args = mutate(*random_net([2, 3, 1], ["tanh", "sigmoid"], 0))
    with pytest.raises(ValueError) as err:
        backprop.sgd_step(*args, eta=0.1)
    assert message in str(err.value)


def test_skip_gradients_match_finite_differences():
    rng = np.random.default_rng(2)
    weights = [
        rng.normal(0, 0.8, (2, 3)),
        rng.normal(0, 0.3, 3),
        rng.normal(0, 0.8, (5, 1)),
        rng.normal(0, 0.3, 1),
    ]
    X = rng.choice([-1.0, 1.0], (4, 2))
    Y = np.array([0.0, 1.0, 1.0, 0.0])
    acts = ["relu", "sigmoid"]
    grads = backprop.gradients(weights, acts, X, Y, skip=True)
    for k, w in enumerate(weights):
        for idx in np.ndindex(w.shape):
            plus, minus = [v.copy() for v in weights], [v.copy() for v in weights]
            plus[k][idx] += 1e-6
            minus[k][idx] -= 1e-6
            numeric = (
                backprop.loss(plus, acts, X, Y, skip=True)
                - backprop.loss(minus, acts, X, Y, skip=True)
            ) / 2e-6
            assert grads[k][idx] == pytest.approx(numeric, abs=1e-6)
    with pytest.raises(ValueError, match="expects 5 inputs but layer 1 gives 3"):
        backprop.forward(weights, acts, X)  # without skip the output W has 2 rows too many
