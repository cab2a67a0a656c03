"""Trend charts: one per indicator, its headline figure by period with 95%
intervals (``wres trend`` and the report's trend section)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from wres_cli.charts.axes import log_ratio_axis
from wres_cli.charts.svg import BAND, GRID, INK, PALETTE, figure_to_svg, new_figure
from wres_cli.config import DEFAULT_LABELS
from wres_cli.contract import NON_ADVERSE_RANGE

if TYPE_CHECKING:
    import pandas as pd


def trend_charts(headline: pd.DataFrame, titles: Mapping[str, str],
                 labels: Mapping[str, str]) -> dict[str, str]:
    """Chart name (``trend-<indicator>``) -> SVG, one per indicator with a headline
    series: its value per period with interval bars; ratios on a log scale over
    the non-adverse range 0.80–1.25. ``headline``: the headline series of a trend
    (``wres_cli.trend.headline``); ``titles``: indicator id -> short title."""
    names = {**DEFAULT_LABELS, **labels}
    charts = {}
    for indicator, series in headline.groupby("indicator", sort=False):
        if series["value"].isna().all():
            continue  # withheld or empty in every period: the table says so, no empty chart
        charts[f"trend-{indicator}"] = _trend_chart(series, titles.get(str(indicator)), names)
    return charts


def _trend_chart(series: pd.DataFrame, short: str | None, labels: Mapping[str, str]) -> str:
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


#: marker and palette key per assessment: the headline chart's (``ratios.MARKERS``).
TREND_MARKERS = {"adverse": ("D", "minority"), "favourable": ("s", "black"),
                 "within range": ("o", "white")}

def _ratio_axis(ax: Any, values: np.ndarray) -> None:
    """Log scale, the non-adverse band 0.80–1.25 and plain-number ticks."""
    finite = values[np.isfinite(values) & (values > 0)]
    low = min(0.7, float(finite.min()) / 1.15) if finite.size else 0.7
    high = max(1.4, float(finite.max()) * 1.15) if finite.size else 1.4
    log_ratio_axis(ax, low, high)
    ax.axhspan(*NON_ADVERSE_RANGE, color=BAND, zorder=0)
    ax.axhline(1.0, color=GRID, linewidth=1, zorder=1)
    ax.text(1.0, 1.25, "non-adverse range 0.80–1.25 ", transform=ax.get_yaxis_transform(),
            ha="right", va="bottom", fontsize=7, color=INK)


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

    where = blended_transform_factory(ax.transData, ax.transAxes)
    for xi, withheld in zip(x, suppressed, strict=True):
        ax.text(xi, 0.5, "withheld" if withheld else "not calculable", transform=where,
                ha="center", va="center", fontsize=8, color=INK, style="italic")
