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

import collections
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wres_cli.config import Config, Period
from wres_cli.contract import BROAD_GROUPS, GROUP_ORDER, MINORITY_GROUPS
from wres_cli.ids import shares_categories
from wres_cli.indicators import (
    COMPOUND_SEPARATOR,
    COUNTED_MEASURES,
    IndicatorDef,
    PopulationDef,
    answer_key,
)
from wres_cli.prepare import OUTSIDE_PERIOD, dated_between, end_dates, in_post_during, in_post_on

CUBE_COLUMNS = ("indicator", "breakdown", "level", "group", "population", "events")

#: The level written for a blank breakdown value (e.g. no staff_group recorded).
NOT_RECORDED = "not recorded"
OVERALL, ALL = "overall", "all"

NOT_IN_POPULATION = "person not in the population"

#: The extract of published survey breakdowns (NHS), counted without records.
SUMMARY = "survey_summary"


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
                  orders: Mapping[str, Sequence[str]]) -> tuple[bool, int, str]:
    """Sort key of one dimension's level: in its order in ``orders`` (grades in
    ``[grades] order``, bands as ``[grades.bands]`` lists them; others after them,
    sorted), other dimensions sorted; "not recorded" always last."""
    rank = 0
    order = list(orders.get(dimension) or ())
    if order:
        try:
            rank = order.index(value)
        except ValueError:
            rank = len(order)
    return (value == NOT_RECORDED, rank, value)


# --------------------------------------------------------------------------- rules


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
        mask = dated_between(frame[pop.date], start, end)
    elif pop.rule == "answered":
        mask = frame[list(pop.columns)].notna().any(axis=1)
    elif pop.rule == "all":
        mask = pd.Series(True, index=frame.index)
    else:  # pragma: no cover - the loader rejects unknown rules
        raise ValueError(f"unknown population rule {pop.rule!r}")
    for column, wanted in pop.filter:
        mask &= _flag(frame, column) == wanted
    return mask.astype(bool)


def _from_summary(ind: IndicatorDef, prepared: Mapping[str, pd.DataFrame]) -> bool:
    """Whether the indicator's counts come from a published breakdown
    (``survey_summary``) rather than from records: its population names a summary
    question, and the summary is given instead of the records."""
    pop = ind.population
    return (ind.measure == "rate" and pop.summary is not None
            and pop.extract not in prepared and SUMMARY in prepared)


def _missing(ind: IndicatorDef, prepared: Mapping[str, pd.DataFrame]) -> list[str]:
    """What this indicator needs and the data lacks (empty: it can be counted)."""
    if _from_summary(ind, prepared):
        summary = prepared[SUMMARY]
        found = "question" in summary.columns and (
            summary["question"] == ind.population.summary).any()
        return [] if found else [f"{SUMMARY}.{ind.population.summary}"]
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
                lacks.extend(f"{ev.extract}.{c}" for c in (ev.link, ev.date,
                                                           *(w for w, _ in ev.where))
                             if c not in frame.columns)
            if ev.link not in own.columns:
                lacks.append(f"{ind.population.extract}.{ev.link}")
        elif ev.rule in ("flag", "any_of", "answer_in"):
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


