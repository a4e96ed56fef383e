"""Figures for the lab. Each function takes ``ax=None`` (or ``axes``), draws,
returns what it drew, never calls ``plt.show()``, and can save a PNG with ``save="name"`` into the
folder the run set with ``set_figure_dir`` (nothing is saved before that: the committed ``figures/``
is written only by a run that asks for it)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib import patheffects
import numpy as np

FIGURES = Path(__file__).resolve().parent.parent / "figures"
RED, BLUE = "#d62728", "#1f77b4"  # classes 0 and 1
#: One look per activation, used by every figure that compares them (never the class colours).
ACTIVATION_STYLE = {
    "tanh": dict(color="#9467bd", marker="s", ls="--"),
    "relu": dict(color="#2ca02c", marker="o", ls="-"),
}
#: One look per hidden unit's line (net input = 0) in decision-boundary plots: neither class nor
#: activation colours.
UNIT_STYLES = [
    dict(color="k", ls="--"),
    dict(color="#ff7f0e", ls="-."),
    dict(color="#7f7f7f", ls=":"),
    dict(color="#8c564b", ls=(0, (5, 1, 1, 1, 1, 1))),
]
BOUNDARY_STYLE = dict(color="k", lw=1.5, ls="-")  # the 0.5 contour of P(class 1)


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


def grid(n=20, lim=2.0):
    """The tutorial's n x n grid of points covering [-lim, lim]^2, shape (n*n, 2)."""
    ticks = np.linspace(-lim, lim, n, dtype=np.float32)
    xx, yy = np.meshgrid(ticks, ticks)
    return np.column_stack([xx.ravel(), yy.ravel()])


