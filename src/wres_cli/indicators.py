"""Indicator definitions: ``indicators/<standard>/*.toml`` read into ``IndicatorDef``.

The vocabulary is small and closed (docs/indicators-format.md), so the loader
checks every file as strictly as user data: an unknown key, a value of the wrong
type, an unknown rule, extract or column is a ``ConfigError`` naming the file and
the key. The counting code has one path per *rule*, not per indicator, so a new
indicator needs a file, not a code change.
"""

from __future__ import annotations

import difflib
import re
import textwrap
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wres_cli.contract import EXTRACTS, GROUP_ORDER, INDICATOR_ORDER, SUMMARY_QUESTIONS
from wres_cli.errors import ConfigError, raise_config_errors

MEASURES = ("rate", "share", "pay_gap")
#: Measures counted into the counts cube; ``pay_gap`` (methodology section 7) is
#: measured from pay records by ``wres_cli.pay``, since means and medians do not add.
COUNTED_MEASURES = ("rate", "share")
#: The pay gap's people and their breakdowns come from the workforce.
PAY_EXTRACT = "pay"

#: Population rules -> the keys each needs besides ``extract``.
POPULATION_RULES = (
    "in_post_during_period",  # workforce: start <= period end and (end blank or end >= start)
    "in_post_on_start",  # workforce: in post on the period start date
    "in_post_on_end",  # workforce: in post on the period end date
    "dated_in_period",  # rows whose ``date`` column lies in the period
    "answered",  # rows with a non-blank answer to any of ``columns``
    "all",  # every row
)
IN_POST_RULES = ("in_post_during_period", "in_post_on_start", "in_post_on_end")

EVENT_RULES = (
    "any_in_period",  # >= 1 row of another extract, linked by ``link``, dated in the period
    "flag",  # the population row's boolean ``column`` is true
    "any_of",  # any of the population row's boolean ``columns`` is true
    "left_in_period",  # the population row's end_date lies in the period
    "answer_in",  # the population row's answer to ``column`` is one of ``values`` (of ``scale``)
)

#: The extract whose columns a local indicator may add to (methodology section 8).
LOCAL_COLUMN_EXTRACT = "survey"

#: The dimensions a result can be broken down by (contract section 3), and how
#: many may be joined with "+" into one compound breakdown.
DIMENSIONS = ("grade", "staff_group", "service", "organisation")
COMPOUND_SEPARATOR = "+"

#: ``[grades.bands]`` (configuration, not definitions): every breakdown with
#: ``grade`` is also written with ``band``, read from the band column the
#: prepare stage puts beside the grade column.
BAND = "band"
BAND_COLUMNS = {"grade": "band", "vacancy_grade": "vacancy_band"}

#: Groups a ratio may compare: every broad group code except unknown.
RATIO_GROUPS = tuple(g for g in GROUP_ORDER if g != "unknown")

ADVERSE_SIDES = ("high", "low")
DIFFERENCE_ADVERSE = ("negative", "none")
BENCHMARK = "population"

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


# --------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class PopulationDef:
    """Who is counted: rows of ``extract`` chosen by ``rule`` and ``filter``.

    ``breakdown``/``level`` set: this population is written as that single level
    of a named breakdown (e.g. ``seniority``/``senior``) instead of ``overall``
    plus the indicator's breakdowns.
    """

    extract: str
    rule: str
    date: str | None = None
    columns: tuple[str, ...] = ()
    filter: tuple[tuple[str, bool], ...] = ()
    breakdown: str | None = None
    level: str | None = None
    #: breakdown dimension -> column of ``extract`` that holds it (default: same name)
    breakdown_columns: tuple[tuple[str, str], ...] = ()
    #: The ``survey_summary`` question whose counts stand for this population when
    #: the survey comes as a published breakdown (overall only).
    summary: str | None = None
    #: With a level: how the report names it in a table ("Senior managers") and in
    #: a sentence ("senior managers"); None: the level itself.
    label: str | None = None
    words: str | None = None

    def column_for(self, dimension: str) -> str:
        columns = dict(self.breakdown_columns)
        if dimension == BAND and BAND not in columns:
            grade = columns.get("grade", "grade")
            return BAND_COLUMNS.get(grade, f"{grade}_band")
        return columns.get(dimension, dimension)

    @property
    def needed_columns(self) -> tuple[str, ...]:
        """Columns that must be present in the prepared frame for this population."""
        cols: list[str] = ["ethnic_group"]
        if self.rule in IN_POST_RULES:
            cols.append("start_date")  # end_date may be absent: nobody has left
        if self.rule == "dated_in_period" and self.date:
            cols.append(self.date)
        cols.extend(self.columns)
        cols.extend(c for c, _ in self.filter)
        return tuple(dict.fromkeys(cols))


@dataclass(frozen=True)
class EventDef:
    """What counts as an event for a person (or application, respondent) in the population."""

    rule: str
    extract: str | None = None  # any_in_period: the extract of linked records
    date: str | None = None  # any_in_period: the date column of those records
    link: str = "staff_id"  # any_in_period: the column joining them to the population
    columns: tuple[str, ...] = ()  # flag (one column) / any_of / answer_in (one column)
    #: answer_in: the answers that count, and every answer allowed, as written
    values: tuple[str, ...] = ()
    scale: tuple[str, ...] = ()
    #: any_in_period: only records whose column holds one of the values (all must hold)
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class RatioDef:
    """Relative likelihood rows: every focal group against every reference group."""

    focal: tuple[str, ...]
    reference: tuple[str, ...]
    adverse: str  # "high" or "low"
    low: float = 0.80
    high: float = 1.25
    #: False (``range = "none"``): the ratio is not judged against a range, so
    #: its assessment is empty (NHS 5-8, published as two percentages).
    assessed: bool = True

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((f, r) for f in self.focal for r in self.reference)