def _codes(values: pd.Series, clean: Callable[[object], str]) -> tuple[np.ndarray, list[str]]:
    """Per-row codes into a list of distinct cleaned values. Each distinct raw value
    is cleaned once (``clean(None)`` for a blank), so the per-row work stays in numpy.
    A categorical's own codes serve as they are (categories not on any row only
    add a distinct value that no row points at, which counts as nothing)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = [clean(u) for u in uniques.tolist()] + [clean(None)]
    merged, distinct = pd.factorize(pd.Series(cleaned, dtype=object))
    # Code -1 (blank) picks the appended clean(None). The narrowest integers that
    # hold the codes: a frame's worth of them is touched by every breakdown.
    return _narrow(merged, len(distinct))[codes], [str(v) for v in distinct]


def _narrow(values: np.ndarray, bound: int) -> np.ndarray:
    """``values`` (all in -1..bound) in the smallest signed integer type that holds them."""
    for dtype in (np.int8, np.int16, np.int32):
        if bound <= np.iinfo(dtype).max:
            return values.astype(dtype)
    return values.astype(np.int64)


def _group_clean(value: object) -> str:
    return "unknown" if value is None or value is pd.NA else str(value)


def _level_clean(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return NOT_RECORDED
    text = str(value).strip()
    return text or NOT_RECORDED


class _Coded:
    """One prepared frame with per-row integer codes for its ethnic groups and
    breakdown columns, each worked out once per ``count`` and shared by every
    indicator that reads the frame. Most indicators read the workforce: hashing
    its million-row text columns again for each of them was most of the time
    counting took at national scale. Indicators pick their rows with a mask."""

    def __init__(self, frame: pd.DataFrame, uses: int = 2) -> None:
        self.frame = frame
        #: How many populations read the frame: a table of every row's cells pays
        #: off only when several share it (the applications have one indicator,
        #: whose population is a third of them).
        self.uses = uses
        self._groups: tuple[np.ndarray, np.ndarray, list[str]] | None = None
        self._levels: dict[str, tuple[np.ndarray, list[str]]] = {}
        self._cells: dict[tuple[str, ...], tuple[np.ndarray | None, list[list[str]]]] = {}
        self._dates: dict[str, np.ndarray] = {}

    def _group_positions(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Every row's index into BROAD_GROUPS (-1: not a group code), its code
        and the distinct values the codes point to."""
        if self._groups is None:
            codes, distinct = _codes(self.frame["ethnic_group"], _group_clean)
            position = np.array([BROAD_GROUPS.index(g) if g in BROAD_GROUPS else -1
                                 for g in distinct], dtype=np.int8)
            self._groups = (position[codes], codes, distinct)
        return self._groups

    def groups(self, rows: np.ndarray) -> np.ndarray:
        """Index into BROAD_GROUPS of the ethnic group of each of ``rows`` (blank =
        unknown); a value that is not a broad group code is a bug upstream."""
        position, codes, distinct = self._group_positions()
        groups = position[rows]
        if (groups < 0).any():
            odd = sorted({distinct[c] for c in np.unique(codes[rows][groups < 0]).tolist()})
            raise ValueError(f"ethnic_group holds values that are not broad group codes: {odd}")
        return groups

    def levels(self, column: str) -> tuple[np.ndarray, list[str]]:
        """Codes of a breakdown column's cleaned values for every row, and the values."""
        if column not in self._levels:
            self._levels[column] = _codes(self.frame[column], _level_clean)
        return self._levels[column]

    def cells(self, columns: Sequence[str],
              rows: np.ndarray) -> tuple[np.ndarray | None, list[list[str]]]:
        """For a (compound) breakdown: the cell of each of ``rows``, ``level * 6 +
        group`` with level the combination of the columns' values, and each
        column's values. None instead of cells when the combinations are too many
        for a table. Worked out for every row once when several populations
        read the frame, else for these rows only."""
        key = tuple(columns)
        if key in self._cells:
            cells, distincts = self._cells[key]
            return (None if cells is None else cells[rows]), distincts
        distincts = [self.levels(c)[1] for c in columns]
        size = int(np.prod([len(d) for d in distincts]))
        cells = None
        if size * len(BROAD_GROUPS) <= _DENSE_LEVELS:
            every = self.uses > 1
            picked = slice(None) if every else rows
            # In place, in one array: each temporary the size of the frame costs
            # as much in fresh memory as in arithmetic.
            # int32: at most _DENSE_LEVELS cells, and half the memory of intp.
            cells = np.zeros(len(self.frame) if every else len(rows), dtype=np.int32)
            for column, distinct in zip(columns, distincts, strict=True):
                cells *= len(distinct)
                cells += self.levels(column)[0][picked]
            cells *= len(BROAD_GROUPS)
            cells += self._group_positions()[0][picked]
            if not every:
                return cells, distincts
        self._cells[key] = (cells, distincts)
        return (None if cells is None else cells[rows]), distincts

    def dates(self, column: str) -> np.ndarray:
        if column not in self._dates:
            values = (end_dates(self.frame) if column == "end_date" else self.frame[column])
            self._dates[column] = values.to_numpy(dtype="datetime64[ns]")
        return self._dates[column]


