"""Count: person-level frames + indicator definitions + period -> the counts cube.

The cube is the waist of the hourglass (architecture.md): everything before it
is about people; everything after it (measure, disclose, pooling) works on these
aggregates only. It has the columns ``indicator, breakdown, level, group,
population, events`` and no identifiers, and it is additive: the cube of a data
set is the sum of the cubes of any split of it by person (or organisation).

* Rate indicators: for each breakdown level and group, ``population`` is the
  number of people (applications, respondents) of that group in the indicator's
  population, ``events`` how many of them had at least one event.
* Share indicators: ``population`` is the headcount of the level (every group,
  unknown included), ``events`` the headcount of the group.

Every level gets a row for every group in ``contract.GROUP_ORDER`` (zeros
included); ``minority`` is the sum of the four minority broad groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wres_cli.config import Config, Period
from wres_cli.contract import BROAD_GROUPS, GROUP_ORDER, MINORITY_GROUPS
from wres_cli.indicators import COMPOUND_SEPARATOR, IndicatorDef, PopulationDef

CUBE_COLUMNS = ("indicator", "breakdown", "level", "group", "population", "events")

#: The level written for a blank breakdown value (e.g. no staff_group recorded).
NOT_RECORDED = "not recorded"
OVERALL, ALL = "overall", "all"

NOT_IN_POST = "not in post in the period"
OUTSIDE_PERIOD = "outside the period"
NOT_IN_POPULATION = "person not in the population"


@dataclass
class CountResult:
    cube: pd.DataFrame
    #: extract -> reason -> rows left out
    exclusions: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: ids of indicators whose extract (or a column they need) is missing
    no_data: list[str] = field(default_factory=list)


def empty_cube() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator": pd.Series([], dtype=str), "breakdown": pd.Series([], dtype=str),
        "level": pd.Series([], dtype=str), "group": pd.Series([], dtype=str),
        "population": pd.Series([], dtype="int64"), "events": pd.Series([], dtype="int64"),
    })


# --------------------------------------------------------------------------- ordering


def part_sort_key(dimension: str, value: str,
                  grades_order: Sequence[str] | None) -> tuple[bool, int, str]:
    """Sort key of one dimension's level: grades in ``[grades] order`` (others after
    them, sorted), other dimensions sorted; "not recorded" always last."""
    rank = 0
    if dimension == "grade" and grades_order:
        try:
            rank = list(grades_order).index(value)
        except ValueError:
            rank = len(grades_order)
    return (value == NOT_RECORDED, rank, value)


# --------------------------------------------------------------------------- rules


def _end_dates(frame: pd.DataFrame) -> pd.Series:
    if "end_date" in frame.columns:
        return frame["end_date"]
    return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")


def _between(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return ((dates >= start) & (dates <= end)).fillna(False).astype(bool)


def in_post_on(frame: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """start <= day and (end blank or end >= day)."""
    end = _end_dates(frame)
    return ((frame["start_date"] <= day) & (end.isna() | (end >= day))).astype(bool)


def in_post_during(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """start <= period end and (end blank or end >= period start)."""
    last = _end_dates(frame)
    return ((frame["start_date"] <= end) & (last.isna() | (last >= start))).astype(bool)


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column with blank (not answered / not given) read as false."""
    return frame[column].astype("boolean").fillna(False).astype(bool)


def _population_mask(frame: pd.DataFrame, pop: PopulationDef, start: pd.Timestamp,
                     end: pd.Timestamp) -> pd.Series:
    if pop.rule == "in_post_during_period":
        mask = in_post_during(frame, start, end)
    elif pop.rule == "in_post_on_start":
        mask = in_post_on(frame, start)
    elif pop.rule == "in_post_on_end":
        mask = in_post_on(frame, end)
    elif pop.rule == "dated_in_period":
        mask = _between(frame[pop.date], start, end)
    elif pop.rule == "answered":
        mask = frame[list(pop.columns)].notna().any(axis=1)
    elif pop.rule == "all":
        mask = pd.Series(True, index=frame.index)
    else:  # pragma: no cover - the loader rejects unknown rules
        raise ValueError(f"unknown population rule {pop.rule!r}")
    for column, wanted in pop.filter:
        mask &= _flag(frame, column) == wanted
    return mask.astype(bool)


