import numpy as np
import pytest

from helpers import mechanisms, xor


def test_all_off_probability_matches_the_2_to_the_minus_w_count():
    # 200 runs of 4 patterns: about 137, 46, 3 and 0 runs start with an all-off pattern at widths 2,
    # 4, 8, 16
    counts = [round(200 * mechanisms.all_off_probability(w)) for w in (2, 4, 8, 16)]
    assert counts == [137, 46, 3, 0]
    assert mechanisms.all_off_probability(1, patterns=1) == 0.5
    for bad in [
        dict(width=0),
        dict(width=2.5),
        dict(width=2, patterns=0),
        dict(width=2, p_off=1.5),
    ]:
        with pytest.raises(ValueError):
            mechanisms.all_off_probability(**bad)


def test_all_off_probability_agrees_with_random_relu_layers():
    # symmetric random weights and zero biases: each unit is off on a pattern with probability 1/2
    rng = np.random.default_rng(0)
    w1 = rng.normal(size=(20000, 2, 3))
    weights = [w1, np.zeros((20000, 3)), np.ones((20000, 3, 1)), np.zeros((20000, 1))]
    measured = xor.all_off_patterns(weights, ["relu", "sigmoid"]).any(axis=-1).mean()
    # the 4 XOR patterns are +-1 pairs, so x and -x are both patterns: a unit is off on exactly one
    # of each antipodal pair (not independent); the formula is an approximation, within a few points
    # here
    assert abs(measured - mechanisms.all_off_probability(3)) < 0.12


def test_exact_all_off_probability_matches_keras_initialised_layers():
    """Issue 25: the exact probability (antipodal pairs, Keras's truncated He-normal kernel, bias
    0.1), as the evidence notebook's XOR nets start, against 20,000 layers drawn by Keras's own
    initialiser at widths 2 and 4."""
    keras = pytest.importorskip("keras")
    n = 20000
    for width in (2, 4):
        # he_normal's scale depends on fan_in only: one (2, n * width) kernel is n kernels of (2, w)
        init = keras.initializers.HeNormal(seed=7 + width)
        w1 = np.asarray(init((2, n * width))).reshape(2, n, width).transpose(1, 0, 2)
        weights = [w1, np.full((n, width), 0.1), np.ones((n, width, 1)), np.zeros((n, 1))]
        measured = xor.all_off_patterns(weights, ["relu", "sigmoid"]).any(axis=-1).mean()
        exact = mechanisms.all_off_probability_exact(width, kernel="he_normal", bias=0.1)
        se = np.sqrt(exact * (1 - exact) / n)
        assert abs(measured - exact) < 4 * se, (width, measured, exact)
    with pytest.raises(ValueError, match="bias"):
        mechanisms.all_off_probability_exact(2, bias=-1.0)
    with pytest.raises(ValueError, match="kernel"):
        mechanisms.all_off_probability_exact(2, kernel="orthogonal")


def _two_unit_nets(seed, n=500):
    """``n`` random 2-2-1 nets as ``helpers.xor`` batches them, small biases."""
    rng = np.random.default_rng(seed)
    return [
        rng.normal(size=(n, 2, 2)),
        rng.normal(0, 0.1, size=(n, 2)),
        rng.normal(size=(n, 2, 1)),
        np.zeros((n, 1)),
    ]


def test_lift_all_off_removes_every_all_off_pattern_and_changes_nothing_else():
    weights = _two_unit_nets(1)
    before = xor.all_off_patterns(weights, ["relu", "sigmoid"])
    lifted, changed = mechanisms.lift_all_off(weights, xor.X)
    after = xor.all_off_patterns(lifted, ["relu", "sigmoid"])
    assert before.any() and not after.any()
    assert np.array_equal(changed, before.any(axis=-1))
    assert np.array_equal(lifted[0], weights[0]) and np.array_equal(lifted[2], weights[2])
    assert np.array_equal(lifted[1][~changed], weights[1][~changed])
    assert np.all(lifted[1] >= weights[1])  # biases only go up
    with pytest.raises(ValueError, match="margin"):
        mechanisms.lift_all_off(weights, xor.X, margin=0)
    with pytest.raises(ValueError, match=r"give \(n, d, w\)"):
        mechanisms.lift_all_off([w[0] for w in weights], xor.X)


