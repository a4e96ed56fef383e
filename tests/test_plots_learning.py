"""Playground-style pictures: hidden units' outputs, training snapshots, the offline animation
player."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots, xor  # noqa: E402

# A 2-2-1 ReLU net that solves XOR (Problem 3's construction): relu(x1 + x2), relu(-x1 - x2), output
# -5(h1 + h2) + 2.5
SOLVED = [
    np.array([[1.0, -1.0], [1.0, -1.0]], np.float32),
    np.zeros(2, np.float32),
    np.array([[-5.0], [-5.0]], np.float32),
    np.array([2.5], np.float32),
]
ACTS = ["relu", "sigmoid"]
UNSOLVED = [np.zeros_like(w) for w in SOLVED]  # P(class 1) = 0.5 everywhere


@pytest.fixture(autouse=True)
def _figures_into_tmp(tmp_path):
    plots.set_figure_dir(tmp_path)
    yield
    plots.set_figure_dir(None)
    plt.close("all")


def test_unit_panels_show_each_units_output_and_the_boundary(tmp_path):
    axes = plots.unit_panels(SOLVED, xor.X, xor.Y, activations=ACTS, n=41, save="units")
    assert len(axes) == 3 and (tmp_path / "units.png").is_file()
    assert "weight to output -5.00" in axes[0].get_title() and "P(class 1)" in axes[2].get_title()
    unit1 = axes[0].collections[0].get_array().reshape(41, 41)
    ticks = np.linspace(-2, 2, 41)
    np.testing.assert_allclose(
        unit1, np.maximum(0, ticks[None, :] + ticks[:, None]), atol=1e-5
    )  # relu(x1 + x2)
    assert (
        axes[2].collections[0].get_array().max() <= 1 and len(axes[2].lines) >= 2
    )  # the units' dashed lines


def test_unit_panels_needs_one_hidden_layer():
    with pytest.raises(ValueError, match="one hidden layer"):
        plots.unit_panels(
            SOLVED + SOLVED[2:], xor.X, xor.Y, activations=["relu", "relu", "sigmoid"]
        )
    with pytest.raises(ValueError, match="activation names"):
        plots.net_weights(SOLVED)


def test_unit_panels_reads_a_keras_model():
    keras = pytest.importorskip("keras")
    from helpers import models

    net = models.xor_net((2,), "relu")
    net.set_weights(SOLVED)
    weights, acts = plots.net_weights(net)
    assert acts == ["relu", "sigmoid"] and all(
        np.array_equal(a, b) for a, b in zip(weights, SOLVED)
    )
    with pytest.raises(ValueError, match="skip"):
        plots.net_weights(models.xor_net((1,), "relu", skip=True))
    assert keras


def test_boundary_strip_titles_say_epoch_loss_and_patterns_right():
    axes = plots.boundary_strip([(0, UNSOLVED), (100, SOLVED)], xor.X, xor.Y, ACTS, n=21)
    assert (
        axes[0].get_title() == "epoch 0\nloss 0.693, 2/4 right"
    )  # 0.5 everywhere: ln 2, ties count for class 0
    assert axes[1].get_title().startswith("epoch 100\nloss 0.0") and axes[1].get_title().endswith(
        "4/4 right"
    )


def test_animation_html_plays_offline_with_alt_text():
    snapshots = [(e, [w * min(1, e / 4) for w in SOLVED]) for e in range(5)]
    anim = plots.boundary_animation(snapshots, xor.X, xor.Y, ACTS, n=21, size=2, dpi=40)
    html = plots.animation_html(anim, 'P(class 1) as it "trains"')
    assert html.count("data:image/png;base64,") == len(snapshots)  # every frame embedded
    assert "font-awesome" not in html and "http" not in html.replace("http://www.w3.org", "")
    assert re.search(r'<img id="_anim_img\w+" alt="P\(class 1\) as it \'trains\'">', html)
    assert re.search(r'value="once"[^>]*\s+checked', html) and 'title="Play"' in html
    assert plt.get_fignums() == []  # the animation's figure is closed
    with pytest.raises(ValueError, match="alt"):
        plots.animation_html(object(), " ")  # checked before anything is drawn


def test_history_zoom_puts_loss_on_a_log_axis_and_adds_an_accuracy_close_up():
    h = {
        "loss": [0.4, 0.2, 0.1],
        "accuracy": [0.93, 0.96, 0.97],
        "val_loss": [0.15, 0.09, 0.07],
        "val_accuracy": [0.955, 0.97, 0.98],
    }
    axes = plots.history(h, start={"val_loss": 2.3, "val_accuracy": 0.1}, zoom=True)
    assert axes[0].get_yscale() == "log"
    (inset,) = axes[1].child_axes
    low, high = inset.get_ylim()
    assert 0.9 < low < 0.93 and 0.98 < high < 1.0  # fitted to epochs 1 on, not to epoch 0's 0.1
    plain = plots.history(h, start={"val_loss": 2.3, "val_accuracy": 0.1})
    assert plain[0].get_yscale() == "linear" and not plain[1].child_axes
    # epoch 0 (before training) is drawn on the validation curves only
    assert list(axes[1].lines[1].get_xdata()) == [0, 1, 2, 3]
    # ... marked with a dot and named in the legend
    assert list(axes[1].lines[2].get_xdata()) == [0] and list(axes[1].lines[2].get_ydata()) == [0.1]
    legend = [t.get_text() for t in axes[1].get_legend().get_texts()]
    assert legend == ["training", "validation (dot: before training)"], legend
    plt.close("all")
