"""Report charts: each a function from data points to an SVG string.

Drawn with matplotlib's object API on the Agg backend (``svg.new_figure``, never
pyplot), so nothing is shared between charts and the same points give the same
bytes. Every chart carries its values as text beside the marks (direct labels),
so nothing depends on telling colours apart; the Okabe-Ito palette helps those
who can. Text from the input (grade and group labels) is escaped by matplotlib
when it writes the SVG; ``$`` is escaped here so it is not read as mathtext.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from wres_cli.svg import BAND, GRID, INK, PALETTE, figure_to_svg, new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FONT = 8.5
ROW_HEIGHT = 0.32  # inches per row of a horizontal chart
#: Plot widths in inches: with the labels either side, a chart comes out about
#: 7.5 inches wide, so on A4 (180 mm of text width) its 8.5 pt text prints near 8 pt.
RATIO_WIDTH, COMPOSITION_WIDTH, REPRESENTATION_WIDTH = 4.6, 5.2, 5.6
#: marker, colour per assessment: shape and colour both say it (and the label in words)
MARKERS = {"adverse": ("D", PALETTE["minority"]), "favourable": ("s", PALETTE["black"]),
           "within range": ("o", PALETTE["white"])}
DEFAULT_MARKER = ("o", INK)
WITHHELD_FILL = "#F2F2F2"
TEXT_ON = {"white": "#FFFFFF", "minority": "#000000", "unknown": "#000000"}  # >= 4.5:1
LOG_TICKS = (0.05, 0.1, 0.2, 0.33, 0.5, 0.8, 1.0, 1.25, 2.0, 3.0, 5.0, 10.0, 20.0)


def draw(spec: Mapping[str, Any]) -> str:
    """The SVG for one chart specification from the report context."""
    drawers: dict[str, Callable[[Mapping[str, Any]], Figure]] = {
        "ratios": _ratios, "composition": _composition, "representation": _representation}
    figure = drawers[spec["kind"]](spec)
    return finish(figure, spec["name"], spec["title"])


def finish(figure: Figure, name: str, title: str) -> str:
    """The figure as SVG text, with ``title`` as its <title> and text alternative."""
    svg = figure_to_svg(figure, title)
    figure.clear()  # release the artists now: a report draws a dozen figures
    return finish_svg(svg, name, title)


def finish_svg(svg: str, name: str, title: str) -> str:
    """``role="img"``, an ``aria-label`` and ids unique to this chart.

    Ids are prefixed with the chart's name because many charts sit inline in one
    HTML page, and matplotlib numbers its ids from 1 in each.
    """
    svg = _prefix_ids(svg, name)
    label = escape(title, {'"': "&quot;"})
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _prefix_ids(svg: str, name: str) -> str:
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{name}-{m.group(1)}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{name}-{m.group(1)}"', svg)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{name}-{m.group(1)})", svg)


def text(value: Any) -> str:
    """Input text safe for matplotlib: a ``$`` would start mathtext."""
    return str(value).replace("$", r"\$")


# --------------------------------------------------------------------------- ratios


def _ratios(spec: Mapping[str, Any]) -> Figure:
    """Relative likelihoods as points with interval whiskers on a log axis, the
    non-adverse range shaded, the value and interval written at the right."""
    items: Sequence[Mapping[str, Any]] = spec["data"]
    low_band, high_band = spec.get("range") or (0.80, 1.25)
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
    _plain_axes(ax)
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


# --------------------------------------------------------------------------- composition


def _composition(spec: Mapping[str, Any]) -> Figure:
    """100% stacked bars: White, minority, unknown shares per grade; the part of a
    bar whose groups are withheld is hatched and labelled."""
    from matplotlib.patches import Patch

    bars: Sequence[Mapping[str, Any]] = spec["data"]
    n = len(bars)
    figure = new_figure(COMPOSITION_WIDTH, 1.1 + ROW_HEIGHT * n)
    ax = figure.add_subplot()
    ys = [n - 1 - k for k in range(n)]
    withheld_seen = False
    for y, bar in zip(ys, bars, strict=True):
        withheld_seen |= _stacked_bar(ax, y, bar)
        ax.text(1.02, y, text(bar.get("text", "")), transform=ax.get_yaxis_transform(),
                va="center", ha="left", fontsize=FONT, color=INK)
    ax.text(1.02, 1.0, text(f"{spec.get('minority_label', '')} share"), ha="left",
            va="bottom", fontsize=FONT, fontweight="bold", transform=ax.transAxes)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_yticks(ys, [text(b["label"]) for b in bars], fontsize=FONT)
    ax.tick_params(axis="y", length=0)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"],
                  fontsize=FONT)
    ax.set_xlabel(text(spec.get("xlabel", "Share of the headcount")), fontsize=FONT)
    first = bars[0]["segments"] if bars else []
    handles = [Patch(facecolor=PALETTE[s["group"]], label=text(s["label"])) for s in first]
    if withheld_seen:
        handles.append(Patch(facecolor=WITHHELD_FILL, edgecolor="#777777", hatch="xxx",
                             label="withheld"))
    # Granular groups (pay quartiles) need two rows, or the key runs into the label.
    columns = len(handles) if len(handles) <= 4 else (len(handles) + 1) // 2
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.01), ncols=columns,
              frameon=False, fontsize=FONT, handlelength=1.2, borderaxespad=0)
    _plain_axes(ax)
    return figure


def _stacked_bar(ax: Axes, y: float, bar: Mapping[str, Any]) -> bool:
    """Draw one bar; True when part of it is withheld."""
    left = 0.0
    for segment in bar["segments"]:
        value = segment.get("value")
        if value is None or value <= 0:
            continue
        group = segment["group"]
        ax.barh(y, value, left=left, height=0.7, color=PALETTE[group], edgecolor="#FFFFFF",
                linewidth=0.6)
        if value >= 0.09:
            ax.text(left + value / 2, y, f"{value * 100:.1f}%", ha="center", va="center",
                    fontsize=FONT - 1, color=TEXT_ON.get(group, INK))
        left += value
    rest = 1.0 - left
    withheld = any(s.get("value") is None for s in bar["segments"]) and rest > 0.0005
    if withheld:
        ax.barh(y, rest, left=left, height=0.7, color=WITHHELD_FILL, edgecolor="#777777",
                hatch="xxx", linewidth=0.6)
    return withheld


# --------------------------------------------------------------------------- representation


def _representation(spec: Mapping[str, Any]) -> Figure:
    """One bar per population (senior managers, workforce, local population): the
    minority share, written beside the bar; a withheld share has no bar, only words."""
    bars: Sequence[Mapping[str, Any]] = spec["data"]
    n = len(bars)
    figure = new_figure(REPRESENTATION_WIDTH, 0.9 + 0.42 * n)
    ax = figure.add_subplot()
    ys = [n - 1 - k for k in range(n)]
    values = [b["value"] for b in bars if b.get("value") is not None]
    top = max([*values, 0.2]) * 1.3
    for y, bar in zip(ys, bars, strict=True):
        value = bar.get("value")
        if value is not None:
            ax.barh(y, value, height=0.6, color=PALETTE["minority"], edgecolor=INK,
                    linewidth=0.6)
        ax.text((value or 0) + top * 0.01, y, text(bar.get("text", "")), va="center",
                ha="left", fontsize=FONT, color=INK)
    ax.set_xlim(0, top)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_yticks(ys, [text(b["label"]) for b in bars], fontsize=FONT)
    ax.tick_params(axis="y", length=0)
    ticks = [t / 100 for t in range(0, int(top * 100) + 1, 5 if top <= 0.5 else 10)]
    ax.set_xticks(ticks, [f"{t * 100:.0f}%" for t in ticks], fontsize=FONT)
    ax.set_xlabel(text(f"{spec.get('group_label', '')} share"), fontsize=FONT)
    _plain_axes(ax)
    return figure


def _plain_axes(ax: Axes) -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(INK)
    ax.tick_params(axis="x", colors=INK)
    ax.grid(axis="x", color=GRID, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
