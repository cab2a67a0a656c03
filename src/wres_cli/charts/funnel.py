"""Funnel plots of benchmark output: each organisation's relative likelihood
against its focal group's size, with the pooled value and its limits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from wres_cli.charts.axes import log_ratio_axis
from wres_cli.charts.svg import GRID, INK, PALETTE, figure_to_svg, new_figure

if TYPE_CHECKING:
    import pandas as pd

    from wres_cli.benchmark import Funnel


def funnel_chart(f: Funnel, title: str, labels: dict[str, str]) -> str:
    """The funnel as SVG: organisations by focal-group size against their ratio
    (log scale), the pooled ratio and its 95 % and 99.8 % limits.

    The limit lines are drawn for the pooled ratio of reference to focal group
    size; each organisation's position is judged against limits for its own two
    group sizes (``Funnel.points``)."""
    from wres_cli.stats import Z95, Z998

    figure = new_figure(7.0, 4.2)
    ax = figure.add_subplot()
    points = f.points
    x = points["focal_population"].to_numpy(dtype=float)
    span = np.geomspace(max(1.0, 0.5 * x.min()), 1.1 * x.max(), 200) if len(x) else \
        np.geomspace(10.0, 1000.0, 200)
    ax.axhline(1.0, color=GRID, linewidth=1, zorder=0)
    ax.axhline(f.centre, color=INK, linewidth=1.2, zorder=1)
    _limit_line(ax, span, f.size_ratio, f, Z95, "--", "95%")
    _limit_line(ax, span, f.size_ratio, f, Z998, ":", "99.8%")
    marker = {"within limits": "o", "outside 95% limits": "s", "outside 99.8% limits": "D"}
    colour = PALETTE.get(f.focal, INK)
    for position, shape in marker.items():
        at = points["position"] == position
        if at.any():
            ax.scatter(x[at.to_numpy()], points.loc[at, "value"], marker=shape, color=colour,
                       zorder=3, label=position)
    for r in points.itertuples(index=False):
        ax.annotate(str(r.organisation), (r.focal_population, r.value), xytext=(5, 3),
                    textcoords="offset points", fontsize=7, color=INK)
    _finish_funnel(ax, figure, f, points, labels)
    ax.set_title(title, fontsize=10, loc="left", color=INK)
    return figure_to_svg(figure, title=f"{title}: funnel plot of each organisation's relative "
                                       "likelihood against the pooled value")


def _limit_line(ax: Any, span: np.ndarray, ratio: float, f: Funnel, z: float, style: str,
                name: str) -> None:
    from wres_cli.benchmark import funnel_limits

    low, high = funnel_limits(span, span * ratio, f.p_focal, f.p_reference, f.centre, z)
    for line in (low, high):
        ax.plot(span, line, linestyle=style, color=INK, linewidth=0.9, zorder=1)
    ax.annotate(f"{name} limits", (span[-1], high[-1]), xytext=(3, 0),
                textcoords="offset points", fontsize=7, color=INK, va="center")


def _finish_funnel(ax: Any, figure: Any, f: Funnel, points: pd.DataFrame,
                   labels: dict[str, str]) -> None:
    from matplotlib.ticker import NullLocator


    values = np.concatenate([points["value"].to_numpy(dtype=float),
                             points["low998"].to_numpy(dtype=float),
                             points["high998"].to_numpy(dtype=float), [f.centre]])
    values = values[np.isfinite(values) & (values > 0)]
    log_ratio_axis(ax, values.min() / 1.2, values.max() * 1.2)
    ax.xaxis.set_minor_locator(NullLocator())
    ax.annotate(f"pooled {f.centre:.2f}", (0.0, f.centre), xycoords=("axes fraction", "data"),
                xytext=(3, 3), textcoords="offset points", fontsize=7, color=INK)
    focal, reference = labels.get(f.focal, f.focal), labels.get(f.reference, f.reference)
    ax.set_xlabel(f"{focal} group size (people in the indicator's population)", fontsize=8)
    ax.set_ylabel(f"Relative likelihood, {focal} vs {reference} (log scale)", fontsize=8)
    ax.tick_params(labelsize=8)
    if len(points):
        ax.legend(fontsize=7, frameon=False, loc="best")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if f.left_out:
        text = "Not shown: " + "; ".join(f"{o} ({why})" for o, why in f.left_out.items())
        figure.text(0.01, -0.02, text, fontsize=7, color=INK, ha="left", va="top", wrap=True)
