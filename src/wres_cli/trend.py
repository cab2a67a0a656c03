"""Trend: several periods' ``results.json`` -> ``trend.csv`` and one chart per indicator.

Methodology section 6. Values come from each period's results unchanged: the
trend never recomputes a figure, so what it shows for a period is exactly what
was published for it (suppression included). Each row gains the change from the
previous period, and a test of that change only where the two periods do not
overlap (rolling periods share most of their people, so a test between them
would claim independence that is not there):

* ratios: a z-test on ln RL2 − ln RL1, with each Katz standard error recovered
  from its published interval (``stats.log_ratio_change_test``);
* rates and shares: the two-proportion z-test on the published numerators and
  denominators (``stats.two_proportion_z_test``);
* differences: no test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wres_cli import stats
from wres_cli.contract import (
    BREAKDOWN_ORDER,
    GROUP_ORDER,
    MEASURE_ORDER,
)
from wres_cli.errors import InputError, UsageError
from wres_cli.indicators import indicator_sort_key
from wres_cli.io.results import describe_period, in_period_order, period_of, read_results

#: What identifies one series: the same figure in every period.
KEY = ["organisation", "standard", "indicator", "measure", "breakdown", "level", "group",
       "reference"]

#: Columns of ``trend.csv``, in order.
TREND_COLUMNS = (
    *KEY, "period_start", "period_end", "numerator", "denominator", "value", "ci_low",
    "ci_high", "assessment", "suppressed", "previous_period_end", "change", "change_ratio",
    "change_p_value", "change_note",
)

NO_PREVIOUS = "no previous period"
NOT_BEFORE = "not in the previous period"
WITHHELD = "withheld"
NO_VALUE = "no value in this or the previous period"
OVERLAP = "periods overlap: not tested"
DIFFERENCE = "differences are not tested"
UNTESTABLE = "no test possible: no variation"
PAY_UNTESTED = "pay figures are not tested"
#: The pay gap's own measures: an indicator with rows of them is a pay gap one.
_PAY_MEASURES = ("mean_hourly_pay", "median_hourly_pay", "pay_gap_mean", "pay_gap_median",
                 "mean_bonus", "median_bonus", "pay_gap_bonus_mean", "pay_gap_bonus_median")
#: Measures in results order: the standards' four, then the pay gap's own.
_MEASURES = (*MEASURE_ORDER, *_PAY_MEASURES)

_FLOATS = ("value", "ci_low", "ci_high")
_COUNTS = ("numerator", "denominator")
_TEXT = (*KEY, "period_start", "period_end", "assessment")
#: Where the non-group references sort, after the group codes (as in results).
_REFERENCES = (None, *GROUP_ORDER, "workforce", "population")


# --------------------------------------------------------------------------- building


def build_trend(documents: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per series (``KEY``) and period, with the change from the previous
    period; columns ``TREND_COLUMNS``. Documents may come in any order; they must
    be for one organisation and one standard, each period once."""
    if not documents:
        raise UsageError("trend needs at least one results.json")
    ordered = in_period_order(documents)
    periods = [period_of(d) for d in ordered]
    frames = [_rows(d).assign(_p=i) for i, d in enumerate(ordered)]
    rows = pd.concat(frames, ignore_index=True)
    _refuse_duplicate_rows(rows, periods)
    rows = _with_previous(rows)
    rows = _changes(rows, periods)
    return _sorted(rows)[list(TREND_COLUMNS)].reset_index(drop=True)


def _rows(document: Mapping[str, Any]) -> pd.DataFrame:
    """A document's result rows with their published values, typed, unchanged."""
    records = document["results"]
    column = {c: [r[c] for r in records] for c in (*_TEXT, *_FLOATS, *_COUNTS, "suppressed")}
    frame = {c: pd.Series(column[c], dtype=str) for c in _TEXT}
    # JSON numbers were written with repr, so float() gives back the same double.
    frame |= {c: pd.Series(column[c], dtype="float64") for c in _FLOATS}
    frame |= {c: _counts(column[c]) for c in _COUNTS}
    frame["suppressed"] = pd.Series([v is True for v in column["suppressed"]], dtype=bool)
    return pd.DataFrame(frame)


def _counts(values: list[Any]) -> pd.Series:
    """Counts as published: whole numbers as nullable integers; with a fraction among
    them (pay quartile shares share out ties), ints and floats side by side, so each
    is written back as it was."""
    if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values):
        return pd.Series(pd.array(values, dtype="Int64"))
    return pd.Series([pd.NA if v is None else v for v in values], dtype=object)


def _key_frame(rows: pd.DataFrame) -> pd.DataFrame:
    # Missing text (no reference) must still match itself across periods.
    return rows[KEY].fillna("").astype(object)


def _refuse_duplicate_rows(rows: pd.DataFrame, periods: Sequence[tuple[date, date]]) -> None:
    keyed = _key_frame(rows).assign(_p=rows["_p"])
    twice = keyed.duplicated(keep=False)
    if twice.any():
        first = keyed[twice].iloc[0]
        raise InputError(f"results for {describe_period(periods[int(first['_p'])])} list the "
                         f"same row twice (indicator {first['indicator']}, {first['measure']}, "
                         f"{first['breakdown']} {first['level']}, {first['group']})")


