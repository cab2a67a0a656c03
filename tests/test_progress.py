"""Progress reporting and the national-scale plumbing (issue 6): the progress
callback, the terminal-only display, files read in parallel giving the same
answer as one at a time, and low-cardinality text kept categorical."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.helpers import SAMPLE
from wres_cli import api, cli
from wres_cli.cli import app
from wres_cli.config import Config
from wres_cli.io import readers

runner = CliRunner()


class Recorder:
    """A thread-safe progress callback that keeps every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []
        self.lock = threading.Lock()

    def __call__(self, step: str, done: int, total: int) -> None:
        with self.lock:
            self.calls.append((step, done, total))

    def steps(self) -> list[str]:
        return list(dict.fromkeys(step for step, _, _ in self.calls))


def test_compute_reports_each_step_start_and_end(sample_results: Any) -> None:
    progress = Recorder()
    with_progress = api.compute(SAMPLE, progress=progress)
    steps = progress.steps()
    files = sorted(p.name for p in SAMPLE.iterdir() if p.suffix == ".csv")
    assert sorted(s for s in steps if s.startswith("reading ")) == [f"reading {f}" for f in files]
    # Linking staff ids runs on a thread of its own, beside classifying and checking.
    assert [s for s in steps if not s.startswith("reading ") and s != "linking staff ids"] == [
        "classifying ethnicity", "checking every rule", "preparing", "counting", "measuring",
        "measuring the pay gap",  # the sample has pay.csv
        "withholding small numbers"]  # last: it sees every figure the run publishes
    assert "linking staff ids" in steps
    for step in steps:  # each starts at 0 and ends at its total
        calls = [(done, total) for s, done, total in progress.calls if s == step]
        assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] > 0
    size = (SAMPLE / "workforce.csv").stat().st_size
    assert ("reading workforce.csv", size, size) in progress.calls  # reading counts bytes
    without = sample_results  # api.compute(SAMPLE), once for the session (conftest)
    pd.testing.assert_frame_equal(with_progress.results, without.results)


def test_validate_takes_a_progress_callback_too(hr_folder: Callable[..., Path]) -> None:
    progress = Recorder()
    report = api.validate(hr_folder(), progress=progress)
    assert report.ok
    assert "checking every rule" in progress.steps()


def test_no_progress_display_off_a_terminal_or_when_quiet(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with cli._progress(quiet=True) as progress:
        assert progress is None
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    with cli._progress(quiet=False) as progress:
        assert progress is None


def test_progress_display_on_a_terminal_draws_to_stderr(
        monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    stream.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stderr", stream)
    with cli._progress(quiet=False) as progress:
        assert progress is not None
        progress("reading workforce.csv", 0, 5_000_000)
        progress("reading workforce.csv", 5_000_000, 5_000_000)
        progress("counting", 0, 1)
        progress("counting", 1, 1)
    assert "reading workforce.csv (5 MB)" in stream.getvalue()


def test_cli_prints_no_progress_when_stderr_is_not_a_terminal(
        hr_folder: Callable[..., Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["compute", str(hr_folder()), "--out", str(tmp_path / "out")],
                           env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "reading " not in result.stderr and "counting" not in result.stderr


def test_parallel_reading_matches_one_at_a_time(hr_folder: Callable[..., Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Problems in three files, so the order they are collected in shows.
    folder = hr_folder(
        workforce__csv=("Employee Number,Ethnic Origin,Grade,Start Date\n"
                        "E1,A,G1,31/02/2020\nE1,Martian,G2,01/01/2020\n"),
        recruitment__csv=("Applicant Ref,Ethnic Group,Shortlisted,Appointed,Date Applied\n"
                          "A1,A,maybe,N,01/05/2025\n"),
        disciplinary__csv="Case Ref,Employee No,Case Opened\nD1,E9,2025-13-01\n")
    config = api._config(None, folder)
    parallel = readers.read_extracts(folder, config)
    monkeypatch.setattr(readers, "_MAX_READERS", 1)
    serial = readers.read_extracts(folder, config)
    assert list(parallel[0]) == list(serial[0]) == ["workforce", "recruitment", "disciplinary"]
    pd.testing.assert_frame_equal(parallel[1].to_frame(), serial[1].to_frame())
    for name in parallel[0]:
        pd.testing.assert_frame_equal(parallel[0][name].frame, serial[0][name].frame)
    assert len(parallel[1].to_frame()) >= 3


def test_text_columns_are_categorical_ids_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "workforce.csv"
    path.write_text("staff_id,ethnicity,grade,start_date,service\n"
                    " 001 , White British ,G1,01/04/2025, Adults\n"
                    "002,White British,G1 ,01/04/2025,\n", encoding="utf-8")
    extract, problems = readers.read_extract("workforce", path, Config())
    assert not problems
    frame = extract.frame
    assert pd.api.types.is_string_dtype(frame["staff_id"].dtype)
    assert frame["staff_id"].tolist() == ["001", "002"]
    for column in ("ethnicity", "grade", "service"):
        assert isinstance(frame[column].dtype, pd.CategoricalDtype), column
    # Spellings differing only by surrounding spaces are one category; the header
    # (read as a value by the CSV parser) is not a category.
    assert list(frame["grade"].cat.categories) == ["G1"]
    assert frame["service"].tolist()[0] == "Adults" and pd.isna(frame["service"].iloc[1])


def test_staff_ids_are_shared_categoricals_after_validation(
        hr_folder: Callable[..., Path]) -> None:
    report = api.validate(hr_folder())
    workforce = report._prepared.frames["workforce"]["staff_id"]
    disciplinary = report._prepared.frames["disciplinary"]["staff_id"]
    assert workforce.cat.categories is disciplinary.cat.categories
    assert disciplinary.tolist() == ["EMP-000002", "EMP-000003"]


def test_report_from_a_folder_reports_the_computation_and_the_drawing(
        hr_folder: Callable[..., Path], tmp_path: Path) -> None:
    from wres_cli.reporting import write_report

    progress = Recorder()
    write_report([hr_folder()], tmp_path / "report", progress=progress)
    steps = progress.steps()
    assert "counting" in steps and "measuring" in steps
    assert steps[-1] == "drawing the report"
    assert ("drawing the report", 1, 1) in progress.calls


def test_report_from_results_reports_only_the_drawing(sample_out: Path, tmp_path: Path) -> None:
    from wres_cli.reporting import write_report

    progress = Recorder()
    write_report([sample_out / "results.json"], tmp_path / "report", progress=progress)
    assert progress.steps() == ["drawing the report"]


def test_cli_report_prints_no_progress_when_stderr_is_not_a_terminal(
        hr_folder: Callable[..., Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(hr_folder()), "--out", str(tmp_path / "out")],
                           env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "counting" not in result.stderr and "drawing" not in result.stderr
    assert (tmp_path / "out" / "report.html").exists()
