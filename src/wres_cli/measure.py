"""Measure: the counts cube -> result rows (contracts section 3), unsuppressed.

Works from the cube alone, so pooled counts (the sum of several organisations'
cubes) are measured exactly like one organisation's. Rows with the same
``indicator, breakdown, level, group`` are summed first: passing the
concatenated cubes of several organisations measures the pooled whole.

* ``rate`` and ``share`` rows: numerator = events, denominator = population,
  value = their proportion with a 95 % Wilson interval.
* ``relative_likelihood`` rows (rate indicators): every focal group against
  every reference group of the definition's ``[ratio]``, per breakdown level,
  with the Katz interval, Fisher's p and the assessment (methodology section 3).
* ``difference`` rows (share indicators): the group's share in the focal level
  minus its share in the ``against`` level or the population benchmark; no
  interval, no p-value.

Nothing is rounded and nothing is suppressed here (that is ``disclosure``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from wres_cli import stats
from wres_cli.config import Period
from wres_cli.contract import (
    BREAKDOWN_ORDER,
    GROUP_ORDER,
    MEASURE_ORDER,
    MINORITY_GROUPS,
    RESULT_COLUMNS,
)
from wres_cli.counts import ALL, CUBE_COLUMNS, NOT_RECORDED, OVERALL
from wres_cli.indicators import COMPOUND_SEPARATOR, DifferenceDef, IndicatorDef, RatioDef
from wres_cli.indicators import indicator_sort_key as _indicator_key

KEYS = ["indicator", "breakdown", "level", "group"]

EMPTY_GROUP = "no one in this group"
EMPTY_LEVEL = "no one in this level"

#: Where the non-group references sort, after the group codes.
_REFERENCE_ORDER = (*GROUP_ORDER, "workforce", "population")


def measure(cube: pd.DataFrame, indicators: Sequence[IndicatorDef], *, period: Period,
            standard: str, organisation: str | None,
            population_benchmark: Mapping[str, float] | None,
            grades_order: Sequence[str] | None = None) -> pd.DataFrame:
    """Result rows with exactly ``contract.RESULT_COLUMNS``, in contract row order,
    unsuppressed (``suppressed`` false) and unrounded.

    ``grades_order`` orders grade levels; when None they keep the order in which
    the cube lists them (``count`` writes them in ``[grades] order``, else sorted).
    Indicators absent from the cube (no data) write no rows.
    """
    cube = _summed(cube)
    by_id = {ind.id: ind for ind in indicators}
    kinds = cube["indicator"].map({i: ind.measure for i, ind in by_id.items()})
    parts = [_proportions(cube[kinds.notna()], kinds[kinds.notna()].to_numpy())]
    rate_indicators = [ind for ind in indicators if ind.measure == "rate" and ind.ratio]
    parts.append(_ratios(cube, rate_indicators))
    parts.extend(_rate_differences(cube[cube["indicator"] == ind.id], ind)
                 for ind in indicators if ind.measure == "rate" and ind.rate_difference)
    for ind in indicators:
        if ind.measure == "share" and ind.differences:
            sub = cube[cube["indicator"] == ind.id]
            if len(sub):
                parts.append(_differences(sub, ind, population_benchmark))
    parts = [p for p in parts if len(p)]
    rows = (pd.concat(parts, ignore_index=True) if parts
            else pd.DataFrame({c: [] for c in _ROW_FIELDS}))
    rows = _finish(rows, period=period, standard=standard, organisation=organisation)
    return _sort(rows, cube, indicators, grades_order)


# --------------------------------------------------------------------------- rows

_ROW_FIELDS = ("indicator", "measure", "breakdown", "level", "group", "reference",
               "numerator", "denominator", "value", "ci_low", "ci_high", "p_value",
               "assessment", "significant", "note")


def _summed(cube: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in CUBE_COLUMNS if c not in cube.columns]
    if missing:
        raise ValueError(f"the counts cube lacks column(s) {missing}")
    keys = cube[KEYS].astype(str)
    frame = pd.concat([keys, cube[["population", "events"]].astype("int64")], axis=1)
    return frame.groupby(KEYS, sort=False, as_index=False)[["population", "events"]].sum()


def _proportions(sub: pd.DataFrame, kinds: np.ndarray) -> pd.DataFrame:
    """``rate`` or ``share`` rows: events / population with a Wilson interval."""
    events = sub["events"].to_numpy(dtype=float)
    population = sub["population"].to_numpy(dtype=float)
    low, high = stats.wilson_interval(events, population)
    empty = population == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(empty, np.nan, events / population)
    note = np.where(empty, np.where(kinds == "rate", EMPTY_GROUP, EMPTY_LEVEL), stats.NONE)
    n = len(sub)
    return pd.DataFrame({
        "indicator": sub["indicator"].to_numpy(), "measure": kinds,
        "breakdown": sub["breakdown"].to_numpy(), "level": sub["level"].to_numpy(),
        "group": sub["group"].to_numpy(), "reference": [None] * n,
        "numerator": sub["events"].to_numpy(), "denominator": sub["population"].to_numpy(),
        "value": value, "ci_low": low, "ci_high": high, "p_value": np.full(n, np.nan),
        "assessment": [None] * n, "significant": [None] * n, "note": note,
    })


def _wide(sub: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The (breakdown, level) pairs of ``sub`` in order of appearance, and its
    population and events as (pair x GROUP_ORDER) arrays; absent cells are 0."""
    codes, pairs = pd.MultiIndex.from_frame(sub[["breakdown", "level"]]).factorize()
    group = pd.Index(list(GROUP_ORDER)).get_indexer(sub["group"])
    keep = group >= 0
    shape = (len(pairs), len(GROUP_ORDER))
    people, events = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    np.add.at(people, (codes[keep], group[keep]), sub["population"].to_numpy()[keep])
    np.add.at(events, (codes[keep], group[keep]), sub["events"].to_numpy()[keep])
    return pairs.to_frame(index=False, name=["breakdown", "level"]), people, events


