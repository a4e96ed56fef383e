"""helpers.xor: the many-seed trainer repeats Keras's updates; counts are right."""

import numpy as np
import pytest

from helpers import xor


def test_param_counts():
    assert xor.n_params((2,)) == 9
    assert xor.n_params((1,)) == 5
    assert xor.n_params((1,), skip=True) == 7
    assert xor.n_params((8, 4)) == 24 + 36 + 5


def test_dead_unit_count_on_hand_made_nets():
    # unit 1 is live on some pattern; unit 2 has net input < 0 on all four (dead)
    W1 = np.array([[1.0, -1.0], [0.0, 0.0]], dtype=np.float32)
    b1 = np.array([0.0, -2.0], dtype=np.float32)
    W2, b2 = np.ones((2, 1), np.float32), np.zeros(1, np.float32)
    weights = [w[None] for w in (W1, b1, W2, b2)]
    assert xor.dead_units(weights, ["relu", "sigmoid"]).tolist() == [1]
    assert xor.dead_units(weights, ["tanh", "sigmoid"]).tolist() == [0]
    weights[1] = np.array([[-5.0, -5.0]], np.float32)  # both dead
    assert xor.dead_units(weights, ["relu", "sigmoid"]).tolist() == [2]


def test_solved_counts_all_four_patterns():
    # the exact hand-made 2-2-1 ReLU solution: h1 = relu(x1+x2), h2 = relu(-x1-x2)
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]], np.float32)
    b1 = np.zeros(2, np.float32)
    W2 = np.array([[-4.0], [-4.0]], np.float32)
    b2 = np.array([2.0], np.float32)
    good = [w[None] for w in (W1, b1, W2, b2)]
    bad = [w.copy() for w in good]
    bad[3] = -bad[3]
    both = [np.concatenate([g, b]) for g, b in zip(good, bad)]
    assert xor.solved(both, ["relu", "sigmoid"]).tolist() == [True, False]


@pytest.mark.parametrize("kernel", ["glorot_uniform", "he_uniform", "he_normal"])
def test_initializer_spread(kernel):
    w = xor.init_weights((50,), 400, np.random.default_rng(0), kernel, bias=0.1)
    fan_in, fan_out = 2, 50
    expected = {
        "glorot_uniform": np.sqrt(2 / (fan_in + fan_out)),
        "he_uniform": np.sqrt(2 / fan_in),
        "he_normal": np.sqrt(2 / fan_in),
    }[kernel]
    assert w[0].std() == pytest.approx(expected, rel=0.05)
    assert np.all(w[1] == np.float32(0.1)) and np.all(w[3] == 0)
    with pytest.raises(ValueError, match="unknown kernel initializer"):
        xor.init_weights((2,), 1, np.random.default_rng(0), "orthogonal")


@pytest.mark.parametrize(
    "optimizer, lr, batch_size, acts",
    [
        ("sgd", 0.1, 1, "tanh"),
        ("adam", 0.01, None, "relu"),
        ("nadam", 0.01, 1, "relu"),
        ("nadam", 0.001, None, "tanh"),
    ],
)
def test_trainer_equals_keras_fit(optimizer, lr, batch_size, acts):
    keras = pytest.importorskip("keras")
    from helpers.models import xor_net

    opt = {
        "sgd": keras.optimizers.SGD,
        "adam": keras.optimizers.Adam,
        "nadam": keras.optimizers.Nadam,
    }[optimizer]
    epochs = 40
    for seed in (3, 4):
        keras.utils.set_random_seed(seed)
        model = xor_net(
            (3,),
            acts,
            optimizer=opt(learning_rate=lr),
            bias_initializer=keras.initializers.Constant(0.1),
        )
        start = [w[None] for w in model.get_weights()]
        hist = model.fit(
            xor.X, xor.Y, batch_size=batch_size or 4, epochs=epochs, shuffle=False, verbose=0
        )
        ours, loss = xor.train(
            start,
            [acts, "sigmoid"],
            epochs,
            xor.Optimizer(optimizer, lr),
            batch_size,
            shuffle=False,
        )
        for mine, theirs in zip(ours, model.get_weights()):
            np.testing.assert_allclose(mine[0], theirs, atol=2e-5)
        np.testing.assert_allclose(loss[:, 0], hist.history["loss"], atol=2e-5)


def test_unknown_optimizer_and_batch_size():
    with pytest.raises(ValueError, match="unknown optimizer"):
        xor.Optimizer("rmsprop")
    w = xor.init_weights((2,), 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="batch_size must be"):
        xor.train(w, ["relu", "sigmoid"], 1, xor.Optimizer(), batch_size=2)


def test_run_is_reproducible_and_reports_rates():
    r = xor.Recipe(hidden=(8,), kernel="he_normal", bias=0.1, learning_rate=0.01, epochs=300)
    a, b = xor.run(r, seeds=20, seed=5), xor.run(r, seeds=20, seed=5)
    np.testing.assert_array_equal(a.solved, b.solved)
    assert 0.0 <= a.success_rate <= 1.0 and a.loss.shape == (300, 20)
    assert r.replace(hidden=(2,)).hidden == (2,) and r.hidden == (8,)


def test_skip_trainer_equals_keras_fit():
    keras = pytest.importorskip("keras")
    from helpers.models import xor_net

    keras.utils.set_random_seed(11)
    model = xor_net((1,), "relu", optimizer=keras.optimizers.Adam(learning_rate=0.01), skip=True)
    start = [w[None] for w in model.get_weights()]
    hist = model.fit(xor.X, xor.Y, batch_size=4, epochs=60, shuffle=False, verbose=0)
    ours, loss = xor.train(start, ["relu", "sigmoid"], 60, xor.Optimizer("adam", 0.01), skip=True)
    for mine, theirs in zip(ours, model.get_weights()):
        np.testing.assert_allclose(mine[0], theirs, atol=2e-5)
    np.testing.assert_allclose(loss[:, 0], hist.history["loss"], atol=2e-5)


