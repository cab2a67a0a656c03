"""The rule catalogue: every problem wres reports about input data, by code.

Each ``Rule`` has a stable kebab-case ``code`` (what the ``rule`` column of
the problem table and of ``--errors-out`` holds), what it means, and the
template of its message. Problems are made only from these entries
(``wres_cli.problems`` takes a ``Rule``, never a free string), so a code
that is not catalogued cannot be reported; tests and the report match codes,
never message text. docs/data-contract.md lists every code (a test keeps
the two in step).

Templates are ``str.format`` strings; the pieces that vary in shape (a list of
headers, an optional hint) are worded where the problem is found and passed
in as fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One kind of problem: its stable code, what it means, its message template."""

    code: str
    meaning: str
    template: str

    def message(self, **fields: object) -> str:
        return self.template.format(**fields)


_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# --------------------------------------------------------------------------- files

FILE_NOT_FOUND = Rule(
    "file-not-found", "the path set in [files] names no file in the data folder",
    "[files.{name}] path {wanted!r}: no such file in {folder}; files there: {files}")
UNSUPPORTED_FORMAT = Rule(
    "unsupported-format", "the path set in [files] names a file wres cannot read",
    "[files.{name}] path names {file}, which wres cannot read: save it as {suffixes}")
DUPLICATE_FILE = Rule(
    "duplicate-file", "two files in the folder are named after one extract",
    "{count} files for the {name} extract ({files}): keep one")
MISSING_WORKFORCE = Rule(
    "missing-workforce", "the folder has no workforce extract, which every run needs",
    "no workforce file (workforce.csv, .xlsx, .xls, .ods or .parquet) in {folder}: "
    "{needed}{hint}")
UNREADABLE_FILE = Rule(
    "unreadable-file", "the file could not be read at all (the error is named)",
    "cannot read {file}: {error}")
EMPTY_EXTRACT = Rule(
    "empty-extract", "the file, its sheet or its data rows are empty",
    "{file}: {what}: {expected}")
NOT_TEXT = Rule(
    "not-text", "a CSV file holds NUL bytes (often UTF-16)",
    "{file} contains NUL bytes: not a text CSV{hint}")
BAD_ENCODING = Rule(
    "bad-encoding", "a CSV file is not in the encoding expected or configured",
    "{file} is not text in {what}: byte 0x{byte:02x} on line {line} cannot be read; save it "
    "as CSV UTF-8, or set the encoding in [files]")
NOT_PARQUET = Rule(
    "not-parquet", "a .parquet file is not a readable Parquet file",
    "{file} is not a readable Parquet file: {error}")
NOT_A_WORKBOOK = Rule(
    "not-a-workbook", "a workbook file cannot be opened as one",
    "{file} is not a workbook ({kind}): {error}")
NO_SHEETS = Rule(
    "no-sheets", "a workbook has no sheets",
    "{file} has no sheets")
MISSING_SHEET = Rule(
    "missing-sheet", "the sheet set in [files] is not a sheet of the workbook",
    "{file} has no sheet named {sheet!r}; its sheets: {sheets}")
STRAY_CELLS = Rule(
    "stray-cells", "a value far outside the data would stretch the sheet to a huge grid",
    "{file}, sheet {sheet!r}: a value far outside the data at {cells}: it stretches the sheet "
    "to {rows:,} rows by {columns:,} columns ({reach:,} cells) for {held:,} cells that hold "
    "anything; delete the stray cell(s) (or everything below and to the right of the data) "
    "and save the workbook again")
UNCACHED_FORMULA = Rule(
    "uncached-formula", "a cell wres reads holds a formula with no saved value",
    "cell {cell} holds a formula with no saved value (the workbook was written by a program "
    "and never calculated): open it in Excel or LibreOffice and save it, or paste the "
    "values, then run again")
MORE_UNCACHED_FORMULAS = Rule(
    "more-uncached-formulas", "more formulas with no saved value than are listed",
    "{file} has {total:,} formula cells with no saved value; the first {listed:,} are listed")

# --------------------------------------------------------------------------- headers and rows

WRONG_HEADER_ROW = Rule(
    "wrong-header-row", "the header_row set in [files] holds none of the headers",
    "[files.{name}] header_row = {row}: row {row} of {where} holds none of the headers wres "
    "looks for ({wanted}); it holds {held}{found}")
MISSING_COLUMN = Rule(
    "missing-column", "a required column is not among the headers",
    "required column {column} not found: looked for a header {wanted!r}{mapped}; headers "
    "found: {headers}{hint}{where}")
MISSING_MAPPED_COLUMN = Rule(
    "missing-mapped-column", "a column mapped in [columns] is not among the headers",
    "column {column} not found: looked for a header {wanted!r}{mapped}; headers found: "
    "{headers}{hint}{where}")
DUPLICATE_COLUMN = Rule(
    "duplicate-column", "two headers match one column",
    "{count} columns match {column}: {shown}; keep one")
