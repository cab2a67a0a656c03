"""``wres report``: a board-ready report from results.

``write_report`` takes a data folder (computed first) or one or more
``results.json`` files, and writes ``report.html`` (one self-contained page:
inline CSS and SVG, no script, nothing fetched), ``report.md`` and
``charts/*.svg``, all at once or not at all. Several results files add a trend
section; the latest period is the report's main subject.

The stages are plain functions: ``load_documents`` (inputs -> results
documents), ``build_context`` (a document -> a plain dict), ``charts.draw``
(a chart spec -> SVG) and the Jinja2 templates (context -> text).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wres_cli.errors import UsageError

#: ``progress(step, done, total)``: see ``wres_cli.api.Progress``.
Progress = Callable[[str, int, int], None]

__all__ = ["RenderedReport", "load_documents", "render_report", "write_report"]


@dataclass
class RenderedReport:
    """The report's files as text: ``charts`` maps chart name to SVG."""

    html: str
    markdown: str
    charts: dict[str, str] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict, repr=False)


def write_report(inputs: Sequence[Path], out: Path, *, config: Any = None,
                 period: Any = None, standard: str | None = None,
                 templates: Path | None = None, progress: Progress | None = None,
                 pdf: bool = False, browser: Path | None = None) -> list[Path]:
    """Write ``OUT/report.html``, ``OUT/report.md`` and ``OUT/charts/*.svg``;
    with ``pdf``, also ``OUT/report.pdf`` printed by a Chromium-family browser
    (``browser``, else one found on the machine: ``UsageError`` before anything
    is read or written when there is none).

    ``templates``: a folder of edited templates, searched before the shipped ones.
    ``progress``: as for ``wres_cli.compute``, with a last step "drawing the report".
    Everything is rendered in memory first, then written through
    ``output_folder``: on any error no file in ``out`` changes.
    """
    from wres_cli.io.writers import output_folder
    from wres_cli.report.pdf import find_browser, print_pdf

    printer = find_browser(browser) if pdf else None
    documents = load_documents(inputs, config=config, period=period, standard=standard,
                               progress=progress)
    if progress is not None:
        progress("drawing the report", 0, 1)
    report = render_report(documents, templates)
    if progress is not None:
        progress("drawing the report", 1, 1)
    # A results.json given as input is never overwritten (nor anything in a data folder).
    with output_folder(Path(out), [Path(p) for p in inputs if Path(p).is_file()]) as folder:
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
                  population: Mapping[str, float] | None = None) -> RenderedReport:
    """The report for ``documents`` (oldest first; the last is the main period).
    ``population``: the ``[population]`` benchmark shares, when known."""
    from wres_cli.report.benchmark_section import benchmark_section, pooled_document
    from wres_cli.report.charts import draw
    from wres_cli.report.context import build_context, chart_specs, group_labels
    from wres_cli.report.render import render_html, render_markdown
    from wres_cli.report.trend_section import trend_section
    from wres_cli.resources import resource_dir

    if not documents:
        raise UsageError("wres report needs a data folder or at least one results.json")
    main = documents[-1]
    trend, trend_svgs = (trend_section(documents, group_labels(main["meta"]))
                         if len(documents) > 1 else (None, {}))
    definitions = _definitions(main["meta"].get("standard"), main["meta"])
    # Benchmark output: funnel plots of the organisations; the sections describe the pool.
    benchmark, benchmark_svgs = benchmark_section(main, definitions, group_labels(main["meta"]))
    if benchmark is not None:
        main = pooled_document(main)
    context = build_context(main, definitions=definitions, trend=trend, population=population)
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


# --------------------------------------------------------------------------- inputs


def load_documents(inputs: Sequence[Path], *, config: Any = None, period: Any = None,
                   standard: str | None = None,
                   progress: Progress | None = None) -> list[dict[str, Any]]:
    """Results documents, oldest period first: one computed from a data folder, or
    one per ``results.json``."""
    paths = [Path(p) for p in inputs]
    if not paths:
        raise UsageError("give a data folder or one or more results.json files")
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist")
    folders = [p for p in paths if p.is_dir()]
    if folders and len(paths) > 1:
        raise UsageError("give either one data folder or results.json files, not both "
                         f"(got the folder {folders[0]} among {len(paths)} inputs)")
    if folders:
        return [_compute(folders[0], config=config, period=period, standard=standard,
                         progress=progress)]
    options = [name for name, value in (("--config", config), ("--period-start/--period-end",
                                                               period), ("--standard", standard))
               if value is not None]
    if options:
        raise UsageError(f"{', '.join(options)}: only for a data folder; a results.json "
                         "already holds its period, standard and labels")
    from wres_cli.io.results import read_results

    return _in_period_order([read_results(p) for p in paths])


def _compute(folder: Path, *, config: Any, period: Any, standard: str | None,
             progress: Progress | None = None) -> dict[str, Any]:
    from wres_cli.api import compute
    from wres_cli.io.writers import json_text
    from wres_cli.output import results_document

    results = compute(folder, config=config, period=period, standard=standard,
                      progress=progress)
    # Through JSON and back, so a folder renders exactly as its results.json would.
    return json.loads(json_text(results_document(results)))



def _in_period_order(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Oldest first, so the last is the report's main period. Several documents must
    make one series (one organisation, one standard, each period once): the trend
    module checks that when it builds the trend."""
    return sorted(documents, key=lambda d: (d["meta"]["period"]["end"],
                                            d["meta"]["period"]["start"]))


def _definitions(standard: Any, meta: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Indicator definitions by id (titles, why, range), the local measures' from
    ``meta.local_indicators``, or none for an unknown standard."""
    from wres_cli.errors import ConfigError
    from wres_cli.indicator_files import load_indicators
    from wres_cli.local import definitions_from_meta

    local = {d.id: d for d in definitions_from_meta(meta or {})}
    try:
        return {**{d.id: d for d in load_indicators(str(standard))}, **local}
    except ConfigError:
        return local
