"""The prepare stage: the business rules between the records read and counting.

* **Value maps** (``[values.grade]``, ``[values.staff_group]``) and the
  spelling of ``[grades] order``: raw values matched ignoring case and
  repeated or surrounding spaces, reported in the config's spelling
  (contracts section 1). Applied before the checks, so "band 5 " passes a
  grade list that says "Band 5".
* **Workforce rules**, in the contract's order: contract types left out
  (``[workforce] exclude_contract_types``), then secondary assignments
  (``[workforce] one_row_per = "assignment"``); each row left out is counted
  once, under the first rule that removes it.
* **Unmatched events** (``[links] unmatched = "exclude"``): event rows about
  someone not in the workforce (after its exclusions) are left out and
  counted per extract.

Rows left out here are not checked further: a bank worker's grade or a
secondary assignment's start date cannot make the data invalid.

After the checks, ``prepare_counting`` makes the person-level frames that
counting reads, once: published survey breakdowns become counts, blank
booleans whose policy is "false" become false, each record gets its ethnic
group, and the derived columns are added (a workforce with no leaving dates
has nobody who left; ``senior_manager`` from ``[grades] senior``). It also
works out the **scope** of data quality once: who is in post in the period
(workforce) and which applications are dated in it (recruitment); data quality
reads the rows left out of it from here (``Prepared.excluded``).

Everything works on distinct values and boolean masks; nothing here prints or
raises for bad data (problems are added to the table).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from wres_cli import problem_rules as rules
from wres_cli.config import Config, Period, value_key
from wres_cli.contract import EVENT_EXTRACTS
from wres_cli.problems import Problems, problem_frame

if TYPE_CHECKING:
    from wres_cli.ethnicity import Classification
    from wres_cli.io.readers import Extract

#: Data-quality reasons (``data_quality.extracts.<name>.excluded``).
EXCLUDED_CONTRACT = "excluded contract type"
SECONDARY = "secondary assignments"
NOT_IN_WORKFORCE = "not in the workforce"
NOT_IN_POST = "not in post in the period"
OUTSIDE_PERIOD = "outside the period"

#: What is outside the scope of each extract that has one (the rest: every row).
_SCOPE_REASONS = {"workforce": NOT_IN_POST, "recruitment": OUTSIDE_PERIOD}

#: Which ``[values.*]`` map (and whether the grade order) applies to each column.
_MAPPED_COLUMNS = {"grade": "grade", "vacancy_grade": "grade", "staff_group": "staff_group"}

#: Rows a message names before abbreviating.
_ROWS_SHOWN = 5

Exclusions = dict[str, dict[str, int]]


def prepare_records(extracts: MutableMapping[str, Extract], config: Config,
                    problems: Problems) -> Exclusions:
    """Value maps, then the workforce rules, then unmatched events; the frames of
    ``extracts`` are replaced by the rows kept. Returns extract -> reason -> rows."""
    apply_value_maps(extracts, config)
    add_bands(extracts, config)
    exclusions: Exclusions = {}
    workforce = extracts.get("workforce")
    if workforce is not None:
        left_out = apply_workforce_rules(workforce, config, problems)
        if left_out:
            exclusions["workforce"] = left_out
    for name, n in exclude_unmatched(extracts, config).items():
        exclusions.setdefault(name, {})[NOT_IN_WORKFORCE] = n
    return exclusions


# --------------------------------------------------------------------------- value maps


def apply_value_maps(extracts: Mapping[str, Extract], config: Config) -> None:
    for extract in extracts.values():
        frame = extract.frame
        changed = {}
        for column, map_name in _MAPPED_COLUMNS.items():
            if column not in frame.columns:
                continue
            order = config.grades_order if map_name == "grade" else None
            mapping = config.values.get(map_name, {})
            if mapping or order:
                changed[column] = canonical_values(frame[column], mapping, order)
        if changed:
            extract.frame = frame.assign(**changed)


def canonical_values(values: pd.Series, mapping: Mapping[str, str],
                     order: tuple[str, ...] | None) -> pd.Series:
    """Each distinct value through the value map, then spelt as in ``order``; both
    matched ignoring case and repeated or surrounding spaces. A value neither
    names is left as it is (the grade check reports it when an order is given)."""
    mapped = {value_key(raw): target for raw, target in mapping.items()}
    spelled = {value_key(grade): grade for grade in order or ()}

    def canonical(value: str) -> str:
        value = mapped.get(value_key(value), value)
        return spelled.get(value_key(value), value)

    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        distinct = [canonical(str(v)) for v in values.cat.categories]
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        distinct = [canonical(str(v)) for v in uniques]
    new_codes, categories = pd.factorize(np.asarray(distinct, dtype=object))
    row_codes = np.append(new_codes, -1)[codes]  # code -1 (blank) stays blank
    return pd.Series(pd.Categorical.from_codes(row_codes, categories=pd.Index(categories,
                                                                              dtype="str")),
                     index=values.index, name=values.name, copy=False)


# --------------------------------------------------------------------------- bands


def add_bands(extracts: Mapping[str, Extract], config: Config) -> None:
    """``[grades.bands]``: a band column beside each grade column (``band`` for
    ``grade``, ``vacancy_band`` for ``vacancy_grade``). A grade in no band is a
    band of its own, so the bands still add up to everyone."""
    from wres_cli.indicators import BAND_COLUMNS

    band_of = {value_key(g): band for g, band in config.band_of().items()}
    if not band_of:
        return
    spelled = list(config.band_of())
    for extract in extracts.values():
        frame = extract.frame
        added = {}
        for grade_column, band_column in BAND_COLUMNS.items():
            if grade_column not in frame.columns:
                continue
            # Grades a band lists are spelt as the band lists them (as [grades] order
            # does), so a band's grades are found by name downstream (disclosure).
            grades = canonical_values(frame[grade_column], {}, tuple(spelled))
            added[grade_column] = grades
            grades = grades.astype("category")
            bands = [band_of.get(value_key(str(g)), str(g)) for g in grades.cat.categories]
            added[band_column] = pd.Series(
                pd.Categorical(np.asarray(bands, dtype=object)[grades.cat.codes.to_numpy()],
                               categories=list(dict.fromkeys(bands)))
                if len(bands) else pd.Categorical([None] * len(frame)),
                index=frame.index)
            added[band_column] = added[band_column].where(grades.notna())
        if added:
            extract.frame = frame.assign(**added)


# --------------------------------------------------------------------------- workforce


def apply_workforce_rules(workforce: Extract, config: Config, problems: Problems) -> dict[str,
                                                                                        int]:
    """Contract types, then secondary assignments: the rows kept replace the frame;
    returns reason -> rows left out."""
    frame = workforce.frame
    left_out: dict[str, int] = {}
    keep = np.ones(len(frame), dtype=bool)
    if config.exclude_contract_types:
        excluded = _excluded_contracts(workforce, config, problems)
        if excluded is not None:
            keep &= ~excluded
            left_out[EXCLUDED_CONTRACT] = int(excluded.sum())
    if config.one_row_per == "assignment":
        secondary = _secondary_assignments(workforce, keep, problems, config)
        if secondary is not None:
            left_out[SECONDARY] = int((secondary & keep).sum())
            keep &= ~secondary
    if not keep.all():
        workforce.frame = frame.loc[keep]
    return {reason: n for reason, n in left_out.items() if n}


def _needed_column(workforce: Extract, column: str, key: str, problems: Problems,
                   config: Config) -> bool:
    if column in workforce.frame.columns:
        return True
    if column in config.column_map("workforce"):
        return False  # mapped but not in the file: the reader has said so
    problems.file_problem(workforce.file, rules.COLUMN_NEEDED_BY_CONFIG,
                          rules.COLUMN_NEEDED_BY_CONFIG.message(column=column, key=key),
                          column=column)
    return False


def _excluded_contracts(workforce: Extract, config: Config,
                        problems: Problems) -> np.ndarray | None:
    """Rows whose contract_type is listed, matched ignoring case and spaces."""
    if not _needed_column(workforce, "contract_type", "[workforce] exclude_contract_types",
                          problems, config):
        return None
    listed = {value_key(t) for t in config.exclude_contract_types}
    values = workforce.frame["contract_type"]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    hit = np.array([value_key(str(v)) in listed for v in uniques] + [False], dtype=bool)
    return hit[codes]


def _secondary_assignments(workforce: Extract, considered: np.ndarray, problems: Problems,
                           config: Config) -> np.ndarray | None:
    """Rows that are not a person's primary assignment. Each person kept by the
    contract-type rule must have exactly one primary row among all their rows;
    a person with none or with two is a problem (one per person). Of two
    primaries the first is kept, so the id is not reported again as repeated."""
    needed = _needed_column(workforce, "primary_assignment", '[workforce] one_row_per = '
                            '"assignment"', problems, config)
    if not needed or "staff_id" not in workforce.frame.columns:
        return None
    frame = workforce.frame
    ids = frame["staff_id"]
    person, _ = pd.factorize(ids, use_na_sentinel=True)
    primary = frame["primary_assignment"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    named = person >= 0  # a blank staff_id is reported as blank by the checks
    people = int(person.max()) + 1 if named.any() else 0
    counted = np.bincount(person[named & primary], minlength=people)
    kept_people = np.bincount(person[named & considered], minlength=people) > 0
    first_primary = np.zeros(len(frame), dtype=bool)
    if (named & primary).any():
        rows_primary = np.flatnonzero(named & primary)
        _, first = np.unique(person[rows_primary], return_index=True)
        first_primary[rows_primary[first]] = True
    _report_primaries(workforce, person, primary, counted, kept_people, problems)
    return named & ~first_primary


def _report_primaries(workforce: Extract, person: np.ndarray, primary: np.ndarray,
                      counted: np.ndarray, kept_people: np.ndarray, problems: Problems) -> None:
    frame = workforce.frame
    rows = frame.index.to_numpy()
    for who in np.flatnonzero(kept_people & (counted != 1)):
        mine = np.flatnonzero(person == who)
        staff_id = frame["staff_id"].iloc[mine[0]]
        if counted[who] == 0:
            shown = _rows_text(rows[mine])
            problems.add(problem_frame(
                workforce.file, [int(rows[mine[0]])], "primary_assignment", [staff_id],
                rules.NO_PRIMARY_ASSIGNMENT,
                rules.NO_PRIMARY_ASSIGNMENT.message(staff_id=staff_id, count=len(mine),
                                                    rows=shown)))
        else:
            primaries = rows[mine[primary[mine]]]
            problems.add(problem_frame(
                workforce.file, [int(primaries[1])], "primary_assignment", [staff_id],
                rules.TWO_PRIMARY_ASSIGNMENTS,
                rules.TWO_PRIMARY_ASSIGNMENTS.message(staff_id=staff_id, count=counted[who],
                                                      rows=_rows_text(primaries))))


def _rows_text(rows: np.ndarray) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:_ROWS_SHOWN])
    more = f" and {len(rows) - _ROWS_SHOWN} more" if len(rows) > _ROWS_SHOWN else ""
    return f"row{'s' if len(rows) != 1 else ''} {shown}{more}"


# --------------------------------------------------------------------------- events


def exclude_unmatched(extracts: Mapping[str, Extract], config: Config) -> dict[str, int]:
    """With ``[links] unmatched = "exclude"``: event rows whose staff_id is not in
    the workforce (as kept) are left out; extract -> rows. Blank ids stay, for
    the checks to report."""
    workforce = extracts.get("workforce")
    if (config.unmatched != "exclude" or workforce is None
            or "staff_id" not in workforce.frame.columns):
        return {}
    known = pd.Index(workforce.frame["staff_id"].dropna().astype("str").unique())
    left_out: dict[str, int] = {}
    for name in EVENT_EXTRACTS:
        extract = extracts.get(name)
        if extract is None or "staff_id" not in extract.frame.columns:
            continue
        ids = extract.frame["staff_id"]
        unmatched = ids.notna().to_numpy(dtype=bool) & ~ids.astype("str").isin(known).to_numpy(
            dtype=bool)
        if unmatched.any():
            extract.frame = extract.frame.loc[~unmatched]
            left_out[name] = int(unmatched.sum())
    return left_out


# --------------------------------------------------------------------------- in the period


def end_dates(frame: pd.DataFrame) -> pd.Series:
    """The leaving dates; none (NaT) when the frame has no end_date column."""
    if "end_date" in frame.columns:
        return frame["end_date"]
    return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")


def dated_between(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """start <= date <= end; a blank date never is."""
    return ((dates >= start) & (dates <= end)).fillna(False).astype(bool)


def in_post_on(frame: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """start <= day and (end blank or end >= day)."""
    end = end_dates(frame)
    return ((frame["start_date"] <= day) & (end.isna() | (end >= day))).astype(bool)


def in_post_during(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """start <= period end and (end blank or end >= period start)."""
    last = end_dates(frame)
    return ((frame["start_date"] <= end) & (last.isna() | (last >= start))).astype(bool)


# --------------------------------------------------------------------------- for counting


@dataclass
class Prepared:
    """The person-level frames counting reads, and what the prepare stage left out."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: extract -> reason -> rows left out by the business rules (``prepare_records``)
    exclusions: Exclusions = field(default_factory=dict)
    #: extract -> its rows in scope, for the extracts that have a scope (workforce:
    #: in post in the period; recruitment: applications dated in it); None when
    #: invalid data leaves it unknown
    scope: dict[str, np.ndarray | None] = field(default_factory=dict)
    #: extract -> boolean column with a "false" blank policy -> blanks read as false
    blank_booleans: dict[str, dict[str, int]] = field(default_factory=dict)
    #: survey_summary counts worked out from a percent (data quality lists them)
    derivations: list[dict[str, Any]] = field(default_factory=list)

    def excluded(self, name: str) -> dict[str, int]:
        """Reason -> rows of ``name`` left out: by the business rules, then out of scope."""
        left_out = dict(self.exclusions.get(name, {}))
        mask = self.scope.get(name)
        if mask is not None and (outside := int((~mask).sum())):
            left_out[_SCOPE_REASONS[name]] = outside
        return left_out