def test_sham_lift_moves_each_raise_to_another_unit():
    weights = _two_unit_nets(3)
    lifted, changed = mechanisms.lift_all_off(weights, xor.X)
    sham = mechanisms.sham_lift(weights, lifted)
    raise_lift, raise_sham = lifted[1] - weights[1], sham[1] - weights[1]
    np.testing.assert_allclose(raise_sham.sum(axis=1), raise_lift.sum(axis=1))  # same total
    np.testing.assert_allclose(raise_sham, raise_lift[:, ::-1])  # on the other unit
    assert np.array_equal(sham[0], weights[0]) and np.array_equal(sham[2], weights[2])
    kept = xor.all_off_patterns(sham, ["relu", "sigmoid"]).any(axis=-1)
    assert kept[changed].mean() > 0.5  # the sham mostly leaves the all-off pattern in place
    with pytest.raises(ValueError, match="hidden biases"):
        mechanisms.sham_lift(weights, [w[:10] for w in lifted])


def test_near_lift_raises_the_lifted_unit_but_leaves_every_all_off_pattern():
    weights = _two_unit_nets(5)
    before = xor.all_off_patterns(weights, ["relu", "sigmoid"])
    lifted, changed = mechanisms.lift_all_off(weights, xor.X)
    near, near_changed = mechanisms.near_lift(weights, xor.X, gap=0.1)
    assert np.array_equal(near_changed, changed)
    # a raise can turn the unit on for another all-off pattern, but the raised patterns stay off
    kept = xor.all_off_patterns(near, ["relu", "sigmoid"]).any(axis=-1)
    assert kept[changed].mean() > 0.9 and not kept[~changed].any()
    assert not (xor.all_off_patterns(near, ["relu", "sigmoid"]) & ~before).any()
    raise_lift, raise_near = lifted[1] - weights[1], near[1] - weights[1]
    assert np.all(raise_near >= 0)
    # a net with one all-off pattern: the same unit, raised 0.2 less (net input -0.1, not +0.1)
    one = (before.sum(axis=-1) == 1) & (raise_lift.max(axis=-1) > 0.2)
    assert one.sum() > 10
    np.testing.assert_allclose(raise_near[one], np.maximum(raise_lift[one] - 0.2, 0), atol=1e-9)
    with pytest.raises(ValueError, match="gap"):
        mechanisms.near_lift(weights, xor.X, gap=-0.1)


def test_mean_field_slope_rms_relu_is_constant_and_tanh_rises_as_the_variance_falls():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 784))  # |x|^2 ~ 784: layer-1 variance 784 * 2/1296, about 1.2
    relu = mechanisms.mean_field_slope_rms(x, (512, 512), "relu")
    np.testing.assert_allclose(relu, [np.sqrt(0.5)] * 2)
    tanh = mechanisms.mean_field_slope_rms(x, (512, 512), "tanh")
    # z ~ N(0, 1.21): E[(1 - tanh^2)^2] by sampling; layer 2's variance is smaller, its slope larger
    z = rng.normal(0, np.sqrt(784 * 2 / 1296), size=400_000)
    assert tanh[0] == pytest.approx(np.sqrt(np.mean((1 - np.tanh(z) ** 2) ** 2)), rel=0.01)
    assert tanh[0] < np.sqrt(0.5) < tanh[1] < 1
    with pytest.raises(ValueError, match="activation"):
        mechanisms.mean_field_slope_rms(x, (8,), "elu")


def test_variance_gain_glorot_relu_is_one_half_and_he_relu_is_one():
    assert mechanisms.variance_gain(256, 256, "glorot_uniform", "relu") == pytest.approx(0.5)
    assert mechanisms.variance_gain(256, 256, "he_normal", "relu") == pytest.approx(1.0)
    assert mechanisms.variance_gain(256, 256, "glorot_uniform", "relu") ** 3.5 == pytest.approx(
        0.088, abs=1e-3
    )
    with pytest.raises(ValueError, match="initializer"):
        mechanisms.variance_gain(256, 256, "orthogonal", "relu")
    with pytest.raises(ValueError, match="activation"):
        mechanisms.variance_gain(256, 256, "he_normal", "elu")


