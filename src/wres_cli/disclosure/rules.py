"""The row rules of the small-number rule (methodology.md section 5), before
the audit:

1. **Primary.** A ``share`` or ``rate`` row whose numerator or denominator is
   a protected count (``1 <= c < threshold``; not the unknown headcount of a
   share, not a public indicator) is withheld.
2. **Sets.** Rows that add up form sets (the total is one of the members).
   While some set has exactly one withheld member, the not-yet-withheld member
   with the smallest numerator (the total only when nothing else is left) is
   withheld too.
3. **Derived.** A relative likelihood or difference built on a withheld row is
   withheld.

Which breakdowns add up and what a difference is built on come from the
indicator definitions (``Protection``), never from indicator ids. Everything
works on whole columns: rows are found by name through one hash index, sets are
a table of (set, row) memberships, and each round of step 2 is one ``bincount``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from wres_cli.contract import GROUP_ORDER, MINORITY_GROUPS
from wres_cli.disclosure.definitions import SAME, Protection

#: The one note of every withheld row, whatever the reason (rule 4): a reader
#: must not tell a small cell from one withheld to protect it.
WITHHELD_NOTE = "withheld to protect small numbers"

#: Columns that name one indicator of one organisation and period: sets and
#: lookups never cross them (nor, for sets, the measure).
_SCOPE = ["organisation", "period_start", "period_end", "standard", "indicator"]
_COUNTED = ("share", "rate")
_BLANKED = ("numerator", "denominator", "value", "ci_low", "ci_high", "p_value",
            "p_adjusted", "significant")

#: ``staff_group+grade``: one level is ``<staff_group>+<grade>``.
_COMPOUND_SEP = "+"


def is_small(counts: ArrayLike, threshold: int) -> np.ndarray:
    """True where ``1 <= count < threshold``. Zero is not small (a published 0
    says nobody had the event); a missing count is not small either."""
    values = pd.Series(counts, copy=False).astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)
    return (values >= 1) & (values < threshold)


def withhold_by_rules(frame: pd.DataFrame, threshold: int,
                      protections: Mapping[str, Protection]) -> tuple[np.ndarray, np.ndarray]:
    """(protected rows, withheld rows) after rules 1 and 2 (primary and sets);
    ``frame`` has a fresh index. Rows already marked ``suppressed`` stay withheld
    and count as withheld for the sets, so suppressing twice changes nothing."""
    rows = _Rows.of(frame, protections)
    already = frame["suppressed"].fillna(False).astype(bool).to_numpy()
    primary = _primary(frame, threshold, rows.public)
    withheld = _secondary(frame, rows, primary | already)
    return primary, withheld


def close_sets(frame: pd.DataFrame, withheld: np.ndarray,
               protections: Mapping[str, Protection]) -> np.ndarray:
    """Rule 2 again after the audit: what it withheld leaves no set with exactly
    one withheld member (a withheld figure no reader can recompute)."""
    return _secondary(frame, _Rows.of(frame, protections), withheld)


def public_rows(frame: pd.DataFrame, protections: Mapping[str, Protection]) -> np.ndarray:
    """Rows of indicators published unsuppressed (``public = true``, ``[suppression] public``)."""
    out = np.zeros(len(frame), dtype=bool)
    standard = frame["standard"].to_numpy(dtype=object)
    indicator = frame["indicator"].astype(str).to_numpy(dtype=object)
    for name, protection in protections.items():
        out |= (standard == name) & np.isin(indicator, list(protection.public))
    return out


def scope_organisation(frame: pd.DataFrame) -> np.ndarray:
    """The organisation a row's counts belong to. Without a configured name, a row
    broken down by organisation names its level there; its counts are still part
    of the run's overall (which names none), so they share its scope."""
    org = frame["organisation"].astype(object).where(frame["organisation"].notna(), "")
    org = org.to_numpy(dtype=object).copy()
    by_org = frame["breakdown"].to_numpy(dtype=object) == "organisation"
    names_level = by_org & (org == frame["level"].to_numpy(dtype=object))
    if names_level.any():
        overall = frame["breakdown"].to_numpy(dtype=object) == "overall"
        has_own_overall = set(org[overall].tolist())
        org[names_level & ~np.isin(org, list(has_own_overall))] = ""
    return org


# --- the rows as arrays ------------------------------------------------------------

