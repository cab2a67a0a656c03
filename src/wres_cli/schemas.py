"""Validate stage: the input contract (contracts.md section 1) checked on the
frames the readers produced.

The column-level part of the contract (required values non-blank, ids unique,
grades listed in ``[grades] order``) is stated declaratively as one pandera
``DataFrameSchema`` per extract, built from ``contract.EXTRACTS`` so that no
column list is written twice (and so the grade check can take the configured
grades). Each schema is validated with ``lazy=True``; its failure cases say
which rows of which column broke which check, and become problem rows. The
rules that span columns or extracts (appointed needs shortlisted, end date not
before start date, events about someone in the workforce) are vectorised masks.

Everything is collected and returned as a ``Problems`` table: nothing here
raises for bad data. Problem rows are built only for the rows that fail, from
the frame's own (Arrow-backed) columns rather than pandera's object-dtype
failure cases, so that a million failing rows stay cheap.

Not errors here: events dated when the person was not employed (data quality)
and unknown ethnicity values (the classifier reports those). A blank ethnicity
is "unknown" (contracts section 1), not a blank value.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

try:  # pandera >= 0.24 keeps the pandas API under ``pandera.pandas``
    import pandera.pandas as pa
except ImportError:  # pragma: no cover - older pandera
    import pandera as pa  # type: ignore[no-redef]

from wres_cli import problem_rules as rules
from wres_cli.contract import EVENT_EXTRACTS, EXTRACTS, Column, ExtractSpec, extract_spec
from wres_cli.ids import shares_categories
from wres_cli.problems import PROBLEM_COLUMNS, Problems

if TYPE_CHECKING:
    from wres_cli.config import Config

__all__ = ["GRADE_COLUMNS", "apply_blank_policy", "build_schema", "check_extracts"]

class Extract(Protocol):
    """What the checks read of an extract (``wres_cli.io.readers.Extract`` has it):
    stated here so that validating does not depend on the load stage's module."""

    @property
    def file(self) -> str: ...

    @property
    def frame(self) -> pd.DataFrame: ...


#: Columns whose values must be listed in ``[grades] order`` when that is given.
GRADE_COLUMNS: dict[str, str] = {
    "workforce": "grade",
    "survey": "grade",
    "recruitment": "vacancy_grade",
}

#: What one row of each extract is, in a message ("every <noun> needs an id").
_NOUNS: dict[str, str] = {
    "workforce": "person",
    "recruitment": "application",
    "disciplinary": "disciplinary case",
    "fitness_to_practise": "fitness-to-practise referral",
    "training": "training record",
    "promotions": "promotion",
    "programmes": "programme place",
    "survey": "survey respondent",
    "board": "board member",
    "pay": "pay record",
    "survey_summary": "question and group",
}

_ONE_ROW_PER_PERSON = (
    "one row per person is required: for an export with one row per assignment, set "
    '[workforce] one_row_per = "assignment" and map primary_assignment in wres.toml'
)

#: Names pandera gives the checks in ``failure_cases["check"]``.
_NOT_NULLABLE = "not_nullable"
_UNIQUE = "field_uniqueness"
_KNOWN_GRADE = "known_grade"

#: How many configured grades a message lists before abbreviating.
_GRADES_SHOWN = 8


# --------------------------------------------------------------------------- schema


def _blank_is_error(column: Column) -> bool:
    """Whether a blank in this column is an error.

    Required columns must be non-blank, except ``ethnicity`` (blank = unknown)
    and booleans whose blank policy is "false" or "missing"; a boolean whose
    policy is "error" (board ``voting``/``executive``) may never be blank.
    """
    if column.kind == "boolean":
        return column.blank_boolean == "error"
    if column.kind == "ethnicity":
        return False
    # An id column that is there must be filled in, even one that may be absent.
    return column.required or column.kind == "id"


def _known_grade_check(grades_order: tuple[str, ...]) -> pa.Check:
    # A named custom check rather than ``Check.isin``: the built-in's failure
    # cases are labelled "isin([...])" whatever name it is given.
    allowed = frozenset(grades_order)
    return pa.Check(lambda values: values.isin(allowed), name=_KNOWN_GRADE,
                    description="listed in [grades] order")