def prepare_counting(extracts: MutableMapping[str, Extract],
                     classifications: Mapping[str, Classification], config: Config,
                     period: Period, exclusions: Exclusions, problems: Problems) -> Prepared:
    """After the checks: survey breakdowns as counts (adding their problems), then
    each extract's frame for counting and its scope."""
    from wres_cli.schemas import apply_blank_policy
    from wres_cli.survey_summary import prepare_summary

    prepared = Prepared(exclusions=exclusions,
                        derivations=prepare_summary(extracts, config, problems))
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    for name, extract in extracts.items():
        frame, blanks = apply_blank_policy(extract.frame, name)
        if name in classifications:
            # Categorical as the classifier gives it: a text copy of millions of rows
            # would only be factorised again by every counter.
            frame = frame.assign(ethnic_group=classifications[name].group)
        if name == "workforce":
            frame = _derived_workforce_columns(frame, config)
        prepared.frames[name] = frame
        prepared.blank_booleans[name] = {k: int(v) for k, v in blanks.items()}
        if name in _SCOPE_REASONS:
            prepared.scope[name] = _scope(name, frame, start, end)
    return prepared


def _derived_workforce_columns(frame: pd.DataFrame, config: Config) -> pd.DataFrame:
    if "end_date" not in frame.columns:
        # No leaving-date column: nobody in the extract has left.
        frame = frame.assign(end_date=pd.Series(pd.NaT, index=frame.index,
                                                dtype="datetime64[ns]"))
    if "senior_manager" not in frame.columns and "grade" in frame.columns:
        senior = config.grades_senior or ()
        frame = frame.assign(senior_manager=frame["grade"].isin(senior).astype(bool))
    return frame


def _scope(name: str, frame: pd.DataFrame, start: pd.Timestamp,
           end: pd.Timestamp) -> np.ndarray | None:
    """The rows a declaration rate is measured over (methodology section 3)."""
    try:
        if name == "workforce" and "start_date" in frame.columns:
            return in_post_during(frame, start, end).to_numpy(dtype=bool)
        if name == "recruitment" and "application_date" in frame.columns:
            return dated_between(frame["application_date"], start, end).to_numpy(dtype=bool)
    except (KeyError, TypeError, ValueError):
        # Invalid data can leave a needed column unparsed; the problems table says why.
        return None
    return np.ones(len(frame), dtype=bool)
