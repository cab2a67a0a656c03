"""The library API: ``validate`` and ``compute``. Pure of printing and exiting:
problems come back as a table, failures as ``WresError`` exceptions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from wres_cli import __version__
from wres_cli import problem_rules as rules
from wres_cli.config import Config, Period, find_config, load_config, resolve_period
from wres_cli.contract import COUNT_COLUMNS, EXTRACTS
from wres_cli.documents import DataQuality, ExtractQuality, InputEntry, Meta, generated_at
from wres_cli.errors import InputError, UsageError
from wres_cli.prepare import Prepared
from wres_cli.problems import Problems, problem_frame

if TYPE_CHECKING:
    from wres_cli.counts import CountResult

PathLike = str | os.PathLike[str]
ConfigArg = PathLike | Config | None
PeriodArg = Period | tuple[date | str | None, date | str | None] | None
#: extract name -> its records, for data already in memory
Frames = Mapping[str, pd.DataFrame]


@dataclass
class ExtractSummary:
    name: str
    file: str
    rows_read: int
    columns: dict[str, str]
    declaration_rate: float | None
    problems: int
    #: where the table was found in the file (workbooks: the sheet; the header's row)
    sheet: str | None = None
    header_row: int | None = None
    #: reason -> rows left out (contract types, secondary assignments, ...)
    excluded: dict[str, int] = field(default_factory=dict)


@dataclass(repr=False)
class ValidationReport:
    """What ``validate`` found. ``problems`` has the columns of ``--errors-out``;
    ``ok`` says whether there are none. The person-level frames behind it are
    private: they never leave the library."""

    problems: pd.DataFrame
    summaries: list[ExtractSummary]
    config: Config
    period: Period
    standard: str
    #: the period of the configured reporting year (flags aside)
    reporting_period: Period
    #: extract -> data-quality entry (rows, scope, declaration rate, unknown values)
    quality: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: person-level frames ready for counting, and their scope; never written out
    _prepared: Prepared = field(default_factory=Prepared)
    inputs: dict[str, InputEntry] = field(default_factory=dict)
    #: extract -> reason -> rows left out by the prepare stage's rules
    exclusions: dict[str, dict[str, int]] = field(default_factory=dict)
    #: survey_summary counts worked out from a percent (data quality lists them)
    summary_derivations: list[dict[str, Any]] = field(default_factory=list)
    #: the organisation's own indicator definitions (``[indicators] local``)
    local_indicators: list[Any] = field(default_factory=list)

    @property
    def indicators(self) -> list[Any]:
        """The standard's definitions and the local ones, in output order."""
        from wres_cli.local import definitions

        return definitions(self.standard, local=self.local_indicators)

    @property
    def ok(self) -> bool:
        return len(self.problems) == 0

    def __repr__(self) -> str:
        return (f"ValidationReport(ok={self.ok}, problems={len(self.problems)}, "
                f"extracts={[s.name for s in self.summaries]}, standard={self.standard!r}, "
                f"period={self.period.start} to {self.period.end})")


@dataclass(repr=False)
class Results:
    """What ``compute`` returns: result rows, the counts cube, meta and data quality
    (contracts sections 3 and 5); ``headline()`` and ``table()`` are views of the
    rows for people (``wres_cli.tables``, docs/library.md)."""

    results: pd.DataFrame
    counts: pd.DataFrame
    meta: Meta
    data_quality: DataQuality

    def headline(self) -> pd.DataFrame:
        """One row per indicator: its overall minority-vs-White comparison in the
        indicator's direction, with its interval and assessment."""
        from wres_cli.tables import headline

        return headline(self.results)

    def table(self, indicator: str, breakdown: str = "overall", *, measure: str | None = None,
              values: str = "value") -> pd.DataFrame:
        """One indicator's ``breakdown``: levels as rows, groups as columns; cells the
        ``values`` column (default ``value``: the share or rate, unless ``measure``
        names another); withheld cells are NaN."""
        from wres_cli.tables import indicator_table

        return indicator_table(self.results, indicator, breakdown, measure, values)

    def __repr__(self) -> str:
        from wres_cli.tables import summary_line

        return summary_line(self.meta, self.results)

    def _repr_html_(self) -> str:
        from wres_cli.tables import headline_html

        return headline_html(self.meta, self.results)


