"""Reading the tables of an indicator file: ``[population]``, ``[event]``,
``[ratio]`` and ``[difference]``, each checked by the one strict checker.

Each reader returns its part of the definition, or raises ``Abandon`` once the
problem that stops it is recorded; the caller goes on with the other tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wres_cli.contract import (
    EXTRACTS,
    GROUP_ORDER,
    LOCAL_COLUMN_EXTRACT,
    LOCAL_COLUMN_NAME,
    NON_ADVERSE_RANGE,
    SUMMARY_QUESTIONS,
)
from wres_cli.indicators import (
    ADVERSE_SIDES,
    BENCHMARK,
    DIFFERENCE_ADVERSE,
    DIMENSIONS,
    EVENT_RULES,
    IN_POST_RULES,
    POPULATION_RULES,
    RATIO_GROUPS,
    DifferenceDef,
    EventDef,
    PopulationDef,
    RateDifferenceDef,
    RatioDef,
    answer_key,
)
from wres_cli.toml_checker import (
    Abandon,
    Key,
    KeyPath,
    Schema,
    TomlChecker,
    closest,
    describe,
    name_like,
    one_of,
)


class IndicatorChecker(TomlChecker):
    """The checker, with what one indicator file adds: whether it is a local file,
    and the survey columns of its own that it reads."""

    def __init__(self, where: str, *, local: bool) -> None:
        super().__init__(where, list_known_keys=True)
        self.local = local
        #: (extract, column) -> (key, kind wanted) of each use of a column the
        #: contract does not have (local survey questions)
        self.new_columns: dict[tuple[str, str], list[tuple[KeyPath, str]]] = {}

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



_NAME = re.compile(r"[a-z][a-z0-9_]*")
RAW = Key()  # read by the code below, which is given the raw value
TEXT = Key(TomlChecker.text)
REQUIRED_TEXT = Key(TomlChecker.text, required=True)


def name_list(ck: TomlChecker, path: KeyPath, value: Any) -> tuple[str, ...] | None:
    """A list of names (groups, columns, answers), none twice."""
    return ck.text_list(path, value, unique=True, example=None)



_POPULATION: Schema = {
    "extract": Key(one_of(EXTRACTS, "extract"), required=True),
    "rule": Key(one_of(POPULATION_RULES, "population rule"), required=True),
    "date": RAW, "columns": RAW, "filter": RAW, "breakdown": RAW, "level": RAW,
    "breakdown_columns": RAW,
    "summary": Key(one_of(SUMMARY_QUESTIONS, "survey_summary question")),
    "label": TEXT, "words": TEXT,
}
_EVENT: Schema = {
    "rule": Key(one_of(EVENT_RULES, "event rule"), required=True),
    **dict.fromkeys(("extract", "date", "link", "column", "columns", "values", "scale",
                     "where"), RAW),
}
#: The keys of ``[event]`` each rule uses.
_EVENT_RULE_KEYS = {
    "any_in_period": ("rule", "extract", "date", "link", "where"),
    "flag": ("rule", "column", "extract"),
    "any_of": ("rule", "columns", "extract"),
    "left_in_period": ("rule", "extract"),
    "answer_in": ("rule", "column", "values", "scale", "extract"),
}
_WHERE: Schema = {"column": Key(required=True), "in": Key(name_list, required=True)}
_RATIO: Schema = {"focal": Key(name_list, required=True),
                  "reference": Key(name_list, required=True),
                  "adverse": Key(one_of(ADVERSE_SIDES, "side"), required=True), "range": RAW}
_LEVEL_REF: Schema = {"breakdown": Key(required=True), "level": TEXT}
_DIFFERENCE: Schema = {
    "group": Key(one_of(GROUP_ORDER, "group")),
    "focal": Key(required=True),
    "against": Key(required=True),
    "reference": Key(name_like(_NAME), required=True),
    "adverse": Key(one_of(DIFFERENCE_ADVERSE, "adverse side")),
}
_RATE_DIFFERENCE: Schema = {
    "group": Key(one_of(RATIO_GROUPS, "group"), required=True),
    "reference": Key(one_of(RATIO_GROUPS, "group"), required=True),
    "adverse": Key(one_of(ADVERSE_SIDES, "side"), required=True),
}



# --------------------------------------------------------------------------- readers


def read_rate_difference(value: Any, ck: TomlChecker) -> RateDifferenceDef:
    """``[difference]`` of a rate indicator: { group, reference, adverse }."""
    path: KeyPath = ("difference",)
    if not isinstance(value, dict):
        ck.fail(path, "must be one table { group = ..., reference = ..., adverse = "
                      f"... }} for a rate indicator, not {describe(value)}")
        raise Abandon
    got = ck.fields(path, value, _RATE_DIFFERENCE)
    if len(got) < len(_RATE_DIFFERENCE):
        raise Abandon
    if got["group"] == got["reference"]:
        ck.fail(path, "compares a group with itself")
        raise Abandon
    return RateDifferenceDef(group=got["group"], reference=got["reference"],
                             adverse=got["adverse"])


def _column(key: KeyPath, extract: str, name: Any, ck: IndicatorChecker,
            kinds: tuple[str, ...], new_kind: str | None = None) -> str:
    """A column of ``extract`` of one of ``kinds``. A local file may also name a
    survey column of its own (``new_kind``: how it is read; "any": as the other
    uses say)."""
    spec = EXTRACTS[extract]
    column = ck.need(ck.text(key, name))
    if (column not in spec.column_names and ck.local and extract == LOCAL_COLUMN_EXTRACT
            and LOCAL_COLUMN_NAME.fullmatch(column)):
        kind = new_kind or (kinds[0] if len(kinds) == 1 else "any")
        ck.new_columns.setdefault((extract, column), []).append((key, kind))
        return column
    if column not in spec.column_names:
        close = closest(column, spec.column_names)
        hint = f" (did you mean {close!r}?)" if close else ""
        ck.fail(key, f"names {column!r}, which is not a column of the {extract} extract{hint}")
        raise Abandon
    kind = spec.column(column).kind
    if kind not in kinds:
        ck.fail(key, f"names {column!r}, a {kind} column; it must be a {' or '.join(kinds)} "
                     "column")
        raise Abandon
    return column


def read_population(key: KeyPath, value: Any, ck: IndicatorChecker) -> PopulationDef:
    table = ck.need(ck.table(key, value))
    got = ck.fields(key, table, _POPULATION)
    extract, rule = ck.need(got.get("extract")), ck.need(got.get("rule"))
    spec = EXTRACTS[extract]
    date = None
    columns: tuple[str, ...] = ()
    if rule in IN_POST_RULES and not {"start_date", "end_date"} <= set(spec.column_names):
        ck.fail((*key, "rule"), f"{rule!r} needs start_date and end_date, which the "
                                f"{extract} extract does not have")
        raise Abandon
    if rule == "dated_in_period":
        if "date" not in table:
            ck.fail((*key, "date"), "is required when rule = \"dated_in_period\"")
            raise Abandon
        date = _column((*key, "date"), extract, table["date"], ck, ("date",))
    elif "date" in table:
        ck.fail((*key, "date"), f"is only used with rule = \"dated_in_period\", not {rule!r}")
    if rule == "answered":
        columns = _answered_columns(key, table, extract, ck)
    elif "columns" in table:
        ck.fail((*key, "columns"), f"is only used with rule = \"answered\", not {rule!r}")
    filters = _read_filter((*key, "filter"), table["filter"], extract, ck) if (
        "filter" in table) else ()
    breakdown, level = _read_named_level(key, table, ck)
    if level is None and ("label" in table or "words" in table):
        ck.fail(key, "names a level ('label', 'words') but has no 'level'")
        raise Abandon
    bcols: list[tuple[str, str]] = []
    if "breakdown_columns" in table:
        bkey = (*key, "breakdown_columns")
        for dim, col in ck.need(ck.table(bkey, table["breakdown_columns"])).items():
            ck.need(ck.choice((*bkey, dim), dim, DIMENSIONS, "breakdown dimension"))
            bcols.append((dim, _column((*bkey, dim), extract, col, ck, ("text",))))
    return PopulationDef(extract=extract, rule=rule, date=date, columns=columns,
                         filter=filters, breakdown=breakdown, level=level,
                         breakdown_columns=tuple(bcols), summary=got.get("summary"),
                         label=got.get("label"), words=got.get("words"))


def _answered_columns(key: KeyPath, table: Mapping[str, Any], extract: str,
                      ck: IndicatorChecker) -> tuple[str, ...]:
    path = (*key, "columns")
    if "columns" not in table:
        ck.fail(path, "is required when rule = \"answered\"")
        raise Abandon
    names = ck.need(name_list(ck, path, table["columns"]))
    if not names:
        ck.fail(path, "must name at least one column")
        raise Abandon
    return tuple(_column(path, extract, c, ck, ("boolean",), "any") for c in names)


def _read_filter(path: KeyPath, value: Any, extract: str,
                 ck: IndicatorChecker) -> tuple[tuple[str, bool], ...]:
    filters: list[tuple[str, bool]] = []
    for col, wanted in ck.need(ck.table(path, value)).items():
        _column((*path, col), extract, col, ck, ("boolean",))
        filters.append((col, ck.need(ck.boolean((*path, col), wanted))))
    return tuple(filters)


def _read_named_level(key: KeyPath, table: Mapping[str, Any],
                      ck: TomlChecker) -> tuple[str | None, str | None]:
    """``breakdown`` and ``level``: this population is one level of a named breakdown."""
    if ("breakdown" in table) != ("level" in table):
        ck.fail(key, "needs both 'breakdown' and 'level', or neither")
        raise Abandon
    if "breakdown" not in table:
        return None, None
    breakdown = ck.need(ck.name((*key, "breakdown"), table["breakdown"], _NAME))
    if breakdown in (*DIMENSIONS, "overall"):
        ck.fail((*key, "breakdown"), f"must be a new name, not the dimension {breakdown!r}")
        raise Abandon
    level = ck.need(ck.text((*key, "level"), table["level"]))
    if level == "all":
        ck.fail((*key, "level"), "must not be 'all' (that is the overall level)")
        raise Abandon
    return breakdown, level


def read_event(value: Any, population: PopulationDef, ck: IndicatorChecker) -> EventDef:
    path: KeyPath = ("event",)
    table = ck.need(ck.table(path, value))
    rule = ck.need(ck.fields(path, table, _EVENT).get("rule"))
    own = population.extract
    for key in table:
        if key not in _EVENT_RULE_KEYS[rule] and key in _EVENT:
            ck.fail(("event", key), f"is not used with rule = {rule!r}")
    if rule == "any_in_period":
        return _read_any_in_period(table, own, ck)
    if "extract" in table and table["extract"] != own:
        ck.fail(("event", "extract"), f"must be the population's extract ({own!r}) for rule = "
                                      f"{rule!r}, or left out")
        raise Abandon
    missing = [k for k in _EVENT_RULE_KEYS[rule] if k not in table and k != "extract"]
    for key in missing:
        ck.fail(("event", key), f'is required when rule = "{rule}"')
    if missing:
        raise Abandon
    if rule == "flag":
        return EventDef(rule=rule, columns=(_column(("event", "column"), own, table["column"],
                                                    ck, ("boolean",)),))
    if rule == "any_of":
        names = ck.need(name_list(ck, ("event", "columns"), table["columns"]))
        if not names:
            ck.fail(("event", "columns"), "must name at least one column")
            raise Abandon
        return EventDef(rule=rule, columns=tuple(
            _column(("event", "columns"), own, c, ck, ("boolean",)) for c in names))
    if rule == "answer_in":
        return _read_answer_in(table, own, ck)
    # left_in_period
    if "end_date" not in EXTRACTS[own].column_names:
        ck.fail(("event", "rule"), f"'left_in_period' needs end_date, which the {own} extract "
                                   "does not have")
        raise Abandon
    return EventDef(rule=rule)


def _read_any_in_period(table: Mapping[str, Any], own: str, ck: IndicatorChecker) -> EventDef:
    for key in ("extract", "date"):
        if key not in table:
            ck.fail(("event", key), "is required when rule = \"any_in_period\"")
            raise Abandon
    extract = ck.need(ck.choice(("event", "extract"), table["extract"], EXTRACTS, "extract"))
    date = _column(("event", "date"), extract, table["date"], ck, ("date",))
    link = _column(("event", "link"), extract, table.get("link", "staff_id"), ck, ("id",))
    if link not in EXTRACTS[own].column_names:
        ck.fail(("event", "link"), f"names {link!r}, which the population's extract ({own}) "
                                   "does not have")
        raise Abandon
    where = _read_where(table["where"], extract, ck) if "where" in table else ()
    return EventDef(rule="any_in_period", extract=extract, date=date, link=link, where=where)


def _read_answer_in(table: Mapping[str, Any], own: str, ck: IndicatorChecker) -> EventDef:
    """``rule = "answer_in"``: an answer on a declared scale (methodology section 8)."""
    column = _column(("event", "column"), own, table["column"], ck, ("text",), "text")
    scale = ck.need(name_list(ck, ("event", "scale"), table["scale"]))
    values = ck.need(name_list(ck, ("event", "values"), table["values"]))
    if len(scale) < 2:
        ck.fail(("event", "scale"), "must list at least two answers")
        raise Abandon
    keys = [answer_key(v) for v in scale]
    if len(set(keys)) != len(keys):
        ck.fail(("event", "scale"), "lists one answer twice (answers match ignoring case and "
                                    "spaces)")
        raise Abandon
    if not values:
        ck.fail(("event", "values"), "must name at least one answer of event.scale")
        raise Abandon
    for v in values:
        if answer_key(v) not in keys:
            ck.fail(("event", "values"), f"lists {v!r}, which is not in event.scale "
                                         f"({', '.join(scale)})")
    if len(values) == len(scale):
        ck.fail(("event", "values"), "lists every answer of the scale: nobody could answer "
                                     "otherwise")
    return EventDef(rule="answer_in", columns=(column,), values=values, scale=scale)


def _read_where(value: Any, extract: str,
                ck: IndicatorChecker) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``where = { column, in }`` or a list of them, all of which must hold."""
    items = value if isinstance(value, list) else [value]
    if not items:
        ck.fail(("event", "where"), "must name at least one condition")
        raise Abandon
    out = []
    for i, item in enumerate(items):
        key: KeyPath = ("event", "where", i) if isinstance(value, list) else ("event", "where")
        got = ck.fields(key, ck.need(ck.table(key, item)), _WHERE)
        if "column" not in got:
            raise Abandon
        column = _column((*key, "column"), extract, got["column"], ck, ("text",))
        wanted = ck.need(got.get("in"))
        if not wanted:
            ck.fail((*key, "in"), "must list at least one value")
            raise Abandon
        out.append((column, wanted))
    return tuple(out)


