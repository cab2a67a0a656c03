"""Reading indicator files (``indicators/<standard>/*.toml`` and an organisation's
own) into ``IndicatorDef``, checked by the one strict checker (``toml_checker``).

The vocabulary is small and closed (docs/indicators-format.md), so every file is
checked as strictly as user data: an unknown key, a value of the wrong type, an
unknown rule, extract or column is a ``ConfigError`` naming the file and the
dotted key, and every problem in every file of a folder is listed at once.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from wres_cli.contract import EXTRACTS
from wres_cli.errors import ConfigError
from wres_cli.indicator_tables import (
    RAW,
    REQUIRED_TEXT,
    TEXT,
    IndicatorChecker,
    name_list,
    read_difference,
    read_event,
    read_population,
    read_rate_difference,
    read_ratio,
)
from wres_cli.indicators import (
    COMPOUND_SEPARATOR,
    DIMENSIONS,
    MEASURES,
    PAY_EXTRACT,
    DifferenceDef,
    EventDef,
    IndicatorDef,
    PhraseDef,
    PopulationDef,
    RateDifferenceDef,
    RatioDef,
    indicator_sort_key,
)
from wres_cli.toml_checker import (
    Key,
    KeyPath,
    ProblemsInFiles,
    Schema,
    TomlChecker,
    describe,
    dotted,
    name_like,
    one_of,
    table_of,
)

# --------------------------------------------------------------------------- loading


def load_indicators(standard: str, directory: Path | None = None) -> list[IndicatorDef]:
    """Every ``*.toml`` definition for ``standard``, checked strictly and ordered by
    ``indicators.indicator_sort_key`` (number, then suffix).

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
    problems = ProblemsInFiles(str(directory))
    loaded = _check_files(files, problems, local=False)
    _check_unique_ids(loaded, problems)
    problems.raise_if_any()
    return sorted(loaded, key=lambda i: indicator_sort_key(i.id))


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
    standard_ids = {ind.id for ind in load_indicators(standard)}
    problems = ProblemsInFiles(str(directory))
    loaded = _check_files(files, problems, local=True)
    for ind in loaded:
        if ind.id in standard_ids:
            problems.extend(str(ind.source), [
                f"'id' in {ind.source}: {ind.id!r} is an indicator of the {standard} "
                "standard; give your own measure another id"])
    _check_unique_ids([i for i in loaded if i.id not in standard_ids], problems)
    kinds: dict[tuple[str, str], tuple[str, Path | None]] = {}
    way = {"boolean": "yes/no answers", "text": "answers on a scale (answer_in)"}
    for ind in loaded:
        for extract, column, kind in ind.added_columns:
            earlier = kinds.setdefault((extract, column), (kind, ind.source))
            if earlier[0] != kind:
                problems.extend(str(ind.source), [
                    f"'event' in {ind.source}: reads the {extract} column {column!r} as "
                    f"{way[kind]}, but {earlier[1]} reads it as {way[earlier[0]]}"])
    problems.raise_if_any()
    return sorted(loaded, key=lambda i: indicator_sort_key(i.id))


def _check_files(files: Iterable[Path], problems: ProblemsInFiles, *,
                 local: bool) -> list[IndicatorDef]:
    """The files that are valid; the problems of the others go to ``problems``."""
    loaded = []
    for path in files:
        ind, found = _check_file(path, local=local)
        problems.extend(str(path), found)
        if ind is not None:
            loaded.append(ind)
    return loaded


def _check_unique_ids(loaded: Iterable[IndicatorDef], problems: ProblemsInFiles) -> None:
    seen: dict[str, Path | None] = {}
    for ind in loaded:
        if ind.id in seen:
            problems.extend(str(ind.source), [
                f"'id' in {ind.source}: indicator {ind.id!r} is also defined in "
                f"{seen[ind.id]}"])
        seen.setdefault(ind.id, ind.source)