@dataclass(frozen=True)
class DifferenceDef:
    """A difference of two shares: ``group``'s share in the focal level minus its
    share in the ``against`` level (or in the population benchmark).

    ``focal_level`` None: one row per level of ``focal_breakdown`` (written with
    that breakdown and level); otherwise one row written as ``overall``/``all``.
    """

    group: str
    focal_breakdown: str
    focal_level: str | None
    against_breakdown: str | None  # None: the population benchmark
    against_level: str | None
    reference: str
    adverse_when_negative: bool


@dataclass(frozen=True)
class RateDifferenceDef:
    """A difference of two rates: ``group``'s rate minus ``reference``'s, with the
    Newcombe hybrid-score interval; judged on its sign when significant."""

    group: str
    reference: str
    adverse: str  # "high": a higher rate of ``group`` is adverse; "low": a lower one


@dataclass(frozen=True)
class PhraseDef:
    """``[phrase]``: the words of the report's sentences, ``{focal} {noun} were 1.66
    times as likely as {reference} {noun} to {infinitive}`` and ``no {reference}
    {noun} {past} in the period``."""

    noun: str
    infinitive: str
    past: str


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    title: str
    why: str
    measure: str  # "rate" or "share"
    populations: tuple[PopulationDef, ...]
    event: EventDef | None = None
    breakdowns: tuple[str, ...] = ()
    ratio: RatioDef | None = None
    differences: tuple[DifferenceDef, ...] = ()
    short: str | None = None
    source: Path | None = None
    #: Published unsuppressed: the people counted hold public roles (board members)
    #: whose ethnicity the organisation publishes anyway (methodology section 5).
    public: bool = False
    #: Rate indicators: a difference row of two groups' rates (NHS 5-8).
    rate_difference: RateDifferenceDef | None = None
    #: Declared by the organisation (``[indicators] local``), not by the standard.
    local: bool = False
    #: (extract, column, kind): columns this definition adds to the contract for
    #: the run (a local survey question; methodology section 8)
    added_columns: tuple[tuple[str, str, str], ...] = ()
    #: How the report words the indicator (``[phrase]``); None: from its title.
    phrase: PhraseDef | None = None

    @property
    def counted_breakdowns(self) -> tuple[str, ...]:
        """The breakdowns counted: each of ``breakdowns``, and after one with
        ``grade`` the same with ``band`` (written only when ``[grades.bands]``
        gives the band column)."""
        out: list[str] = []
        for b in self.breakdowns:
            out.append(b)
            parts = b.split(COMPOUND_SEPARATOR)
            if "grade" in parts:
                out.append(COMPOUND_SEPARATOR.join(BAND if p == "grade" else p for p in parts))
        return tuple(out)

    @property
    def population(self) -> PopulationDef:
        """The (first) population; rate indicators have exactly one."""
        return self.populations[0]

    @property
    def extracts(self) -> tuple[str, ...]:
        """Every extract this indicator reads; a missing one means no data."""
        names = [p.extract for p in self.populations]
        if self.event is not None and self.event.extract:
            names.append(self.event.extract)
        return tuple(dict.fromkeys(names))

    @property
    def level_names(self) -> dict[str, tuple[str | None, str | None]]:
        """Level -> (table label, words in a sentence) of the populations with a
        level, as the file gives them (None where it gives none)."""
        return {p.level: (p.label, p.words) for p in self.populations if p.level is not None}

    @property
    def named_levels(self) -> dict[str, tuple[str, ...]]:
        """Named breakdowns written by populations with a level (e.g. seniority),
        with their levels in definition order."""
        out: dict[str, list[str]] = {}
        for p in self.populations:
            if p.breakdown is not None and p.level is not None:
                out.setdefault(p.breakdown, []).append(p.level)
        return {k: tuple(v) for k, v in out.items()}


# --------------------------------------------------------------------------- loading


def indicator_sort_key(indicator_id: str) -> tuple[int, int, str]:
    """Shipped ids in ``contract.INDICATOR_ORDER``; others by their number, then suffix
    (so a new "3x" sits after "3"), ids without a leading number last."""
    if indicator_id in INDICATOR_ORDER:
        number = int(re.match(r"\d+", indicator_id).group())  # type: ignore[union-attr]
        return (number, 0, f"{INDICATOR_ORDER.index(indicator_id):04d}")
    m = re.match(r"(\d+)(.*)", indicator_id)
    if m:
        return (int(m.group(1)), 1, m.group(2))
    return (1 << 30, 1, indicator_id)


def load_indicators(standard: str, directory: Path | None = None) -> list[IndicatorDef]:
    """Every ``*.toml`` definition for ``standard``, checked strictly and ordered as
    ``contract.INDICATOR_ORDER`` (other ids by number and suffix).

    ``directory`` is the folder holding the files; by default the shipped
    ``indicators/<standard>/``.
    """
    if directory is None:
        from wres_cli.resources import resource_dir

        directory = resource_dir("indicators") / standard
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError(f"no indicator definitions for standard {standard!r}: "
                          f"{directory} is not a folder")
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise ConfigError(f"no indicator definitions (*.toml) in {directory}")
    loaded = [load_indicator_file(f) for f in files]
    seen: dict[str, Path] = {}
    for ind in loaded:
        if ind.id in seen:
            raise ConfigError(f"'id' in {ind.source}: indicator {ind.id!r} is also defined "
                              f"in {seen[ind.id]}")
        seen[ind.id] = ind.source  # type: ignore[assignment]
    return sorted(loaded, key=lambda i: indicator_sort_key(i.id))


