"""The load stage: files -> canonical frames, and every problem as a row.

Fixtures are written into tmp_path by each test; expected values are worked out
here by hand (row numbers: header = row 1, so the n-th data row is row n + 1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wres_cli.io.convert as convert
import wres_cli.io.csv as csv_reader
import wres_cli.io.readers as readers
import wres_cli.io.source as source
from wres_cli.config import Config, FileHints
from wres_cli.errors import ConfigError, UsageError
from wres_cli.io.discover import extract_files
from wres_cli.io.readers import read_extract, read_extracts
from wres_cli.problems import Problems

HEADER = "staff_id,ethnicity,grade,start_date"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def problems_of(problems: Problems) -> list[dict[str, object]]:
    frame = problems.to_frame()
    frame["row"] = frame["row"].astype(object).where(frame["row"].notna(), None)
    return frame.to_dict("records")


def rules(problems: Problems) -> list[str]:
    return problems.to_frame()["rule"].tolist()


def read_csv_text(tmp_path: Path, text: str, config: Config | None = None,
                  name: str = "workforce", encoding: str = "utf-8"):
    path = write(tmp_path, f"{name}.csv", text, encoding)
    return read_extract(name, path, config or Config())


# ---------------------------------------------------------------------------
# CSV basics


def test_csv_reads_canonical_columns_with_types_and_row_numbers(tmp_path: Path) -> None:
    text = (f"{HEADER},end_date,registered_professional,notes\n"
            "00123, White British ,G1,01/04/2025,,Yes,x\n"
            "124,,G2,2024-05-06,2026-01-31,no,y\n")
    extract, problems = read_csv_text(tmp_path, text)
    assert not problems
    frame = extract.frame
    assert list(frame.columns) == ["staff_id", "ethnicity", "grade", "start_date", "end_date",
                                   "registered_professional"]  # notes ignored, spec order
    assert list(frame.index) == [2, 3]
    assert frame["staff_id"].tolist() == ["00123", "124"]  # text: leading zeros kept
    assert frame.loc[2, "ethnicity"] == "White British"  # surrounding spaces stripped
    assert pd.isna(frame.loc[3, "ethnicity"])  # blank -> NA
    assert frame["start_date"].tolist() == [pd.Timestamp(2025, 4, 1), pd.Timestamp(2024, 5, 6)]
    assert pd.isna(frame.loc[2, "end_date"])
    assert frame["registered_professional"].tolist() == [True, False]
    assert str(frame["start_date"].dtype) == "datetime64[ns]"
    assert str(frame["registered_professional"].dtype) == "boolean"
    assert pd.api.types.is_string_dtype(frame["staff_id"].dtype)
    assert extract.rows_read == 2
    assert extract.file == "workforce.csv"
    assert extract.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert extract.columns_found["grade"] == "grade"


def test_bad_date_on_third_data_row_is_row_4(tmp_path: Path) -> None:
    text = f"{HEADER}\n1,A,G1,01/04/2025\n2,A,G1,01/04/2025\n3,A,G1,31/02/2025\n"
    extract, problems = read_csv_text(tmp_path, text)
    [problem] = problems_of(problems)
    assert problem["file"] == "workforce.csv"
    assert problem["row"] == 4
    assert problem["column"] == "start_date"
    assert problem["value"] == "31/02/2025"
    assert problem["rule"] == "bad-date"
    assert "impossible date" in problem["message"]
    assert pd.isna(extract.frame.loc[4, "start_date"])


def test_bad_boolean_reports_raw_value(tmp_path: Path) -> None:
    text = f"{HEADER},senior_manager\n1,A,G1,01/04/2025, maybe \n2,A,G1,01/04/2025,\n"
    extract, problems = read_csv_text(tmp_path, text)
    [problem] = problems_of(problems)
    assert (problem["row"], problem["column"], problem["value"], problem["rule"]) == (
        2, "senior_manager", " maybe ", "bad-yes-no")
    assert extract.frame["senior_manager"].isna().all()  # bad and blank both NA here


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    rows = [["staff_id", "ethnicity", "grade", "start_date"], ["1", "White, British", "G1",
                                                                "01/04/2025"]]
    text = "\n".join(delimiter.join(f'"{v}"' if "," in v else v for v in r) for r in rows)
    extract, problems = read_csv_text(tmp_path, text + "\n")
    assert not problems
    assert extract.frame.loc[2, "ethnicity"] == "White, British"


def test_delimiter_hint_overrides_detection(tmp_path: Path) -> None:
    # Detection would pick ',' (two of them on the header line); the hint says '|'.
    text = "staff_id|ethnicity|grade|start_date,a,b\n1|Asian, Indian|G1|01/04/2025\n"
    config = Config(files={"workforce": FileHints(delimiter="|")},
                    columns={"workforce": {"start_date": "start_date,a,b"}})
    extract, problems = read_csv_text(tmp_path, text, config)
    assert not problems
    assert extract.frame.loc[2, "ethnicity"] == "Asian, Indian"


def test_quoted_fields_with_delimiters_newlines_and_quotes(tmp_path: Path) -> None:
    text = (f"{HEADER}\n"
            '1,"Mixed, other ""stated""",G1,01/04/2025\n'
            '2,"line one\nline two",G2,01/04/2025\n'
            "3,Asian,G3,99/99/2025\n")
    extract, problems = read_csv_text(tmp_path, text)
    assert extract.frame.loc[2, "ethnicity"] == 'Mixed, other "stated"'
    assert extract.frame.loc[3, "ethnicity"] == "line one\nline two"
    # The record with a line break is one spreadsheet row, so the next is row 4.
    assert [p["row"] for p in problems_of(problems)] == [4]