def decision_boundary(
    predict,
    X,
    Y,
    ax=None,
    *,
    n=20,
    lim=2.0,
    heatmap=False,
    boundary=False,
    lines=None,
    legend=False,
    title=None,
    save=None,
):
    """Colour the plane by the class a network predicts there.

    ``predict`` maps an (M, 2) array to M probabilities of class 1 (a Keras
    model works: its ``predict`` is used). The default is the tutorial's
    picture: an ``n`` x ``n`` grid of small dots, red for class 0 and blue for
    class 1, with the four patterns drawn large in their true colours.
    ``heatmap=True`` instead shades a fine grid by the probability of class 1
    with the 0.5 contour (the decision boundary) drawn; ``boundary=True`` draws
    that contour on the dot picture too. ``lines`` is an optional list of
    ``(w1, w2, b)`` whose lines ``w1*x1 + w2*x2 + b = 0`` are drawn, one style
    per unit (``UNIT_STYLES``): the hidden units' own cuts, or hinges for ReLU.
    ``legend=True`` puts a legend for the lines and dots below the axes, where it
    covers no pattern.
    """
    ax = _axes(ax)
    if hasattr(predict, "predict"):
        model = predict
        predict = lambda pts: model.predict(pts, verbose=0)  # noqa: E731
    if heatmap or boundary:
        ticks = np.linspace(-lim, lim, 201, dtype=np.float32)
        xx, yy = np.meshgrid(ticks, ticks)
        p = np.asarray(predict(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    if heatmap:
        mesh = ax.pcolormesh(xx, yy, p, cmap="RdBu", vmin=0, vmax=1, shading="auto")
        ax.figure.colorbar(mesh, ax=ax, fraction=0.046, pad=0.04, label="P(class 1)")
    else:
        pts = grid(n, lim)
        cls = np.round(np.asarray(predict(pts)).reshape(-1))
        ax.plot(*pts[cls == 0].T, "o", color=RED, ms=3, label="predicted 0")
        ax.plot(*pts[cls == 1].T, "o", color=BLUE, ms=3, label="predicted 1")
    if heatmap or boundary:
        style = dict(BOUNDARY_STYLE)
        ax.contour(
            xx,
            yy,
            p,
            levels=[0.5],
            colors=style["color"],
            linewidths=style["lw"],
            linestyles=style["ls"],
        )
        ax.plot(
            [], [], **style, label="P(class 1) = 0.5: decision boundary"
        )  # legend entry for the contour
    Y = np.asarray(Y).reshape(-1)
    for cls, colour in ((0, RED), (1, BLUE)):
        ax.plot(*np.asarray(X)[Y == cls].T, "o", color=colour, ms=12, mec="k", mew=1.5)
    for i, (w1, w2, b) in enumerate(lines or []):
        style = dict(
            UNIT_STYLES[i % len(UNIT_STYLES)], lw=1.6, label=f"hidden unit {i + 1}: net input = 0"
        )
        xs = np.array([-lim, lim])
        if abs(w2) > 1e-9:
            ax.plot(xs, -(w1 * xs + b) / w2, **style)
        elif abs(w1) > 1e-9:
            ax.axvline(-b / w1, **style)
    ax.set(
        xlim=(-lim - 0.1, lim + 0.1),
        ylim=(-lim - 0.1, lim + 0.1),
        xlabel="$x_1$",
        ylabel="$x_2$",
        aspect="equal",
    )
    if legend:
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8, ncol=1, frameon=False
        )
    if title:
        ax.set_title(title)
    if save:
        save_figure(ax.figure, save)
    return ax


def history(
    hist,
    axes=None,
    *,
    metrics=("loss", "accuracy"),
    label="",
    title=None,
    train_label="training",
    start=None,
    zoom=False,
    save=None,
):
    """Training (and validation, where present) curves per epoch, one panel per metric.

    ``hist`` is a Keras ``History`` or its ``.history`` dict. Passing the same
    ``axes`` again overlays another run (give each a ``label``). ``start`` is an optional dict
    of validation values before training (e.g. ``{"val_loss": ..., "val_accuracy": ...}``),
    drawn as epoch 0 of the validation curve. ``zoom=True`` puts the loss on a log axis and adds
    an inset to the accuracy panel showing epochs 1 on at a close scale, so that the late rise is
    visible beside the jump from epoch 0.
    """
    h = getattr(hist, "history", hist)
    if not isinstance(h, dict):
        raise ValueError(
            f"history: got {type(hist).__name__}; give a Keras History or its .history dict"
        )
    wanted, metrics = tuple(metrics), [m for m in metrics if m in h]
    if not metrics or not all(len(h[m]) for m in metrics):
        raise ValueError(
            f"history: nothing to plot: the history holds {sorted(h) or 'no metrics'} (with "
            f"values for none of {list(wanted)}); give the History that fit() returned"
        )
    if axes is None:
        _, axes = plt.subplots(1, len(metrics), figsize=(4.6 * len(metrics), 3.4), squeeze=False)
        axes = axes[0]
    axes = np.atleast_1d(axes)
    for ax, metric in zip(axes, metrics):
        epochs = np.arange(1, len(h[metric]) + 1)
        prefix = f"{label} " if label else ""
        line = ax.plot(epochs, h[metric], label=f"{prefix}{train_label}")[0]
        if f"val_{metric}" in h:
            first = [start[f"val_{metric}"]] if start and f"val_{metric}" in start else []
            val_line = ax.plot(
                np.arange(1 - len(first), len(h[metric]) + 1),
                first + list(h[f"val_{metric}"]),
                "--",
                color=line.get_color() if label else None,
                label=f"{prefix}validation" + (" (dot: before training)" if first else ""),
            )[0]
            if first:  # the epoch-0 point is an evaluate() before fit, not an epoch of training
                ax.plot(0, first[0], "o", ms=5, color=val_line.get_color())
        ax.set(xlabel="epoch", ylabel=metric, title=f"{title + ': ' if title else ''}{metric}")
        ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if zoom and metric == "loss":
            log_axis(ax, "y")
        if zoom and metric == "accuracy":
            _zoom_inset(ax, epochs, h[metric], h.get(f"val_{metric}"))
        ax.legend(fontsize=8, loc="lower right" if zoom and metric == "accuracy" else "best")
    axes[0].figure.tight_layout()
    if save:
        save_figure(axes[0].figure, save)
    return axes


def _zoom_inset(ax, epochs, train, val=None):
    """An inset in ``ax`` with the same curves from epoch 1 on, its y axis fitted to them."""
    inset = ax.inset_axes([0.32, 0.4, 0.63, 0.38])
    inset.plot(epochs, train)
    values = list(train)
    if val is not None:
        inset.plot(epochs, val, "--")
        values += list(val)
    low, high = min(values), max(values)
    pad = 0.05 * (high - low or 1.0)
    inset.set_ylim(low - pad, high + pad)
    inset.set_title("epochs 1 on, close up", fontsize=7)
    inset.tick_params(labelsize=7)
    inset.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    inset.grid(alpha=0.3)
    return inset


def log_axis(ax, which="y"):
    """Put ``ax``'s x or y axis on a log scale labelled at 1, 2 and 5 times each power of ten, in
    plain numbers."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis = ax.yaxis if which == "y" else ax.xaxis
    (ax.set_yscale if which == "y" else ax.set_xscale)("log")
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
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


def loss_curve(
    losses, ax=None, *, title="training loss", log=False, floor=None, save=None, **kwargs
):
    """A loss-per-epoch curve (or several: pass a 2-D array, one column a run). ``floor`` draws a
    labelled horizontal line at that loss (e.g. the least loss a stalled net can reach), inside the
    axis."""
    ax = _axes(ax, (5, 3.2))
    losses = np.asarray(losses)
    ax.plot(np.arange(1, len(losses) + 1), losses, **kwargs)
    if floor is not None:
        ax.axhline(floor, color="0.3", ls=":", lw=1.2, label=f"loss floor {floor:.3f}")
        ax.legend(fontsize=8)
    ax.set(xlabel="epoch", ylabel="binary cross-entropy", title=title)
    if log:
        log_axis(ax, "y")
    elif floor is not None:
        ax.set_ylim(0, max(float(np.max(losses)), floor) * 1.08)
    ax.grid(alpha=0.3)
    if save:
        save_figure(ax.figure, save)
    return ax


def xor_panels(net, losses, X, Y, *, title, lines=None, log=True, save=None, color=None):
    """The three pictures the lab asks for on XOR, side by side: the training loss per epoch, the
    predicted class on the tutorial's grid, and P(class 1) with the 0.5 boundary (and ``lines``:
    hidden units' cuts). Returns the three axes."""
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    loss_curve(losses, ax=axes[0], title=f"{title}: training loss", log=log, color=color)
    decision_boundary(net, X, Y, ax=axes[1], title=f"{title}: predicted class (red 0, blue 1)")
    decision_boundary(
        net,
        X,
        Y,
        ax=axes[2],
        heatmap=True,
        lines=lines,
        legend=bool(lines),
        title=f"{title}: P(class 1)",
    )
    fig.tight_layout()
    if save:
        save_figure(fig, save)
    return axes


def boundary_pair(net, X, Y, *, title, save=None):
    """The predicted class on the tutorial's 20 x 20 grid (left) beside P(class 1) with the 0.5
    boundary (right). Returns the two axes."""
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 4.2))
    decision_boundary(net, X, Y, ax=axes[0], title=f"{title}:\npredicted class (red 0, blue 1)")
    decision_boundary(net, X, Y, ax=axes[1], heatmap=True, title=f"{title}:\nP(class 1)")
    fig.tight_layout()
    if save:
        save_figure(fig, save)
    return axes


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
    ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04, label="count (log scale)")
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