def _missing(ind: IndicatorDef, prepared: Mapping[str, pd.DataFrame]) -> list[str]:
    """What this indicator needs and the data lacks (empty: it can be counted)."""
    lacks: list[str] = []
    for pop in ind.populations:
        frame = prepared.get(pop.extract)
        if frame is None:
            lacks.append(pop.extract)
            continue
        lacks.extend(f"{pop.extract}.{c}" for c in pop.needed_columns if c not in frame.columns)
    ev = ind.event
    if ev is not None and not lacks:
        own = prepared[ind.population.extract]
        if ev.rule == "any_in_period":
            frame = prepared.get(ev.extract)  # type: ignore[arg-type]
            if frame is None:
                lacks.append(str(ev.extract))
            else:
                lacks.extend(f"{ev.extract}.{c}" for c in (ev.link, ev.date)
                             if c not in frame.columns)
            if ev.link not in own.columns:
                lacks.append(f"{ind.population.extract}.{ev.link}")
        elif ev.rule in ("flag", "any_of"):
            lacks.extend(f"{ind.population.extract}.{c}" for c in ev.columns
                         if c not in own.columns)
    return lacks


# --------------------------------------------------------------------------- counting


class _Tally:
    """Exclusions and warnings gathered while counting."""

    def __init__(self) -> None:
        self.exclusions: dict[str, dict[str, int]] = {}
        self.not_in_population: dict[str, list[tuple[str, int]]] = {}
        self.warnings: dict[str, None] = {}

    def set(self, extract: str, reason: str, rows: int) -> None:
        if rows:
            self.exclusions.setdefault(extract, {})[reason] = int(rows)

    def finish(self) -> dict[str, dict[str, int]]:
        for extract, items in self.not_in_population.items():
            if len(items) == 1:
                self.set(extract, NOT_IN_POPULATION, items[0][1])
            else:
                for ind_id, n in items:
                    self.set(extract, f"{NOT_IN_POPULATION} of indicator {ind_id}", n)
        return self.exclusions


def _linked_events(ind: IndicatorDef, units: pd.DataFrame,
                   prepared: Mapping[str, pd.DataFrame], start: pd.Timestamp,
                   end: pd.Timestamp, tally: _Tally) -> pd.Series:
    """True for each population row with >= 1 linked record dated in the period.

    The ids of both sides are factorised together once, so matching records to
    people is array indexing rather than a string lookup per row."""
    ev = ind.event
    assert ev is not None and ev.extract is not None and ev.date is not None
    records = prepared[ev.extract]
    n_units = len(units)
    codes, distinct = pd.factorize(pd.concat([units[ev.link], records[ev.link]],
                                             ignore_index=True), use_na_sentinel=True)
    blank = len(distinct)  # a slot for blank ids, never in the population
    codes = np.where(codes < 0, blank, codes)
    unit_codes, record_codes = codes[:n_units], codes[n_units:]

    in_period = _between(records[ev.date], start, end).to_numpy()
    tally.set(ev.extract, OUTSIDE_PERIOD, int((~in_period).sum()))
    member = np.zeros(blank + 1, dtype=bool)
    member[unit_codes] = True
    member[blank] = False
    in_pop = member[record_codes]
    tally.not_in_population.setdefault(ev.extract, []).append(
        (ind.id, int((in_period & ~in_pop).sum())))
    counted = in_period & in_pop

    # The first population row of each id (ids are unique in a valid workforce).
    row_of = np.full(blank + 1, -1, dtype=np.int64)
    row_of[unit_codes[::-1]] = np.arange(n_units)[::-1]
    rows = row_of[record_codes[counted]]
    if len(rows) and "start_date" in units.columns:
        dates = records[ev.date].to_numpy(dtype="datetime64[ns]")[counted]
        first = units["start_date"].to_numpy(dtype="datetime64[ns]")[rows]
        last = _end_dates(units).to_numpy(dtype="datetime64[ns]")[rows]
        outside = (dates < first) | (~np.isnat(last) & (dates > last))
        n = int(outside.sum())
        if n:
            tally.warnings[
                f"{ev.extract}: {n} record{'s' if n != 1 else ''} dated in the period but "
                f"outside the person's own employment dates (counted for indicator "
                f"{ind.id})"] = None
    has_event = np.zeros(blank + 1, dtype=bool)
    has_event[record_codes[counted]] = True
    has_event[blank] = False
    return pd.Series(has_event[unit_codes], index=units.index)