def test_blank_lines_are_skipped_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    text = f"\n\n{HEADER}\n1,A,G1,01/04/2025\n\n,,,\n2,A,G1,bad\n\n"
    extract, problems = read_csv_text(tmp_path, text)
    # Lines: 1-2 blank, 3 header, 4 data, 5 blank, 6 empty cells, 7 data, 8 blank.
    assert list(extract.frame.index) == [4, 7]
    assert extract.rows_read == 2
    assert [p["row"] for p in problems_of(problems)] == [7]


def test_ragged_rows_are_reported_with_their_row_numbers(tmp_path: Path) -> None:
    text = (f"{HEADER}\n"
            "1,A,G1,01/04/2025\n"
            "2,A,G1\n"  # row 3: too few
            "3,A,G1,01/04/2025,extra\n"  # row 4: too many
            "4,A,G1,bad\n")  # row 5
    extract, problems = read_csv_text(tmp_path, text)
    found = problems_of(problems)
    ragged = [(p["row"], p["value"]) for p in found if p["rule"] == "ragged-row"]
    assert ragged == [(3, "2,A,G1"), (4, "3,A,G1,01/04/2025,extra")]
    messages = [p["message"] for p in found if p["rule"] == "ragged-row"]
    assert messages[0].startswith("this row has 3 field(s) but the header has 4")
    assert messages[1].startswith("this row has 5 field(s) but the header has 4")
    assert [p["row"] for p in found if p["rule"] == "bad-date"] == [5]
    assert list(extract.frame.index) == [2, 5]


def test_unterminated_quote_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    text = f'{HEADER}\n1,A,G1,01/04/2025\n2,"A,G1,01/04/2025\n3,A,G1,01/04/2025\n'
    extract, problems = read_csv_text(tmp_path, text)
    assert "ragged-row" in rules(problems)
    assert problems_of(problems)[0]["row"] == 3
    assert list(extract.frame.index) == [2]


def test_row_with_values_only_in_ignored_columns_counts_as_blank(tmp_path: Path) -> None:
    text = f"{HEADER},notes\n1,A,G1,01/04/2025,\n,,,,Total: 1 person\n"
    extract, problems = read_csv_text(tmp_path, text)
    assert not problems
    assert list(extract.frame.index) == [2]
    assert extract.frame.index.name == "row"


def test_header_only_file_without_final_newline(tmp_path: Path) -> None:
    extract, problems = read_csv_text(tmp_path, "case_id,staff_id,start_date", name="disciplinary")
    assert not problems
    assert extract.rows_read == 0
    assert list(extract.frame.columns) == ["case_id", "staff_id", "start_date"]


