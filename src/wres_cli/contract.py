"""The input contract (contracts.md section 1) as data: which extracts exist,
their canonical columns, what kind of value each holds and which are required.

Readers parse by ``kind``; schemas check ``required`` and ``unique``. Nothing
else should hard-code a column list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "text", "ethnicity", "date", "boolean", "number"]

#: How a blank boolean is read: "false" (counted in data quality), "missing"
#: (survey: not answered) or "error" (board voting/executive).
BlankBoolean = Literal["false", "missing", "error"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    unique: bool = False
    blank_boolean: BlankBoolean = "missing"


@dataclass(frozen=True)
class ExtractSpec:
    name: str
    one_row_per: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def id_column(self) -> str:
        return self.columns[0].name


def _id(name: str) -> Column:
    return Column(name, "id", required=True, unique=True)


def _optional_id(name: str) -> Column:
    """A record id that may be absent (contracts section 1): when the column is
    there its ids are checked (non-blank, unique); without it the rows are not
    checked for uniqueness, and people are counted once anyway."""
    return Column(name, "id", unique=True)


def _flag(name: str, blank: BlankBoolean = "false", required: bool = False) -> Column:
    return Column(name, "boolean", required=required, blank_boolean=blank)


_BREAKDOWNS = (Column("staff_group", "text"), Column("service", "text"),
               Column("organisation", "text"))

EXTRACTS: dict[str, ExtractSpec] = {
    spec.name: spec
    for spec in (
        ExtractSpec("workforce", "person employed at any time in the period", (
            _id("staff_id"),
            Column("ethnicity", "ethnicity", required=True),
            Column("grade", "text", required=True),
            Column("start_date", "date", required=True),
            Column("end_date", "date"),
            *_BREAKDOWNS,
            _flag("registered_professional"),
            _flag("senior_manager"),
            # "Permanent", "Fixed term", "Bank": see [workforce] exclude_contract_types.
            Column("contract_type", "text"),
            # yes/no, for an export with one row per assignment ([workforce] one_row_per).
            _flag("primary_assignment"),
        )),
        ExtractSpec("recruitment", "application", (
            _id("application_id"),
            Column("ethnicity", "ethnicity", required=True),
            _flag("shortlisted", required=True),
            _flag("appointed", required=True),
            Column("application_date", "date", required=True),
            Column("vacancy_grade", "text"),
            *_BREAKDOWNS,
        )),
        ExtractSpec("disciplinary", "formal disciplinary case", (
            _optional_id("case_id"),
            Column("staff_id", "id", required=True),
            Column("start_date", "date", required=True),
        )),
        ExtractSpec("fitness_to_practise", "referral to a professional regulator", (
            _optional_id("referral_id"),
            Column("staff_id", "id", required=True),
            Column("referral_date", "date", required=True),
        )),
        ExtractSpec("training", "non-mandatory CPD record", (
            _optional_id("record_id"),
            Column("staff_id", "id", required=True),
            Column("date", "date", required=True),
            Column("course", "text"),
        )),
        ExtractSpec("survey", "staff survey respondent", (
            _id("respondent_id"),
            Column("ethnicity", "ethnicity", required=True),
            _flag("harassment_public", "missing"),
            _flag("harassment_colleagues", "missing"),
            _flag("harassment_managers", "missing"),
            _flag("equal_opportunities", "missing"),
            _flag("discrimination", "missing"),
            Column("grade", "text"),
            *_BREAKDOWNS,
        )),
        ExtractSpec("board", "board member (NHS)", (
            _id("member_id"),
            Column("ethnicity", "ethnicity", required=True),
            _flag("voting", "error", required=True),
            _flag("executive", "error", required=True),
        )),
        # Blank full_pay means full pay (contracts section 1): "missing" here, read
        # as true by the pay stage.
        ExtractSpec("pay", "person's pay on the snapshot date", (
            _id("staff_id"),
            Column("hourly_pay", "number", required=True),
            Column("bonus_pay", "number"),
            _flag("full_pay", "missing"),
        )),
        # NHS Staff Survey breakdowns as trusts receive them: percentages and base
        # sizes per question and group, not respondents (contracts section 1).
        # Numbers are read as text and checked in ``survey_summary``.
        ExtractSpec("survey_summary", "question x group of a staff-survey breakdown (NHS)", (
            Column("question", "text", required=True),
            Column("group", "text", required=True),
            Column("respondents", "text", required=True),
            Column("percent", "text"),
            Column("yes", "text"),
            # The survey's year (e.g. "2025"), said in the report; one per file.
            Column("year", "text"),
        )),
        # Local measures (methodology section 8): moves to a higher grade, and
        # places on development or mentoring programmes with the person's role.
        ExtractSpec("promotions", "move to a higher grade", (
            _optional_id("promotion_id"),
            Column("staff_id", "id", required=True),
            Column("date", "date", required=True),
            Column("to_grade", "text"),
        )),
        ExtractSpec("programmes", "place on a development or mentoring programme", (
            _optional_id("place_id"),
            Column("staff_id", "id", required=True),
            Column("programme", "text", required=True),
            Column("start_date", "date", required=True),
            Column("role", "text"),
        )),
    )
}

#: The questions a ``survey_summary`` may give (contracts section 1).
SUMMARY_QUESTIONS = ("harassment_public", "harassment_staff", "equal_opportunities",
                     "discrimination")

#: Extracts whose rows refer to a person in ``workforce`` by ``staff_id``.
EVENT_EXTRACTS = ("disciplinary", "fitness_to_practise", "training", "promotions",
                  "programmes", "pay")


def extract_spec(name: str, extra: tuple[tuple[str, Column], ...] = ()) -> ExtractSpec:
    """The contract of ``name`` for one run: the canonical columns plus the columns
    local indicator files add (``extra``: (extract, column) pairs; methodology
    section 8: a local survey question becomes part of the survey's contract)."""
    spec = EXTRACTS[name]
    added = tuple(c for e, c in extra if e == name and c.name not in spec.column_names)
    return spec if not added else ExtractSpec(spec.name, spec.one_row_per,
                                              (*spec.columns, *added))

#: Workbooks, all read by calamine: Excel (.xlsx, .xlsm, .xlsb, the older .xls)
#: and OpenDocument (.ods).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
FILE_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES, ".parquet")

