"""Small statistics for comparing runs: per-seed summaries, rate intervals, tests of differences.

Two arms are compared by testing their difference directly: ``paired_difference`` for per-seed
values of two arms that share each seed, ``fisher_exact`` and ``newcombe_difference`` for two
independent success rates, ``mcnemar_exact`` for success/failure outcomes of the same starts
trained two ways, and ``holm`` to adjust a family of p-values.

SciPy is imported inside the functions that need it, so ``summary`` and ``fmt`` work without it.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

# --- checks at the door ---------------------------------------------------------------------------


def _whole(name, value, low=0, high=None, high_name=None):
    """``value`` as an int, or a one-line ValueError naming ``name`` and the allowed range."""
    if high is not None:
        allowed = f"from {low} to {high_name}={high}" if high_name else f"from {low} to {high}"
    else:
        allowed = f"of at least {low}"
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not ok and isinstance(value, numbers.Real) and not isinstance(value, bool):
        ok = math.isfinite(value) and float(value).is_integer()  # 22.0 is a whole number
    if not ok or value < low or (high is not None and value > high):
        raise ValueError(f"{name}={value!r} must be a whole number {allowed}")
    return int(value)


def _positive(name, value):
    if not (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    ):
        raise ValueError(f"{name}={value!r} must be a finite number greater than 0")
    return float(value)


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
    return {
        "mean": float(v.mean()),
        "sd": float(v.std(ddof=1)) if v.size > 1 else 0.0,
        "min": float(v.min()),
        "max": float(v.max()),
        "n": int(v.size),
    }


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
    return (
        f"{s['mean'] * scale:.{digits}f} ± {s['sd'] * scale:.{digits}f}{unit} "
        f"({s['min'] * scale:.{digits}f}-{s['max'] * scale:.{digits}f}{unit})"
    )


# --- one success rate -----------------------------------------------------------------------------


def wilson(successes, n, z=1.96):
    """Wilson score interval for a success rate (95% for the default ``z``).

    Unlike the normal approximation it stays inside [0, 1] and is not empty at 0 or ``n`` successes.

    Parameters
    ----------
    successes : int
        Successes, from 0 to ``n``.
    n : int
        Trials, at least 1.
    z : float
        Standard-normal quantile of the interval (1.96 for 95%).

    Returns
    -------
    tuple of float
        ``(low, high)``.
    """
    from scipy import stats as st

    n = _whole("n", n, low=1)
    successes = _whole("successes", successes, 0, n, "n")
    z = _positive("z", z)
    level = 2 * float(st.norm.cdf(z)) - 1  # 0.95 for z = 1.96 (to 4 decimals)
    ci = st.binomtest(successes, n).proportion_ci(confidence_level=level, method="wilson")
    return float(max(0.0, ci.low)), float(min(1.0, ci.high))


def format_rate(successes, n, *, count=False, ci_label=False):
    """A rate and its 95% Wilson interval, one decimal each: ``"28.5% (22.7-35.1%)"``.

    Parameters
    ----------
    successes, n : int
        As for ``wilson``.
    count : bool
        Put ``"57/200 = "`` in front.
    ci_label : bool
        Write ``"95% CI "`` inside the brackets.

    Returns
    -------
    str
    """
    low, high = wilson(successes, n)
    head = f"{successes}/{n} = " if count else ""
    label = "95% CI " if ci_label else ""
    return f"{head}{successes / n:.1%} ({label}{100 * low:.1f}-{100 * high:.1f}%)"


# --- two arms -------------------------------------------------------------------------------------


def paired_difference(a, b, confidence=0.95):
    """Paired comparison of two arms that share each seed: the per-seed differences ``d = a - b``.

    Parameters
    ----------
    a, b : sequence of float
        One finite value per seed, in the same seed order, at least 2 seeds.
    confidence : float
        Coverage of the Student t interval, between 0 and 1.

    Returns
    -------
    dict
        ``"mean"`` and ``"sd"`` (ddof=1) of ``d``; ``"n"`` seeds; ``"ci95"``: ``[low, high]``,
        the t interval for the mean difference at ``confidence``; ``"p"``: two-sided paired
        t-test p-value; ``"wins"``: seeds with ``d > 0``; ``"confidence"``: the level used for
        ``"ci95"``.
        If every seed has the same difference (sd 0) the interval is that difference and ``p`` is
        0 (a nonzero difference) or 1 (no difference), the limits of the t-test.
    """
    a = _finite_values("a", a)
    b = _finite_values("b", b)
    if a.size != b.size:
        raise ValueError(
            f"a has {a.size} values and b has {b.size}: paired seeds need equal lengths"
        )
    if a.size < 2:
        raise ValueError(f"needs at least 2 paired seeds, got {a.size}")
    if not (isinstance(confidence, numbers.Real) and 0 < confidence < 1):
        raise ValueError(f"confidence={confidence!r} must be a number between 0 and 1 (exclusive)")
    from scipy import stats as st

    d = a - b
    n = int(d.size)
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    if sd > 0:
        t = st.ttest_rel(a, b)
        ci = t.confidence_interval(confidence)
        low, high, p = float(ci.low), float(ci.high), float(t.pvalue)
    else:
        low = high = mean
        p = 1.0 if mean == 0 else 0.0
    return {
        "mean": mean,
        "sd": sd,
        "n": n,
        "ci95": [low, high],
        "p": p,
        "wins": int((d > 0).sum()),
        "confidence": float(confidence),
    }


def fisher_exact(k1, n1, k2, n2):
    """Two-sided Fisher exact test p-value for success rates ``k1/n1`` against ``k2/n2``.

    Parameters
    ----------
    k1, n1 : int
        Successes and trials of the first arm (``n1`` at least 1).
    k2, n2 : int
        The same for the second arm.

    Returns
    -------
    float
    """
    n1 = _whole("n1", n1, low=1)
    k1 = _whole("k1", k1, 0, n1, "n1")
    n2 = _whole("n2", n2, low=1)
    k2 = _whole("k2", k2, 0, n2, "n2")
    from scipy import stats as st

    return float(st.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue)


def newcombe_difference(k1, n1, k2, n2, z=1.96):
    """Difference of two independent rates ``p1 - p2`` with its Newcombe hybrid score interval.

    Newcombe (1998), Statistics in Medicine 17:873-890, method 10: built from the two Wilson
    intervals, without continuity correction.

    Parameters
    ----------
    k1, n1, k2, n2 : int
        Successes and trials of each arm, as for ``fisher_exact``.
    z : float
        Standard-normal quantile (1.96 for 95%).

    Returns
    -------
    tuple of float
        ``(diff, low, high)``.
    """
    n1 = _whole("n1", n1, low=1)
    k1 = _whole("k1", k1, 0, n1, "n1")
    n2 = _whole("n2", n2, low=1)
    k2 = _whole("k2", k2, 0, n2, "n2")
    z = _positive("z", z)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    diff = p1 - p2
    low = diff - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return float(diff), float(low), float(high)


def mcnemar_exact(only_a, only_b):
    """Exact two-sided McNemar p-value for paired success/failure outcomes.

    For the same starts trained two ways, only the discordant starts count: a binomial test of
    ``only_a`` out of ``only_a + only_b`` against 1/2. With no discordant start the p-value is 1.

    Parameters
    ----------
    only_a : int
        Starts that succeed with A and fail with B.
    only_b : int
        Starts that succeed with B and fail with A.

    Returns
    -------
    float
    """
    only_a = _whole("only_a", only_a)
    only_b = _whole("only_b", only_b)
    if only_a + only_b == 0:
        return 1.0
    from scipy import stats as st

    return float(st.binomtest(only_a, only_a + only_b, 0.5).pvalue)


def holm(pvalues):
    """Holm-Bonferroni adjusted p-values, in the input order.

    Parameters
    ----------
    pvalues : sequence of float
        Unadjusted p-values, each from 0 to 1.

    Returns
    -------
    list of float
        Each adjusted p-value, capped at 1; compare them with the family-wise level.
    """
    p = _finite_values("pvalues", pvalues)
    bad = np.flatnonzero((p < 0) | (p > 1))
    if bad.size:
        raise ValueError(f"pvalues[{bad[0]}]={p[bad[0]]} must be a number from 0 to 1")
    m = p.size
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return [float(x) for x in adjusted]


def difference_words(result, unit="points", scale=100, digits=2):
    """A ``paired_difference`` result as a table cell.

    For example ``"+0.12 points (95% CI -0.01 to +0.25, n = 4)"``; a rounded zero prints as
    ``+0.00``, never ``-0.00``.

    Parameters
    ----------
    result : dict
        What ``paired_difference`` returned.
    unit : str
        Word after the mean difference ("points" for percentage points of a rate); "" for none.
    scale : float
        Multiplier applied before printing (100 turns rate differences into points).
    digits : int
        Decimals shown.

    Returns
    -------
    str
    """
    missing = [k for k in ("mean", "ci95", "n") if not isinstance(result, dict) or k not in result]
    if missing:
        raise ValueError(
            f"result must be a paired_difference() result, missing {', '.join(missing)}"
        )
    digits = _whole("digits", digits)

    def num(x):
        return f"{x * scale:+z.{digits}f}"

    level = f"{100 * result.get('confidence', 0.95):g}% CI"
    low, high = result["ci95"]
    head = num(result["mean"]) + (f" {unit}" if unit else "")
    return f"{head} ({level} {num(low)} to {num(high)}, n = {result['n']})"
