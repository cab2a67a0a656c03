"""The guarantee of methodology section 5, tested by playing the attacker.

``attacker.py`` (an LP over one run's published ``results.json``, written apart
from the package's audit) must find no protected count whose feasible range is
narrower than ``[0, threshold - 1]``. Before the audit it found 156 such counts
on the sample council and 59 on a 500-staff one; the test that the rules alone
leave leaks keeps it honest.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import wres_cli
from wres_cli.cli import app
from wres_cli.disclosure import WITHHELD_NOTE, suppress
from wres_cli.disclosure.definitions import protections_for
from wres_cli.disclosure.rules import derived, withhold_by_rules
from wres_cli.indicator_files import load_indicators, parse_indicator
from wres_cli.output import results_document, write_sample_folder

from .attacker import attack, definitions

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "northmoor"
THRESHOLD = 10


def _document(results: Any) -> dict[str, Any]:
    return json.loads(json.dumps(results_document(results), default=str))


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("councils")
    folders = {"sample": SAMPLE}
    for name, staff, seed in (("500 staff", 500, 7), ("small random", 140, 20261201)):
        folders[name] = root / name.replace(" ", "-")
        write_sample_folder(folders[name], staff=staff, seed=seed, fmt="csv")
    return folders


@pytest.fixture(scope="module")
def runs(councils: dict[str, Path], _sample_computed: Any, _sample_computed_unsuppressed: Any,
         ) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """council -> (published document, unsuppressed document); the sample's computed
    once for the session (conftest)."""
    documents = {}
    for name, folder in councils.items():
        if name == "sample":
            published, truth = _sample_computed, _sample_computed_unsuppressed
        else:
            published, truth = wres_cli.compute(folder), wres_cli.compute(folder, suppress=False)
        documents[name] = (_document(published), _document(truth))
    return documents


@pytest.mark.parametrize("council", ["sample", "500 staff", "small random"])
def test_no_protected_count_can_be_narrowed(runs: dict, council: str) -> None:
    published, truth = runs[council]
    findings, checked = attack(published, truth, definitions("social-care"), THRESHOLD)
    assert checked > 50  # the councils have small counts to protect
    assert findings == []
    assert published["meta"]["disclosure"]["audit"] == "passed"
    assert published["meta"]["disclosure"]["threshold"] == THRESHOLD


def test_the_rules_alone_leave_counts_to_find(runs: dict, sample_unsuppressed: Any) -> None:
    # Primary and set rules without the audit: the attacker must see through them,
    # or its silence above would prove nothing.
    published, truth = runs["sample"]
    frame = sample_unsuppressed.results
    frame = frame[frame["indicator"] != "pay"].reset_index(drop=True)  # its own rule
    protections = protections_for(frame, load_indicators("social-care"))
    _, withheld = withhold_by_rules(frame, THRESHOLD, protections)
    withheld |= derived(frame, withheld, protections)
    rules_only = frame.assign(suppressed=withheld)
    for column in ("numerator", "denominator"):
        rules_only[column] = rules_only[column].astype("Int64").mask(withheld)
    document = {**published, "data_quality": truth["data_quality"],
                "results": json.loads(rules_only.to_json(orient="records"))}
    findings, _ = attack(document, truth, definitions("social-care"), THRESHOLD)
    assert len(findings) > 0


def test_every_withheld_row_carries_the_one_note(runs: dict) -> None:
    for published, _ in runs.values():
        withheld = [r for r in published["results"] if r["suppressed"]]
        assert withheld
        assert {r["note"] for r in withheld} == {WITHHELD_NOTE}
        assert {r["assessment"] for r in withheld} == {"suppressed"}
        assert all(r[c] is None for r in withheld
                   for c in ("numerator", "denominator", "value", "ci_low", "ci_high"))


def test_meta_disclosure_counts_what_it_withheld(runs: dict) -> None:
    published, truth = runs["sample"]
    outcome = published["meta"]["disclosure"]
    assert outcome["withheld"] == sum(r["suppressed"] for r in published["results"])
    # Protected: distinct small counts behind rate and share rows, worked out here
    # from the unsuppressed rows with the attacker's own naming.
    from .attacker import _protected
    assert outcome["protected"] == len(_protected(truth, definitions("social-care"), 10))
    assert truth["meta"]["disclosure"]["audit"].startswith("not run")


def test_indicator_9_publishes_no_minority_senior_managers(runs: dict) -> None:
    # The sample has 32 senior managers: 0 minority ethnic, 2 unknown, 30 White.
    published, truth = runs["sample"]
    senior = {r["group"]: r for r in truth["results"]
              if r["indicator"] == "9" and r["level"] == "senior"}
    assert (senior["minority"]["numerator"], senior["minority"]["denominator"]) == (0, 32)
    assert senior["unknown"]["numerator"] == 2
    shown = {r["group"]: r for r in published["results"]
             if r["indicator"] == "9" and r["level"] == "senior"}
    assert not shown["minority"]["suppressed"]
    assert (shown["minority"]["numerator"], shown["minority"]["denominator"]) == (0, 32)
    assert shown["unknown"]["numerator"] == 2  # how many did not declare is published
    difference = [r for r in published["results"] if r["indicator"] == "9"
                  and r["measure"] == "difference" and r["reference"] == "workforce"]
    assert len(difference) == 1 and not difference[0]["suppressed"]


def test_coarsened_data_quality_gives_nothing_away(runs: dict) -> None:
    for published, _ in runs.values():
        for name, entry in published["data_quality"]["extracts"].items():
            if entry.get("rows_in_scope") is None:
                assert entry.get("excluded") is None, name
            if entry.get("rows_read") is None:
                assert published["meta"]["inputs"][name]["rows"] is None, name


# --------------------------------------------------------------------------- NHS boards

def _trust(folder: Path) -> Path:
    """A 300-staff trust with a 12-member board: 2 BME voting members, 1 BME executive."""
    rng = np.random.default_rng(5)
    n = 300
    ethnicities = rng.choice(["A", "H", "N", "D", "S", "Z"], size=n,
                             p=[0.7, 0.1, 0.08, 0.04, 0.03, 0.05])
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({
        "staff_id": [f"TR-{i:05d}" for i in range(n)], "ethnicity": ethnicities,
        "grade": rng.choice(["Band 3", "Band 5", "Band 7"], size=n),
        "start_date": "2020-01-01", "end_date": "",
    }).to_csv(folder / "workforce.csv", index=False)
    board = [("A", True, True)] * 5 + [("A", True, False)] * 3 + [("H", True, True),
                                                                  ("N", True, False),
                                                                  ("A", False, True),
                                                                  ("Z", False, False)]
    pd.DataFrame({
        "member_id": [f"BD-{i:02d}" for i in range(len(board))],
        "ethnicity": [b[0] for b in board], "voting": [b[1] for b in board],
        "executive": [b[2] for b in board],
    }).to_csv(folder / "board.csv", index=False)
    (folder / "wres.toml").write_text(
        'organisation = "Testbury NHS Trust"\nstandard = "nhs"\n\n[period]\n'
        'start = 2025-04-01\nend = 2026-03-31\n', encoding="utf-8")
    return folder


def test_nhs_board_figures_are_published_for_a_12_member_board(tmp_path: Path) -> None:
    results = wres_cli.compute(_trust(tmp_path / "trust")).results
    board = results[results["indicator"].isin(["9a", "9b"])]
    assert not board["suppressed"].any()
    voting = board[(board["indicator"] == "9a") & (board["level"] == "voting")]
    by_group = voting.set_index("group")
    # Voting members: 10 (8 White + H + N); BME 2 (1 Asian, 1 Black).
    assert int(by_group.loc["minority", "numerator"]) == 2
    assert int(by_group.loc["minority", "denominator"]) == 10
    assert int(by_group.loc["asian", "numerator"]) == 1
    executive = board[(board["indicator"] == "9b") & (board["level"] == "executive")]
    # Executives: 5 White + H + A(non-voting) = 7, BME 1.
    assert int(executive.set_index("group").loc["minority", "numerator"]) == 1
    assert int(executive.set_index("group").loc["minority", "denominator"]) == 7
    differences = board[board["measure"] == "difference"]
    assert len(differences) == 2 and differences["value"].notna().all()


def test_a_council_can_publish_its_senior_managers(tmp_path: Path) -> None:
    folder = tmp_path / "council"
    shutil.copytree(SAMPLE, folder)
    config = folder / "wres.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[suppression]\npublic = ["9"]\n', encoding="utf-8")
    results = wres_cli.compute(folder)
    nine = results.results[results.results["indicator"] == "9"]
    assert not nine["suppressed"].any()
    assert results.meta["disclosure"]["public"] == ["9"]


# --------------------------------------------------------------------------- a new indicator

NEW_SHARE = {
    "id": "9x", "title": "Registered professionals compared with the workforce",
    "why": "A share indicator added as a file.", "measure": "share",
    "population": [
        {"extract": "workforce", "rule": "in_post_on_end",
         "filter": {"registered_professional": True}, "breakdown": "profession",
         "level": "registered"},
        {"extract": "workforce", "rule": "in_post_on_end", "breakdown": "profession",
         "level": "workforce"}],
    "difference": [{"group": "minority", "focal": {"breakdown": "profession",
                                                   "level": "registered"},
                    "against": {"breakdown": "profession", "level": "workforce"},
                    "reference": "workforce", "adverse": "negative"}],
}


def _share_rows(indicator: str, breakdown: str, focal: str, against: str) -> pd.DataFrame:
    """Shares of a small focal level (minority 3 of 20) and a large one, and the
    difference built on them; typed as the measure stage writes them."""
    from wres_cli.contract import RESULT_COLUMNS

    rows = []
    for level, counts in ((focal, {"white": 16, "minority": 3, "asian": 3, "black": 0,
                                   "mixed": 0, "other": 0, "unknown": 1}),
                          (against, {"white": 300, "minority": 80, "asian": 30, "black": 20,
                                     "mixed": 15, "other": 15, "unknown": 20})):
        total = counts["white"] + counts["minority"] + counts["unknown"]
        for group, n in counts.items():
            rows.append({"organisation": "X", "period_start": "2025-04-01",
                         "period_end": "2026-03-31", "standard": "social-care",
                         "indicator": indicator, "measure": "share", "breakdown": breakdown,
                         "level": level, "group": group, "reference": None, "numerator": n,
                         "denominator": total, "value": n / total, "ci_low": 0.0,
                         "ci_high": 1.0, "p_value": None, "assessment": None,
                         "significant": None, "suppressed": False, "note": None})
    rows.append({**rows[-1], "measure": "difference", "breakdown": "overall", "level": "all",
                 "group": "minority", "reference": "workforce", "numerator": None,
                 "denominator": None, "value": 3 / 20 - 80 / 400, "ci_low": None,
                 "ci_high": None, "assessment": "adverse"})
    frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    return frame.astype({"numerator": "Int64", "denominator": "Int64", "value": float,
                         "ci_low": float, "ci_high": float, "p_value": float,
                         "significant": "boolean", "suppressed": bool})


def test_a_new_share_indicator_is_protected_like_indicator_9() -> None:
    new = parse_indicator(NEW_SHARE, "local/9x.toml")
    shipped = load_indicators("social-care")
    ours = suppress(_share_rows("9x", "profession", "registered", "workforce"), 10,
                    [*shipped, new])
    nine = suppress(_share_rows("9", "seniority", "senior", "workforce"), 10, shipped)
    # The same counts, the same outcome: the small level's minority and asian shares
    # (3 of 20) and the difference built on them are withheld; nothing else is.
    assert ours["suppressed"].tolist() == nine["suppressed"].tolist()
    withheld = set(zip(ours.loc[ours["suppressed"], "level"],
                       ours.loc[ours["suppressed"], "group"], strict=True))
    assert {("registered", "minority"), ("registered", "asian"), ("all", "minority")} <= withheld
    assert not ours.loc[ours["level"] == "workforce", "suppressed"].any()
    assert (ours.loc[ours["suppressed"], "note"] == WITHHELD_NOTE).all()


# --------------------------------------------------------------------------- reading back

def test_a_results_file_showing_a_small_count_is_refused(runs: dict, tmp_path: Path) -> None:
    published, truth = runs["sample"]
    edited = json.loads(json.dumps(published))
    index, row = next((i, r) for i, r in enumerate(edited["results"]) if r["suppressed"]
                      and r["measure"] == "rate")
    true_row = truth["results"][index]
    row.update(suppressed=False, numerator=3, denominator=true_row["denominator"])
    path = tmp_path / "results.json"
    path.write_text(json.dumps(edited), encoding="utf-8")
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(path), "--out", str(out)])
    assert result.exit_code == 1
    assert f"result {index + 1} (indicator {row['indicator']}" in result.output
    assert "numerator 3" in result.output
    assert not out.exists()


def test_overlapping_periods_are_called_out(tmp_path: Path, sample_out: Path) -> None:
    # The reporting year to 2026-03-31 (computed once, conftest), and a year to 2026-06-30.
    paths = [str(sample_out / "results.json")]
    for end in ("2026-06-30",):
        out = tmp_path / end
        result = CliRunner().invoke(app, ["compute", str(SAMPLE), "--out", str(out),
                                          "--period-end", end, "-q"])
        assert result.exit_code == 0, result.output
        paths.append(str(out / "results.json"))
    result = CliRunner().invoke(app, ["trend", *paths, "--out", str(tmp_path / "trend")])
    assert result.exit_code == 0, result.output
    assert "overlap" in result.output and "subtracting" in result.output
    report = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", *paths, "--out", str(report)])
    assert result.exit_code == 0, result.output
    text = (report / "report.md").read_text(encoding="utf-8")
    assert "Overlapping periods" in text
    # The main (latest) period is not the reporting year of the config.
    assert "Internal monitoring" in text


def test_a_report_for_the_reporting_year_has_no_monitoring_note(
        sample_folder_report: Path) -> None:
    text = (sample_folder_report / "report.md").read_text(encoding="utf-8")  # report SAMPLE
    assert "Internal monitoring" not in text
    assert "<10" not in text
    assert "withheld" in text


@pytest.mark.slow
def test_local_measures_are_protected_like_the_standards(
        sample_with_local: Path, sample_with_local_unsuppressed: Any) -> None:
    # The sample with the shipped example measures switched on (conftest): the attacker,
    # told of the local files too, finds no protected count it can narrow.
    examples = ROOT / "examples" / "local-indicators"
    published = _document(wres_cli.compute(sample_with_local))
    truth = _document(sample_with_local_unsuppressed)
    local_ids = {p.stem for p in examples.glob("*.toml")}
    assert local_ids <= {r["indicator"] for r in published["results"]}
    defs = definitions("social-care", extra=sorted(examples.glob("*.toml")))
    findings, checked = attack(published, truth, defs, THRESHOLD)
    assert checked > 50
    assert findings == []
