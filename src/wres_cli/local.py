"""Local measures (methodology section 8): the organisation's own indicator files.

``[indicators] local`` names a folder of indicator files that are loaded as
strictly as the standard's (``indicators.load_local_indicators``) and then counted,
measured and withheld exactly like them. This module holds what is particular to
them: the survey columns they add to the contract for the run, the check that
every answer lies on its declared scale, and that a ``where`` column is in the
extract it filters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from wres_cli import problem_rules as rules
from wres_cli.config import Config
from wres_cli.contract import Column
from wres_cli.errors import ConfigError
from wres_cli.indicator_files import load_indicators, load_local_indicators, parse_indicator
from wres_cli.indicators import IndicatorDef, answer_key, indicator_sort_key
from wres_cli.problems import Problems, problem_frame
from wres_cli.toml_checker import KeyPath, ProblemsInFiles, TomlChecker


def local_definitions(config: Config, standard: str) -> list[IndicatorDef]:
    """The local indicator files named by ``[indicators] local`` (none when unset)."""
    if config.local_indicators is None:
        return []
    return load_local_indicators(config.local_indicators, standard)


def definitions(standard: str, config: Config | None = None,
                local: Sequence[IndicatorDef] | None = None) -> list[IndicatorDef]:
    """The standard's definitions followed by the local ones, ordered by id."""
    own = list(local) if local is not None else (
        local_definitions(config, standard) if config is not None else [])
    return sorted([*load_indicators(standard), *own], key=lambda i: indicator_sort_key(i.id))


def added_columns(local: Sequence[IndicatorDef]) -> tuple[tuple[str, Column], ...]:
    """(extract, Column) for every column the local files add: a yes/no question
    (boolean, blank = not answered) or answers on a scale (text)."""
    out: dict[tuple[str, str], Column] = {}
    for ind in local:
        for extract, column, kind in ind.added_columns:
            out.setdefault((extract, column), Column(column, kind))  # type: ignore[arg-type]
    return tuple((extract, col) for (extract, _), col in out.items())


def check_column_maps(config: Config) -> None:
    """``[columns.survey]`` keys that are neither canonical nor a column a local
    indicator reads: unknown keys, as everywhere else in the config."""
    from wres_cli.contract import extract_spec

    ck = TomlChecker(str(config.source or "the config"), list_known_keys=True)
    for extract, mapping in config.columns.items():
        known = extract_spec(extract, config.extra_columns).column_names
        ck.unknown_keys(("columns", extract), mapping, known,
                        explain=f"it is not a column of the {extract} extract, nor one that a "
                                "local indicator file reads ([indicators] local)")
    ck.raise_if_any()


def check_where_columns(extracts: Mapping[str, Any], local: Sequence[IndicatorDef],
                        config: Config) -> None:
    """A ``where`` column the extract's file lacks: nothing could be counted as the
    file says, so it is a config error naming the indicator file and key."""
    problems = ProblemsInFiles(str(config.local_indicators))
    for ind in local:
        ev = ind.event
        if ev is None or not ev.where or ev.extract is None or ev.extract not in extracts:
            continue
        extract = extracts[ev.extract]
        ck = TomlChecker(str(ind.source))
        for i, (column, _) in enumerate(ev.where):
            if column not in extract.frame.columns:
                key: KeyPath = ("event", "where") if len(ev.where) == 1 else ("event", "where", i)
                header = config.column_map(ev.extract).get(column, column)
                ck.fail((*key, "column"),
                        f"names {column!r}, but {extract.file} has no {header!r} column; add it "
                        f"to the {ev.extract} extract or map it with [columns.{ev.extract}] "
                        f"{column} = \"<header>\"")
        problems.extend(str(ind.source), ck.problems)
    problems.raise_if_any()


def answer_problems(extracts: Mapping[str, Any], local: Sequence[IndicatorDef],
                    problems: Problems) -> None:
    """Every answer outside its declared scale, one problem per row (blank = not
    answered, which is not a problem)."""
    checked: set[tuple[str, str]] = set()
    for ind in local:
        ev = ind.event
        if ev is None or ev.rule != "answer_in":
            continue
        extract = extracts.get(ind.population.extract)
        column = ev.columns[0]
        if extract is None or column not in extract.frame.columns or (
                (extract.name, column) in checked):
            continue
        checked.add((extract.name, column))
        values = extract.frame[column]
        scale = {answer_key(v) for v in ev.scale}
        distinct = values.dropna().unique()
        off = {v for v in distinct if answer_key(v) not in scale}
        if not off:
            continue
        bad = values[values.astype(object).isin(off)]
        message = rules.NOT_ON_SCALE.message(
            column=column, source=ind.source.name if ind.source else "the indicator",
            scale=", ".join(ev.scale))
        problems.add(problem_frame(extract.file, bad.index, column, bad.astype(str),
                                   rules.NOT_ON_SCALE, message))


def meta_entry(local: Sequence[IndicatorDef]) -> dict[str, dict[str, str]]:
    """``meta.local_indicators``: id -> the file's name and its text."""
    out = {}
    for ind in local:
        assert ind.source is not None
        out[ind.id] = {"file": ind.source.name,
                       "definition": ind.source.read_text(encoding="utf-8")}
    return out


def definitions_from_meta(meta: Mapping[str, Any]) -> list[IndicatorDef]:
    """The local definitions a results file records (none when it records none, or
    when one cannot be read: a report then words that measure from its rows only)."""
    import tomllib

    out = []
    recorded = meta.get("local_indicators")
    if not isinstance(recorded, Mapping):
        return []
    for entry in recorded.values():
        try:
            data = tomllib.loads(str(entry["definition"]))
            out.append(parse_indicator(data, Path(str(entry["file"])), local=True))
        except (KeyError, TypeError, tomllib.TOMLDecodeError, ConfigError):
            continue
    return out


def document_definitions(meta: Mapping[str, Any]) -> dict[str, IndicatorDef]:
    """Indicator definitions by id for a results document's ``meta``: its
    standard's, and the local measures' it records (``meta.local_indicators``);
    only those for an unknown standard."""
    local = {d.id: d for d in definitions_from_meta(meta or {})}
    try:
        return {**{d.id: d for d in load_indicators(str(meta.get("standard")))}, **local}
    except ConfigError:
        return local