class _Links:
    """Ids of a population extract and of every extract linked to it, factorised
    together once: matching records to people is then array indexing, and the
    workforce's ids are hashed once for all the event indicators, not once each."""

    def __init__(self, prepared: Mapping[str, pd.DataFrame],
                 wanted: Mapping[tuple[str, str], Sequence[str]]) -> None:
        self.prepared, self.wanted = prepared, wanted
        self._codes: dict[tuple[str, str], tuple[dict[str, np.ndarray], int]] = {}

    def codes(self, population: str, link: str, records: str) -> tuple[np.ndarray, np.ndarray,
                                                                        int]:
        """(population codes, record codes, blank): equal codes, equal ids; ``blank``
        is a slot for blank ids, never in a population."""
        key = (population, link)
        if key not in self._codes or records not in self._codes[key][0]:
            extracts = list(dict.fromkeys([population, *self.wanted.get(key, ()), records]))
            columns = [self.prepared[name][link] for name in extracts]
            if shares_categories(*columns):  # ids already coded alike (see api)
                blank = len(columns[0].cat.categories)
                split = {name: np.where(c.cat.codes.to_numpy() < 0, blank,
                                        c.cat.codes.to_numpy()).astype(np.intp)
                         for name, c in zip(extracts, columns, strict=True)}
            else:
                codes, distinct = pd.factorize(pd.concat(columns, ignore_index=True),
                                               use_na_sentinel=True)
                blank = len(distinct)
                codes = np.where(codes < 0, blank, codes)
                bounds = np.cumsum([0, *(len(c) for c in columns)])
                split = {name: codes[bounds[i]:bounds[i + 1]]
                         for i, name in enumerate(extracts)}
            self._codes[key] = (split, blank)
        split, blank = self._codes[key]
        return split[population], split[records], blank


def _linked_events(ind: IndicatorDef, coded: _Coded, rows: np.ndarray,
                   prepared: Mapping[str, pd.DataFrame], links: _Links, start: pd.Timestamp,
                   end: pd.Timestamp, tally: _Tally) -> np.ndarray:
    """True for each population row with >= 1 linked record dated in the period."""
    ev = ind.event
    assert ev is not None and ev.extract is not None and ev.date is not None
    records = prepared[ev.extract]
    population_codes, record_codes, blank = links.codes(ind.population.extract, ev.link,
                                                        ev.extract)
    unit_codes = population_codes[rows]
    n_units = len(unit_codes)

    in_period = dated_between(records[ev.date], start, end).to_numpy()
    tally.set(ev.extract, OUTSIDE_PERIOD, int((~in_period).sum()))
    member = np.zeros(blank + 1, dtype=bool)
    member[unit_codes] = True
    member[blank] = False
    in_pop = member[record_codes]
    tally.not_in_population.setdefault(ev.extract, []).append(
        (ind.id, int((in_period & ~in_pop).sum())))
    counted = in_period & in_pop
    if ev.where:
        counted &= _where(records, ev.where)

    # The first population row of each id (ids are unique in a valid workforce).
    row_of = np.full(blank + 1, -1, dtype=np.int64)
    row_of[unit_codes[::-1]] = np.arange(n_units)[::-1]
    units = row_of[record_codes[counted]]
    if len(units) and "start_date" in coded.frame.columns:
        dates = records[ev.date].to_numpy(dtype="datetime64[ns]")[counted]
        people = rows[units]
        first = coded.dates("start_date")[people]
        last = coded.dates("end_date")[people]
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
    return has_event[unit_codes]