# ---------------------------------------------------------------------------
# encodings


def test_utf8_with_bom(tmp_path: Path) -> None:
    text = f"{HEADER}\n1,Zoë’s group,G1,01/04/2025\n"
    extract, problems = read_csv_text(tmp_path, text, encoding="utf-8-sig")
    assert not problems  # the BOM is not part of the first header
    assert extract.frame.loc[2, "ethnicity"] == "Zoë’s group"


def test_windows_1252_is_detected(tmp_path: Path) -> None:
    text = f"{HEADER},service\n1,Zoë,G1,01/04/2025,£ budget – “core”\n"
    extract, problems = read_csv_text(tmp_path, text, encoding="cp1252")
    assert not problems
    assert extract.frame.loc[2, "ethnicity"] == "Zoë"
    assert extract.frame.loc[2, "service"] == "£ budget – “core”"


def test_encoding_hint(tmp_path: Path) -> None:
    text = f"{HEADER}\n1,Zoë,G1,01/04/2025\n"
    config = Config(files={"workforce": FileHints(encoding="utf-16")})
    extract, problems = read_csv_text(tmp_path, text, config, encoding="utf-16")
    assert not problems
    assert extract.frame.loc[2, "ethnicity"] == "Zoë"


def test_bytes_that_are_neither_utf8_nor_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "workforce.csv"
    path.write_bytes(f"{HEADER}\n1,A,G1,01/04/2025\n2,\x81,G1,01/04/2025\n".encode("latin-1"))
    extract, problems = read_extract("workforce", path, Config())
    assert extract is None
    [problem] = problems_of(problems)
    assert problem["rule"] == "bad-encoding"
    assert "0x81" in problem["message"] and "line 3" in problem["message"]


def test_hinted_encoding_that_does_not_fit(tmp_path: Path) -> None:
    config = Config(files={"workforce": FileHints(encoding="ascii")})
    extract, problems = read_csv_text(tmp_path, f"{HEADER}\n1,Zoë,G1,01/04/2025\n", config)
    assert extract is None
    assert rules(problems) == ["bad-encoding"]


def test_unknown_encoding_or_bad_delimiter_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "workforce.csv", f"{HEADER}\n")
    with pytest.raises(ConfigError, match="encoding"):
        read_extract("workforce", path, Config(files={"workforce": FileHints(encoding="nope")}))
    with pytest.raises(ConfigError, match="delimiter"):
        read_extract("workforce", path, Config(files={"workforce": FileHints(delimiter=";;")}))


def test_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "workforce.csv"
    path.write_bytes(f"{HEADER}\n1,A\x00,G1,01/04/2025\n".encode())
    extract, problems = read_extract("workforce", path, Config())
    assert extract is None
    [problem] = problems_of(problems)
    assert problem["file"] == "workforce.csv"
    assert "contains NUL bytes: not a text CSV" in problem["message"]


def test_utf16_without_hint_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "workforce.csv", f"{HEADER}\n1,A,G1,01/04/2025\n", "utf-16")
    extract, problems = read_extract("workforce", path, Config())
    assert extract is None
    assert "UTF-16" in problems_of(problems)[0]["message"]


# ---------------------------------------------------------------------------
# headers


def test_header_mapping_ignores_case_and_surrounding_spaces(tmp_path: Path) -> None:
    text = ("  employee NUMBER , ETHNICITY ,Pay Grade,Start Date,Name\n"
            "E1,Asian,G1,01/04/2025,Zoë\n")
    config = Config(columns={"workforce": {"staff_id": "Employee Number", "grade": "pay grade ",
                                           "start_date": "start date"}})
    extract, problems = read_csv_text(tmp_path, text, config)
    assert not problems
    assert list(extract.frame.columns) == ["staff_id", "ethnicity", "grade", "start_date"]
    assert extract.columns_found == {"staff_id": "  employee NUMBER ", "ethnicity": " ETHNICITY ",
                                     "grade": "Pay Grade", "start_date": "Start Date"}
    assert extract.frame.loc[2, "staff_id"] == "E1"


