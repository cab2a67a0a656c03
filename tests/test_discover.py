"""Finding files, sheets, header rows and footers (io/discover.py), in every format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from wres_cli.config import Config, FileHints
from wres_cli.io.discover import extract_files, find_header, footer_positions, headers_wanted
from wres_cli.io.readers import read_extract

HEADERS = ["Staff ID", "Ethnicity", "Grade", "Start Date"]
ROWS = [
    ["S1", "A", "G1", dt.datetime(2020, 1, 1, 9, 30)],
    ["S2", "H", "g1", dt.datetime(2021, 2, 3)],
]
CONFIG = Config(columns={"workforce": {"staff_id": "Staff ID", "start_date": "Start Date"}})
TITLE = [["Staff In Post report"], ["Run on 01/04/2026"], []]


def _problems(problems: object) -> list[dict]:
    return problems.to_frame().to_dict("records")  # type: ignore[attr-defined]


def _check(extract: object) -> None:
    frame = extract.frame  # type: ignore[attr-defined]
    assert frame["staff_id"].tolist() == ["S1", "S2"]
    assert frame["start_date"].tolist() == [pd.Timestamp(2020, 1, 1), pd.Timestamp(2021, 2, 3)]
    assert list(frame.index) == [6, 7]  # headers in row 5 (three title rows and a blank)


def test_xls_workbook_with_title_rows_on_its_second_sheet(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    book.add_sheet("Report Parameters").write(0, 0, "Parameters")
    sheet = book.add_sheet("Staff")
    dates = xlwt.easyxf(num_format_str="DD/MM/YYYY hh:mm")
    for r, row in enumerate([*TITLE, [], HEADERS, *ROWS]):
        for c, value in enumerate(row):
            sheet.write(r, c, value, dates) if isinstance(value, dt.datetime) else sheet.write(
                r, c, value)
    path = tmp_path / "workforce.xls"
    book.save(str(path))
    extract, problems = read_extract("workforce", path, CONFIG)
    assert not _problems(problems)
    assert (extract.sheet, extract.header_row) == ("Staff", 5)
    _check(extract)


def test_ods_workbook(tmp_path: Path) -> None:
    pytest.importorskip("odf")
    path = tmp_path / "workforce.ods"
    body = pd.DataFrame(ROWS, columns=HEADERS)
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame([["Parameters"]]).to_excel(writer, sheet_name="Parameters", header=False,
                                                index=False)
        body.to_excel(writer, sheet_name="Staff", index=False, startrow=4)
    extract, problems = read_extract("workforce", path, CONFIG)
    assert not _problems(problems)
    assert (extract.sheet, extract.header_row) == ("Staff", 5)
    _check(extract)


def test_csv_with_title_rows_and_a_footer(tmp_path: Path) -> None:
    text = ("Staff In Post report\nRun on 01/04/2026\n\n\n"
            "Staff ID,Ethnicity,Grade,Start Date\n"
            "S1,A,G1,01/01/2020 09:30\n"
            "S2,H,g1,2021-02-03 00:00:00\n"
            "\n"
            ",,Total,2\n")
    path = tmp_path / "workforce.csv"
    path.write_text(text, encoding="utf-8")
    hints = Config(columns=CONFIG.columns, files={"workforce": FileHints(skip_footer=1)})
    extract, problems = read_extract("workforce", path, hints)
    assert not _problems(problems)
    assert extract.header_row == 5
    _check(extract)


def test_csv_header_row_given(tmp_path: Path) -> None:
    path = tmp_path / "workforce.csv"
    path.write_text("Report;x\nStaff ID;Ethnicity;Grade;Start Date\nS1;A;G1;01/01/2020\n",
                    encoding="utf-8")
    config = Config(columns=CONFIG.columns, files={"workforce": FileHints(header_row=2)})
    extract, problems = read_extract("workforce", path, config)
    assert not _problems(problems) and extract.frame["staff_id"].tolist() == ["S1"]
    assert list(extract.frame.index) == [3]
    wrong = Config(columns=CONFIG.columns, files={"workforce": FileHints(header_row=1)})
    extract, problems = read_extract("workforce", path, wrong)
    [problem] = _problems(problems)
    assert extract is None and problem["rule"] == "wrong-header-row"
    assert "row 1 of workforce.csv holds none" in problem["message"]
    assert "The headers are in row 2" in problem["message"]


def test_the_sheet_is_found_by_its_headers_and_the_footer_left_out(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Report Parameters"
    book.active.append(["Staff ID", "(a parameter, not the table)"])
    staff = book.create_sheet("Staff")
    for row in [*TITLE, [], HEADERS, *ROWS, [], [None, None, "Total", 2]]:
        staff.append(row)
    path = tmp_path / "workforce.xlsx"
    book.save(path)
    config = Config(columns=CONFIG.columns, files={"workforce": FileHints(skip_footer=1)})
    extract, problems = read_extract("workforce", path, config)
    assert not _problems(problems)
    assert extract.sheet == "Staff"
    _check(extract)


def test_files_are_found_by_path_and_by_name(tmp_path: Path) -> None:
    (tmp_path / "Staff In Post.XLS").write_bytes(b"x")
    (tmp_path / "Training.ODS").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    config = Config(files={"workforce": FileHints(path="Staff In Post.XLS")})
    found, problems = extract_files(tmp_path, config)
    files = found.files
    assert not _problems(problems)
    assert {name: p.name for name, p in files.items()} == {
        "workforce": "Staff In Post.XLS", "training": "Training.ODS"}


def test_find_header_prefers_the_first_complete_row() -> None:
    wanted = headers_wanted("workforce", Config())
    rows = [["Staff list"], ["staff_id", "grade"],
            ["Staff_ID ", "ethnicity", "GRADE", "start_date"], ["staff_id", "ethnicity"]]
    found = find_header(rows, wanted)
    assert found is not None and (found.index, found.complete) == (2, True)
    assert find_header([[], ["", " "]], wanted) is None


def test_footer_positions_count_only_rows_with_something_in_them() -> None:
    assert footer_positions([True, True, False, True, False], 1) == [3]
    assert footer_positions([True, True, False, True, False], 2) == [1, 3]
    assert footer_positions([True], 0) == []


def test_a_header_row_below_the_first_twenty(tmp_path: Path) -> None:
    path = tmp_path / "workforce.csv"
    path.write_text("".join(f"note {i}\n" for i in range(24))
                    + "Staff ID,Ethnicity,Grade,Start Date\nS1,A,G1,01/01/2020\n",
                    encoding="utf-8")
    config = Config(columns=CONFIG.columns, files={"workforce": FileHints(header_row=25)})
    extract, problems = read_extract("workforce", path, config)
    assert not _problems(problems)
    assert list(extract.frame.index) == [26]
