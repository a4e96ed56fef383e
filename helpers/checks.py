"""Argument checks shared by the helpers: each bad value raises one ``ValueError`` line that names
the argument, the value given and what is allowed, at the call the user made (not deep inside Keras
or NumPy).

Only NumPy is imported, so ``helpers.xor`` and ``helpers.data`` stay free of TensorFlow.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


class ArgumentTypeError(ValueError, TypeError):
    """An argument of the wrong type: a ``ValueError`` like every other refused argument here, and a
    ``TypeError`` too, so either ``except`` catches it."""


def whole(name, value, minimum=1, maximum=None):
    """``value`` as a Python int, if it is a whole number (an int, not a bool or a float) in
    ``[minimum, maximum]``; otherwise ``ValueError`` naming ``name``."""
    allowed = (
        f"a whole number >= {minimum}"
        if maximum is None
        else f"a whole number from {minimum} to {maximum}"
    )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ArgumentTypeError(f"{name}={value!r}: give {allowed}")
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name}={value!r}: give {allowed}")
    return int(value)


def real(name, value, low=None, high=None, *, low_open=False, high_open=False):
    """``value`` as a float, if it is a finite real number in the interval given by ``low``/``high``
    (closed ends unless ``low_open``/``high_open``); otherwise ``ValueError`` naming ``name``."""
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high:g}")
    allowed = "a finite number" + (" " + " and ".join(parts) if parts else "")
    if low is not None and high is not None:
        allowed = (
            f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(f"{name}={value!r}: give {allowed}")
    v = float(value)
    if (
        not math.isfinite(v)
        or (low is not None and (v <= low if low_open else v < low))
        or (high is not None and (v >= high if high_open else v > high))
    ):
        raise ValueError(f"{name}={value!r}: give {allowed}")
    return v


def positive(name, value):
    """``value`` as a float, if it is finite and > 0 (a learning rate, a standard deviation)."""
    return real(name, value, 0.0, low_open=True)


def finite_array(name, array):
    """Raise ``ValueError`` if the numeric ``array`` holds NaN or infinite values (integer arrays
    always pass)."""
    array = np.asarray(array)
    if array.dtype.kind not in "fc":
        if array.dtype.kind not in "iub":
            raise ValueError(
                f"{name} has dtype {array.dtype}: give numbers (a numeric NumPy array)"
            )
        return
    bad = ~np.isfinite(array)
    if bad.any():
        nan = int(np.isnan(array).sum())
        raise ValueError(
            f"{name} holds {nan} NaN and {int(bad.sum()) - nan} infinite value(s) "
            f"(first at index {tuple(int(i) for i in np.argwhere(bad)[0])}): give finite numbers"
        )


def widths(hidden):
    """``hidden`` as a tuple of widths, each a whole number >= 1; else a one-line ``ValueError``."""
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise ValueError(f"hidden={hidden!r}: give a tuple of layer widths, e.g. (512, 512)")
    hidden = tuple(hidden)
    for w in hidden:
        try:
            whole("width", w)
        except ValueError:
            raise ValueError(
                f"hidden={hidden}: every width must be a whole number >= 1, got {w!r}"
            ) from None
    return hidden
