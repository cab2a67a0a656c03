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
from wres_cli.config import DEFAULT_LABELS
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
#: The pay gap's own measures: an indicator with any of them is a pay indicator.
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
    pay = _of_pay_indicators(rows).to_numpy()
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


def _of_pay_indicators(rows: pd.DataFrame) -> pd.Series:
    """Rows of a pay indicator (its quartile shares and bonus rates too), known by its
    rows: an indicator with a pay measure among them."""
    pay_ids = rows.loc[rows["measure"].isin(_PAY_MEASURES), "indicator"].unique()
    return rows["indicator"].isin(pay_ids)


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
                  & ~_of_pay_indicators(rows)).to_numpy()
    counts = {c: np.where(proportion, v, np.nan) for c, v in counts.items()}
    of_proportions = stats.two_proportion_z_test(
        counts["prev_numerator"], counts["prev_denominator"],
        counts["numerator"], counts["denominator"])
    return np.where(ratio, of_ratios, np.where(proportion, of_proportions, np.nan))


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


# --------------------------------------------------------------------------- charts


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


def trend_charts(trend: pd.DataFrame, labels: Mapping[str, str],
                 documents: Sequence[Mapping[str, Any]] = ()) -> dict[str, str]:
    """Chart name (``trend-<indicator>``) -> SVG, one per indicator with a headline
    series: its value per period with interval bars; ratios on a log scale over
    the non-adverse range 0.80–1.25."""
    titles = _short_titles(trend, documents)
    names = {**DEFAULT_LABELS, **labels}
    charts = {}
    for indicator, series in headline(trend).groupby("indicator", sort=False):
        if series["value"].isna().all():
            continue  # withheld or empty in every period: the table says so, no empty chart
        charts[f"trend-{indicator}"] = _trend_chart(series, titles.get(str(indicator)), names)
    return charts


def _short_titles(trend: pd.DataFrame,
                  documents: Sequence[Mapping[str, Any]] = ()) -> dict[str, str]:
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


def _trend_chart(series: pd.DataFrame, short: str | None, labels: Mapping[str, str]) -> str:
    from wres_cli.svg import GRID, INK, PALETTE, figure_to_svg, new_figure

    first = series.iloc[0]
    measure, group, reference = first["measure"], first["group"], first["reference"]
    title = f"Indicator {first['indicator']}" + (f" ({short})" if short else "")
    subject = _subject(measure, labels.get(group, group),
                       labels.get(reference, reference) if isinstance(reference, str) else "")
    figure = new_figure(7.0, 3.4)
    ax = figure.add_subplot()
    x = np.arange(len(series))
    # Ratios as they are; proportions and differences in percent (points).
    scale = 1.0 if measure == "relative_likelihood" else 100.0
    value, low, high = (series[c].to_numpy(dtype=float) * scale
                        for c in ("value", "ci_low", "ci_high"))
    if measure == "relative_likelihood":
        _ratio_axis(ax, np.concatenate([value, low, high]))
    elif measure in ("difference", "pay_gap_median"):
        ax.axhline(0.0, color=GRID, linewidth=1, zorder=1)
    colour = PALETTE.get(group, INK)
    shown = ~np.isnan(value)
    bars = shown & ~np.isnan(low) & ~np.isnan(high)
    ax.errorbar(x[bars], value[bars], yerr=[value[bars] - low[bars], high[bars] - value[bars]],
                fmt="none", ecolor=GRID, elinewidth=1.2, capsize=4, zorder=2)
    ax.plot(x[shown], value[shown], color=GRID, linewidth=1.2, zorder=2)
    # Each point coloured and shaped by its own assessment, as in the headline chart;
    # a figure without one (a share or rate) in its group's colour.
    assessments = series["assessment"].astype(object).where(series["assessment"].notna(), "")
    for xi, v, verdict in zip(x[shown], value[shown], assessments.to_numpy()[shown],
                              strict=True):
        marker, key = TREND_MARKERS.get(str(verdict), ("o", ""))
        ax.plot([xi], [v], linestyle="none", marker=marker, color=PALETTE.get(key, colour),
                markersize=6, zorder=3)
    if measure in ("share", "rate"):
        # Shares and rates from 0, so a small change is not drawn as a large one.
        top = np.nanmax(np.concatenate([value, high])) if shown.any() else 1.0
        ax.set_ylim(0.0, max(float(top) * 1.15, 1.0))
    for xi, v in zip(x[shown], value[shown], strict=True):
        ax.annotate(_label(v, measure), (xi, v), xytext=(6, 4), textcoords="offset points",
                    fontsize=8, color=INK)
    _mark_missing(ax, x[~shown], series["suppressed"].to_numpy()[~shown])
    ax.set_xticks(x, series["period_end"].tolist(), fontsize=8)
    ax.set_xlim(-0.5, len(series) - 0.5)
    ax.set_xlabel("Period ending", fontsize=8)
    ax.set_ylabel(_axis_name(measure), fontsize=8)
    ax.set_title(f"{title}: {subject}", fontsize=10, loc="left", color=INK)
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure_to_svg(figure, title=f"{title}: {subject}, by period, with 95% intervals.")