def _check_file(path: Path, *, local: bool) -> tuple[IndicatorDef | None, list[str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [f"cannot read indicator definition {path}: {exc}"]
    except UnicodeDecodeError as exc:
        return None, [f"indicator definition {path} is not UTF-8 text: {exc}"]
    except tomllib.TOMLDecodeError as exc:
        return None, [f"indicator definition {path} is not valid TOML: {exc}"]
    ck = IndicatorChecker(str(path), local=local)
    return _checked(data, path, ck), ck.problems


def parse_indicator(data: Mapping[str, Any], source: Path | str, *,
                    local: bool = False) -> IndicatorDef:
    """Check one definition (already parsed TOML); raise ``ConfigError`` listing every
    problem, each naming ``source`` and the dotted key.

    ``local``: an organisation's own file, which may name survey columns of its own."""
    ck = IndicatorChecker(str(source), local=local)
    ind = _checked(data, Path(source), ck)
    ck.raise_if_any()
    assert ind is not None
    return ind


def _checked(data: Mapping[str, Any], source: Path, ck: IndicatorChecker) -> IndicatorDef | None:
    ind = _read_indicator(data, ck)
    added = ck.added_columns()
    if ind is None or ck.problems:
        return None
    return replace(ind, source=source, local=ck.local, added_columns=added)



_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _read_breakdowns(ck: TomlChecker, path: KeyPath, value: Any) -> tuple[str, ...] | None:
    items = name_list(ck, path, value)
    if items is None:
        return None
    if "overall" in items:
        ck.fail(path, "lists 'overall', which is always written")
        return None
    valid = True
    for item in items:
        parts = item.split(COMPOUND_SEPARATOR)
        valid = all([ck.choice(path, p, DIMENSIONS, "breakdown dimension") is not None
                     for p in parts]) and valid
        if len(set(parts)) != len(parts):
            ck.fail(path, f"joins a dimension with itself: {item!r}")
            valid = False
    return items if valid else None


_TOP_LEVEL: Schema = {
    "id": Key(name_like(_ID), required=True),
    "title": REQUIRED_TEXT,
    "short": TEXT,
    "why": REQUIRED_TEXT,
    "measure": Key(one_of(MEASURES, "measure"), required=True),
    "breakdowns": Key(_read_breakdowns),
    "population": Key(required=True),
    "event": RAW,
    "ratio": RAW,
    "difference": RAW,
    "public": Key(TomlChecker.boolean),
    "phrase": Key(table_of({k: REQUIRED_TEXT for k in ("noun", "infinitive", "past")})),
}

# --------------------------------------------------------------------------- readers


def _read_indicator(data: Mapping[str, Any], ck: IndicatorChecker) -> IndicatorDef | None:
    top = ck.fields((), data, _TOP_LEVEL)
    measure = top.get("measure")
    breakdowns: tuple[str, ...] = top.get("breakdowns", ())
    pop_items = _population_items(top.get("population"), ck)
    populations = [ck.guard(read_population, key, p, ck) for key, p in pop_items]
    event = ratio = rate_difference = None
    differences: list[DifferenceDef | None] = []
    if measure == "rate":
        event, ratio, rate_difference = _read_rate_parts(data, pop_items, populations, ck)
    elif measure == "pay_gap":
        for key in ("event", "ratio", "difference"):
            if key in data:
                ck.fail((key,), "is not used when measure = \"pay_gap\"")
        if len(pop_items) > 1:
            ck.fail(("population",), "must be a single table for a pay_gap indicator")
        elif populations and populations[0] is not None and populations[0].extract != PAY_EXTRACT:
            ck.fail(("population", "extract"), f"must be {PAY_EXTRACT!r} when measure = "
                                               "\"pay_gap\"")
    elif measure == "share":
        differences = _read_share_parts(data, breakdowns, populations, ck)
    _check_breakdown_columns(breakdowns, measure, pop_items, populations, ck)
    if ck.problems:
        return None
    return IndicatorDef(
        id=top["id"], title=top["title"], why=" ".join(top["why"].split()), measure=top["measure"],
        populations=tuple(p for p in populations if p is not None), event=event,
        breakdowns=breakdowns, ratio=ratio,
        differences=tuple(d for d in differences if d is not None), short=top.get("short"),
        public=top.get("public", False), rate_difference=rate_difference,
        phrase=_phrase(top.get("phrase")),
    )


def _phrase(words: Mapping[str, str] | None) -> PhraseDef | None:
    """``[phrase]``, whitespace folded as in ``why``; None when not given."""
    if words is None:
        return None
    return PhraseDef(**{key: " ".join(text.split()) for key, text in words.items()})


def _population_items(raw: Any, ck: TomlChecker) -> list[tuple[KeyPath, Any]]:
    """``[population]`` or ``[[population]]``: each table with its key."""
    if raw is None:  # missing: already reported as required
        return []
    if isinstance(raw, dict):
        return [(("population",), raw)]
    if isinstance(raw, list) and raw:
        return [(("population", i), p) for i, p in enumerate(raw)]
    ck.fail(("population",), f"must be a table or a list of tables, not {describe(raw)}")
    return []


def _read_rate_parts(data: Mapping[str, Any], pop_items: list[tuple[KeyPath, Any]],
                     populations: list[PopulationDef | None], ck: IndicatorChecker,
                     ) -> tuple[EventDef | None, RatioDef | None, RateDifferenceDef | None]:
    rate_difference = (ck.guard(read_rate_difference, data["difference"], ck)
                       if "difference" in data else None)
    for key in ("event", "ratio"):
        if key not in data:
            ck.fail((key,), "is required when measure = \"rate\"")
    if len(pop_items) > 1:
        ck.fail(("population",), "must be a single table for a rate indicator")
    event = None
    if "event" in data and populations and populations[0] is not None:
        event = ck.guard(read_event, data["event"], populations[0], ck)
    ratio = ck.guard(read_ratio, data["ratio"], ck) if "ratio" in data else None
    for (path, _), p in zip(pop_items, populations, strict=True):
        if p is not None and p.level is not None:
            ck.fail((*path, "level"), "is for share indicators only")
    return event, ratio, rate_difference


def _read_share_parts(data: Mapping[str, Any], breakdowns: tuple[str, ...],
                      populations: list[PopulationDef | None],
                      ck: TomlChecker) -> list[DifferenceDef | None]:
    for key in ("event", "ratio"):
        if key in data:
            ck.fail((key,), "is for rate indicators only (measure = \"rate\")")
    overall = [p for p in populations if p is not None and p.level is None]
    if len(overall) > 1:
        ck.fail(("population",), "may have only one entry without 'breakdown'/'level'")
    levels = [(p.breakdown, p.level) for p in populations if p is not None and p.level]
    if len(set(levels)) != len(levels):
        ck.fail(("population",), "names one breakdown level twice")
    raw_diffs = data.get("difference", [])
    if isinstance(raw_diffs, dict):
        raw_diffs = [raw_diffs]
    if not isinstance(raw_diffs, list):
        ck.fail(("difference",), f"must be a list of tables, not {describe(raw_diffs)}")
        raw_diffs = []
    known: dict[str, tuple[str, ...]] = {}
    if overall:
        known["overall"] = ("all",)
        for b in breakdowns:
            known[b] = ()  # any level found in the data
    elif breakdowns and populations and all(p is not None for p in populations):
        ck.fail(("breakdowns",), "is not used: every population is written as a named level")
    for name, level in levels:
        assert name is not None and level is not None
        known[name] = (*known.get(name, ()), level)
    return [ck.guard(read_difference, ("difference", i), d, known, ck)
            for i, d in enumerate(raw_diffs)]


def _check_breakdown_columns(breakdowns: tuple[str, ...], measure: str | None,
                             pop_items: list[tuple[KeyPath, Any]],
                             populations: list[PopulationDef | None], ck: TomlChecker) -> None:
    """Every dimension of every breakdown has a column in each population's extract."""
    for (key, _), p in zip(pop_items, populations, strict=True):
        if p is None or p.level is not None:
            continue
        # Pay records take their breakdowns from the person's workforce row.
        source = "workforce" if measure == "pay_gap" else p.extract
        for b in breakdowns:
            for dim in b.split(COMPOUND_SEPARATOR):
                if p.column_for(dim) not in EXTRACTS[source].column_names:
                    ck.fail(("breakdowns",), f"lists {dim!r}, but the {p.extract} extract has "
                                             f"no {dim} column: map one with "
                                             f"{dotted(key)}.breakdown_columns.{dim} = "
                                             "\"<column>\"")