COLUMN_NEEDED_BY_CONFIG = Rule(
    "column-needed-by-config", "a setting of wres.toml needs a column the file lacks",
    "required column {column} not found: {key} in wres.toml needs it (map your header in "
    "[columns.workforce] {column})")
TOTALS_LINE = Rule(
    "totals-line", "the last row looks like a totals line, not a record",
    "row {row} of {place} looks like a totals line, not a record: leave it out with "
    "[files.{name}] skip_footer = 1 in wres.toml")
FOOTER_HOLDS_DATA = Rule(
    "footer-holds-data", "a row skip_footer leaves out is a full record",
    "row {row} of {place} is skipped as a footer ([files.{name}] skip_footer = {skip}) but it "
    "is a full record ({shown}), not a totals line: check skip_footer")
RAGGED_ROW = Rule(
    "ragged-row", "a CSV row has more or fewer fields than the header",
    "this row has {fields} field(s) but the header has {headers}; check quotes and the "
    "delimiter {delimiter!r}")
VALUE_TOO_LONG = Rule(
    "value-too-long", "a CSV value is longer than any real cell (an unclosed quote)",
    "a value of {length:,} characters in column {number} ({header!r}); wres reads values of "
    "up to {limit:,} characters (Excel's limit): check for a quote that opens a value and is "
    "never closed")

# --------------------------------------------------------------------------- values

BAD_DATE = Rule(
    "bad-date", "a date column holds something that is not a date wres reads",
    "{reason}")
BAD_YES_NO = Rule(
    "bad-yes-no", "a yes/no column holds something that is not yes or no",
    "{reason}")
BAD_AMOUNT = Rule(
    "bad-amount", "an amount column holds something that is not an amount",
    "{reason}")
BLANK_ID = Rule(
    "blank-id", "a row has no id",
    "{column} is blank: every {noun} needs an id")
BLANK_PERSON_ID = Rule(
    "blank-person-id", "an event row does not say which person it is about",
    "{column} is blank: every {noun} needs the {column} of the person it is about")
BLANK_YES_NO = Rule(
    "blank-yes-no", "a yes/no column that may not be blank is blank",
    "{column} is blank: it must be yes or no for every {noun}, blank is not allowed")
BLANK_VALUE = Rule(
    "blank-value", "a required value is blank",
    "{column} is blank: every {noun} needs one")
DUPLICATE_ID = Rule(
    "duplicate-id", "rows share an id that must be unique (each such id is one problem)",
    "{count} rows share this {column}: each {noun} must appear once{advice}")
UNKNOWN_GRADE = Rule(
    "unknown-grade", "a grade is not listed in [grades] order",
    "{column} is not one of the grades listed in [grades] order of {config}: {grades}")
FAILED_CHECK = Rule(
    "failed-check", "a check of the schema failed (not expected: every check has its own code)",
    "{what} fails the check {check}")
APPOINTED_NOT_SHORTLISTED = Rule(
    "appointed-not-shortlisted", "an application is appointed but not shortlisted",
    "appointed is true but shortlisted is not: an application must be shortlisted to be "
    "appointed (a blank shortlisted counts as false)")
END_BEFORE_START = Rule(
    "end-before-start", "a person's end_date is before their start_date",
    "end_date is before start_date: the last day of service cannot come before the first")
UNKNOWN_STAFF_ID = Rule(
    "unknown-staff-id", "an event is about a staff_id the workforce extract lacks",
    "staff_id is not in {workforce}: every {noun} must be about someone in the workforce "
    "extract")
UNKNOWN_ETHNICITY = Rule(
    "unknown-ethnicity", "an ethnicity value is none wres recognises (map it in [ethnicity])",
    "not a recognised ethnicity ({where}): map it in wres.toml under [ethnicity]{advice}")
ETHNICITY_CONTRADICTION = Rule(
    "ethnicity-code-contradicts-label", "an NHS ethnic category code and its label disagree",
    "{why} ({where})")
NO_PRIMARY_ASSIGNMENT = Rule(
    "no-primary-assignment", "a person's assignment rows have none marked primary",
    "staff_id {staff_id} has {count} assignment row(s) ({rows}) and none is marked primary: "
    "with one_row_per = \"assignment\" exactly one row per person must have "
    "primary_assignment = yes")
TWO_PRIMARY_ASSIGNMENTS = Rule(
    "two-primary-assignments", "a person has more than one row marked primary",
    "staff_id {staff_id} has {count} rows marked primary ({rows}): exactly one row per person "
    "must have primary_assignment = yes")
NOT_ON_SCALE = Rule(
    "not-on-scale", "an answer is not on the scale a local indicator declares",
    "{column} must be one of the answers of the scale declared in {source} ({scale}), "
    "or blank")

# --------------------------------------------------------------------------- survey summary

MORE_THAN_ONE_SURVEY_YEAR = Rule(
    "more-than-one-survey-year", "a survey_summary file gives several years",
    "{file} gives more than one year ({years}): give one survey's breakdown per run")