def read_ratio(value: Any, ck: TomlChecker) -> RatioDef:
    table = ck.need(ck.table(("ratio",), value))
    got = ck.fields(("ratio",), table, _RATIO)
    sides: dict[str, tuple[str, ...]] = {}
    for side in ("focal", "reference"):
        items = ck.need(got.get(side))
        if not items:
            ck.fail(("ratio", side), "must name at least one group")
            raise Abandon
        if "unknown" in items:
            ck.fail(("ratio", side), "must not include 'unknown': unknown ethnicity never "
                                     "enters a ratio")
            raise Abandon
        if not all([ck.choice(("ratio", side), g, RATIO_GROUPS, "group") for g in items]):
            raise Abandon
        sides[side] = items
    if set(sides["focal"]) & set(sides["reference"]):
        ck.fail(("ratio",), "compares a group with itself (focal and reference overlap)")
        raise Abandon
    adverse = ck.need(got.get("adverse"))
    if table.get("range") == "none":
        return RatioDef(focal=sides["focal"], reference=sides["reference"], adverse=adverse,
                        assessed=False)
    low, high = NON_ADVERSE_RANGE
    if "range" in table:
        rng = table["range"]
        if (not isinstance(rng, list) or len(rng) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in rng)
                or not 0 < rng[0] < rng[1]):
            ck.fail(("ratio", "range"), "must be two numbers [low, high] with 0 < low < high, "
                                        f"or \"none\", not {rng!r}")
            raise Abandon
        low, high = float(rng[0]), float(rng[1])
    return RatioDef(focal=sides["focal"], reference=sides["reference"], adverse=adverse,
                    low=low, high=high)


