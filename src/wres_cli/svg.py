"""Deterministic SVG from matplotlib, and the palette every chart shares.

Charts are functions from rows to an SVG string. The same rows must give the
same bytes: no timestamps, no random ids.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "white": "#0072B2",      # blue
    "minority": "#D55E00",   # vermillion
    "asian": "#E69F00",      # orange
    "black": "#009E73",      # bluish green
    "mixed": "#CC79A7",      # reddish purple
    "other": "#56B4E9",      # sky blue
    "unknown": "#999999",    # grey
}
INK = "#222222"
BAND = "#D9EAD3"   # the non-adverse range
GRID = "#DDDDDD"


def new_figure(width: float = 7.0, height: float = 3.5) -> Figure:
    """A figure on the Agg backend, never pyplot's global state."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def figure_to_svg(figure: Figure, title: str | None = None) -> str:
    """The figure as an SVG string with fixed ids and no date, so output is reproducible.

    ``title`` becomes the SVG's <title> (its text alternative); it is XML-escaped.
    """
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "wres", "svg.fonttype": "none",
                                "svg.id": None}):
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None},
                       bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE: inline-able in HTML
    if title:
        from xml.sax.saxutils import escape

        head_end = svg.index(">") + 1
        svg = svg[:head_end] + f"<title>{escape(title)}</title>" + svg[head_end:]
    return svg
