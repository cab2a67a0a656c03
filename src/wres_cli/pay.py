"""The ethnicity pay gap (methodology.md section 7): pay records -> result rows.

Following the Government's *Ethnicity pay reporting: guidance for employers*
(2023), which borrows the gender pay gap method:

* **who**: staff in post on the snapshot date (``[pay] snapshot``, default the
  period end) with a ``pay`` row whose ``full_pay`` is not false;
* per group (``white``, ``minority``, the four minority broad groups,
  ``unknown``) and per level (``overall`` and each breakdown the indicator
  names, plus ``band`` when the workforce has one): mean and median hourly pay;
* gaps of ``minority`` and each minority broad group against White, as
  (White − group) ÷ White; unknown never enters a gap;
* pay quartiles of everyone, with people of equal pay who straddle a cut
  shared out between the two parts (so counts may be fractional);
* bonus figures when ``bonus_pay`` is given.

Means and medians do not add up, so the pay gap is not in the counts cube: it is
measured here from the person-level frames, once, vectorised (one sort of the
pay, then ``bincount`` and index arithmetic). ``withhold`` applies the small-number
rule to these rows (section 7 and 5); see its docstring for the sets it protects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from wres_cli import stats
from wres_cli.contract import BROAD_GROUPS, GROUP_ORDER, MINORITY_GROUPS, RESULT_COLUMNS

QUARTILE_BREAKDOWN = "pay_quartile"
QUARTILES = ("lower", "lower middle", "upper middle", "upper")
#: Breakdowns from the workforce that the pay figures are given by when present,
#: besides those the indicator file names: ``band`` is derived from ``[grades.bands]``.
EXTRA_BREAKDOWNS = ("band",)

#: Pay measures in output order (contracts section 3: share and rate first).
MEASURE_ORDER = ("share", "rate", "mean_hourly_pay", "median_hourly_pay", "pay_gap_mean",
                 "pay_gap_median", "mean_bonus", "median_bonus", "pay_gap_bonus_mean",
                 "pay_gap_bonus_median")
GAP_GROUPS = ("minority", *MINORITY_GROUPS)
#: Groups in pay output: the broad groups and minority, in contract order.
GROUPS = GROUP_ORDER

NOT_IN_POST = "not in post on the pay snapshot date"
#: Only reached when the config leaves such records out rather than reporting them.
NOT_IN_WORKFORCE = "person not in the workforce"
NOT_FULL_PAY = "not on full pay"
EMPTY_GROUP = "no one in this group"
NO_BONUS = "no one in this group received a bonus"
NO_REFERENCE = "no White staff to compare with"
NO_BONUS_REFERENCE = "no White staff received a bonus"
ZERO_REFERENCE = "White staff's pay is 0"
WITHHELD_NOTE = "withheld to protect small numbers"
SUPPRESSED = "suppressed"
NOT_CALCULABLE = "not calculable"

OVERALL, ALL = "overall", "all"
NOT_RECORDED = "not recorded"


# --------------------------------------------------------------------------- people


@dataclass
class PayPeople:
    """The pay population: one row per person, with what the figures need."""

    hourly: np.ndarray  # float64
    bonus: np.ndarray | None  # float64, 0 for no bonus; None when bonus_pay is absent
    group: np.ndarray  # int8 index into BROAD_GROUPS
    #: breakdown -> (per-person level code, level names in output order)
    levels: dict[str, tuple[np.ndarray, list[str]]] = field(default_factory=dict)
    exclusions: dict[str, int] = field(default_factory=dict)


def snapshot_date(configured: date | None, period_end: date) -> date:
    return configured if configured is not None else period_end


def pay_people(workforce: pd.DataFrame, pay: pd.DataFrame, snapshot: date,
               breakdowns: Sequence[str] = ("grade",),
               grades_order: Sequence[str] | None = None) -> PayPeople:
    """Who the pay gap is about (methodology section 7), from the prepared workforce
    (ethnic groups, exclusions applied) and the validated pay records.

    Pay records of people not in the workforce were reported (or, where the
    config says so, left out) before this stage; any left are skipped here."""
    position = _workforce_positions(workforce["staff_id"], pay["staff_id"])
    day = pd.Timestamp(snapshot)
    start = workforce["start_date"].to_numpy()
    end = (workforce["end_date"].to_numpy() if "end_date" in workforce.columns
           else np.full(len(workforce), np.datetime64("NaT"), dtype="datetime64[ns]"))
    in_post = (start <= day.to_datetime64()) & (np.isnat(end) | (end >= day.to_datetime64()))
    linked = position >= 0
    safe = np.where(linked, position, 0)
    present = linked & in_post[safe]
    full = np.ones(len(pay), dtype=bool)
    if "full_pay" in pay.columns:  # blank full_pay means full pay (contracts section 1)
        full = pay["full_pay"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    keep = present & full
    rows = position[keep]
    people = PayPeople(
        hourly=pay["hourly_pay"].to_numpy(dtype=np.float64, na_value=np.nan)[keep],
        bonus=(np.nan_to_num(pay["bonus_pay"].to_numpy(dtype=np.float64, na_value=np.nan)[keep])
               if "bonus_pay" in pay.columns else None),
        group=_group_codes(workforce["ethnic_group"])[rows],
        exclusions={k: int(v) for k, v in ((NOT_IN_WORKFORCE, int((~linked).sum())),
                                           (NOT_IN_POST, int((linked & ~present).sum())),
                                           (NOT_FULL_PAY, int((present & ~full).sum()))) if v},
    )
    for breakdown in dict.fromkeys((*breakdowns, *EXTRA_BREAKDOWNS)):
        if breakdown in workforce.columns:
            codes, names = _level_codes(workforce[breakdown], breakdown, grades_order)
            people.levels[breakdown] = (codes[rows], names)
    return people


def _workforce_positions(workforce_ids: pd.Series, pay_ids: pd.Series) -> np.ndarray:
    """Each pay row's position in the workforce (-1: not there). Shared categorical
    ids (``share_staff_ids``) are matched by their codes, without hashing again."""
    if (isinstance(workforce_ids.dtype, pd.CategoricalDtype)
            and isinstance(pay_ids.dtype, pd.CategoricalDtype)
            and workforce_ids.cat.categories is pay_ids.cat.categories):
        lookup = np.full(len(workforce_ids.cat.categories) + 1, -1, dtype=np.int64)
        codes = workforce_ids.cat.codes.to_numpy()
        lookup[codes[codes >= 0]] = np.flatnonzero(codes >= 0)
        return lookup[pay_ids.cat.codes.to_numpy()]  # code -1 picks the last slot: -1
    return pd.Index(workforce_ids.astype(str)).get_indexer(pay_ids.astype(str))


def _group_codes(groups: pd.Series) -> np.ndarray:
    """Broad group codes as indices into ``BROAD_GROUPS`` (unknown for anything else)."""
    categorical = pd.Categorical(groups, categories=list(BROAD_GROUPS))
    codes = categorical.codes.astype(np.int8)
    return np.where(codes < 0, BROAD_GROUPS.index("unknown"), codes).astype(np.int8)


def _level_codes(values: pd.Series, breakdown: str,
                 grades_order: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
    """Per-row codes into the level names, in output order; blank is "not recorded".
    A categorical's own codes serve as they are (levels no row has write nothing)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        uniques = list(values.cat.categories)
    else:
        codes, uniques = pd.factorize(values.astype("object"), use_na_sentinel=True)
    names = [str(u).strip() or NOT_RECORDED for u in uniques]
    if (codes < 0).any():
        names.append(NOT_RECORDED)
        codes = np.where(codes < 0, len(names) - 1, codes)
    distinct = list(dict.fromkeys(names))
    order = sorted(distinct, key=lambda n: _level_key(n, breakdown, grades_order))
    rank = {name: i for i, name in enumerate(order)}
    remap = np.array([rank[n] for n in names], dtype=np.int64)
    return remap[codes] if len(codes) else codes.astype(np.int64), order


