"""``wres.toml``: finding it, validating it strictly, and the reporting period.

The config is checked in full before anything else runs, and every problem is
reported at once with the dotted key it concerns, so a user fixes the file in
one pass. This module imports only the standard library (and ``contract``),
because the CLI loads it before any command runs and must start fast.
"""

from __future__ import annotations

import codecs
import difflib
import json
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from wres_cli.contract import EXTRACTS
from wres_cli.errors import ConfigError, UsageError, raise_config_errors

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

#: The keys of each fixed table ("" is the top level). ``columns``, ``files`` and
#: ``ethnicity`` have keys that depend on the contract or are free; see ``ALL_KEYS``.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "": ("organisation", "standard", "period", "grades", "population", "columns", "files",
         "ethnicity", "classification", "suppression", "labels", "workforce", "links",
         "values", "pay", "indicators"),
    "period": ("start", "end"),
    "indicators": ("local",),
    "pay": ("snapshot",),
    "grades": ("order", "senior", "bands"),
    "population": POPULATION_GROUPS,
    "files.<extract>": ("path", "sheet", "header_row", "skip_footer", "encoding", "delimiter"),
    "workforce": ("one_row_per", "exclude_contract_types"),
    "links": ("unmatched",),
    "values": VALUE_MAP_COLUMNS,
    "classification": ("chinese",),
    "suppression": ("threshold", "public"),
    "labels": LABEL_GROUPS,
}

#: Every key a user can write, dotted; ``<...>`` stands for a name the user chooses.
ALL_KEYS: tuple[str, ...] = (
    "organisation", "standard", "period.start", "period.end", "grades.order", "grades.senior",
    "grades.bands.<band>",
    *(f"population.{g}" for g in POPULATION_GROUPS),
    "columns.<extract>.<column>",
    *(f"files.<extract>.{k}" for k in TABLE_KEYS["files.<extract>"]),
    "workforce.one_row_per", "workforce.exclude_contract_types", "links.unmatched",
    *(f"values.{c}.<raw value>" for c in VALUE_MAP_COLUMNS),
    "ethnicity.<raw value>", "classification.chinese", "suppression.threshold",
    "suppression.public", "pay.snapshot", "indicators.local",
    *(f"labels.{g}" for g in LABEL_GROUPS),
)

# Encodings offered as "did you mean" when an encoding name is not recognised.
_COMMON_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "ascii")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
#: The extract, and the names, of columns a local indicator may add.
LOCAL_COLUMN_EXTRACT = "survey"
_LOCAL_COLUMN = re.compile(r"[a-z][a-z0-9_]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    checker = _Checker(where)
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


def _dotted(parts: Iterable[str]) -> str:
    """A key path as TOML would write it, quoting parts that are not bare keys."""
    return ".".join(p if _BARE_KEY.fullmatch(p) else json.dumps(p, ensure_ascii=False)
                    for p in parts)


# Checked in this order: bool before int (bool is an int), datetime before date.
_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "true/false"), (str, "text"), (int, "an integer"), (float, "a number"),
    (datetime, "a date-time"), (date, "a date"), (time, "a time"),
)


def _describe(value: Any) -> str:
    """What a wrong value is, for 'must be X, not <this>'."""
    if isinstance(value, list):
        return "a list"
    kind = next((name for cls, name in _KINDS if isinstance(value, cls)), None)
    if kind is None:
        return "a table"
    if isinstance(value, bool):
        shown = str(value).lower()
    elif isinstance(value, str):
        shown = json.dumps(value, ensure_ascii=False)
    else:
        shown = str(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} ({shown})"


