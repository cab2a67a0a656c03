"""Rates, relative likelihoods, their intervals and tests (methodology §3 and §6).

Every function takes array-likes (lists, numpy arrays, pandas Series) and works
on whole arrays at once: the engine asks for thousands of comparisons in one
call. Results are numpy arrays of the inputs' broadcast shape. Nothing is
rounded, and nothing is divided by zero: cells where a statistic does not exist
are masked and given NaN (numbers) or None (labels) instead.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr

from wres_cli.contract import NON_ADVERSE_RANGE

Z95 = 1.959964
#: The funnel plots' outer limits (99.8%).
Z998 = 3.090232

ADVERSE = "adverse"
FAVOURABLE = "favourable"
WITHIN_RANGE = "within range"
NOT_CALCULABLE = "not calculable"

#: None as numpy's stubs accept it in ``np.where`` on object arrays (labels, notes):
#: the stubs allow only numbers there, though numpy itself keeps the None.
NONE: Any = None

_Rules = Sequence[tuple[np.ndarray, object]]


@dataclass(frozen=True)
class RatioStats:
    """A relative likelihood per comparison, with its interval, test and verdict inputs."""

    value: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray
    calculable: np.ndarray
    note: np.ndarray
    significant: np.ndarray


# --- helpers -----------------------------------------------------------------


def _floats(*arrays: ArrayLike) -> list[np.ndarray]:
    """Inputs as float arrays of one broadcast shape (pandas NA becomes NaN)."""
    return [np.array(x, dtype=float) for x in np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in arrays))]


def _check_counts(events: np.ndarray, population: np.ndarray, allow_missing: bool) -> None:
    """Reject impossible counts: they mean a bug upstream, not a statistic to report."""
    present = ~(np.isnan(events) | np.isnan(population))
    if not allow_missing and not present.all():
        raise ValueError("counts must not be missing")
    e, n = events[present], population[present]
    if not (np.isfinite(e).all() and np.isfinite(n).all()):
        raise ValueError("counts must be finite")
    if (e < 0).any() or (n < 0).any():
        raise ValueError("counts must not be negative")
    if (e != np.floor(e)).any() or (n != np.floor(n)).any():
        raise ValueError("counts must be whole numbers")
    if (e > n).any():
        raise ValueError("events must not exceed the population")


def _label(shape: tuple[int, ...], rules: _Rules, default: object = None) -> np.ndarray:
    """Object array where the first rule whose mask is true gives each cell its label."""
    out = np.full(shape, default, dtype=object)
    taken = np.zeros(shape, dtype=bool)
    for mask, label in rules:
        hit = np.broadcast_to(mask, shape) & ~taken
        out[hit] = label
        taken |= hit
    return out


def _two_sided_normal_p(z: np.ndarray) -> np.ndarray:
    # ndtr(-|z|) keeps precision in the far tail (1 - cdf would round to 0) and
    # passes NaN through silently.
    return 2.0 * ndtr(-np.abs(z))


# --- rates ---------------------------------------------------------------------


def wilson_interval(
    events: ArrayLike, population: ArrayLike, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval for events/population; NaN where population == 0."""
    e, n = _floats(events, population)
    _check_counts(e, n, allow_missing=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        # The usual formula multiplied through by n, so p = e/n is never formed.
        centre = (e + z * z / 2) / (n + z * z)
        half = z * np.sqrt(e * (n - e) / n + z * z / 4) / (n + z * z)
    # At p = 0 and p = 1 the bounds are 0 and 1 exactly; floating point would
    # otherwise leave a crumb that excludes p from its own interval.
    low = np.where(e == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(e == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    empty = n == 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


# --- relative likelihood -----------------------------------------------------


# scipy's fisher_exact (2×2, two-sided) run on whole arrays: the same
# hypergeometric calls, tolerance and search, so the p-values are scipy's own
# bit for bit, without a Python-level call per table (about 1 ms each).
_FISHER_EPSILON = 1e-14
_FISHER_GAMMA = 1 + _FISHER_EPSILON


def _pmf(x: np.ndarray, total: np.ndarray, row1: np.ndarray, col1: np.ndarray) -> np.ndarray:
    return _hypergeom("pmf", x, total, row1, col1)


def _cdf(x: np.ndarray, total: np.ndarray, row1: np.ndarray, col1: np.ndarray) -> np.ndarray:
    return _hypergeom("cdf", x, total, row1, col1)


def _sf(x: np.ndarray, total: np.ndarray, row1: np.ndarray, col1: np.ndarray) -> np.ndarray:
    return _hypergeom("sf", x, total, row1, col1)


def _hypergeom(kind: str, k: np.ndarray, total: np.ndarray, row1: np.ndarray,
               col1: np.ndarray) -> np.ndarray:
    """``scipy.stats.hypergeom.<kind>(k, total, row1, col1)`` for integer arrays.

    The same special functions scipy.stats calls (Boost's, in scipy.special),
    with the same handling of k outside the support, so the values are equal
    bit for bit; but importing scipy.stats takes about a second, a tenth of a
    national computation, and nothing else here needs it. Falls back to
    scipy.stats where scipy.special does not have them."""
    special = _special_hypergeom()
    if special is None:
        from scipy.stats import hypergeom

        return getattr(hypergeom, kind)(k, total, row1, col1)
    k, total, row1, col1 = np.broadcast_arrays(*(np.asarray(x) for x in (k, total, row1, col1)))
    low, high = np.maximum(col1 - (total - row1), 0), np.minimum(row1, col1)  # the support
    valid = (total > 0) & (row1 >= 0) & (col1 >= 0) & (row1 <= total) & (col1 <= total)
    out = np.zeros(k.shape)
    if kind == "pmf":
        inside = valid & (k >= low) & (k <= high)
    else:
        inside = valid & (k >= low) & (k < high)
        out[valid & ((k >= high) if kind == "cdf" else (k < low))] = 1.0
    out[~valid] = np.nan
    if inside.any():
        function = special[kind]
        out[inside] = np.clip(function(k[inside], row1[inside], col1[inside], total[inside]),
                              0, 1)
    return out


@functools.cache
def _special_hypergeom() -> dict[str, Any] | None:
    try:
        from scipy.special import _ufuncs
    except ImportError:  # pragma: no cover - every scipy this supports has it
        return None
    names = {"pmf": "_hypergeom_pmf", "cdf": "_hypergeom_cdf", "sf": "_hypergeom_sf"}
    found = {kind: getattr(_ufuncs, name, None) for kind, name in names.items()}
    return found if all(found.values()) else None


def _bisect(sign: float, target: np.ndarray, lo: np.ndarray, hi: np.ndarray,
            args: tuple[np.ndarray, ...]) -> np.ndarray:
    """scipy's _binary_search_for_binom_tst on sign·pmf, one search per element."""
    lo, hi = lo.copy(), hi.copy()
    found = np.full(lo.shape, -1, dtype=np.int64)
    active = lo < hi
    while active.any():
        i = np.flatnonzero(active)
        mid = lo[i] + (hi[i] - lo[i]) // 2
        val = sign * _pmf(mid, *(arg[i] for arg in args))
        below, above = val < target[i], val > target[i]
        lo[i[below]] = mid[below] + 1
        hi[i[above]] = mid[above] - 1
        hit = ~below & ~above
        found[i[hit]] = mid[hit]
        active[i[hit]] = False
        active[i] &= lo[i] < hi[i]
    at_lo = sign * _pmf(lo, *args) <= target
    return np.where(found >= 0, found, np.where(at_lo, lo, lo - 1))


def _gallop(sign: float, target: np.ndarray, lo: np.ndarray, hi: np.ndarray,
            args: tuple[np.ndarray, ...], guess: np.ndarray) -> np.ndarray:
    """What ``_bisect`` finds, with far fewer pmf evaluations.

    a(i) = sign·pmf(i) rises over [lo, hi] (the pmf on one side of its mode), and
    ``_bisect`` returns the largest i there with a(i) <= target (lo - 1 if none),
    unless some a(i) equals the target exactly. That happens only where the pmf
    underflows and neighbours tie (the caller bisects those); elsewhere the
    index is the same however it is searched for. This search starts at
    ``guess`` (``_crossing_guess``: within a place or two) and gallops out
    before halving, so two or three pmf evaluations find it rather than a
    bisection of the whole side. At national scale the pmf
    (Boost's, exact) is most of the cost of a p-value.
    """
    good = lo - 1  # largest index known to have a <= target (lo - 1: none yet)
    bad = hi + 1  # smallest index known to have a > target (hi + 1: none yet)
    probe = np.clip(guess, lo, hi)
    step = np.ones_like(lo)
    active = np.ones(lo.shape, dtype=bool)
    while active.any():
        i = np.flatnonzero(active)
        p = probe[i]
        below = sign * _pmf(p, *(arg[i] for arg in args)) <= target[i]
        good[i[below]] = p[below]
        bad[i[~below]] = p[~below]
        active[i] = bad[i] - good[i] > 1
        i = i[active[i]]
        g, b, s = good[i], bad[i], step[i]
        up = b > hi[i]  # nothing above known to be too big yet: gallop up
        down = ~up & (g < lo[i])  # nothing below known to be small enough: gallop down
        probe[i] = np.where(up, np.minimum(g + s, hi[i]),
                            np.where(down, np.maximum(b - s, lo[i]), g + (b - g) // 2))
        step[i] = s * 2
    return good


#: Below this the pmf loses precision towards underflow and neighbouring values
#: can tie with the threshold, where only scipy's own bisection gives scipy's answer.
_UNDERFLOW = 1e-280


def _far_tail(a: np.ndarray, lower: np.ndarray, threshold: np.ndarray, mode: np.ndarray,
              args: tuple[np.ndarray, ...]) -> np.ndarray:
    """Probability of the tables beyond the mode as unlikely as the observed one."""
    col1 = args[2]
    out = np.zeros(lower.shape)
    for side, sign, lo, hi, tail_fn in (
        (lower, -1.0, mode, col1, _sf),
        (~lower, 1.0, np.zeros_like(mode), mode, _cdf),
    ):
        i = np.flatnonzero(side)
        if i.size:
            sub = tuple(arg[i] for arg in args)
            target = sign * threshold[i]
            guess = _crossing_guess(sign, threshold[i], lo[i], hi[i], sub)
            found = np.empty(i.size, dtype=np.int64)
            for search, rows in ((_gallop, threshold[i] >= _UNDERFLOW),
                                 (_bisect, threshold[i] < _UNDERFLOW)):
                if rows.any():
                    extra = (guess[rows],) if search is _gallop else ()
                    found[rows] = search(sign, target[rows], lo[i][rows], hi[i][rows],
                                         tuple(x[rows] for x in sub), *extra)
            out[i] = tail_fn(found, *sub)
    return out


def _crossing_guess(sign: float, threshold: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                    args: tuple[np.ndarray, ...]) -> np.ndarray:
    """Where ``_gallop`` will land, found on the log-pmf from log-gamma functions:
    a bisection of whole arrays that costs microseconds, and is right to within
    one or two places wherever the exact pmf is not within about 1e-8 of the
    threshold. ``_gallop`` starts there and finds the exact place itself (the
    answer never depends on the guess: a good one saves Boost evaluations, a
    few tens of microseconds each for national tables)."""
    total, row1, col1 = (x.astype(np.float64) for x in args)
    with np.errstate(divide="ignore"):  # an underflowed threshold: bisected anyway
        log_target = np.log(threshold)
    constant = _log_choose(total, col1)

    def below(k: np.ndarray) -> np.ndarray:  # sign * pmf(k) <= sign * threshold
        log_pmf = _log_choose(row1, k) + _log_choose(total - row1, col1 - k) - constant
        return sign * log_pmf <= sign * log_target

    good, bad = lo - 1, hi + 1
    while (bad - good > 1).any():
        mid = good + (bad - good) // 2
        ok = below(mid.astype(np.float64))
        open_ = bad - good > 1
        good = np.where(open_ & ok, mid, good)
        bad = np.where(open_ & ~ok, mid, bad)
    return good


def _log_choose(n: np.ndarray, k: np.ndarray) -> np.ndarray:
    from scipy.special import gammaln

    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def _near_tail(a: np.ndarray, lower: np.ndarray, args: tuple[np.ndarray, ...]) -> np.ndarray:
    """P(X <= a) left of the mode, P(X >= a) right of it; each only where needed
    (for large tables these sums are the expensive part)."""
    out = np.empty(a.shape)
    left, right = np.flatnonzero(lower), np.flatnonzero(~lower)
    out[left] = _cdf(a[left], *(x[left] for x in args))
    out[right] = _sf(a[right] - 1, *(x[right] for x in args))
    return out


def _fisher_tables(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Two-sided Fisher p for tables [[a, b], [c, d]] with no empty row or column."""
    row1, total, col1 = a + b, a + b + c + d, a + c
    args = (total, row1, col1)
    mode = ((col1 + 1) * (row1 + 1) / (total + 2)).astype(np.int64)
    pexact, pmode = _pmf(a, *args), _pmf(mode, *args)
    threshold = pexact * _FISHER_GAMMA
    lower = a < mode  # observed left of the mode: the other tail is on the right
    near = _near_tail(a, lower, args)
    # When even the far end of the support is likelier than the observed table,
    # the far side adds nothing and scipy returns the near tail alone, uncapped.
    far_end_likelier = _pmf(np.where(lower, col1, 0), *args) > threshold
    two = ~far_end_likelier
    far = np.zeros(a.shape)
    far[two] = _far_tail(a[two], lower[two], threshold[two], mode[two],
                         tuple(x[two] for x in args))
    p = np.where(two, np.minimum(near + far, 1.0), near)
    at_mode = np.abs(pexact - pmode) / np.maximum(pexact, pmode) <= _FISHER_EPSILON
    return np.where(at_mode, 1.0, p)


def fisher_p_value(a: ArrayLike, n_f: ArrayLike, c: ArrayLike, n_r: ArrayLike) -> np.ndarray:
    """Two-sided Fisher exact p on [[a, n_f-a], [c, n_r-c]]; NaN where a population is empty.

    Equal to scipy.stats.fisher_exact(table, alternative="two-sided").pvalue
    wherever both populations are non-empty. Each distinct table is computed once.
    """
    a_, nf, c_, nr = _floats(a, n_f, c, n_r)
    _check_counts(a_, nf, allow_missing=False)
    _check_counts(c_, nr, allow_missing=False)
    tables = np.stack([a_, nf - a_, c_, nr - c_], axis=-1).reshape(-1, 4).astype(np.int64)
    distinct, inverse = np.unique(tables, axis=0, return_inverse=True)
    ta, tb, tc, td = distinct.T
    # scipy gives 1 when a row or column is empty; rows never reach it (NaN below).
    fine = (ta + tb > 0) & (tc + td > 0) & (ta + tc > 0) & (tb + td > 0)
    p = np.ones(len(distinct))
    if fine.any():
        p[fine] = _fisher_tables(ta[fine], tb[fine], tc[fine], td[fine])
    out = p[inverse.reshape(-1)].reshape(a_.shape)
    return np.where((nf == 0) | (nr == 0), np.nan, out)


def _not_calculable_note(
    a: np.ndarray, nf: np.ndarray, c: np.ndarray, nr: np.ndarray
) -> np.ndarray:
    empty_f, empty_r, none_f, none_r = nf == 0, nr == 0, a == 0, c == 0
    # Order matters: an empty group is the deeper reason, so it wins over "no events".
    return _label(a.shape, [
        (empty_f & empty_r, "empty focal and reference groups"),
        (empty_f, "empty focal group"),
        (empty_r, "empty reference group"),
        (none_f & none_r, "no events in either group"),
        (none_f, "no events in the focal group"),
        (none_r, "no events in the reference group"),
    ])


def relative_likelihood(
    a: ArrayLike, n_f: ArrayLike, c: ArrayLike, n_r: ArrayLike, z: float = Z95
) -> RatioStats:
    """RL = (a/n_f)/(c/n_r) with its Katz log interval, Fisher p and significance.

    Not calculable (value and interval NaN, ``note`` says why) when either group
    is empty or has no events: RL would be 0, infinite or undefined.
    """
    a_, nf, c_, nr = _floats(a, n_f, c, n_r)
    _check_counts(a_, nf, allow_missing=False)
    _check_counts(c_, nr, allow_missing=False)
    calculable = (a_ > 0) & (c_ > 0)  # events > 0 implies a non-empty population
    with np.errstate(divide="ignore", invalid="ignore"):
        # a·n_r / (c·n_f) is one correctly rounded division of exact integer
        # products, so an RL of exactly 5/4 is 1.25 and of 4/5 is 0.80 — the
        # inclusive bounds then hold. (a/n_f)/(c/n_r) rounds three times and
        # lands one ulp outside for about a tenth of such tables (5/6 vs 2/3).
        value = (a_ * nr) / (c_ * nf)
        se = np.sqrt(1 / a_ - 1 / nf + 1 / c_ - 1 / nr)
        low, high = value * np.exp(-z * se), value * np.exp(z * se)
    value, low, high = (np.where(calculable, x, np.nan) for x in (value, low, high))
    excludes_one = (low > 1) | (high < 1)
    return RatioStats(
        value=value,
        ci_low=low,
        ci_high=high,
        p_value=fisher_p_value(a_, nf, c_, nr),
        calculable=calculable,
        note=_not_calculable_note(a_, nf, c_, nr),
        significant=_label(value.shape, [(~calculable, None), (excludes_one, True)], False),
    )


# --- assessment --------------------------------------------------------------


def assess_ratio(
    value: ArrayLike,
    calculable: ArrayLike,
    adverse: str,
    low: float = NON_ADVERSE_RANGE[0],
    high: float = NON_ADVERSE_RANGE[1],
) -> np.ndarray:
    """adverse / favourable / within range / not calculable for each ratio.

    ``adverse`` is the side of the range that is adverse ("high" or "low"). The
    range is inclusive and applied to the unrounded value.
    """
    if adverse not in ("high", "low"):
        raise ValueError(f"adverse must be 'high' or 'low', not {adverse!r}")
    v, ok = np.broadcast_arrays(np.asarray(value, dtype=float), np.asarray(calculable, dtype=bool))
    missing = ~ok | np.isnan(v)
    above, below = v > high, v < low
    bad, good = (above, below) if adverse == "high" else (below, above)
    return _label(v.shape, [
        (missing, NOT_CALCULABLE), (bad, ADVERSE), (good, FAVOURABLE),
    ], WITHIN_RANGE)


def assess_difference(value: ArrayLike, adverse_when_negative: bool) -> np.ndarray:
    """adverse when negative (indicators 9, 9a, 9b), else within range; None for
    indicator 1 (``adverse_when_negative`` False) and for a missing value."""
    (v,) = _floats(value)
    if not adverse_when_negative:
        return np.full(v.shape, None, dtype=object)
    return _label(v.shape, [(np.isnan(v), None), (v < 0, ADVERSE)], WITHIN_RANGE)


NO_SIGNIFICANT_DIFFERENCE = "no significant difference"


@dataclass(frozen=True)
class RateDifference:
    value: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    significant: np.ndarray  # object: True/False, None where not calculable
    calculable: np.ndarray


def newcombe_difference(a: ArrayLike, n_f: ArrayLike, c: ArrayLike, n_r: ArrayLike,
                        z: float = Z95) -> RateDifference:
    """p_f − p_r with the Newcombe (1998, method 10) hybrid-score interval built
    from the two Wilson intervals: d − sqrt((p_f − l_f)² + (u_r − p_r)²) to
    d + sqrt((u_f − p_f)² + (p_r − l_r)²). Not calculable (NaN) where either
    population is empty; significant when the interval excludes 0."""
    e_f, pop_f, e_r, pop_r = _floats(a, n_f, c, n_r)
    lf, uf = wilson_interval(e_f, pop_f, z)
    lr, ur = wilson_interval(e_r, pop_r, z)
    calculable = (pop_f > 0) & (pop_r > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pf = np.where(calculable, e_f / pop_f, np.nan)
        pr = np.where(calculable, e_r / pop_r, np.nan)
    d = pf - pr
    low = d - np.sqrt((pf - lf) ** 2 + (ur - pr) ** 2)
    high = d + np.sqrt((uf - pf) ** 2 + (pr - lr) ** 2)
    significant = np.where(calculable, (low > 0) | (high < 0), NONE).astype(object)
    return RateDifference(d, low, high, significant, calculable)


def assess_rate_difference(value: ArrayLike, significant: ArrayLike,
                           adverse: str) -> np.ndarray:
    """adverse / favourable when significant on that side (``adverse`` "high": a
    higher focal rate is adverse), else no significant difference; not calculable
    for a missing value."""
    if adverse not in ("high", "low"):
        raise ValueError(f"adverse must be 'high' or 'low', not {adverse!r}")
    (v,) = _floats(value)
    sig = np.asarray([bool(x) if x is not None else False for x in
                      np.asarray(significant, dtype=object).reshape(-1)]).reshape(v.shape)
    bad, good = (v > 0, v < 0) if adverse == "high" else (v < 0, v > 0)
    return _label(v.shape, [(np.isnan(v), NOT_CALCULABLE), (sig & bad, ADVERSE),
                            (sig & good, FAVOURABLE)], NO_SIGNIFICANT_DIFFERENCE)


# --- change between periods (methodology §6) ------------------------------------


def log_ratio_change_test(
    rl1: ArrayLike,
    low1: ArrayLike,
    high1: ArrayLike,
    rl2: ArrayLike,
    low2: ArrayLike,
    high2: ArrayLike,
    z: float = Z95,
) -> np.ndarray:
    """Two-sided p of a z-test on ln RL2 − ln RL1; NaN where either ratio is missing.

    Results files hold a ratio's value and interval but not its counts, so each
    Katz standard error is recovered from its interval: (ln high − ln low)/(2z).
    ``z`` must be the one the intervals were built with.
    """
    r1, l1, h1, r2, l2, h2 = _floats(rl1, low1, high1, rl2, low2, high2)
    usable = np.all([(x > 0) & np.isfinite(x) for x in (r1, l1, h1, r2, l2, h2)], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        se1 = (np.log(h1) - np.log(l1)) / (2 * z)
        se2 = (np.log(h2) - np.log(l2)) / (2 * z)
        se = np.sqrt(se1 * se1 + se2 * se2)
        stat = (np.log(r2) - np.log(r1)) / se
    # se == 0 only when both intervals are a point (everyone had the event): no test.
    return np.where(usable & (se > 0), _two_sided_normal_p(stat), np.nan)


def two_proportion_z_test(
    e1: ArrayLike, n1: ArrayLike, e2: ArrayLike, n2: ArrayLike
) -> np.ndarray:
    """Two-sided p of the pooled two-proportion z-test of e1/n1 against e2/n2.

    NaN where a count is missing (e.g. withheld), a population is empty, or the
    pooled rate is 0 or 1 (no variance, so no test).
    """
    x1, m1, x2, m2 = _floats(e1, n1, e2, n2)
    _check_counts(x1, m1, allow_missing=True)
    _check_counts(x2, m2, allow_missing=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (x1 + x2) / (m1 + m2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / m1 + 1 / m2))
        stat = (x1 / m1 - x2 / m2) / se
    defined = (m1 > 0) & (m2 > 0) & (se > 0)  # False wherever anything is NaN
    return np.where(defined, _two_sided_normal_p(stat), np.nan)


def holm_adjust(p_values: ArrayLike, families: ArrayLike) -> np.ndarray:
    """Holm's step-down adjustment of ``p_values`` within each family (methodology
    §3, "Many comparisons"): in a family of m p-values sorted ascending,
    p(i) becomes max over j <= i of min(1, (m - j + 1) · p(j)).

    ``families`` labels each p-value's family (any hashable per element). NaN
    p-values are not comparisons: they stay NaN and do not count towards m.
    """
    p = np.asarray(p_values, dtype=float)
    family = np.asarray(families, dtype=object)
    out = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    if not tested.any():
        return out
    codes = np.unique(family[tested].astype(str), return_inverse=True)[1]
    values = p[tested]
    # Families together, each in ascending p (lexsort: last key is the primary).
    order = np.lexsort((values, codes))
    sorted_codes, sorted_p = codes[order], values[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
    sizes = np.diff(np.r_[starts, len(sorted_p)])
    start_of = np.repeat(starts, sizes)
    rank = np.arange(len(sorted_p)) - start_of          # 0-based position in the family
    m = np.repeat(sizes, sizes)
    scaled = np.minimum(1.0, (m - rank) * sorted_p)
    adjusted = np.empty_like(scaled)
    for begin, size in zip(starts, sizes, strict=True):
        adjusted[begin:begin + size] = np.maximum.accumulate(scaled[begin:begin + size])
    result = np.empty_like(values)
    result[order] = adjusted
    out[tested] = result
    return out
