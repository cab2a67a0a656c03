"""The minority share of each population, senior managers to the local
population (chart kind ``representation``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from wres_cli.charts.axes import plain_axes
from wres_cli.charts.svg import FONT, INK, PALETTE, new_figure, text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Plot width in inches (see ``ratios.RATIO_WIDTH``).
REPRESENTATION_WIDTH = 5.6


def representation_figure(spec: Mapping[str, Any]) -> Figure:
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
    plain_axes(ax)
    return figure
