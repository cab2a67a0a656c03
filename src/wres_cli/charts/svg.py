"""Deterministic SVG from matplotlib, the palette every chart shares, and the
finishing every inline chart gets.

Charts are functions from rows to an SVG string. The same rows must give the
same bytes: no timestamps, no random ids.
"""

from __future__ import annotations

import html
import io
import re
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

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

FONT = 8.5
ROW_HEIGHT = 0.32  # inches per row of a horizontal chart


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
        head_end = svg.index(">") + 1
        svg = svg[:head_end] + f"<title>{escape(title)}</title>" + svg[head_end:]
    return svg


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


def svg_title(svg: str) -> str:
    """The text of an SVG's <title>: a chart's text alternative."""
    found = re.search(r"<title>(.*?)</title>", svg, flags=re.S)
    return html.unescape(found.group(1)).strip() if found else ""