def _matches(values: pd.Series, wanted: Sequence[str]) -> pd.Series:
    """Whether each value is one of ``wanted``, ignoring case and spaces; blank never is."""
    keys = {answer_key(v) for v in wanted}
    distinct = values.dropna().unique()
    hit = {v: answer_key(v) in keys for v in distinct}
    return values.astype(object).map(hit).fillna(False).astype(bool)


def _where(records: pd.DataFrame, where: Sequence[tuple[str, Sequence[str]]]) -> np.ndarray:
    """Records meeting every ``where`` condition (methodology section 8)."""
    mask = np.ones(len(records), dtype=bool)
    for column, wanted in where:
        mask &= _matches(records[column], wanted).to_numpy()
    return mask


def _events(ind: IndicatorDef, coded: _Coded, rows: np.ndarray,
            prepared: Mapping[str, pd.DataFrame], links: _Links, start: pd.Timestamp,
            end: pd.Timestamp, tally: _Tally) -> np.ndarray:
    """Whether each population row (``rows`` of the frame) had the event."""
    ev = ind.event
    assert ev is not None
    if ev.rule == "any_in_period":
        return _linked_events(ind, coded, rows, prepared, links, start, end, tally)
    frame = coded.frame
    if ev.rule in ("flag", "any_of"):
        hit = np.zeros(len(frame), dtype=bool)
        for column in ev.columns:
            hit |= _flag(frame, column).to_numpy()
        return hit[rows]
    if ev.rule == "answer_in":
        return _matches(frame[ev.columns[0]], ev.values).to_numpy()[rows]
    if ev.rule == "left_in_period":
        return dated_between(end_dates(frame), start, end).to_numpy()[rows]
    raise ValueError(f"unknown event rule {ev.rule!r}")  # pragma: no cover


_MINORITY_COLUMNS = [BROAD_GROUPS.index(g) for g in MINORITY_GROUPS]


def _by_group(table: np.ndarray) -> np.ndarray:
    """level x BROAD_GROUPS counts -> level x GROUP_ORDER (minority added)."""
    columns = {g: table[:, i] for i, g in enumerate(BROAD_GROUPS)}
    columns["minority"] = table[:, _MINORITY_COLUMNS].sum(axis=1)
    return np.column_stack([columns[g] for g in GROUP_ORDER]).astype(np.int64)


def _tables(level_index: np.ndarray, group_index: np.ndarray, flags: np.ndarray | None,
            n_levels: int) -> tuple[np.ndarray, np.ndarray]:
    """People and people with events (none when ``flags`` is None), as level x group
    arrays (GROUP_ORDER columns), counted with one bincount each."""
    cell = level_index * len(BROAD_GROUPS) + group_index
    return _cell_tables(cell, flags, n_levels)


def _cell_tables(cell: np.ndarray, flags: np.ndarray | None,
                 n_levels: int) -> tuple[np.ndarray, np.ndarray]:
    """``_tables`` from each row's cell (``level * 6 + group``)."""
    n_groups = len(BROAD_GROUPS)
    size = n_levels * n_groups
    people = np.bincount(cell, minlength=size).reshape(n_levels, n_groups)
    if flags is None:
        events = np.zeros_like(people)
    else:  # integer counts of the flagged cells: no float weights to round back
        events = np.bincount(cell[flags], minlength=size).reshape(n_levels, n_groups)
    return _by_group(people), _by_group(events)


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


#: Above this many cells (combinations of a compound breakdown's values, times
#: the groups) the levels present are found by sorting the rows rather than with
#: a table of every combination.
_DENSE_LEVELS = 1 << 22


