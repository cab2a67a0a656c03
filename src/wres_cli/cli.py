"""The ``wres`` command: a thin face over the library.

Options, messages and exit codes live here and nothing else. Heavy imports
(pandas, pandera, matplotlib) happen inside the commands so ``wres --help``
stays instant. Messages go to stderr; stdout carries only requested data.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wres_cli import __version__
from wres_cli.errors import InputError, UsageError, WresError

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from wres_cli.api import ValidationReport

app = typer.Typer(
    name="wres",
    help="Workforce Race Equality Standard indicators from HR extracts: validate, compute, report.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

INTERNAL_ERROR = 3

# ------------------------------------------------------------------ options

DataArg = Annotated[Path, typer.Argument(help="Folder holding the extracts (workforce.csv, ...).",
                                         show_default=False)]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", "-c", help="wres.toml to use (default: DATA/wres.toml, then ./wres.toml).")]
StandardOpt = Annotated[str | None, typer.Option(
    "--standard", help="social-care (default) or nhs; overrides the config.")]
StartOpt = Annotated[str | None, typer.Option(
    "--period-start", help="First day of the period, YYYY-MM-DD.")]
EndOpt = Annotated[str | None, typer.Option(
    "--period-end", help="Last day of the period, YYYY-MM-DD; alone, the 12 months ending then.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks.")]


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
def _edge(debug: bool, console: Console | None = None) -> Iterator[None]:
    """Turn exceptions into messages and exit codes: the only place that does."""
    err = console or _console()
    try:
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
    except KeyboardInterrupt:
        err.print("interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:
        if debug:
            traceback.print_exc()
        err.print(f"[red]internal error:[/red] {_escape(type(exc).__name__)}: {_escape(str(exc))}"
                  "\nThis is a bug in wres; run again with --debug for a traceback.", markup=True)
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
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r}: not a date in YYYY-MM-DD form") from None


def _period(start: str | None, end: str | None) -> tuple[date | None, date | None] | None:
    s, e = _parse_day(start, "--period-start"), _parse_day(end, "--period-end")
    return None if s is None and e is None else (s, e)


def _print_problems(console: Console, problems: pd.DataFrame) -> None:
    """Summarised first (contracts section 5): a line per file and rule with its
    count, file-level problems first; then up to three examples of each rule."""
    from wres_cli.problem_summary import summary_lines

    for line in summary_lines(problems):
        console.print(line, markup=False, highlight=False)


def _blank(value: Any) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


# ------------------------------------------------------------------ validate

@app.command()
def validate(
    data: DataArg,
    config: ConfigOpt = None,
    standard: StandardOpt = None,
    period_start: StartOpt = None,
    period_end: EndOpt = None,
    errors_out: Annotated[Path | None, typer.Option(
        "--errors-out", help="Write every problem to this CSV (file, row, column, value, rule, "
        "message). It holds values from your extracts: treat it as personal data.")] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Read, classify and check every extract; list every problem. Exit 1 if any."""
    console = _console(quiet)
    with _edge(debug, console):
        from wres_cli.api import validate as run_validate

        with _progress(quiet) as progress:
            report = run_validate(data, config=config, period=_period(period_start, period_end),
                                  standard=standard, progress=progress)
        _print_validation(console, report)
        if errors_out is not None:
            _write_errors(errors_out, report.problems, console)
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


def _write_errors(path: Path, problems: pd.DataFrame, console: Console) -> None:
    from wres_cli.io.writers import frame_to_csv_text, output_folder

    target = path if path.suffix else path.with_suffix(".csv")
    with output_folder(target.parent if str(target.parent) else Path(".")) as folder:
        folder.write_text(target.name, frame_to_csv_text(problems))
    console.print(f"wrote {len(problems)} problem(s) to {target} - it quotes values from your "
                  "extracts, so keep it as safely as the extracts themselves")


# ------------------------------------------------------------------ compute

