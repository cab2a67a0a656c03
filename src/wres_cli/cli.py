"""The ``wres`` command: a thin face over the library.

Options, messages and exit codes live here and nothing else. Heavy imports
(pandas, pandera, matplotlib) happen inside the commands so ``wres --help``
stays instant. Messages go to stderr; stdout carries only requested data.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand

from wres_cli import __version__
from wres_cli.errors import InputError, UsageError, WresError

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from wres_cli.api import ValidationReport

class _Command(TyperCommand):
    """Usage and help as people read them: ``wres validate [OPTIONS] DATA``, not
    ``{data}``; an argument shown by its metavar alone, not ``INPUT... <list[Path]>``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument) and param.metavar:
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
                param.display_type = lambda ctx: None  # type: ignore[method-assign,assignment,return-value]

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = param.metavar or (param.name or "").upper()
                if param.nargs != 1 and not name.endswith("..."):
                    name += "..."
                pieces.append(name if param.required else f"[{name}]")
        return pieces


app = typer.Typer(
    name="wres",
    help="Workforce Race Equality Standard indicators from HR extracts: validate, compute, report.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    # -h as well as --help on every command; help wrapped, never cut, on any terminal.
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

INTERNAL_ERROR = 3

# ------------------------------------------------------------------ options

DataArg = Annotated[Path, typer.Argument(help="Folder holding the extracts (workforce.csv, ...).",
                                         show_default=False, metavar="DATA")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", "-c", help="wres.toml to use (default: DATA/wres.toml, then ./wres.toml).")]
StandardOpt = Annotated[str | None, typer.Option(
    "--standard", metavar="social-care|nhs",
    help="social-care (default) or nhs, any case; overrides the config.")]
StartOpt = Annotated[str | None, typer.Option(
    "--period-start", metavar="DATE", help="First day of the period, YYYY-MM-DD or DD/MM/YYYY.")]
EndOpt = Annotated[str | None, typer.Option(
    "--period-end", metavar="DATE",
    help="Last day of the period, YYYY-MM-DD or DD/MM/YYYY; alone, the 12 months ending then.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks.")]
ErrorsOutOpt = Annotated[Path | None, typer.Option(
    "--errors-out", metavar="FILE.csv", help="Write every problem to this CSV (file, row, column, "
    "value, rule, message). It holds values from your extracts: treat it as personal data.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wres {__version__}")
        raise typer.Exit()


@app.callback()
def _top(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Workforce Race Equality Standard indicators from HR extracts."""


# ------------------------------------------------------------------ plumbing

def _console(quiet: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)


@contextmanager
def _edge(debug: bool) -> Iterator[None]:
    """Turn exceptions into messages and exit codes: the only place that does.

    Errors go to a console --quiet does not silence: a failing run always says
    why (contracts section 5). Stop signals become ``Interrupted`` meanwhile, so
    the output folder is cleaned up (``wres_cli.interrupts``)."""
    from wres_cli.interrupts import Interrupted, handled

    err = _console()
    try:
        with handled():
            yield
    except typer.Exit:
        raise
    except InputError as exc:
        if debug:
            traceback.print_exc()
        if exc.problems is not None and len(exc.problems):
            _print_problems(err, exc.problems)
        err.print(f"[red]error:[/red] {_escape(str(exc))}", markup=True)
        raise typer.Exit(1) from None
    except WresError as exc:
        if debug:
            traceback.print_exc()
        err.print(f"[red]error:[/red] {_escape(str(exc))}", markup=True)
        raise typer.Exit(exc.exit_code) from None
    except Interrupted as exc:
        err.print(f"interrupted ({exc}): the output folder is as it was, or complete")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("interrupted")
        raise typer.Exit(130) from None
    except OSError as exc:  # the machine, not wres: a file or folder it cannot use
        if debug:
            traceback.print_exc()
        where = f" {exc.filename}" if exc.filename else ""
        err.print(f"[red]error:[/red] {_escape(exc.strerror or str(exc))}:{_escape(where)}",
                  markup=True)
        raise typer.Exit(2) from None
    except Exception as exc:
        if debug:
            traceback.print_exc()
        err.print(f"[red]internal error:[/red] {_escape(type(exc).__name__)}: {_escape(str(exc))}"
                  "\nThis is a bug in wres: please report it, and run again with --debug for a "
                  "traceback.", markup=True)
        raise typer.Exit(INTERNAL_ERROR) from None


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A live display of a long run's steps on stderr (a row per file read and per
    step, with a spinner and the time it took), or None: only on a terminal and
    never with --quiet (contracts section 5), so pipes and logs get nothing extra.
    It is transient: once the work is done the usual summary replaces it."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    import threading

    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    display = Progress(SpinnerColumn(finished_text="[green]✓[/green]"),
                       TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                       console=_console(), transient=True)
    tasks: dict[str, TaskID] = {}
    lock = threading.Lock()  # files are read on several threads

    def update(step: str, done: int, total: int) -> None:
        with lock:
            if step not in tasks:  # a step starts: a row for it, its clock running
                size = f" ({_megabytes(total)})" if step.startswith("reading ") else ""
                tasks[step] = display.add_task(step + size, total=max(total, 1))
            display.update(tasks[step], completed=done)
            if done >= total:
                display.stop_task(tasks[step])  # its time stays as it took

    with display:
        yield update


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB" if size >= 1e6 else f"{size / 1e3:,.0f} kB"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _parse_day(value: str | None, option: str) -> date | None:
    """An option's date: YYYY-MM-DD, or DD/MM/YYYY as in the extracts (contracts section 5)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {value!r}: not a real date") from None
    raise UsageError(f"{option} {value!r}: not a date; write YYYY-MM-DD or DD/MM/YYYY")


def _period(start: str | None, end: str | None) -> tuple[date | None, date | None] | None:
    s, e = _parse_day(start, "--period-start"), _parse_day(end, "--period-end")
    return None if s is None and e is None else (s, e)


def _choice(value: str | None) -> str | None:
    """Choices (--standard NHS, --format XLSX) ignore case and surrounding spaces."""
    return None if value is None else value.strip().lower()


def _print_problems(console: Console, problems: pd.DataFrame) -> None:
    """Summarised first (contracts section 5): a line per file and rule with its
    count, file-level problems first; then up to three examples of each rule."""
    from wres_cli.problem_summary import summary_lines

    for line in summary_lines(problems):
        console.print(line, markup=False, highlight=False)


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


# ------------------------------------------------------------------ validate

@app.command(cls=_Command)
def validate(
    data: DataArg,
    config: ConfigOpt = None,
    standard: StandardOpt = None,
    period_start: StartOpt = None,
    period_end: EndOpt = None,
    errors_out: ErrorsOutOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Read, classify and check every extract; list every problem. Exit 1 if any."""
    console = _console(quiet)
    with _edge(debug):
        from wres_cli.api import validate as run_validate

        _refuse_input_target(errors_out, data, config)
        with _progress(quiet) as progress:
            report = run_validate(data, config=config, period=_period(period_start, period_end),
                                  standard=_choice(standard), progress=progress)
        _print_validation(console, report)
        if errors_out is not None:
            _write_errors(errors_out, report.problems, console, _inputs_of(data, report))
        if not report.ok:
            _print_problems(_console(), report.problems)
            from wres_cli.problem_summary import problem_count

            _console().print(f"[red]invalid:[/red] {problem_count(report.problems)} problem(s) "
                             f"in {data}", markup=True)
            raise typer.Exit(1)
        console.print(f"[green]valid:[/green] {data} ({report.period.start} to "
                      f"{report.period.end}, {report.standard})", markup=True)


def _print_validation(console: Console, report: ValidationReport) -> None:
    from rich.table import Table

    table = Table(title="Extracts", title_justify="left")
    table.add_column("file", no_wrap=True)
    table.add_column("read from", no_wrap=True)
    for column in ("rows", "columns", "declared", "problems"):
        table.add_column(column, justify="right", no_wrap=True)
    for s in report.summaries:
        table.add_row(_escape(s.file), _escape(_read_from(s.sheet, s.header_row)),
                      f"{s.rows_read:,}", str(len(s.columns)), _rate(s.declaration_rate),
                      str(s.problems))
    console.print(table)
    # Every row left out, by reason (contracts section 1): nobody disappears silently.
    for s in report.summaries:
        if s.excluded:
            reasons = ", ".join(f"{n:,} {reason}" for reason, n in s.excluded.items())
            console.print(f"{s.name}: left out {reasons}", markup=False)


def _read_from(sheet: str | None, header_row: int | None) -> str:
    parts = [f"sheet {sheet!r}"] if sheet else []
    if header_row is not None:
        parts.append(f"header row {header_row}")
    return ", ".join(parts)


def _write_errors(path: Path, problems: pd.DataFrame, console: Console,
                  inputs: list[Path]) -> None:
    from wres_cli.io.writers import frame_to_csv_text, output_folder

    target = path if path.suffix else path.with_suffix(".csv")
    with output_folder(target.parent if str(target.parent) else Path("."), inputs) as folder:
        folder.write_text(target.name, frame_to_csv_text(problems))
    console.print(f"wrote {len(problems)} problem(s) to {target} - it quotes values from your "
                  "extracts, so keep it as safely as the extracts themselves")


def _refuse_input_target(target: Path | None, data: Path, config: Path | None) -> None:
    """--errors-out naming an extract or the config: refused before anything is read."""
    if target is None:
        return
    from wres_cli.config import CONFIG_NAME
    from wres_cli.contract import EXTRACTS, FILE_SUFFIXES

    named = target if target.suffix else target.with_suffix(".csv")
    candidates = [p for p in (config, data / CONFIG_NAME, Path(CONFIG_NAME)) if p is not None]
    if data.is_dir():
        candidates += [p for p in data.iterdir() if p.stem.casefold() in EXTRACTS
                       and p.suffix.casefold() in FILE_SUFFIXES]
    for candidate in candidates:
        if _same_file(candidate, named):
            raise UsageError(f"--errors-out {target}: that is an input ({candidate}); wres never "
                             "overwrites an input: choose another file name")
    if (data.is_dir() and named.parent.is_dir() and _same_file(named.parent, data)
            and named.stem.casefold() in EXTRACTS and named.suffix.casefold() in FILE_SUFFIXES):
        # Not an input yet, but the next run would read it as one (or as a second file
        # for the extract): on a case-sensitive disk WORKFORCE.CSV is not workforce.csv.
        raise UsageError(f"--errors-out {target}: that is an input's name in the data folder "
                         f"(the next run would read it as the {named.stem.casefold()} extract): "
                         "choose another file name")


def _inputs_of(data: Path, report: ValidationReport) -> list[Path]:
    """The files a validation read: its extracts and its config."""
    files = [data / str(info["file"]) for info in report.inputs.values() if info.get("file")]
    if report.config.source is not None:
        files.append(Path(report.config.source))
    return files


def _same_file(a: Path, b: Path) -> bool:
    import os

    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


# ------------------------------------------------------------------ compute

@app.command(cls=_Command)
def compute(
    data: DataArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the outputs (created).")],
    config: ConfigOpt = None,
    standard: StandardOpt = None,
    period_start: StartOpt = None,
    period_end: EndOpt = None,
    fmt: Annotated[str, typer.Option(
        "--format", metavar="json,csv,parquet,xlsx", help="Comma-separated, any case: json,csv,"
        "parquet,xlsx. results.json and counts.csv are always written.")] = "json,csv",
    no_suppress: Annotated[bool, typer.Option(
        "--no-suppress", help="Publish small counts: internal analysis only.")] = False,
    errors_out: ErrorsOutOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Validate, then write results.json, results.csv and counts.csv to OUT."""
    console = _console(quiet)
    with _edge(debug):
        from wres_cli.api import compute_from_report
        from wres_cli.api import validate as run_validate
        from wres_cli.output import write_results

        formats = _formats(fmt)
        _refuse_input_target(errors_out, data, config)
        with _progress(quiet) as progress:
            report = run_validate(data, config=config, period=_period(period_start, period_end),
                                  standard=_choice(standard), progress=progress)
            inputs = _inputs_of(data, report)
            if errors_out is not None:
                _write_errors(errors_out, report.problems, console, inputs)
            if not report.ok:
                raise InputError(f"{len(report.problems)} problem(s) in the data in {data}",
                                 problems=report.problems)
            results = compute_from_report(report, suppress=not no_suppress, progress=progress)
            if progress is not None:
                progress("writing the outputs", 0, 1)
            written = write_results(results, out, formats, inputs=inputs)
            if progress is not None:
                progress("writing the outputs", 1, 1)
        if no_suppress:
            _console().print("[yellow]warning:[/yellow] --no-suppress: small counts are "
                             "published in these outputs; do not share them.", markup=True)
        _print_compute_summary(console, results)
        console.print("wrote " + ", ".join(str(p) for p in written))
        console.print("counts.csv holds unsuppressed counts for pooling under a data-sharing "
                      "agreement: do not publish it.")


def _print_compute_summary(console: Console, results: Any) -> None:
    """The headline table, then data-quality warnings. A headline withheld under the
    small-number rule is routine (the table says "withheld"), so it gets one plain
    line, not a warning each."""
    from wres_cli.output import headline_table, withheld_headlines

    console.print(headline_table(results))
    withheld = withheld_headlines(results)
    routine = tuple(f"indicator {ind}: " for ind in withheld)
    for warning in results.data_quality.get("warnings", []):
        if not (str(warning).startswith(routine) and "cannot be compared" in str(warning)):
            console.print(f"[yellow]warning:[/yellow] {_escape(warning)}", markup=True)
    if withheld:
        console.print(f"withheld under the small-number rule: indicator(s) {', '.join(withheld)}"
                      " (too few people behind the figures to publish them)")
    for ind in results.data_quality.get("no_data", []):
        console.print(f"indicator {ind}: no data (its extract is missing)")


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = sorted(set(formats) - {"json", "csv", "parquet", "xlsx"})
    if unknown:
        raise UsageError(f"--format: unknown {', '.join(unknown)} (choose from json, csv, "
                         "parquet, xlsx)")
    return formats


# ------------------------------------------------------------------ report, trend, benchmark

@app.command(cls=_Command)
def report(
    inputs: Annotated[list[Path], typer.Argument(
        help="A data folder (computed first), or one or more results.json files; several "
        "periods add a trend section.", show_default=False, metavar="INPUT...")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.html, report.md "
                                      "and charts/.")],
    config: ConfigOpt = None,
    standard: StandardOpt = None,
    period_start: StartOpt = None,
    period_end: EndOpt = None,
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="A folder of your own templates, searched before the shipped ones "
        "(see docs/reports.md).")] = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf", help="Also write report.pdf (A4), printed from the HTML by a Chromium-family "
        "browser found on the machine (Chromium, Google Chrome, Microsoft Edge).")] = False,
    browser: Annotated[Path | None, typer.Option(
        "--browser", help="The browser to print report.pdf with (implies --pdf).",
        metavar="PATH")] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Write a board-ready report: self-contained HTML and Markdown with charts.

    With --pdf, also report.pdf (A4), printed by a Chromium-family browser.
    """
    console = _console(quiet)
    with _edge(debug):
        from wres_cli.reporting import write_report

        with _progress(quiet) as progress:
            written = write_report(inputs, out, config=config,
                                   period=_period(period_start, period_end),
                                   standard=_choice(standard), templates=templates,
                                   progress=progress, pdf=pdf or browser is not None,
                                   browser=browser)
        console.print("wrote " + ", ".join(str(p) for p in written if p.suffix != ".svg"))


@app.command(cls=_Command)
def trend(
    results: Annotated[list[Path], typer.Argument(help="results.json files, one per period.",
                                                  show_default=False, metavar="RESULTS.json...")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for trend.csv and charts/.")],
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Values over periods, the change from the previous period and whether it is real."""
    console = _console(quiet)
    with _edge(debug):
        from wres_cli.io.results import overlap_notices, read_results
        from wres_cli.trend import build_trend, write_trend_rows

        documents = [read_results(p) for p in results]
        rows = build_trend(documents)
        written = write_trend_rows(rows, documents, out, results)
        for notice in overlap_notices(documents):
            console.print(f"[yellow]warning:[/yellow] {_escape(notice)}")
        _print_trend_summary(console, rows)
        console.print("wrote " + ", ".join(str(p) for p in written if p.suffix != ".svg"))


def _print_trend_summary(console: Console, trend: Any) -> None:
    """Periods covered and each headline's latest change, from the trend (the rows
    of trend.csv), each figure as trend.csv writes it."""
    from wres_cli.io.writers import csv_cell
    from wres_cli.trend import headline

    ends = sorted(set(trend["period_end"]))
    console.print(f"trend over {len(ends)} period(s) ending {', '.join(ends)}: "
                  f"{len(trend)} row(s)")
    series = headline(trend)
    for indicator, rows in series.groupby("indicator", sort=False):
        latest = rows.sort_values("period_end").tail(1)
        last = {c: csv_cell(latest[c].astype(object).tolist()[0]) for c in latest.columns}
        value = "withheld" if last["suppressed"] == "true" else (_short(last["value"]) or "-")
        change = _short(last["change"])
        note = last["change_note"] or (f"p = {_short(last['change_p_value'])}"
                                       if last["change_p_value"] else "")
        console.print(f"  indicator {indicator}: {value} in the period ending "
                      f"{last['period_end']}" + (f", change {change}" if change else "")
                      + (f" ({note})" if note else ""), markup=False)


def _short(text: str) -> str:
    try:
        return f"{float(text):.3g}" if text else ""
    except ValueError:
        return text


@app.command(cls=_Command)
def benchmark(
    counts: Annotated[list[Path], typer.Argument(help="counts.csv files, one per organisation.",
                                                 show_default=False, metavar="COUNTS.csv...")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the pooled results.")],
    config: ConfigOpt = None,
    allow_mixed_periods: Annotated[bool, typer.Option(
        "--allow-mixed-periods", help="Pool counts from different periods.")] = False,
    no_suppress: Annotated[bool, typer.Option(
        "--no-suppress", help="Publish small counts: internal analysis only.")] = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Pool organisations' counts: per-organisation and pooled results, funnel plots."""
    console = _console(quiet)
    with _edge(debug):
        from wres_cli.benchmark import write_benchmark

        written = write_benchmark(counts, out, config=config,
                                  allow_mixed_periods=allow_mixed_periods,
                                  suppress=not no_suppress)
        if no_suppress:
            _console().print("[yellow]warning:[/yellow] --no-suppress: small counts are "
                             "published in these outputs; do not share them.", markup=True)
        _print_benchmark_summary(console, written.document)
        console.print("wrote " + ", ".join(str(p) for p in written.paths if p.suffix != ".svg"))


def _print_benchmark_summary(console: Console, document: Mapping[str, Any]) -> None:
    """Who was pooled for which period, the pooled headlines, then the warnings: from
    the document written, not from reading the file back."""
    from types import SimpleNamespace

    import pandas as pd

    from wres_cli.output import headline_table

    meta = document.get("meta", {})
    organisations = meta.get("organisations") or []
    console.print(f"pooled {len(organisations)} organisation(s): {', '.join(organisations)}",
                  markup=False)
    rows = pd.DataFrame(document.get("results") or [])
    if len(rows):
        pooled = rows[rows["organisation"] == "pooled"]
        console.print(headline_table(SimpleNamespace(results=pooled, meta=meta)))  # type: ignore[arg-type]
    for warning in document.get("data_quality", {}).get("warnings", []):
        console.print(f"[yellow]warning:[/yellow] {_escape(str(warning))}", markup=True)


# ------------------------------------------------------------------ indicators

@app.command(cls=_Command)
def indicators(
    standard: Annotated[str | None, typer.Option(
        "--standard", metavar="social-care|nhs",
        help="social-care or nhs, any case (default: the config's, else social-care).")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="wres.toml whose [indicators] local measures to list too "
        "(default: ./wres.toml).")] = None,
    debug: DebugOpt = False,
) -> None:
    """The indicator definitions in words, then the local measures of the config's
    [indicators] local folder, each with its source file."""
    with _edge(debug):
        from wres_cli.config import find_config, load_config
        from wres_cli.indicator_files import load_indicators
        from wres_cli.indicators import describe
        from wres_cli.local import local_definitions

        cfg = load_config(find_config(None, config))
        standard = _choice(standard) or cfg.standard
        if standard not in ("social-care", "nhs"):
            raise UsageError(f"unknown standard {standard!r}: choose social-care or nhs")
        texts = [describe(ind) for ind in load_indicators(standard)]
        local = local_definitions(cfg, standard)
        if local:
            texts.append(f"Local measures (from {cfg.local_indicators})")
            texts.extend(describe(ind) for ind in local)
        typer.echo("\n\n".join(texts))


# ------------------------------------------------------------------ init, sample

@app.command(cls=_Command)
def init(
    directory: Annotated[Path, typer.Argument(
        help="The data folder to set up: wres.toml and a header-only <extract>.csv for each "
        "extract go in it.", metavar="DIR")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    standard: Annotated[str, typer.Option(
        "--standard", help="social-care, or nhs for a trust's wres.toml (AfC bands, ESR "
        "staff groups, survey_summary template).")] = "social-care",
    debug: DebugOpt = False,
) -> None:
    """Write a commented wres.toml and header-only extracts into DIR, a data folder."""
    console = _console()
    with _edge(debug):
        from wres_cli.init_files import write_init

        for path in write_init(directory, force=force, standard=standard.lower()):
            console.print(f"wrote {path}")


@app.command(cls=_Command)
def sample(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the extracts to.")],
    staff: Annotated[int, typer.Option("--staff", min=50, help="People in the workforce.")] = 4000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same data).")] =
    2026,
    fmt: Annotated[str, typer.Option("--format", metavar="csv|xlsx|parquet",
                                     help="csv, xlsx or parquet, any case.")] = "csv",
    force: Annotated[bool, typer.Option(
        "--force", help="Write into a folder that already holds extracts or a wres.toml, "
        "replacing them.")] = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Write a synthetic council's extracts (no real people) and its wres.toml."""
    console = _console(quiet)
    with _edge(debug):
        from wres_cli.output import refuse_data_folder, write_sample_folder

        fmt = _choice(fmt) or ""
        if fmt not in ("csv", "xlsx", "parquet"):
            raise UsageError(f"--format {fmt!r}: choose csv, xlsx or parquet")
        if not force:
            refuse_data_folder(out)
        written = write_sample_folder(out, staff=staff, seed=seed, fmt=fmt)
        console.print(f"wrote {len(written)} files to {out}")


# The command list shows each command's first docstring line whole: click would
# cut it to fit ("Validate, then write results.json, results.csv and...").
for _info in app.registered_commands:
    if _info.short_help is None and _info.callback is not None and _info.callback.__doc__:
        _info.short_help = _info.callback.__doc__.strip().splitlines()[0]


def main(argv: list[str] | None = None) -> None:
    _run(app, argv)


def _run(typer_app: Callable[..., Any], argv: list[str] | None) -> None:
    typer_app(args=argv if argv is not None else sys.argv[1:], prog_name="wres")
