"""Axes every chart family shares: the log ratio scale and the plain frame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wres_cli.charts.svg import GRID, INK

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Ticks a reader knows on a relative-likelihood axis.
RATIO_TICKS = (0.1, 0.2, 0.25, 0.33, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0)


def log_ratio_axis(ax: Any, low: float, high: float) -> None:
    """A log-scale y axis from ``low`` to ``high`` with plain-number ticks."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ax.set_yscale("log")
    ax.set_ylim(low, high)
    ax.yaxis.set_major_locator(FixedLocator([t for t in RATIO_TICKS if low <= t <= high]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(NullLocator())


def plain_axes(ax: Axes) -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(INK)
    ax.tick_params(axis="x", colors=INK)
    ax.grid(axis="x", color=GRID, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
