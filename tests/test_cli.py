"""The installed command end to end: exit codes, messages, nothing written on error."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import (
    HR_DISCIPLINARY,
    HR_RECRUITMENT,
    HR_WORKFORCE,
    SAMPLE,
    WIDE,
    run,
    snapshot,
)


def errors(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("wres ")
    code, out, _ = run("--help")
    assert code == 0 and "validate" in out and "compute" in out


def test_hr_style_folder_validates(hr_folder: Callable[..., Path], tmp_path: Path) -> None:
    folder = hr_folder()
    problems = tmp_path / "problems.csv"
    code, out, err = run("validate", str(folder), "--errors-out", str(problems))
    assert code == 0, err
    assert out == ""  # nothing but requested data on stdout
    assert "valid" in err and "workforce" in err
    assert errors(problems) == []


def test_sample_data_validates() -> None:
    code, _, err = run("validate", str(SAMPLE))
    assert code == 0, err


# Each case: files to replace, the exit code, the file named, and (row, column, value)
# expected in --errors-out (None when the problem is about the whole file or config).
BAD_WORKFORCE_ROW = "EMP-000009,A,G1,{start},{end},N,North\n"
CASES: dict[str, tuple[dict[str, str | bytes | None], list[str], int, str,
                       tuple[str, str, str] | None]] = {
    "impossible date": (
        {"workforce__csv": HR_WORKFORCE + BAD_WORKFORCE_ROW.format(start="31/02/2025", end="")},
        [], 1, "workforce.csv", ("10", "start_date", "31/02/2025")),
    "month-first date": (
        {"workforce__csv": HR_WORKFORCE + BAD_WORKFORCE_ROW.format(start="13/13/2024", end="")},
        [], 1, "workforce.csv", ("10", "start_date", "13/13/2024")),
    "unknown ethnicity": (
        {"workforce__csv": HR_WORKFORCE + "EMP-000009,Martian,G1,01/01/2020,,N,North\n"},
        [], 1, "workforce.csv", ("10", "ethnicity", "Martian")),
    "appointed but not shortlisted": (
        {"recruitment__csv": HR_RECRUITMENT + "APP-000006,A,N,Y,06/05/2025,G1\n"},
        [], 1, "recruitment.csv", ("7", "appointed", None)),
    "duplicate id": (
        {"recruitment__csv": HR_RECRUITMENT + "APP-000001,A,N,N,06/05/2025,G1\n"},
        [], 1, "recruitment.csv", ("7", "application_id", "APP-000001")),
    "event for unknown staff": (
        {"disciplinary__csv": HR_DISCIPLINARY + "DIS-000003,EMP-999999,01/08/2025\n"},
        [], 1, "disciplinary.csv", ("4", "staff_id", "EMP-999999")),
    "end before start": (
        {"workforce__csv": HR_WORKFORCE + BAD_WORKFORCE_ROW.format(start="01/05/2025",
                                                                    end="01/04/2025")},
        [], 1, "workforce.csv", ("10", "end_date", None)),
    "bad boolean": (
        {"recruitment__csv": HR_RECRUITMENT + "APP-000006,A,maybe,N,06/05/2025,G1\n"},
        [], 1, "recruitment.csv", ("7", "shortlisted", "maybe")),
    "missing required column": (
        {"disciplinary__csv": "Case Ref,Employee No\nDIS-000001,EMP-000002\n"},
        [], 1, "disciplinary.csv", None),
    "missing workforce": ({"workforce__csv": None}, [], 1, "workforce", None),
    "empty workforce": ({"workforce__csv": ""}, [], 1, "workforce.csv", None),
    "header-only workforce": (
        {"workforce__csv": HR_WORKFORCE.splitlines()[0] + "\n"}, [], 1, "workforce.csv", None),
    "binary garbage": (
        {"workforce__csv": bytes(range(256)) * 8}, [], 1, "workforce.csv", None),
    "ragged row": (
        {"workforce__csv": HR_WORKFORCE + "EMP-000009,A,G1\n"}, [], 1, "workforce.csv", None),
    "unreadable wres.toml": ({"wres__toml": "organisation = [unclosed\n"}, [], 2, "wres.toml",
                             None),
    "period end before start": (
        {}, ["--period-start", "2026-01-01", "--period-end", "2025-01-01"], 2, "2025-01-01",
        None),
    "blank id": (
        {"recruitment__csv": HR_RECRUITMENT + ",A,N,N,06/05/2025,G1\n"},
        [], 1, "recruitment.csv", ("7", "application_id", None)),
    "xlsx that is not a workbook": (
        {"recruitment__csv": None, "recruitment__xlsx": HR_RECRUITMENT}, [], 1,
        "recruitment.xlsx", None),
    "NUL bytes": (
        {"workforce__csv": HR_WORKFORCE.encode() + b"EMP-\x00000009,A,G1,01/01/2020,,N,N\n"},
        [], 1, "workforce.csv", None),
    "two files for one extract": (
        {"recruitment__xlsx": b"PK\x03\x04"}, [], 1, "recruitment", None),
    "unknown key in wres.toml": (
        {"wres__toml": "organisaton = 'x'\n"}, [], 2, "organisation", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["validate", "compute"])
def test_bad_input_is_named_and_writes_nothing(
    case: str, command: str, hr_folder: Callable[..., Path], tmp_path: Path,
) -> None:
    files, flags, expected_code, named, cell = CASES[case]
    folder = hr_folder(**files)
    before = snapshot(folder)
    out = tmp_path / "out"
    problems = tmp_path / "problems.csv"
    args = [command, str(folder), *flags]
    args += ["--out", str(out)] if command == "compute" else ["--errors-out", str(problems)]
    code, stdout, stderr = run(*args)
    assert code == expected_code, stderr
    assert "Traceback" not in stderr + stdout
    assert named in stderr
    assert snapshot(folder) == before
    assert not out.exists()
    if cell is not None and command == "validate":
        row, column, value = cell
        found = [p for p in errors(problems) if p["row"] == row and p["column"] == column]
        assert found, errors(problems)
        if value is not None:
            assert found[0]["value"] == value


def test_debug_shows_a_traceback(hr_folder: Callable[..., Path]) -> None:
    folder = hr_folder(wres__toml="organisation = [unclosed\n")
    code, _, stderr = run("validate", str(folder), "--debug")
    assert code == 2
    assert "Traceback" in stderr


def test_missing_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run("validate", str(tmp_path / "nope"))
    assert code == 2 and "does not exist" in stderr


def test_unknown_option_is_a_usage_error(hr_folder: Callable[..., Path]) -> None:
    code, _, _ = run("validate", str(hr_folder()), "--frobnicate")
    assert code == 2


def test_init_writes_config_and_templates(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "new"))
    assert code == 0, err
    assert (tmp_path / "new" / "wres.toml").is_file()
    assert (tmp_path / "new" / "workforce.csv").read_text().startswith("staff_id")
    code, _, err = run("init", str(tmp_path / "new"))
    assert code == 2 and "--force" in err
    # The folder init wrote is a data folder: validate finds its config there (it says
    # the header-only workforce has no rows, not that the columns cannot be found).
    code, _, err = run("validate", str(tmp_path / "new"))
    assert code == 1, err
    assert "no data rows" in err and "required column" not in err


def test_sample_command_writes_a_valid_council(tmp_path: Path) -> None:
    code, _, err = run("sample", "--out", str(tmp_path / "s"), "--staff", "400", "--seed", "7")
    assert code == 0, err
    code, _, err = run("validate", str(tmp_path / "s"))
    assert code == 0, err


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_sample_in_other_formats_validates(fmt: str, tmp_path: Path) -> None:
    code, _, err = run("sample", "--out", str(tmp_path / fmt), "--staff", "300", "--format", fmt)
    assert code == 0, err
    code, _, err = run("validate", str(tmp_path / fmt))
    assert code == 0, err


def test_installed_command_as_a_subprocess(hr_folder: Callable[..., Path]) -> None:
    folder = hr_folder(workforce__csv=HR_WORKFORCE + "EMP-000009,Martian,G1,01/01/2020,,N,N\n")
    env = {**os.environ, **WIDE}
    result = subprocess.run([sys.executable, "-m", "wres_cli", "validate", str(folder)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Martian" in result.stderr and "workforce.csv" in result.stderr
    assert "Traceback" not in result.stderr
