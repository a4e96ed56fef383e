"""Small statistics for comparing runs over seeds: per-seed summaries."""

from __future__ import annotations

import numpy as np


def _finite_values(name, values):
    """``values`` as a 1-D float array, or a one-line ValueError naming the first bad entry."""
    try:
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a list of numbers") from None
    if v.ndim != 1:
        raise ValueError(f"{name} must be a flat list of numbers, got shape {v.shape}")
    bad = np.flatnonzero(~np.isfinite(v))
    if bad.size:
        raise ValueError(f"{name}[{bad[0]}]={v[bad[0]]} must be a finite number (not NaN or inf)")
    return v


# --- per-seed summaries ---------------------------------------------------------------------------

def summary(values):
    """Mean, sample sd, min, max and count of per-seed values.

    Parameters
    ----------
    values : sequence of float
        One finite value per seed, at least one.

    Returns
    -------
    dict
        ``{"mean", "sd", "min", "max", "n"}``; ``sd`` uses ``ddof=1`` and is 0 for one value.
    """
    v = _finite_values("values", values)
    if v.size == 0:
        raise ValueError("values must hold at least one number, got none")
    return {"mean": float(v.mean()), "sd": float(v.std(ddof=1)) if v.size > 1 else 0.0,
            "min": float(v.min()), "max": float(v.max()), "n": int(v.size)}


def fmt(values, scale=100.0, digits=2, unit=""):
    """Per-seed values as ``"98.91 ± 0.05 (98.84-98.97)"``: mean ± sd (min-max).

    Parameters
    ----------
    values : sequence of float
        One finite value per seed.
    scale : float
        Multiplier applied before printing (100 turns rates into percent).
    digits : int
        Decimals shown.
    unit : str
        Appended after the sd and after the max.

    Returns
    -------
    str
    """
    s = summary(values)
    return (f"{s['mean'] * scale:.{digits}f} ± {s['sd'] * scale:.{digits}f}{unit} "
            f"({s['min'] * scale:.{digits}f}-{s['max'] * scale:.{digits}f}{unit})")