# --- Pictures of learning, in the spirit of TensorFlow Playground ---------------------------------
#: Hidden units' outputs: orange where negative, white at 0, purple where positive (never the class
#: colours).
UNIT_CMAP = "PuOr"


def _plane(lim, n):
    ticks = np.linspace(-lim, lim, n, dtype=np.float32)
    xx, yy = np.meshgrid(ticks, ticks)
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def net_weights(net, activations=None):
    """``(weights, activation names)`` of a plain dense net: a Keras model, or a weight list with
    ``activations``."""
    if hasattr(net, "layers"):
        if any(type(layer).__name__ not in ("Dense", "InputLayer") for layer in net.layers):
            raise ValueError("net_weights reads plain stacks of Dense layers (no skip connections)")
        dense = [layer for layer in net.layers if layer.weights]
        return [np.asarray(w) for layer in dense for w in layer.get_weights()], [
            layer.activation.__name__ for layer in dense
        ]
    if activations is None:
        raise ValueError(
            "give the activation names with a weight list, e.g. activations=['tanh', 'sigmoid']"
        )
    return [np.asarray(w) for w in net], list(activations)


def _unit_line(ax, w1, w2, b, lim, **style):
    """Draw the line w1*x1 + w2*x2 + b = 0 across the plane (nothing if both weights are 0)."""
    xs = np.array([-lim, lim])
    if abs(w2) > 1e-9:
        ax.plot(xs, -(w1 * xs + b) / w2, **style)
    elif abs(w1) > 1e-9:
        ax.axvline(-b / w1, **style)