@dataclass(frozen=True)
class _Rows:
    """The naming columns as arrays, and a hash index to find a row by name:
    (scope, measure, breakdown, level, group), scope being one id per
    organisation, period, standard and indicator."""

    scope: np.ndarray
    indicator: np.ndarray
    measure: np.ndarray
    breakdown: np.ndarray
    level: np.ndarray
    group: np.ndarray
    reference: np.ndarray
    index: pd.MultiIndex
    index_pos: np.ndarray
    public: np.ndarray
    #: (indicator, breakdown) written from named populations: not additive
    named: np.ndarray
    protections: Mapping[str, Protection]
    standard: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame, protections: Mapping[str, Protection]) -> _Rows:
        keyed = frame[_SCOPE].astype(object).assign(organisation=scope_organisation(frame))
        scope = keyed.groupby(_SCOPE, dropna=False, sort=False).ngroup().to_numpy()
        cols = {c: frame[c].to_numpy(dtype=object)
                for c in ("indicator", "measure", "breakdown", "level", "group", "reference")}
        cols["indicator"] = frame["indicator"].astype(str).to_numpy(dtype=object)
        index = pd.MultiIndex.from_arrays(
            [scope, cols["measure"], cols["breakdown"], cols["level"], cols["group"]])
        first = ~index.duplicated()  # a repeated name keeps its first row
        standard = frame["standard"].to_numpy(dtype=object)
        named_pairs = set()
        for name, protection in protections.items():
            named_pairs |= {(name, i, b) for i, b in protection.named_breakdowns()}
        triples = pd.MultiIndex.from_arrays([standard, cols["indicator"], cols["breakdown"]])
        named = triples.isin(list(named_pairs)) if named_pairs else np.zeros(len(frame), bool)
        return cls(scope=scope, **cols, index=index[first], index_pos=np.flatnonzero(first),
                   public=public_rows(frame, protections), named=np.asarray(named, dtype=bool),
                   protections=protections, standard=standard)

    def find(self, rows: np.ndarray, **replace: Any) -> np.ndarray:
        """Position of the row named like each of ``rows`` but with some of
        measure, breakdown, level, group replaced (a value or an array); -1 where
        there is no such row."""
        parts = [self.scope[rows]]
        for name in ("measure", "breakdown", "level", "group"):
            value = replace.get(name, getattr(self, name)[rows])
            parts.append(np.broadcast_to(np.asarray(value, dtype=object), rows.shape))
        if not len(rows):
            return np.zeros(0, dtype=np.int64)
        found = self.index.get_indexer(pd.MultiIndex.from_arrays(parts))
        return np.where(found >= 0, self.index_pos[found], -1)

    def table_level(self, rows: np.ndarray) -> np.ndarray:
        """One id per (scope, measure, breakdown, level) of ``rows``."""
        names = pd.MultiIndex.from_arrays([self.scope[rows], self.measure[rows],
                                           self.breakdown[rows], self.level[rows]])
        return pd.factorize(names)[0]


