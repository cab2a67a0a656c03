"""Relative-likelihood charts: the report's headline chart and each rate
indicator's chart by breakdown (chart kind ``ratios``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from wres_cli.charts.axes import plain_axes
from wres_cli.charts.svg import BAND, FONT, INK, PALETTE, ROW_HEIGHT, new_figure, text
from wres_cli.contract import NON_ADVERSE_RANGE

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Plot width in inches: with the labels either side, a chart comes out about
#: 7.5 inches wide, so on A4 (180 mm of text width) its 8.5 pt text prints near 8 pt.
RATIO_WIDTH = 4.6
#: marker, colour per assessment: shape and colour both say it (and the label in words)
MARKERS = {"adverse": ("D", PALETTE["minority"]), "favourable": ("s", PALETTE["black"]),
           "within range": ("o", PALETTE["white"])}
DEFAULT_MARKER = ("o", INK)
LOG_TICKS = (0.05, 0.1, 0.2, 0.33, 0.5, 0.8, 1.0, 1.25, 2.0, 3.0, 5.0, 10.0, 20.0)


def ratios_figure(spec: Mapping[str, Any]) -> Figure:
    """Relative likelihoods as points with interval whiskers on a log axis, the
    non-adverse range shaded, the value and interval written at the right."""
    items: Sequence[Mapping[str, Any]] = spec["data"]
    low_band, high_band = spec.get("range") or NON_ADVERSE_RANGE
    n = len(items)
    lines = sum(str(i["label"]).count("\n") for i in items)
    figure = new_figure(RATIO_WIDTH, 0.9 + ROW_HEIGHT * n + 0.14 * lines)
    ax = figure.add_subplot()
    ys = [n - 1 - k for k in range(n)]
    ax.axvspan(low_band, high_band, color=BAND, zorder=0, linewidth=0)
    ax.axvline(1.0, color=INK, linewidth=0.8, zorder=1)
    for y, item in zip(ys, items, strict=True):
        if not item.get("header"):
            _ratio_point(ax, y, item)
    _log_axis(ax, items, (low_band, high_band))
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_yticks(ys, [text(i["label"]) for i in items], fontsize=FONT)
    for tick, item in zip(ax.get_yticklabels(), items, strict=True):
        if item.get("header"):
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.text(math.sqrt(low_band * high_band), 1.01, "non-adverse range", ha="center",
            va="bottom", fontsize=FONT - 1, color=INK, transform=ax.get_xaxis_transform())
    ax.set_xlabel("Relative likelihood (log scale; 1 = equally likely)", fontsize=FONT)
    plain_axes(ax)
    return figure


def _ratio_point(ax: Axes, y: float, item: Mapping[str, Any]) -> None:
    marker, colour = MARKERS.get(item.get("assessment") or "", DEFAULT_MARKER)
    low, high, value = item.get("low"), item.get("high"), item.get("value")
    if low is not None and high is not None:
        ax.plot([low, high], [y, y], color=colour, linewidth=1.6, zorder=2,
                solid_capstyle="butt")
    if value is not None:
        ax.plot([value], [y], marker=marker, color=colour, markersize=6, zorder=3,
                markeredgecolor=INK, markeredgewidth=0.6, linestyle="none")
    ax.text(1.02, y, text(item.get("text", "")), transform=ax.get_yaxis_transform(),
            va="center", ha="left", fontsize=FONT, color=INK)


def _log_axis(ax: Axes, items: Sequence[Mapping[str, Any]], band: tuple[float, float]) -> None:
    from matplotlib.ticker import NullFormatter, NullLocator

    values = [v for i in items for v in (i.get("low"), i.get("value"), i.get("high"))
              if v is not None and v > 0]
    lo = max(min([*values, band[0], 0.5]) / 1.15, LOG_TICKS[0])
    hi = min(max([*values, band[1], 2.0]) * 1.15, LOG_TICKS[-1])
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ticks = [t for t in LOG_TICKS if lo <= t <= hi]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks], fontsize=FONT)
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())