def _level_names(present: Sequence[int], parts: Sequence[str], distincts: list[list[str]],
                 orders: Mapping[str, Sequence[str]]) -> tuple[list[int], list[str]]:
    """The level codes present, in contract order, and their names."""
    tuples = []
    for code in present:
        values = []
        for distinct in reversed(distincts):
            code, r = divmod(code, len(distinct))
            values.append(distinct[r])
        tuples.append(tuple(reversed(values)))
    ordered = sorted(range(len(tuples)), key=lambda i: tuple(
        part_sort_key(d, v, orders) for d, v in zip(parts, tuples[i], strict=True)))
    return ([present[i] for i in ordered],
            [COMPOUND_SEPARATOR.join(tuples[i]) for i in ordered])


def _breakdown_tables(pop: PopulationDef, coded: _Coded, rows: np.ndarray,
                      groups: np.ndarray, flags: np.ndarray | None,
                      breakdowns: Sequence[str], orders: Mapping[str, Sequence[str]],
                      ) -> Iterator[tuple[str, list[str], np.ndarray, np.ndarray]]:
    """(breakdown, ordered level names, people, events) for overall and each
    breakdown whose columns are all present; people and events are level x
    GROUP_ORDER. A level is listed when someone in the population has it.

    Each row's cell in a breakdown's table is worked out once per frame (see
    ``_Coded.cells``), so an indicator only picks its rows and counts them."""
    people, events = _cell_tables(groups, flags, 1)
    yield OVERALL, [ALL], people, events
    for breakdown in breakdowns:
        parts = breakdown.split(COMPOUND_SEPARATOR)
        columns = [pop.column_for(p) for p in parts]
        if not all(c in coded.frame.columns for c in columns):
            continue
        cells, distincts = coded.cells(columns, rows)
        if cells is not None:
            n_levels = int(np.prod([len(d) for d in distincts]))
            people, events = _cell_tables(cells, flags, n_levels)
            present = np.flatnonzero(people.sum(axis=1)).tolist()
            codes, names = _level_names(present, parts, distincts, orders)
            yield breakdown, names, people[codes], events[codes]
            continue
        # Too many combinations for a table: number the ones present by sorting.
        combined = np.zeros(len(rows), dtype=np.int64)
        for column, distinct in zip(columns, distincts, strict=True):
            combined = combined * len(distinct) + coded.levels(column)[0][rows]
        combinations, row_pos = np.unique(combined, return_inverse=True)
        codes, names = _level_names(combinations.tolist(), parts, distincts, orders)
        rank = np.empty(len(combinations), dtype=np.intp)
        rank[np.searchsorted(combinations, codes)] = np.arange(len(codes))
        people, events = _tables(rank[row_pos.reshape(-1)], groups, flags, len(codes))
        yield breakdown, names, people, events


def _count_rate(ind: IndicatorDef, coded: _Coded, rows: np.ndarray, flags: np.ndarray,
                orders: Mapping[str, Sequence[str]]) -> list[pd.DataFrame]:
    groups = coded.groups(rows)
    return [_long(ind.id, breakdown, names, people, events)
            for breakdown, names, people, events in _breakdown_tables(
                ind.population, coded, rows, groups, flags, ind.counted_breakdowns,
                orders)]