def _with_previous(rows: pd.DataFrame) -> pd.DataFrame:
    """Each row beside the same series' row of the period before (``prev_*``)."""
    keyed = _key_frame(rows)
    previous = pd.concat([keyed, rows[["_p", *_FLOATS, *_COUNTS, "suppressed"]]], axis=1)
    previous = previous.assign(_p=previous["_p"] + 1, _found=True)
    previous = previous.rename(columns={c: f"prev_{c}" for c in
                                        (*_FLOATS, *_COUNTS, "suppressed")})
    merged = pd.concat([keyed.add_prefix("_k_"), rows["_p"]], axis=1).merge(
        previous.rename(columns={c: f"_k_{c}" for c in KEY}), how="left",
        on=[*(f"_k_{c}" for c in KEY), "_p"], validate="one_to_one")
    merged.index = rows.index
    extra = merged.drop(columns=[*(f"_k_{c}" for c in KEY), "_p"])
    extra["_found"] = extra["_found"].astype("boolean").fillna(False).astype(bool)
    return pd.concat([rows, extra], axis=1)


def _changes(rows: pd.DataFrame, periods: Sequence[tuple[date, date]]) -> pd.DataFrame:
    period = rows["_p"].to_numpy()
    ends = np.array([p[1].isoformat() for p in periods], dtype=object)
    # Two periods overlap when each starts on or before the other ends.
    apart = np.array([False] + [periods[i - 1][1] < periods[i][0]
                                for i in range(1, len(periods))])[period]
    found = rows["_found"].to_numpy()
    withheld = found & (rows["suppressed"].to_numpy()
                        | rows["prev_suppressed"].fillna(False).to_numpy(dtype=bool))
    value, before = rows["value"].to_numpy(), rows["prev_value"].to_numpy(dtype=float)
    valued = found & ~withheld & ~np.isnan(value) & ~np.isnan(before)
    measure = rows["measure"].to_numpy()
    ratio = measure == "relative_likelihood"
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(valued, value - before, np.nan)
        change_ratio = np.where(valued & ratio, value / before, np.nan)
    p_value = np.where(valued & apart, _p_values(rows, ratio), np.nan)
    pay = _of_pay_gap_indicators(rows).to_numpy()
    note = np.select(
        [~found & (period == 0), ~found, withheld, ~valued, ~apart,
         measure == "difference", pay, np.isnan(p_value)],
        [NO_PREVIOUS, NOT_BEFORE, WITHHELD, NO_VALUE, OVERLAP, DIFFERENCE, PAY_UNTESTED,
         UNTESTABLE],
        default=stats.NONE)
    return rows.assign(
        previous_period_end=pd.Series(np.where(period > 0, ends[period - 1], None),
                                      index=rows.index, dtype=str),
        change=change, change_ratio=change_ratio, change_p_value=p_value,
        change_note=pd.Series(note, index=rows.index, dtype=str))