#: ``progress(step, done, total)``, for a display of long runs: called when a
#: step starts (``done`` 0) and when it ends (``done == total``). ``step`` says
#: what in a few words ("reading workforce.csv", "counting"); reading counts
#: bytes, other steps count 1. Files are read on several threads, so it must be
#: thread-safe. The library never prints: the CLI draws these on a terminal.
Progress = Callable[[str, int, int], None]


@contextmanager
def _step(progress: Progress | None, what: str) -> Iterator[None]:
    if progress is not None:
        progress(what, 0, 1)
    yield
    if progress is not None:
        progress(what, 1, 1)


def validate(data_dir: PathLike | None = None, *, frames: Frames | None = None,
             config: ConfigArg = None, period: PeriodArg = None, standard: str | None = None,
             today: date | None = None, progress: Progress | None = None) -> ValidationReport:
    """Read, classify and check every extract in ``data_dir``, or the DataFrames in
    ``frames`` (extract name -> frame, read as files of those extracts are: see
    ``wres_cli.io.frames``); never raises for bad data. ``config``: a ``wres.toml``
    path or a loaded ``Config``; without one, a folder's ``wres.toml`` (else the
    current folder's) is used, and frames get the defaults."""
    from wres_cli.local import (
        added_columns,
        answer_problems,
        check_column_maps,
        check_where_columns,
        local_definitions,
    )
    from wres_cli.prepare import prepare_counting, prepare_records
    from wres_cli.quality import validation_quality

    folder = _data_folder(data_dir, frames)
    cfg = _config(config, folder)
    chosen_standard = _standard(standard, cfg)
    # Default labels follow the standard in use ("BME" under NHS), not the config file's.
    cfg = replace(cfg, standard=chosen_standard)
    chosen_period = _period(period, cfg, today)
    # Local measures may add survey questions to the contract for this run.
    local = local_definitions(cfg, chosen_standard)
    cfg = replace(cfg, extra_columns=added_columns(local))
    check_column_maps(cfg)

    if folder is not None:
        from wres_cli.io.readers import read_extracts

        extracts, problems = read_extracts(folder, cfg, progress)
    else:
        from wres_cli.io.frames import read_frames

        assert frames is not None  # _data_folder checked one is given
        with _step(progress, "reading frames"):
            extracts, problems = read_frames(frames, cfg)
    check_where_columns(extracts, local, cfg)
    if "pay" in extracts:
        _check_pay_snapshot(cfg, chosen_period)
    # The business rules that leave rows out come before the checks, so a row left
    # out (a bank worker, a secondary assignment) cannot make the data invalid.
    exclusions = prepare_records(extracts, cfg, problems)
    classifications = _classify_and_check(extracts, cfg, problems, progress)
    answer_problems(extracts, local, problems)
    with _step(progress, "preparing"):
        # After the checks (which report blanks at their rows): the frames counting
        # reads, and the published survey breakdown as counts (with its problems).
        prepared = prepare_counting(extracts, classifications, cfg, chosen_period,
                                    exclusions, problems)
        report = ValidationReport(
            problems=problems.sorted_frame(), summaries=[], config=cfg, period=chosen_period,
            standard=chosen_standard, reporting_period=_period(None, cfg, today),
            inputs={name: {"file": e.file, "sha256": e.sha256, "rows": e.rows_read}
                    for name, e in extracts.items()},
            exclusions=prepared.exclusions, summary_derivations=prepared.derivations,
            local_indicators=local, _prepared=prepared,
        )
        report.quality = validation_quality(extracts, prepared, report.ok)
        report.summaries = _summaries(extracts, report)
    return report


def compute(data_dir: PathLike | None = None, *, frames: Frames | None = None,
            config: ConfigArg = None, period: PeriodArg = None, standard: str | None = None,
            suppress: bool = True, today: date | None = None,
            progress: Progress | None = None) -> Results:
    """Validate (``data_dir`` or ``frames``, as for ``validate``), then count, measure
    and disclose. Raises ``InputError`` (with the problems table) when the data is
    invalid."""
    report = validate(data_dir, frames=frames, config=config, period=period,
                      standard=standard, today=today, progress=progress)
    if not report.ok:
        where = f"the data in {data_dir}" if data_dir is not None else "the frames"
        raise InputError(f"{len(report.problems)} problem(s) in {where}",
                         problems=report.problems)
    return compute_from_report(report, suppress=suppress, progress=progress)


