"""helpers.stats against published values and independent computations."""

import pytest

from helpers import stats

# --- summary and fmt ------------------------------------------------------------------------------

def test_summary_and_fmt():
    s = stats.summary([0.98, 0.99, 1.0])
    assert s["mean"] == pytest.approx(0.99) and s["sd"] == pytest.approx(0.01) and s["n"] == 3
    assert (s["min"], s["max"]) == (0.98, 1.0)
    assert stats.summary([0.5])["sd"] == 0.0
    assert stats.fmt([0.98, 0.99, 1.0]) == "99.00 ± 1.00 (98.00-100.00)"
    assert stats.fmt([3, 5], scale=1, digits=1, unit="x") == "4.0 ± 1.4x (3.0-5.0x)"


@pytest.mark.parametrize("values, match", [
    ([], "at least one"),
    ([0.9, float("nan")], r"values\[1\]=nan must be a finite number"),
    ([float("inf"), 0.9], r"values\[0\]=inf must be a finite number"),
    ([[0.9, 0.8]], "flat list"),
])
def test_summary_and_fmt_reject_bad_values(values, match):
    with pytest.raises(ValueError, match=match):
        stats.summary(values)
    with pytest.raises(ValueError, match=match):
        stats.fmt(values)