def _patterns(ax, X, Y, ms=9):
    Y = np.asarray(Y).reshape(-1)
    for cls, colour in ((0, RED), (1, BLUE)):
        ax.plot(*np.asarray(X)[Y == cls].T, "o", color=colour, ms=ms, mec="k", mew=1.2)


def _frame(ax, lim):
    ax.set(
        xlim=(-lim, lim),
        ylim=(-lim, lim),
        aspect="equal",
        xticks=[-lim, 0, lim],
        yticks=[-lim, 0, lim],
    )
    ax.tick_params(labelsize=7)


def unit_panels(net, X, Y, axes=None, *, activations=None, lim=2.0, n=101, save=None):
    """Each hidden unit's own output over the input plane, beside the network's P(class 1).

    For a net with one hidden layer (a Keras model, or a weight list ``[W1, b1, W2, b2]`` with
    ``activations``). Panel j colours the plane by hidden unit j's output (``UNIT_CMAP``: orange
    negative, white 0, purple positive), with its line ``net = 0`` dashed and its weight to the
    output in the title. The last panel shades P(class 1) red to blue with the 0.5 contour (the
    decision boundary) and every unit's line dashed. Returns the axes.
    """
    weights, acts = net_weights(net, activations)
    if len(acts) != 2:
        raise ValueError(
            f"unit_panels draws nets with one hidden layer; this one has {len(acts) - 1}"
        )
    from . import backprop

    W1, b1, W2, _ = weights
    units = W1.shape[1]
    if axes is None:
        _, axes = plt.subplots(1, units + 1, figsize=(3.3 * (units + 1), 3.4))
    axes = np.ravel(axes)
    if len(axes) != units + 1:
        raise ValueError(f"{units} hidden units need {units + 1} axes, got {len(axes)}")
    xx, yy, pts = _plane(lim, n)
    (_, hidden), (_, out) = backprop.forward(weights, acts, pts)
    for j, ax in enumerate(axes[:-1]):
        h = hidden[:, j].reshape(xx.shape)
        top = 1.0 if acts[0] == "tanh" else max(float(np.abs(h).max()), 1e-6)
        low = -top if acts[0] == "tanh" else 0.0  # ReLU outputs are >= 0: a 0-to-max scale
        cmap = UNIT_CMAP if low < 0 else "Purples"
        mesh = ax.pcolormesh(xx, yy, h, cmap=cmap, vmin=low, vmax=top, shading="auto")
        bar = ax.figure.colorbar(mesh, ax=ax, fraction=0.046, pad=0.04)
        bar.ax.tick_params(labelsize=7)
        bar.set_label(f"unit {j + 1} output", fontsize=7)
        _unit_line(ax, W1[0, j], W1[1, j], b1[j], lim, ls="--", color="k", lw=1.2)
        _patterns(ax, X, Y, ms=7)
        _frame(ax, lim)
        ax.set_xlabel("$x_1$", fontsize=8)
        if j == 0:
            ax.set_ylabel("$x_2$", fontsize=8)
        ax.set_title(
            f"hidden unit {j + 1} ({acts[0]})\nweight to output {W2[j, 0]:+.2f}", fontsize=9
        )
    ax = axes[-1]
    p = out[:, 0].reshape(xx.shape)
    mesh = ax.pcolormesh(xx, yy, p, cmap="RdBu", vmin=0, vmax=1, shading="auto")
    bar = ax.figure.colorbar(mesh, ax=ax, fraction=0.046, pad=0.04)
    bar.ax.tick_params(labelsize=7)
    bar.set_label("P(class 1)", fontsize=7)
    ax.set_xlabel("$x_1$", fontsize=8)
    ax.set_ylabel("$x_2$", fontsize=8)
    ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1.6)
    for j in range(units):  # white dashes edged in black: visible on red, blue and white alike
        edge = [patheffects.Stroke(linewidth=2.6, foreground="k"), patheffects.Normal()]
        _unit_line(
            ax, W1[0, j], W1[1, j], b1[j], lim, ls="--", color="w", lw=1.3, path_effects=edge
        )
    _patterns(ax, X, Y, ms=7)
    _frame(ax, lim)
    ax.set_title(
        f"output ({acts[1]}): P(class 1)\nsolid: boundary; dashed: unit lines (net input 0)",
        fontsize=8,
    )
    axes[0].figure.tight_layout()
    if save:
        save_figure(axes[0].figure, save)
    return axes


