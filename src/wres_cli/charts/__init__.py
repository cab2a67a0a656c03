"""Charts: each a function from data to an SVG string, for the report, ``wres
trend`` and ``wres benchmark``.

Drawn with matplotlib's object API on the Agg backend (``svg.new_figure``, never
pyplot), so nothing is shared between charts and the same points give the same
bytes. Every chart carries its values as text beside the marks (direct labels),
so nothing depends on telling colours apart; the Okabe-Ito palette helps those
who can. Text from the input (grade and group labels) is escaped by matplotlib
when it writes the SVG; ``$`` is escaped (``svg.text``) so it is not read as
mathtext.

``draw`` turns a report chart specification (kind ``ratios``, ``composition``
or ``representation``) into its finished SVG; ``trend`` and ``funnel`` draw
the trend and benchmark charts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def draw(spec: Mapping[str, Any]) -> str:
    """The SVG for one chart specification from the report context."""
    from wres_cli.charts.composition import composition_figure
    from wres_cli.charts.ratios import ratios_figure
    from wres_cli.charts.representation import representation_figure
    from wres_cli.charts.svg import finish

    drawers: dict[str, Callable[[Mapping[str, Any]], Figure]] = {
        "ratios": ratios_figure, "composition": composition_figure,
        "representation": representation_figure}
    figure = drawers[spec["kind"]](spec)
    return finish(figure, spec["name"], spec["title"])