def answer_key(value: str) -> str:
    """How survey answers and ``where`` values are matched: ignoring case and
    spaces (methodology section 8)."""
    return "".join(str(value).split()).casefold()


def load_local_indicators(directory: Path, standard: str,
                          key: str = "indicators.local") -> list[IndicatorDef]:
    """The organisation's own indicator files in ``directory``, checked as strictly
    as the shipped ones; an id the standard uses, or a column two files read
    differently, is a ``ConfigError`` naming the file and key."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError(f"'{key}' names {directory}, which is not a folder of indicator "
                          "files")
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise ConfigError(f"'{key}': no indicator files (*.toml) in {directory}")
    standard_ids = {ind.id: ind.source for ind in load_indicators(standard)}
    loaded = [load_indicator_file(f, local=True) for f in files]
    seen: dict[str, Path] = {}
    kinds: dict[tuple[str, str], tuple[str, Path]] = {}
    for ind in loaded:
        if ind.id in standard_ids:
            raise ConfigError(f"'id' in {ind.source}: {ind.id!r} is an indicator of the "
                              f"{standard} standard; give your own measure another id")
        if ind.id in seen:
            raise ConfigError(f"'id' in {ind.source}: indicator {ind.id!r} is also defined "
                              f"in {seen[ind.id]}")
        seen[ind.id] = ind.source  # type: ignore[assignment]
        for extract, column, kind in ind.added_columns:
            earlier = kinds.setdefault((extract, column), (kind, ind.source))  # type: ignore[arg-type]
            if earlier[0] != kind:
                way = {"boolean": "yes/no answers", "text": "answers on a scale (answer_in)"}
                raise ConfigError(f"'event' in {ind.source}: reads the {extract} column "
                                  f"{column!r} as {way[kind]}, but {earlier[1]} reads it "
                                  f"as {way[earlier[0]]}")
    return sorted(loaded, key=lambda i: indicator_sort_key(i.id))


def load_indicator_file(path: Path, *, local: bool = False) -> IndicatorDef:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read indicator definition {path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"indicator definition {path} is not UTF-8 text: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"indicator definition {path} is not valid TOML: {exc}") from exc
    return parse_indicator(data, path, local=local)


def parse_indicator(data: Mapping[str, Any], source: Path | str, *,
                    local: bool = False) -> IndicatorDef:
    """Check one definition (already parsed TOML); raise ``ConfigError`` listing every
    problem, each naming ``source`` and the dotted key.

    ``local``: an organisation's own file, which may name survey columns of its own."""
    ck = _Checker(str(source), local=local)
    ind = _read_indicator(data, ck)
    added = ck.added_columns()
    ck.raise_if_any()
    assert ind is not None
    return replace(ind, source=Path(source), local=local, added_columns=added)


# --------------------------------------------------------------------------- checking


class _Invalid(Exception):
    """Raised inside the readers to abandon a part already reported."""