def test_unit_states_partition_the_units():
    r = xor.run(xor.Recipe(hidden=(5,), epochs=5), seeds=30)
    states = xor.unit_states(r.weights, r.recipe.activations)
    np.testing.assert_array_equal(states["dead"] + states["linear"] + states["splitting"], 5)
    np.testing.assert_array_equal(states["dead"], r.dead_after)


def test_all_off_errors_on_a_hand_made_stuck_net():
    # both hidden units are off at (1, 1); the output calls it class 1 (bias 2) -> wrong and unseen
    W1 = np.array([[-1.0, 1.0], [-1.0, -1.0]], np.float32)  # unit 1: -x1-x2, unit 2: x1-x2
    b1 = np.array([-0.5, -0.5], np.float32)
    W2 = np.array([[-6.0], [6.0]], np.float32)
    b2 = np.array([2.0], np.float32)
    weights = [w[None] for w in (W1, b1, W2, b2)]
    assert xor.all_off_errors(weights, ["relu", "sigmoid"]).tolist() == [1]
    assert not xor.solved(weights, ["relu", "sigmoid"])[0]


def test_sweep_result_reports_successes_and_interval():
    r = xor.run(
        xor.Recipe(hidden=(8,), kernel="he_normal", bias=0.1, learning_rate=0.01, epochs=100),
        seeds=30,
        seed=2,
    )
    assert r.successes == int(r.solved.sum()) and r.ci95 == xor.wilson(r.successes, 30)
    assert r.rate().startswith(f"{r.success_rate:.1%} (")


def test_all_off_patterns_and_classes_on_hand_made_nets():
    # both units off on (-1,-1) (class 0) and on (-1, 1) (class 1): two unseen patterns, both
    # classes
    W1 = np.array([[1.0, 1.0], [0.0, 0.0]], np.float32)  # both units: x1
    b1 = np.array([-0.5, -0.5], np.float32)
    W2, b2 = np.ones((2, 1), np.float32), np.zeros(1, np.float32)
    mixed = [w[None] for w in (W1, b1, W2, b2)]
    assert xor.all_off_patterns(mixed, ["relu", "sigmoid"]).tolist() == [[True, True, False, False]]
    assert xor.all_off_classes(mixed, ["relu", "sigmoid"]).tolist() == [2]
    floor = xor.all_off_loss_floor(mixed, ["relu", "sigmoid"])
    assert floor[0] == pytest.approx(2 * np.log(2) / 4)
    # ... and no setting of the output weights or bias gets the mean loss below that floor
    from helpers import backprop

    for c in np.linspace(-5, 5, 11):
        for v in (-8.0, 0.0, 8.0):
            trial = [
                mixed[0],
                mixed[1],
                np.full((1, 2, 1), v, np.float32),
                np.array([[c]], np.float32),
            ]
            assert backprop.loss(trial, ["relu", "sigmoid"], xor.X, xor.Y)[0] >= floor[0] - 1e-6
    # the hand-made 2-2-1 solution: (-1, 1) and (1, -1) (both class 1) are unseen, and that is
    # harmless
    solution = [
        w[None]
        for w in (
            np.array([[1.0, -1.0], [1.0, -1.0]], np.float32),
            np.zeros(2, np.float32),
            np.array([[-4.0], [-4.0]], np.float32),
            np.array([2.0], np.float32),
        )
    ]
    assert xor.all_off_patterns(solution, ["relu", "sigmoid"]).tolist() == [
        [False, True, True, False]
    ]
    assert xor.all_off_classes(solution, ["relu", "sigmoid"]).tolist() == [1]
    assert xor.all_off_errors(solution, ["relu", "sigmoid"]).tolist() == [0]
    assert xor.all_off_loss_floor(solution, ["relu", "sigmoid"]).tolist() == [
        0.0
    ]  # one class unseen: no floor
    # no unit is ever off: nothing unseen
    on = [w[None] for w in (np.zeros((2, 2), np.float32), np.ones(2, np.float32), W2, b2)]
    assert xor.all_off_classes(on, ["relu", "sigmoid"]).tolist() == [0]


def test_closest_opposite_pair_gap_and_slope():
    # tanh units saturated at the same sign on (-1,-1) and (-1,1): the output cannot tell them apart
    W1 = np.array([[10.0, -10.0], [0.0, 0.0]], np.float32)  # unit 1: 10 x1, unit 2: -10 x1
    b1 = np.zeros(2, np.float32)
    W2, b2 = np.ones((2, 1), np.float32), np.zeros(1, np.float32)
    stuck = [w[None] for w in (W1, b1, W2, b2)]
    gap, slope = xor.closest_opposite_pair(stuck, ["tanh", "sigmoid"])
    assert gap[0] == pytest.approx(0.0, abs=1e-6) and slope[0] == pytest.approx(
        1 - np.tanh(10.0) ** 2, abs=1e-6
    )
    # the hand-made ReLU solution keeps every opposite-class pair apart
    solution = [
        w[None]
        for w in (
            np.array([[1.0, -1.0], [1.0, -1.0]], np.float32),
            np.zeros(2, np.float32),
            np.array([[-4.0], [-4.0]], np.float32),
            np.array([2.0], np.float32),
        )
    ]
    gap, slope = xor.closest_opposite_pair(solution, ["relu", "sigmoid"])
    assert gap[0] == pytest.approx(2.0) and slope[0] == 1.0
