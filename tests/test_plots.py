"""plots.show: the notebooks' plt.show(), with alt text kept for the HTML export and an optional
save into the run's figure folder."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers import plots  # noqa: E402


@pytest.fixture
def shown(monkeypatch):
    out = []
    monkeypatch.setattr("IPython.display.display", lambda obj: out.append(obj))
    return out


def test_show_displays_a_png_with_its_alt_text_and_saves_it(tmp_path, shown):
    plots.set_figure_dir(tmp_path)
    try:
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0])
        plots.show(fig, "a falling   line", save="line")
    finally:
        plots.set_figure_dir(None)
    assert (tmp_path / "line.png").is_file()
    (image,) = shown
    assert image.metadata == {"alt": "a falling line"} and image.data[:4] == b"\x89PNG"
    assert not plt.get_fignums()  # closed after showing


def test_show_needs_alt_text(shown):
    with pytest.raises(ValueError, match="needs alt"):
        plots.show(plt.figure(), "  ")