class _Checker:
    def __init__(self, where: str, *, local: bool = False) -> None:
        self.where = where
        self.errors: list[str] = []
        self.local = local
        #: (extract, column) -> (key, kind wanted) of each use of a column the
        #: contract does not have (local survey questions)
        self.new_columns: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def added_columns(self) -> tuple[tuple[str, str, str], ...]:
        """The new columns and their kind: ``text`` when answers are read against
        a scale, else ``boolean``; a column read both ways is a problem."""
        out = []
        for (extract, column), uses in self.new_columns.items():
            wanted = {kind for _, kind in uses if kind != "any"}
            if len(wanted) > 1:
                self.fail(next(k for k, kind in uses if kind == "boolean"),
                          f"reads {column!r} as yes/no, but another key reads it against a "
                          "scale (answer_in)")
                continue
            out.append((extract, column, wanted.pop() if wanted else "boolean"))
        return tuple(out)

    def fail(self, key: str, problem: str) -> None:
        self.errors.append(f"'{key}' in {self.where} {problem}")

    def raise_if_any(self) -> None:
        raise_config_errors(self.where, self.errors)

    def keys(self, path: str, table: Mapping[str, Any], allowed: Iterable[str],
             required: Iterable[str] = ()) -> None:
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                full = _join(path, key)
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean '{_join(path, close[0])}'?)" if close else ""
                self.errors.append(f"unknown key '{full}' in {self.where}{hint}; "
                                   f"known keys: {', '.join(allowed)}")
        for key in required:
            if key not in table:
                self.fail(_join(path, key), "is required")

    def text(self, key: str, value: Any, *, pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be non-blank text, not {_describe(value)}")
            raise _Invalid
        if pattern is not None and not pattern.fullmatch(value):
            self.fail(key, f"is not a valid name: {value!r}")
            raise _Invalid
        return value

    def choice(self, key: str, value: Any, choices: Iterable[str], what: str = "") -> str:
        choices = tuple(choices)
        if isinstance(value, str) and value in choices:
            return value
        close = difflib.get_close_matches(value, choices, n=1) if isinstance(value, str) else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        what = f"{what} " if what else ""
        self.fail(key, f"is not a known {what}({', '.join(choices)}): {_describe(value)}{hint}")
        raise _Invalid

    def table(self, key: str, value: Any) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, f"must be a table, not {_describe(value)}")
            raise _Invalid
        return value

    def text_list(self, key: str, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(key, f"must be a list of text, not {_describe(value)}")
            raise _Invalid
        if len(set(value)) != len(value):
            self.fail(key, "lists a value twice")
            raise _Invalid
        return list(value)

    def guard(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a reader; on an already-reported problem return None and go on."""
        try:
            return fn(*args, **kwargs)
        except _Invalid:
            return None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


_TOP_KEYS = ("id", "title", "short", "why", "measure", "breakdowns", "population", "event",
             "ratio", "difference", "public", "phrase")
_POPULATION_KEYS = ("extract", "rule", "date", "columns", "filter", "breakdown", "level",
                    "breakdown_columns", "summary", "label", "words")
_EVENT_KEYS = ("rule", "extract", "date", "link", "column", "columns", "values", "scale",
               "where")
_RATIO_KEYS = ("focal", "reference", "adverse", "range")
_DIFFERENCE_KEYS = ("group", "focal", "against", "reference", "adverse")
_RATE_DIFFERENCE_KEYS = ("group", "reference", "adverse")
_PHRASE_KEYS = ("noun", "infinitive", "past")


def _read_indicator(data: Mapping[str, Any], ck: _Checker) -> IndicatorDef | None:
    ck.keys("", data, _TOP_KEYS, required=("id", "title", "why", "measure", "population"))
    if ck.errors:
        return None
    ident = ck.guard(ck.text, "id", data["id"], pattern=_ID)
    title = ck.guard(ck.text, "title", data["title"])
    why = ck.guard(ck.text, "why", data["why"])
    short = ck.guard(ck.text, "short", data["short"]) if "short" in data else None
    phrase = ck.guard(_read_phrase, data["phrase"], ck) if "phrase" in data else None
    measure = ck.guard(ck.choice, "measure", data["measure"], MEASURES, "measure")
    breakdowns = ck.guard(_read_breakdowns, data.get("breakdowns", []), ck)
    public = data.get("public", False)
    if not isinstance(public, bool):
        ck.fail("public", f"must be true or false, not {_describe(public)}")

    raw_pops = data["population"]
    if isinstance(raw_pops, dict):
        pop_items = [("population", raw_pops)]
    elif isinstance(raw_pops, list) and raw_pops:
        pop_items = [(f"population[{i}]", p) for i, p in enumerate(raw_pops)]
    else:
        ck.fail("population", f"must be a table or a list of tables, not {_describe(raw_pops)}")
        return None
    populations = [ck.guard(_read_population, key, p, ck) for key, p in pop_items]

    event = ratio = rate_difference = None
    differences: list[DifferenceDef | None] = []
    if measure == "rate":
        if "difference" in data:
            rate_difference = ck.guard(_read_rate_difference, data["difference"], ck)
        if "event" not in data:
            ck.fail("event", "is required when measure = \"rate\"")
        if "ratio" not in data:
            ck.fail("ratio", "is required when measure = \"rate\"")
        if len(pop_items) != 1:
            ck.fail("population", "must be a single table for a rate indicator")
        if "event" in data and populations[0] is not None:
            event = ck.guard(_read_event, data["event"], populations[0], ck)
        if "ratio" in data:
            ratio = ck.guard(_read_ratio, data["ratio"], ck)
        for key, p in zip(pop_items, populations, strict=True):
            if p is not None and p.level is not None:
                ck.fail(_join(key[0], "level"), "is for share indicators only")
    elif measure == "pay_gap":
        for key in ("event", "ratio", "difference"):
            if key in data:
                ck.fail(key, "is not used when measure = \"pay_gap\"")
        if len(pop_items) != 1:
            ck.fail("population", "must be a single table for a pay_gap indicator")
        elif populations[0] is not None and populations[0].extract != PAY_EXTRACT:
            ck.fail("population.extract", f"must be {PAY_EXTRACT!r} when measure = "
                                          "\"pay_gap\"")
    elif measure == "share":
        for key in ("event", "ratio"):
            if key in data:
                ck.fail(key, "is for rate indicators only (measure = \"rate\")")
        overall = [p for p in populations if p is not None and p.level is None]
        if len(overall) > 1:
            ck.fail("population", "may have only one entry without 'breakdown'/'level'")
        levels = [(p.breakdown, p.level) for p in populations if p is not None and p.level]
        if len(set(levels)) != len(levels):
            ck.fail("population", "names one breakdown level twice")
        raw_diffs = data.get("difference", [])
        if isinstance(raw_diffs, dict):
            raw_diffs = [raw_diffs]
        if not isinstance(raw_diffs, list):
            ck.fail("difference", f"must be a list of tables, not {_describe(raw_diffs)}")
            raw_diffs = []
        known: dict[str, tuple[str, ...]] = {}
        if overall:
            known["overall"] = ("all",)
            for b in breakdowns or ():
                known[b] = ()  # any level found in the data
        elif breakdowns and all(p is not None for p in populations):
            ck.fail("breakdowns", "is not used: every population is written as a named level")
        for b, lv in levels:
            known.setdefault(b, ())
            known[b] = (*known[b], lv)
        for i, d in enumerate(raw_diffs):
            differences.append(ck.guard(_read_difference, f"difference[{i}]", d, known, ck))

    for (key, _), p in zip(pop_items, populations, strict=True):
        if p is None or p.level is not None:
            continue
        # Pay records take their breakdowns from the person's workforce row.
        source = "workforce" if measure == "pay_gap" else p.extract
        for b in breakdowns or ():
            for dim in b.split(COMPOUND_SEPARATOR):
                if p.column_for(dim) not in EXTRACTS[source].column_names:
                    ck.fail("breakdowns", f"lists {dim!r}, but the {p.extract} extract has no "
                                          f"{dim} column: map one with "
                                          f"{key}.breakdown_columns.{dim} = \"<column>\"")

    if ck.errors:
        return None
    return IndicatorDef(
        id=ident, title=title, why=" ".join(why.split()), measure=measure,
        populations=tuple(populations), event=event, breakdowns=tuple(breakdowns or ()),
        ratio=ratio, differences=tuple(d for d in differences if d is not None), short=short,
        public=public is True, rate_difference=rate_difference, phrase=phrase,
    )


def _read_phrase(value: Any, ck: _Checker) -> PhraseDef:
    """``[phrase]``: { noun, infinitive, past }, each non-blank text."""
    table = ck.table("phrase", value)
    ck.keys("phrase", table, _PHRASE_KEYS, required=_PHRASE_KEYS)
    words = [ck.guard(ck.text, f"phrase.{key}", table[key]) for key in _PHRASE_KEYS
             if key in table]
    if len(words) != len(_PHRASE_KEYS) or None in words:
        raise _Invalid
    noun, infinitive, past = (" ".join(w.split()) for w in words)
    return PhraseDef(noun=noun, infinitive=infinitive, past=past)


def _read_rate_difference(value: Any, ck: _Checker) -> RateDifferenceDef:
    """``[difference]`` of a rate indicator: { group, reference, adverse }."""
    if not isinstance(value, dict):
        ck.fail("difference", "must be one table { group = ..., reference = ..., adverse = "
                              f"... }} for a rate indicator, not {_describe(value)}")
        raise _Invalid
    ck.keys("difference", value, _RATE_DIFFERENCE_KEYS,
            required=("group", "reference", "adverse"))
    if not set(_RATE_DIFFERENCE_KEYS) <= set(value):
        raise _Invalid
    group = ck.choice("difference.group", value["group"], RATIO_GROUPS, "group")
    reference = ck.choice("difference.reference", value["reference"], RATIO_GROUPS, "group")
    if group == reference:
        ck.fail("difference", "compares a group with itself")
        raise _Invalid
    adverse = ck.choice("difference.adverse", value["adverse"], ADVERSE_SIDES, "side")
    return RateDifferenceDef(group=group, reference=reference, adverse=adverse)


def _read_breakdowns(value: Any, ck: _Checker) -> list[str]:
    items = ck.text_list("breakdowns", value)
    if "overall" in items:
        ck.fail("breakdowns", "lists 'overall', which is always written")
        raise _Invalid
    for item in items:
        parts = item.split(COMPOUND_SEPARATOR)
        for part in parts:
            ck.choice("breakdowns", part, DIMENSIONS, "breakdown dimension")
        if len(set(parts)) != len(parts):
            ck.fail("breakdowns", f"joins a dimension with itself: {item!r}")
            raise _Invalid
    return items


def _column(key: str, extract: str, name: Any, ck: _Checker, kinds: tuple[str, ...],
            new_kind: str | None = None) -> str:
    """A column of ``extract`` of one of ``kinds``. A local file may also name a
    survey column of its own (``new_kind``: how it is read; "any": as the other
    uses say)."""
    spec = EXTRACTS[extract]
    column = ck.text(key, name)
    if (column not in spec.column_names and ck.local and extract == LOCAL_COLUMN_EXTRACT
            and _NAME.fullmatch(column)):
        kind = new_kind or (kinds[0] if len(kinds) == 1 else "any")
        ck.new_columns.setdefault((extract, column), []).append((key, kind))
        return column
    if column not in spec.column_names:
        close = difflib.get_close_matches(column, spec.column_names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        ck.fail(key, f"names {column!r}, which is not a column of the {extract} extract{hint}")
        raise _Invalid
    kind = spec.column(column).kind
    if kind not in kinds:
        ck.fail(key, f"names {column!r}, a {kind} column; it must be a {' or '.join(kinds)} "
                     "column")
        raise _Invalid
    return column


def _read_population(key: str, value: Any, ck: _Checker) -> PopulationDef:
    table = ck.table(key, value)
    ck.keys(key, table, _POPULATION_KEYS, required=("extract", "rule"))
    if "extract" not in table or "rule" not in table:
        raise _Invalid
    extract = ck.choice(_join(key, "extract"), table["extract"], EXTRACTS, "extract")
    rule = ck.choice(_join(key, "rule"), table["rule"], POPULATION_RULES, "population rule")
    spec = EXTRACTS[extract]
    date = None
    columns: tuple[str, ...] = ()
    if rule in IN_POST_RULES and not {"start_date", "end_date"} <= set(spec.column_names):
        ck.fail(_join(key, "rule"), f"{rule!r} needs start_date and end_date, which the "
                                    f"{extract} extract does not have")
        raise _Invalid
    if rule == "dated_in_period":
        if "date" not in table:
            ck.fail(_join(key, "date"), "is required when rule = \"dated_in_period\"")
            raise _Invalid
        date = _column(_join(key, "date"), extract, table["date"], ck, ("date",))
    elif "date" in table:
        ck.fail(_join(key, "date"), f"is only used with rule = \"dated_in_period\", not {rule!r}")
    if rule == "answered":
        if "columns" not in table:
            ck.fail(_join(key, "columns"), "is required when rule = \"answered\"")
            raise _Invalid
        names = ck.text_list(_join(key, "columns"), table["columns"])
        if not names:
            ck.fail(_join(key, "columns"), "must name at least one column")
            raise _Invalid
        columns = tuple(_column(_join(key, "columns"), extract, c, ck, ("boolean",), "any")
                        for c in names)
    elif "columns" in table:
        ck.fail(_join(key, "columns"), f"is only used with rule = \"answered\", not {rule!r}")
    filters: list[tuple[str, bool]] = []
    if "filter" in table:
        ftable = ck.table(_join(key, "filter"), table["filter"])
        for col, wanted in ftable.items():
            fkey = _join(_join(key, "filter"), col)
            _column(fkey, extract, col, ck, ("boolean",))
            if not isinstance(wanted, bool):
                ck.fail(fkey, f"must be true or false, not {_describe(wanted)}")
                raise _Invalid
            filters.append((col, wanted))
    breakdown = level = None
    if ("breakdown" in table) != ("level" in table):
        ck.fail(key, "needs both 'breakdown' and 'level', or neither")
        raise _Invalid
    if "breakdown" in table:
        breakdown = ck.text(_join(key, "breakdown"), table["breakdown"], pattern=_NAME)
        if breakdown in (*DIMENSIONS, "overall"):
            ck.fail(_join(key, "breakdown"), f"must be a new name, not the dimension "
                                             f"{breakdown!r}")
            raise _Invalid
        level = ck.text(_join(key, "level"), table["level"])
        if level == "all":
            ck.fail(_join(key, "level"), "must not be 'all' (that is the overall level)")
            raise _Invalid
    label, words = (ck.text(_join(key, name), table[name]) if name in table else None
                    for name in ("label", "words"))
    if level is None and (label is not None or words is not None):
        ck.fail(key, "names a level ('label', 'words') but has no 'level'")
        raise _Invalid
    bcols: list[tuple[str, str]] = []
    if "breakdown_columns" in table:
        btable = ck.table(_join(key, "breakdown_columns"), table["breakdown_columns"])
        for dim, col in btable.items():
            bkey = _join(_join(key, "breakdown_columns"), dim)
            ck.choice(bkey, dim, DIMENSIONS, "breakdown dimension")
            bcols.append((dim, _column(bkey, extract, col, ck, ("text",))))
    summary = None
    if "summary" in table:
        summary = ck.choice(_join(key, "summary"), table["summary"], SUMMARY_QUESTIONS,
                            "survey_summary question")
    return PopulationDef(extract=extract, rule=rule, date=date, columns=columns,
                         filter=tuple(filters), breakdown=breakdown, level=level,
                         breakdown_columns=tuple(bcols), summary=summary, label=label,
                         words=words)


def _read_event(value: Any, population: PopulationDef, ck: _Checker) -> EventDef:
    table = ck.table("event", value)
    ck.keys("event", table, _EVENT_KEYS, required=("rule",))
    if "rule" not in table:
        raise _Invalid
    rule = ck.choice("event.rule", table["rule"], EVENT_RULES, "event rule")
    own = population.extract
    allowed = {
        "any_in_period": ("rule", "extract", "date", "link", "where"),
        "flag": ("rule", "column", "extract"),
        "any_of": ("rule", "columns", "extract"),
        "left_in_period": ("rule", "extract"),
        "answer_in": ("rule", "column", "values", "scale", "extract"),
    }[rule]
    for key in table:
        if key not in allowed and key in _EVENT_KEYS:
            ck.fail(f"event.{key}", f"is not used with rule = {rule!r}")
    if rule == "any_in_period":
        for key in ("extract", "date"):
            if key not in table:
                ck.fail(f"event.{key}", "is required when rule = \"any_in_period\"")
                raise _Invalid
        extract = ck.choice("event.extract", table["extract"], EXTRACTS, "extract")
        date = _column("event.date", extract, table["date"], ck, ("date",))
        link = table.get("link", "staff_id")
        link = _column("event.link", extract, link, ck, ("id",))
        if link not in EXTRACTS[own].column_names:
            ck.fail("event.link", f"names {link!r}, which the population's extract ({own}) "
                                  "does not have")
            raise _Invalid
        where = _read_where(table["where"], extract, ck) if "where" in table else ()
        return EventDef(rule=rule, extract=extract, date=date, link=link, where=where)
    if "extract" in table and table["extract"] != own:
        ck.fail("event.extract", f"must be the population's extract ({own!r}) for rule = "
                                 f"{rule!r}, or left out")
        raise _Invalid
    if rule == "flag":
        if "column" not in table:
            ck.fail("event.column", "is required when rule = \"flag\"")
            raise _Invalid
        return EventDef(rule=rule, columns=(_column("event.column", own, table["column"], ck,
                                                    ("boolean",)),))
    if rule == "any_of":
        if "columns" not in table:
            ck.fail("event.columns", "is required when rule = \"any_of\"")
            raise _Invalid
        names = ck.text_list("event.columns", table["columns"])
        if not names:
            ck.fail("event.columns", "must name at least one column")
            raise _Invalid
        return EventDef(rule=rule, columns=tuple(
            _column("event.columns", own, c, ck, ("boolean",)) for c in names))
    if rule == "answer_in":
        return _read_answer_in(table, own, ck)
    # left_in_period
    if "end_date" not in EXTRACTS[own].column_names:
        ck.fail("event.rule", f"'left_in_period' needs end_date, which the {own} extract "
                              "does not have")
        raise _Invalid
    return EventDef(rule=rule)


def _read_answer_in(table: Mapping[str, Any], own: str, ck: _Checker) -> EventDef:
    """``rule = "answer_in"``: an answer on a declared scale (methodology section 8)."""
    for key in ("column", "values", "scale"):
        if key not in table:
            ck.fail(f"event.{key}", "is required when rule = \"answer_in\"")
            raise _Invalid
    column = _column("event.column", own, table["column"], ck, ("text",), "text")
    scale = ck.text_list("event.scale", table["scale"])
    values = ck.text_list("event.values", table["values"])
    if len(scale) < 2:
        ck.fail("event.scale", "must list at least two answers")
        raise _Invalid
    keys = [answer_key(v) for v in scale]
    if len(set(keys)) != len(keys):
        ck.fail("event.scale", "lists one answer twice (answers match ignoring case and spaces)")
        raise _Invalid
    if not values:
        ck.fail("event.values", "must name at least one answer of event.scale")
        raise _Invalid
    for v in values:
        if answer_key(v) not in keys:
            ck.fail("event.values", f"lists {v!r}, which is not in event.scale "
                                    f"({', '.join(scale)})")
    if len(values) == len(scale):
        ck.fail("event.values", "lists every answer of the scale: nobody could answer otherwise")
    return EventDef(rule="answer_in", columns=(column,), values=tuple(values),
                    scale=tuple(scale))


def _read_where(value: Any, extract: str, ck: _Checker) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``where = { column, in }`` or a list of them, all of which must hold."""
    items = value if isinstance(value, list) else [value]
    if not items:
        ck.fail("event.where", "must name at least one condition")
        raise _Invalid
    out = []
    for i, item in enumerate(items):
        key = "event.where" if not isinstance(value, list) else f"event.where[{i}]"
        table = ck.table(key, item)
        ck.keys(key, table, ("column", "in"), required=("column", "in"))
        if not {"column", "in"} <= set(table):
            raise _Invalid
        column = _column(_join(key, "column"), extract, table["column"], ck, ("text",))
        wanted = ck.text_list(_join(key, "in"), table["in"])
        if not wanted:
            ck.fail(_join(key, "in"), "must list at least one value")
            raise _Invalid
        out.append((column, tuple(wanted)))
    return tuple(out)


def _read_ratio(value: Any, ck: _Checker) -> RatioDef:
    table = ck.table("ratio", value)
    ck.keys("ratio", table, _RATIO_KEYS, required=("focal", "reference", "adverse"))
    if not {"focal", "reference", "adverse"} <= set(table):
        raise _Invalid
    sides = {}
    for side in ("focal", "reference"):
        items = ck.text_list(f"ratio.{side}", table[side])
        if not items:
            ck.fail(f"ratio.{side}", "must name at least one group")
            raise _Invalid
        for g in items:
            if g == "unknown":
                ck.fail(f"ratio.{side}", "must not include 'unknown': unknown ethnicity never "
                                         "enters a ratio")
                raise _Invalid
            ck.choice(f"ratio.{side}", g, RATIO_GROUPS, "group")
        sides[side] = tuple(items)
    if set(sides["focal"]) & set(sides["reference"]):
        ck.fail("ratio", "compares a group with itself (focal and reference overlap)")
        raise _Invalid
    adverse = ck.choice("ratio.adverse", table["adverse"], ADVERSE_SIDES, "side")
    low, high = 0.80, 1.25
    if table.get("range") == "none":
        return RatioDef(focal=sides["focal"], reference=sides["reference"], adverse=adverse,
                        assessed=False)
    if "range" in table:
        rng = table["range"]
        if (not isinstance(rng, list) or len(rng) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in rng)
                or not 0 < rng[0] < rng[1]):
            ck.fail("ratio.range", f"must be two numbers [low, high] with 0 < low < high, "
                                   f"or \"none\", not {rng!r}")
            raise _Invalid
        low, high = float(rng[0]), float(rng[1])
    return RatioDef(focal=sides["focal"], reference=sides["reference"], adverse=adverse,
                    low=low, high=high)


def _read_level_ref(key: str, value: Any, known: Mapping[str, tuple[str, ...]],
                    ck: _Checker, *, level_required: bool) -> tuple[str, str | None]:
    """``{ breakdown = ..., level = ... }`` naming a breakdown this indicator writes.
    ``known`` maps each breakdown to its fixed levels (empty: levels come from data)."""
    table = ck.table(key, value)
    ck.keys(key, table, ("breakdown", "level"), required=("breakdown",))
    if "breakdown" not in table:
        raise _Invalid
    breakdown = ck.choice(_join(key, "breakdown"), table["breakdown"], known,
                          "breakdown of this indicator")
    if "level" not in table:
        if breakdown == "overall":
            return breakdown, "all"
        if level_required:
            ck.fail(_join(key, "level"), "is required here")
            raise _Invalid
        return breakdown, None
    level = ck.text(_join(key, "level"), table["level"])
    if known[breakdown]:
        ck.choice(_join(key, "level"), level, known[breakdown], "level")
    return breakdown, level


def _read_difference(key: str, value: Any, known: Mapping[str, tuple[str, ...]],
                     ck: _Checker) -> DifferenceDef:
    table = ck.table(key, value)
    ck.keys(key, table, _DIFFERENCE_KEYS, required=("focal", "against", "reference"))
    if not {"focal", "against", "reference"} <= set(table):
        raise _Invalid
    group = ck.choice(_join(key, "group"), table.get("group", "minority"), GROUP_ORDER, "group")
    fb, fl = _read_level_ref(_join(key, "focal"), table["focal"], known, ck,
                             level_required=False)
    if fb == "overall":
        ck.fail(_join(key, "focal"), "must be a breakdown other than overall")
        raise _Invalid
    against = table["against"]
    if against == BENCHMARK:
        ab = al = None
    elif isinstance(against, dict):
        ab, al = _read_level_ref(_join(key, "against"), against, known, ck, level_required=True)
    else:
        ck.fail(_join(key, "against"), f"must be a table {{ breakdown = ..., level = ... }} or "
                                       f"\"population\", not {_describe(against)}")
        raise _Invalid
    reference = ck.text(_join(key, "reference"), table["reference"], pattern=_NAME)
    adverse = ck.choice(_join(key, "adverse"), table.get("adverse", "none"), DIFFERENCE_ADVERSE,
                        "adverse side")
    return DifferenceDef(group=group, focal_breakdown=fb, focal_level=fl, against_breakdown=ab,
                         against_level=al, reference=reference,
                         adverse_when_negative=adverse == "negative")


# --------------------------------------------------------------------------- words

_POPULATION_WORDS = {
    "in_post_during_period": "{extract} rows of people in post at any time in the period",
    "in_post_on_start": "{extract} rows of people in post on the period start date",
    "in_post_on_end": "{extract} rows of people in post on the period end date",
    "dated_in_period": "{extract} rows whose {date} lies in the period",
    "answered": "{extract} rows with an answer to {columns}",
    "all": "every {extract} row",
}


def _population_words(p: PopulationDef) -> str:
    words = _POPULATION_WORDS[p.rule].format(extract=p.extract, date=p.date,
                                             columns=" or ".join(p.columns))
    if p.filter:
        words += " with " + " and ".join(f"{c} = {str(v).lower()}" for c, v in p.filter)
    return words


def _event_words(e: EventDef) -> str:
    if e.rule == "any_in_period":
        where = f" and whose {_where_words(e)}" if e.where else ""
        return (f"at least one {e.extract} record (joined on {e.link}) whose {e.date} lies in "
                f"the period{where}; several records for one person count once")
    if e.rule == "flag":
        return f"{e.columns[0]} = true"
    if e.rule == "any_of":
        return "true for any of " + ", ".join(e.columns)
    if e.rule == "answer_in":
        return (f"{e.columns[0]} answered {' or '.join(repr(v) for v in e.values)} "
                f"(on the scale {', '.join(e.scale)})")
    return "end_date lies in the period (left)"


def _where_words(e: EventDef) -> str:
    return " and ".join(f"{c} is {' or '.join(repr(v) for v in values)}"
                        for c, values in e.where)


def describe(ind: IndicatorDef) -> str:
    """The definition in words, for ``wres indicators``."""
    lines = [f"{ind.id}  {ind.title}"]
    pad = "    "
    if ind.measure == "pay_gap":
        lines.append(f"{pad}Measure: mean and median hourly pay per group; mean and median "
                     "pay gaps (White − group) ÷ White; pay quartile shares; bonus figures "
                     "when bonus_pay is given")
        lines.append(f"{pad}Population: staff in post on the pay snapshot date ([pay] "
                     "snapshot, default the period end) with a pay row on full pay")
    elif ind.measure == "rate":
        lines.append(f"{pad}Measure: rate per group, relative likelihood")
        lines.append(f"{pad}Population: {_population_words(ind.population)}")
        assert ind.event is not None and ind.ratio is not None
        lines.append(f"{pad}Event: {_event_words(ind.event)}")
        r = ind.ratio
        pairs = ", ".join(f"{f} ÷ {ref}" for f, ref in r.pairs)
        lines.append(f"{pad}Relative likelihood: {pairs}")
        side = "above" if r.adverse == "high" else "below"
        if r.assessed:
            lines.append(f"{pad}Adverse when the ratio is {side} the range "
                         f"{r.low:.2f}–{r.high:.2f}")
        else:
            lines.append(f"{pad}The ratio is not judged against a range")
        rd = ind.rate_difference
        if rd is not None:
            way = "higher" if rd.adverse == "high" else "lower"
            lines.append(f"{pad}Difference: {rd.group} rate − {rd.reference} rate, with the "
                         f"Newcombe interval; adverse when significant and {rd.group} {way}")
        if ind.population.summary:
            lines.append(f"{pad}From a survey_summary: question {ind.population.summary} "
                         "(overall only)")
    else:
        lines.append(f"{pad}Measure: share of each group (unknown ethnicity included in the "
                     "denominator), difference")
        for p in ind.populations:
            where = f"{p.breakdown} = {p.level}: " if p.level else ""
            lines.append(f"{pad}Population: {where}{_population_words(p)}")
        for d in ind.differences:
            focal = (f"each {d.focal_breakdown}" if d.focal_level is None
                     else f"{d.focal_breakdown} {d.focal_level}")
            against = ("the population benchmark ([population] in wres.toml)"
                       if d.against_breakdown is None
                       else ("the whole of the population above" if d.against_breakdown == "overall"
                             else f"{d.against_breakdown} {d.against_level}"))
            adverse = "; adverse when negative" if d.adverse_when_negative else ""
            lines.append(f"{pad}Difference ({d.reference}): {d.group} share in {focal} − "
                         f"{d.group} share in {against}{adverse}")
    if ind.breakdowns and any(p.level is None for p in ind.populations):
        lines.append(f"{pad}Breakdowns: overall, " + ", ".join(ind.breakdowns)
                     + " (where the column is present)")
    if ind.local and ind.source is not None:
        lines.append(f"{pad}Local measure, from {ind.source}")
    lines.append(textwrap.fill(ind.why, width=88, initial_indent=pad, subsequent_indent=pad))
    return "\n".join(lines)