def _flag(flags: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """``flags`` at ``pos``, False where pos is -1 (no such row)."""
    return (pos >= 0) & flags[np.maximum(pos, 0)]


# --- step 1 -------------------------------------------------------------------

def _is_counted(frame: pd.DataFrame) -> np.ndarray:
    return frame["measure"].isin(_COUNTED).to_numpy()


def _primary(frame: pd.DataFrame, threshold: int, public: np.ndarray) -> np.ndarray:
    """Counted rows with a protected numerator or denominator. How many did not
    declare (unknown in a headcount share) is a data-quality figure, not protected."""
    unknown_headcount = ((frame["measure"] == "share") & (frame["group"] == "unknown")).to_numpy()
    small = ((is_small(frame["numerator"], threshold) & ~unknown_headcount)
             | is_small(frame["denominator"], threshold))
    return _is_counted(frame) & small & ~public


# --- step 2 -------------------------------------------------------------------

def _secondary(frame: pd.DataFrame, rows: _Rows, withheld: np.ndarray) -> np.ndarray:
    """Withhold more counted rows until no set has exactly one withheld member:
    the not-yet-withheld member with the smallest numerator (the total only when
    nothing else is left). Whatever subtraction across several sets could still
    tell, the audit finds."""
    members = _members(frame, rows)
    sets, pos = members["set"].to_numpy(), members["pos"].to_numpy()
    withheld = withheld.copy()
    if not len(sets):
        return withheld
    rank = pd.Series(rows.group[pos]).map({g: i for i, g in enumerate(GROUP_ORDER)})
    rank = rank.astype("Float64").to_numpy(dtype=float, na_value=len(GROUP_ORDER))
    numerator = np.nan_to_num(_values(frame["numerator"])[pos], nan=np.inf)
    order = np.lexsort((pos, rank, numerator, members["is_total"].to_numpy(), sets))
    sets, pos = sets[order], pos[order]
    n_sets = int(sets.max()) + 1
    while True:
        member_withheld = withheld[pos]
        count = np.bincount(sets, weights=member_withheld, minlength=n_sets)
        open_ = (count[sets] == 1) & ~member_withheld
        if not open_.any():
            return withheld
        # Members are sorted by set, then preference: the first open one per set.
        _, first = np.unique(sets[open_], return_index=True)
        withheld[pos[open_][first]] = True


def _values(column: pd.Series) -> np.ndarray:
    return column.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _members(frame: pd.DataFrame, rows: _Rows) -> pd.DataFrame:
    """Every additive set as rows of (set, pos, is_total); public rows are never
    withheld, so they are in no set."""
    counted = np.flatnonzero(_is_counted(frame) & ~rows.public)
    tables = [_broad_group_sets(rows, counted), _share_split_sets(rows, counted),
              _level_sets(rows, counted), _band_sets(rows, counted)]
    offset = 0
    for table in tables:
        table["set"] += offset
        offset += int(table["set"].max()) + 1 if len(table) else 0
    return pd.concat(tables, ignore_index=True)


def _broad_group_sets(rows: _Rows, counted: np.ndarray) -> pd.DataFrame:
    """asian + black + mixed + other = minority, per breakdown and level."""
    cells = counted[np.isin(rows.group[counted], MINORITY_GROUPS)]
    total = rows.find(cells, group="minority")
    return _sets_with_totals(cells, total, total)


def _share_split_sets(rows: _Rows, counted: np.ndarray) -> pd.DataFrame:
    """white + minority + unknown = headcount, for shares. The headcount is the
    denominator, published on every row, so the set has no total row."""
    cells = counted[(rows.measure[counted] == "share")
                    & np.isin(rows.group[counted], ("white", "minority", "unknown"))]
    set_id = rows.table_level(cells)
    # A set of one (only the white share written, say) has nothing to protect.
    kept = np.bincount(set_id, minlength=1)[set_id] >= 2
    return pd.DataFrame({"set": pd.factorize(set_id[kept])[0], "pos": cells[kept],
                         "is_total": False})


def _level_sets(rows: _Rows, counted: np.ndarray) -> pd.DataFrame:
    """The levels of a breakdown add up to ``overall``, per group. A compound
    breakdown's cells also add up to each level of either of its dimensions
    (and, being levels of a breakdown, to ``overall``)."""
    breakdown = rows.breakdown[counted]
    cells = counted[(breakdown != "overall") & ~rows.named[counted]]
    inner = cells[_is_compound(rows.breakdown[cells])]
    first_dim, second_dim = _split(rows.breakdown[inner])
    first_level, second_level = _split(rows.level[inner])
    listed = np.concatenate([cells, inner, inner])
    total = np.concatenate([
        rows.find(cells, breakdown="overall", level="all"),
        rows.find(inner, breakdown=first_dim, level=first_level),
        rows.find(inner, breakdown=second_dim, level=second_level),
    ])
    # One set per total and breakdown: grade and service both add up to overall.
    breakdown_code = pd.factorize(rows.breakdown[listed])[0]
    key = total * (int(breakdown_code.max(initial=0)) + 1) + breakdown_code
    return _sets_with_totals(listed, key, total)


def _band_sets(rows: _Rows, counted: np.ndarray) -> pd.DataFrame:
    """``[grades.bands]``: the grade levels of a band add up to the band's row
    (``grade`` to ``band``, ``staff_group+grade`` to ``staff_group+band``)."""
    from wres_cli.disclosure.definitions import band_parts

    if not any(p.bands for p in rows.protections.values()):
        return pd.DataFrame({"set": np.zeros(0, np.int64), "pos": np.zeros(0, np.int64),
                             "is_total": np.zeros(0, bool)})
    cells = counted[~rows.named[counted]]
    names = pd.MultiIndex.from_arrays([rows.standard[cells], rows.breakdown[cells],
                                       rows.level[cells]])
    codes, distinct = pd.factorize(names)
    target_b = np.full(len(distinct), None, dtype=object)
    target_l = np.full(len(distinct), None, dtype=object)
    for i, (standard, breakdown, level) in enumerate(distinct):
        protection = rows.protections.get(standard)
        found = band_parts(str(breakdown).split(_COMPOUND_SEP), level,
                           protection.bands if protection is not None else {})
        if found is not None and found[0] != tuple(str(breakdown).split(_COMPOUND_SEP)):
            target_b[i], target_l[i] = _COMPOUND_SEP.join(found[0]), found[1]
    has = target_b[codes] != None  # noqa: E711 - an object array compared elementwise
    cells = cells[has]
    total = rows.find(cells, breakdown=target_b[codes][has], level=target_l[codes][has])
    return _sets_with_totals(cells, total, total)


def _is_compound(breakdowns: np.ndarray) -> np.ndarray:
    codes, uniques = pd.factorize(breakdowns)  # test each distinct name once
    compound = np.array([_COMPOUND_SEP in str(b) for b in uniques] or [False], dtype=bool)
    return compound[codes]


def _split(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a+b`` -> (a, b), split on the first separator, once per distinct value;
    b is None when there is no separator (then no total matches)."""
    codes, uniques = pd.factorize(values)
    parts = [[*str(value).split(_COMPOUND_SEP, 1), None] for value in uniques]
    first = np.array([p[0] for p in parts] or [""], dtype=object)
    second = np.array([p[1] for p in parts] or [""], dtype=object)
    return first[codes], second[codes]


def _sets_with_totals(cells: np.ndarray, key: np.ndarray, total: np.ndarray) -> pd.DataFrame:
    """Cells sharing ``key`` form a set whose total is the row at ``total`` (the
    same for every cell of the set). A cell with no total row (-1) is left out:
    its set's sum is not published, so there is nothing to subtract from."""
    found = total >= 0
    cells, key, total = cells[found], key[found], total[found]
    set_id = pd.factorize(key)[0]
    _, first = np.unique(set_id, return_index=True)
    return pd.DataFrame({
        "set": np.concatenate([set_id, np.arange(len(first))]),
        "pos": np.concatenate([cells, total[first]]),
        "is_total": np.concatenate([np.zeros(len(cells), bool), np.ones(len(first), bool)]),
    })


# --- step 3 -------------------------------------------------------------------

def derived(frame: pd.DataFrame, withheld: np.ndarray,
            protections: Mapping[str, Protection]) -> np.ndarray:
    """Relative likelihoods on a withheld rate; differences on a withheld share or
    rate (rule 5), as the definitions say what each difference is built on."""
    rows = _Rows.of(frame, protections)
    out = np.zeros(len(withheld), dtype=bool)
    ratios = np.flatnonzero(rows.measure == "relative_likelihood")
    focal = rows.find(ratios, measure="rate")
    reference = rows.find(ratios, measure="rate", group=rows.reference[ratios])
    out[ratios] = _flag(withheld, focal) | _flag(withheld, reference)
    differences = np.flatnonzero(rows.measure == "difference")
    for standard, protection in rows.protections.items():
        for indicator, sources in protection.differences.items():
            mine = differences[(rows.indicator[differences] == indicator)
                               & (rows.standard[differences] == standard)]
            for source in sources:  # a loop over definitions, not over rows
                built = mine[rows.reference[mine] == source.reference]
                used = rows.find(built, measure=source.measure, **{
                    name: getattr(source, name) for name in ("breakdown", "level", "group")
                    if getattr(source, name) != SAME})
                out[built] |= _flag(withheld, used)
    return out & ~rows.public


# --- step 4 -------------------------------------------------------------------

def blank(results: pd.DataFrame, withheld: np.ndarray) -> pd.DataFrame:
    """Empty the figures of withheld rows, all with the one note and assessment;
    identifying columns stay."""
    out = results.copy()
    for column in ("numerator", "denominator"):
        out[column] = out[column].astype("Int64")
    out["significant"] = out["significant"].astype("boolean")
    for column in _BLANKED:
        if column in out.columns:
            out[column] = out[column].mask(withheld)
    out["suppressed"] = out["suppressed"].fillna(False).astype(bool) | withheld
    out["assessment"] = out["assessment"].mask(withheld, "suppressed")
    out["note"] = out["note"].mask(withheld, WITHHELD_NOTE)
    return out
