"""100% stacked bars of group shares (chart kind ``composition``): a share
indicator by grade, and the pay quartiles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from wres_cli.charts.axes import plain_axes
from wres_cli.charts.svg import FONT, INK, PALETTE, ROW_HEIGHT, new_figure, text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Plot width in inches (see ``ratios.RATIO_WIDTH``).
COMPOSITION_WIDTH = 5.2
WITHHELD_FILL = "#F2F2F2"
TEXT_ON = {"white": "#FFFFFF", "minority": "#000000", "unknown": "#000000"}  # >= 4.5:1


def composition_figure(spec: Mapping[str, Any]) -> Figure:
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
    plain_axes(ax)
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