def _ratios(cube: pd.DataFrame, indicators: Sequence[IndicatorDef]) -> pd.DataFrame:
    """Relative likelihood rows of every rate indicator, with one call to the
    statistics for all of them."""
    cols: dict[str, list[np.ndarray]] = {k: [] for k in (
        "indicator", "breakdown", "level", "group", "reference", "a", "nf", "c", "nr")}
    assessed: list[tuple[int, int, RatioDef]] = []
    done = 0
    for ind in indicators:
        ratio = ind.ratio
        assert ratio is not None
        sub = cube[cube["indicator"] == ind.id]
        if sub.empty:
            continue
        pairs, people, events = _wide(sub)
        n = len(pairs)
        # A published breakdown (survey_summary) may give only some groups: no
        # ratio of a group that is not there at all.
        present = set(sub["group"])
        compared = [(f, r) for f, r in ratio.pairs if f in present and r in present]
        for focal, reference in compared:
            f, r = GROUP_ORDER.index(focal), GROUP_ORDER.index(reference)
            for key, value in (("indicator", ind.id), ("group", focal),
                               ("reference", reference)):
                cols[key].append(np.full(n, value, dtype=object))
            cols["breakdown"].append(pairs["breakdown"].to_numpy(dtype=object))
            cols["level"].append(pairs["level"].to_numpy(dtype=object))
            for key, table, g in (("a", events, f), ("nf", people, f), ("c", events, r),
                                  ("nr", people, r)):
                cols[key].append(table[:, g])
        assessed.append((done, done + n * len(compared), ratio))
        done += n * len(compared)
    if not done:
        return pd.DataFrame(columns=list(_ROW_FIELDS))
    flat = {k: np.concatenate(v) for k, v in cols.items()}
    result = stats.relative_likelihood(flat["a"], flat["nf"], flat["c"], flat["nr"])
    assessment = np.empty(done, dtype=object)
    for lo, hi, ratio in assessed:
        assessment[lo:hi] = stats.assess_ratio(result.value[lo:hi], result.calculable[lo:hi],
                                               ratio.adverse, ratio.low, ratio.high)
        if not ratio.assessed:  # no range: only "not calculable" is said
            judged = assessment[lo:hi]
            assessment[lo:hi] = np.where(judged == stats.NOT_CALCULABLE, judged, stats.NONE)
    nothing = np.full(done, None, dtype=object)
    return pd.DataFrame({
        "indicator": flat["indicator"], "measure": "relative_likelihood",
        "breakdown": flat["breakdown"], "level": flat["level"], "group": flat["group"],
        "reference": flat["reference"], "numerator": nothing, "denominator": nothing,
        "value": result.value, "ci_low": result.ci_low, "ci_high": result.ci_high,
        "p_value": result.p_value, "assessment": assessment,
        "significant": result.significant,
        "note": np.where(result.calculable, stats.NONE, result.note),
    })


