"""``wres.toml``: finding it, validating it strictly, and the reporting period.

The config is checked in full before anything else runs, and every problem is
reported at once with the dotted key it concerns, so a user fixes the file in
one pass. This module imports only the standard library (and ``contract``),
because the CLI loads it before any command runs and must start fast.
"""

from __future__ import annotations

import codecs
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from wres_cli.contract import EXTRACTS, LOCAL_COLUMN_EXTRACT, LOCAL_COLUMN_NAME
from wres_cli.errors import ConfigError, UsageError
from wres_cli.toml_checker import (
    Key,
    KeyPath,
    Schema,
    TomlChecker,
    closest,
    describe,
    dotted,
    one_of,
    table_of,
)

CONFIG_NAME = "wres.toml"

STANDARDS = ("social-care", "nhs")
CHINESE_CHOICES = ("asian", "other")
DELIMITERS = (",", ";", "\t", "|")
POPULATION_GROUPS = ("white", "asian", "black", "mixed", "other")
#: Shares given for all five groups may miss 1 by this much (published shares are rounded).
POPULATION_TOLERANCE = 0.005
#: Columns whose raw values ``[values.<column>]`` maps before validation.
VALUE_MAP_COLUMNS = ("grade", "staff_group")
ONE_ROW_PER = ("person", "assignment")
UNMATCHED = ("error", "exclude")
#: ``header_row`` is looked for among this many rows when not given.
HEADER_SEARCH_ROWS = 20
LABEL_GROUPS = ("minority", "white", "asian", "black", "mixed", "other", "unknown")
DEFAULT_LABELS = {
    "minority": "Minority ethnic",
    "white": "White",
    "asian": "Asian",
    "black": "Black",
    "mixed": "Mixed",
    "other": "Other",
    "unknown": "Unknown",
}
#: NHS WRES publications say "BME" where the social care WRES says "minority ethnic".
NHS_MINORITY_LABEL = "BME"

# Encodings offered as "did you mean" when an encoding name is not recognised.
_COMMON_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "ascii")


@dataclass(frozen=True)
class FileHints:
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    #: the file, when not named after the extract (relative to the data folder)
    path: str | None = None
    #: 1-based row of the headers; None: found among the first rows
    header_row: int | None = None
    #: rows after the data to ignore (a totals line)
    skip_footer: int = 0


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class Config:
    organisation: str | None = None
    standard: str = "social-care"
    period_start: date | None = None
    period_end: date | None = None
    grades_order: tuple[str, ...] | None = None
    grades_senior: tuple[str, ...] | None = None
    #: ``[grades.bands]``: named groups of grades, in the order written; a
    #: ``band`` breakdown for every indicator that breaks down by grade
    grade_bands: tuple[tuple[str, tuple[str, ...]], ...] = ()
    population: dict[str, float] | None = None
    #: extract -> canonical column -> header in the HR extract
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    files: dict[str, FileHints] = field(default_factory=dict)
    #: extra raw ethnicity value -> ONS 2021 category code or broad group code
    ethnicity: dict[str, str] = field(default_factory=dict)
    chinese: str = "asian"
    #: ``[workforce]``: "person" or "assignment" (one row per assignment, needs
    #: primary_assignment), and contract types left out of the workforce
    one_row_per: str = "person"
    exclude_contract_types: tuple[str, ...] = ()
    #: ``[links] unmatched``: "error" or "exclude" (events of people not in the workforce)
    unmatched: str = "error"
    #: ``[values.<column>]``: column -> raw value -> reported value
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    suppression_threshold: int = 10
    #: indicator ids published unsuppressed besides those whose definition says
    #: ``public = true`` (e.g. a council that publishes its directors)
    suppression_public: tuple[str, ...] = ()
    #: ``[pay] snapshot``: the day pay is measured on (None: the period end)
    pay_snapshot: date | None = None
    #: ``[indicators] local``: a folder of the organisation's own indicator files
    #: (methodology section 8), relative to the config file's folder
    local_indicators: Path | None = None
    #: (extract, Column) pairs the local indicators add to the contract for this
    #: run (a survey question of the organisation's own); set by the API
    extra_columns: tuple[tuple[str, Any], ...] = ()
    #: only the labels the user set; ``label()`` fills in the defaults
    labels: dict[str, str] = field(default_factory=dict)
    #: the file this config was read from, if any
    source: Path | None = None

    def label(self, group: str) -> str:
        """Display text for a broad group code (``KeyError`` for an unknown code)."""
        if group in self.labels:
            return self.labels[group]
        if group == "minority" and self.standard == "nhs":
            return NHS_MINORITY_LABEL
        return DEFAULT_LABELS[group]

    def band_of(self) -> dict[str, str]:
        """grade -> its band under ``[grades.bands]`` (empty without bands)."""
        return {grade: band for band, grades in self.grade_bands for grade in grades}

    def all_labels(self) -> dict[str, str]:
        """Every group's display text, defaults applied, in output order."""
        return {group: self.label(group) for group in LABEL_GROUPS}

    def file_hints(self, extract: str) -> FileHints:
        return self.files.get(extract, FileHints())

    def column_map(self, extract: str) -> dict[str, str]:
        """Canonical column -> header in the HR extract, for the columns the user mapped."""
        return self.columns.get(extract, {})


