"""MNIST loading: a local ``.npz`` first, the Keras download last; validated.

``load_mnist()`` returns exactly what ``keras.datasets.mnist.load_data()``
returns, ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays, from the
first source that exists:

1. the file named by the environment variable ``MNIST_NPZ`` (set but empty is an error, not
   "unset");
2. ``data/mnist.npz`` in the repository (git-ignored, for a local copy);
3. the Keras download (needs internet; Keras caches it in ``~/.keras``).

Local files are read with ``allow_pickle=False`` and checked (keys, shapes,
dtypes, label range). Every problem raises ``MnistError`` with one line that
names the file and says how to fix it: a file that cannot be read (permissions,
I/O) is told apart from a corrupt one, and a failed download keeps its reason.
Nothing is written or deleted.

``prepare`` turns the raw arrays into what the models take (and refuses labels
outside 0-9, NaN pixels...); ``check_xy`` checks such arrays before training.
"""

from __future__ import annotations

import errno
import os
import zipfile
from pathlib import Path

import numpy as np

from . import checks
from .paths import ROOT

LOCAL_NPZ = ROOT / "data" / "mnist.npz"
ENV_VAR = "MNIST_NPZ"
KEYS = ("x_train", "y_train", "x_test", "y_test")
NUM_CLASSES = 10
IMAGE_SHAPE = (28, 28)


class MnistError(ValueError):
    """A one-line, actionable problem with the MNIST source."""


def _download():
    """The Keras download (kept separate so tests can stand in for it)."""
    import keras

    return keras.datasets.mnist.load_data()


def _is_file(path: Path) -> bool:
    """``path.is_file()``, with a one-line MnistError when a folder on the way cannot be entered
    (``is_file`` raises PermissionError for that, not False)."""
    try:
        return path.is_file()
    except PermissionError as err:
        raise MnistError(
            f"cannot reach {path}: permission denied on a folder on its path "
            f"({err.strerror or err}): give your user access to that folder, or copy mnist.npz "
            f"to a readable place and set {ENV_VAR}"
        ) from err


def mnist_source() -> Path | None:
    """The local file ``load_mnist`` would read, or None for the download.

    Raises MnistError if ``MNIST_NPZ`` is set but empty or names no file.
    """
    env = os.environ.get(ENV_VAR)
    if env is not None:
        if not env.strip():
            raise MnistError(
                f"{ENV_VAR} is set but empty: point it at a copy of mnist.npz, or unset it "
                f"(unset {ENV_VAR}) to use {LOCAL_NPZ} or the Keras download"
            )
        path = Path(env).expanduser()
        if not _is_file(path):
            raise MnistError(
                f"{ENV_VAR}={env} names no file: point {ENV_VAR} at a copy of "
                f"mnist.npz, or unset it to use {LOCAL_NPZ} or the Keras download"
            )
        return path
    if _is_file(LOCAL_NPZ):
        return LOCAL_NPZ
    return None


def _reason(err: BaseException, limit: int = 300) -> str:
    """``type: message`` of ``err`` on one line, followed by that of the exception behind it
    (``__cause__`` or ``__context__``, e.g. the ``URLError`` behind Keras's plain ``Exception``)
    when its text adds something."""

    def one(e):
        text = " ".join(str(e).split())
        return f"{type(e).__name__}: {text}" if text else type(e).__name__

    parts = [one(err)]
    inner = err.__cause__ or err.__context__
    if inner is not None and " ".join(str(inner).split()) not in parts[0]:
        parts.append(f"caused by {one(inner)}")
    line = "; ".join(parts)
    return line if len(line) <= limit else line[: limit - 3] + "..."


