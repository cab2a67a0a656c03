"""Tests for wres_cli.stats (methodology §3 and §6).

Expected values come from hand arithmetic (math module, exact fractions) or from
scipy used as an independent reference; never from the code under test.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtri
from scipy.stats import binomtest, chi2_contingency, fisher_exact
from scipy.stats.contingency import relative_risk

from wres_cli.contract import NON_ADVERSE_RANGE
from wres_cli.stats import (
    Z95,
    assess_difference,
    assess_ratio,
    fisher_p_value,
    log_ratio_change_test,
    relative_likelihood,
    two_proportion_z_test,
    wilson_interval,
)

# Any RuntimeWarning (division by zero, log of zero...) fails the test.
pytestmark = pytest.mark.filterwarnings("error")

Z_EXACT = float(ndtri(0.975))
FAST = settings(max_examples=200, deadline=None)


@st.composite
def tables(draw: st.DrawFn, max_n: int = 5000, min_events: int = 0) -> tuple[int, ...]:
    """(a, n_f, c, n_r) with both populations non-empty."""
    n_f = draw(st.integers(max(1, min_events), max_n))
    n_r = draw(st.integers(max(1, min_events), max_n))
    a = draw(st.integers(min_events, n_f))
    c = draw(st.integers(min_events, n_r))
    return a, n_f, c, n_r


def katz_by_hand(a: int, n_f: int, c: int, n_r: int, z: float) -> tuple[float, float, float]:
    rl = (a / n_f) / (c / n_r)
    se = math.sqrt(1 / a - 1 / n_f + 1 / c - 1 / n_r)
    return rl, math.exp(math.log(rl) - z * se), math.exp(math.log(rl) + z * se)


# --- constants -----------------------------------------------------------------


def test_constants_are_the_methodology_values() -> None:
    assert Z95 == 1.959964
    assert NON_ADVERSE_RANGE == (0.80, 1.25)
    assert abs(Z95 - Z_EXACT) < 1e-6


# --- published worked examples (methodology §1) ------------------------------


def test_nhs_indicator_2_christie_white_over_bme_is_3_2() -> None:
    # 46.99 % of White and 14.65 % of BME shortlisted applicants appointed.
    r = relative_likelihood(4699, 10000, 1465, 10000)
    assert round(float(r.value), 1) == 3.2
    # Exactly 4699/1465 correctly rounded; (4699/10000)/(1465/10000) rounds
    # three times and sits one ulp away, so it is compared with a tolerance.
    assert float(r.value) == 4699 / 1465
    assert float(r.value) == pytest.approx((4699 / 10000) / (1465 / 10000), rel=1e-15)
    assert r.significant[()] is True
    assert assess_ratio(r.value, r.calculable, adverse="high")[()] == "adverse"


def test_nhs_indicator_3_kmpt_from_counts_is_1_83_not_1_7() -> None:
    # BME 9 of 725, White 17 of 2505 entered the formal disciplinary process.
    r = relative_likelihood(9, 725, 17, 2505)
    assert round(float(r.value), 2) == 1.83
    assert float(r.value) == pytest.approx((9 / 725) / (17 / 2505), rel=1e-15)
    # The published 1.7 comes from the rounded percentages 1.2 % and 0.7 %.
    assert (round(100 * 9 / 725, 1), round(100 * 17 / 2505, 1)) == (1.2, 0.7)
    assert round(1.2 / 0.7, 1) == 1.7
    assert round(float(r.value), 1) == 1.8
    # Nine events: the interval is wide and includes 1.
    assert r.significant[()] is False
    assert assess_ratio(r.value, r.calculable, adverse="high")[()] == "adverse"


# --- Katz interval -----------------------------------------------------------


def test_katz_interval_worked_by_hand() -> None:
    # 3 of 4 vs 2 of 8: RL = 0.75 / 0.25 = 3.
    se = math.sqrt(1 / 3 - 1 / 4 + 1 / 2 - 1 / 8)  # sqrt(11/24)
    assert se == pytest.approx(math.sqrt(11 / 24))
    low, high = math.exp(math.log(3) - 1.959964 * se), math.exp(math.log(3) + 1.959964 * se)
    r = relative_likelihood(3, 4, 2, 8)
    assert float(r.value) == 3.0
    assert float(r.ci_low) == pytest.approx(low, rel=1e-14)
    assert float(r.ci_high) == pytest.approx(high, rel=1e-14)
    assert low == pytest.approx(0.7959, abs=1e-4) and high == pytest.approx(11.308, abs=1e-3)
    assert r.significant[()] is False  # 0.79 < 1 < 11.3


def test_katz_matches_scipy_documented_example() -> None:
    # scipy's relative_risk docstring: 10/75 vs 12/225 -> 2.5, (1.12616, 5.54985).
    r = relative_likelihood(10, 75, 12, 225, z=Z_EXACT)
    assert float(r.value) == 2.5
    assert float(r.ci_low) == pytest.approx(1.1261564003469628, rel=1e-12)
    assert float(r.ci_high) == pytest.approx(5.549850800541033, rel=1e-12)
    assert r.significant[()] is True


@FAST
@given(tables(min_events=1))
def test_katz_matches_scipy_relative_risk(t: tuple[int, ...]) -> None:
    # scipy's interval is Katz's log method (se = sqrt(1/a - 1/n1 + 1/c - 1/n2)).
    ref = relative_risk(*t)
    ci = ref.confidence_interval(0.95)
    exact = relative_likelihood(*t, z=Z_EXACT)
    assert float(exact.value) == pytest.approx(ref.relative_risk, rel=1e-15)
    assert float(exact.ci_low) == pytest.approx(ci.low, rel=1e-12)
    assert float(exact.ci_high) == pytest.approx(ci.high, rel=1e-12)
    default = relative_likelihood(*t)  # z = 1.959964, not the exact quantile
    assert float(default.ci_low) == pytest.approx(ci.low, rel=1e-6)
    assert float(default.ci_high) == pytest.approx(ci.high, rel=1e-6)


@FAST
@given(tables(min_events=1))
def test_katz_matches_hand_formula(t: tuple[int, ...]) -> None:
    rl, low, high = katz_by_hand(*t, z=Z95)
    r = relative_likelihood(*t)
    assert float(r.value) == pytest.approx(rl, rel=1e-15)
    assert float(r.ci_low) == pytest.approx(low, rel=1e-12)
    assert float(r.ci_high) == pytest.approx(high, rel=1e-12)
    assert float(r.ci_low) <= float(r.value) <= float(r.ci_high)
    assert r.calculable[()] and r.note[()] is None
    assert r.significant[()] is (low > 1 or high < 1)


@FAST
@given(tables(min_events=1))
def test_swapping_groups_inverts_ratio_and_interval(t: tuple[int, ...]) -> None:
    a, n_f, c, n_r = t
    fwd, back = relative_likelihood(a, n_f, c, n_r), relative_likelihood(c, n_r, a, n_f)
    assert float(fwd.value) == pytest.approx(1 / float(back.value), rel=1e-14)
    assert float(fwd.ci_low) == pytest.approx(1 / float(back.ci_high), rel=1e-12)
    assert float(fwd.ci_high) == pytest.approx(1 / float(back.ci_low), rel=1e-12)
    assert float(fwd.p_value) == pytest.approx(float(back.p_value), rel=1e-9, abs=1e-300)
    assert fwd.significant[()] is back.significant[()]


def test_everyone_had_the_event_gives_a_point_interval_at_1() -> None:
    r = relative_likelihood(7, 7, 30, 30)
    assert (float(r.value), float(r.ci_low), float(r.ci_high)) == (1.0, 1.0, 1.0)
    assert r.significant[()] is False
    assert float(r.p_value) == 1.0


# --- Fisher's exact test --------------------------------------------------------


def hypergeometric_two_sided(a: int, n_f: int, c: int, n_r: int) -> Fraction:
    """Exact two-sided Fisher p: sum of table probabilities no larger than the observed."""
    events, total = a + c, n_f + n_r
    lo, hi = max(0, events - n_r), min(events, n_f)
    prob = {x: Fraction(math.comb(n_f, x) * math.comb(n_r, events - x), math.comb(total, events))
            for x in range(lo, hi + 1)}
    return sum((q for q in prob.values() if q <= prob[a]), Fraction(0))


def test_fisher_by_hand_tea_tasting() -> None:
    # [[3, 1], [1, 3]]: C(4,x)C(4,4-x)/70 = 1, 16, 36, 16, 1 over 70; p = 34/70.
    assert float(fisher_p_value(3, 4, 1, 4)) == pytest.approx(34 / 70, rel=1e-12)
    # [[1, 2], [3, 0]]: 3, 9, 3 over 15 for a = 1, 2, 3; p = 6/15.
    assert float(fisher_p_value(1, 3, 3, 3)) == pytest.approx(6 / 15, rel=1e-12)


@FAST
@given(tables(max_n=60))
def test_fisher_matches_exact_fraction(t: tuple[int, ...]) -> None:
    assert float(fisher_p_value(*t)) == pytest.approx(float(hypergeometric_two_sided(*t)),
                                                      rel=1e-9, abs=1e-15)


@FAST
@given(st.lists(tables(max_n=200_000), min_size=1, max_size=5))
def test_fisher_equals_scipy_exactly(ts: list[tuple[int, ...]]) -> None:
    a, n_f, c, n_r = (list(col) for col in zip(*ts, strict=True))
    got = fisher_p_value(a, n_f, c, n_r)
    want = [fisher_exact([[x, m - x], [y, k - y]], alternative="two-sided").pvalue
            for x, m, y, k in ts]
    assert got.tolist() == want


def test_fisher_equals_scipy_on_every_small_table() -> None:
    rows = [(a, n_f, c, n_r) for n_f in range(1, 9) for n_r in range(1, 9)
            for a in range(n_f + 1) for c in range(n_r + 1)]
    got = fisher_p_value(*np.array(rows).T)
    want = [fisher_exact([[a, n_f - a], [c, n_r - c]]).pvalue for a, n_f, c, n_r in rows]
    assert got.tolist() == want


def test_fisher_repeated_tables_and_empty_populations() -> None:
    got = fisher_p_value([3, 3, 0, 2, 3], [4, 4, 0, 5, 4], [1, 1, 1, 0, 1], [4, 4, 3, 0, 4])
    assert got[0] == got[1] == got[4] == pytest.approx(34 / 70)
    assert np.isnan(got[2]) and np.isnan(got[3])


# --- not calculable --------------------------------------------------------------

NOT_CALCULABLE = [
    # (a, n_f, c, n_r, note, p-value expected?)
    (0, 20, 5, 30, "no events in the focal group", True),
    (4, 20, 0, 30, "no events in the reference group", True),
    (0, 20, 0, 30, "no events in either group", True),
    (0, 0, 5, 30, "empty focal group", False),
    (4, 20, 0, 0, "empty reference group", False),
    (0, 0, 0, 0, "empty focal and reference groups", False),
    (0, 0, 0, 30, "empty focal group", False),  # empty wins over no events
    (0, 20, 0, 0, "empty reference group", False),
]


@pytest.mark.parametrize(("a", "n_f", "c", "n_r", "note", "has_p"), NOT_CALCULABLE)
def test_not_calculable_cases(a: int, n_f: int, c: int, n_r: int, note: str,
                              has_p: bool) -> None:
    r = relative_likelihood(a, n_f, c, n_r)
    assert not r.calculable[()]
    assert r.note[()] == note
    assert r.significant[()] is None
    assert np.isnan(r.value) and np.isnan(r.ci_low) and np.isnan(r.ci_high)
    if has_p:  # both populations non-empty: Fisher is still computed
        want = fisher_exact([[a, n_f - a], [c, n_r - c]]).pvalue
        assert float(r.p_value) == want
    else:
        assert np.isnan(r.p_value)
    assert assess_ratio(r.value, r.calculable, "high")[()] == "not calculable"


def test_vectorised_mix_of_calculable_and_not() -> None:
    a, n_f, c, n_r = zip(*[(r[0], r[1], r[2], r[3]) for r in NOT_CALCULABLE], strict=True)
    r = relative_likelihood([*a, 3], [*n_f, 4], [*c, 2], [*n_r, 8])
    assert r.note.tolist() == [row[4] for row in NOT_CALCULABLE] + [None]
    assert r.calculable.tolist() == [False] * len(NOT_CALCULABLE) + [True]
    assert r.significant.tolist() == [None] * len(NOT_CALCULABLE) + [False]
    assert r.value[-1] == 3.0 and np.isnan(r.value[:-1]).all()


# --- assessment --------------------------------------------------------------


def test_assess_ratio_boundaries_both_directions() -> None:
    values = [0.7999, 0.80, 1.0, 1.25, 1.2501]
    calc = [True] * 5
    assert assess_ratio(values, calc, "high").tolist() == [
        "favourable", "within range", "within range", "within range", "adverse"]
    assert assess_ratio(values, calc, "low").tolist() == [
        "adverse", "within range", "within range", "within range", "favourable"]


def test_assess_ratio_uses_the_unrounded_value() -> None:
    # 1.2549 would display as 1.25 but is outside the range.
    got = assess_ratio([1.2549, 0.7951, math.nextafter(1.25, 2)], [True] * 3, "high")
    assert got.tolist() == ["adverse", "favourable", "adverse"]


def test_assess_ratio_not_calculable_and_bad_direction() -> None:
    got = assess_ratio([2.0, np.nan, 0.5], [False, False, True], "low")
    assert got.tolist() == ["not calculable", "not calculable", "adverse"]
    with pytest.raises(ValueError, match="adverse"):
        assess_ratio([1.0], [True], "above")


def test_exact_boundary_ratios_from_counts_are_within_range() -> None:
    # 5/6 vs 2/3 is exactly 5/4 and 2/3 vs 5/6 exactly 4/5. Dividing the
    # rounded rates would give 1.2500000000000002 and 0.7999999999999999.
    assert (5 / 6) / (2 / 3) > 1.25 and (1 / 3) / (5 / 12) < 0.80
    r = relative_likelihood([5, 4, 1], [6, 6, 3], [2, 5, 5], [3, 6, 12])
    assert r.value.tolist() == [1.25, 0.80, 0.80]
    for side in ("high", "low"):
        assert assess_ratio(r.value, r.calculable, side).tolist() == ["within range"] * 3


def test_every_small_exact_boundary_table_is_within_range() -> None:
    # RL = a·n_r / (c·n_f) is 5/4 when 4·a·n_r = 5·c·n_f, and 4/5 when 5·a·n_r = 4·c·n_f.
    rows = [(a, n_f, c, n_r) for n_f in range(1, 31) for n_r in range(1, 31)
            for a in range(1, n_f + 1) for c in range(1, n_r + 1)
            if 4 * a * n_r == 5 * c * n_f or 5 * a * n_r == 4 * c * n_f]
    assert len(rows) > 1000
    r = relative_likelihood(*np.array(rows).T)
    assert set(assess_ratio(r.value, r.calculable, "high").tolist()) == {"within range"}


def exact_assessment(a: int, n_f: int, c: int, n_r: int, adverse: str) -> str:
    rl = Fraction(a * n_r, c * n_f)
    if Fraction(4, 5) <= rl <= Fraction(5, 4):
        return "within range"
    return "adverse" if (rl > 1) == (adverse == "high") else "favourable"


@FAST
@given(tables(max_n=1_000_000, min_events=1), st.sampled_from(["high", "low"]))
def test_assessment_agrees_with_exact_fractions(t: tuple[int, ...], adverse: str) -> None:
    r = relative_likelihood(*t)
    assert assess_ratio(r.value, r.calculable, adverse)[()] == exact_assessment(*t, adverse)


def test_assess_difference() -> None:
    values = [-0.1, -1e-12, -0.0, 0.0, 0.3, np.nan]
    assert assess_difference(values, adverse_when_negative=True).tolist() == [
        "adverse", "adverse", "within range", "within range", "within range", None]
    assert assess_difference(values, adverse_when_negative=False).tolist() == [None] * 6


def test_significant_is_python_true_false_or_none() -> None:
    r = relative_likelihood([4699, 9, 0], [10000, 725, 10], [1465, 17, 3], [10000, 2505, 10])
    assert [s for s in r.significant] == [True, False, None]
    assert all(type(s) is bool for s in r.significant[:2])


# --- Wilson ----------------------------------------------------------------------


def wilson_by_hand(e: int, n: int, z: float) -> tuple[float, float]:
    p = e / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_wilson_worked_by_hand() -> None:
    # 5 of 10 is symmetric about 0.5.
    z2 = 1.959964**2
    half = 1.959964 * math.sqrt(0.25 / 10 + z2 / 400) / (1 + z2 / 10)
    low, high = wilson_interval(5, 10)
    assert float(low) == pytest.approx(0.5 - half, rel=1e-13)
    assert float(high) == pytest.approx(0.5 + half, rel=1e-13)
    assert float(low) == pytest.approx(0.2366, abs=1e-4)


@FAST
@given(st.integers(1, 1_000_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_bounds_and_hand_formula(en: tuple[int, int]) -> None:
    e, n = en
    low, high = (float(x) for x in wilson_interval(e, n))
    assert 0.0 <= low <= e / n <= high <= 1.0
    hand_low, hand_high = wilson_by_hand(e, n, Z95)
    assert low == pytest.approx(max(hand_low, 0.0), rel=1e-9, abs=1e-15)
    assert high == pytest.approx(min(hand_high, 1.0), rel=1e-9, abs=1e-15)
    ci = binomtest(e, n).proportion_ci(0.95, method="wilson")
    exact_low, exact_high = (float(x) for x in wilson_interval(e, n, z=Z_EXACT))
    assert exact_low == pytest.approx(ci.low, rel=1e-9, abs=1e-15)
    assert exact_high == pytest.approx(ci.high, rel=1e-9, abs=1e-15)


def test_wilson_edges() -> None:
    low, high = wilson_interval([0, 10, 0, 3], [10, 10, 0, 0 + 3])
    assert low[0] == 0.0 and high[1] == 1.0
    assert np.isnan(low[2]) and np.isnan(high[2])
    assert low[3] < 1.0 and high[3] == 1.0


# --- input handling ----------------------------------------------------------------


def test_accepts_series_lists_and_broadcasts() -> None:
    a = pd.Series([3, 10], index=["x", "y"])
    r = relative_likelihood(a, np.array([4, 75]), [2, 12], 225)
    assert isinstance(r.value, np.ndarray) and r.value.shape == (2,)
    assert r.value[1] == 2.5 and r.value[0] == pytest.approx((3 / 4) / (2 / 225))
    grid = relative_likelihood(np.array([[1], [2]]), 10, np.array([1, 2, 3]), 10)
    assert grid.value.shape == grid.note.shape == grid.significant.shape == (2, 3)
    assert grid.value[1, 0] == 2.0
    low, high = wilson_interval(pd.Series([1, 2], dtype="Int64"), [4, 4])
    assert low.shape == high.shape == (2,)


def test_empty_arrays() -> None:
    r = relative_likelihood([], [], [], [])
    assert r.value.shape == r.p_value.shape == r.note.shape == (0,)
    assert assess_ratio(r.value, r.calculable, "high").shape == (0,)


@pytest.mark.parametrize(("a", "n_f"), [(-1, 5), (6, 5), (1.5, 5), (np.nan, 5), (1, np.inf)])
def test_impossible_counts_are_rejected(a: float, n_f: float) -> None:
    with pytest.raises(ValueError):
        relative_likelihood(a, n_f, 1, 5)
    with pytest.raises(ValueError):
        wilson_interval(a, n_f)


# --- change between periods (methodology §6) --------------------------------------


def change_p_by_hand(t1: tuple[int, ...], t2: tuple[int, ...]) -> float:
    # Katz standard errors straight from the counts, not from the intervals.
    def ln_rl_and_var(a: int, n_f: int, c: int, n_r: int) -> tuple[float, float]:
        return math.log((a / n_f) / (c / n_r)), 1 / a - 1 / n_f + 1 / c - 1 / n_r

    (l1, v1), (l2, v2) = ln_rl_and_var(*t1), ln_rl_and_var(*t2)
    zstat = (l2 - l1) / math.sqrt(v1 + v2)
    return math.erfc(abs(zstat) / math.sqrt(2))


def test_log_ratio_change_worked_by_hand() -> None:
    t1, t2 = (30, 200, 40, 800), (20, 220, 45, 790)
    r1, r2 = relative_likelihood(*t1), relative_likelihood(*t2)
    got = log_ratio_change_test(r1.value, r1.ci_low, r1.ci_high, r2.value, r2.ci_low, r2.ci_high)
    # 3.0 -> 1.596, var 0.0521 + 0.0664: z = -1.833, p = 0.0667.
    assert float(got) == pytest.approx(change_p_by_hand(t1, t2), rel=1e-9)
    assert float(got) == pytest.approx(0.0667, abs=1e-4)


@FAST
@given(tables(min_events=1), tables(min_events=1))
def test_log_ratio_change_matches_counts_route(t1: tuple[int, ...], t2: tuple[int, ...]) -> None:
    r1, r2 = relative_likelihood(*t1), relative_likelihood(*t2)
    got = log_ratio_change_test(r1.value, r1.ci_low, r1.ci_high, r2.value, r2.ci_low, r2.ci_high)
    if (t1[0], t1[2]) == (t1[1], t1[3]) and (t2[0], t2[2]) == (t2[1], t2[3]):
        assert np.isnan(got)  # both intervals are points: no test
    else:
        assert float(got) == pytest.approx(change_p_by_hand(t1, t2), rel=1e-6, abs=1e-12)
    back = log_ratio_change_test(r2.value, r2.ci_low, r2.ci_high, r1.value, r1.ci_low, r1.ci_high)
    assert np.array_equal(got, back, equal_nan=True)


def test_log_ratio_change_missing_and_same() -> None:
    got = log_ratio_change_test([2.0, np.nan, 2.0, None, 2.0],
                                [1.0, 1.0, 1.0, 1.0, 1.0],
                                [4.0, 4.0, 4.0, 4.0, 4.0],
                                [2.0, 2.0, np.nan, 2.0, 2.0],
                                [1.0, 1.0, 1.0, 1.0, 1.0],
                                [4.0, 4.0, 4.0, 4.0, 4.0])
    assert got[0] == 1.0 and got[4] == 1.0
    assert np.isnan(got[1:4]).all()
    # se = ln 4 / (2z) each; z-statistic = ln 2 / (sqrt 2 · se).
    se = math.log(4) / (2 * Z95)
    want = math.erfc(abs(math.log(2) / (math.sqrt(2) * se)) / math.sqrt(2))
    assert float(log_ratio_change_test(1.0, 0.5, 2.0, 2.0, 1.0, 4.0)) == pytest.approx(want)
    assert np.isnan(log_ratio_change_test(0.0, 0.0, 2.0, 2.0, 1.0, 4.0))


def test_two_proportion_z_test_worked_by_hand() -> None:
    # 30/100 vs 20/100: pooled 0.25, se = sqrt(0.25·0.75·0.02), z = 0.1/se = 1.633.
    zstat = 0.1 / math.sqrt(0.25 * 0.75 * 0.02)
    got = two_proportion_z_test(30, 100, 20, 100)
    assert float(got) == pytest.approx(math.erfc(zstat / math.sqrt(2)), rel=1e-12)
    assert float(got) == pytest.approx(0.1025, abs=1e-4)


@FAST
@given(tables(max_n=100_000))
def test_two_proportion_z_test_equals_uncorrected_chi_square(t: tuple[int, ...]) -> None:
    # The pooled z-test's z² is Pearson's chi-square on the 2×2 table.
    e1, n1, e2, n2 = t
    got = float(two_proportion_z_test(e1, n1, e2, n2))
    if e1 + e2 in (0, n1 + n2):
        assert np.isnan(got)  # pooled rate 0 or 1: no variance
    else:
        table = [[e1, n1 - e1], [e2, n2 - e2]]
        want = chi2_contingency(table, correction=False).pvalue
        assert got == pytest.approx(want, rel=1e-7, abs=1e-14)


def test_two_proportion_z_test_undefined_cases() -> None:
    got = two_proportion_z_test([5, 0, 10, np.nan, 0, 4], [10, 10, 10, 10, 0, 10],
                                [8, 0, 10, 2, 2, 4], [10, 10, 10, 10, 10, 10])
    assert np.isnan(got[1:5]).all()
    assert got[5] == 1.0
    assert got[0] == pytest.approx(chi2_contingency([[5, 5], [8, 2]], correction=False).pvalue)


def test_fisher_equals_scipy_on_national_size_tables() -> None:
    # Tables with populations in the millions, where the far tail is found from a
    # log-gamma guess: the p-values must still be scipy's to the last bit.
    rng = np.random.default_rng(2026)
    n_f, n_r = rng.integers(10_000, 3_000_000, 40), rng.integers(10_000, 3_000_000, 40)
    rate = rng.uniform(0.001, 0.4, 40)
    a = rng.binomial(n_f, rate)
    c = rng.binomial(n_r, rate * rng.uniform(0.6, 1.5, 40))
    got = fisher_p_value(a, n_f, c, n_r)
    want = [fisher_exact([[x, m - x], [y, k - y]]).pvalue for x, m, y, k in zip(a, n_f, c, n_r,
                                                                             strict=True)]
    assert got.tolist() == want