def test_mean_field_gain_is_the_closed_form_for_relu():
    x = np.random.default_rng(1).normal(size=(50, 784))
    glorot = mechanisms.mean_field_rms_gain(x, (256,) * 8, "relu", "glorot_uniform")
    he = mechanisms.mean_field_rms_gain(x, (256,) * 8, "relu", "he_normal")
    assert glorot == pytest.approx(np.sqrt(0.5), abs=1e-12) and he == pytest.approx(1.0, abs=1e-12)
    # tanh with tiny inputs stays in its linear part: slope 1, so Glorot's n Var(w) = 1 per layer
    tiny = mechanisms.mean_field_rms_gain(x * 1e-4, (256,) * 8, "tanh", "glorot_uniform")
    assert tiny == pytest.approx(1.0, abs=1e-3)
    big = mechanisms.mean_field_rms_gain(x * 3, (256,) * 8, "tanh", "glorot_uniform")
    assert big < mechanisms.mean_field_rms_gain(x, (256,) * 8, "tanh", "glorot_uniform") < 1


@pytest.mark.parametrize(
    "activation, initializer",
    [("tanh", "glorot_uniform"), ("relu", "glorot_uniform"), ("tanh", "he_normal")],
)
def test_mean_field_gain_matches_random_networks(activation, initializer):
    """The prediction against deltas backpropagated through random MLPs (the notebook's measure)."""
    rng = np.random.default_rng(2)
    hidden, n_rows = (300,) * 6, 400
    x = rng.normal(0, 1.5, (n_rows, 200))
    predicted = mechanisms.mean_field_rms_gain(x, hidden, activation, initializer)
    g, slope = mechanisms.ACTIVATIONS[activation]
    measured = []
    for _ in range(3):
        sizes = (x.shape[1], *hidden)
        kernels = [
            rng.normal(0, np.sqrt(mechanisms.INIT_VARIANCE[initializer](a, b)), (a, b))
            for a, b in zip(sizes, sizes[1:])
        ]
        nets, a = [], x
        for w in kernels:
            nets.append(a @ w)
            a = g(nets[-1])
        delta = rng.normal(size=nets[-1].shape) * slope(nets[-1])
        rms = [np.sqrt(np.mean(delta**2))]
        for w, z in zip(kernels[:0:-1], nets[-2::-1]):
            delta = (delta @ w.T) * slope(z)
            rms.append(np.sqrt(np.mean(delta**2)))
        measured.append(mechanisms.gain_per_layer(rms[::-1]))
    assert np.mean(measured) == pytest.approx(predicted, abs=0.02), (measured, predicted)


def test_mean_field_gain_rejects_bad_input():
    x = np.ones((4, 3))
    with pytest.raises(ValueError, match="at least 2 hidden layers"):
        mechanisms.mean_field_rms_gain(x, (8,), "tanh")
    with pytest.raises(ValueError, match="activation"):
        mechanisms.mean_field_rms_gain(x, (8, 8), "elu")
    with pytest.raises(ValueError, match="initializer"):
        mechanisms.mean_field_rms_gain(x, (8, 8), "tanh", "orthogonal")
    with pytest.raises(ValueError, match="2-D"):
        mechanisms.mean_field_rms_gain(np.ones(3), (8, 8), "tanh")
    with pytest.raises(ValueError, match="hidden width"):
        mechanisms.mean_field_rms_gain(x, (8, 0), "tanh")


def test_gain_per_layer_is_the_geometric_mean_factor():
    assert mechanisms.gain_per_layer([1.0, 2.0, 4.0]) == pytest.approx(0.5)
    assert mechanisms.gain_per_layer([0.088, 1.0]) == pytest.approx(0.088)
    for bad in ([1.0], [1.0, 0.0], [1.0, np.nan]):
        with pytest.raises(ValueError):
            mechanisms.gain_per_layer(bad)


def test_saturated_share_matches_random_tanh_layers():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, (64, 784))
    predicted = mechanisms.saturated_share(x, 512)
    limit = np.sqrt(6 / (784 + 512))  # Glorot-uniform
    w = rng.uniform(-limit, limit, (784, 512))
    measured = np.mean(np.abs(np.tanh(x @ w)) > 0.99)
    # |x|^2 Var(w) is about 784 * 2 / 1296 = 1.21: P(|z| > 2.65) = erfc(2.65 / sqrt(2.42)), 1.6%
    assert predicted == pytest.approx(0.016, abs=0.002)
    assert measured == pytest.approx(predicted, abs=0.003)


def test_saturated_share_refuses_bad_inputs():
    with pytest.raises(ValueError, match="2-D"):
        mechanisms.saturated_share(np.ones(5), 10)
    with pytest.raises(ValueError, match="threshold"):
        mechanisms.saturated_share(np.ones((2, 5)), 10, threshold=1.5)
    with pytest.raises(ValueError, match="initializer"):
        mechanisms.saturated_share(np.ones((2, 5)), 10, initializer="zeros")
