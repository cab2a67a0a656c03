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


def _everything(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_files_are_staged_beside_the_output_not_in_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with output_folder(out) as folder:
        folder.write_text("results.json", "new")
        folder.write_text("charts/a.svg", "<svg/>")
        assert list(out.iterdir()) == []  # nothing in the output until the commit
        staged = [p.name for p in tmp_path.iterdir() if p.name.endswith(".staging")]
        assert len(staged) == 1 and staged[0].startswith(".wres-out-")
    assert _everything(out) == ["charts", "charts/a.svg", "results.json"]
    assert _everything(tmp_path) == ["out", "out/charts", "out/charts/a.svg",
                                     "out/results.json"]


def test_a_new_output_folder_arrives_whole(tmp_path: Path) -> None:
    out = tmp_path / "a" / "out"
    with output_folder(out) as folder:
        folder.write_text("one.csv", "1")
        folder.write_text("two.csv", "2")
        assert not out.exists()
    assert _everything(tmp_path) == ["a", "a/out", "a/out/one.csv", "a/out/two.csv"]


def test_a_folder_where_a_file_goes_changes_nothing(tmp_path: Path) -> None:
    # results.json would be replaced first, then counts.csv fail: a partial commit.
    out = tmp_path / "out"
    (out / "counts.csv").mkdir(parents=True)
    (out / "results.json").write_text("old")
    with pytest.raises(UsageError, match=r"counts\.csv is a folder"), output_folder(out) as f:
        f.write_text("results.json", "new")
        f.write_text("counts.csv", "new")
    assert (out / "results.json").read_text() == "old"
    assert _everything(tmp_path) == ["out", "out/counts.csv", "out/results.json"]


def test_a_file_where_a_folder_goes_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "charts").write_text("not a folder")
    (out / "report.html").write_text("old")
    with pytest.raises(UsageError, match="charts is a file"), output_folder(out) as f:
        f.write_text("report.html", "new")
        f.write_text("charts/a.svg", "<svg/>")
    assert (out / "report.html").read_text() == "old"
    assert _everything(tmp_path) == ["out", "out/charts", "out/report.html"]


def test_a_failed_move_rolls_back_what_moved(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("old a")
    (out / "b.csv").write_text("old b")
    real_replace = os.replace
    failures = []

    def failing(src: object, dst: object) -> None:
        # The new b.csv fails to move in (once: the roll-back's moves work).
        if str(src).endswith("new/b.csv") and not failures:
            failures.append(dst)
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(UsageError, match="disk is full"), output_folder(out) as f:
        f.write_text("a.csv", "new a")
        f.write_text("b.csv", "new b")
    monkeypatch.undo()
    assert (out / "a.csv").read_text() == "old a"
    assert (out / "b.csv").read_text() == "old b"
    assert _everything(tmp_path) == ["out", "out/a.csv", "out/b.csv"]


def test_a_full_disk_is_a_usage_error_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Path, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    out = tmp_path / "out"
    with pytest.raises(UsageError, match="disk is full"), output_folder(out) as f:
        f.write_text("results.json", "x")
    monkeypatch.undo()
    assert _everything(tmp_path) == []


def test_an_input_is_never_overwritten(tmp_path: Path) -> None:
    extract = tmp_path / "workforce.csv"
    extract.write_text("staff_id\n1\n")
    with pytest.raises(UsageError, match="one of the inputs"), \
            output_folder(tmp_path, inputs=[extract]) as f:
        f.write_text("workforce.csv", "file,row\n")
    assert extract.read_text() == "staff_id\n1\n"
    assert _everything(tmp_path) == ["workforce.csv"]


def test_a_path_too_long_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / ("a" * 4000)
    with pytest.raises(UsageError, match="cannot write"), output_folder(out) as f:
        f.write_text("x.csv", "1")
    assert _everything(tmp_path) == []