def read_npz(path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Read and validate an MNIST ``.npz`` in the Keras layout."""
    path = Path(path)
    fix = "replace it with a good copy of mnist.npz (keys x_train, y_train, x_test, y_test)"
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):  # a .npy: one array, not an archive
            raise MnistError(
                f"{path}: a single {getattr(loaded, 'shape', '?')} array (.npy), not an .npz "
                f"archive: {fix}"
            )
        with loaded as npz:
            missing = [k for k in KEYS if k not in npz.files]
            if missing:
                raise MnistError(f"{path}: missing key(s) {', '.join(missing)}: {fix}")
            arrays = {k: npz[k] for k in KEYS}
        bad = [k for k, v in arrays.items() if not isinstance(v, np.ndarray)]
        if bad:
            raise MnistError(
                f"{path}: corrupt .npz, member(s) {', '.join(bad)} are not numpy arrays: {fix}"
            )
    except MnistError:
        raise
    except FileNotFoundError:
        raise MnistError(f"{path}: no such file: check the path, or set {ENV_VAR}") from None
    except PermissionError as err:
        # the file may be fine: only this user may not read it
        raise MnistError(
            f"cannot read {path}: permission denied ({err.strerror or err}); the file itself may "
            "be fine: give your user read access (e.g. chmod a+r, or ask its owner), or copy it to "
            f"a readable place and set {ENV_VAR}"
        ) from err
    except IsADirectoryError:
        raise MnistError(
            f"cannot read {path}: it is a folder: set {ENV_VAR} to the mnist.npz file inside it"
        ) from None
    except ValueError as err:
        # numpy refuses object arrays when allow_pickle=False
        if "pickle" in str(err).lower():
            raise MnistError(
                f"{path}: holds pickled objects, which are not loaded for safety: {fix}"
            ) from None
        raise MnistError(f"{path}: not a readable .npz ({err}): {fix}") from None
    except OSError as err:
        if err.errno in (errno.EIO, errno.ENXIO, errno.ESTALE, errno.ETIMEDOUT):
            # the disk, the network share or the system refused the read: not the file's content
            raise MnistError(
                f"cannot read {path} ({_reason(err)}): check the disk or share it is on, "
                "then try again"
            ) from err
        raise MnistError(f"{path}: corrupt or truncated .npz ({_reason(err)}): {fix}") from None
    except (zipfile.BadZipFile, EOFError, KeyError) as err:
        raise MnistError(
            f"{path}: corrupt or truncated .npz ({type(err).__name__}: {err}): {fix}"
        ) from None
    validate(arrays, source=str(path))
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def validate(arrays: dict, source: str = "MNIST") -> None:
    """Check shapes, dtypes and label range; raise MnistError on the first problem."""
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.dtype != np.uint8 or y.dtype != np.uint8:
            raise MnistError(
                f"{source}: x_{split}/y_{split} have dtypes {x.dtype}/{y.dtype}, expected uint8 "
                "(raw 0..255 pixels and 0..9 labels, as keras.datasets.mnist.load_data returns)"
            )
        if x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE or x.shape[0] == 0:
            raise MnistError(
                f"{source}: x_{split} has shape {x.shape}, expected (N, 28, 28) with N > 0"
            )
        if y.shape != (x.shape[0],):
            raise MnistError(
                f"{source}: y_{split} has shape {y.shape}, expected ({x.shape[0]},) to match "
                f"x_{split}"
            )
        if y.max() >= NUM_CLASSES:
            raise MnistError(
                f"{source}: y_{split} holds label {int(y.max())}, expected labels 0..9"
            )


def load_mnist():
    """``(x_train, y_train), (x_test, y_test)`` as uint8, like Keras's ``load_data``."""
    path = mnist_source()
    if path is not None:
        return read_npz(path)
    try:
        data = _download()
    except Exception as err:  # no network, proxy, HTTP error: all end here, with their reason
        raise MnistError(
            f"no local MNIST file and the Keras download failed ({_reason(err)}): "
            f"copy mnist.npz to {LOCAL_NPZ} or set {ENV_VAR}=/path/to/mnist.npz"
        ) from err
    (x_train, y_train), (x_test, y_test) = data
    validate(
        {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test},
        "Keras download",
    )
    return data


def prepare(x: np.ndarray, y: np.ndarray, num_classes: int = NUM_CLASSES, *, scale=255):
    """Flatten images to 784-vectors scaled to [0, 1] (float32) and one-hot the labels.

    ``x``: (N, 28, 28) pixels in 0..``scale`` (raw MNIST: 0..255, the default), divided by
    ``scale``; ``y``: (N,) whole-number labels in ``0..num_classes - 1``. Anything else (a label
    such as -1 or 10, a fractional label, already one-hot labels, NaN or infinite pixels, pixels
    outside 0..scale) raises ``MnistError`` (a ``ValueError``) in one line. So do float pixels
    that already lie in [0, 1] with the default scale: dividing them by 255 again would leave a
    maximum of 0.0039 and a net that barely learns; pass ``scale=1`` for pixels scaled already.
    """
    num_classes = checks.whole("num_classes", num_classes, minimum=2)
    scale = checks.positive("scale", scale)
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE:
        raise MnistError(f"prepare: images have shape {x.shape}, expected (N, 28, 28)")
    y = np.asarray(y)
    if y.ndim != 1:
        hint = (
            ": they look one-hot encoded already"
            if y.ndim == 2 and y.shape[1:] == (num_classes,)
            else ""
        )
        raise MnistError(
            f"prepare: labels y have shape {y.shape}, expected (N,) whole numbers "
            f"0..{num_classes - 1}{hint}"
        )
    if len(y) != len(x):
        raise MnistError(f"prepare: {len(x)} images but {len(y)} labels")
    try:
        checks.finite_array("prepare: images x", x)
    except ValueError as err:
        raise MnistError(str(err)) from None
    if x.size and (x.min() < 0 or x.max() > scale):
        raise MnistError(
            f"prepare: pixels range from {x.min()} to {x.max()}, expected raw pixels "
            f"0..{scale:g} (prepare scales them to [0, 1] itself)"
        )
    if x.size and scale == 255 and x.dtype.kind == "f" and x.max() <= 1:
        raise MnistError(
            f"prepare: pixels already lie in [0, 1] (max {x.max():g}): they look scaled "
            "already; give the raw 0..255 pixels, or pass scale=1 to keep them as they are"
        )
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            bad = y[~np.isfinite(y) | (y != np.round(y))][0]
            raise MnistError(
                f"prepare: label {bad} is not a whole number: labels y must be whole numbers "
                f"0..{num_classes - 1}"
            )
    elif y.dtype.kind not in "iu":
        raise MnistError(
            f"prepare: labels y have dtype {y.dtype}, expected whole numbers 0..{num_classes - 1}"
        )
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        bad = y.min() if y.min() < 0 else y.max()
        raise MnistError(
            f"prepare: label {bad:g} is outside 0..{num_classes - 1}: labels y must be whole "
            f"numbers 0..{num_classes - 1}"
        )
    flat = x.reshape(len(x), -1).astype(np.float32) / np.float32(scale)
    onehot = np.eye(num_classes, dtype=np.float32)[y.astype(np.int64)]
    return flat, onehot


def check_xy(x, y, num_classes: int = NUM_CLASSES) -> None:
    """Check inputs and one-hot targets for a softmax classifier before training; raise a one-line
    ``ValueError`` (``MnistError``) on the first problem.

    ``x``: (N, features), finite; ``y``: (N, num_classes), finite, as ``prepare`` returns. Integer
    labels of shape (N,) are refused with a pointer to ``prepare``; so are row-count mismatches and
    NaN or infinite values (which would otherwise train to a normal-looking loss while the weights
    turn NaN).
    """
    num_classes = checks.whole("num_classes", num_classes, minimum=2)
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 2 or x.shape[0] == 0:
        hint = ": flatten the images with data.prepare" if x.ndim == 3 else ""
        raise MnistError(f"x has shape {x.shape}, expected (N, features) with N > 0{hint}")
    if y.ndim == 1:
        raise MnistError(
            f"y has shape {y.shape}: one-hot encode it with data.prepare "
            f"(expected (N, {num_classes}) one-hot rows)"
        )
    if y.ndim != 2 or y.shape[1] != num_classes:
        raise MnistError(
            f"y has shape {y.shape}, expected (N, {num_classes}) one-hot rows (data.prepare makes "
            "them)"
        )
    if len(y) != len(x):
        raise MnistError(
            f"x has {len(x)} rows but y has {len(y)}: give one target row per input row"
        )
    for name, arr in (("x", x), ("y", y)):
        try:
            checks.finite_array(name, arr)
        except ValueError as err:
            raise MnistError(str(err)) from None