#: marker and palette key per assessment: the headline chart's (report/charts.py MARKERS).
TREND_MARKERS = {"adverse": ("D", "minority"), "favourable": ("s", "black"),
                 "within range": ("o", "white")}

#: Ticks a reader knows on a relative-likelihood axis.
RATIO_TICKS = (0.1, 0.2, 0.25, 0.33, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0)


def _ratio_axis(ax: Any, values: np.ndarray) -> None:
    """Log scale, the non-adverse band 0.80–1.25 and plain-number ticks."""
    from wres_cli.svg import BAND, GRID, INK

    finite = values[np.isfinite(values) & (values > 0)]
    low = min(0.7, float(finite.min()) / 1.15) if finite.size else 0.7
    high = max(1.4, float(finite.max()) * 1.15) if finite.size else 1.4
    log_ratio_axis(ax, low, high)
    ax.axhspan(0.80, 1.25, color=BAND, zorder=0)
    ax.axhline(1.0, color=GRID, linewidth=1, zorder=1)
    ax.text(1.0, 1.25, "non-adverse range 0.80–1.25 ", transform=ax.get_yaxis_transform(),
            ha="right", va="bottom", fontsize=7, color=INK)


def log_ratio_axis(ax: Any, low: float, high: float) -> None:
    """A log-scale y axis from ``low`` to ``high`` with plain-number ticks."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ax.set_yscale("log")
    ax.set_ylim(low, high)
    ax.yaxis.set_major_locator(FixedLocator([t for t in RATIO_TICKS if low <= t <= high]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(NullLocator())


def _subject(measure: str, focal: str, versus: str) -> str:
    if measure == "pay_gap_median":
        return f"{focal} median pay gap against {versus}"
    if measure == "relative_likelihood":
        return f"{focal} vs {versus}"
    if measure == "difference":
        return f"{focal} share minus {versus.lower()} share"
    return f"{focal} share"


def _axis_name(measure: str) -> str:
    return {"relative_likelihood": "Relative likelihood (log scale)",
            "difference": "Difference (percentage points)",
            "pay_gap_median": "Pay gap (% of White staff's pay)"}.get(measure, "Share (%)")


def _label(value: float, measure: str) -> str:
    if measure == "relative_likelihood":
        return f"{value:.2f}"
    if measure == "difference":
        return f"{value:+.1f}"
    return f"{value:.1f}%"


def _mark_missing(ax: Any, x: np.ndarray, suppressed: np.ndarray) -> None:
    """Say on the chart why a period has no point, rather than leave a silent gap."""
    from matplotlib.transforms import blended_transform_factory

    from wres_cli.svg import INK

    where = blended_transform_factory(ax.transData, ax.transAxes)
    for xi, withheld in zip(x, suppressed, strict=True):
        ax.text(xi, 0.5, "withheld" if withheld else "not calculable", transform=where,
                ha="center", va="center", fontsize=8, color=INK, style="italic")


# --------------------------------------------------------------------------- writing


def write_trend(paths: Sequence[Path], out: Path) -> list[Path]:
    """``OUT/trend.csv`` and ``OUT/charts/trend-<indicator>.svg``, written atomically."""
    return write_trend_documents([read_results(Path(p)) for p in paths], out, paths)


def write_trend_documents(documents: Sequence[Mapping[str, Any]], out: Path,
                          inputs: Sequence[Path] = ()) -> list[Path]:
    """As ``write_trend``, for results documents already read from ``inputs`` (which
    no output may overwrite)."""
    from wres_cli.io.writers import frame_to_csv_text, output_folder

    trend = build_trend(documents)
    latest = max(documents, key=lambda d: period_of(d)[::-1])
    labels = {k: v for k, v in (latest["meta"].get("labels") or {}).items()
              if isinstance(v, str)}
    charts = trend_charts(trend, labels, documents)
    with output_folder(Path(out), [Path(p) for p in inputs]) as folder:
        written = [folder.write_text("trend.csv", frame_to_csv_text(trend))]
        written += [folder.write_text(f"charts/{name}.svg", svg) for name, svg in charts.items()]
    return written
