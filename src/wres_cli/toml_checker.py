"""The one strict checker for wres's TOML files: ``wres.toml`` and indicator files.

A checker collects every problem in a file rather than stopping at the first,
so that a user fixes the file in one pass. Each problem names the file and the
dotted key it concerns (``'period.start' in wres.toml must be a date ...``), and
an unknown key or value comes with the closest known one ("did you mean").

The keys a table may hold are declared as a ``Schema``: key -> ``Key`` (its
reader, and whether it is required). Adding a key to a file's vocabulary is one
line in its schema. This module imports only the standard library, because the
CLI loads the config before any command runs and must start fast.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar

from wres_cli.errors import raise_config_errors

#: A key's place in a file: table and key names, and list positions.
KeyPath = tuple[str | int, ...]
T = TypeVar("T")

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def dotted(path: Iterable[str | int]) -> str:
    """A key path as TOML would write it, quoting parts that are not bare keys;
    list positions are written ``population[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
        out = f"{out}.{name}" if out else name
    return out


# Checked in this order: bool before int (bool is an int), datetime before date.
_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "true/false"), (str, "text"), (int, "an integer"), (float, "a number"),
    (datetime, "a date-time"), (date, "a date"), (time, "a time"),
)


def describe(value: Any) -> str:
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


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate, ignoring case (HR people write Staff_ID for staff_id)."""
    by_lower = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=1)
    return by_lower[found[0]] if found else None


class Abandon(Exception):
    """Raised by a reader to give up on a part of the file whose problem is
    already recorded; ``TomlChecker.guard`` catches it and checking goes on."""


#: Reads one value: the checked value, or None after recording a problem.
Reader = Callable[["TomlChecker", KeyPath, Any], Any]


@dataclass(frozen=True)
class Key:
    """One key of a table: how its value is read (None: by the caller's own
    code, which receives the raw value) and whether the table must have it."""

    read: Reader | None = None
    required: bool = False


#: The keys a table may hold, in the order they are checked.
Schema = Mapping[str, Key]


class TomlChecker:
    """Collects every problem in one file, each naming its dotted key.

    Every reader returns the checked value, or None after recording a problem;
    ``need`` turns that None into ``Abandon`` where later checks depend on it.
    """

    def __init__(self, where: str, *, list_known_keys: bool = False,
                 elsewhere: Callable[[KeyPath], str | None] | None = None) -> None:
        self.where = where
        self.problems: list[str] = []
        #: unknown keys are followed by "; known keys: ..." (small vocabularies)
        self.list_known_keys = list_known_keys
        #: for an unknown key, the place where a key of that name belongs, if any
        self.elsewhere = elsewhere

    # ------------------------------------------------------------------ recording

    def add(self, message: str) -> None:
        """A problem worded in full (one about several keys, or the whole file)."""
        self.problems.append(message)

    def fail(self, path: KeyPath, problem: str) -> None:
        self.problems.append(f"'{dotted(path)}' in {self.where} {problem}")

    def wrong(self, path: KeyPath, expected: str, value: Any) -> None:
        self.fail(path, f"must be {expected}, not {describe(value)}")

    def raise_if_any(self) -> None:
        raise_config_errors(self.where, self.problems)

    @staticmethod
    def need(value: T | None) -> T:
        """``value``, or ``Abandon`` when a reader has already reported it."""
        if value is None:
            raise Abandon
        return value

    def guard(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a reader; when it abandons (its problem recorded), None, and go on."""
        try:
            return fn(*args, **kwargs)
        except Abandon:
            return None

    # ------------------------------------------------------------------ keys

    def unknown_keys(self, path: KeyPath, table: Mapping[str, Any], allowed: Iterable[str],
                     *, explain: str | None = None) -> None:
        """One problem for each key of ``table`` not in ``allowed``."""
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                self.problems.append(self._unknown_message((*path, key), allowed, explain))

    def _unknown_message(self, full: KeyPath, allowed: tuple[str, ...],
                         explain: str | None) -> str:
        message = f"unknown key '{dotted(full)}' in {self.where}"
        if explain:
            message += f": {explain}"
        leaf = full[-1]
        assert isinstance(leaf, str)
        close = closest(leaf, allowed)
        if close is not None:
            message += f" (did you mean '{dotted((*full[:-1], close))}'?)"
        elif (elsewhere := self.elsewhere(full) if self.elsewhere else None) is not None:
            message += f" (did you mean '{elsewhere}'?"
            if "." not in elsewhere:
                # The classic TOML slip: a top-level key written below a [table] header.
                message += " Top-level keys must come before the first [table] header."
            message += ")"
        if self.list_known_keys:
            message += f"; known keys: {', '.join(allowed)}"
        return message

    def fields(self, path: KeyPath, table: Mapping[str, Any], schema: Schema) -> dict[str, Any]:
        """Check ``table`` against ``schema``: unknown keys, missing required ones,
        and each present key's value. Returns key -> checked value (the raw value
        for keys read by the caller), leaving out values that failed their check."""
        self.unknown_keys(path, table, schema)
        for key, spec in schema.items():
            if spec.required and key not in table:
                self.fail((*path, key), "is required")
        out: dict[str, Any] = {}
        for key, spec in schema.items():
            if key not in table:
                continue
            value = table[key] if spec.read is None else spec.read(self, (*path, key), table[key])
            if value is not None:
                out[key] = value
        return out

    # ------------------------------------------------------------------ values

    def table(self, path: KeyPath, value: Any) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.wrong(path, "a table", value)
        return None

    def text(self, path: KeyPath, value: Any) -> str | None:
        if not isinstance(value, str):
            self.wrong(path, "text in double quotes", value)
            return None
        if not value.strip():
            self.fail(path, "must not be blank")
            return None
        return value

    def name(self, path: KeyPath, value: Any, pattern: re.Pattern[str]) -> str | None:
        """An identifier: non-blank text matching ``pattern``."""
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"must be non-blank text, not {describe(value)}")
            return None
        if not pattern.fullmatch(value):
            self.fail(path, f"is not a valid name: {value!r}")
            return None
        return value

    def boolean(self, path: KeyPath, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        self.wrong(path, "true or false", value)
        return None

    def choice(self, path: KeyPath, value: Any, choices: Iterable[str],
               what: str | None = None) -> str | None:
        """One of ``choices``. With ``what`` (a vocabulary: rules, extracts,
        groups) the choices are listed by name; without, as the values to write."""
        choices = tuple(choices)
        if isinstance(value, str) and value in choices:
            return value
        close = closest(value, choices) if isinstance(value, str) else None
        if what is None:
            options = " or ".join(json.dumps(c) for c in choices)
            hint = f" (did you mean {json.dumps(close)}?)" if close else ""
            self.fail(path, f"must be {options}, not {describe(value)}{hint}")
        else:
            hint = f" (did you mean {close!r}?)" if close else ""
            self.fail(path, f"is not a known {what} ({', '.join(choices)}): "
                            f"{describe(value)}{hint}")
        return None

    def iso_date(self, path: KeyPath, value: Any) -> date | None:
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

    def share(self, path: KeyPath, value: Any) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.wrong(path, "a number between 0 and 1", value)
            return None
        if not 0 <= value <= 1:  # also rejects nan
            self.fail(path, f"must be between 0 and 1, not {value}")
            return None
        return float(value)

    def text_list(self, path: KeyPath, value: Any, *, unique: bool = False,
                  example: str | None = '["G1", "G2"]') -> tuple[str, ...] | None:
        """A list of non-blank text; ``unique``: no value twice."""
        expected = "a list of text" + (f", e.g. {example}" if example else "")
        if not isinstance(value, list):
            self.wrong(path, expected, value)
            return None
        bad = [v for v in value if not isinstance(v, str)]
        if bad:
            self.fail(path, f"must be {expected}; it holds {describe(bad[0])}")
            return None
        if any(not v.strip() for v in value):
            self.fail(path, "must not hold blank text")
            return None
        repeated = sorted({v for v in value if value.count(v) > 1}, key=value.index)
        if unique and repeated:
            listed = ", ".join(json.dumps(v) for v in repeated)
            self.fail(path, f"lists {listed} more than once")
            return None
        return tuple(value)

    def positive(self, path: KeyPath, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong(path, "a whole number such as 3", value)
            return None
        if value < 1:
            self.fail(path, f"must be at least 1 (the first row is 1), not {value}")
            return None
        return value

    def count(self, path: KeyPath, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong(path, "a whole number such as 1", value)
            return None
        if value < 0:
            self.fail(path, f"must not be negative, not {value}")
            return None
        return value


def one_of(choices: Iterable[str], what: str | None = None) -> Reader:
    """A reader of one of ``choices`` (see ``TomlChecker.choice``)."""
    fixed = tuple(choices)
    return lambda ck, path, value: ck.choice(path, value, fixed, what)


def name_like(pattern: re.Pattern[str]) -> Reader:
    """A reader of an identifier matching ``pattern``."""
    return lambda ck, path, value: ck.name(path, value, pattern)


def table_of(schema: Schema) -> Reader:
    """A reader of a sub-table whose keys are all read by ``schema``."""
    def read(ck: TomlChecker, path: KeyPath, value: Any) -> dict[str, Any] | None:
        table = ck.table(path, value)
        return None if table is None else ck.fields(path, table, schema)
    return read


class ProblemsInFiles:
    """Problems gathered from several files (a folder of indicator files), raised
    as one ``ConfigError``: a single file's problems exactly as that file's checker
    words them, several files' listed under ``where``."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.by_file: dict[str, list[str]] = {}

    def extend(self, file: str, problems: Iterable[str]) -> None:
        found = list(problems)
        if found:
            self.by_file.setdefault(file, []).extend(found)

    def raise_if_any(self) -> None:
        if len(self.by_file) == 1:
            (file, problems), = self.by_file.items()
            raise_config_errors(file, problems)
        raise_config_errors(self.where, [p for ps in self.by_file.values() for p in ps])