#: Broad group codes, in output order (contracts section 3).
GROUP_ORDER = ("white", "minority", "asian", "black", "mixed", "other", "unknown")
BROAD_GROUPS = ("white", "asian", "black", "mixed", "other", "unknown")
MINORITY_GROUPS = ("asian", "black", "mixed", "other")

#: Columns of a result row, in order (contracts section 3).
RESULT_COLUMNS = (
    "organisation", "period_start", "period_end", "standard", "indicator", "measure",
    "breakdown", "level", "group", "reference", "numerator", "denominator", "value",
    "ci_low", "ci_high", "p_value", "p_adjusted", "assessment", "significant", "suppressed",
    "note",
)

#: Columns a results file written before they existed may lack (additive, schema 1).
OPTIONAL_RESULT_COLUMNS = ("p_adjusted",)

#: Columns of counts.csv (contracts section 3).
COUNT_COLUMNS = (
    "organisation", "period_start", "period_end", "standard", "indicator", "breakdown",
    "level", "group", "population", "events",
)

MEASURE_ORDER = ("share", "rate", "relative_likelihood", "difference")
BREAKDOWN_ORDER = ("overall", "grade", "band", "staff_group", "service", "organisation",
                   "seniority", "board")

#: The non-adverse range of a relative likelihood (methodology section 3), the
#: four-fifths rule: 1.25 is 1/0.80, written as the literal so that the upper bound
#: is exactly the number the methodology states. An indicator file may set its own.
NON_ADVERSE_RANGE = (0.80, 1.25)

#: The extract whose columns a local indicator may add to (methodology section 8),
#: and what such a column's name must look like.
LOCAL_COLUMN_EXTRACT = "survey"
LOCAL_COLUMN_NAME = re.compile(r"[a-z][a-z0-9_]*")