def _events(ind: IndicatorDef, units: pd.DataFrame, prepared: Mapping[str, pd.DataFrame],
            start: pd.Timestamp, end: pd.Timestamp, tally: _Tally) -> pd.Series:
    ev = ind.event
    assert ev is not None
    if ev.rule == "any_in_period":
        return _linked_events(ind, units, prepared, start, end, tally)
    if ev.rule in ("flag", "any_of"):
        hit = pd.Series(False, index=units.index)
        for column in ev.columns:
            hit |= _flag(units, column)
        return hit
    if ev.rule == "left_in_period":
        return _between(_end_dates(units), start, end)
    raise ValueError(f"unknown event rule {ev.rule!r}")  # pragma: no cover


def _codes(values: pd.Series, clean) -> tuple[np.ndarray, list[str]]:
    """Per-row codes into a list of distinct cleaned values. Each distinct raw value
    is cleaned once (``clean(None)`` for a blank), so the per-row work stays in numpy."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = [clean(u) for u in uniques.tolist()] + [clean(None)]
    merged, distinct = pd.factorize(pd.Series(cleaned, dtype=object))
    codes = np.where(codes < 0, len(cleaned) - 1, codes)
    return merged[codes], [str(v) for v in distinct]


def _group_clean(value: object) -> str:
    return "unknown" if value is None or value is pd.NA else str(value)


def _groups(units: pd.DataFrame) -> np.ndarray:
    """Index into BROAD_GROUPS of each row's ethnic group (blank = unknown)."""
    codes, distinct = _codes(units["ethnic_group"], _group_clean)
    odd = sorted(set(distinct) - set(BROAD_GROUPS))
    if odd:
        raise ValueError(f"ethnic_group holds values that are not broad group codes: {odd}")
    position = np.array([BROAD_GROUPS.index(g) for g in distinct], dtype=np.intp)
    return position[codes] if len(codes) else np.zeros(0, dtype=np.intp)