def _snapshot_panel(ax, weights, acts, X, Y, xx, yy, pts, lim):
    """Draw one training snapshot (P(class 1), its 0.5 contour, the patterns); return its title
    text."""
    from . import backprop

    p = backprop.forward(weights, acts, pts)[-1][1][:, 0].reshape(xx.shape)
    mesh = ax.pcolormesh(xx, yy, p, cmap="RdBu", vmin=0, vmax=1, shading="auto")
    contour = (
        ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1.6)
        if p.min() < 0.5 < p.max()
        else None
    )
    return mesh, contour


def _snapshot_title(epoch, weights, acts, X, Y):
    from . import backprop

    out = backprop.forward(weights, acts, np.asarray(X, dtype=np.float32))[-1][1][:, 0]
    right = int(((out > 0.5) == (np.asarray(Y).reshape(-1) > 0.5)).sum())
    return f"epoch {epoch}: loss {backprop.loss(weights, acts, X, Y):.3f}, {right}/{len(out)} right"


def boundary_strip(snapshots, X, Y, activations, axes=None, *, lim=2.0, n=81, save=None):
    """A row of training snapshots: for each ``(epoch, weights)``, P(class 1) with its 0.5 contour.

    ``weights`` is ``[W1, b1, W2, b2, ...]`` for the given ``activations``; each panel is titled
    with the epoch, the loss on ``X, Y`` and how many patterns are right. Returns the axes.
    """
    if axes is None:
        _, axes = plt.subplots(1, len(snapshots), figsize=(2.45 * len(snapshots), 2.75))
    axes = np.ravel(axes)
    xx, yy, pts = _plane(lim, n)
    for ax, (epoch, weights) in zip(axes, snapshots):
        mesh, _ = _snapshot_panel(ax, weights, activations, X, Y, xx, yy, pts, lim)
        _patterns(ax, X, Y, ms=6)
        _frame(ax, lim)
        ax.set_xlabel("$x_1$", fontsize=8)
        title = _snapshot_title(epoch, weights, activations, X, Y)
        ax.set_title(title.replace(": ", "\n", 1), fontsize=8)
    axes[0].set_ylabel("$x_2$", fontsize=8)
    axes[0].figure.tight_layout()
    bar = axes[0].figure.colorbar(mesh, ax=list(axes), fraction=0.02, pad=0.01)
    bar.ax.tick_params(labelsize=7)
    bar.set_label("P(class 1)", fontsize=7)
    if save:
        save_figure(axes[0].figure, save)
    return axes


