"""Result rows from the counts cube: rates, relative likelihoods, differences,
assessments, notes and row order, with every expected number worked out here.

The end-to-end tests measure the organisation of ``tests/test_counts.py``, whose
counts are worked out (and tested) there.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact

from tests.helpers import CONFIG, NHS, PERIOD, SC, prepared, split_in_two
from wres_cli.config import Period
from wres_cli.contract import (
    BREAKDOWN_ORDER,
    GROUP_ORDER,
    MEASURE_ORDER,
    RESULT_COLUMNS,
)
from wres_cli.counts import count
from wres_cli.indicators import indicator_sort_key
from wres_cli.measure import measure

Z = 1.959964
BENCHMARK = CONFIG.population


def wilson(e: int, n: int) -> tuple[float, float]:
    p = e / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def katz(a: int, nf: int, c: int, nr: int) -> tuple[float, float, float]:
    rl = (a / nf) / (c / nr)
    se = math.sqrt(1 / a - 1 / nf + 1 / c - 1 / nr)
    return rl, rl * math.exp(-Z * se), rl * math.exp(Z * se)


def fisher(a: int, nf: int, c: int, nr: int) -> float:
    return fisher_exact([[a, nf - a], [c, nr - c]], alternative="two-sided").pvalue


def run(inds, cube=None, **kwargs) -> pd.DataFrame:
    if cube is None:
        cube = count(prepared(), inds, PERIOD, CONFIG).cube
    options = {"period": PERIOD, "standard": "social-care" if inds is SC else "nhs",
               "organisation": "Testshire", "population_benchmark": BENCHMARK}
    options.update(kwargs)
    return measure(cube, inds, **options)


@pytest.fixture(scope="module")
def sc() -> pd.DataFrame:
    return run(SC)


@pytest.fixture(scope="module")
def nhs() -> pd.DataFrame:
    return run(NHS)


def pick(rows: pd.DataFrame, indicator: str, measure_: str, group: str,
         reference: str | None = None, breakdown: str = "overall",
         level: str = "all") -> pd.Series:
    mask = ((rows["indicator"] == indicator) & (rows["measure"] == measure_)
            & (rows["breakdown"] == breakdown) & (rows["level"] == level)
            & (rows["group"] == group))
    mask &= rows["reference"].isna() if reference is None else rows["reference"] == reference
    found = rows[mask]
    assert len(found) == 1, (indicator, measure_, group, reference, breakdown, level)
    return found.iloc[0]


def rl(rows, indicator, group, reference="white", **where) -> pd.Series:
    return pick(rows, indicator, "relative_likelihood", group, reference, **where)


def assert_ratio(row: pd.Series, a: int, nf: int, c: int, nr: int, assessment: str) -> None:
    value, low, high = katz(a, nf, c, nr)
    assert row["value"] == pytest.approx(value, rel=1e-12)
    assert row["ci_low"] == pytest.approx(low, rel=1e-9)
    assert row["ci_high"] == pytest.approx(high, rel=1e-9)
    assert row["p_value"] == pytest.approx(fisher(a, nf, c, nr), rel=1e-9)
    if assessment is None:  # a ratio with no range (NHS 5-8)
        assert pd.isna(row["assessment"])
    else:
        assert row["assessment"] == assessment
    assert row["significant"] == (low > 1 or high < 1)
    assert pd.isna(row["note"])
    assert pd.isna(row["numerator"]) and pd.isna(row["denominator"])


def assert_not_calculable(row: pd.Series, note: str) -> None:
    assert row["assessment"] == "not calculable"
    assert row["note"] == note
    assert np.isnan(row["value"]) and np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert pd.isna(row["significant"])


def assert_difference(row: pd.Series, value: float, assessment: str | None) -> None:
    assert row["value"] == pytest.approx(value, abs=1e-15)
    for empty in ("ci_low", "ci_high", "p_value"):
        assert np.isnan(row[empty])
    assert pd.isna(row["numerator"]) and pd.isna(row["denominator"])
    assert pd.isna(row["significant"])
    if assessment is None:
        assert pd.isna(row["assessment"])
    else:
        assert row["assessment"] == assessment


# --------------------------------------------------------------------------- from a hand cube


def cube_of(indicator: str, cells: dict[str, tuple[int, int]], breakdown="overall",
            level="all") -> pd.DataFrame:
    """A rate cube for one level from (population, events) of the broad groups."""
    full = {g: cells.get(g, (0, 0)) for g in ("white", "asian", "black", "mixed", "other",
                                              "unknown")}
    full["minority"] = tuple(sum(full[g][i] for g in ("asian", "black", "mixed", "other"))
                             for i in (0, 1))
    return pd.DataFrame([{"indicator": indicator, "breakdown": breakdown, "level": level,
                          "group": g, "population": full[g][0], "events": full[g][1]}
                         for g in GROUP_ORDER])


def test_kmpt_worked_example_uses_counts_not_rounded_percentages():
    # KMPT: 17 of 2,505 White and 9 of 725 BME staff entered disciplinary. The trust
    # published 1.7 from rounded percentages; the counts give 1.83.
    cube = cube_of("3", {"white": (2505, 17), "black": (725, 9)})
    rows = run(NHS, cube, standard="nhs")
    row = rl(rows, "3", "minority")
    assert_ratio(row, 9, 725, 17, 2505, "adverse")
    assert round(row["value"], 2) == 1.83
    rate = pick(rows, "3", "rate", "white")
    assert (rate["numerator"], rate["denominator"]) == (17, 2505)
    assert rate["value"] == 17 / 2505
    assert (rate["ci_low"], rate["ci_high"]) == pytest.approx(wilson(17, 2505), rel=1e-9)


def test_range_is_inclusive_on_the_unrounded_value():
    # (5/8)/(5/10) = 1.25 exactly and (4/10)/(5/10) = 0.80 exactly: within range.
    up = run(SC, cube_of("3", {"white": (10, 5), "asian": (8, 5)}))
    assert rl(up, "3", "asian")["value"] == 1.25
    assert rl(up, "3", "asian")["assessment"] == "within range"
    down = run(SC, cube_of("3", {"white": (10, 5), "asian": (10, 4)}))
    assert rl(down, "3", "asian")["value"] == 0.8
    assert rl(down, "3", "asian")["assessment"] == "within range"
    just_over = run(SC, cube_of("3", {"white": (1000, 400), "asian": (1000, 501)}))
    assert rl(just_over, "3", "asian")["assessment"] == "adverse"
    # the adverse side follows the definition: CPD (5) is adverse when low
    low = run(SC, cube_of("5", {"white": (100, 50), "black": (100, 30)}))
    assert rl(low, "5", "black")["assessment"] == "adverse"
    assert rl(low, "5", "minority")["assessment"] == "adverse"


def test_rows_with_the_same_key_are_summed_so_pooled_cubes_measure_as_one():
    one = cube_of("3", {"white": (100, 10), "asian": (50, 9)})
    two = cube_of("3", {"white": (60, 2), "asian": (40, 1), "unknown": (5, 1)})
    pooled = run(SC, pd.concat([one, two]))
    total = run(SC, cube_of("3", {"white": (160, 12), "asian": (90, 10), "unknown": (5, 1)}))
    pd.testing.assert_frame_equal(pooled, total)


def test_empty_cube_gives_no_rows_with_the_columns():
    rows = run(SC, count({"workforce": prepared()["workforce"].iloc[0:0]}, SC[2:3], PERIOD,
                         CONFIG).cube.iloc[0:0])
    assert tuple(rows.columns) == RESULT_COLUMNS
    assert rows.empty


# --------------------------------------------------------------------------- columns, order


@pytest.mark.parametrize("which", ["sc", "nhs"])
def test_columns_types_and_unsuppressed(which, request):
    rows = request.getfixturevalue(which)
    assert tuple(rows.columns) == RESULT_COLUMNS
    assert (rows["suppressed"] == False).all()  # noqa: E712
    assert (rows["organisation"] == "Testshire").all()
    assert (rows["period_start"] == "2025-04-01").all()
    assert (rows["period_end"] == "2026-03-31").all()
    assert set(rows["standard"]) == {"social-care" if which == "sc" else "nhs"}
    assert rows["numerator"].dtype == "Int64" and rows["value"].dtype == "float64"
    counted = rows["measure"].isin(["share", "rate"])
    assert rows.loc[counted, "numerator"].notna().all()
    assert rows.loc[~counted, "numerator"].isna().all()
    assert rows.loc[counted, "reference"].isna().all()
    assert rows.loc[~counted, "reference"].notna().all()
    assert rows.loc[counted, "p_value"].isna().all()
    # unknown ethnicity has rate and share rows of its own and never enters a ratio
    assert not ((rows["measure"] == "relative_likelihood")
                & ((rows["group"] == "unknown") | (rows["reference"] == "unknown"))).any()
    assert (rows.loc[rows["measure"] == "rate", "group"] == "unknown").any()


def _contract_key(rows: pd.DataFrame, grades=("G1", "G2", "G10")) -> list[tuple]:
    named = {"seniority": ["senior", "workforce"], "board": ["voting", "executive", "workforce"]}
    refs = [*GROUP_ORDER, "workforce", "population"]

    def level_key(breakdown, level):
        if breakdown in named:
            return (named[breakdown].index(level),)
        parts = level.split("+")
        dims = breakdown.split("+")
        return tuple((p == "not recorded", grades.index(p) if d == "grade" and p in grades
                      else 0, p) for d, p in zip(dims, parts, strict=True))

    def breakdown_key(b):
        return BREAKDOWN_ORDER.index(b) if b in BREAKDOWN_ORDER else len(BREAKDOWN_ORDER)

    return [(indicator_sort_key(r.indicator), MEASURE_ORDER.index(r.measure),
             breakdown_key(r.breakdown), level_key(r.breakdown, r.level),
             GROUP_ORDER.index(r.group), -1 if pd.isna(r.reference) else refs.index(r.reference))
            for r in rows.itertuples()]


@pytest.mark.parametrize("which", ["sc", "nhs"])
def test_row_order_follows_the_contract(which, request):
    rows = request.getfixturevalue(which)
    keys = _contract_key(rows)
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)  # one row per key


def test_row_order_sample(sc):
    three = sc[sc["indicator"] == "3"]
    assert list(dict.fromkeys(three["measure"])) == ["rate", "relative_likelihood"]
    assert list(dict.fromkeys(three["breakdown"])) == ["overall", "grade", "staff_group",
                                                       "service"]
    rates = three[(three["measure"] == "rate") & (three["breakdown"] == "grade")]
    assert list(dict.fromkeys(rates["level"])) == ["G1", "G2", "G10"]
    assert list(rates["group"][:7]) == list(GROUP_ORDER)
    assert list(sc["indicator"].unique()) == ["1", "2", "3", "4", "5", "6", "7a", "7b", "8",
                                              "9"]


def test_grades_order_argument_reorders_levels():
    cube = count(prepared(), NHS, PERIOD, type(CONFIG)()).cube  # grades sorted in the cube
    cube = cube[cube["indicator"] == "1"]
    assert list(cube.loc[cube["breakdown"] == "grade", "level"].unique()) == ["G1", "G10",
                                                                              "G2"]
    plain = run(NHS, cube)
    assert list(plain.loc[plain["breakdown"] == "grade", "level"].unique()) == ["G1", "G10",
                                                                               "G2"]
    ordered = run(NHS, cube, grades_order=("G1", "G2", "G10"))
    assert list(ordered.loc[ordered["breakdown"] == "grade", "level"].unique()) == [
        "G1", "G2", "G10"]
    compound = ordered.loc[ordered["breakdown"] == "staff_group+grade", "level"].unique()
    assert list(compound) == ["Clinical+G1", "Clinical+G2", "Clinical+G10", "Support+G2"]


def test_organisation_column_without_a_configured_name():
    data = prepared()
    data["workforce"] = data["workforce"].assign(organisation=["A", "A", "B", "B", "B", "A",
                                                               "B", "A", "A"])
    cube = count(data, SC, PERIOD, CONFIG).cube
    rows = run(SC, cube, organisation=None)
    by_org = rows[rows["breakdown"] == "organisation"]
    assert len(by_org) and (by_org["organisation"] == by_org["level"]).all()
    assert rows.loc[rows["breakdown"] != "organisation", "organisation"].isna().all()


def test_pooling_two_halves_measures_like_the_whole():
    data = prepared()
    person = np.array([True, False, True, False, True, False, True, False, True])
    rows = {name: np.arange(len(f)) % 2 == 1 for name, f in data.items()}
    a, b = split_in_two(data, person, rows)
    for inds in (SC, NHS):
        halves = pd.concat([count(a, inds, PERIOD, CONFIG).cube,
                            count(b, inds, PERIOD, CONFIG).cube])
        whole = count(data, inds, PERIOD, CONFIG).cube
        pd.testing.assert_frame_equal(run(inds, halves, grades_order=CONFIG.grades_order),
                                      run(inds, whole))


# --------------------------------------------------------------------------- social care


def test_sc1_shares_and_differences_per_grade(sc):
    share = pick(sc, "1", "share", "unknown")
    assert (share["numerator"], share["denominator"], share["value"]) == (1, 6, 1 / 6)
    assert (share["ci_low"], share["ci_high"]) == pytest.approx(wilson(1, 6), rel=1e-9)
    assert pd.isna(share["assessment"]) and pd.isna(share["significant"])
    assert pick(sc, "1", "share", "minority", breakdown="grade", level="G1")["value"] == 1 / 3
    diffs = sc[(sc["indicator"] == "1") & (sc["measure"] == "difference")]
    assert list(diffs["breakdown"]) == ["grade"] * 3
    assert list(diffs["level"]) == ["G1", "G2", "G10"]
    assert set(diffs["group"]) == {"minority"} and set(diffs["reference"]) == {"workforce"}
    overall = 3 / 6
    for level, share_ in (("G1", 1 / 3), ("G2", 1 / 2), ("G10", 1.0)):
        row = pick(sc, "1", "difference", "minority", "workforce", "grade", level)
        assert_difference(row, share_ - overall, None)


def test_sc2_appointed_from_shortlisting(sc):
    # white 1/2; minority 2/4; asian 1/1; black 1/2; other 0/1; mixed empty
    assert_ratio(rl(sc, "2", "minority"), 2, 4, 1, 2, "within range")
    assert_ratio(rl(sc, "2", "asian"), 1, 1, 1, 2, "favourable")  # 2.0, adverse is low
    assert_ratio(rl(sc, "2", "black"), 1, 2, 1, 2, "within range")
    assert_not_calculable(rl(sc, "2", "other"), "no events in the focal group")
    assert rl(sc, "2", "other")["p_value"] == pytest.approx(fisher(0, 1, 1, 2))
    assert_not_calculable(rl(sc, "2", "mixed"), "empty focal group")
    assert np.isnan(rl(sc, "2", "mixed")["p_value"])  # Fisher needs both populations
    unknown = pick(sc, "2", "rate", "unknown")
    assert (unknown["numerator"], unknown["denominator"], unknown["value"]) == (1, 1, 1.0)
    empty = pick(sc, "2", "rate", "mixed")
    assert (empty["numerator"], empty["denominator"]) == (0, 0)
    assert np.isnan(empty["value"]) and empty["note"] == "no one in this group"
    # per breakdown level too: G1 has no minority applicant
    assert_not_calculable(rl(sc, "2", "minority", breakdown="grade", level="G1"),
                          "empty focal group")
    assert_not_calculable(rl(sc, "2", "minority", breakdown="grade", level="G2"),
                          "empty reference group")


def test_sc3_disciplinary(sc):
    # white 2/3; minority 2/4; asian 1/1; black 1/2; mixed 0/1
    assert_ratio(rl(sc, "3", "minority"), 2, 4, 2, 3, "favourable")  # 0.75, adverse is high
    assert_ratio(rl(sc, "3", "asian"), 1, 1, 2, 3, "adverse")  # 1.5
    assert_ratio(rl(sc, "3", "black"), 1, 2, 2, 3, "favourable")
    assert_not_calculable(rl(sc, "3", "mixed"), "no events in the focal group")
    assert_not_calculable(rl(sc, "3", "other"), "empty focal group")
    rate = pick(sc, "3", "rate", "minority")
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (2, 4, 0.5)
    assert (rate["ci_low"], rate["ci_high"]) == pytest.approx(wilson(2, 4), rel=1e-9)
    # by staff group: Support has white 0/1, black 1/2
    assert_not_calculable(rl(sc, "3", "black", breakdown="staff_group", level="Support"),
                          "no events in the reference group")


def test_sc4_fitness_to_practise(sc):
    assert_not_calculable(rl(sc, "4", "minority"), "no events in the focal group")
    assert pick(sc, "4", "rate", "white")["value"] == 1 / 2


def test_sc5_cpd(sc):
    assert_not_calculable(rl(sc, "5", "minority"), "no events in the reference group")
    rate = pick(sc, "5", "rate", "minority")
    assert (rate["numerator"], rate["denominator"]) == (2, 4)


def test_sc6_7a_7b_survey(sc):
    assert_ratio(rl(sc, "6", "minority"), 2, 3, 1, 2, "adverse")  # 4/3
    assert_not_calculable(rl(sc, "7a", "minority"), "no events in the focal group")
    assert_not_calculable(rl(sc, "7a", "asian"), "empty focal group")
    assert_ratio(rl(sc, "7b", "minority"), 1, 2, 1, 1, "favourable")  # 0.5


def test_sc8_leaving(sc):
    # white 1/2 (w3 left on the start); minority 1/3 (m1 left on the end)
    assert_ratio(rl(sc, "8", "minority"), 1, 3, 1, 2, "favourable")  # 2/3
    assert_ratio(rl(sc, "8", "asian"), 1, 1, 1, 2, "adverse")  # 2
    assert_not_calculable(rl(sc, "8", "black"), "no events in the focal group")


def test_sc9_senior_management(sc):
    senior = pick(sc, "9", "share", "minority", breakdown="seniority", level="senior")
    assert (senior["numerator"], senior["denominator"]) == (1, 3)
    unknown = pick(sc, "9", "share", "unknown", breakdown="seniority", level="workforce")
    assert (unknown["numerator"], unknown["denominator"]) == (1, 6)
    diffs = sc[(sc["indicator"] == "9") & (sc["measure"] == "difference")]
    assert list(diffs["reference"]) == ["workforce", "population"]
    assert set(diffs["breakdown"]) == {"overall"} and set(diffs["level"]) == {"all"}
    assert_difference(pick(sc, "9", "difference", "minority", "workforce"), 1 / 3 - 3 / 6,
                      "adverse")
    assert_difference(pick(sc, "9", "difference", "minority", "population"),
                      1 / 3 - (1 - 0.817), "within range")


def test_sc9_without_a_population_benchmark():
    rows = run(SC, population_benchmark=None)
    diffs = rows[(rows["indicator"] == "9") & (rows["measure"] == "difference")]
    assert list(diffs["reference"]) == ["workforce"]


def test_sc9_with_no_senior_managers_is_not_calculable():
    data = prepared()
    data["workforce"] = data["workforce"].assign(senior_manager=False)
    rows = run(SC, count(data, SC, PERIOD, CONFIG).cube)
    senior = pick(rows, "9", "share", "white", breakdown="seniority", level="senior")
    assert senior["denominator"] == 0 and np.isnan(senior["value"])
    row = pick(rows, "9", "difference", "minority", "workforce")
    assert np.isnan(row["value"]) and row["assessment"] == "not calculable"
    assert row["note"] == "no one in seniority senior"


# --------------------------------------------------------------------------- NHS


def test_nhs1_compound_breakdown(nhs):
    share = pick(nhs, "1", "share", "minority", breakdown="staff_group+grade",
                 level="Clinical+G1")
    assert (share["numerator"], share["denominator"]) == (1, 3)
    diffs = nhs[(nhs["indicator"] == "1") & (nhs["measure"] == "difference")]
    assert list(diffs["breakdown"]) == ["grade"] * 3  # differences per grade only


def test_nhs2_and_4_white_is_the_focal_group(nhs):
    # shortlisting: white 1/2; minority 2/4; asian 1/1; other 0/1; mixed empty
    assert_ratio(rl(nhs, "2", "white", "minority"), 1, 2, 2, 4, "within range")
    assert_ratio(rl(nhs, "2", "white", "asian"), 1, 2, 1, 1, "favourable")  # 0.5, adverse high
    assert_not_calculable(rl(nhs, "2", "white", "other"), "no events in the reference group")
    assert_not_calculable(rl(nhs, "2", "white", "mixed"), "empty reference group")
    refs = nhs.loc[(nhs["indicator"] == "2") & (nhs["measure"] == "relative_likelihood")
                   & (nhs["breakdown"] == "overall"), "reference"]
    assert list(refs) == ["minority", "asian", "black", "mixed", "other"]
    # training: white 0/3
    assert_not_calculable(rl(nhs, "4", "white", "minority"), "no events in the focal group")


def test_nhs3_5_minority_over_white(nhs):
    assert_ratio(rl(nhs, "3", "minority"), 2, 4, 2, 3, "favourable")
    # NHS 5-8 are not judged against a range (methodology section 3): no assessment.
    assert_ratio(rl(nhs, "5", "minority"), 2, 3, 1, 2, None)


def test_nhs6_7_8_survey(nhs):
    assert_ratio(rl(nhs, "6", "minority"), 1, 3, 1, 2, None)  # 2/3, no range
    assert_ratio(rl(nhs, "7", "minority"), 1, 3, 1, 2, None)  # 2/3, no range
    assert_not_calculable(rl(nhs, "8", "minority"), "no events in the reference group")


def test_nhs9a_9b_board(nhs):
    voting = pick(nhs, "9a", "share", "minority", breakdown="board", level="voting")
    assert (voting["numerator"], voting["denominator"]) == (2, 3)
    assert_difference(pick(nhs, "9a", "difference", "minority", "workforce"), 2 / 3 - 3 / 6,
                      "within range")
    executive = pick(nhs, "9b", "share", "unknown", breakdown="board", level="executive")
    assert (executive["numerator"], executive["denominator"]) == (1, 3)
    assert_difference(pick(nhs, "9b", "difference", "minority", "workforce"), 1 / 3 - 3 / 6,
                      "adverse")
    levels = nhs.loc[(nhs["indicator"] == "9a") & (nhs["measure"] == "share"), "level"]
    assert list(dict.fromkeys(levels)) == ["voting", "workforce"]


def test_missing_data_writes_no_rows():
    data = {"workforce": prepared()["workforce"]}
    result = count(data, NHS, PERIOD, CONFIG)
    rows = measure(result.cube, NHS, period=Period(date(2025, 4, 1), date(2026, 3, 31)),
                   standard="nhs", organisation=None, population_benchmark=None)
    assert set(rows["indicator"]) == {"1"}
    assert result.no_data == ["2", "3", "4", "5", "6", "7", "8", "9a", "9b"]