def test_missing_required_column(tmp_path: Path) -> None:
    config = Config(columns={"workforce": {"grade": "Pay Band"}})
    extract, problems = read_csv_text(tmp_path, "staff_id,ethnicity,Band,start_date\n"
                                                "1,A,G1,01/04/2025\n", config)
    [problem] = problems_of(problems)
    assert (problem["rule"], problem["column"], problem["row"]) == ("missing-column", "grade",
                                                                    None)
    assert "'Pay Band'" in problem["message"]  # the header looked for: the mapped one
    assert "'staff_id', 'ethnicity', 'Band', 'start_date'" in problem["message"]
    # The rest of the file is still read, so its other problems are found in the same run.
    assert list(extract.frame.columns) == ["staff_id", "ethnicity", "start_date"]


def test_missing_required_column_suggests_a_close_header(tmp_path: Path) -> None:
    _, problems = read_csv_text(tmp_path, "staff_id,ethnicity,grade,Start Date\n1,A,G1,x\n")
    [problem] = problems_of(problems)
    assert "did you mean 'Start Date'?" in problem["message"]


def test_mapped_header_absent_for_optional_column(tmp_path: Path) -> None:
    config = Config(columns={"workforce": {"end_date": "Leaving Date"}})
    _, problems = read_csv_text(tmp_path, f"{HEADER}\n1,A,G1,01/04/2025\n", config)
    [problem] = problems_of(problems)
    assert (problem["rule"], problem["column"]) == ("missing-mapped-column", "end_date")
    assert "'Leaving Date'" in problem["message"]


def test_unmapped_optional_column_absent_is_fine(tmp_path: Path) -> None:
    extract, problems = read_csv_text(tmp_path, f"{HEADER}\n1,A,G1,01/04/2025\n")
    assert not problems
    assert "end_date" not in extract.frame.columns


def test_two_headers_for_one_column(tmp_path: Path) -> None:
    text = f"{HEADER}, Grade \n1,A,G1,01/04/2025,G2\n"
    extract, problems = read_csv_text(tmp_path, text)
    [problem] = problems_of(problems)
    assert (problem["rule"], problem["column"]) == ("duplicate-column", "grade")
    assert "column 3" in problem["message"] and "column 5" in problem["message"]
    assert "grade" not in extract.frame.columns


# ---------------------------------------------------------------------------
# XLSX


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def test_xlsx_date_cells_numeric_ids_and_booleans(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "workforce.xlsx", {"Staff": [
        ["Staff ID", "Ethnicity", "Grade", "Start Date", "End Date", "Senior Manager"],
        [1234, "White British", 7, dt.date(2025, 4, 1), None, True],
        [1235.0, " Asian ", "G2", dt.datetime(2024, 1, 2), "31/03/2026", "no"],
        ["A-9", None, 12.5, "02/01/2024", dt.datetime(2025, 6, 1, 14, 30), 1],
        [None, None, None, None, None, None],
        [77, "Black", "G3", 45000, None, "maybe"],
    ]})
    config = Config(columns={"workforce": {"staff_id": "staff id", "start_date": "start date",
                                           "end_date": "end date",
                                           "senior_manager": "senior manager"}})
    extract, problems = read_extract("workforce", path, config)
    frame = extract.frame
    assert list(frame.index) == [2, 3, 4, 6]  # row 5 is blank: skipped, numbers kept
    assert frame["staff_id"].tolist() == ["1234", "1235", "A-9", "77"]
    assert frame["grade"].tolist() == ["7", "G2", "12.5", "G3"]
    assert frame.loc[3, "ethnicity"] == "Asian"
    assert pd.isna(frame.loc[4, "ethnicity"])
    assert frame["start_date"].tolist()[:3] == [pd.Timestamp(2025, 4, 1), pd.Timestamp(2024, 1, 2),
                                                pd.Timestamp(2024, 1, 2)]
    assert frame.loc[3, "end_date"] == pd.Timestamp(2026, 3, 31)
    assert frame["senior_manager"].tolist()[:3] == [True, False, True]
    found = {(p["row"], p["column"], p["rule"]): p for p in problems_of(problems)}
    assert set(found) == {(6, "start_date", "bad-date"), (6, "senior_manager", "bad-yes-no")}
    assert frame.loc[4, "end_date"] == pd.Timestamp(2025, 6, 1)  # a date-time cell: its day
    assert "not a date" in found[(6, "start_date", "bad-date")]["message"]  # a bare serial number
    assert extract.rows_read == 4