def _level_clean(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return NOT_RECORDED
    text = str(value).strip()
    return text or NOT_RECORDED


_MINORITY_COLUMNS = [BROAD_GROUPS.index(g) for g in MINORITY_GROUPS]


def _by_group(table: np.ndarray) -> np.ndarray:
    """level x BROAD_GROUPS counts -> level x GROUP_ORDER (minority added)."""
    columns = {g: table[:, i] for i, g in enumerate(BROAD_GROUPS)}
    columns["minority"] = table[:, _MINORITY_COLUMNS].sum(axis=1)
    return np.column_stack([columns[g] for g in GROUP_ORDER]).astype(np.int64)


def _tables(level_index: np.ndarray, group_index: np.ndarray, flags: pd.Series,
            n_levels: int) -> tuple[np.ndarray, np.ndarray]:
    """People and people with events, as level x group arrays (GROUP_ORDER
    columns), counted with one bincount each."""
    n_groups = len(BROAD_GROUPS)
    cell = level_index * n_groups + group_index
    size = n_levels * n_groups
    people = np.bincount(cell, minlength=size).reshape(n_levels, n_groups)
    events = np.bincount(cell, weights=flags.to_numpy(dtype=np.int64),
                         minlength=size).reshape(n_levels, n_groups)
    return _by_group(people), _by_group(np.rint(events))


def _long(ind_id: str, breakdown: str, order: Sequence[str], population: np.ndarray,
          events: np.ndarray) -> pd.DataFrame:
    n_levels, n_groups = population.shape
    return pd.DataFrame({
        "indicator": ind_id,
        "breakdown": breakdown,
        "level": np.repeat(np.array(list(order), dtype=object), n_groups),
        "group": np.tile(np.array(GROUP_ORDER, dtype=object), n_levels),
        "population": population.reshape(-1),
        "events": events.reshape(-1),
    })


def _breakdown_levels(pop: PopulationDef, units: pd.DataFrame, breakdowns: Sequence[str],
                      grades_order: Sequence[str] | None):
    """(breakdown, level index per row, ordered level names) for overall and each
    breakdown whose columns are all present."""
    n = len(units)
    yield OVERALL, np.zeros(n, dtype=np.intp), [ALL]
    for breakdown in breakdowns:
        parts = breakdown.split(COMPOUND_SEPARATOR)
        columns = [pop.column_for(p) for p in parts]
        if not all(c in units.columns for c in columns):
            continue
        combined = np.zeros(n, dtype=np.int64)
        distincts = []
        for column in columns:
            codes, distinct = _codes(units[column], _level_clean)
            combined = combined * len(distinct) + codes
            distincts.append(distinct)
        present, row_pos = np.unique(combined, return_inverse=True)
        tuples = []
        for code in present.tolist():
            values = []
            for distinct in reversed(distincts):
                code, r = divmod(code, len(distinct))
                values.append(distinct[r])
            tuples.append(tuple(reversed(values)))
        ordered = sorted(range(len(tuples)), key=lambda i: tuple(
            part_sort_key(d, v, grades_order) for d, v in zip(parts, tuples[i], strict=True)))
        rank = np.empty(len(tuples), dtype=np.intp)
        rank[ordered] = np.arange(len(tuples))
        yield (breakdown, rank[row_pos.reshape(-1)],
               [COMPOUND_SEPARATOR.join(tuples[i]) for i in ordered])


def _count_rate(ind: IndicatorDef, units: pd.DataFrame, flags: pd.Series,
                grades_order: Sequence[str] | None) -> list[pd.DataFrame]:
    groups = _groups(units)
    out = []
    for breakdown, levels, order in _breakdown_levels(ind.population, units, ind.breakdowns,
                                                      grades_order):
        people, events = _tables(levels, groups, flags, len(order))
        out.append(_long(ind.id, breakdown, order, people, events))
    return out


def _share_tables(people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share encoding: population = headcount of the level (every group, unknown
    included), events = headcount of the group."""
    broad = [GROUP_ORDER.index(g) for g in BROAD_GROUPS]
    headcount = people[:, broad].sum(axis=1, keepdims=True)
    return np.repeat(headcount, len(GROUP_ORDER), axis=1), people


def _count_share(ind: IndicatorDef, pop: PopulationDef, units: pd.DataFrame,
                 grades_order: Sequence[str] | None) -> list[pd.DataFrame]:
    groups = _groups(units)
    nothing = pd.Series(False, index=units.index)
    if pop.level is not None:
        assert pop.breakdown is not None
        levels = np.zeros(len(units), dtype=np.intp)
        people, _ = _tables(levels, groups, nothing, 1)
        return [_long(ind.id, pop.breakdown, [pop.level], *_share_tables(people))]
    out = []
    for breakdown, levels, order in _breakdown_levels(pop, units, ind.breakdowns,
                                                      grades_order):
        people, _ = _tables(levels, groups, nothing, len(order))
        out.append(_long(ind.id, breakdown, order, *_share_tables(people)))
    return out


def count(prepared: Mapping[str, pd.DataFrame], indicators: Sequence[IndicatorDef],
          period: Period, config: Config) -> CountResult:
    """The counts cube of every indicator whose data is present, with data-quality
    exclusions and warnings. ``prepared`` holds validated person-level frames with
    an ``ethnic_group`` column of broad group codes."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    grades_order = config.grades_order
    tally = _Tally()
    no_data: list[str] = []
    pieces: list[pd.DataFrame] = []

    workforce = prepared.get("workforce")
    if workforce is not None and "start_date" in workforce.columns:
        tally.set("workforce", NOT_IN_POST,
                  int((~in_post_during(workforce, start, end)).sum()))

    for ind in indicators:
        if _missing(ind, prepared):
            no_data.append(ind.id)
            continue
        if ind.measure == "rate":
            pop = ind.population
            frame = prepared[pop.extract]
            mask = _population_mask(frame, pop, start, end)
            if pop.rule == "dated_in_period":
                tally.set(pop.extract, OUTSIDE_PERIOD,
                          int((~_between(frame[pop.date], start, end)).sum()))
            units = frame.loc[mask]
            flags = _events(ind, units, prepared, start, end, tally)
            pieces.extend(_count_rate(ind, units, flags, grades_order))
        else:
            for pop in ind.populations:
                frame = prepared[pop.extract]
                units = frame.loc[_population_mask(frame, pop, start, end)]
                pieces.extend(_count_share(ind, pop, units, grades_order))

    cube = pd.concat(pieces, ignore_index=True) if pieces else empty_cube()
    cube = cube.astype({"indicator": str, "breakdown": str, "level": str, "group": str,
                        "population": "int64", "events": "int64"})
    return CountResult(cube=cube[list(CUBE_COLUMNS)], exclusions=tally.finish(),
                       warnings=list(tally.warnings), no_data=no_data)