def compute_from_report(report: ValidationReport, *, suppress: bool = True,
                        progress: Progress | None = None) -> Results:
    from wres_cli.counts import count
    from wres_cli.disclosure import disclose
    from wres_cli.measure import adjust_breakdowns, measure
    from wres_cli.quality import declaration_warnings

    cfg, period = report.config, report.period
    indicators = report.indicators
    with _step(progress, "counting"):
        counted = count(report._prepared.frames, indicators, period, cfg)
    with _step(progress, "measuring"):
        rows = measure(counted.cube, indicators, period=period, standard=report.standard,
                       organisation=cfg.organisation, population_benchmark=cfg.population)
    threshold = cfg.suppression_threshold if suppress else None
    pay_rows = _pay_rows(report, indicators, counted, threshold, progress)
    with _step(progress, "withholding small numbers"):
        published = disclose(rows, threshold, indicators,
                             data_quality=_data_quality(report, counted),
                             inputs=report.inputs, public=cfg.suppression_public,
                             bands=cfg.band_of())
    # Disclosure works on any document; what it gives back has the same shape.
    rows, quality = published.results, cast(DataQuality, published.data_quality)
    # Holm over the levels that are published (methodology section 3).
    rows = adjust_breakdowns(rows)
    summary_quality = quality["extracts"].get("survey_summary")
    if summary_quality is not None:
        from wres_cli.survey_summary import withhold_derivations

        summary_quality["derived_counts"] = withhold_derivations(
            summary_quality.get("derived_counts", []), rows, indicators)
    if pay_rows is not None:
        rows = pay_rows if rows.empty else pd.concat([rows, pay_rows], ignore_index=True)
    counts = _counts_frame(counted.cube, cfg, period, report.standard)
    # Warnings are worded from the published figures, so they say nothing withheld.
    from wres_cli.survey_summary import fraction_warnings

    quality["warnings"] = (declaration_warnings(quality["extracts"]) + list(counted.warnings)
                           + _comparison_warnings(rows, cfg)
                           + fraction_warnings(report.summary_derivations))
    meta = _meta(report, threshold)
    meta["inputs"] = cast(dict[str, InputEntry], published.inputs)
    meta["disclosure"] = {**published.outcome,
                          "withheld": int(rows["suppressed"].astype(bool).sum())}
    if "pay" in report._prepared.frames:
        meta["pay"] = {"snapshot": _pay_snapshot(report).isoformat()}
    return Results(results=rows.reset_index(drop=True), counts=counts, meta=meta,
                   data_quality=quality)


def _pay_snapshot(report: ValidationReport) -> date:
    from wres_cli.pay import snapshot_date

    return snapshot_date(report.config.pay_snapshot, report.period.end)


def _pay_rows(report: ValidationReport, indicators: list[Any], counted: CountResult,
              threshold: int | None, progress: Progress | None) -> pd.DataFrame | None:
    """The pay gap rows (methodology section 7), when a pay extract was given; its
    left-out records go to data quality. Withheld by ``pay.withhold`` (its own
    primary, set and derived rules over the pay cells), not by the audit: see
    docs/security.md."""
    from wres_cli.pay import measure_pay, withhold

    definition = next((i for i in indicators if i.measure == "pay_gap"), None)
    if definition is None or "pay" not in report._prepared.frames:
        return None
    cfg = report.config
    with _step(progress, "measuring the pay gap"):
        pay_rows, excluded = measure_pay(
            report._prepared.frames, indicator=definition.id, snapshot=_pay_snapshot(report),
            breakdowns=definition.breakdowns,
            grades_order=cfg.grades_order, organisation=cfg.organisation,
            period_start=report.period.start, period_end=report.period.end,
            standard=report.standard)
        pay_rows = withhold(pay_rows, threshold)
    counted.exclusions.setdefault("pay", {}).update(excluded)
    return pay_rows


# ---------------------------------------------------------------- arguments

def _data_folder(data_dir: PathLike | None, frames: Frames | None) -> Path | None:
    """The folder to read, or None for frames; exactly one of them is given."""
    if (data_dir is None) == (frames is None):
        raise UsageError("give a data folder or frames (a dict of extract name to DataFrame)"
                         + (", not both" if frames is not None else ""))
    if data_dir is None:
        return None
    folder = Path(data_dir)
    if not folder.exists():
        raise UsageError(f"data folder {folder} does not exist")
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder: give the folder that holds the extracts")
    return folder


def _config(config: ConfigArg, folder: Path | None) -> Config:
    if isinstance(config, Config):
        return config
    if folder is None and config is None:
        return Config()  # frames: only a config given says how to read them
    path = find_config(folder, Path(config) if config is not None else None)
    return load_config(path)


