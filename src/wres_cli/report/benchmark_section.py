"""The report's benchmark section, for the results of ``wres benchmark``.

``wres_cli.benchmark`` owns the funnels and ``wres_cli.charts.funnel`` their
plots; ``wres_cli.reporting`` computes both into ``FunnelFigure``s. This module
turns them into a context entry: the funnel plots and a table of the
organisations outside the limits. The report's own sections then describe the
pooled figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wres_cli.charts.svg import finish_svg, svg_title
from wres_cli.report import format as fmt

if TYPE_CHECKING:
    from wres_cli.benchmark import Funnel
    from wres_cli.indicators import IndicatorDef

#: ``organisation`` of the pooled rows in benchmark output (contracts §3).
POOLED = "pooled"


def is_benchmark(document: Mapping[str, Any]) -> bool:
    """Benchmark output: rows of several organisations and the pooled ones."""
    return any(r.get("organisation") == POOLED for r in document.get("results") or [])


def pooled_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with the pooled rows only: the subject of the report's sections."""
    return {**document, "results": [r for r in document.get("results") or []
                                    if r.get("organisation") == POOLED]}


@dataclass(frozen=True)
class FunnelFigure:
    """One indicator's funnel (``wres_cli.benchmark.funnel``) and its plot (None
    when no organisation's ratio is published)."""

    indicator: IndicatorDef
    funnel: Funnel
    svg: str | None


def benchmark_section(document: Mapping[str, Any], funnels: Sequence[FunnelFigure],
                      labels: Mapping[str, str]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """(context entry, chart name -> SVG); (None, {}) for a document that is not
    benchmark output."""
    if not is_benchmark(document):
        return None, {}
    organisations = sorted({str(r.get("organisation")) for r in document["results"]
                            if r.get("organisation") != POOLED})
    svgs: dict[str, str] = {}
    charts, outside, left_out = [], [], []
    for figure in funnels:
        ind, f = figure.indicator, figure.funnel
        left_out += [f"Indicator {ind.id}: {fmt.plain(org)} is not plotted ({why})."
                     for org, why in f.left_out.items()]
        if figure.svg is None:
            continue  # no organisation's ratio is published: no funnel of nothing
        name = f"funnel-{ind.id}"
        title = f"Indicator {ind.id} ({ind.short or ind.title})"
        text = svg_title(figure.svg) or f"{title}: funnel plot"
        svgs[name] = finish_svg(figure.svg, name, text)
        charts.append({"name": name, "title": text})
        comparison = f"{labels.get(f.focal, f.focal)} ÷ {labels.get(f.reference, f.reference)}"
        for p in f.points.itertuples(index=False):
            if p.position != "within limits":
                outside.append([f"{ind.id} {fmt.plain(ind.short or ind.title)}",
                                fmt.plain(p.organisation), comparison, fmt.ratio(p.value),
                                fmt.interval(p.low95, p.high95),
                                fmt.interval(p.low998, p.high998), str(p.position)])
    intro = (f"These results pool {len(organisations)} organisations; the sections of this "
             "report describe the pooled figures. Each funnel plot places every organisation "
             "by the size of its focal group against its relative likelihood, with the "
             "pooled value and its 95% and 99.8% limits: an organisation outside the limits "
             "differs from the pool by more than chance would explain.")
    table = {"caption": "Organisations outside the funnel limits",
             "columns": ["Indicator", "Organisation", "Comparison", "Relative likelihood",
                         "95% limits", "99.8% limits", "Position"],
             "rows": outside, "numeric": [False, False, False, True, True, True, False],
             "notes": []}
    return {"anchor": "benchmark", "title": "Benchmark: organisations compared",
            "intro": intro, "charts": charts, "table": table if outside else None,
            "none_outside": ("No organisation lies outside the 95% limits of any funnel."
                             if charts and not outside else ""),
            "left_out": left_out}, svgs