def test_xlsx_sheet_hint_and_header_below_the_top(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "workforce.xlsx", {
        "Notes": [["read me"]],
        "Staff": [[], [], [None, *HEADER.split(",")], [None, 1, "A", "G1", "bad"]],
    })
    config = Config(files={"workforce": FileHints(sheet="staff")})
    extract, problems = read_extract("workforce", path, config)
    # Header on spreadsheet row 3, so the first data row is row 4.
    assert list(extract.frame.index) == [4]
    assert [(p["row"], p["column"]) for p in problems_of(problems)] == [(4, "start_date")]


def test_xlsx_first_sheet_by_default_and_missing_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "workforce.xlsx", {
        "First": [HEADER.split(","), [1, "A", "G1", dt.date(2025, 4, 1)]],
        "Second": [["x"]],
    })
    extract, problems = read_extract("workforce", path, Config())
    assert not problems and extract.rows_read == 1
    config = Config(files={"workforce": FileHints(sheet="Staff")})
    extract, problems = read_extract("workforce", path, config)
    assert extract is None
    [problem] = problems_of(problems)
    assert problem["rule"] == "missing-sheet"
    assert "'First', 'Second'" in problem["message"]


@pytest.mark.parametrize("content", [
    f"{HEADER}\n1,A,G1,01/04/2025\n".encode(),  # a CSV renamed .xlsx
    bytes(range(256)) * 8,  # random bytes
])
def test_xlsx_that_is_not_a_workbook(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "workforce.xlsx"
    path.write_bytes(content)
    extract, problems = read_extract("workforce", path, Config())
    assert extract is None
    [problem] = problems_of(problems)
    assert problem["file"] == "workforce.xlsx"
    assert problem["rule"] == "not-a-workbook"


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "workforce.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    extract, problems = read_extract("workforce", path, Config())
    assert extract is None
    assert problems_of(problems)[0]["file"] == "workforce.xlsx"


class FakePanic(BaseException):
    """Like pyo3's PanicException: derives from BaseException, not Exception."""


def test_calamine_panic_becomes_a_problem(tmp_path: Path, monkeypatch) -> None:
    import python_calamine

    def panic(*args: object, **kwargs: object) -> None:
        raise FakePanic("rust panicked")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", panic)
    path = write_xlsx(tmp_path / "workforce.xlsx", {"S": [HEADER.split(",")]})
    extract, problems = read_extract("workforce", path, Config())
    assert extract is None
    [problem] = problems_of(problems)
    assert "workforce.xlsx" in problem["message"] and "rust panicked" in problem["message"]


def test_keyboard_interrupt_is_not_swallowed(tmp_path: Path, monkeypatch) -> None:
    def interrupt(values: pd.Series) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(convert, "parse_dates", interrupt)
    path = write(tmp_path, "workforce.csv", f"{HEADER}\n1,A,G1,01/04/2025\n")
    with pytest.raises(KeyboardInterrupt):
        read_extract("workforce", path, Config())


def test_unexpected_library_error_becomes_a_problem_naming_the_file(tmp_path: Path,
                                                                    monkeypatch) -> None:
    def broken(values: pd.Series) -> None:
        raise RuntimeError("library bug")

    monkeypatch.setattr(convert, "parse_dates", broken)
    path = write(tmp_path, "workforce.csv", f"{HEADER}\n1,A,G1,01/04/2025\n")
    extract, problems = read_extract("workforce", path, Config())
    assert extract is None
    [problem] = problems_of(problems)
    assert (problem["file"], problem["rule"]) == ("workforce.csv", "unreadable-file")
    assert "RuntimeError: library bug" in problem["message"]


# ---------------------------------------------------------------------------
# Parquet


def test_parquet_typed_columns(tmp_path: Path) -> None:
    table = pa.table({
        "Staff ID": pa.array([1001, 1002, None, 1004], pa.int64()),
        "ethnicity": pa.array(["White", " Asian ", None, "Black"]),
        "grade": pa.array(["G1", "G2", "G3", "G4"]).dictionary_encode(),
        "start_date": pa.array([dt.date(2025, 4, 1), dt.date(2024, 1, 2), None,
                                dt.date(2020, 1, 1)], pa.date32()),
        "end_date": pa.array([None, dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1, 9),
                              None], pa.timestamp("us")),
        "senior_manager": pa.array([True, False, None, True]),
        "registered_professional": pa.array([1, 0, 2, None], pa.int8()),
        "staff_group": pa.array([1.0, 2.5, None, 3.0]),
    })
    path = tmp_path / "workforce.parquet"
    pq.write_table(table, path)
    config = Config(columns={"workforce": {"staff_id": "staff id"}})
    extract, problems = read_extract("workforce", path, config)
    frame = extract.frame
    assert list(frame.index) == [1, 2, 3, 4]  # record numbers from 1
    assert frame["staff_id"].tolist()[:2] == ["1001", "1002"]
    assert pd.isna(frame.loc[3, "staff_id"])
    assert frame.loc[2, "ethnicity"] == "Asian"
    assert frame["grade"].tolist() == ["G1", "G2", "G3", "G4"]
    assert frame.loc[1, "start_date"] == pd.Timestamp(2025, 4, 1)
    assert frame.loc[2, "end_date"] == pd.Timestamp(2026, 1, 1)
    assert frame["senior_manager"].tolist()[:2] == [True, False]
    assert frame["registered_professional"].tolist()[:2] == [True, False]
    assert frame["staff_group"].tolist()[:2] == ["1", "2.5"]
    assert str(frame["start_date"].dtype) == "datetime64[ns]"
    assert str(frame["senior_manager"].dtype) == "boolean"
    found = sorted((p["row"], p["column"], p["rule"]) for p in problems_of(problems))
    assert found == [(3, "registered_professional", "bad-yes-no")]
    assert frame.loc[3, "end_date"] == pd.Timestamp(2026, 1, 1)  # 09:00 that day: the day