def _standard(standard: str | None, cfg: Config) -> str:
    chosen = standard or cfg.standard
    if chosen not in ("social-care", "nhs"):
        raise UsageError(f"unknown standard {chosen!r}: choose social-care or nhs")
    return chosen


def _period(period: PeriodArg, cfg: Config, today: date | None) -> Period:
    start: date | None = None
    end: date | None = None
    if isinstance(period, Period):
        start, end = period.start, period.end
    elif period is not None:
        start, end = (_as_date(v) for v in period)
    return resolve_period(cfg, start, end, today=today or date.today())


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{value!r} is not a date in YYYY-MM-DD form") from exc


def _check_pay_snapshot(cfg: Config, period: Period) -> None:
    """The pay snapshot must lie in the period: pay is of staff in post then."""
    snapshot = cfg.pay_snapshot
    if snapshot is None or period.start <= snapshot <= period.end:
        return
    from wres_cli.errors import ConfigError

    where = str(cfg.source) if cfg.source is not None else "the config"
    raise ConfigError(
        f"'pay.snapshot' ({snapshot.isoformat()}) in {where} is outside the period "
        f"{period.start.isoformat()} to {period.end.isoformat()}: the pay snapshot must be a "
        "day of the reporting period (leave it out to use the period end)")


# ---------------------------------------------------------------- stages

def _classify_and_check(extracts: dict[str, Any], cfg: Config, problems: Problems,
                        progress: Progress | None) -> dict[str, Any]:
    """Classify ethnicity and check every rule, adding the problems found (the
    classifier's first, as ever); returns the classifications.

    Linking the staff ids of the workforce and the event extracts (one hashing of
    a few million ids, in Arrow code that lets go of the GIL) runs on a second
    thread meanwhile: classifying and checking the extracts without staff ids
    (applications, survey) need nothing from it. The rest are checked after it,
    on the shared ids. Problems are per file, so the order they are checked in
    changes nothing in the sorted table."""
    from concurrent.futures import ThreadPoolExecutor

    from wres_cli.ids import STAFF_EXTRACTS, share_staff_ids
    from wres_cli.schemas import check_extracts

    def link() -> None:
        with _step(progress, "linking staff ids"):
            share_staff_ids(extracts)

    independent = {n: e for n, e in extracts.items() if n not in STAFF_EXTRACTS}
    linked = {n: e for n, e in extracts.items() if n in STAFF_EXTRACTS}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wres-link") as pool:
        linking = pool.submit(link)
        with _step(progress, "classifying ethnicity"):
            classifications = _classify(extracts, cfg, problems)
        with _step(progress, "checking every rule"):
            found = check_extracts(independent, cfg)
            linking.result()
            found.extend(check_extracts(linked, cfg))
    problems.extend(found)
    return classifications


def _classify(extracts: dict[str, Any], cfg: Config, problems: Problems) -> dict[str, Any]:
    from wres_cli.ethnicity import classify, unrecognised_message

    classifications = {}
    for name, extract in extracts.items():
        if "ethnicity" not in extract.frame.columns:
            continue
        result = classify(extract.frame["ethnicity"], extra=cfg.ethnicity, chinese=cfg.chinese)
        classifications[name] = result
        for value, n, first in result.unrecognised[["value", "count", "first_row"]].itertuples(
                index=False):
            # The suggestion is never a default such as "other" (methodology section 4).
            problems.add(problem_frame(extract.file, [first], "ethnicity", [value],
                                       rules.UNKNOWN_ETHNICITY,
                                       unrecognised_message(value, n, first)))
        contradicted = result.contradicted
        for value, n, first, why in (contradicted.itertuples(index=False)
                                     if contradicted is not None else ()):
            problems.add(problem_frame(
                extract.file, [first], "ethnicity", [value], rules.ETHNICITY_CONTRADICTION,
                rules.ETHNICITY_CONTRADICTION.message(
                    why=why, where=f"{n} row{'s' if n != 1 else ''}, first at row {first}")))
    return classifications


def _summaries(extracts: dict[str, Any], report: ValidationReport) -> list[ExtractSummary]:
    from wres_cli.problem_summary import problem_count

    # Counted as on screen: a repeated id is one problem.
    by_file = {file: problem_count(group) for file, group in report.problems.groupby("file")}
    summaries = []
    for name in EXTRACTS:
        if name not in extracts:
            continue
        extract = extracts[name]
        summaries.append(ExtractSummary(
            name=name, file=extract.file, rows_read=extract.rows_read,
            columns=dict(extract.columns_found),
            declaration_rate=report.quality.get(name, {}).get("declaration_rate"),
            problems=int(by_file.get(extract.file, 0)),
            sheet=extract.sheet, header_row=extract.header_row,
            excluded=dict(report.quality.get(name, {}).get("excluded")
                          or report.exclusions.get(name, {})),
        ))
    return summaries