def _share_tables(people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share encoding: population = headcount of the level (every group, unknown
    included), events = headcount of the group."""
    broad = [GROUP_ORDER.index(g) for g in BROAD_GROUPS]
    headcount = people[:, broad].sum(axis=1, keepdims=True)
    return np.repeat(headcount, len(GROUP_ORDER), axis=1), people


def _count_share(ind: IndicatorDef, pop: PopulationDef, coded: _Coded, rows: np.ndarray,
                 orders: Mapping[str, Sequence[str]]) -> list[pd.DataFrame]:
    groups = coded.groups(rows)
    if pop.level is not None:
        assert pop.breakdown is not None
        people, _ = _cell_tables(groups, None, 1)
        return [_long(ind.id, pop.breakdown, [pop.level], *_share_tables(people))]
    return [_long(ind.id, breakdown, names, *_share_tables(people))
            for breakdown, names, people, _ in _breakdown_tables(
                pop, coded, rows, groups, None, ind.counted_breakdowns, orders)]


def _linked_extracts(indicators: Sequence[IndicatorDef],
                     prepared: Mapping[str, pd.DataFrame]) -> dict[tuple[str, str], list[str]]:
    """(population extract, link column) -> the extracts whose records link to it."""
    wanted: dict[tuple[str, str], list[str]] = {}
    for ind in indicators:
        ev = ind.event
        if ev is None or ev.rule != "any_in_period" or _missing(ind, prepared):
            continue
        assert ev.extract is not None
        wanted.setdefault((ind.population.extract, ev.link), []).append(ev.extract)
    return wanted


def count(prepared: Mapping[str, pd.DataFrame], indicators: Sequence[IndicatorDef],
          period: Period, config: Config) -> CountResult:
    """The counts cube of every indicator whose data is present, with data-quality
    exclusions and warnings. ``prepared`` holds validated person-level frames with
    an ``ethnic_group`` column of broad group codes."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    orders = {"grade": tuple(config.grades_order or ()),
              "band": tuple(band for band, _ in config.grade_bands)}
    # The pay gap is measured from pay records (wres_cli.pay), not counted.
    indicators = [ind for ind in indicators if ind.measure in COUNTED_MEASURES]
    tally = _Tally()
    no_data: list[str] = []
    pieces: list[pd.DataFrame] = []
    coded: dict[str, _Coded] = {}
    links = _Links(prepared, _linked_extracts(indicators, prepared))
    uses = collections.Counter(pop.extract for ind in indicators if not _missing(ind, prepared)
                               and not _from_summary(ind, prepared)
                               for pop in ind.populations)

    def of(extract: str) -> _Coded:
        if extract not in coded:
            coded[extract] = _Coded(prepared[extract], uses[extract])
        return coded[extract]

    for ind in indicators:
        if _missing(ind, prepared):
            no_data.append(ind.id)
            continue
        if _from_summary(ind, prepared):
            from wres_cli.survey_summary import summary_cube_rows

            rows_of = summary_cube_rows(prepared[SUMMARY], ind)
            if rows_of is not None:
                pieces.append(rows_of)
        elif ind.measure == "rate":
            pop = ind.population
            frame = prepared[pop.extract]
            rows = np.flatnonzero(_population_mask(frame, pop, start, end).to_numpy(dtype=bool))
            if pop.rule == "dated_in_period":
                tally.set(pop.extract, OUTSIDE_PERIOD,
                          int((~dated_between(frame[pop.date], start, end)).sum()))
            flags = _events(ind, of(pop.extract), rows, prepared, links, start, end, tally)
            pieces.extend(_count_rate(ind, of(pop.extract), rows, flags, orders))
        else:
            for pop in ind.populations:
                frame = prepared[pop.extract]
                rows = np.flatnonzero(
                    _population_mask(frame, pop, start, end).to_numpy(dtype=bool))
                pieces.extend(_count_share(ind, pop, of(pop.extract), rows, orders))

    if SUMMARY in prepared and not any(i.population.summary for i in indicators
                                       if i.measure == "rate"):
        tally.warnings[f"{SUMMARY}: no indicator of this standard reads a published survey "
                       "breakdown (NHS indicators 5-8 do: set standard = \"nhs\")"] = None
    cube = pd.concat(pieces, ignore_index=True) if pieces else empty_cube()
    cube = cube.astype({"indicator": str, "breakdown": str, "level": str, "group": str,
                        "population": "int64", "events": "int64"})
    return CountResult(cube=cube[list(CUBE_COLUMNS)], exclusions=tally.finish(),
                       warnings=list(tally.warnings), no_data=no_data)