def _p_values(rows: pd.DataFrame, ratio: np.ndarray) -> np.ndarray:
    """The test of change each row's measure takes (NaN where it takes none)."""
    floats = {c: rows[c].to_numpy(dtype=float) for c in (*_FLOATS, *(f"prev_{c}" for c in
                                                                    _FLOATS))}
    counts = {c: rows[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
              for c in (*_COUNTS, *(f"prev_{c}" for c in _COUNTS))}
    of_ratios = stats.log_ratio_change_test(
        floats["prev_value"], floats["prev_ci_low"], floats["prev_ci_high"],
        floats["value"], floats["ci_low"], floats["ci_high"])
    # Pay quartile shares and bonus rates describe one snapshot's ranking: no test
    # (and their counts can be fractions, which the test rejects).
    proportion = (rows["measure"].isin(["rate", "share"])
                  & ~_of_pay_gap_indicators(rows)).to_numpy()
    counts = {c: np.where(proportion, v, np.nan) for c, v in counts.items()}
    of_proportions = stats.two_proportion_z_test(
        counts["prev_numerator"], counts["prev_denominator"],
        counts["numerator"], counts["denominator"])
    return np.where(ratio, of_ratios, np.where(proportion, of_proportions, np.nan))


def _of_pay_gap_indicators(rows: pd.DataFrame) -> pd.Series:
    """The rows of pay gap indicators (those with rows of the pay gap's measures),
    shares and rates included: found from the results, not from an indicator id."""
    pay = rows.loc[rows["measure"].isin(_PAY_MEASURES), "indicator"].unique()
    return rows["indicator"].isin(pay)


def _rank(values: pd.Series, order: Sequence[Any]) -> pd.Series:
    """Position of each value in ``order`` (a missing value is None there); unknown last."""
    ranks = values.map({v: i for i, v in enumerate(order) if v is not None})
    if None in order:
        ranks = ranks.mask(values.isna(), list(order).index(None))
    return ranks.fillna(len(order))


def _sorted(rows: pd.DataFrame) -> pd.DataFrame:
    """Each series' periods together, series in results order: organisation,
    indicator, measure, breakdown, level (as the latest period lists them),
    group, reference; then period."""
    latest_first = rows.sort_values("_p", ascending=False, kind="mergesort")
    level_codes = pd.MultiIndex.from_frame(
        latest_first[["indicator", "breakdown", "level"]].astype(object)).factorize()[0]
    level_rank = pd.Series(level_codes, index=latest_first.index).reindex(rows.index)
    indicators = sorted(rows["indicator"].unique(), key=indicator_sort_key)
    breakdowns = sorted(rows["breakdown"].unique(), key=_breakdown_key)
    keys = pd.DataFrame({
        "o": pd.factorize(rows["organisation"].fillna(""))[0],
        "i": _rank(rows["indicator"], indicators),
        "m": _rank(rows["measure"], _MEASURES),
        "b": _rank(rows["breakdown"], breakdowns),
        "l": level_rank,
        "g": _rank(rows["group"], GROUP_ORDER),
        "r": _rank(rows["reference"], _REFERENCES),
        "p": rows["_p"],
    }, index=rows.index)
    return rows.loc[keys.sort_values(list(keys.columns), kind="mergesort").index]


def _breakdown_key(breakdown: str) -> tuple[int, str]:
    if breakdown in BREAKDOWN_ORDER:
        return (BREAKDOWN_ORDER.index(breakdown), "")
    return (len(BREAKDOWN_ORDER) + ("+" in breakdown), breakdown)


# --------------------------------------------------------------------------- the charts' series


def headline(trend: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's headline series (one row per period): the overall
    minority/White relative likelihood; for share indicators the overall
    minority difference against the workforce, else the overall minority share.
    A pooled series (benchmark results) is preferred to a single organisation's."""
    overall = _one_organisation(trend[(trend["breakdown"] == "overall")
                                      & (trend["level"] == "all")])
    measure, group = overall["measure"], overall["group"]
    pair = group.isin(["minority", "white"]) & overall["reference"].isin(["minority", "white"])
    preference = pd.Series(np.select(
        [((measure == "relative_likelihood") & pair)
         | ((measure == "pay_gap_median") & (group == "minority")),
         (measure == "difference") & (group == "minority")
         & (overall["reference"] == "workforce"),
         (measure == "share") & (group == "minority")],
        [0, 1, 2], default=3), index=overall.index)
    best = preference.groupby(overall["indicator"]).transform("min")
    chosen = overall[(preference == best) & (preference < 3)]
    # One series per indicator: the first focal/reference pair listed.
    series = chosen["group"] + "/" + chosen["reference"].fillna("")
    return chosen[series == series.groupby(chosen["indicator"]).transform("first")]


def _one_organisation(rows: pd.DataFrame) -> pd.DataFrame:
    names = rows["organisation"].fillna("")
    if (names == "pooled").any():
        return rows[names == "pooled"]
    return rows[names == names.iloc[0]] if len(rows) else rows


def short_titles(trend: pd.DataFrame,
                 documents: Sequence[Mapping[str, Any]] = ()) -> dict[str, str]:
    """Indicator id -> short title, for the trend charts' titles."""
    from wres_cli.indicator_files import load_indicators
    from wres_cli.local import definitions_from_meta

    # Local measures' titles from the results files that record them.
    local = {i.id: i.short or i.title for d in documents
             for i in definitions_from_meta(d.get("meta") or {})}

    standards = trend["standard"].dropna().unique()
    if len(standards) != 1:
        return {}
    try:
        return {**local, **{i.id: i.short or i.title
                            for i in load_indicators(str(standards[0]))}}
    except Exception:  # a chart title is not worth failing for
        return local


# --------------------------------------------------------------------------- writing


def write_trend(paths: Sequence[Path], out: Path) -> list[Path]:
    """``OUT/trend.csv`` and ``OUT/charts/trend-<indicator>.svg``, written atomically."""
    documents = [read_results(Path(p)) for p in paths]
    return write_trend_rows(build_trend(documents), documents, out, paths)


def write_trend_rows(trend: pd.DataFrame, documents: Sequence[Mapping[str, Any]], out: Path,
                     inputs: Sequence[Path] = ()) -> list[Path]:
    """As ``write_trend``, for the trend (``build_trend``) of results documents
    already read from ``inputs`` (which no output may overwrite)."""
    from wres_cli.charts.trend import trend_charts
    from wres_cli.io.writers import frame_to_csv_text, output_folder

    latest = max(documents, key=lambda d: period_of(d)[::-1])
    labels = {k: v for k, v in (latest["meta"].get("labels") or {}).items()
              if isinstance(v, str)}
    charts = trend_charts(headline(trend), short_titles(trend, documents), labels)
    with output_folder(Path(out), [Path(p) for p in inputs]) as folder:
        written = [folder.write_text("trend.csv", frame_to_csv_text(trend))]
        written += [folder.write_text(f"charts/{name}.svg", svg) for name, svg in charts.items()]
    return written
