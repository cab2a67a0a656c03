"""Composing ``wres report``: inputs -> results documents -> the figures the
report shows but does not compute -> ``wres_cli.report`` -> files.

``report/`` renders documents only; this module does what comes before:
computing a data folder (``wres_cli.compute``) or reading ``results.json`` files
(``io.results.read_results``), building the trend across several periods
(``wres_cli.trend``) and the funnels of benchmark output (``wres_cli.benchmark``),
and drawing their charts (``wres_cli.charts``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wres_cli.errors import UsageError

if TYPE_CHECKING:
    from wres_cli.api import ConfigArg, PeriodArg
    from wres_cli.indicators import IndicatorDef
    from wres_cli.report import Progress, RenderedReport
    from wres_cli.report.benchmark_section import FunnelFigure
    from wres_cli.report.trend_section import TrendFigures

__all__ = ["load_documents", "report_documents", "write_report"]


def write_report(inputs: Sequence[Path], out: Path, *, config: ConfigArg = None,
                 period: PeriodArg = None, standard: str | None = None,
                 templates: Path | None = None, progress: Progress | None = None,
                 pdf: bool = False, browser: Path | None = None) -> list[Path]:
    """Write ``OUT/report.html``, ``OUT/report.md`` and ``OUT/charts/*.svg`` for a
    data folder (computed first) or one or more ``results.json`` files; with
    ``pdf``, also ``OUT/report.pdf`` printed by a Chromium-family browser
    (``browser``, else one found on the machine: ``UsageError`` before anything
    is read or written when there is none).

    ``templates``: a folder of edited templates, searched before the shipped ones.
    ``progress``: as for ``wres_cli.compute``, with a last step "drawing the report".
    Everything is rendered in memory first: on any error no file in ``out`` changes,
    and a results.json given as input is never overwritten (nor anything in a data
    folder).
    """
    from wres_cli.report import write_rendered
    from wres_cli.report.pdf import find_browser

    printer = find_browser(browser) if pdf else None
    documents = load_documents(inputs, config=config, period=period, standard=standard,
                               progress=progress)
    if progress is not None:
        progress("drawing the report", 0, 1)
    report = report_documents(documents, templates)
    if progress is not None:
        progress("drawing the report", 1, 1)
    return write_rendered(report, Path(out), printer=printer, progress=progress,
                          protected=[Path(p) for p in inputs if Path(p).is_file()])


def report_documents(documents: Sequence[Mapping[str, Any]], templates: Path | None = None,
                     *, population: Mapping[str, float] | None = None) -> RenderedReport:
    """The report for results ``documents`` (oldest first; the last is the main
    period): with a trend section for several, funnel plots for benchmark output."""
    from wres_cli.local import document_definitions
    from wres_cli.report import render_report
    from wres_cli.report.env import group_labels

    if not documents:
        raise UsageError("wres report needs a data folder or at least one results.json")
    main = documents[-1]
    labels = group_labels(main["meta"])
    trend = trend_figures(documents, labels) if len(documents) > 1 else None
    funnels = funnel_figures(main, document_definitions(main["meta"]), labels)
    return render_report(documents, templates, trend=trend, funnels=funnels,
                         population=population)


def trend_figures(documents: Sequence[Mapping[str, Any]],
                  labels: Mapping[str, str]) -> TrendFigures:
    """The trend across ``documents`` (in period order): its headline series,
    charts and overlap notices."""
    from wres_cli import trend
    from wres_cli.charts.trend import trend_charts
    from wres_cli.io.results import overlap_notices
    from wres_cli.report.trend_section import TrendFigures

    rows = trend.build_trend(documents)
    headline = trend.headline(rows)
    return TrendFigures(headline=headline.to_dict("records"),
                        charts=trend_charts(headline, trend.short_titles(rows, documents),
                                            labels),
                        notices=overlap_notices(documents))


def funnel_figures(document: Mapping[str, Any], definitions: Mapping[str, IndicatorDef],
                   labels: Mapping[str, str]) -> list[FunnelFigure]:
    """The funnel of each indicator of benchmark output (none for other results),
    in definition order, with its plot."""
    import pandas as pd

    from wres_cli.benchmark import funnel
    from wres_cli.charts.funnel import funnel_chart
    from wres_cli.report.benchmark_section import FunnelFigure, is_benchmark

    if not is_benchmark(document):
        return []
    rows = pd.DataFrame(document["results"])
    figures = []
    for ind in definitions.values():
        if not (rows["indicator"] == ind.id).any():
            continue
        f = funnel(rows, ind)
        if f is None:
            continue
        title = f"Indicator {ind.id} ({ind.short or ind.title})"
        svg = None if f.points.empty else funnel_chart(f, title, dict(labels))
        figures.append(FunnelFigure(indicator=ind, funnel=f, svg=svg))
    return figures


# --------------------------------------------------------------------------- inputs


def load_documents(inputs: Sequence[Path], *, config: ConfigArg = None,
                   period: PeriodArg = None, standard: str | None = None,
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
        return [_computed_document(folders[0], config=config, period=period,
                                   standard=standard, progress=progress)]
    options = [name for name, value in (("--config", config), ("--period-start/--period-end",
                                                               period), ("--standard", standard))
               if value is not None]
    if options:
        raise UsageError(f"{', '.join(options)}: only for a data folder; a results.json "
                         "already holds its period, standard and labels")
    from wres_cli.io.results import read_results

    return _in_period_order([read_results(p) for p in paths])


def _in_period_order(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Oldest first, so the last is the report's main period. Several documents must
    make one series (one organisation, one standard, each period once): the trend
    module checks that when it builds the trend."""
    return sorted(documents, key=lambda d: (d["meta"]["period"]["end"],
                                            d["meta"]["period"]["start"]))


def _computed_document(folder: Path, *, config: ConfigArg, period: PeriodArg,
                       standard: str | None,
                       progress: Progress | None = None) -> dict[str, Any]:
    from wres_cli.api import compute
    from wres_cli.io.writers import json_text
    from wres_cli.output import results_document

    results = compute(folder, config=config, period=period, standard=standard,
                      progress=progress)
    # Through JSON text and back (in memory), so a folder renders exactly as its
    # results.json would.
    document: dict[str, Any] = json.loads(json_text(results_document(results)))
    return document
