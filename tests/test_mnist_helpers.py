"""The whole-pixel shift layer, the width-for-budget rule, seed statistics and the layer probe."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from helpers import diagnostics, models, stats, training  # noqa: E402


def reference_shift(image, dy, dx):
    out = np.zeros_like(image)
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            if 0 <= i - dy < image.shape[0] and 0 <= j - dx < image.shape[1]:
                out[i, j] = image[i - dy, j - dx]
    return out


def test_shift_moves_each_image_by_exactly_its_offsets():
    layer = models.RandomIntegerShift(2)
    offsets = np.array(
        [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)], dtype="int32"
    )  # all 25
    x = np.random.default_rng(0).random((len(offsets), 784)).astype("float32")
    moved = np.asarray(layer.shift(x, offsets)).reshape(-1, 28, 28)
    for img, out, (dy, dx) in zip(x.reshape(-1, 28, 28), moved, offsets):
        np.testing.assert_array_equal(out, reference_shift(img, dy, dx))


def test_shift_draws_every_offset_in_range_and_no_other():
    layer = models.RandomIntegerShift(2, seed=3)
    drawn = np.asarray(layer.offsets(20_000))
    assert drawn.min() == -2 and drawn.max() == 2
    pairs = {tuple(p) for p in drawn}
    assert len(pairs) == 25  # every (dy, dx) in [-2, 2]^2 occurs
    counts = np.unique(drawn[:, 0], return_counts=True)[1]
    assert counts.min() > 0.8 * len(drawn) / 5  # roughly uniform


def test_shift_in_training_is_one_of_the_allowed_moves_and_identity_at_inference():
    layer = models.RandomIntegerShift(1, seed=0)
    x = np.zeros((64, 784), dtype="float32")
    x[:, 14 * 28 + 14] = 1.0  # one lit pixel in the middle
    out = np.asarray(layer(x, training=True)).reshape(-1, 28, 28)
    rows, cols = np.nonzero(out.sum(axis=0))
    assert set(rows) <= {13, 14, 15} and set(cols) <= {13, 14, 15}
    assert np.all(out.reshape(64, -1).sum(axis=1) == 1.0)  # the pixel moved, not blurred or lost
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)


def test_shift_rejects_impossible_sizes():
    with pytest.raises(ValueError, match="whole number of pixels"):
        models.RandomIntegerShift(28)


def test_mnist_model_accepts_evaluate_and_predict_with_the_shift_layer():
    model = models.mnist_mlp((8,), "relu", shift=2)
    x = np.random.default_rng(1).random((10, 784)).astype("float32")
    y = np.eye(10, dtype="float32")[np.arange(10)]
    model.fit(x, y, epochs=1, verbose=0)
    assert model.predict(x, verbose=0).shape == (10, 10)
    assert len(model.evaluate(x, y, verbose=0)) == 2


@pytest.mark.parametrize("depth", [1, 2, 4, 8])
def test_width_for_budget_is_the_largest_width_within_budget(depth):
    w = models.width_for_budget(depth, 100_000)
    params = models.mnist_mlp((w,) * depth, "relu").count_params()
    bigger = models.mnist_mlp((w + 1,) * depth, "relu").count_params()
    assert params <= 100_000 < bigger


def test_stats_summary_and_fmt():
    s = stats.summary([0.98, 0.99, 1.0])
    assert s["mean"] == pytest.approx(0.99) and s["sd"] == pytest.approx(0.01) and s["n"] == 3
    assert stats.fmt([0.98, 0.99, 1.0]) == "99.00 ± 1.00 (98.00-100.00)"
    with pytest.raises(ValueError):
        stats.summary([])


def test_layer_stats_on_a_known_net():
    keras.utils.set_random_seed(0)
    model = models.mnist_mlp((6, 5), "relu", dropout=0.0)
    x = np.random.default_rng(2).random((32, 784)).astype("float32")
    y = np.eye(10, dtype="float32")[np.arange(32) % 10]
    out = diagnostics.layer_stats(model, x, y)
    assert len(out) == 2
    for layer in out:
        assert 0.0 <= layer["zero"] <= 1.0
        assert layer["slope"] == pytest.approx(
            1.0 - layer["zero"]
        )  # ReLU: slope 1 where on, 0 where off
        assert layer["delta_rms"] >= 0 and layer["grad_rms"] > 0
    tanh = diagnostics.layer_stats(models.mnist_mlp((6,), "tanh", dropout=0.0), x, y)[0]
    assert tanh["zero"] == 0.0 and 0 < tanh["slope"] <= 1.0


def test_layer_probe_records_initialisation_and_every_epoch():
    keras.utils.set_random_seed(0)
    recipe = training.mnist_recipe("tanh", (4,), epochs=2, shift=0, dropout=0.0, batch_size=32)
    x = np.random.default_rng(3).random((100, 784)).astype("float32")
    y = np.eye(10, dtype="float32")[np.arange(100) % 10]
    probe = diagnostics.LayerProbe(x[:16], y[:16])
    training.train_mlp(recipe, x, y, callbacks=[probe])
    assert len(probe.stats) == 3 and len(probe.series("slope", 0)) == 3