def boundary_animation(
    snapshots, X, Y, activations, *, lim=2.0, n=61, size=3.6, dpi=80, interval=200
):
    """A matplotlib animation of P(class 1) over the plane, one frame per ``(epoch, weights)``
    snapshot.

    Display it with ``show_animation`` (JavaScript player, frames embedded as PNG: it plays in the
    exported HTML without a network). Returns the ``FuncAnimation``.
    """
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(size, size), dpi=dpi)
    xx, yy, pts = _plane(lim, n)
    _patterns(ax, X, Y, ms=8)
    _frame(ax, lim)
    drawn = []

    def draw(i):
        for artist in drawn:
            artist.remove()
        drawn.clear()
        epoch, weights = snapshots[i]
        mesh, contour = _snapshot_panel(ax, weights, activations, X, Y, xx, yy, pts, lim)
        mesh.set_zorder(0)
        drawn.extend([mesh] + ([contour] if contour is not None else []))
        ax.set_title(_snapshot_title(epoch, weights, activations, X, Y), fontsize=9)
        return drawn

    fig.tight_layout()
    return FuncAnimation(fig, draw, frames=len(snapshots), interval=interval, blit=False)


_ANIMATION_ICONS = {
    "fa-minus": "&minus;",
    "fa-fast-backward": "|&#9664;&#9664;",
    "fa-step-backward": "|&#9664;",
    "fa-play fa-flip-horizontal": "&#9664;",
    "fa-pause": "&#10074;&#10074;",
    "fa-play": "&#9654;",
    "fa-step-forward": "&#9654;|",
    "fa-fast-forward": "&#9654;&#9654;|",
    "fa-plus": "+",
}


def animation_html(anim, alt, *, default_mode="once"):
    """The animation as a self-contained HTML player (``to_jshtml``, frames embedded as PNG) that
    works offline.

    matplotlib's player takes its button icons from Font Awesome on a CDN: here the stylesheet link
    is dropped and each icon becomes a text symbol (the buttons keep their titles), and the frame
    image gets ``alt`` as its alternative text. Closes the animation's figure.
    """
    import re

    if not alt or not str(alt).strip():
        raise ValueError(
            "animation_html needs alt: a one-line description of what the animation shows"
        )
    html = anim.to_jshtml(embed_frames=True, default_mode=default_mode)
    plt.close(anim._fig)
    html = re.sub(r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">', "", html)
    for icon, text in _ANIMATION_ICONS.items():
        html = html.replace(f'<i class="fa {icon}"></i>', f'<span aria-hidden="true">{text}</span>')
    alt = " ".join(str(alt).replace('"', "'").split())
    html, found = re.subn(r'<img id="(_anim_img\w+)">', rf'<img id="\1" alt="{alt}">', html)
    if found != 1 or "font-awesome" in html or 'class="fa ' in html:
        raise RuntimeError(
            "matplotlib's animation HTML changed: update helpers.plots.animation_html"
        )
    return html


def show_animation(anim, alt):
    """Display ``animation_html(anim, alt)`` inline (a live player in Jupyter and in the HTML
    export)."""
    from IPython.display import HTML, display

    display(HTML(animation_html(anim, alt)))
