"""Small statistics for comparing runs over seeds: per-seed summaries."""

from __future__ import annotations

import numpy as np


def summary(values):
    """``{"mean", "sd", "min", "max", "n"}`` of a list of per-seed values (sample sd, 0 for one value)."""
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        raise ValueError("summary() needs at least one value")
    return {"mean": float(v.mean()), "sd": float(v.std(ddof=1)) if v.size > 1 else 0.0,
            "min": float(v.min()), "max": float(v.max()), "n": int(v.size)}


def fmt(values, scale=100.0, digits=2, unit=""):
    """``"98.91 ± 0.05 (98.84-98.97)"`` for per-seed values (scaled, e.g. rates to percent)."""
    s = summary(values)
    return (f"{s['mean'] * scale:.{digits}f} ± {s['sd'] * scale:.{digits}f}{unit} "
            f"({s['min'] * scale:.{digits}f}-{s['max'] * scale:.{digits}f}{unit})")
