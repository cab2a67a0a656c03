"""Every output of every command: the same input gives the same bytes, no
identifier leaves the tool, and spreadsheet outputs are formula-safe.

The commands run on a synthetic council of 300 staff (the sample generator's, with
every extract): its size adds nothing to what byte identity proves, and the
4,000-staff sample is computed elsewhere."""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from wres_cli.cli import app
from wres_cli.output import write_sample_folder

runner = CliRunner()
ENV = {"SOURCE_DATE_EPOCH": "1775000000", "COLUMNS": "200"}
IDENTIFIER = re.compile(rb"(EMP|APP|DIS|FTP|CPD|SRV)-\d{6}")


def invoke(*args: str) -> None:
    result = runner.invoke(app, list(args), env=ENV)
    assert result.exit_code == 0, result.stderr


def run_everything(council: Path, root: Path) -> None:
    """compute (two periods, all formats), report, trend and benchmark into ``root``."""
    for end in ("2025-12-31", "2026-03-31"):
        invoke("compute", str(council), "--out", str(root / end), "--period-end", end,
               "--format", "json,csv,parquet,xlsx", "-q")
    invoke("report", str(council), "--out", str(root / "report"), "-q")
    results = [str(root / end / "results.json") for end in ("2025-12-31", "2026-03-31")]
    invoke("report", *results, "--out", str(root / "report-trend"), "-q")
    invoke("trend", *results, "--out", str(root / "trend"), "-q")
    invoke("benchmark", str(root / "2026-03-31" / "counts.csv"), "--out",
           str(root / "benchmark"), "-q")


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("council") / "data"
    write_sample_folder(folder, staff=300, seed=19, fmt="csv")
    return folder


@pytest.fixture(scope="module")
def runs(council: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    run_everything(council, first)
    time.sleep(1.1)  # a wall-clock timestamp leaking into any file would now differ
    run_everything(council, second)
    return first, second


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_every_output_is_byte_identical(runs: tuple[Path, Path]) -> None:
    first, second = files(runs[0]), files(runs[1])
    assert sorted(first) == sorted(second)
    assert len(first) >= 30  # results x2 periods, counts, report + charts, trend, benchmark
    different = [name for name in first if first[name] != second[name]]
    assert different == []


@pytest.mark.slow
def test_no_identifier_in_any_output(council: Path, runs: tuple[Path, Path]) -> None:
    sample_ids = set()
    for name in ("workforce", "recruitment", "disciplinary", "training", "survey"):
        frame = pd.read_csv(council / f"{name}.csv", dtype=str, keep_default_na=False)
        sample_ids |= set(frame.iloc[:, 0])
    assert any(IDENTIFIER.fullmatch(i.encode()) for i in sample_ids)
    for name, data in files(runs[0]).items():
        assert not IDENTIFIER.search(data), name


def test_excel_output_neutralises_formulas(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "workforce.csv").write_text(
        "staff_id,ethnicity,grade,start_date\n"
        + "".join(f"S{i},{'A' if i % 2 else 'H'},@SUM(A1),2020-01-01\n" for i in range(40)),
        encoding="utf-8")
    invoke("compute", str(data), "--out", str(tmp_path / "o"), "--format", "json,xlsx", "-q")
    sheet = pd.read_excel(tmp_path / "o" / "results.xlsx", dtype=str, engine="calamine")
    assert "'@SUM(A1)" in set(sheet["level"])
    assert "@SUM(A1)" not in set(sheet["level"])
    assert pd.to_numeric(sheet["value"].dropna()).notna().all()  # numbers stay numbers


def test_errors_out_neutralises_formulas(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "workforce.csv").write_text("staff_id,ethnicity,grade,start_date\n"
                                        "S1,=cmd|'/C calc'!A0,G1,2020-01-01\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(data), "--errors-out",
                                 str(tmp_path / "problems.csv")], env=ENV)
    assert result.exit_code == 1
    with (tmp_path / "problems.csv").open(newline="", encoding="utf-8") as handle:
        (problem,) = list(csv.DictReader(handle))
    assert problem["value"] == "'=cmd|'/C calc'!A0"
    assert problem["row"] == "2"