def _read_level_ref(key: KeyPath, value: Any, known: Mapping[str, tuple[str, ...]],
                    ck: TomlChecker, *, level_required: bool) -> tuple[str, str | None]:
    """``{ breakdown = ..., level = ... }`` naming a breakdown this indicator writes.
    ``known`` maps each breakdown to its fixed levels (empty: levels come from data)."""
    got = ck.fields(key, ck.need(ck.table(key, value)), _LEVEL_REF)
    breakdown = ck.need(ck.choice((*key, "breakdown"), ck.need(got.get("breakdown")), known,
                                  "breakdown of this indicator"))
    if "level" not in got:
        if "level" in value:  # there, but not text
            raise Abandon
        if breakdown == "overall":
            return breakdown, "all"
        if level_required:
            ck.fail((*key, "level"), "is required here")
            raise Abandon
        return breakdown, None
    level: str = got["level"]
    if known[breakdown]:
        ck.need(ck.choice((*key, "level"), level, known[breakdown], "level"))
    return breakdown, level


def read_difference(key: KeyPath, value: Any, known: Mapping[str, tuple[str, ...]],
                     ck: TomlChecker) -> DifferenceDef:
    table = ck.need(ck.table(key, value))
    got = ck.fields(key, table, _DIFFERENCE)
    if not {"focal", "against", "reference"} <= set(table):
        raise Abandon
    fb, fl = _read_level_ref((*key, "focal"), got["focal"], known, ck, level_required=False)
    if fb == "overall":
        ck.fail((*key, "focal"), "must be a breakdown other than overall")
        raise Abandon
    against = got["against"]
    ab: str | None
    al: str | None
    if against == BENCHMARK:
        ab = al = None
    elif isinstance(against, dict):
        ab, al = _read_level_ref((*key, "against"), against, known, ck, level_required=True)
    else:
        ck.fail((*key, "against"), "must be a table { breakdown = ..., level = ... } or "
                                   f"\"population\", not {describe(against)}")
        raise Abandon
    return DifferenceDef(group=got.get("group", "minority"), focal_breakdown=fb, focal_level=fl,
                         against_breakdown=ab, against_level=al,
                         reference=ck.need(got.get("reference")),
                         adverse_when_negative=got.get("adverse", "none") == "negative")