def build_schema(extract: str, grades_order: tuple[str, ...] | None = None,
                 known_unique: frozenset[str] = frozenset()) -> pa.DataFrameSchema:
    """The pandera schema of one extract: the column-level part of the contract.

    Every column is ``required=False``: a missing required column was already
    reported by the reader, and the checks on the columns present still run.
    Dtypes are not checked: parsing is the reader's job, and a dtype mismatch
    would be a bug, not something the user could fix in the data. Columns in
    ``known_unique`` were already found unique (``_known_unique``), so pandera
    need not hash them again.
    """
    spec = EXTRACTS[extract]
    grade_column = GRADE_COLUMNS.get(extract)
    columns = {}
    for col in spec.columns:
        checks = []
        if grades_order and col.name == grade_column:
            checks.append(_known_grade_check(tuple(grades_order)))
        columns[col.name] = pa.Column(
            nullable=not _blank_is_error(col),
            unique=col.unique and col.name not in known_unique,
            report_duplicates="all",
            checks=checks,
            required=False,
            description=f"{col.kind}{', required' if col.required else ''}",
        )
    return pa.DataFrameSchema(columns, name=extract, strict=False, coerce=False)


# ------------------------------------------------------------------ problem rows


def _rows(
    file: str,
    rows: pd.Index | pd.Series | np.ndarray,
    column: str,
    values: pd.Series | None,
    rule: rules.Rule,
    message: str | pd.api.extensions.ExtensionArray,
) -> pd.DataFrame:
    """A problem frame built column-wise (no Python loop per failing row).

    ``values`` (missing stays missing) and ``message`` (a constant or an array
    of strings) are aligned with ``rows`` by position.
    """
    n = len(rows)
    value = (pd.array([None] * n, dtype="str") if values is None
             else _as_text(values).array)
    return pd.DataFrame(
        {
            "file": file,
            "row": pd.array(np.asarray(rows, dtype="int64"), dtype="Int64"),
            "column": column,
            "value": value,
            "rule": rule.code,
            "message": message,
        },
        columns=PROBLEM_COLUMNS,
    )