@app.command()
def compute(
    data: DataArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the outputs (created).")],
    config: ConfigOpt = None,
    standard: StandardOpt = None,
    period_start: StartOpt = None,
    period_end: EndOpt = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="Comma-separated: json,csv,parquet,xlsx. results.json and counts.csv "
        "are always written.")] = "json,csv",
    no_suppress: Annotated[bool, typer.Option(
        "--no-suppress", help="Publish small counts: internal analysis only.")] = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Validate, then write results.json, results.csv and counts.csv to OUT."""
    console = _console(quiet)
    with _edge(debug, console):
        from wres_cli.api import compute as run_compute
        from wres_cli.output import write_results

        formats = _formats(fmt)
        with _progress(quiet) as progress:
            results = run_compute(data, config=config, period=_period(period_start, period_end),
                                  standard=standard, suppress=not no_suppress, progress=progress)
            if progress is not None:
                progress("writing the outputs", 0, 1)
            written = write_results(results, out, formats)
            if progress is not None:
                progress("writing the outputs", 1, 1)
        if no_suppress:
            _console().print("[yellow]warning:[/yellow] --no-suppress: small counts are "
                             "published in these outputs; do not share them.", markup=True)
        from wres_cli.output import headline_table

        console.print(headline_table(results))
        for warning in results.data_quality.get("warnings", []):
            console.print(f"[yellow]warning:[/yellow] {_escape(warning)}", markup=True)
        for ind in results.data_quality.get("no_data", []):
            console.print(f"indicator {ind}: no data (its extract is missing)")
        console.print("wrote " + ", ".join(str(p) for p in written))
        console.print("counts.csv holds unsuppressed counts for pooling under a data-sharing "
                      "agreement: do not publish it.")


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = sorted(set(formats) - {"json", "csv", "parquet", "xlsx"})
    if unknown:
        raise UsageError(f"--format: unknown {', '.join(unknown)} (choose from json, csv, "
                         "parquet, xlsx)")
    return formats


# ------------------------------------------------------------------ report, trend, benchmark

@app.command()
def report(
    inputs: Annotated[list[Path], typer.Argument(
        help="A data folder (computed first), or one or more results.json files; several "
        "periods add a trend section.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.html, report.md "
                                      "and charts/.")],
    config: ConfigOpt = None,
    standard: StandardOpt = None,
    period_start: StartOpt = None,
    period_end: EndOpt = None,
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="A folder of your own templates, searched before the shipped ones "
        "(see docs/reports.md).")] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Write a board-ready report: self-contained HTML and Markdown with charts."""
    console = _console(quiet)
    with _edge(debug, console):
        from wres_cli.report import write_report

        with _progress(quiet) as progress:
            written = write_report(inputs, out, config=config,
                                   period=_period(period_start, period_end), standard=standard,
                                   templates=templates, progress=progress)
        console.print("wrote " + ", ".join(str(p) for p in written if p.suffix != ".svg"))


@app.command()
def trend(
    results: Annotated[list[Path], typer.Argument(help="results.json files, one per period.",
                                                  show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for trend.csv and charts/.")],
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Values over periods, the change from the previous period and whether it is real."""
    console = _console(quiet)
    with _edge(debug, console):
        from wres_cli.trend import load_results, overlap_notices, write_trend_documents

        documents = [load_results(p) for p in results]
        written = write_trend_documents(documents, out)
        for notice in overlap_notices(documents):
            console.print(f"[yellow]warning:[/yellow] {_escape(notice)}")
        console.print("wrote " + ", ".join(str(p) for p in written if p.suffix != ".svg"))


@app.command()
def benchmark(
    counts: Annotated[list[Path], typer.Argument(help="counts.csv files, one per organisation.",
                                                 show_default=False)],
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
    with _edge(debug, console):
        from wres_cli.benchmark import write_benchmark

        written = write_benchmark(counts, out, config=config,
                                  allow_mixed_periods=allow_mixed_periods,
                                  suppress=not no_suppress)
        if no_suppress:
            _console().print("[yellow]warning:[/yellow] --no-suppress: small counts are "
                             "published in these outputs; do not share them.", markup=True)
        _print_written_warnings(console, written)
        console.print("wrote " + ", ".join(str(p) for p in written if p.suffix != ".svg"))


def _print_written_warnings(console: Console, written: list[Path]) -> None:
    import json

    for path in written:
        if path.name == "results.json":
            quality = json.loads(path.read_text(encoding="utf-8")).get("data_quality", {})
            for warning in quality.get("warnings", []):
                console.print(f"[yellow]warning:[/yellow] {_escape(str(warning))}", markup=True)


# ------------------------------------------------------------------ indicators

@app.command()
def indicators(
    standard: Annotated[str, typer.Option("--standard", help="social-care or nhs.")] =
    "social-care",
    debug: DebugOpt = False,
) -> None:
    """The indicator definitions in words."""
    with _edge(debug):
        from wres_cli.indicators import describe, load_indicators

        if standard not in ("social-care", "nhs"):
            raise UsageError(f"unknown standard {standard!r}: choose social-care or nhs")
        texts = [describe(ind) for ind in load_indicators(standard)]
        typer.echo("\n\n".join(texts))


# ------------------------------------------------------------------ init, sample

@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to write wres.toml and templates/.")] =
    Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    standard: Annotated[str, typer.Option(
        "--standard", help="social-care, or nhs for a trust's wres.toml (AfC bands, ESR "
        "staff groups, survey_summary template).")] = "social-care",
    debug: DebugOpt = False,
) -> None:
    """Write a commented wres.toml and header-only template extracts."""
    console = _console()
    with _edge(debug, console):
        from wres_cli.init_files import write_init

        for path in write_init(directory, force=force, standard=standard.lower()):
            console.print(f"wrote {path}")


@app.command()
def sample(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the extracts to.")],
    staff: Annotated[int, typer.Option("--staff", min=50, help="People in the workforce.")] = 4000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same data).")] =
    2026,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx or parquet.")] = "csv",
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Write a synthetic council's extracts (no real people) and its wres.toml."""
    console = _console(quiet)
    with _edge(debug, console):
        from wres_cli.output import write_sample_folder

        if fmt not in ("csv", "xlsx", "parquet"):
            raise UsageError(f"--format {fmt!r}: choose csv, xlsx or parquet")
        written = write_sample_folder(out, staff=staff, seed=seed, fmt=fmt)
        console.print(f"wrote {len(written)} files to {out}")


def main(argv: list[str] | None = None) -> None:
    _run(app, argv)


def _run(typer_app: Callable[..., Any], argv: list[str] | None) -> None:
    typer_app(args=argv if argv is not None else sys.argv[1:], prog_name="wres")
