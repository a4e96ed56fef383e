"""Figures for the notebooks. ``show(fig, alt, save=...)`` is their ``plt.show()``: the figure
inline, with alt text for the HTML export, saved as a PNG with ``save="name"`` into the folder the
run set with ``set_figure_dir`` (nothing is saved before that: the committed ``figures/`` is written
only by a run that asks for it). The plots the notebooks draw themselves are in their cells; the
few kept here (seed bands, digit grids, the confusion matrix) draw and return, never show."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

FIGURES = Path(__file__).resolve().parent.parent / "figures"
#: One look per activation, used by every figure that compares them (never the class colours).
ACTIVATION_STYLE = {
    "tanh": dict(color="#9467bd", marker="s", ls="--"),
    "relu": dict(color="#2ca02c", marker="o", ls="-"),
}


def show(fig, alt, save=None):
    """Show ``fig`` (a Figure, an Axes or an array of Axes) inline as a PNG carrying ``alt`` as its
    alternative text (kept in the notebook and the HTML export), then close it. Use instead of
    ``plt.show()``. ``save="name"`` also writes ``<figure_dir()>/name.png``."""
    from IPython.display import Image, display

    if not alt or not str(alt).strip():
        raise ValueError("show() needs alt: a one-line description of what the figure shows")
    fig = getattr(np.ravel(fig)[0], "figure", fig) if not isinstance(fig, plt.Figure) else fig
    if save:
        save_figure(fig, save)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    display(Image(data=buf.getvalue(), format="png", metadata={"alt": " ".join(str(alt).split())}))


def show_file(path, alt):
    """Show the image file ``path`` (a PNG) inline with ``alt`` as its alternative text. The alt
    text goes in the output's metadata, which IPython 7.34 (Colab's) accepts as well as IPython 8
    and later (whose ``Image(alt=...)`` writes the same metadata)."""
    from IPython.display import Image, display

    if not alt or not str(alt).strip():
        raise ValueError("show_file() needs alt: a one-line description of what the image shows")
    display(Image(filename=str(path), metadata={"alt": " ".join(str(alt).split())}))


_figure_dir = None  # no default: see set_figure_dir


def set_figure_dir(path):
    """Make ``save_figure`` (every ``save=``) write into ``path`` from now on. Until it is called,
    saving raises: the notebook sets it to its run's folder (``paths.output_dir``), so a helper used
    elsewhere never overwrites the committed ``figures/``. ``None`` unsets it."""
    global _figure_dir
    _figure_dir = None if path is None else Path(path).resolve()


def figure_dir():
    """The folder ``save_figure`` writes into; a one-line ``ValueError`` when none was set."""
    if _figure_dir is None:
        raise ValueError(
            "no figure folder set: call plots.set_figure_dir(folder) before saving figures "
            "(the notebook sets it to its run's output folder)"
        )
    return _figure_dir


def save_figure(fig, name, directory=None):
    """Save ``fig`` as ``<figure_dir()>/<name>.png`` (``name`` may already end in .png); return the
    path. ``name`` is a file name, not a path: a name with a path separator (or ``..``) raises a
    one-line ``ValueError``, so nothing is written outside the folder."""
    text = str(name)
    if not text.strip() or "/" in text or "\\" in text or text in (".", "..") or ":" in text:
        raise ValueError(
            f"save={text!r}: give a file name such as 'p3_units', without a folder; figures go "
            "into the folder set with plots.set_figure_dir"
        )
    directory = Path(directory) if directory is not None else figure_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (text if text.endswith(".png") else f"{text}.png")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    return path


def _axes(ax, figsize=(4.2, 4.2)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def log_axis(ax, which="y", subs=(1.0, 2.0, 5.0)):
    """Put ``ax``'s x or y axis on a log scale labelled at ``subs`` (1, 2 and 5) times each power
    of ten, in plain numbers; ``subs=range(1, 10)`` labels every digit for a range under 10x."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis = ax.yaxis if which == "y" else ax.xaxis
    (ax.set_yscale if which == "y" else ax.set_xscale)("log")
    axis.set_major_locator(LogLocator(base=10, subs=tuple(subs)))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())
    return ax


def seed_band(ax, curves, *, start=1, label=None, **style):
    """Several seeds' curves as their mean (a line) and their min-max range (a shaded band).

    ``curves`` is a list of equal-length sequences, one a seed; x runs from ``start``. Returns the
    line.
    """
    c = np.asarray(curves, dtype=float)
    x = np.arange(start, start + c.shape[1])
    line = ax.plot(x, c.mean(axis=0), label=label, **style)[0]
    ax.fill_between(x, c.min(axis=0), c.max(axis=0), color=line.get_color(), alpha=0.18, lw=0)
    return line


def digits(images, titles, *, cols=5, cmap="viridis", colorbar=False, save=None):
    """A grid of 28x28 digits with a title each; returns the axes.

    ``colorbar=True`` adds one colour bar for the pixel values (every panel shares the 0-1
    scale)."""
    images = np.asarray(images).reshape(len(images), 28, 28)
    rows = -(-len(images) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(1.9 * cols, 2.1 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, img, title in zip(axes.ravel(), images, titles):
        shown = ax.imshow(img, cmap=cmap, vmin=0, vmax=1)
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    if colorbar:
        fig.colorbar(shown, ax=axes.ravel().tolist(), fraction=0.02, pad=0.02, label="pixel value")
    if save:
        save_figure(fig, save)
    return axes


def confusion_matrix(
    true, pred, ax=None, *, num_classes=10, title="confusion matrix (test set)", save=None
):
    """Counts of (true, predicted) label pairs as an annotated heatmap; returns the matrix. Labels
    must be whole numbers 0..num_classes-1 (a -1 would otherwise be counted as the last class)."""
    true, pred = np.asarray(true), np.asarray(pred)
    if true.shape != pred.shape or true.ndim != 1:
        raise ValueError(
            f"confusion_matrix: true has shape {true.shape} and pred {pred.shape}: give two "
            "equal-length 1-D arrays of labels (argmax one-hot rows first)"
        )
    for name, labels in (("true", true), ("pred", pred)):
        if labels.size and (
            labels.dtype.kind not in "iu" or labels.min() < 0 or labels.max() >= num_classes
        ):
            bad = labels[(labels < 0) | (labels >= num_classes) | (labels != np.round(labels))]
            shown = bad[0] if bad.size else labels.dtype
            raise ValueError(
                f"confusion_matrix: {name} holds {shown}: labels must be whole numbers "
                f"0..{num_classes - 1}"
            )
    cm = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(cm, (true, pred), 1)
    ax = _axes(ax, (6, 5.4))
    shown = ax.imshow(
        cm, cmap="Blues", norm=plt.matplotlib.colors.SymLogNorm(linthresh=1, vmin=0, vmax=cm.max())
    )
    ax.figure.colorbar(
        shown, ax=ax, fraction=0.046, pad=0.04, label="count (symmetric log scale, linear below 1)"
    )
    for (i, j), v in np.ndenumerate(cm):
        if v:
            ax.text(
                j, i, v, ha="center", va="center", fontsize=7, color="white" if i == j else "black"
            )
    ax.set(
        xticks=range(num_classes),
        yticks=range(num_classes),
        xlabel="predicted",
        ylabel="true",
        title=title,
    )
    if save:
        save_figure(ax.figure, save)
    return cm
