"""``wres report``'s rendering: results documents -> the report's files.

``render_report`` takes results documents (dicts, oldest period first; the last
is the report's main subject) and the figures the report shows but does not
compute — a trend across the documents, the funnels of benchmark output, which
``wres_cli.reporting`` composes — and returns the report as text: ``report.html``
(one self-contained page: inline CSS and SVG, no script, nothing fetched),
``report.md`` and ``charts/*.svg``. ``write_rendered`` writes them all at once or
not at all.

The stages are plain functions: ``build_context`` (a document -> a plain dict),
``charts.draw`` (a chart spec -> SVG) and the Jinja2 templates (context -> text).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wres_cli.errors import UsageError

if TYPE_CHECKING:
    from wres_cli.report.benchmark_section import FunnelFigure
    from wres_cli.report.trend_section import TrendFigures

#: ``progress(step, done, total)``: see ``wres_cli.api.Progress``.
Progress = Callable[[str, int, int], None]

__all__ = ["RenderedReport", "render_report", "write_rendered"]


@dataclass
class RenderedReport:
    """The report's files as text: ``charts`` maps chart name to SVG."""

    html: str
    markdown: str
    charts: dict[str, str] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict, repr=False)


def write_rendered(report: RenderedReport, out: Path, *, protected: Sequence[Path] = (),
                   printer: Path | None = None,
                   progress: Progress | None = None) -> list[Path]:
    """Write ``OUT/report.html``, ``OUT/report.md`` and ``OUT/charts/*.svg``; with
    ``printer`` (a Chromium-family browser), also ``OUT/report.pdf`` printed from
    the HTML. Written through ``output_folder``: on any error no file in ``out``
    changes, and no file in ``protected`` (the inputs) is ever overwritten."""
    from wres_cli.io.writers import output_folder
    from wres_cli.report.pdf import print_pdf

    with output_folder(Path(out), [Path(p) for p in protected]) as folder:
        written = [folder.write_text("report.html", report.html),
                   folder.write_text("report.md", report.markdown)]
        written += [folder.write_text(f"charts/{name}.svg", svg)
                    for name, svg in report.charts.items()]
        if printer is not None:
            if progress is not None:
                progress("printing report.pdf", 0, 1)
            written.append(folder.write_with(
                "report.pdf", lambda path: print_pdf(printer, report.html, path)))
            if progress is not None:
                progress("printing report.pdf", 1, 1)
    return written


def render_report(documents: Sequence[Mapping[str, Any]], templates: Path | None = None, *,
                  trend: TrendFigures | None = None, funnels: Sequence[FunnelFigure] = (),
                  population: Mapping[str, float] | None = None) -> RenderedReport:
    """The report for ``documents`` (oldest first; the last is the main period).
    ``trend``: the trend across the documents, for a trend section; ``funnels``:
    the funnels of benchmark output; ``population``: the ``[population]``
    benchmark shares, when known."""
    from wres_cli.charts import draw
    from wres_cli.local import document_definitions
    from wres_cli.report.benchmark_section import benchmark_section, pooled_document
    from wres_cli.report.context import build_context, chart_specs
    from wres_cli.report.env import group_labels
    from wres_cli.report.render import render_html, render_markdown
    from wres_cli.report.trend_section import trend_section
    from wres_cli.resources import resource_dir

    if not documents:
        raise UsageError("wres report needs a data folder or at least one results.json")
    main = documents[-1]
    trend_entry, trend_svgs = (trend_section(documents, trend, group_labels(main["meta"]))
                               if trend is not None else (None, {}))
    definitions = document_definitions(main["meta"])
    # Benchmark output: funnel plots of the organisations; the sections describe the pool.
    benchmark, benchmark_svgs = benchmark_section(main, funnels, group_labels(main["meta"]))
    if benchmark is not None:
        main = pooled_document(main)
    context = build_context(main, definitions=definitions, trend=trend_entry,
                            population=population)
    context["benchmark"] = benchmark
    charts = {spec["name"]: draw(spec) for spec in chart_specs(context)}
    charts.update(trend_svgs)
    charts.update(benchmark_svgs)
    search = [resource_dir("templates")]
    if templates is not None:
        if not Path(templates).is_dir():
            raise UsageError(f"templates folder {templates} does not exist")
        search.insert(0, Path(templates))
    return RenderedReport(html=render_html(context, charts, search),
                          markdown=render_markdown(context, search), charts=charts,
                          context=context)