# --------------------------------------------------------------------------- finding


def find_config(data_dir: Path | None, explicit: Path | None = None,
                cwd: Path | None = None) -> Path | None:
    """The config to use: ``--config`` if given, else ``DATA/wres.toml``, else
    ``CWD/wres.toml``, else None (defaults)."""
    if explicit is not None:
        if not explicit.exists():
            raise UsageError(f"config file {explicit} does not exist")
        if not explicit.is_file():
            raise UsageError(f"config file {explicit} is not a file")
        return explicit
    folders = [data_dir] if data_dir is not None else []
    folders.append(cwd if cwd is not None else Path.cwd())
    for folder in folders:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> Config:
    """Read and validate a config file; None gives the defaults."""
    if path is None:
        return Config()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        # utf-8-sig: Windows editors often save a byte-order mark, which TOML itself rejects.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path} is not UTF-8 text (byte {exc.start + 1} cannot be read); "
            "save it as UTF-8"
        ) from None
    return parse_config(text, source=path)


def parse_config(text: str, source: Path | None = None) -> Config:
    """Validate TOML text as a config; every problem found is in one ``ConfigError``."""
    where = str(source) if source is not None else "the config"
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_message(where, exc)) from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"{where} is not a usable config: its arrays or tables are nested "
                          "too deeply") from None
    checker = TomlChecker(where, elsewhere=_known_elsewhere)
    values = _read_document(data, checker)
    checker.raise_if_any()
    if "local_indicators" in values:
        # Relative to the config file's folder (contracts section 2).
        base = source.parent if source is not None else Path.cwd()
        values["local_indicators"] = base / values["local_indicators"]
    return Config(**values, source=source)


def _syntax_message(where: str, exc: tomllib.TOMLDecodeError) -> str:
    message = f"{where} is not valid TOML: {exc}"
    # The likeliest cause for someone new to TOML is a value without quotes.
    if str(exc).startswith("Invalid value"):
        message += (' (text must be in double quotes, e.g. organisation = "Northmoor"; '
                    "dates are written 2025-04-01, numbers 0.5)")
    return message


# --------------------------------------------------------------------------- checking


def _encoding(ck: TomlChecker, path: KeyPath, value: Any) -> str | None:
    name = ck.text(path, value)
    if name is None:
        return None
    try:
        codecs.lookup(name)
    except LookupError:
        close = closest(name, _COMMON_ENCODINGS)
        hint = f' (did you mean "{close}"?)' if close else ' (e.g. "utf-8" or "cp1252")'
        ck.fail(path, f"is not an encoding Python knows: {json.dumps(name)}{hint}")
        return None
    return name