def _as_text(values: pd.Series) -> pd.Series:
    """Values as strings, missing stays missing (booleans as true/false, dates ISO)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.map({True: "true", False: "false"}, na_action="ignore").astype("str")
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.strftime("%Y-%m-%d").astype("str")
    return values.astype("str")


def _grades_text(grades: tuple[str, ...]) -> str:
    shown = ", ".join(grades[:_GRADES_SHOWN])
    if len(grades) > _GRADES_SHOWN:
        shown += f", … ({len(grades)} grades in all)"
    return shown


def _config_name(config: Config) -> str:
    source = getattr(config, "source", None)
    return source.name if source is not None else "wres.toml"


def _isin_each(values: list[pd.Series], known: pd.Series) -> list[np.ndarray]:
    """``v.isin(known)`` for each of ``values``, as numpy masks, missing never matching.

    Factorising everything together is ~10x faster than ``Series.isin`` on pandas 3
    string columns with a million-value set (which builds the set in Python), and
    doing it once for every event extract hashes the workforce's ids once, not
    once per extract.
    """
    if shares_categories(known, *values):
        # One set of categories for all (api shares staff ids that way): the codes
        # already say which ids are equal, nothing to hash.
        present = np.zeros(len(known.cat.categories) + 1, dtype=bool)  # last: code -1
        present[known.cat.codes.to_numpy()] = True
        present[-1] = False
        return [present[v.cat.codes.to_numpy()] for v in values]
    codes, uniques = pd.factorize(pd.concat([known, *values], ignore_index=True))
    present = np.zeros(len(uniques) + 1, dtype=bool)  # the last slot is code -1 (missing)
    present[codes[: len(known)]] = True
    present[-1] = False
    bounds = np.cumsum([len(known), *(len(v) for v in values)])
    return [present[codes[lo:hi]] for lo, hi in itertools.pairwise(bounds)]



# ----------------------------------------------------------------- column checks


def _known_unique(frame: pd.DataFrame, spec: ExtractSpec) -> frozenset[str]:
    """Unique-id columns shown to hold no blank and no repeated id the quick way:
    packed into integers (``wres_cli.ids``), or by the codes of shared staff ids.
    A column that cannot be shown so is left to pandera, which finds the rows."""
    from wres_cli.ids import all_distinct, id_keys

    proven = set()
    for col in spec.columns:
        if not col.unique or col.name not in frame.columns:
            continue
        values = frame[col.name]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy()
            keys = [codes] if len(codes) == 0 or codes.min() >= 0 else None
        else:
            keys = id_keys(values)
        if keys is not None and all_distinct(keys[0]):
            proven.add(col.name)
    return frozenset(proven)


def _schema_problems(extract: Extract, spec: ExtractSpec, config: Config, out: Problems) -> None:
    frame = extract.frame
    schema = build_schema(spec.name, config.grades_order, _known_unique(frame, spec))
    try:
        schema.validate(frame, lazy=True, inplace=True)
        return
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases

    noun = _NOUNS.get(spec.name, "row")
    row_cases = cases["index"].notna() & cases["column"].isin(frame.columns)
    for (column, check), group in cases[row_cases].groupby(["column", "check"], sort=False):
        col = spec.column(column)
        rows = group["index"].to_numpy(dtype="int64")
        values = frame[column].iloc[frame.index.get_indexer(rows)]
        if check == _NOT_NULLABLE:
            rule, message = _blank_rule(col, spec, noun)
            out.add(_rows(extract.file, rows, column, None, rule, message))
        elif check == _UNIQUE:
            keep = values.notna().to_numpy(dtype=bool)  # blank ids are reported as blank
            out.add(_duplicate_rows(extract.file, rows[keep], values[keep], column, spec.name,
                                    noun))
        elif check == _KNOWN_GRADE:
            grades = tuple(config.grades_order or ())
            message = rules.UNKNOWN_GRADE.message(column=column, config=_config_name(config),
                                                  grades=_grades_text(grades))
            out.add(_rows(extract.file, rows, column, values, rules.UNKNOWN_GRADE, message))
        else:  # pragma: no cover - every check the schema declares is handled above
            out.add(_rows(extract.file, rows, column, values, rules.FAILED_CHECK,
                          rules.FAILED_CHECK.message(what=column, check=check)))
    for check in cases.loc[~row_cases, "check"].astype("str").unique():  # pragma: no cover
        out.file_problem(extract.file, rules.FAILED_CHECK,
                         rules.FAILED_CHECK.message(what="the extract", check=check))


def _blank_rule(col: Column, spec: ExtractSpec, noun: str) -> tuple[rules.Rule, str]:
    if col.kind == "id":
        rule = rules.BLANK_ID if col.name == spec.id_column else rules.BLANK_PERSON_ID
    elif col.kind == "boolean":
        rule = rules.BLANK_YES_NO
    else:
        rule = rules.BLANK_VALUE
    return rule, rule.message(column=col.name, noun=noun)


def _duplicate_rows(
    file: str, rows: np.ndarray, values: pd.Series, column: str, extract: str, noun: str
) -> pd.DataFrame:
    # rows sharing each value, per row; then one message per distinct count
    codes, _ = pd.factorize(values)
    shared = np.bincount(codes)[codes]
    counts, which = np.unique(shared, return_inverse=True)
    advice = "; " + _ONE_ROW_PER_PERSON if extract == "workforce" else ""
    messages = pd.array([rules.DUPLICATE_ID.message(count=n, column=column, noun=noun,
                                                    advice=advice) for n in counts],
                        dtype="str").take(which)
    return _rows(file, rows, column, values, rules.DUPLICATE_ID, messages)


# ------------------------------------------------------------- cross-column rules


def _appointed_not_shortlisted(extract: Extract, out: Problems) -> None:
    frame = extract.frame
    if not {"appointed", "shortlisted"} <= set(frame.columns):
        return
    filled, _ = apply_blank_policy(frame[["appointed", "shortlisted"]], "recruitment")
    bad = filled["appointed"].to_numpy(dtype=bool) & ~filled["shortlisted"].to_numpy(dtype=bool)
    if not bad.any():
        return
    shortlisted = frame["shortlisted"][bad]
    value = "appointed=true, shortlisted=" + _as_text(shortlisted).fillna("blank")
    out.add(_rows(
        extract.file, shortlisted.index, "appointed", value, rules.APPOINTED_NOT_SHORTLISTED,
        rules.APPOINTED_NOT_SHORTLISTED.message(),
    ))


def _end_before_start(extract: Extract, out: Problems) -> None:
    frame = extract.frame
    if not {"start_date", "end_date"} <= set(frame.columns):
        return
    start, end = frame["start_date"], frame["end_date"]
    bad = (end < start).to_numpy(dtype=bool)  # NaT compares False
    if not bad.any():
        return
    value = "start_date=" + _as_text(start[bad]) + ", end_date=" + _as_text(end[bad])
    out.add(_rows(extract.file, frame.index[bad], "end_date", value, rules.END_BEFORE_START,
                  rules.END_BEFORE_START.message()))


def _known_staff(extracts: Mapping[str, Extract],
                 workforce: Extract | None) -> dict[str, np.ndarray]:
    """Event extract -> whether each row's staff_id is in the workforce."""
    if workforce is None or "staff_id" not in workforce.frame.columns:
        return {}
    names = [name for name in EVENT_EXTRACTS
             if name in extracts and "staff_id" in extracts[name].frame.columns]
    if not names:
        return {}
    masks = _isin_each([extracts[name].frame["staff_id"] for name in names],
                       workforce.frame["staff_id"])
    return dict(zip(names, masks, strict=True))


