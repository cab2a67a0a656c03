"""Real HR exports as they come (issue 13): an ESR-style workbook and council-style
CSVs go through validate and compute with only wres.toml written for them.

The expected figures are counted by hand from the rows below, in the comments
beside them; nothing is copied from the code's output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.helpers import HR_CONFIG, HR_WORKFORCE
from wres_cli import compute, validate
from wres_cli.cli import app

PERIOD = ("2025-04-01", "2026-03-31")
runner = CliRunner()
ENV = {"COLUMNS": "250", "NO_COLOR": "1"}

# --------------------------------------------------------------------------- ESR-style

ESR_HEADERS = ["Employee Number", "Assignment Number", "Ethnic Origin", "Grade", "Hire Date",
               "Termination Date", "Staff Group", "Primary Assignment", "Assignment Category"]
NMR, AC = "Nursing and Midwifery Registered", "Admin and Clerical"
D = dt.datetime
# One row per assignment, as ESR exports them. Period 2025-04-01 to 2026-03-31.
ESR_ROWS = [
    # 1001 White (A), two assignments: the secondary is left out.
    [1001, "1001-1", "A White - British", "Band 5", D(2020, 1, 6), None, NMR, "Yes", "Permanent"],
    [1001, "1001-2", "A White - British", "Band 5", D(2024, 5, 1), None, NMR, "No", "Permanent"],
    # 1002 White (C3), a mixed-case band with a trailing space, a date-time.
    [1002, "1002-1", "C3 White - Any other White background", "band 5 ", D(2019, 3, 4, 9, 0),
     None, NMR, "Yes", "Permanent"],
    # 1003 White (CP, Polish: code C), admin.
    [1003, "1003-1", "CP White - Polish", "Band 6", D(2018, 7, 1), None, AC, "Yes",
     "Fixed Term Temp"],
    # 1004 Asian (LH): ESR's own grade spelling, mapped in [values.grade]; a bank
    # second assignment (left out as a contract type, the first rule).
    [1004, "1004-1", "LH Asian - British Asian", "Band 8 - Range A", D(2016, 2, 1), None, AC,
     "Yes", "Permanent"],
    [1004, "1004-2", "LH Asian - British Asian", "Band 5", D(2023, 1, 1), None, NMR, "No", "Bank"],
    # 1005 Asian (R Chinese, Asian by default), upper-case band.
    [1005, "1005-1", "R Chinese", "BAND 6", D(2021, 9, 1), None, NMR, "Yes", "Permanent"],
    # 1006 Other (S), left in the period: in post during it, not at its end.
    [1006, "1006-1", "S Any Other Ethnic Group", "Band 5", D(2017, 4, 3), D(2025, 9, 30, 17, 0),
     NMR, "Yes", "Permanent"],
    # 1007 Black (N).
    [1007, "1007-1", "N Black or Black British - African", "Band 6", D(2015, 5, 5), None, NMR,
     "Yes", "Permanent"],
    # 1008 not stated.
    [1008, "1008-1", "Z Not Stated", "Band 5", D(2022, 10, 10), None, AC, "Yes", "Permanent"],
    # 1009 a bank worker: left out.
    [1009, "1009-1", "A White - British", "Band 6", D(2024, 1, 1), None, NMR, "Yes", "Bank"],
    # 1010 Asian (H), left before the period: not in post in it.
    [1010, "1010-1", "H Asian or Asian British - Indian", "Band 5", D(2010, 1, 1),
     D(2024, 12, 31), NMR, "Yes", "Permanent"],
]
# Workforce: 12 rows read; 2 bank rows (1004-2, 1009) left out first, then 1
# secondary assignment (1001-2); of the 9 people left, 1010 was not in post in
# the period. In post during it (8): White 1001 1002 1003; minority 1004 1005
# (Asian), 1006 (Other), 1007 (Black); unknown 1008.

DISCIPLINARY_CSV = (
    "Case Reference,Employee Number,Case Start Date\n"
    "C-1,1004,01/06/2025\n"          # minority (1004)
    "C-2,1002,15/07/2025 10:00\n"    # White (1002); a date-time
    "C-3,1009,01/08/2025\n"          # the bank worker: not in the workforce, left out
    "C-4,1004,01/12/2025\n"          # 1004 again: people count once
    "C-5,9999,01/05/2025\n"          # nobody in the workforce: left out
    "C-6,1007,01/03/2024\n"          # before the period
)
# Indicator 3 (NHS: BME / White): White 1 of 3 (1002), BME 1 of 4 (1004).

CPD_ROWS = [  # no record id column: rows are not checked for uniqueness
    ["Employee Number", "Course Date", "Course"],
    [1001, D(2025, 5, 10, 9, 30), "Leadership"],
    [1001, D(2025, 6, 10), "Leadership"],  # 1001 twice: once
    [1003, D(2025, 9, 1), "Excel"],
    [1005, D(2026, 1, 15, 14, 0), "Coaching"],
    [1009, D(2025, 10, 1), "Coaching"],  # the bank worker: left out
]
# Indicator 4 (NHS: White / BME): White 2 of 3 (1001, 1003), BME 1 of 4 (1005).

ESR_TOML = """\
organisation = "Northmoor NHS Trust"
standard = "nhs"