def test_parquet_string_dates_parsed_like_csv(tmp_path: Path) -> None:
    table = pa.table({"staff_id": ["1", "2"], "ethnicity": ["A", "B"], "grade": ["G1", "G1"],
                      "start_date": ["01/04/2025", "2025-02-30"]})
    path = tmp_path / "workforce.parquet"
    pq.write_table(table, path)
    extract, problems = read_extract("workforce", path, Config())
    assert extract.frame.loc[1, "start_date"] == pd.Timestamp(2025, 4, 1)
    assert [(p["row"], p["value"]) for p in problems_of(problems)] == [(2, "2025-02-30")]


def test_parquet_float_ids_lose_the_point_zero(tmp_path: Path) -> None:
    # pandas writes an integer column with gaps as float64.
    frame = pd.DataFrame({"staff_id": [1.0, np.nan, 3.0], "ethnicity": ["A", "B", "C"],
                          "grade": ["G1"] * 3, "start_date": pd.to_datetime(["2025-04-01"] * 3)})
    path = tmp_path / "workforce.parquet"
    frame.to_parquet(path)
    extract, problems = read_extract("workforce", path, Config())
    assert not problems
    assert extract.frame["staff_id"].tolist()[::2] == ["1", "3"]
    assert list(extract.frame.index) == [1, 2, 3]


def test_corrupt_parquet(tmp_path: Path) -> None:
    good = io.BytesIO()
    pq.write_table(pa.table({"staff_id": ["1"]}), good)
    path = tmp_path / "workforce.parquet"
    path.write_bytes(good.getvalue()[:40] + b"\xff" * 40 + good.getvalue()[80:])
    extract, problems = read_extract("workforce", path, Config())
    assert extract is None
    assert problems_of(problems)[0]["file"] == "workforce.parquet"