TWO_SURVEY_EXTRACTS = Rule(
    "two-survey-extracts", "both survey and survey_summary are given",
    "both {survey} and {summary} are given: indicators 5-8 come from one of them, either the "
    "respondents (survey) or the published breakdown (survey_summary); remove one")
MISSING_PERCENT_OR_YES = Rule(
    "missing-percent-or-yes", "a survey_summary file has neither a percent nor a yes column",
    "{file} needs a percent or a yes column (the share or the count of respondents who "
    "answered yes)")
UNKNOWN_QUESTION = Rule(
    "unknown-question", "a survey_summary question is none wres knows",
    "question {question!r} is not one survey_summary knows: {questions}")
UNKNOWN_GROUP = Rule(
    "unknown-group", "a survey_summary group is none wres knows",
    "group {group!r} is not a group survey_summary knows: white, minority (\"BME\"), asian, "
    "black, mixed, other or unknown")
BAD_RESPONDENTS = Rule(
    "bad-respondents", "respondents is not a whole number of 1 or more",
    "respondents {value!r} must be a whole number of 1 or more (the number of respondents in "
    "the group who answered the question)")
PERCENT_OUT_OF_RANGE = Rule(
    "percent-out-of-range", "percent is not a number from 0 to 100",
    "percent {value!r} must be a number from 0 to 100")
BAD_YES_COUNT = Rule(
    "bad-yes-count", "yes is not a whole number from 0 to respondents",
    "yes {value!r} must be a whole number from 0 to respondents ({respondents})")
NO_PERCENT_OR_YES = Rule(
    "no-percent-or-yes", "a survey_summary row gives neither percent nor yes",
    "give percent (0-100) or yes (a count of respondents) for every row")
PERCENT_YES_DISAGREE = Rule(
    "percent-yes-disagree", "percent and yes are both given and disagree",
    "yes {yes} of {respondents} respondents is {share:.2f} %, but percent says {percent}: "
    "give one of them, or make them agree")
REPEATED_QUESTION_GROUP = Rule(
    "repeated-question-group", "a question and group are given twice",
    "{question} for group {group} is already given at row {first}")
MISSING_GROUP = Rule(
    "missing-group", "a question lacks the white or the minority group",
    "{question} has no row for group {groups}: each question needs white and minority (BME), "
    "or white and all four of asian, black, mixed and other")
GROUPS_DO_NOT_ADD_UP = Rule(
    "groups-do-not-add-up", "the minority broad groups do not add up to minority",
    "{question}: the minority broad groups' {what} add up to {total}, but minority (BME) has "
    "{given}: minority is the four broad groups together")

# --------------------------------------------------------------------------- counts files

COUNTS_MISSING_COLUMN = Rule(
    "counts-missing-column", "a counts file (wres benchmark) lacks a column",
    "counts.csv needs the column {column}")
COUNTS_NOT_WHOLE_NUMBER = Rule(
    "counts-not-whole-number", "a count is not a whole number, 0 or more",
    "{column} must be a whole number, 0 or more")
COUNTS_EVENTS_EXCEED_POPULATION = Rule(
    "counts-events-exceed-population", "a count of events is larger than its population",
    "events must not exceed population")
COUNTS_BLANK_VALUE = Rule(
    "counts-blank-value", "a value a counts row needs is blank",
    "{column} must not be blank")
COUNTS_UNKNOWN_STANDARD = Rule(
    "counts-unknown-standard", "a counts row names no standard wres knows",
    "standard must be social-care or nhs")
COUNTS_UNKNOWN_GROUP = Rule(
    "counts-unknown-group", "a counts row names no group wres knows",
    "group must be one of {groups}")
COUNTS_BAD_DATE = Rule(
    "counts-bad-date", "a period date of a counts row is not YYYY-MM-DD",
    "{column} must be a date YYYY-MM-DD")
COUNTS_END_BEFORE_START = Rule(
    "counts-end-before-start", "a counts row's period ends before it starts",
    "period_end is before period_start")
COUNTS_UNKNOWN_INDICATOR = Rule(
    "counts-unknown-indicator", "a counts row names an indicator its standard lacks",
    "not an indicator of the {standard} standard ({known})")
COUNTS_DUPLICATE_ROW = Rule(
    "counts-duplicate-row", "a count is listed twice",
    "the same count is listed twice (organisation, period, standard, indicator, breakdown, "
    "level and group repeat an earlier row)")


def _catalogue() -> dict[str, Rule]:
    rules = [value for value in globals().values() if isinstance(value, Rule)]
    catalogue: dict[str, Rule] = {}
    for rule in rules:
        if not _CODE.fullmatch(rule.code) or rule.code in catalogue:
            raise AssertionError(f"rule code {rule.code!r} is not kebab-case or not unique")
        catalogue[rule.code] = rule
    return catalogue


#: Every rule, by code, in the order above (the order of docs/data-contract.md).
RULES: dict[str, Rule] = _catalogue()