[period]
start = 2025-04-01
end = 2026-03-31

[grades]
order = ["Band 5", "Band 6", "Band 7", "Band 8a"]

[columns.workforce]
staff_id = "Employee Number"
ethnicity = "Ethnic Origin"
grade = "Grade"
start_date = "Hire Date"
end_date = "Termination Date"
staff_group = "Staff Group"
primary_assignment = "Primary Assignment"
contract_type = "Assignment Category"

[columns.disciplinary]
case_id = "Case Reference"
staff_id = "Employee Number"
start_date = "Case Start Date"

[columns.training]
staff_id = "Employee Number"
date = "Course Date"

[files.workforce]
path = "ESR Staff In Post.xlsx"
skip_footer = 1

[files.disciplinary]
path = "Disciplinary cases.csv"

[files.training]
path = "CPD log.xlsx"

[workforce]
one_row_per = "assignment"
exclude_contract_types = ["Bank"]

[links]
unmatched = "exclude"

[values.grade]
"Band 8 - Range A" = "Band 8a"

[values.staff_group]
"Nursing and Midwifery Registered" = "Clinical"
"Admin and Clerical" = "Non-clinical"
"""


def _esr_workbook(path: Path, rows: list[list[object]], footer: bool = True) -> Path:
    book = openpyxl.Workbook()
    params = book.active
    params.title = "Report Parameters"
    params.append(["Report", "Staff In Post"])
    params.append(["Organisation", "Northmoor NHS Trust"])
    params.append(["Run date", D(2026, 4, 1, 8, 0)])
    staff = book.create_sheet("Staff In Post")
    staff.append(["Staff In Post - Northmoor NHS Trust"])
    staff.append(["As at 31/03/2026"])
    staff.append([])
    staff.append(ESR_HEADERS)  # row 4
    for row in rows:
        staff.append(row)
    if footer:
        staff.append([f"Total Assignments: {len(rows)}"])
    book.save(path)
    return path


def _write_rows(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def esr_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "esr"
    folder.mkdir()
    _esr_workbook(folder / "ESR Staff In Post.xlsx", ESR_ROWS)
    (folder / "Disciplinary cases.csv").write_text(DISCIPLINARY_CSV, encoding="utf-8")
    _write_rows(folder / "CPD log.xlsx", CPD_ROWS)
    (folder / "wres.toml").write_text(ESR_TOML, encoding="utf-8")
    return folder


def _counts(results: object, indicator: str, breakdown: str = "overall",
            level: str = "all") -> dict[str, tuple[int, int]]:
    counts = results.counts  # type: ignore[attr-defined]
    rows = counts[(counts["indicator"] == indicator) & (counts["breakdown"] == breakdown)
                  & (counts["level"] == level)]
    return {r.group: (int(r.population), int(r.events)) for r in rows.itertuples()}


def test_esr_export_validates_with_only_wres_toml(esr_folder: Path) -> None:
    report = validate(esr_folder)
    assert report.ok, report.problems.to_dict("records")
    workforce = next(s for s in report.summaries if s.name == "workforce")
    assert (workforce.file, workforce.sheet, workforce.header_row) == (
        "ESR Staff In Post.xlsx", "Staff In Post", 4)
    assert workforce.rows_read == 12  # the footer is not a row
    quality = report.quality
    assert quality["workforce"]["excluded"] == {
        "excluded contract type": 2, "secondary assignments": 1,
        "not in post in the period": 1}
    assert quality["workforce"]["rows_in_scope"] == 8
    assert quality["disciplinary"]["excluded"]["not in the workforce"] == 2
    assert quality["training"]["excluded"]["not in the workforce"] == 1


def test_esr_export_computes_the_hand_worked_figures(esr_folder: Path) -> None:
    results = compute(esr_folder, suppress=False)
    # NHS 3: in post during the period; White 3 (1001 1002 1003), BME 4.
    ind3 = _counts(results, "3")
    assert ind3["white"] == (3, 1) and ind3["minority"] == (4, 1)
    assert ind3["asian"] == (2, 1) and ind3["black"] == (1, 0) and ind3["other"] == (1, 0)
    assert ind3["unknown"] == (1, 0)
    # NHS 4: CPD; White 2 of 3, BME 1 of 4.
    ind4 = _counts(results, "4")
    assert ind4["white"] == (3, 2) and ind4["minority"] == (4, 1)
    # NHS 1: in post on 31/03/2026 (1006 has left): 7 people. Band 5: 1001 1002
    # ("band 5 ") 1008; Band 6: 1003 1005 ("BAND 6") 1007; Band 8a: 1004 ("Band 8 -
    # Range A"). Clinical (mapped from NMR) Band 5: 1001 1002; Non-clinical Band 5: 1008.
    assert _counts(results, "1")["white"] == (7, 3)
    assert _counts(results, "1", "grade", "Band 5")["white"] == (3, 2)
    assert _counts(results, "1", "grade", "Band 6")["minority"] == (3, 2)
    assert _counts(results, "1", "grade", "Band 8a")["minority"] == (1, 1)
    assert _counts(results, "1", "staff_group+grade", "Clinical+Band 5")["white"] == (2, 2)
    assert _counts(results, "1", "staff_group+grade", "Non-clinical+Band 5")["unknown"] == (1, 1)
    extracts = results.data_quality["extracts"]
    assert extracts["disciplinary"]["excluded"] == {"not in the workforce": 2,
                                                    "outside the period": 1}
    assert extracts["disciplinary"]["rows_in_scope"] == 3


def test_validate_shows_where_it_read_and_what_it_left_out(esr_folder: Path) -> None:
    result = runner.invoke(app, ["validate", str(esr_folder)], env=ENV)
    assert result.exit_code == 0, result.output
    assert "sheet 'Staff In Post', header row 4" in result.output
    assert ("workforce: left out 2 excluded contract type, 1 secondary assignments, "
            "1 not in post in the period") in result.output
    assert "disciplinary: left out 2 not in the workforce" in result.output


# --------------------------------------------------------------------------- council-style

COUNCIL_EMPLOYEES = (
    "Employee Listing - Northmoor Borough Council\r\n"
    "Run: 01/04/2026 08:00\r\n"
    "\r\n"
    "Person Ref;Ethnic Origin Desc;Pay Grade;Start Date;Leaving Date;Service;Contract Type\r\n"
    "E01;White - English/Welsh/Scottish/Northern Irish/British;G3;01/04/2015 00:00;;Adults;"
    "Permanent\r\n"
    "E02;Asian/Asian British - Pakistani;g3 ;12/09/2018 09:15;;Adults;Permanent\r\n"
    "E03;Black/African/Caribbean/Black British - African;G4;03/01/2022;31/10/2025 17:00;"
    "Children;Permanent\r\n"
    "E04;White - Irish;G4;01/06/2010;;Children;Fixed Term\r\n"
    "E05;Not Declared;Director;01/01/2012;;Corporate;Permanent\r\n"
    "E06;Mixed/Multiple ethnic groups - White and Asian;G3;01/02/2021;;Adults;CASUAL\r\n"
    "E07;White - English/Welsh/Scottish/Northern Irish/British;G4;05/05/2016;15/01/2026;"
    "Adults;Permanent\r\n"
    "E08;Asian/Asian British - Indian;Director;01/01/2019;;Corporate;Permanent\r\n"
)
# 8 rows; E06 (casual) left out. All 7 in post at the period's start and during
# it: White E01 E04 E07, minority E02 E03 (Asian, Black) E08, unknown E05.
# Leavers in the period: E03 (minority), E07 (White). In post at its end: E01
# E02 E04 E05 E08; seniors (Director): E05 (unknown), E08 (minority).

COUNCIL_CASES = (
    "Case Number;Person Ref;Date Opened\n"
    "HR-1;E02;14/05/2025\n"         # minority
    "HR-2;E06;20/06/2025\n"         # the casual worker: left out
    "HR-3;E01;01/02/2026 08:30\n"   # White
)
COUNCIL_LEARNING = (  # no record id
    "Person Ref;Course;Completed On\n"
    "E01;Safeguarding Level 3;10/06/2025\n"
    "E04;Coaching;11/07/2025\n"
    "E04;Coaching;12/08/2025\n"
    "E08;ILM Level 5;01/03/2026\n"
    "E06;Coaching;01/03/2026\n"     # left out
)

COUNCIL_TOML = """\
organisation = "Northmoor Borough Council"