def _rate_differences(sub: pd.DataFrame, ind: IndicatorDef) -> pd.DataFrame:
    """``difference`` rows of a rate indicator (NHS 5-8): the group's rate minus
    the reference's at every breakdown level, with the Newcombe interval."""
    d = ind.rate_difference
    assert d is not None
    if sub.empty or not {d.group, d.reference} <= set(sub["group"]):
        return pd.DataFrame(columns=list(_ROW_FIELDS))
    pairs, people, events = _wide(sub)
    f, r = GROUP_ORDER.index(d.group), GROUP_ORDER.index(d.reference)
    result = stats.newcombe_difference(events[:, f], people[:, f], events[:, r], people[:, r])
    n = len(pairs)
    empty_note = np.where(people[:, f] == 0, f"no one in the {d.group} group",
                          f"no one in the {d.reference} group")
    nothing = np.full(n, None, dtype=object)
    return pd.DataFrame({
        "indicator": ind.id, "measure": "difference",
        "breakdown": pairs["breakdown"].to_numpy(dtype=object),
        "level": pairs["level"].to_numpy(dtype=object), "group": d.group,
        "reference": d.reference, "numerator": nothing, "denominator": nothing,
        "value": result.value, "ci_low": result.ci_low, "ci_high": result.ci_high,
        "p_value": np.full(n, np.nan),
        "assessment": stats.assess_rate_difference(result.value, result.significant,
                                                   d.adverse),
        "significant": result.significant,
        "note": np.where(result.calculable, stats.NONE, empty_note),
    })


def benchmark_share(benchmark: Mapping[str, float] | None, group: str) -> float | None:
    """A group's share of the population benchmark; minority = 1 − white
    (or the sum of the four minority groups when white is not given)."""
    if not benchmark:
        return None
    if group == "minority":
        if "white" in benchmark:
            return 1.0 - float(benchmark["white"])
        if all(g in benchmark for g in MINORITY_GROUPS):
            return float(sum(benchmark[g] for g in MINORITY_GROUPS))
        return None
    value = benchmark.get(group)
    return None if value is None else float(value)


def _differences(sub: pd.DataFrame, ind: IndicatorDef,
                 benchmark: Mapping[str, float] | None) -> pd.DataFrame:
    counts = {(b, lv, g): (e, p) for b, lv, g, p, e in sub[
        ["breakdown", "level", "group", "population", "events"]].itertuples(index=False)}
    rows: list[dict[str, Any]] = []
    for d in ind.differences:
        rows.extend(_difference_rows(d, ind, sub, counts, benchmark))
    return pd.DataFrame(rows, columns=list(_ROW_FIELDS))


def _difference_rows(d: DifferenceDef, ind: IndicatorDef, sub: pd.DataFrame,
                     counts: Mapping[tuple[str, str, str], tuple[int, int]],
                     benchmark: Mapping[str, float] | None) -> list[dict[str, Any]]:
    if d.focal_level is None:
        levels = list(dict.fromkeys(sub.loc[sub["breakdown"] == d.focal_breakdown, "level"]))
        where = [(d.focal_breakdown, lv, d.focal_breakdown, lv) for lv in levels]
    else:
        if (d.focal_breakdown, d.focal_level, d.group) not in counts:
            return []
        where = [(d.focal_breakdown, d.focal_level, OVERALL, ALL)]
    if d.against_breakdown is None:
        against_share = benchmark_share(benchmark, d.group)
        if against_share is None:
            return []
        against_note = None
    else:
        against_share, against_note = _share(counts, d.against_breakdown, d.against_level,
                                              d.group)
    out = []
    for fb, fl, ob, ol in where:
        focal_share, note = _share(counts, fb, fl, d.group)
        note = note or against_note
        value = (np.nan if focal_share is None or against_share is None
                 else focal_share - against_share)
        assessment = stats.assess_difference([value], d.adverse_when_negative)[0]
        if np.isnan(value):
            assessment = stats.NOT_CALCULABLE
        out.append({
            "indicator": ind.id, "measure": "difference", "breakdown": ob, "level": ol,
            "group": d.group, "reference": d.reference, "numerator": None,
            "denominator": None, "value": value, "ci_low": np.nan, "ci_high": np.nan,
            "p_value": np.nan, "assessment": assessment, "significant": None, "note": note,
        })
    return out