def _delimiter(ck: TomlChecker, path: KeyPath, value: Any) -> str | None:
    if isinstance(value, str) and value in DELIMITERS:
        return value
    ck.fail(path, f'must be ",", ";", "\\t" (tab) or "|", not {describe(value)}')
    return None


def _threshold(ck: TomlChecker, path: KeyPath, value: Any) -> int | None:
    # bool is a subclass of int in Python; `threshold = true` is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        ck.wrong(path, "a whole number such as 10", value)
        return None
    if value < MIN_THRESHOLD:
        # A threshold of 1 withholds nothing (every count is at least 1 or is 0):
        # that is --no-suppress, which says so on screen, not a quiet config value.
        ck.fail(path, f"must be at least {MIN_THRESHOLD}, not {value} (a threshold below "
                f"{MIN_THRESHOLD} withholds nothing; use --no-suppress for unsuppressed "
                "internal analysis)")
        return None
    return value


def _grade_order(ck: TomlChecker, path: KeyPath, value: Any) -> tuple[str, ...] | None:
    order = ck.text_list(path, value, unique=True)
    if order is not None and not order:
        # An empty order would make every grade in the data invalid.
        ck.fail(path, "must list at least one grade")
        return None
    return order


TEXT, TEXT_LIST, DATE = Key(TomlChecker.text), Key(TomlChecker.text_list), Key(TomlChecker.iso_date)

# The keys of each table whose keys are fixed; ``columns``, ``files``, ``values``
# and ``ethnicity`` have keys that depend on the contract or are free.
_PERIOD: Schema = {"start": DATE, "end": DATE}
_GRADES: Schema = {"order": Key(_grade_order), "senior": TEXT_LIST, "bands": Key()}
_POPULATION: Schema = {g: Key(TomlChecker.share) for g in POPULATION_GROUPS}
_FILE_HINTS: Schema = {"path": TEXT, "sheet": TEXT, "encoding": Key(_encoding),
                       "delimiter": Key(_delimiter), "header_row": Key(TomlChecker.positive),
                       "skip_footer": Key(TomlChecker.count)}
_WORKFORCE: Schema = {"one_row_per": Key(one_of(ONE_ROW_PER)), "exclude_contract_types": TEXT_LIST}
_LINKS: Schema = {"unmatched": Key(one_of(UNMATCHED))}
_CLASSIFICATION: Schema = {"chinese": Key(one_of(CHINESE_CHOICES))}
_SUPPRESSION: Schema = {"public": TEXT_LIST, "threshold": Key(_threshold)}
_LABELS: Schema = {g: TEXT for g in LABEL_GROUPS}
_PAY: Schema = {"snapshot": DATE}
_INDICATORS: Schema = {"local": TEXT}

#: Every key a user can write, dotted; ``<...>`` stands for a name the user chooses.
ALL_KEYS: tuple[str, ...] = (
    "organisation", "standard", *(f"period.{k}" for k in _PERIOD),
    "grades.order", "grades.senior", "grades.bands.<band>",
    *(f"population.{g}" for g in _POPULATION),
    "columns.<extract>.<column>",
    *(f"files.<extract>.{k}" for k in _FILE_HINTS),
    *(f"workforce.{k}" for k in _WORKFORCE), *(f"links.{k}" for k in _LINKS),
    *(f"values.{c}.<raw value>" for c in VALUE_MAP_COLUMNS),
    "ethnicity.<raw value>", *(f"classification.{k}" for k in _CLASSIFICATION),
    *(f"suppression.{k}" for k in _SUPPRESSION), *(f"pay.{k}" for k in _PAY),
    *(f"indicators.{k}" for k in _INDICATORS), *(f"labels.{g}" for g in _LABELS),
)