# ---------------------------------------------------------------------------
# garbage of every format never raises


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_random_bytes_are_a_problem_not_a_crash(tmp_path: Path, suffix: str) -> None:
    rng = np.random.default_rng(7)
    path = tmp_path / f"workforce{suffix}"
    path.write_bytes(rng.integers(0, 256, 5000, dtype=np.uint8).tobytes())
    extract, problems = read_extract("workforce", path, Config())
    assert extract is None
    assert problems_of(problems)[0]["file"] == f"workforce{suffix}"


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(min_size=1, max_size=600)
       | st.text(alphabet=',;\t"\n\r ab1/\x00é', min_size=1, max_size=300).map(str.encode),
       suffix=st.sampled_from([".csv", ".csv", ".xlsx", ".parquet"]))
def test_fuzz_random_bytes_never_raise(tmp_path: Path, content: bytes, suffix: str) -> None:
    path = tmp_path / f"workforce{suffix}"
    path.write_bytes(content)
    extract, problems = read_extract("workforce", path, Config())
    # A workforce file without the required headers can never be clean.
    assert problems
    assert set(problems.to_frame()["file"]) == {path.name}
    assert extract is None or isinstance(extract.frame, pd.DataFrame)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.text(alphabet='ab ,"\n;', max_size=6), min_size=1,
                              max_size=6), max_size=8))
def test_fuzz_csv_row_numbers_stay_within_the_file(tmp_path: Path,
                                                   rows: list[list[str]]) -> None:
    lines = [HEADER] + [",".join(r) for r in rows]
    path = write(tmp_path, "workforce.csv", "\n".join(lines) + "\n")
    extract, problems = read_extract("workforce", path, Config())
    numbers = problems.to_frame()["row"].dropna().tolist()
    if extract is not None:
        numbers += list(extract.frame.index)
    # No row number can exceed the number of physical lines.
    assert all(2 <= n <= len("\n".join(lines).split("\n")) for n in numbers)


# ---------------------------------------------------------------------------
# the folder


def test_extract_files_matches_names_case_insensitively(tmp_path: Path) -> None:
    write(tmp_path, "WORKFORCE.CSV", HEADER)
    write(tmp_path, "Recruitment.Parquet", "x")
    write(tmp_path, "notes.txt", "x")
    write(tmp_path, "workforce_old.csv", "x")
    write(tmp_path, "survey.json", "x")
    (tmp_path / "training.csv").mkdir()
    found, problems = extract_files(tmp_path)
    files = found.files
    assert not problems
    assert files == {"workforce": tmp_path / "WORKFORCE.CSV",
                     "recruitment": tmp_path / "Recruitment.Parquet"}


def test_two_files_for_one_extract(tmp_path: Path) -> None:
    write(tmp_path, "workforce.csv", f"{HEADER}\n1,A,G1,01/04/2025\n")
    write_xlsx(tmp_path / "Workforce.xlsx", {"S": [HEADER.split(",")]})
    extracts, problems = read_extracts(tmp_path, Config())
    assert extracts == {}
    [problem] = problems_of(problems)  # and no "missing-workforce" on top
    assert problem["rule"] == "duplicate-file"
    assert "Workforce.xlsx" in problem["file"] and "workforce.csv" in problem["file"]


def test_missing_workforce(tmp_path: Path) -> None:
    write(tmp_path, "disciplinary.csv", "case_id,staff_id,start_date\n1,2,01/04/2025\n")
    extracts, problems = read_extracts(tmp_path, Config())
    assert list(extracts) == ["disciplinary"]
    [problem] = problems_of(problems)
    assert problem["rule"] == "missing-workforce"
    assert "everyone employed" in problem["message"]


@pytest.mark.parametrize(("content", "suffix"), [
    (b"", ".csv"),
    (f"{HEADER}\n".encode(), ".csv"),
    (f"{HEADER}\n\n,,,\n".encode(), ".csv"),
    (b"\n\n  \n", ".csv"),
    (b"", ".xlsx"),
])
def test_empty_workforce(tmp_path: Path, content: bytes, suffix: str) -> None:
    (tmp_path / f"workforce{suffix}").write_bytes(content)
    _, problems = read_extracts(tmp_path, Config())
    [problem] = problems_of(problems)
    assert problem["rule"] == "empty-extract"
    assert "everyone employed" in problem["message"]


def test_empty_sheet_workforce(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "workforce.xlsx", {"S": []})
    _, problems = read_extracts(tmp_path, Config())
    assert rules(problems) == ["empty-extract"]