def _level_key(name: str, breakdown: str,
               grades_order: Sequence[str] | None) -> tuple[bool, int, str]:
    rank = 0
    if breakdown == "grade" and grades_order:
        order = list(grades_order)
        rank = order.index(name) if name in order else len(order)
    return (name == NOT_RECORDED, rank, name)


# --------------------------------------------------------------------------- figures


_OUTPUT_OF_BROAD = np.array([GROUPS.index(g) for g in BROAD_GROUPS], dtype=np.int64)
_MINORITY_CODES = [BROAD_GROUPS.index(g) for g in MINORITY_GROUPS]


def group_stats(values: np.ndarray, cell: np.ndarray, cells: int,
                order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, mean and median of ``values`` per cell code (0..cells-1): NaN where empty.

    ``order`` lists the positions to use in order of value (by default all of them,
    sorted here); a stable sort of their cell codes (a radix sort: the codes are
    small) then puts each cell's values in order, so a median is the middle one
    (or the mean of the two middle ones). One sort of the pay serves every
    breakdown and group."""
    if order is None:
        order = np.argsort(values, kind="stable")
    code = cell[order].astype(np.int16 if cells < np.iinfo(np.int16).max else np.int64)
    ordered = values[order]
    count = np.bincount(code, minlength=cells)
    total = np.bincount(code, weights=ordered, minlength=cells)
    sorted_values = ordered[np.argsort(code, kind="stable")]
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    filled = count > 0
    low = np.where(filled, start + (count - 1) // 2, 0)
    high = np.where(filled, start + count // 2, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(filled, total / np.maximum(count, 1), np.nan)
    if len(sorted_values):
        median = np.where(filled, (sorted_values[low] + sorted_values[high]) / 2, np.nan)
    else:
        median = np.full(cells, np.nan)
    return count, mean, median


def _grid(values: np.ndarray, group: np.ndarray, level: np.ndarray, levels: int,
          order: np.ndarray, minority: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, mean and median per (level, output group), level-major: each person in
    their broad group, and minority ethnic people (``minority``) in ``minority`` too."""
    ng = len(GROUPS)
    cells = levels * ng
    broad = group_stats(values, level * ng + _OUTPUT_OF_BROAD[group], cells, order)
    within = order[minority[order]]  # still in order of value
    combined = group_stats(values, level * ng + GROUPS.index("minority"), cells, within)
    count = broad[0] + combined[0]
    mean = np.where(combined[0] > 0, combined[1], broad[1])
    median = np.where(combined[0] > 0, combined[2], broad[2])
    return count, mean, median


def quartile_counts(hourly: np.ndarray, group: np.ndarray, groups: int,
                    order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """People of each group in each pay quartile, and each quartile's size.

    The ranking is cut into four parts of as equal a size as possible, the lower
    parts taking the extra people first. A run of m people with the same pay at
    places a+1..a+m is shared out: a part covering places lo+1..hi takes
    overlap / m of each group's people in the run (methodology section 7), so a
    count may be fractional."""
    n = len(hourly)
    base, extra = divmod(n, 4)
    sizes = np.array([base + (1 if i < extra else 0) for i in range(4)], dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    if n == 0:
        return np.zeros((4, groups)), sizes
    if order is None:
        order = np.argsort(hourly, kind="stable")
    ranked = hourly[order]
    run = np.concatenate([[0], np.cumsum(ranked[1:] != ranked[:-1])])  # per place
    runs = int(run[-1]) + 1
    length = np.bincount(run, minlength=runs)
    first = np.concatenate([[0], np.cumsum(length)[:-1]])  # a: people paid less
    members = np.bincount(run * groups + group[order].astype(np.int64),
                          minlength=runs * groups).reshape(runs, groups).astype(float)
    lo, hi = bounds[:-1], bounds[1:]
    overlap = np.clip(np.minimum(first[:, None] + length[:, None], hi[None, :])
                      - np.maximum(first[:, None], lo[None, :]), 0, None)
    fraction = overlap / length[:, None]  # runs x parts
    return fraction.T @ members, sizes


def _exact(values: np.ndarray) -> list[int | float]:
    """Counts as whole numbers where they are whole (within floating error), else
    unrounded fractions."""
    out: list[int | float] = []
    for v in values.tolist():
        whole = round(v)
        out.append(int(whole) if abs(v - whole) < 1e-9 else float(v))
    return out


# --------------------------------------------------------------------------- rows


@dataclass
class _Table:
    """Per (level, output group) figures of one breakdown, flattened level-major."""

    breakdown: str
    levels: list[str]
    count: np.ndarray
    mean: np.ndarray
    median: np.ndarray
    bonus_count: np.ndarray | None = None
    bonus_mean: np.ndarray | None = None
    bonus_median: np.ndarray | None = None


def _tables(people: PayPeople, order: np.ndarray) -> list[_Table]:
    breakdowns = [(OVERALL, np.zeros(len(people.hourly), dtype=np.int64), [ALL])]
    breakdowns += [(b, codes, names) for b, (codes, names) in people.levels.items()]
    paid = bonus_order = None
    if people.bonus is not None:
        paid = np.flatnonzero(people.bonus > 0)
        bonus_order = paid[np.argsort(people.bonus[paid], kind="stable")]
    minority = np.isin(np.arange(len(BROAD_GROUPS)), _MINORITY_CODES)[people.group]
    tables = []
    for breakdown, codes, names in breakdowns:
        count, mean, median = _grid(people.hourly, people.group, codes, len(names), order,
                                    minority)
        table = _Table(breakdown, names, count, mean, median)
        if people.bonus is not None and bonus_order is not None:
            table.bonus_count, table.bonus_mean, table.bonus_median = _grid(
                people.bonus, people.group, codes, len(names), bonus_order, minority)
        tables.append(table)
    return tables


def _empty_rows() -> dict[str, list]:
    return {c: [] for c in ("measure", "breakdown", "level", "group", "reference",
                            "numerator", "denominator", "value", "ci_low", "ci_high",
                            "assessment", "significant", "note")}


def _add(out: dict[str, list], n: int, **columns: object) -> None:
    defaults = {"reference": None, "numerator": None, "denominator": None, "value": np.nan,
                "ci_low": np.nan, "ci_high": np.nan, "assessment": None, "significant": None,
                "note": None}
    for key in out:
        value = columns.get(key, defaults.get(key))
        if isinstance(value, np.ndarray | list):
            out[key].extend(list(value))
        else:
            out[key].extend([value] * n)


def _figure_rows(out: dict[str, list], t: _Table, measure: str, count: np.ndarray,
                 value: np.ndarray, empty_note: str) -> None:
    n = len(count)
    levels = np.repeat(np.array(t.levels, dtype=object), len(GROUPS))
    groups = np.tile(np.array(GROUPS, dtype=object), len(t.levels))
    _add(out, n, measure=measure, breakdown=t.breakdown, level=levels, group=groups,
         denominator=[int(c) for c in count], value=value,
         note=np.where(count == 0, empty_note, stats.NONE))


def _gap_rows(out: dict[str, list], t: _Table, measure: str, count: np.ndarray,
              value: np.ndarray, empty_note: str) -> None:
    ng = len(GROUPS)
    white = GROUPS.index("white")
    grid_count = count.reshape(len(t.levels), ng)
    grid = value.reshape(len(t.levels), ng)
    for level_index, level in enumerate(t.levels):
        w, w_n = grid[level_index, white], grid_count[level_index, white]
        for g in GAP_GROUPS:
            gi = GROUPS.index(g)
            note = None
            if w_n == 0:
                note = NO_BONUS_REFERENCE if "bonus" in measure else NO_REFERENCE
            elif grid_count[level_index, gi] == 0:
                note = empty_note
            elif w == 0:
                note = ZERO_REFERENCE
            gap = np.nan if note else (w - grid[level_index, gi]) / w
            _add(out, 1, measure=measure, breakdown=t.breakdown, level=level, group=g,
                 reference="white", value=gap, assessment=NOT_CALCULABLE if note else None,
                 note=note)


def _bonus_rate_rows(out: dict[str, list], t: _Table) -> None:
    from wres_cli.stats import wilson_interval

    assert t.bonus_count is not None
    n = len(t.count)
    low, high = wilson_interval(t.bonus_count, t.count)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(t.count > 0, t.bonus_count / np.maximum(t.count, 1), np.nan)
    levels = np.repeat(np.array(t.levels, dtype=object), len(GROUPS))
    groups = np.tile(np.array(GROUPS, dtype=object), len(t.levels))
    _add(out, n, measure="rate", breakdown=t.breakdown, level=levels, group=groups,
         numerator=[int(c) for c in t.bonus_count], denominator=[int(c) for c in t.count],
         value=value, ci_low=low, ci_high=high,
         note=np.where(t.count == 0, EMPTY_GROUP, stats.NONE))


def _quartile_rows(out: dict[str, list], people: PayPeople, order: np.ndarray) -> None:
    broad, sizes = quartile_counts(people.hourly, people.group, len(BROAD_GROUPS), order)
    by_group = {g: broad[:, BROAD_GROUPS.index(g)] for g in BROAD_GROUPS}
    by_group["minority"] = np.sum([by_group[g] for g in MINORITY_GROUPS], axis=0)
    for part, name in enumerate(QUARTILES):
        for g in GROUPS:
            count = _exact(np.array([by_group[g][part]]))[0]
            size = int(sizes[part])
            _add(out, 1, measure="share", breakdown=QUARTILE_BREAKDOWN, level=name, group=g,
                 numerator=count, denominator=size,
                 value=count / size if size else np.nan,
                 note=None if size else "no one in this level")


def pay_rows(people: PayPeople, *, indicator: str, organisation: str | None,
             period_start: date, period_end: date, standard: str) -> pd.DataFrame:
    """Every pay result row (contracts section 3) of the pay indicator ``indicator``
    (its id, from its definition), unsuppressed, in output order."""
    out = _empty_rows()
    # The one sort of the pay. Which of two equal amounts comes first changes no
    # median and no quartile count (ties are shared out), so any sort will do.
    order = np.argsort(people.hourly)
    tables = _tables(people, order)
    _quartile_rows(out, people, order)
    for t in tables:
        if t.bonus_count is not None:
            _bonus_rate_rows(out, t)
    for t in tables:
        _figure_rows(out, t, "mean_hourly_pay", t.count, t.mean, EMPTY_GROUP)
    for t in tables:
        _figure_rows(out, t, "median_hourly_pay", t.count, t.median, EMPTY_GROUP)
    for t in tables:
        _gap_rows(out, t, "pay_gap_mean", t.count, t.mean, EMPTY_GROUP)
    for t in tables:
        _gap_rows(out, t, "pay_gap_median", t.count, t.median, EMPTY_GROUP)
    bonus_tables = [(t, t.bonus_count) for t in tables if t.bonus_count is not None]
    if people.bonus is not None:
        for measure, pick in (("mean_bonus", "bonus_mean"), ("median_bonus", "bonus_median")):
            for t, bonus_count in bonus_tables:
                _figure_rows(out, t, measure, bonus_count, getattr(t, pick), NO_BONUS)
        for measure, pick in (("pay_gap_bonus_mean", "bonus_mean"),
                              ("pay_gap_bonus_median", "bonus_median")):
            for t, bonus_count in bonus_tables:
                _gap_rows(out, t, measure, bonus_count, getattr(t, pick), NO_BONUS)
    return _finish(out, indicator=indicator, organisation=organisation,
                   period_start=period_start, period_end=period_end, standard=standard)


def _count_column(values: list) -> pd.Series:
    """Whole counts as nullable integers; with a fraction among them (quartile shares
    with ties), Python ints and floats side by side, so every file writes a whole
    count as an integer and a fraction unrounded."""
    present = [v for v in values if v is not None]
    if all(isinstance(v, int) for v in present):
        return pd.Series(pd.array(values, dtype="Int64"))
    return pd.Series([pd.NA if v is None else v for v in values], dtype=object)


def _finish(out: dict[str, list], *, indicator: str, organisation: str | None,
            period_start: date, period_end: date, standard: str) -> pd.DataFrame:
    n = len(out["measure"])
    frame = pd.DataFrame({
        "organisation": pd.Series([organisation] * n, dtype=str),
        "period_start": pd.Series([period_start.isoformat()] * n, dtype=str),
        "period_end": pd.Series([period_end.isoformat()] * n, dtype=str),
        "standard": pd.Series([standard] * n, dtype=str),
        "indicator": pd.Series([indicator] * n, dtype=str),
        **{c: pd.Series(out[c], dtype=str) for c in ("measure", "breakdown", "level", "group",
                                                     "reference", "assessment")},
        "numerator": _count_column(out["numerator"]),
        "denominator": _count_column(out["denominator"]),
        **{c: pd.Series(out[c], dtype="float64") for c in ("value", "ci_low", "ci_high")},
        "p_value": pd.Series(np.full(n, np.nan)),
        "p_adjusted": pd.Series(np.full(n, np.nan)),
        "significant": pd.Series(out["significant"], dtype="boolean"),
        "suppressed": pd.Series(np.zeros(n, dtype=bool)),
        "note": pd.Series(out["note"], dtype=str),
    })
    return _sorted(frame[list(RESULT_COLUMNS)])


def _sorted(rows: pd.DataFrame) -> pd.DataFrame:
    """Measure (share, rate, then the pay measures), breakdown (overall, grade,
    band, pay_quartile, others), level as written, group, reference."""
    breakdowns = [OVERALL, "grade", *EXTRA_BREAKDOWNS, QUARTILE_BREAKDOWN]
    extra = sorted(set(rows["breakdown"]) - set(breakdowns))
    keys = pd.DataFrame({
        "m": rows["measure"].map({m: i for i, m in enumerate(MEASURE_ORDER)}),
        "b": rows["breakdown"].map({b: i for i, b in enumerate([*breakdowns, *extra])}),
        "pos": np.arange(len(rows)),  # levels and groups are written in order already
    })
    order = keys.sort_values(["m", "b", "pos"], kind="mergesort").index
    return rows.loc[order].reset_index(drop=True)


# --------------------------------------------------------------------------- withholding


def withhold(rows: pd.DataFrame, threshold: int | None) -> pd.DataFrame:
    """The small-number rule on pay rows (methodology sections 7 and 5).

    A *cell* is one group at one level of one breakdown, for the hourly pay
    figures (its count: the people, the ``denominator`` of ``mean_hourly_pay``),
    for the bonus figures (its count: those with a bonus, the ``numerator`` of
    the bonus ``rate`` row) and for each pay quartile (its count: the quartile
    share's ``numerator``, possibly fractional).

    1. **Primary**: a cell whose count c is small (0 < c < threshold; a fraction
       of a person counts as small) is withheld, and so is every quartile share
       of a quartile with fewer than ``threshold`` people.
    2. **Sets**: counts that add up, and the totals of the pay figures (mean x
       people) likewise: ``minority`` = the four minority broad groups (per level
       and per quartile); a breakdown's levels add up to ``overall`` (per group);
       each group's four quartiles add up to its overall people; the quartile
       size (published) = White + minority + unknown in it; the people paid
       (the sum of the quartile sizes) = White + minority + unknown overall.
       While a set has exactly one withheld member, its published member with
       the smallest count (ties: group order, then level order) is withheld too.
    3. **Derived**: every row of a withheld cell is withheld (mean, median, the
       bonus rate with it), and a gap is withheld when its group's or White's
       cell is.

    Withheld rows keep their identifying columns; numerator, denominator,
    value and interval are emptied, ``assessment`` is ``suppressed`` and
    ``note`` says "withheld to protect small numbers". ``threshold`` None
    (``--no-suppress``) returns the rows unchanged.
    """
    if threshold is None or rows.empty:
        return rows
    cells = _cells(rows)
    # A quartile smaller than the threshold is itself a small count of people
    # (its size is every share's denominator): all its shares are withheld.
    small = ((cells["count"] > 0) & (cells["count"] < threshold)) | (
        (cells["size"] > 0) & (cells["size"] < threshold))
    withheld = _secondary(cells, small.to_numpy(dtype=bool).copy())
    return _blank_withheld(rows, cells, withheld)


def _cells(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per cell: kind (pay, bonus, quartile), breakdown, level, group, count."""
    pay = rows[rows["measure"] == "mean_hourly_pay"]
    bonus = rows[(rows["measure"] == "rate")]
    quartile = rows[(rows["measure"] == "share") & (rows["breakdown"] == QUARTILE_BREAKDOWN)]
    parts = []
    for kind, frame, column in (("pay", pay, "denominator"), ("bonus", bonus, "numerator"),
                                ("quartile", quartile, "numerator")):
        parts.append(pd.DataFrame({
            "kind": kind, "breakdown": frame["breakdown"].to_numpy(dtype=object),
            "level": frame["level"].to_numpy(dtype=object),
            "group": frame["group"].to_numpy(dtype=object),
            "count": pd.to_numeric(frame[column].astype(object), errors="coerce")
            .fillna(0).to_numpy(dtype=float),
            "size": (pd.to_numeric(frame["denominator"].astype(object), errors="coerce")
                     .fillna(0).to_numpy(dtype=float) if kind == "quartile"
                     else np.zeros(len(frame))),
        }))
    return pd.concat(parts, ignore_index=True)


def _sets(cells: pd.DataFrame) -> list[np.ndarray]:
    """Each set of cells that add up (to one of them, or to a published total)."""
    index = {key: i for i, key in enumerate(
        zip(cells["kind"], cells["breakdown"], cells["level"], cells["group"], strict=True))}
    sets: list[list[int]] = []

    def members(keys: Iterable[tuple[str, str, str, str]]) -> None:
        found = [index[k] for k in keys if k in index]
        if len(found) > 1:
            sets.append(found)

    triples = cells[["kind", "breakdown", "level"]].drop_duplicates().itertuples(index=False)
    levels_of: dict[tuple[str, str], list[str]] = {}
    for kind, breakdown, level in triples:
        levels_of.setdefault((kind, breakdown), []).append(level)
        members((kind, breakdown, level, g) for g in ("minority", *MINORITY_GROUPS))
        if kind == "quartile" or (kind == "pay" and breakdown == OVERALL):
            members((kind, breakdown, level, g) for g in ("white", "minority", "unknown"))
    for (kind, breakdown), levels in levels_of.items():
        if kind == "quartile" or breakdown == OVERALL:
            continue
        for g in GROUPS:
            members([(kind, OVERALL, ALL, g), *((kind, breakdown, lv, g) for lv in levels)])
    for g in GROUPS:
        members([("pay", OVERALL, ALL, g), *(("quartile", QUARTILE_BREAKDOWN, q, g)
                                             for q in QUARTILES)])
    return [np.array(s, dtype=np.int64) for s in sets]


def _secondary(cells: pd.DataFrame, withheld: np.ndarray) -> np.ndarray:
    sets = _sets(cells)
    count = cells["count"].to_numpy(dtype=float)
    group_rank = cells["group"].map({g: i for i, g in enumerate(GROUPS)}).to_numpy()
    changed = True
    while changed:
        changed = False
        for members in sets:
            if withheld[members].sum() != 1:
                continue
            open_ = members[~withheld[members]]
            if not len(open_):
                continue
            pick = open_[np.lexsort((open_, group_rank[open_], count[open_]))[0]]
            withheld[pick] = True
            changed = True
    return withheld


def _blank_withheld(rows: pd.DataFrame, cells: pd.DataFrame,
                    withheld: np.ndarray) -> pd.DataFrame:
    hidden = {(k, b, lv, g) for k, b, lv, g, w in zip(
        cells["kind"], cells["breakdown"], cells["level"], cells["group"], withheld,
        strict=True) if w}
    measure = rows["measure"].to_numpy(dtype=object)
    kind = np.where(np.isin(measure, ["mean_bonus", "median_bonus", "rate",
                                      "pay_gap_bonus_mean", "pay_gap_bonus_median"]),
                    "bonus", np.where(measure == "share", "quartile", "pay"))
    # The bonus rate row's denominator is the pay cell's count: withheld with either.
    keys = list(zip(kind, rows["breakdown"], rows["level"], rows["group"], strict=True))
    mask = np.array([k in hidden for k in keys], dtype=bool)
    is_rate = measure == "rate"
    mask |= is_rate & np.array([("pay", b, lv, g) in hidden for _, b, lv, g in keys])
    is_gap = pd.Series(measure).str.startswith("pay_gap_").to_numpy()
    white = np.array([(k, b, lv, "white") in hidden for k, b, lv, _ in keys])
    mask |= is_gap & white
    out = rows.copy()
    for column in ("numerator", "denominator", "value", "ci_low", "ci_high", "p_value",
                   "significant"):
        out[column] = out[column].mask(mask)
    out["suppressed"] = out["suppressed"] | mask
    out["assessment"] = out["assessment"].mask(mask, SUPPRESSED)
    out["note"] = out["note"].mask(mask, WITHHELD_NOTE)
    return out


# --------------------------------------------------------------------------- entry


def measure_pay(prepared: Mapping[str, pd.DataFrame], *, indicator: str, snapshot: date,
                breakdowns: Sequence[str], grades_order: Sequence[str] | None,
                organisation: str | None, period_start: date, period_end: date,
                standard: str) -> tuple[pd.DataFrame, dict[str, int]]:
    """Pay rows (unsuppressed) and the pay records left out, by reason."""
    people = pay_people(prepared["workforce"], prepared["pay"], snapshot, breakdowns,
                        grades_order)
    rows = pay_rows(people, indicator=indicator, organisation=organisation,
                    period_start=period_start, period_end=period_end, standard=standard)
    return rows, people.exclusions