def _unknown_staff(extract: Extract, workforce: Extract, noun: str, known: np.ndarray | None,
                   out: Problems) -> None:
    frame = extract.frame
    if known is None:
        return
    ids = frame["staff_id"]
    bad = ids.notna().to_numpy(dtype=bool) & ~known
    if not bad.any():
        return
    out.add(_rows(extract.file, frame.index[bad], "staff_id", ids[bad], rules.UNKNOWN_STAFF_ID,
                  rules.UNKNOWN_STAFF_ID.message(workforce=workforce.file, noun=noun)))


def _all_schema_problems(extracts: Mapping[str, Extract], config: Config) -> dict[str, Problems]:
    """Each extract's schema problems, the extracts validated side by side.

    Most of a national validation is pandera hashing millions of ids to check
    they are unique, in Arrow code that lets go of the GIL, so the extracts are
    checked on as many threads as there are cores, biggest first. Each has its
    own schema and problem list; the caller adds them in the usual order."""
    from concurrent.futures import ThreadPoolExecutor

    names = [name for name in extracts if name in EXTRACTS]

    def check(name: str) -> Problems:
        found = Problems()
        _schema_problems(extracts[name], extract_spec(name, config.extra_columns), config,
                         found)
        return found

    workers = min(len(names), os.cpu_count() or 1, _MAX_CHECKERS)
    if workers <= 1:
        return {name: check(name) for name in names}
    biggest_first = sorted(names, key=lambda n: -len(extracts[n].frame))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wres-check") as pool:
        futures = {name: pool.submit(check, name) for name in biggest_first}
        return {name: futures[name].result() for name in names}


#: More checking threads than this gains nothing: the big extracts are two or three.
_MAX_CHECKERS = 4


# ------------------------------------------------------------------------- API


def check_extracts(extracts: Mapping[str, Extract], config: Config) -> Problems:
    """Every contract problem across every extract, collected in one pass.

    Never raises for bad data: each failing row becomes a problem row with the
    user-visible row number (the frame index), the canonical column, the
    offending value, the rule's code (``wres_cli.problem_rules``) and a message.
    A rule needing a column that is absent is skipped (the reader reported the
    absence); ``unknown-staff-id`` runs only when ``workforce`` was read.
    """
    problems = Problems()
    workforce = extracts.get("workforce")
    known = _known_staff(extracts, workforce)
    schema_problems = _all_schema_problems(extracts, config)
    for name, extract in extracts.items():
        spec = EXTRACTS.get(name)
        if spec is None:
            continue
        problems.extend(schema_problems[name])
        if name == "recruitment":
            _appointed_not_shortlisted(extract, problems)
        elif name == "workforce":
            _end_before_start(extract, problems)
        elif name in EVENT_EXTRACTS and workforce is not None:
            _unknown_staff(extract, workforce, _NOUNS[name], known.get(name), problems)
    return problems


def apply_blank_policy(frame: pd.DataFrame, extract: str) -> tuple[pd.DataFrame, dict[str, int]]:
    """Read blank booleans whose policy is "false" as false.

    Returns a new frame (the input is untouched) and, for each such column
    present, how many blanks were filled (0 included, for data quality).
    Booleans whose policy is "missing" (survey: not answered) stay missing;
    "error" ones (board) are left for ``check_extracts`` to report.
    """
    spec = EXTRACTS[extract]
    out = frame.copy(deep=False)
    counts: dict[str, int] = {}
    for col in spec.columns:
        if col.kind != "boolean" or col.blank_boolean != "false" or col.name not in out.columns:
            continue
        values = out[col.name]
        counts[col.name] = int(values.isna().sum())
        out[col.name] = values.astype("boolean").fillna(False)
    return out, counts
