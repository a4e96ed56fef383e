"""helpers.stats against published values and independent computations."""

import math

import numpy as np
import pytest
from scipy import stats as st

from helpers import stats

A = [98.90, 98.95, 99.10, 99.00]  # per-seed test accuracy in percent, arm A
B = [98.88, 98.86, 98.89, 98.84]  # the same seeds, arm B


# --- summary and fmt ------------------------------------------------------------------------------


def test_summary_and_fmt():
    s = stats.summary([0.98, 0.99, 1.0])
    assert s["mean"] == pytest.approx(0.99) and s["sd"] == pytest.approx(0.01) and s["n"] == 3
    assert (s["min"], s["max"]) == (0.98, 1.0)
    assert stats.summary([0.5])["sd"] == 0.0
    assert stats.fmt([0.98, 0.99, 1.0]) == "99.00 ± 1.00 (98.00-100.00)"
    assert stats.fmt([3, 5], scale=1, digits=1, unit="x") == "4.0 ± 1.4x (3.0-5.0x)"


@pytest.mark.parametrize(
    "values, match",
    [
        ([], "at least one"),
        ([0.9, float("nan")], r"values\[1\]=nan must be a finite number"),
        ([float("inf"), 0.9], r"values\[0\]=inf must be a finite number"),
        ([[0.9, 0.8]], "flat list"),
    ],
)
def test_summary_and_fmt_reject_bad_values(values, match):
    with pytest.raises(ValueError, match=match):
        stats.summary(values)
    with pytest.raises(ValueError, match=match):
        stats.fmt(values)


# --- wilson and format_rate -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "k, n, low, high",
    # Newcombe (1998), Statistics in Medicine 17:857-872, score method without continuity correction
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_published_values(k, n, low, high):
    lo, hi = stats.wilson(k, n)
    assert lo == pytest.approx(low, abs=6e-5) and hi == pytest.approx(high, abs=6e-5)


def test_wilson_edges_and_width():
    lo, hi = stats.wilson(200, 200)
    assert hi == 1.0 and lo == pytest.approx(0.9812, abs=1e-4)
    assert stats.wilson(0, 5)[0] == 0.0
    lo, hi = stats.wilson(57, 200)
    assert lo < 57 / 200 < hi
    assert stats.wilson(57, 200, z=2.576)[0] < lo  # a 99% interval is wider
    assert stats.wilson(22.0, 40.0) == stats.wilson(22, 40)  # whole floats are counts too
    assert stats.wilson(np.int64(22), np.int64(40)) == stats.wilson(22, 40)


def test_format_rate():
    assert stats.format_rate(57, 200) == "28.5% (22.7-35.1%)"
    assert stats.format_rate(190, 200, count=True, ci_label=True) == (
        "190/200 = 95.0% (95% CI 91.0-97.3%)"
    )
    assert stats.format_rate(0, 20, count=True) == "0/20 = 0.0% (0.0-16.1%)"


@pytest.mark.parametrize(
    "args, match",
    [
        ((1, 0), r"n=0 must be a whole number of at least 1"),
        ((-1, 5), r"successes=-1 must be a whole number from 0 to n=5"),
        ((12, 10), r"successes=12 must be a whole number from 0 to n=10"),
        ((2.5, 10), r"successes=2.5 must be a whole number"),
        ((2, 10.5), r"n=10.5 must be a whole number"),
        ((float("nan"), 10), r"successes=nan must be a whole number"),
        ((2, 10, 0), r"z=0 must be a finite number greater than 0"),
        ((2, 10, float("inf")), r"z=inf must be a finite number"),
    ],
)
def test_wilson_and_format_rate_reject_bad_counts(args, match):
    with pytest.raises(ValueError, match=match):
        stats.wilson(*args)
    if len(args) == 2:
        with pytest.raises(ValueError, match=match):
            stats.format_rate(*args)


# --- paired_difference and difference_words -------------------------------------------------------


def test_paired_difference_by_hand():
    # d = [0.02, 0.09, 0.21, 0.16]: mean 0.12, squared deviations sum to 0.0206,
    # so sd = sqrt(0.0206 / 3)
    r = stats.paired_difference(A, B)
    sd = math.sqrt(0.0206 / 3)
    half = 3.182446305 * sd / 2  # t(0.975, 3) from tables, se = sd / sqrt(4)
    assert r["n"] == 4 and r["wins"] == 4 and r["confidence"] == 0.95
    assert r["mean"] == pytest.approx(0.12) and r["sd"] == pytest.approx(sd)
    assert r["ci95"] == pytest.approx([0.12 - half, 0.12 + half], abs=1e-9)
    assert r["ci95"][0] < 0 < r["ci95"][1]  # the interval includes no difference ...
    assert r["p"] == pytest.approx(0.0627, abs=5e-5)  # ... and so p > 0.05


