"""The report's trend section, from the trend the composer computed.

``wres_cli.trend`` owns the numbers and ``wres_cli.charts.trend`` the charts;
``wres_cli.reporting`` computes both into a ``TrendFigures``. This module only
turns them into a context entry — an introduction, the charts' names and text
alternatives, and the charts' data as a table — and makes the SVGs fit to sit
inline beside the report's own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wres_cli.charts.svg import finish_svg, svg_title
from wres_cli.report import format as fmt


@dataclass(frozen=True)
class TrendFigures:
    """A trend across the report's documents: the headline series (rows of
    ``trend.csv`` as records, the series the charts draw), the trend charts
    (name -> SVG) and the notices about periods that overlap."""

    headline: list[dict[str, Any]]
    charts: dict[str, str]
    notices: list[str]


def trend_section(documents: Sequence[Mapping[str, Any]], trend: TrendFigures,
                  labels: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """(context entry, chart name -> SVG) for documents in period order."""
    svgs, charts = {}, []
    for name, svg in trend.charts.items():
        title = svg_title(svg) or f"Trend chart {name}"
        svgs[name] = finish_svg(svg, name, title)
        charts.append({"name": name, "title": title})
    periods = [fmt.period_text(d["meta"]["period"]) for d in documents]
    notices = [fmt.sentence_start(n) for n in trend.notices]
    return {"intro": _intro(periods), "periods": periods, "charts": charts,
            "notices": notices, "tables": [_table(trend.headline, labels)]}, svgs


def _intro(periods: Sequence[str]) -> str:
    return (f"This section follows the headline figure of each indicator over "
            f"{len(periods)} periods ({'; '.join(periods)}). Each period's figures are "
            "shown as they were published for it, small numbers withheld. A change is "
            "tested only between periods that do not overlap: rolling periods share most of "
            "their people, so a test between them would overstate the evidence.")


def _table(series: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> dict[str, Any]:
    body = []
    for row in series:
        measure = row.get("measure")
        body.append([f"{row['indicator']}", _subject(row, labels), str(row["period_end"]),
                     _value(row, measure), _interval(row, measure), _change(row, measure),
                     _test(row)])
    return {"caption": "Headline figures by period (the data of the trend charts)",
            "columns": ["Indicator", "Figure", "Period ending", "Value", "95% CI",
                        "Change from previous", "Test of change"],
            "rows": body, "numeric": [False, False, False, True, True, True, False],
            "notes": ["withheld: not published for that period under the small-number rule."]
            if any(r[3] == "withheld" for r in body) else []}


def _subject(row: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    group = labels.get(str(row.get("group")), str(row.get("group")))
    reference = row.get("reference")
    if row.get("measure") == "relative_likelihood":
        return f"{group} ÷ {labels.get(str(reference), str(reference))}"
    if row.get("measure") == "difference":
        return f"{group} share minus {reference} share"
    return f"{group} share"


def _formatter(measure: Any) -> Any:
    return {"relative_likelihood": fmt.ratio, "difference": fmt.points}.get(measure, fmt.percent)


def _value(row: Mapping[str, Any], measure: Any) -> str:
    if row.get("suppressed"):
        return "withheld"
    if fmt.missing(row.get("value")):
        return "not calculable"
    return _formatter(measure)(row["value"])


def _interval(row: Mapping[str, Any], measure: Any) -> str:
    if measure == "difference":
        return ""
    return fmt.interval(row.get("ci_low"), row.get("ci_high"), _formatter(measure))


def _change(row: Mapping[str, Any], measure: Any) -> str:
    change: Any = row.get("change")
    if fmt.missing(change):
        return ""
    if measure == "relative_likelihood":
        text = f"{float(change):+.2f}".replace("-", fmt.MINUS)
        ratio = row.get("change_ratio")
        return text if fmt.missing(ratio) else f"{text} (× {fmt.ratio(ratio)})"
    return fmt.points(change)


def _test(row: Mapping[str, Any]) -> str:
    p: Any = row.get("change_p_value")
    if not fmt.missing(p):
        return f"p = {fmt.p_value(p)}" if float(p) >= 0.001 else "p < 0.001"
    note = row.get("change_note")
    return fmt.plain(note) if isinstance(note, str) and note not in ("", "None", "nan") else ""
