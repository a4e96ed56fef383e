"""Issue 26, items 7, 8 and 9: helpers refuse what would write into the repository unasked, scale
twice, or fail unclearly, each with one line (or give the right result)."""

import errno
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import backprop, data, plots, xor  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def one_line(err):
    text = str(err.value)
    assert text and "\n" not in text, text
    return text


@pytest.fixture
def no_figure_dir(monkeypatch):
    """The figure folder as a fresh session has it (none set); restored afterwards."""
    monkeypatch.setattr(plots, "_figure_dir", getattr(plots, "_figure_dir", None))
    if plots._figure_dir is not None and plots._figure_dir != ROOT / "figures":
        plots._figure_dir = None  # another test's folder; the committed figures/ stays as found
    yield
    plt.close("all")


# --- item 7: plot helpers save only into the folder set for the run ---


def test_saving_before_a_figure_folder_is_set_writes_nothing_into_figures(no_figure_dir):
    """Before: save= wrote into the committed figures/ (e.g. figures/p3_units.png)."""
    probe = ROOT / "figures" / "issue26_probe.png"
    try:
        with pytest.raises(ValueError) as err:
            plots.save_figure(plt.figure(), "issue26_probe")
        assert "set_figure_dir" in one_line(err)
        assert not probe.exists()
    finally:
        probe.unlink(missing_ok=True)


@pytest.mark.parametrize("name", ["../../x", "sub/x", "..\\x", "/tmp/x", ".."])
def test_a_figure_name_with_a_path_is_refused(tmp_path, no_figure_dir, name):
    """Before: save="../../x" wrote outside the repository."""
    plots.set_figure_dir(tmp_path / "run" / "figures")
    with pytest.raises(ValueError) as err:
        plots.save_figure(plt.figure(), name)
    assert "without a folder" in one_line(err)
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_plain_name_saves_into_the_folder_set_for_the_run(tmp_path, no_figure_dir):
    plots.set_figure_dir(tmp_path)
    plots.save_figure(plt.figure(), "loss")
    assert (tmp_path / "loss.png").is_file() and plots.figure_dir() == tmp_path.resolve()


# --- item 8: data.prepare and pixels already in [0, 1] ---


def raw_images(n=4):
    return np.random.default_rng(0).integers(0, 256, (n, 28, 28), dtype=np.uint8)


def test_prepare_refuses_pixels_already_scaled():
    """Before: divided by 255 a second time, silently (maximum 0.0039)."""
    x, y = raw_images(), np.arange(4)
    scaled = x.astype(np.float32) / 255
    with pytest.raises(data.MnistError) as err:
        data.prepare(scaled, y)
    assert "already" in one_line(err) and "scale=1" in one_line(err)
    told, _ = data.prepare(scaled, y, scale=1)  # or it is told the scale
    raw, _ = data.prepare(x, y)
    np.testing.assert_allclose(told, raw, rtol=1e-6)
    assert raw.max() > 0.9


# --- item 9: one line each, or the right result ---


def test_a_npy_file_given_as_mnist_is_one_line(tmp_path):
    """Before: TypeError: 'numpy.ndarray' object does not support the context manager protocol."""
    path = tmp_path / "mnist.npy"
    np.save(path, raw_images())
    with pytest.raises(data.MnistError) as err:
        data.read_npz(path)
    assert "(.npy), not an .npz" in one_line(err)


def test_a_file_in_a_folder_the_user_cannot_enter_is_one_line(tmp_path, monkeypatch):
    """Before: PermissionError traceback from Path.is_file (it raises for EACCES)."""
    path = tmp_path / "locked" / "mnist.npz"
    real = Path.is_file

    def is_file(self):
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    monkeypatch.setenv(data.ENV_VAR, str(path))
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    assert one_line(err).startswith(f"cannot reach {path}: permission denied on a folder")


def test_nan_learning_rates_are_refused():
    """Before: both gave NaN weights."""
    with pytest.raises(ValueError) as err:
        xor.Optimizer("adam", learning_rate=math.nan)
    assert "learning_rate=nan" in one_line(err)
    weights = [np.ones((2, 2)), np.zeros(2), np.ones((2, 1)), np.zeros(1)]
    with pytest.raises(ValueError) as err:
        backprop.sgd_step(weights, ["tanh", "sigmoid"], xor.X, xor.Y, float("nan"))
    assert "eta=nan" in one_line(err)
    # a float32 learning rate is used as given (the notebook compares with Keras at 1e-7)
    new = backprop.sgd_step(weights, ["tanh", "sigmoid"], xor.X, xor.Y, np.float32(0.1))
    assert all(np.all(np.isfinite(w)) for w in new)


def test_a_label_of_minus_one_in_the_confusion_matrix_is_refused(no_figure_dir):
    """Before: -1 was counted, silently, as class 9."""
    with pytest.raises(ValueError) as err:
        plots.confusion_matrix(np.array([0, 1, -1]), np.array([0, 1, 2]))
    assert "true holds -1" in one_line(err)
    cm = plots.confusion_matrix(np.array([0, 1, 9]), np.array([0, 1, 2]))
    assert cm.sum() == 3 and cm[9, 2] == 1


def test_show_file_keeps_alt_text_on_ipython_7(tmp_path, monkeypatch):
    """The notebook needed IPython 8 only for Image(alt=...): IPython 7.34 (Colab's) has no alt
    argument, but takes the same alt text as metadata."""
    import IPython.display

    shown = []

    class Image7:  # IPython 7.34's signature: no alt
        def __init__(self, data=None, url=None, filename=None, format=None, metadata=None):
            self.filename, self.metadata = filename, metadata

    monkeypatch.setattr(IPython.display, "Image", Image7)
    monkeypatch.setattr(IPython.display, "display", shown.append)
    plots.show_file(tmp_path / "d.png", "a   diagram")
    assert shown[0].metadata == {"alt": "a diagram"}


def test_xor_net_with_a_bare_width_is_one_line():
    """Before: models.xor_net(2) failed with "TypeError: 'int' object is not iterable"."""
    models = pytest.importorskip("helpers.models")
    with pytest.raises(ValueError) as err:
        models.xor_net(2)
    assert "(2,)" in one_line(err)