def test_paired_difference_matches_scipy():
    rng = np.random.default_rng(7)
    for n in (2, 3, 5, 10):
        a = rng.normal(0.98, 0.002, n)
        b = a - rng.normal(0.001, 0.002, n)
        r = stats.paired_difference(a, b, confidence=0.9)
        ref = st.ttest_rel(a, b)
        assert r["p"] == pytest.approx(ref.pvalue, rel=1e-10)
        ci = ref.confidence_interval(0.9)
        assert r["ci95"] == pytest.approx([ci.low, ci.high], rel=1e-10)
        assert r["wins"] == int(np.sum(a > b))
        swapped = stats.paired_difference(b, a, confidence=0.9)
        assert swapped["mean"] == pytest.approx(-r["mean"])
        assert swapped["p"] == pytest.approx(r["p"])


def test_paired_difference_with_equal_differences():
    same = stats.paired_difference([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert same["ci95"] == [0.0, 0.0] and same["p"] == 1.0 and same["wins"] == 0
    shifted = stats.paired_difference([2.0, 3.0], [1.0, 2.0])
    assert shifted["ci95"] == [1.0, 1.0] and shifted["p"] == 0.0 and shifted["wins"] == 2


@pytest.mark.parametrize(
    "a, b, kwargs, match",
    [
        ([0.9], [0.8], {}, "needs at least 2 paired seeds, got 1"),
        ([], [], {}, "needs at least 2 paired seeds, got 0"),
        ([0.9, 0.8, 0.7], [0.8, 0.7], {}, "a has 3 values and b has 2"),
        ([0.9, float("nan")], [0.8, 0.7], {}, r"a\[1\]=nan must be a finite number"),
        ([0.9, 0.8], [float("-inf"), 0.7], {}, r"b\[0\]=-inf must be a finite number"),
        (
            [0.9, 0.8],
            [0.8, 0.7],
            {"confidence": 95},
            "confidence=95 must be a number between 0 and 1",
        ),
        ([0.9, 0.8], [0.8, 0.7], {"confidence": float("nan")}, "confidence=nan must be"),
    ],
)
def test_paired_difference_rejects_bad_input(a, b, kwargs, match):
    with pytest.raises(ValueError, match=match):
        stats.paired_difference(a, b, **kwargs)


def test_difference_words():
    r = stats.paired_difference([x / 100 for x in A], [x / 100 for x in B])
    assert stats.difference_words(r) == "+0.12 points (95% CI -0.01 to +0.25, n = 4)"
    assert stats.difference_words(stats.paired_difference(A, B), unit="", scale=1, digits=3) == (
        "+0.120 (95% CI -0.012 to +0.252, n = 4)"
    )
    assert stats.difference_words(stats.paired_difference(B, A, confidence=0.9), scale=1) == (
        "-0.12 points (90% CI -0.22 to -0.02, n = 4)"
    )
    tiny = stats.paired_difference([1.0, 1.0], [1.0, 1.0])
    assert stats.difference_words(tiny) == "+0.00 points (95% CI +0.00 to +0.00, n = 2)"
    nearly = {"mean": -1e-6, "ci95": [-2e-6, 0.0], "n": 3}  # rounds to zero: no "-0.00"
    assert stats.difference_words(nearly) == "+0.00 points (95% CI +0.00 to +0.00, n = 3)"
    with pytest.raises(ValueError, match="must be a paired_difference"):
        stats.difference_words({"mean": 0.1})


# --- two independent rates: Fisher and Newcombe ---------------------------------------------------


def fisher_by_hand(k1, n1, k2, n2):
    """Two-sided Fisher p: the hypergeometric probabilities no larger than the observed table's."""
    k, n = k1 + k2, n1 + n2
    prob = {
        x: math.comb(n1, x) * math.comb(n2, k - x) / math.comb(n, k)
        for x in range(max(0, k - n2), min(k, n1) + 1)
    }
    return sum(p for p in prob.values() if p <= prob[k1] * (1 + 1e-7))


def test_fisher_exact_on_the_tea_tasting_table():
    # Fisher (1935): 3 of 4 milk-first cups named right, 1 of 4 tea-first named milk-first
    assert stats.fisher_exact(3, 4, 1, 4) == pytest.approx(34 / 70)  # 0.4857
    assert stats.fisher_exact(3, 4, 1, 4) == pytest.approx(0.4857, abs=5e-5)
    assert stats.fisher_exact(4, 4, 0, 4) == pytest.approx(2 / 70)


@pytest.mark.parametrize(
    "k1, n1, k2, n2", [(23, 35, 135, 158), (57, 200, 62, 200), (190, 200, 200, 200), (0, 5, 0, 7)]
)
def test_fisher_exact_against_hand_and_scipy(k1, n1, k2, n2):
    p = stats.fisher_exact(k1, n1, k2, n2)
    assert p == pytest.approx(fisher_by_hand(k1, n1, k2, n2), rel=1e-9)
    assert p == pytest.approx(st.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue, rel=1e-12)
    assert stats.fisher_exact(k2, n2, k1, n1) == pytest.approx(p, rel=1e-12)
    if (k1, n1) == (23, 35):
        assert p == pytest.approx(0.013, abs=5e-4)


@pytest.mark.parametrize(
    "k1, n1, k2, n2, diff, low, high",
    [
        # Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score)
        (56, 70, 48, 80, 0.2, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.6, 0.1705, 0.8090),
    ],
)
def test_newcombe_difference_matches_published_values(k1, n1, k2, n2, diff, low, high):
    d, lo, hi = stats.newcombe_difference(k1, n1, k2, n2)
    assert d == pytest.approx(diff)
    assert lo == pytest.approx(low, abs=6e-5) and hi == pytest.approx(high, abs=6e-5)
    # swapping the arms mirrors the interval
    d2, lo2, hi2 = stats.newcombe_difference(k2, n2, k1, n1)
    assert (d2, lo2, hi2) == pytest.approx((-d, -hi, -lo))


def test_newcombe_difference_stays_inside_minus_one_to_one():
    d, lo, hi = stats.newcombe_difference(10, 10, 0, 10)
    assert d == 1.0 and -1 <= lo < 1 and hi == pytest.approx(1.0)
    wide = stats.newcombe_difference(5, 10, 5, 10, z=2.576)  # a 99% interval is wider
    assert wide[1] < stats.newcombe_difference(5, 10, 5, 10)[1]


@pytest.mark.parametrize("fn", [stats.fisher_exact, stats.newcombe_difference])
@pytest.mark.parametrize(
    "args, match",
    [
        ((11, 10, 3, 10), "k1=11 must be a whole number from 0 to n1=10"),
        ((1, 10, -1, 10), "k2=-1 must be a whole number from 0 to n2=10"),
        ((0, 0, 3, 10), "n1=0 must be a whole number of at least 1"),
        ((1, 10, 3, 2.5), "n2=2.5 must be a whole number of at least 1"),
    ],
)
def test_two_rate_functions_reject_bad_counts(fn, args, match):
    with pytest.raises(ValueError, match=match):
        fn(*args)


# --- paired success/failure: exact McNemar --------------------------------------------------------


def test_mcnemar_exact_by_hand():
    # 1 vs 9 discordant starts: 2 * P(X <= 1), X ~ Binomial(10, 1/2) = 2 * 11 / 1024
    assert stats.mcnemar_exact(1, 9) == pytest.approx(22 / 1024, rel=1e-12)
    assert stats.mcnemar_exact(9, 1) == pytest.approx(22 / 1024, rel=1e-12)
    assert stats.mcnemar_exact(5, 5) == 1.0 and stats.mcnemar_exact(0, 0) == 1.0
    assert stats.mcnemar_exact(0, 6) == pytest.approx(2 / 64)


@pytest.mark.parametrize("only_a, only_b", [(3, 12), (0, 1), (17, 30), (40, 25)])
def test_mcnemar_exact_matches_scipy_binomtest(only_a, only_b):
    ref = st.binomtest(only_a, only_a + only_b, 0.5, alternative="two-sided").pvalue
    assert stats.mcnemar_exact(only_a, only_b) == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize(
    "args, match",
    [
        ((-1, 3), "only_a=-1 must be a whole number of at least 0"),
        ((2, 1.5), "only_b=1.5 must be a whole number of at least 0"),
    ],
)
def test_mcnemar_exact_rejects_bad_counts(args, match):
    with pytest.raises(ValueError, match=match):
        stats.mcnemar_exact(*args)


# --- Holm -----------------------------------------------------------------------------------------


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04 times 3, 2, 1 -> 0.03, 0.06, 0.04 -> running max 0.03, 0.06, 0.06
    assert stats.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    # sorted 0.001, 0.2, 0.5, 0.9 times 4, 3, 2, 1 -> 0.004, 0.6, 1.0, 0.9 -> max, capped at 1
    assert stats.holm([0.5, 0.2, 0.9, 0.001]) == pytest.approx([1.0, 0.6, 1.0, 0.004])
    assert stats.holm([0.02, 0.02]) == pytest.approx([0.04, 0.04])
    assert stats.holm([0.3]) == [0.3] and stats.holm([]) == []


@pytest.mark.parametrize(
    "pvalues, match",
    [
        ([0.01, 1.2], r"pvalues\[1\]=1.2 must be a number from 0 to 1"),
        ([-0.1], r"pvalues\[0\]=-0.1 must be a number from 0 to 1"),
        ([0.01, float("nan")], r"pvalues\[1\]=nan must be a finite number"),
    ],
)
def test_holm_rejects_bad_pvalues(pvalues, match):
    with pytest.raises(ValueError, match=match):
        stats.holm(pvalues)