# ---------------------------------------------------------------- outputs

def _counts_frame(cube: pd.DataFrame, cfg: Config, period: Period, standard: str) -> pd.DataFrame:
    counts = cube.copy()
    if "organisation" not in counts.columns:
        counts.insert(0, "organisation", cfg.organisation)
    counts["period_start"] = period.start.isoformat()
    counts["period_end"] = period.end.isoformat()
    counts["standard"] = standard
    counts["population"] = counts["population"].astype("int64")
    counts["events"] = counts["events"].astype("int64")
    return counts[list(COUNT_COLUMNS)].reset_index(drop=True)


def _data_quality(report: ValidationReport, counted: CountResult) -> DataQuality:
    """Data quality as counted, before disclosure coarsens what would narrow a
    withheld count."""
    from wres_cli.quality import declaration_by_grade

    extracts: dict[str, ExtractQuality] = {}
    for name, validated in report.quality.items():
        entry = cast(ExtractQuality, dict(validated))
        # What counting left out is added to what the prepare stage did; the two name
        # the same rows only for a population dated as the scope is (the applications
        # in the period), so set, not add.
        excluded: dict[str, int] = dict(validated.get("excluded", {}))
        excluded.update({reason: int(n) for reason, n in counted.exclusions.get(name, {}).items()})
        entry["excluded"] = excluded
        if name not in report._prepared.scope:  # the scope of the rest: what is counted
            entry["rows_in_scope"] = int(validated["rows_read"]) - sum(excluded.values())
        if name == "survey_summary":
            entry["derived_counts"] = [dict(d) for d in report.summary_derivations]
            entry["survey_year"] = report._prepared.frames[name].attrs.get("year")
        extracts[name] = entry

    by_grade: dict[str, float | None] = {}
    workforce = report._prepared.frames["workforce"]
    in_post = report._prepared.scope.get("workforce")
    grades = declaration_by_grade(
        workforce, np.ones(len(workforce), dtype=bool) if in_post is None else in_post,
        report.config.grades_order)
    for grade, (rate, _known, _headcount) in grades.items():
        by_grade[grade] = rate
    return {
        "extracts": extracts,
        "declaration_rate_by_grade": by_grade,
        "no_data": list(counted.no_data),
        "warnings": [],
    }


def _comparison_warnings(rows: pd.DataFrame, cfg: Config) -> list[str]:
    """Headline comparisons a reader will find empty, and why."""
    headline = rows[(rows["measure"] == "relative_likelihood") & (rows["breakdown"] == "overall")
                    & rows["group"].isin(["minority", "white"])
                    & rows["reference"].isin(["minority", "white"])
                    & rows["assessment"].isin(["suppressed", "not calculable"])]
    return [
        f"indicator {r.indicator}: {cfg.label(r.group)} vs {cfg.label(r.reference)} cannot be "
        f"compared ({r.note})"
        for r in headline.itertuples(index=False)
    ]


def _meta(report: ValidationReport, threshold: int | None) -> Meta:
    cfg = report.config
    meta: Meta = {
        "schema_version": 1,
        "tool_version": __version__,
        "generated_at": generated_at(),
        "standard": report.standard,
        "organisation": cfg.organisation,
        "period": {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()},
        # The configured (or default) reporting year: a report for another period is
        # for internal monitoring (methodology section 5, differencing).
        "reporting_period": {"start": report.reporting_period.start.isoformat(),
                             "end": report.reporting_period.end.isoformat()},
        "inputs": report.inputs,
        "suppression_threshold": threshold,
        "chinese": cfg.chinese,
        # Every group's display text, and the [population] benchmark of indicator 9:
        # a report rendered from this file alone says what one from the data says.
        "labels": cfg.all_labels(),
        "population": dict(cfg.population) if cfg.population else None,
    }
    if report.local_indicators:
        # The local definitions, as written, so a report or trend from this file alone
        # words them as one from the data does (methodology section 8).
        from wres_cli.local import meta_entry

        meta["local_indicators"] = meta_entry(report.local_indicators)
    return meta
