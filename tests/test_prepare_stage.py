"""The prepare stage works out the scope of data quality once, and data quality
reads what it left out from there (architecture.md, "prepare").

Five staff, worked out by hand for the period 2025-04-01 to 2026-03-31: W1 and
W2 White, A1 Indian, U1 of unknown ethnicity ("Not stated"), all in post; X1
(Indian) left in 2024, before the period. In scope: 4 people, 3 of them with a
known ethnicity. Of three applications, one is dated before the period."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wres_cli
from wres_cli.config import Config
from wres_cli.prepare import Prepared, dated_between, in_post_during

PERIOD = ("2025-04-01", "2026-03-31")


def frames() -> dict[str, pd.DataFrame]:
    return {
        "workforce": pd.DataFrame({
            "staff_id": ["W1", "W2", "A1", "U1", "X1"],
            "ethnicity": ["White British", "White British", "Indian", "Not stated", "Indian"],
            "grade": ["G1", "G1", "G2", "G2", "G2"],
            "start_date": ["2020-01-01"] * 5,
            "end_date": [None, None, None, None, "2024-06-30"],
        }),
        "recruitment": pd.DataFrame({
            "application_id": ["R1", "R2", "R3"],
            "ethnicity": ["Indian", "White British", "Indian"],
            "shortlisted": ["yes", "no", "yes"],
            "appointed": ["no", "no", "yes"],
            "application_date": ["2025-05-01", "2025-06-01", "2024-05-01"],
        }),
    }


@pytest.fixture(scope="module")
def results() -> wres_cli.Results:
    return wres_cli.compute(frames=frames(), config=Config(), period=PERIOD, suppress=False)


def test_data_quality_reads_the_scope_of_the_prepare_stage(results) -> None:
    workforce = results.data_quality["extracts"]["workforce"]
    assert workforce["rows_read"] == 5
    assert workforce["rows_in_scope"] == 4
    assert workforce["excluded"] == {"not in post in the period": 1}
    assert workforce["declaration_rate"] == pytest.approx(3 / 4)  # over the 4 in scope
    assert workforce["unknown_values"] == {"Not stated": 1}
    recruitment = results.data_quality["extracts"]["recruitment"]
    assert (recruitment["rows_in_scope"], recruitment["excluded"]) == (
        2, {"outside the period": 1})
    # Blank booleans read as false are listed for the extracts that have such
    # columns (shortlisted, appointed), even when none was blank.
    assert recruitment["blank_booleans"] == {}
    assert "blank_booleans" not in workforce
    # By grade, over the people in post: G1 both known; G2 A1 known, U1 not (X1 left).
    assert results.data_quality["declaration_rate_by_grade"] == {"G1": 1.0, "G2": 0.5}


def test_the_validation_summary_says_the_same(results) -> None:
    report = wres_cli.validate(frames=frames(), config=Config(), period=PERIOD)
    by_name = {s.name: s for s in report.summaries}
    assert by_name["workforce"].excluded == {"not in post in the period": 1}
    assert by_name["workforce"].declaration_rate == pytest.approx(3 / 4)


def test_scope_rules_by_hand() -> None:
    staff = pd.DataFrame({
        "start_date": pd.to_datetime(["2020-01-01", "2026-04-01", "2025-06-01", None]),
        "end_date": pd.to_datetime(["2025-03-31", None, "2025-07-01", None]),
    })
    start, end = pd.Timestamp("2025-04-01"), pd.Timestamp("2026-03-31")
    # Left the day before; starts the day after; in and out within; no start date.
    assert in_post_during(staff, start, end).tolist() == [False, False, True, False]
    dates = pd.Series(pd.to_datetime(["2025-04-01", "2026-03-31", "2026-04-01", None]))
    assert dated_between(dates, start, end).tolist() == [True, True, False, False]


def test_excluded_lists_the_rules_then_the_scope() -> None:
    prepared = Prepared(exclusions={"workforce": {"secondary assignments": 2}},
                        scope={"workforce": np.array([True, False, False]),
                               "recruitment": None})
    assert list(prepared.excluded("workforce").items()) == [
        ("secondary assignments", 2), ("not in post in the period", 2)]
    assert prepared.excluded("recruitment") == {}  # scope unknown: nothing said
    assert prepared.excluded("training") == {}
