"""Output serialisation (contracts §3): CSV cells, JSON empties, atomic folders."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from wres_cli.errors import UsageError
from wres_cli.io.writers import (
    csv_cell,
    frame_records,
    frame_to_csv_text,
    json_text,
    neutralise,
    output_folder,
)


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_prefixed(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert csv_cell(text) == "'" + text


def test_numbers_stay_numbers() -> None:
    assert csv_cell(-0.25) == "-0.25"
    assert csv_cell(-3) == "-3"
    assert csv_cell(0.1 + 0.2) == "0.30000000000000004"  # repr, never rounded


def test_empties_and_booleans() -> None:
    assert [csv_cell(v) for v in (None, pd.NA, float("nan"), True, False)] == [
        "", "", "", "true", "false"]


def test_csv_text_round_trip() -> None:
    frame = pd.DataFrame({
        "indicator": ["2", "3"],
        "numerator": pd.array([12, None], dtype="Int64"),
        "value": [1 / 3, math.nan],
        "significant": pd.array([True, None], dtype="boolean"),
        "note": ["=cmd|' /C calc'!A0", None],
    })
    text = frame_to_csv_text(frame)
    assert "\r" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["indicator", "numerator", "value", "significant", "note"]
    assert rows[1] == ["2", "12", repr(1 / 3), "true", "'=cmd|' /C calc'!A0"]
    assert rows[2] == ["3", "", "", "", ""]


def test_json_nulls_and_plain_numbers() -> None:
    frame = pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "v": [0.5, math.nan]})
    records = frame_records(frame)
    assert records == [{"n": 1, "v": 0.5}, {"n": None, "v": None}]
    assert json.loads(json_text({"r": records})) == {"r": records}


def test_output_folder_commits_all_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    (out / "results.json").write_text("old")
    with pytest.raises(RuntimeError), output_folder(out) as folder:
        folder.write_text("results.json", "new")
        raise RuntimeError("boom")
    assert (out / "results.json").read_text() == "old"
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "results.json"]

    with output_folder(out) as folder:
        folder.write_text("results.json", "new")
    assert (out / "results.json").read_text() == "new"
    assert (out / "keep.txt").read_text() == "mine"


def test_output_folder_created_is_removed_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    with pytest.raises(RuntimeError), output_folder(out) as folder:
        folder.write_text("x.csv", "1")
        raise RuntimeError("boom")
    assert not out.exists()


def test_out_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(UsageError, match="not a folder"), output_folder(target):
        pass