def _close(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate, ignoring case (HR people write Staff_ID for staff_id)."""
    by_lower = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=1)
    return by_lower[found[0]] if found else None


class _Checker:
    """Collects every problem in a config, each naming its dotted key."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.errors: list[str] = []

    def fail(self, path: tuple[str, ...], problem: str) -> None:
        self.errors.append(f"'{_dotted(path)}' in {self.where} {problem}")

    def wrong(self, path: tuple[str, ...], expected: str, value: Any) -> None:
        self.fail(path, f"must be {expected}, not {_describe(value)}")

    def raise_if_any(self) -> None:
        raise_config_errors(self.where, self.errors)

    def unknown_keys(self, path: tuple[str, ...], table: Mapping[str, Any],
                     allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                self.errors.append(self._unknown_message((*path, key), allowed))

    def _unknown_message(self, full: tuple[str, ...], allowed: tuple[str, ...]) -> str:
        message = f"unknown key '{_dotted(full)}' in {self.where}"
        close = _close(full[-1], allowed)
        if close is not None:
            return message + f" (did you mean '{_dotted((*full[:-1], close))}'?)"
        # Only fixed tables: a misspelt column name is not a misplaced 'period.start'.
        elsewhere = None if full[0] in ("columns", "files", "values") else _known_elsewhere(full)
        if elsewhere is not None:
            message += f" (did you mean '{elsewhere}'?"
            if "." not in elsewhere:
                # The classic TOML slip: a top-level key written below a [table] header.
                message += " Top-level keys must come before the first [table] header."
            message += ")"
        return message

    # Each reader returns the checked value, or None after recording a problem.

    def table(self, path: tuple[str, ...], value: Any) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.wrong(path, "a table", value)
        return None

    def text(self, path: tuple[str, ...], value: Any) -> str | None:
        if not isinstance(value, str):
            self.wrong(path, "text in double quotes", value)
            return None
        if not value.strip():
            self.fail(path, "must not be blank")
            return None
        return value

    def choice(self, path: tuple[str, ...], value: Any, choices: tuple[str, ...]) -> str | None:
        if isinstance(value, str) and value in choices:
            return value
        options = " or ".join(json.dumps(c) for c in choices)
        self.fail(path, f"must be {options}, not {_describe(value)}")
        return None

    def iso_date(self, path: tuple[str, ...], value: Any) -> date | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                self.fail(path, f"is not a real date: {json.dumps(value)}")
                return None
        self.wrong(path, "a date such as 2025-04-01", value)
        return None

    def share(self, path: tuple[str, ...], value: Any) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.wrong(path, "a number between 0 and 1", value)
            return None
        if not 0 <= value <= 1:  # also rejects nan
            self.fail(path, f"must be between 0 and 1, not {value}")
            return None
        return float(value)

    def text_list(self, path: tuple[str, ...], value: Any) -> tuple[str, ...] | None:
        expected = 'a list of text, e.g. ["G1", "G2"]'
        if not isinstance(value, list):
            self.wrong(path, expected, value)
            return None
        bad = [v for v in value if not isinstance(v, str)]
        if bad:
            self.fail(path, f"must be {expected}; it holds {_describe(bad[0])}")
            return None
        if any(not v.strip() for v in value):
            self.fail(path, "must not hold blank text")
            return None
        return tuple(value)

    def positive(self, path: tuple[str, ...], value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong(path, "a whole number such as 3", value)
            return None
        if value < 1:
            self.fail(path, f"must be at least 1 (the first row is 1), not {value}")
            return None
        return value

    def count(self, path: tuple[str, ...], value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong(path, "a whole number such as 1", value)
            return None
        if value < 0:
            self.fail(path, f"must not be negative, not {value}")
            return None
        return value

    def encoding(self, path: tuple[str, ...], value: Any) -> str | None:
        name = self.text(path, value)
        if name is None:
            return None
        try:
            codecs.lookup(name)
        except LookupError:
            close = _close(name, _COMMON_ENCODINGS)
            hint = f' (did you mean "{close}"?)' if close else ' (e.g. "utf-8" or "cp1252")'
            self.fail(path, f"is not an encoding Python knows: {json.dumps(name)}{hint}")
            return None
        return name

    def delimiter(self, path: tuple[str, ...], value: Any) -> str | None:
        if isinstance(value, str) and value in DELIMITERS:
            return value
        self.fail(path, f'must be ",", ";", "\\t" (tab) or "|", not {_describe(value)}')
        return None


def _known_elsewhere(full: tuple[str, ...]) -> str | None:
    """A fixed key with the same last part in another table (``threshold`` ->
    ``suppression.threshold``), for keys written under the wrong header."""
    leaf = full[-1]
    matches = [k for k in ALL_KEYS if "<" not in k and k.split(".")[-1] == leaf
               and k != _dotted(full)]
    return matches[0] if len(matches) == 1 else None


# --------------------------------------------------------------------------- sections

_Section = Callable[[dict[str, Any], _Checker], dict[str, Any]]


def _read_document(data: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys((), data, TABLE_KEYS[""])
    values: dict[str, Any] = {}
    if "organisation" in data:
        values["organisation"] = ck.text(("organisation",), data["organisation"])
    if "standard" in data:
        values["standard"] = ck.choice(("standard",), data["standard"], STANDARDS)
    for name, reader in _SECTIONS.items():
        if name in data:
            table = ck.table((name,), data[name])
            if table is not None:
                values.update(reader(table, ck))
    # A value that failed its check is None; leave the default in its place.
    return {k: v for k, v in values.items() if v is not None}


def _read_period(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("period",), table, TABLE_KEYS["period"])
    start = ck.iso_date(("period", "start"), table["start"]) if "start" in table else None
    end = ck.iso_date(("period", "end"), table["end"]) if "end" in table else None
    for key, day in (("start", start), ("end", end)):
        if day is not None and (problem := day_out_of_range(day)):
            ck.fail(("period", key), problem)
    start = start if start is None or not day_out_of_range(start) else None
    end = end if end is None or not day_out_of_range(end) else None
    if start is not None and end is not None and end < start:
        ck.errors.append(_config_end_before_start(start, end, ck.where))
    return {"period_start": start, "period_end": end}


def _read_grades(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("grades",), table, TABLE_KEYS["grades"])
    order = senior = None
    if "order" in table:
        order = _grade_order(table["order"], ck)
    if "senior" in table:
        senior = ck.text_list(("grades", "senior"), table["senior"])
    if order is not None and senior is not None:
        missing = [g for g in senior if g not in order]
        if missing:
            listed = ", ".join(json.dumps(g) for g in missing)
            ck.fail(("grades", "senior"), f"lists {listed}, not in 'grades.order'")
    bands = _grade_bands(table["bands"], order, ck) if "bands" in table else None
    return {"grades_order": order, "grades_senior": senior, "grade_bands": bands}


def _grade_bands(value: Any, order: tuple[str, ...] | None,
                 ck: _Checker) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
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


def _grade_order(value: Any, ck: _Checker) -> tuple[str, ...] | None:
    order = ck.text_list(("grades", "order"), value)
    if order is None:
        return None
    if not order:
        # An empty order would make every grade in the data invalid.
        ck.fail(("grades", "order"), "must list at least one grade")
        return None
    repeated = sorted({g for g in order if order.count(g) > 1}, key=order.index)
    if repeated:
        listed = ", ".join(json.dumps(g) for g in repeated)
        ck.fail(("grades", "order"), f"lists {listed} more than once")
        return None
    return order


def _read_population(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("population",), table, POPULATION_GROUPS)
    shares = {g: ck.share(("population", g), table[g]) for g in POPULATION_GROUPS if g in table}
    checked = {g: s for g, s in shares.items() if s is not None}
    if len(checked) == len(POPULATION_GROUPS):
        total = sum(checked.values())
        if abs(total - 1) > POPULATION_TOLERANCE:
            ck.errors.append(f"the five 'population' shares in {ck.where} add up to "
                             f"{total:.3f}; they must add up to 1 (within "
                             f"{POPULATION_TOLERANCE})")
    if len(checked) < len(shares):
        return {}
    return {"population": checked}


def _read_columns(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("columns",), table, EXTRACTS)
    columns: dict[str, dict[str, str]] = {}
    for extract in EXTRACTS:
        mapping = ck.table(("columns", extract), table[extract]) if extract in table else None
        if mapping is None:
            continue
        canonical = EXTRACTS[extract].column_names
        # A local indicator may add survey questions (methodology section 8): such
        # keys are checked once the local files are read (``local.check_column_maps``).
        own = ([c for c in mapping if c not in canonical and _LOCAL_COLUMN.fullmatch(c)]
               if extract == LOCAL_COLUMN_EXTRACT else [])
        ck.unknown_keys(("columns", extract), {k: v for k, v in mapping.items() if k not in own},
                        canonical)
        headers = {c: ck.text(("columns", extract, c), mapping[c])
                   for c in [*canonical, *own] if c in mapping}
        columns[extract] = {c: h for c, h in headers.items() if h is not None}
    return {"columns": columns}


def _read_files(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("files",), table, EXTRACTS)
    files: dict[str, FileHints] = {}
    for extract in EXTRACTS:
        hints = ck.table(("files", extract), table[extract]) if extract in table else None
        if hints is not None:
            files[extract] = _file_hints(extract, hints, ck)
    return {"files": files}


def _file_hints(extract: str, hints: dict[str, Any], ck: _Checker) -> FileHints:
    path = ("files", extract)
    ck.unknown_keys(path, hints, TABLE_KEYS["files.<extract>"])
    readers = {"path": ck.text, "sheet": ck.text, "encoding": ck.encoding,
               "delimiter": ck.delimiter, "header_row": ck.positive, "skip_footer": ck.count}
    checked = {key: read((*path, key), hints[key]) for key, read in readers.items()
               if key in hints}
    return FileHints(**{k: v for k, v in checked.items() if v is not None})


def _read_workforce(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("workforce",), table, TABLE_KEYS["workforce"])
    values: dict[str, Any] = {}
    if "one_row_per" in table:
        values["one_row_per"] = ck.choice(("workforce", "one_row_per"), table["one_row_per"],
                                          ONE_ROW_PER)
    if "exclude_contract_types" in table:
        values["exclude_contract_types"] = ck.text_list(
            ("workforce", "exclude_contract_types"), table["exclude_contract_types"])
    return values


def _read_links(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("links",), table, TABLE_KEYS["links"])
    if "unmatched" not in table:
        return {}
    return {"unmatched": ck.choice(("links", "unmatched"), table["unmatched"], UNMATCHED)}


def _read_values(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
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


def _read_ethnicity(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
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


def _read_classification(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("classification",), table, TABLE_KEYS["classification"])
    if "chinese" not in table:
        return {}
    return {"chinese": ck.choice(("classification", "chinese"), table["chinese"],
                                 CHINESE_CHOICES)}


def _read_suppression(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("suppression",), table, TABLE_KEYS["suppression"])
    out: dict[str, Any] = {}
    if "public" in table:
        public = ck.text_list(("suppression", "public"), table["public"])
        if public is not None:
            out["suppression_public"] = public
    if "threshold" not in table:
        return out
    value, path = table["threshold"], ("suppression", "threshold")
    # bool is a subclass of int in Python; `threshold = true` is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        ck.wrong(path, "a whole number such as 10", value)
        return {}
    if value < MIN_THRESHOLD:
        # A threshold of 1 withholds nothing (every count is at least 1 or is 0):
        # that is --no-suppress, which says so on screen, not a quiet config value.
        ck.fail(path, f"must be at least {MIN_THRESHOLD}, not {value} (a threshold below "
                f"{MIN_THRESHOLD} withholds nothing; use --no-suppress for unsuppressed "
                "internal analysis)")
        return out
    return {**out, "suppression_threshold": value}


def _read_labels(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("labels",), table, LABEL_GROUPS)
    labels = {g: ck.text(("labels", g), table[g]) for g in LABEL_GROUPS if g in table}
    return {"labels": {g: text for g, text in labels.items() if text is not None}}


def _read_pay(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("pay",), table, TABLE_KEYS["pay"])
    if "snapshot" not in table:
        return {}
    return {"pay_snapshot": ck.iso_date(("pay", "snapshot"), table["snapshot"])}


def _read_indicators(table: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    ck.unknown_keys(("indicators",), table, TABLE_KEYS["indicators"])
    if "local" not in table:
        return {}
    folder = ck.text(("indicators", "local"), table["local"])
    return {"local_indicators": Path(folder)} if folder is not None else {}


_SECTIONS: dict[str, _Section] = {
    "period": _read_period,
    "grades": _read_grades,
    "population": _read_population,
    "columns": _read_columns,
    "files": _read_files,
    "ethnicity": _read_ethnicity,
    "classification": _read_classification,
    "suppression": _read_suppression,
    "labels": _read_labels,
    "workforce": _read_workforce,
    "links": _read_links,
    "values": _read_values,
    "pay": _read_pay,
    "indicators": _read_indicators,
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