def _share(counts: Mapping[tuple[str, str, str], tuple[int, int]], breakdown: str,
           level: str | None, group: str) -> tuple[float | None, str | None]:
    found = counts.get((breakdown, str(level), group))
    if found is None:
        return None, f"no counts for {breakdown} {level}"
    events, population = found
    if population == 0:
        return None, f"no one in {breakdown} {level}" if breakdown != OVERALL else EMPTY_LEVEL
    return events / population, None


# --------------------------------------------------------------------------- finish


def _finish(rows: pd.DataFrame, *, period: Period, standard: str,
            organisation: str | None) -> pd.DataFrame:
    n = len(rows)
    if organisation is not None:
        org = pd.Series([organisation] * n, dtype=str)
    else:
        # No organisation configured: a row broken down by organisation names it.
        org = pd.Series(np.where(rows["breakdown"].to_numpy() == "organisation",
                                 rows["level"].to_numpy(), None), dtype=str)
    text = ("indicator", "measure", "breakdown", "level", "group", "reference", "assessment",
            "note")
    out = pd.DataFrame({
        "organisation": org,
        "period_start": pd.Series([period.start.isoformat()] * n, dtype=str),
        "period_end": pd.Series([period.end.isoformat()] * n, dtype=str),
        "standard": pd.Series([standard] * n, dtype=str),
        **{c: pd.Series(rows[c].to_numpy(), dtype=str) for c in text if c != "note"},
        "numerator": pd.Series(rows["numerator"].to_numpy(), dtype="Int64"),
        "denominator": pd.Series(rows["denominator"].to_numpy(), dtype="Int64"),
        **{c: pd.Series(rows[c].to_numpy(), dtype="float64")
           for c in ("value", "ci_low", "ci_high", "p_value")},
        # Filled after withholding, over the published levels (adjust_breakdowns).
        "p_adjusted": pd.Series(np.full(n, np.nan)),
        "significant": pd.Series(rows["significant"].to_numpy(), dtype="boolean"),
        "suppressed": pd.Series(np.zeros(n, dtype=bool)),
        "note": pd.Series(rows["note"].to_numpy(), dtype=str),
    })
    return out[list(RESULT_COLUMNS)]


# --------------------------------------------------------------------------- order


def _breakdown_key(breakdown: str) -> tuple[int, str]:
    if breakdown in BREAKDOWN_ORDER:
        return (BREAKDOWN_ORDER.index(breakdown), "")
    if COMPOUND_SEPARATOR in breakdown:
        return (len(BREAKDOWN_ORDER) + 1, breakdown)
    return (len(BREAKDOWN_ORDER), breakdown)


def _split(level: str, n: int, known: Sequence[set[str]]) -> tuple[str, ...]:
    """A compound level back into its n parts, preferring the split whose parts are
    known values of their dimensions (values may themselves contain "+")."""
    cuts = [i for i, ch in enumerate(level) if ch == COMPOUND_SEPARATOR]
    best, best_score = None, -1
    for chosen in itertools.combinations(cuts, n - 1):
        bounds = [-1, *chosen, len(level)]
        parts = tuple(level[bounds[i] + 1:bounds[i + 1]] for i in range(n))
        score = sum(p in k for p, k in zip(parts, known, strict=True))
        if score > best_score:
            best, best_score = parts, score
    if best is None:
        return (*level.split(COMPOUND_SEPARATOR, n - 1), *[""] * n)[:n]
    return best


def _level_ranks(cube: pd.DataFrame, indicators: Sequence[IndicatorDef],
                 grades_order: Sequence[str] | None) -> dict[tuple[str, str, str], int]:
    """(indicator, breakdown, level) -> rank in contract row order."""
    by_id = {i.id: i for i in indicators}
    ranks: dict[tuple[str, str, str], int] = {}
    triples = cube[["indicator", "breakdown", "level"]].drop_duplicates()
    for ind_id, frame in triples.groupby("indicator", sort=False):
        ind = by_id.get(str(ind_id))
        named = ind.named_levels if ind is not None else {}
        levels_of = {b: list(f["level"]) for b, f in frame.groupby("breakdown", sort=False)}
        if grades_order:
            grade_rank = {g: i for i, g in enumerate(grades_order)}
        else:
            grade_rank = {g: i for i, g in enumerate(levels_of.get("grade", []))}

        band_rank = {b: i for i, b in enumerate(levels_of.get("band", []))}

        def part_key(dim: str, value: str, grade_rank: dict[str, int] = grade_rank,
                     band_rank: dict[str, int] = band_rank) -> tuple[Any, ...]:
            if dim == "grade":
                rank = grade_rank.get(value, len(grade_rank))
            elif dim == "band":  # as ``count`` lists them: [grades.bands] order
                rank = band_rank.get(value, len(band_rank))
            else:
                rank = 0
            return (value == NOT_RECORDED, rank, value)

        for breakdown, levels in levels_of.items():
            keys: dict[str, tuple[Any, ...]]
            if breakdown in named:
                fixed = named[breakdown]
                keys = {lv: (fixed.index(lv) if lv in fixed else len(fixed), lv)
                        for lv in levels}
            elif COMPOUND_SEPARATOR in breakdown:
                dims = breakdown.split(COMPOUND_SEPARATOR)
                known = [set(levels_of.get(d, ())) | (set(grade_rank) if d == "grade" else set())
                         for d in dims]
                keys = {lv: tuple(part_key(d, p) for d, p in
                                  zip(dims, _split(lv, len(dims), known), strict=True))
                        for lv in levels}
            else:
                keys = {lv: part_key(breakdown, lv) for lv in levels}
            for i, lv in enumerate(sorted(levels, key=keys.__getitem__)):
                ranks[(str(ind_id), breakdown, lv)] = i
    return ranks