def test_header_only_event_extract_is_zero_rows_not_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "workforce.csv", f"{HEADER}\n1,A,G1,01/04/2025\n")
    write(tmp_path, "disciplinary.csv", "case_id,staff_id,start_date\n")
    extracts, problems = read_extracts(tmp_path, Config())
    assert not problems
    assert extracts["disciplinary"].rows_read == 0
    assert extracts["workforce"].rows_read == 1


def test_missing_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        read_extracts(tmp_path / "nope", Config())


def test_read_extracts_collects_problems_of_every_file(tmp_path: Path) -> None:
    write(tmp_path, "workforce.csv", f"{HEADER}\n1,A,G1,2025-04-31\n")
    write(tmp_path, "recruitment.csv",
          "application_id,ethnicity,shortlisted,appointed,application_date\n"
          "R1,A,yes,perhaps,01/05/2025\n")
    extracts, problems = read_extracts(tmp_path, Config())
    assert sorted(extracts) == ["recruitment", "workforce"]
    found = sorted((p["file"], p["row"], p["column"], p["rule"]) for p in problems_of(problems))
    assert found == [("recruitment.csv", 2, "appointed", "bad-yes-no"),
                     ("workforce.csv", 2, "start_date", "bad-date")]


# --------------------------------------------------------------------------- plain text


@pytest.mark.parametrize("content, plain", [
    (b"a,b\n1,2\n", True),                                   # ASCII
    (b"a,b\r\n1,2\r\n", True),                               # Windows line ends
    ("a,b\n1,Caf\u00e9 \u2013 x\n".encode(), True),          # UTF-8
    (b"\xef\xbb\xbfa,b\n1,2\n", True),                       # UTF-8 with a BOM
    ("a,b\n1,Caf\u00e9\n".encode("cp1252"), False),          # Excel's "CSV": re-encoded
    (b"a,b\n1,\x002\n", False),                              # a NUL byte: reported
    (b"a,b\n1,2", False),                                    # no line break at the end
    (b"", False),                                            # empty: reported
])
def test_which_csv_files_are_parsed_from_the_disk(tmp_path: Path, content: bytes,
                                                  plain: bool) -> None:
    path = tmp_path / "workforce.csv"
    path.write_bytes(content)
    assert csv_reader.plain_text(path) is plain


def test_a_character_split_between_chunks_is_still_utf8(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "_CHUNK", 8)
    text = "a,b\n1,\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\n".encode()  # 2-byte characters across 8s
    path = tmp_path / "workforce.csv"
    path.write_bytes(text)
    assert csv_reader.plain_text(path)
    path.write_bytes(text[:-2] + b"\xe9\n")  # a cp1252 byte at the end of a chunk
    assert not csv_reader.plain_text(path)


def test_from_the_disk_and_from_memory_read_alike(tmp_path: Path) -> None:
    # The same UTF-8 file, once parsed from the disk and once (as cp1252 would be)
    # from memory: the same frame and the same hash.
    text = ("Employee Number,Ethnic Origin,Grade,Start Date\n"
            "EMP-1,\"White: English, Welsh, Scottish, Northern Irish or British\",G1,01/04/2020\n"
            "EMP-2,\"Mixed: White and\nAsian\",G2,2021-05-06\n"
            "EMP-3,Caf\u00e9,G1,01/01/2022\n")
    path = tmp_path / "workforce.csv"
    path.write_bytes(text.encode())
    config = Config(columns={"workforce": {"staff_id": "Employee Number",
                                           "ethnicity": "Ethnic Origin", "grade": "Grade",
                                           "start_date": "Start Date"}})
    assert csv_reader.plain_text(path)
    from_disk, problems = readers.read_extract("workforce", path, config)
    assert problems.to_frame().empty
    in_memory_config = Config(columns=config.columns,
                              files={"workforce": FileHints(encoding="utf-8")})
    from_memory, _ = readers.read_extract("workforce", path, in_memory_config)
    pd.testing.assert_frame_equal(from_disk.frame, from_memory.frame)
    assert from_disk.sha256 == from_memory.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert from_disk.frame.loc[3, "ethnicity"] == "Mixed: White and\nAsian"
