"""``p_adjusted``: Holm's adjustment over the levels of one breakdown table
(methodology §3 "Many comparisons", contracts §3). Expected values are worked
by hand or by a plain loop written here, never taken from the code."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from wres_cli.contract import RESULT_COLUMNS
from wres_cli.stats import holm_adjust


def test_holm_worked_by_hand() -> None:
    # Family a, m = 4, sorted: 0.005, 0.01, 0.03, 0.04
    #   0.005 * 4 = 0.02; 0.01 * 3 = 0.03; 0.03 * 2 = 0.06; 0.04 * 1 = 0.04 -> 0.06 (monotone)
    # Family b, m = 2 (the NaN is no comparison): 0.3 * 2 = 0.6; 0.7 * 1 = 0.7
    # Family c, m = 3: 0.5 * 3 = 1.5 -> 1; 0.6 * 2 = 1.2 -> 1; 0.9 -> max(1, 0.9) = 1
    p = [0.01, 0.3, 0.04, 0.5, np.nan, 0.03, 0.9, 0.7, 0.005, 0.6]
    family = ["a", "b", "a", "c", "b", "a", "c", "b", "a", "c"]
    expected = [0.03, 0.6, 0.06, 1.0, np.nan, 0.06, 1.0, 0.7, 0.02, 1.0]
    np.testing.assert_allclose(holm_adjust(p, family), expected, rtol=1e-12)


def test_holm_of_one_p_value_is_itself() -> None:
    assert holm_adjust([0.012], ["x"])[0] == pytest.approx(0.012)
    assert np.isnan(holm_adjust([np.nan], ["x"])).all()


def reference_holm(p: list[float]) -> list[float]:
    """Holm by the textbook loop, for comparison."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def check_tables(rows: pd.DataFrame) -> int:
    """Every breakdown table's p_adjusted against the loop; returns tables checked."""
    ratios = rows[(rows["measure"] == "relative_likelihood") & (rows["breakdown"] != "overall")]
    checked = 0
    for _, table in ratios.groupby(["indicator", "breakdown", "group", "reference"]):
        published = table[~table["suppressed"].astype(bool) & table["p_value"].notna()]
        expected = reference_holm(published["p_value"].astype(float).tolist())
        for got, want in zip(published["p_adjusted"], expected, strict=True):
            assert got == pytest.approx(want, rel=1e-12)
        assert table.loc[~table.index.isin(published.index), "p_adjusted"].isna().all()
        checked += len(published) > 1
    return checked


@pytest.fixture
def sample_rows(sample_results: Any) -> pd.DataFrame:
    return sample_results.results


def test_column_sits_after_p_value(sample_rows: pd.DataFrame) -> None:
    columns = list(RESULT_COLUMNS)
    assert columns.index("p_adjusted") == columns.index("p_value") + 1
    assert list(sample_rows.columns) == columns


def test_sample_tables_match_holm_over_published_levels(sample_rows: pd.DataFrame) -> None:
    assert check_tables(sample_rows) > 10
    # Some table lost levels to withholding, so its family is smaller than its rows.
    ratios = sample_rows[(sample_rows["measure"] == "relative_likelihood")
                         & (sample_rows["breakdown"] == "grade")]
    assert ratios["suppressed"].any() and ratios["p_adjusted"].notna().any()


def test_overall_and_non_ratio_rows_stay_empty(sample_rows: pd.DataFrame) -> None:
    overall = sample_rows["breakdown"] == "overall"
    non_ratio = sample_rows["measure"] != "relative_likelihood"
    assert sample_rows.loc[overall | non_ratio, "p_adjusted"].isna().all()
    assert sample_rows.loc[sample_rows["suppressed"], "p_adjusted"].isna().all()


def test_adjusted_is_never_below_the_raw_p(sample_rows: pd.DataFrame) -> None:
    both = sample_rows.dropna(subset=["p_value", "p_adjusted"])
    assert (both["p_adjusted"] >= both["p_value"] - 1e-15).all()
    assert (both["p_adjusted"] <= 1).all()


def test_no_suppress_adjusts_over_every_level(sample_unsuppressed: Any) -> None:
    rows = sample_unsuppressed.results
    assert not rows["suppressed"].any()
    assert check_tables(rows) > 10
    # Indicator 5 by grade, minority vs White: every level with a p-value is in the family.
    table = rows[(rows["indicator"] == "5") & (rows["breakdown"] == "grade")
                 & (rows["group"] == "minority") & (rows["measure"] == "relative_likelihood")]
    tested = table[table["p_value"].notna()]  # two senior grades have no minority staff
    assert len(tested) == 11
    smallest = tested.loc[tested["p_value"].idxmin()]
    assert smallest["p_adjusted"] == pytest.approx(min(1.0, 11 * smallest["p_value"]))


def test_results_csv_writes_p_adjusted(sample_out: Path) -> None:
    frame = pd.read_csv(sample_out / "results.csv")  # wres compute SAMPLE
    header = list(frame.columns)
    assert header[header.index("p_value") + 1] == "p_adjusted"
    assert frame["p_adjusted"].notna().any()
    assert not math.isnan(frame["p_adjusted"].dropna().iloc[0])