def _known_elsewhere(full: KeyPath) -> str | None:
    """A fixed key with the same last part in another table (``threshold`` ->
    ``suppression.threshold``), for keys written under the wrong header."""
    # Only fixed tables: a misspelt column name is not a misplaced 'period.start'.
    if full[0] in ("columns", "files", "values"):
        return None
    leaf = full[-1]
    matches = [k for k in ALL_KEYS if "<" not in k and k.split(".")[-1] == leaf
               and k != dotted(full)]
    return matches[0] if len(matches) == 1 else None


# --------------------------------------------------------------------------- sections

#: A section's reader: its checked table -> ``Config`` field values.
_Section = Callable[[dict[str, Any], TomlChecker], dict[str, Any]]


def _section(reader: _Section) -> Key:
    """A top-level table read by ``reader`` once it is known to be a table."""
    def read(ck: TomlChecker, path: KeyPath, value: Any) -> dict[str, Any] | None:
        table = ck.table(path, value)
        return None if table is None else reader(table, ck)
    return Key(read)


def _same_names(name: str, schema: Schema) -> _Section:
    """A table whose keys are ``Config`` fields of the same names."""
    return lambda table, ck: ck.fields((name,), table, schema)


def _read_document(data: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    checked = ck.fields((), data, _DOCUMENT)
    values = {k: checked.pop(k) for k in ("organisation", "standard") if k in checked}
    for section in checked.values():
        values.update(section)
    # A value that failed its check is None; leave the default in its place.
    return {k: v for k, v in values.items() if v is not None}


def _read_period(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    days = ck.fields(("period",), table, _PERIOD)
    for key, day in days.items():
        if problem := day_out_of_range(day):
            ck.fail(("period", key), problem)
    start, end = (days.get(k) for k in ("start", "end"))
    start = start if start is None or not day_out_of_range(start) else None
    end = end if end is None or not day_out_of_range(end) else None
    if start is not None and end is not None and end < start:
        ck.add(_config_end_before_start(start, end, ck.where))
    return {"period_start": start, "period_end": end}


def _read_grades(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    got = ck.fields(("grades",), table, _GRADES)
    order, senior = got.get("order"), got.get("senior")
    if order is not None and senior is not None:
        missing = [g for g in senior if g not in order]
        if missing:
            listed = ", ".join(json.dumps(g) for g in missing)
            ck.fail(("grades", "senior"), f"lists {listed}, not in 'grades.order'")
    bands = _grade_bands(got["bands"], order, ck) if "bands" in got else None
    return {"grades_order": order, "grades_senior": senior, "grade_bands": bands}


def _grade_bands(value: Any, order: tuple[str, ...] | None,
                 ck: TomlChecker) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """``[grades.bands]``: band name -> grades; a grade in one band at most, and
    listed in ``grades.order`` when that is given."""
    table = ck.table(("grades", "bands"), value)
    if table is None:
        return None
    bands: list[tuple[str, tuple[str, ...]]] = []
    owner: dict[str, str] = {}
    for name, grades in table.items():
        path = ("grades", "bands", name)
        listed = ck.text_list(path, grades)
        if listed is None:
            continue
        if not listed:
            ck.fail(path, "must list at least one grade")
            continue
        for grade in listed:
            if order is not None and grade not in order:
                ck.fail(path, f"lists {json.dumps(grade)}, not in 'grades.order'")
            elif grade in owner:
                ck.fail(path, f"lists {json.dumps(grade)}, already in band "
                              f"{json.dumps(owner[grade])}")
            owner.setdefault(grade, name)
        bands.append((name, listed))
    return tuple(bands)


def _read_population(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    shares = ck.fields(("population",), table, _POPULATION)
    if len(shares) == len(POPULATION_GROUPS):
        total = sum(shares.values())
        if abs(total - 1) > POPULATION_TOLERANCE:
            ck.add(f"the five 'population' shares in {ck.where} add up to {total:.3f}; they "
                   f"must add up to 1 (within {POPULATION_TOLERANCE})")
    if len(shares) < len(set(table) & set(POPULATION_GROUPS)):
        return {}
    return {"population": shares}


def _read_columns(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    ck.unknown_keys(("columns",), table, EXTRACTS)
    columns: dict[str, dict[str, str]] = {}
    for extract in EXTRACTS:
        mapping = ck.table(("columns", extract), table[extract]) if extract in table else None
        if mapping is None:
            continue
        canonical = EXTRACTS[extract].column_names
        # A local indicator may add survey questions (methodology section 8): such
        # keys are checked once the local files are read (``local.check_column_maps``).
        own = ([c for c in mapping if c not in canonical and LOCAL_COLUMN_NAME.fullmatch(c)]
               if extract == LOCAL_COLUMN_EXTRACT else [])
        headers = ck.fields(("columns", extract),
                            {k: v for k, v in mapping.items() if k not in own},
                            {c: TEXT for c in canonical})
        own_headers = {c: ck.text(("columns", extract, c), mapping[c]) for c in own}
        columns[extract] = {**headers, **{c: h for c, h in own_headers.items() if h is not None}}
    return {"columns": columns}


def _read_files(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    ck.unknown_keys(("files",), table, EXTRACTS)
    files: dict[str, FileHints] = {}
    for extract in EXTRACTS:
        hints = table_of(_FILE_HINTS)(ck, ("files", extract), table[extract]) if (
            extract in table) else None
        if hints is not None:
            files[extract] = FileHints(**hints)
    return {"files": files}


def _read_values(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    """``[values.grade]`` and ``[values.staff_group]``: raw value -> reported value.
    Keys are the HR system's own values; two keys that are the same value once
    case and spaces are ignored must not map to different values."""
    ck.unknown_keys(("values",), table, VALUE_MAP_COLUMNS)
    maps: dict[str, dict[str, str]] = {}
    for column in VALUE_MAP_COLUMNS:
        mapping = ck.table(("values", column), table[column]) if column in table else None
        if mapping is None:
            continue
        checked: dict[str, str] = {}
        seen: dict[str, str] = {}
        for raw, target in mapping.items():
            path = ("values", column, raw)
            value = ck.text(path, target)
            if value is None:
                continue
            key = value_key(raw)
            if not key:
                ck.fail(path, "must not be a blank value")
                continue
            if key in seen and checked[seen[key]] != value:
                ck.fail(path, f"is the same value as {json.dumps(seen[key])} once case and "
                              "spaces are ignored, but maps to a different value")
                continue
            seen[key] = raw
            checked[raw] = value
        maps[column] = checked
    return {"values": maps}


def value_key(value: str) -> str:
    """How grades, staff groups and contract types are matched: ignoring case and
    repeated or surrounding spaces (contracts section 1)."""
    return " ".join(value.split()).casefold()


def _read_ethnicity(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    # Keys are the HR system's own values, so any key goes; the targets are
    # checked against the classification table by the ethnicity module.
    mapping: dict[str, str] = {}
    for raw, target in table.items():
        path = ("ethnicity", raw)
        if isinstance(target, dict):
            ck.fail(path, "must be text, not a table (put a raw value that contains a dot "
                          'in double quotes: "Other.Kurdish" = "other")')
            continue
        checked = ck.text(path, target)
        if checked is not None:
            mapping[raw] = checked
    return {"ethnicity": mapping}


def _read_suppression(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    got = ck.fields(("suppression",), table, _SUPPRESSION)
    return {f"suppression_{k}": v for k, v in got.items()}


def _read_labels(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    return {"labels": ck.fields(("labels",), table, _LABELS)}


def _read_pay(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    return {f"pay_{k}": v for k, v in ck.fields(("pay",), table, _PAY).items()}


def _read_indicators(table: dict[str, Any], ck: TomlChecker) -> dict[str, Any]:
    got = ck.fields(("indicators",), table, _INDICATORS)
    return {"local_indicators": Path(got["local"])} if "local" in got else {}


#: The top level, in the order checked: each table is read by its section reader.
_DOCUMENT: Schema = {
    "organisation": TEXT,
    "standard": Key(one_of(STANDARDS)),
    "period": _section(_read_period),
    "grades": _section(_read_grades),
    "population": _section(_read_population),
    "columns": _section(_read_columns),
    "files": _section(_read_files),
    "ethnicity": _section(_read_ethnicity),
    "classification": _section(_same_names("classification", _CLASSIFICATION)),
    "suppression": _section(_read_suppression),
    "labels": _section(_read_labels),
    "workforce": _section(_same_names("workforce", _WORKFORCE)),
    "links": _section(_same_names("links", _LINKS)),
    "values": _section(_read_values),
    "pay": _section(_read_pay),
    "indicators": _section(_read_indicators),
}


# --------------------------------------------------------------------------- periods


def _one_year_on(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February becomes 1 March, so
    that a year never holds the same calendar day twice."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


#: The smallest ``[suppression] threshold`` accepted.
MIN_THRESHOLD = 2

#: Period dates are refused outside these: years 1 and 9999 overflow the date
#: arithmetic of a 12-month period, and pandas' timestamps end in April 2262.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2199, 12, 31)


def day_out_of_range(day: date) -> str | None:
    """Why a period date cannot be used, or None."""
    if EARLIEST_DAY <= day <= LATEST_DAY:
        return None
    return (f"{day.isoformat()} is out of range: a period date must be between "
            f"{EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}")


def twelve_months_ending(end: date) -> Period:
    """The 12 months ending on ``end`` (inclusive): they start the day after
    ``end``, one year earlier."""
    return Period(_one_year_on(end + timedelta(days=1), -1), end)


def twelve_months_from(start: date) -> Period:
    """The 12 months starting on ``start``: they end the day before its anniversary."""
    return Period(start, _one_year_on(start, 1) - timedelta(days=1))


def default_period(today: date) -> Period:
    """The 12 months to the most recent 31 March on or before ``today`` (the
    financial year both WRES publications report on)."""
    year = today.year if (today.month, today.day) >= (3, 31) else today.year - 1
    return twelve_months_ending(date(year, 3, 31))


def resolve_period(config: Config, start: date | None = None, end: date | None = None, *,
                   today: date) -> Period:
    """The period to report on: flags over config over the default.

    Flags are taken as a pair: ``--period-end`` alone means the 12 months ending
    then, even when the config gives a start, so a rolling job needs one flag.
    """
    for option, day in (("--period-start", start), ("--period-end", end)):
        if day is not None and (problem := day_out_of_range(day)):
            raise UsageError(f"{option} {problem}")
    if start is not None or end is not None:
        return _from_bounds(start, end, lambda s, e: UsageError(
            f"--period-end {e.isoformat()} is before --period-start {s.isoformat()}"))
    if config.period_start is not None or config.period_end is not None:
        where = str(config.source) if config.source is not None else "the config"
        return _from_bounds(config.period_start, config.period_end,
                            lambda s, e: ConfigError(_config_end_before_start(s, e, where)))
    return default_period(today)


def _config_end_before_start(start: date, end: date, where: str) -> str:
    return (f"'period.end' ({end.isoformat()}) is before 'period.start' "
            f"({start.isoformat()}) in {where}")


def _from_bounds(start: date | None, end: date | None,
                 error: Callable[[date, date], Exception]) -> Period:
    if start is not None and end is not None:
        if end < start:
            raise error(start, end)
        return Period(start, end)
    if end is not None:
        return twelve_months_ending(end)
    assert start is not None
    return twelve_months_from(start)