def _sort(rows: pd.DataFrame, cube: pd.DataFrame, indicators: Sequence[IndicatorDef],
          grades_order: Sequence[str] | None) -> pd.DataFrame:
    if rows.empty:
        return rows.reset_index(drop=True)
    ranks = _level_ranks(cube, indicators, grades_order)
    ind_ids = sorted(set(rows["indicator"]), key=_indicator_key)
    breakdowns = sorted(set(rows["breakdown"]), key=_breakdown_key)
    refs = rows["reference"].fillna("")
    ref_values = sorted(set(refs), key=lambda r: (
        r != "", _REFERENCE_ORDER.index(r) if r in _REFERENCE_ORDER else len(_REFERENCE_ORDER),
        r))
    level_rank = [ranks.get((i, b, lv), -1) if b != OVERALL else -1
                  for i, b, lv in zip(rows["indicator"], rows["breakdown"], rows["level"],
                                      strict=True)]
    keys = pd.DataFrame({
        "i": rows["indicator"].map({v: k for k, v in enumerate(ind_ids)}),
        "m": rows["measure"].map({v: k for k, v in enumerate(MEASURE_ORDER)}),
        "b": rows["breakdown"].map({v: k for k, v in enumerate(breakdowns)}),
        "l": level_rank,
        "g": rows["group"].map({v: k for k, v in enumerate(GROUP_ORDER)}),
        "r": refs.map({v: k for k, v in enumerate(ref_values)}),
    })
    order = keys.sort_values(list(keys.columns), kind="mergesort").index
    return rows.loc[order].reset_index(drop=True)


#: The columns that name one breakdown table of one comparison (methodology §3).
_TABLE = ("period_start", "period_end", "standard", "indicator", "breakdown", "group",
          "reference")


def adjust_breakdowns(rows: pd.DataFrame, *, by_organisation: bool = False) -> pd.DataFrame:
    """``rows`` with ``p_adjusted``: Holm's adjustment of the Fisher p-values of
    the ratio rows outside ``overall``, over the levels of one table (indicator,
    breakdown, group, reference, within one organisation and period).

    Called after withholding, so a withheld row (its p-value blanked) is not in
    the family and nothing of it shows through; under ``--no-suppress`` nothing
    is withheld and every level counts. ``overall`` and non-ratio rows stay empty.

    ``by_organisation``: rows of several organisations' runs (benchmark output),
    one family per organisation. One run's rows are one organisation's, even when
    a breakdown by organisation names each level in ``organisation``.
    """
    out = rows.copy()
    if out.empty:
        out["p_adjusted"] = pd.Series(dtype="float64")
        return out
    eligible = ((out["measure"] == "relative_likelihood") & (out["breakdown"] != "overall")
                & ~out["suppressed"].astype(bool)).to_numpy()
    p = np.where(eligible, out["p_value"].to_numpy(dtype=float, na_value=np.nan), np.nan)
    organisation = (out["organisation"].astype(object).fillna("").astype(str)
                    if by_organisation else pd.Series("", index=out.index))
    family = organisation.str.cat([out[c].astype(str) for c in _TABLE], sep="\x1f")
    out["p_adjusted"] = stats.holm_adjust(p, family.to_numpy())
    return out[[*RESULT_COLUMNS, *[c for c in out.columns if c not in RESULT_COLUMNS]]]