[period]
start = 2025-04-01
end = 2026-03-31

[grades]
order = ["G3", "G4", "Director"]
senior = ["Director"]

[columns.workforce]
staff_id = "Person Ref"
ethnicity = "Ethnic Origin Desc"
grade = "Pay Grade"
start_date = "Start Date"
end_date = "Leaving Date"
service = "Service"
contract_type = "Contract Type"

[columns.disciplinary]
case_id = "Case Number"
staff_id = "Person Ref"
start_date = "Date Opened"

[columns.training]
staff_id = "Person Ref"
date = "Completed On"
course = "Course"

[files.workforce]
path = "iTrent Employees.csv"
encoding = "cp1252"

[files.disciplinary]
path = "Casework.csv"

[files.training]
path = "Learning Records.csv"

[workforce]
exclude_contract_types = ["Casual", "Agency"]

[links]
unmatched = "exclude"
"""


@pytest.fixture
def council_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "council"
    folder.mkdir()
    (folder / "iTrent Employees.csv").write_bytes(COUNCIL_EMPLOYEES.encode("cp1252"))
    (folder / "Casework.csv").write_text(COUNCIL_CASES, encoding="utf-8")
    (folder / "Learning Records.csv").write_text(COUNCIL_LEARNING, encoding="utf-8")
    (folder / "wres.toml").write_text(COUNCIL_TOML, encoding="utf-8")
    return folder


def test_council_export_computes_the_hand_worked_figures(council_folder: Path) -> None:
    report = validate(council_folder)
    assert report.ok, report.problems.to_dict("records")
    workforce = next(s for s in report.summaries if s.name == "workforce")
    assert workforce.header_row == 4 and workforce.rows_read == 8
    assert report.quality["workforce"]["excluded"] == {"excluded contract type": 1}
    results = compute(council_folder, suppress=False)
    # 3 disciplinary: White 1 of 3 (E01), minority 1 of 3 (E02).
    assert _counts(results, "3")["white"] == (3, 1)
    assert _counts(results, "3")["minority"] == (3, 1)
    # 5 CPD: White 2 of 3 (E01, E04 twice = once), minority 1 of 3 (E08).
    assert _counts(results, "5")["white"] == (3, 2)
    assert _counts(results, "5")["minority"] == (3, 1)
    # 8 leavers: in post on 01/04/2025, White 1 of 3 (E07), minority 1 of 3 (E03).
    assert _counts(results, "8")["white"] == (3, 1)
    assert _counts(results, "8")["minority"] == (3, 1)
    # 1: in post on 31/03/2026: 5 people; G3: E01 (White), E02 ("g3 ", Asian).
    assert _counts(results, "1")["white"] == (5, 2)
    assert _counts(results, "1", "grade", "G3")["minority"] == (2, 1)
    assert _counts(results, "1", "grade", "Director")["unknown"] == (2, 1)
    assert set(results.results.loc[results.results["breakdown"] == "grade", "level"]) == {
        "G3", "G4", "Director"}  # the config's spelling, not "g3 "
    extracts = results.data_quality["extracts"]
    assert extracts["disciplinary"]["excluded"] == {"not in the workforce": 1}
    assert extracts["training"]["excluded"] == {"not in the workforce": 1}


# --------------------------------------------------------------------------- each obstacle

def _rules(report: object) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for problem in report.problems.to_dict("records"):  # type: ignore[attr-defined]
        found.setdefault(problem["rule"], []).append(problem)
    return found


def test_a_file_not_named_after_its_extract_is_named_in_the_error(esr_folder: Path) -> None:
    (esr_folder / "wres.toml").unlink()
    report = validate(esr_folder, period=PERIOD)
    [problem] = _rules(report)["missing-workforce"]
    assert "'ESR Staff In Post.xlsx'" in problem["message"]
    assert '[files.workforce] path = "ESR Staff In Post.xlsx"' in problem["message"]


def test_a_path_that_names_no_file_lists_the_files_there(esr_folder: Path) -> None:
    toml = ESR_TOML.replace('path = "ESR Staff In Post.xlsx"', 'path = "ESR Staff.xlsx"')
    (esr_folder / "wres.toml").write_text(toml, encoding="utf-8")
    [problem] = _rules(validate(esr_folder))["file-not-found"]
    assert problem["file"] == "ESR Staff.xlsx"
    assert "'ESR Staff In Post.xlsx'" in problem["message"]


def test_a_sheet_that_does_not_exist_lists_the_sheets(esr_folder: Path) -> None:
    toml = ESR_TOML.replace("skip_footer = 1", 'skip_footer = 1\nsheet = "Staff"')
    (esr_folder / "wres.toml").write_text(toml, encoding="utf-8")
    [problem] = _rules(validate(esr_folder))["missing-sheet"]
    assert problem["file"] == "ESR Staff In Post.xlsx"
    assert "no sheet named 'Staff'" in problem["message"]
    assert "'Report Parameters', 'Staff In Post'" in problem["message"]


def test_no_sheet_with_the_headers_names_the_sheets_and_row_looked_at(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    _esr_workbook(folder / "workforce.xlsx", ESR_ROWS[:2])
    toml = ESR_TOML.replace('path = "ESR Staff In Post.xlsx"\n', "").replace(
        '"Hire Date"', '"Date Started"')  # a header the export does not have
    (folder / "wres.toml").write_text(toml, encoding="utf-8")
    problems = _rules(validate(folder))["missing-column"]
    message = problems[0]["message"]
    assert "start_date not found" in message
    assert "headers read from row 4 of sheet 'Staff In Post' of workforce.xlsx" in message
    assert "the workbook's sheets: 'Report Parameters', 'Staff In Post'" in message


def test_a_header_row_with_none_of_the_headers_says_where_they_are(esr_folder: Path) -> None:
    toml = ESR_TOML.replace("skip_footer = 1", "skip_footer = 1\nheader_row = 2")
    (esr_folder / "wres.toml").write_text(toml, encoding="utf-8")
    [problem] = _rules(validate(esr_folder))["wrong-header-row"]
    assert problem["file"] == "ESR Staff In Post.xlsx"
    message = problem["message"]
    assert "row 2 of sheet 'Staff In Post' of ESR Staff In Post.xlsx holds none" in message
    assert "'Employee Number'" in message and "'As at 31/03/2026'" in message
    assert "The headers are in row 4: set header_row = 4" in message


def test_a_header_row_given_is_used(esr_folder: Path) -> None:
    toml = ESR_TOML.replace("skip_footer = 1", 'skip_footer = 1\nheader_row = 4\n'
                            'sheet = "staff in post"')  # sheet names ignore case
    (esr_folder / "wres.toml").write_text(toml, encoding="utf-8")
    assert validate(esr_folder).ok


def test_without_skip_footer_the_totals_line_is_a_problem_row(esr_folder: Path) -> None:
    (esr_folder / "wres.toml").write_text(ESR_TOML.replace("skip_footer = 1\n", ""),
                                          encoding="utf-8")
    report = validate(esr_folder)
    footer_row = 4 + len(ESR_ROWS) + 1  # headers in row 4, then the data, then the footer
    assert set(report.problems["row"].dropna()) == {footer_row}
    [hint] = _rules(report)["totals-line"]
    assert hint["value"] == f"Total Assignments: {len(ESR_ROWS)}"
    assert "[files.workforce] skip_footer = 1" in hint["message"]


def test_a_footer_that_is_not_a_footer_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    _esr_workbook(folder / "ESR Staff In Post.xlsx", ESR_ROWS, footer=False)
    (folder / "wres.toml").write_text(ESR_TOML, encoding="utf-8")
    report = validate(folder)
    [problem] = _rules(report)["footer-holds-data"]
    assert problem["row"] == 4 + len(ESR_ROWS)
    assert "sheet 'Staff In Post' of ESR Staff In Post.xlsx" in problem["message"]
    assert "staff_id '1010'" in problem["message"]


def test_two_primary_assignments_for_one_person_is_a_problem(tmp_path: Path) -> None:
    rows = [list(r) for r in ESR_ROWS]
    rows[1][7] = "Yes"  # 1001's second assignment is marked primary too (sheet row 6)
    folder = tmp_path / "d"
    folder.mkdir()
    _esr_workbook(folder / "ESR Staff In Post.xlsx", rows)
    (folder / "wres.toml").write_text(ESR_TOML, encoding="utf-8")
    report = validate(folder)
    [problem] = _rules(report)["two-primary-assignments"]
    assert (problem["file"], problem["row"], problem["value"]) == (
        "ESR Staff In Post.xlsx", 6, "1001")
    assert "rows 5, 6" in problem["message"]
    assert "duplicate-id" not in _rules(report)  # one problem, not two


def test_a_person_with_no_primary_assignment_is_a_problem(tmp_path: Path) -> None:
    rows = [list(r) for r in ESR_ROWS]
    rows[0][7] = "No"  # neither of 1001's rows is primary
    folder = tmp_path / "d"
    folder.mkdir()
    _esr_workbook(folder / "ESR Staff In Post.xlsx", rows)
    (folder / "wres.toml").write_text(ESR_TOML, encoding="utf-8")
    [problem] = _rules(validate(folder))["no-primary-assignment"]
    assert (problem["row"], problem["value"]) == (5, "1001")


def test_assignment_rows_without_the_setting_are_one_problem_per_person(esr_folder: Path) -> None:
    toml = ESR_TOML.replace('one_row_per = "assignment"', 'one_row_per = "person"')
    (esr_folder / "wres.toml").write_text(toml, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(esr_folder)], env=ENV)
    assert result.exit_code == 1
    # 1001 has two rows (1004's second is a bank row, left out): one problem.
    assert "ESR Staff In Post.xlsx: duplicate-id  1 (on 2 rows)" in result.output
    assert "invalid: 1 problem(s)" in result.output


def test_unmatched_events_are_an_error_unless_excluded(esr_folder: Path) -> None:
    toml = ESR_TOML.replace('unmatched = "exclude"', 'unmatched = "error"')
    (esr_folder / "wres.toml").write_text(toml, encoding="utf-8")
    problems = _rules(validate(esr_folder))["unknown-staff-id"]
    assert sorted((p["file"], p["value"]) for p in problems) == [
        ("CPD log.xlsx", "1009"), ("Disciplinary cases.csv", "1009"),
        ("Disciplinary cases.csv", "9999")]


def test_contradicting_code_stops_compute_and_writes_nothing(esr_folder: Path,
                                                             tmp_path: Path) -> None:
    rows = [list(r) for r in ESR_ROWS]
    rows[3][2] = "C Black - African"  # 1003, sheet row 8
    _esr_workbook(esr_folder / "ESR Staff In Post.xlsx", rows)
    out = tmp_path / "out"
    result = runner.invoke(app, ["compute", str(esr_folder), "--out", str(out)], env=ENV)
    assert result.exit_code == 1
    assert "ESR Staff In Post.xlsx row 8, ethnicity 'C Black - African'" in result.output
    assert "[ethnicity-code-contradicts-label]" in result.output
    assert not out.exists()


def test_screen_summary_shows_every_file_and_rule_before_examples(hr_folder) -> None:
    # The case: 30 repeated training ids hid the workforce's ethnicity errors.
    training = "Record,Employee No,Date\n" + "".join(
        f"T-{i % 15},EMP-000001,01/06/2025\n" for i in range(30))
    workforce_rows = "".join(f"EMP-1{i:05d},Martian {i},G1,01/04/2019,,N,North\n"
                             for i in range(7))
    config = HR_CONFIG + ('\n[columns.training]\nrecord_id = "Record"\n'
                           'staff_id = "Employee No"\ndate = "Date"\n')
    folder = hr_folder(workforce__csv=HR_WORKFORCE + workforce_rows, training__csv=training,
                       wres__toml=config)
    result = runner.invoke(app, ["validate", str(folder)], env=ENV)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    start = lines.index("  by file and rule:")
    end = lines.index("  examples (up to 3 per rule):")
    summary = [" ".join(line.split()) for line in lines[start + 1:end]]
    assert "training.csv: duplicate-id 15 (on 30 rows)" in summary
    assert "workforce.csv: unknown-ethnicity 7" in summary
    examples = [line for line in lines if "[unknown-ethnicity]" in line]
    assert len(examples) == 3  # up to three examples per rule
    assert sum("[duplicate-id]" in line for line in lines) == 3
    assert "invalid: 22 problem(s)" in result.output  # 15 repeated ids + 7 values


def test_the_docs_show_exactly_the_configurations_tested() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "data-contract.md").read_text(
        encoding="utf-8")
    esr = doc.split("## From an ESR export", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    council = doc.split("## From a council HR system", 1)[1].split("```toml\n", 1)[1].split(
        "```", 1)[0]
    assert (esr, council) == (ESR_TOML, COUNCIL_TOML)
