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


def test_lift_all_off_removes_every_all_off_pattern_and_changes_nothing_else():
    rng = np.random.default_rng(1)
    n = 500
    weights = [
        rng.normal(size=(n, 2, 2)),
        rng.normal(0, 0.1, size=(n, 2)),
        rng.normal(size=(n, 2, 1)),
        np.zeros((n, 1)),
    ]
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


def test_variance_gain_glorot_relu_is_one_half_and_he_relu_is_one():
    assert mechanisms.variance_gain(256, 256, "glorot_uniform", "relu") == pytest.approx(0.5)
    assert mechanisms.variance_gain(256, 256, "he_normal", "relu") == pytest.approx(1.0)
    assert mechanisms.predicted_rms_gain(256, 256, "glorot_uniform", "relu") ** 7 == pytest.approx(
        0.088, abs=1e-3
    )
    with pytest.raises(ValueError, match="initializer"):
        mechanisms.variance_gain(256, 256, "orthogonal", "relu")
    with pytest.raises(ValueError, match="activation"):
        mechanisms.variance_gain(256, 256, "he_normal", "elu")


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
