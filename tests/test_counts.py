"""The counts cube, hand-worked for every indicator of both standards.

One small organisation (``prepared()``) is built so that each rule of
methodology sections 1-2 is exercised by a named person; the expected counts are
worked out in the comments beside them. ``tests/test_measure.py`` measures the
same data.

Period: 2025-04-01 to 2026-03-31.

The organisation and its table: ``prepared()`` in ``tests/helpers.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import CONFIG, NHS, PERIOD, SC, prepared, split_in_two
from wres_cli.config import Config
from wres_cli.contract import GROUP_ORDER
from wres_cli.counts import CUBE_COLUMNS, NOT_RECORDED, count


def cells(cube: pd.DataFrame, indicator: str, breakdown: str = "overall",
          level: str = "all") -> dict[str, tuple[int, int]]:
    """group -> (population, events) for one level of one indicator."""
    rows = cube[(cube["indicator"] == indicator) & (cube["breakdown"] == breakdown)
                & (cube["level"] == level)]
    assert list(rows["group"]) == list(GROUP_ORDER)
    return {g: (int(p), int(e)) for g, p, e in rows[["group", "population", "events"]]
            .itertuples(index=False)}


def levels(cube: pd.DataFrame, indicator: str, breakdown: str) -> list[str]:
    rows = cube[(cube["indicator"] == indicator) & (cube["breakdown"] == breakdown)]
    return list(dict.fromkeys(rows["level"]))


def rate(white, asian, black, mixed, other, unknown):
    """Expected rate cells from (population, events) of each broad group."""
    minority = tuple(sum(x) for x in zip(asian, black, mixed, other, strict=True))
    return {"white": white, "minority": minority, "asian": asian, "black": black,
            "mixed": mixed, "other": other, "unknown": unknown}


def share(headcount, white, asian, black, mixed, other, unknown):
    minority = asian + black + mixed + other
    return {g: (headcount, n) for g, n in zip(
        GROUP_ORDER, (white, minority, asian, black, mixed, other, unknown), strict=True)}


@pytest.fixture(scope="module")
def sc():
    return count(prepared(), SC, PERIOD, CONFIG)


@pytest.fixture(scope="module")
def nhs():
    return count(prepared(), NHS, PERIOD, CONFIG)


# --------------------------------------------------------------------------- shape


def test_cube_shape_and_no_identifiers(sc, nhs):
    for result in (sc, nhs):
        cube = result.cube
        assert tuple(cube.columns) == CUBE_COLUMNS
        assert cube["population"].dtype == "int64" and cube["events"].dtype == "int64"
        assert (cube["events"] <= cube["population"]).all()
        ids = set(prepared()["workforce"]["staff_id"])
        for column in ("indicator", "breakdown", "level", "group"):
            assert not set(cube[column]) & ids
        # every level has a row for every group, in group order
        for _, rows in cube.groupby(["indicator", "breakdown", "level"], sort=False):
            assert list(rows["group"]) == list(GROUP_ORDER)
        # minority is the sum of the four broad groups
        wide = cube.pivot_table(index=["indicator", "breakdown", "level"], columns="group",
                                values="events", aggfunc="sum")
        assert (wide["minority"] == wide[["asian", "black", "mixed", "other"]].sum(axis=1)).all()
        assert result.no_data == []


def test_exclusions_and_warnings(sc):
    # x1, not in post in the period, is left out of the workforce's scope by the
    # prepare stage (tests/test_prepare_stage.py), not by counting.
    assert sc.exclusions == {
        "disciplinary": {"outside the period": 1, "person not in the population": 1},
        "fitness_to_practise": {"outside the period": 1, "person not in the population": 2},
        "training": {"outside the period": 1},
        "recruitment": {"outside the period": 1},
    }
    assert sc.warnings == [
        "disciplinary: 2 records dated in the period but outside the person's own "
        "employment dates (counted for indicator 3)"]


# --------------------------------------------------------------------------- social care


def test_sc1_shares_in_post_on_the_period_end(sc):
    # In post on 2026-03-31: w1, w2 (starts that day), m1 (last day that day), m2, m4, u1.
    # Not: w3 (left on the start), m3 (left in December), x1.
    assert cells(sc.cube, "1") == share(6, white=2, asian=1, black=1, mixed=1, other=0,
                                        unknown=1)
    assert levels(sc.cube, "1", "grade") == ["G1", "G2", "G10"]  # [grades] order
    assert cells(sc.cube, "1", "grade", "G1") == share(3, 1, 1, 0, 0, 0, 1)  # w1 m1 u1
    assert cells(sc.cube, "1", "grade", "G2") == share(2, 1, 0, 1, 0, 0, 0)  # w2 m2
    assert cells(sc.cube, "1", "grade", "G10") == share(1, 0, 0, 0, 1, 0, 0)  # m4
    assert set(sc.cube.loc[sc.cube["indicator"] == "1", "breakdown"]) == {"overall", "grade"}


def test_sc2_shortlisted_applications_in_the_period(sc):
    # r5 outside the period, r6 not shortlisted; r8 on the end and r9 on the start count.
    assert cells(sc.cube, "2") == rate(white=(2, 1), asian=(1, 1), black=(2, 1), mixed=(0, 0),
                                       other=(1, 0), unknown=(1, 1))
    # grade is the vacancy's grade; a blank one is "not recorded", listed last
    assert levels(sc.cube, "2", "grade") == ["G1", "G2", NOT_RECORDED]
    assert cells(sc.cube, "2", "grade", "G1") == rate((2, 1), (0, 0), (0, 0), (0, 0), (0, 0),
                                                      (1, 1))
    assert cells(sc.cube, "2", "grade", "G2") == rate((0, 0), (1, 1), (1, 1), (0, 0), (1, 0),
                                                      (0, 0))
    assert cells(sc.cube, "2", "grade", NOT_RECORDED)["black"] == (1, 0)
    # recruitment has no staff_group or service column: no such breakdown
    assert set(sc.cube.loc[sc.cube["indicator"] == "2", "breakdown"]) == {"overall", "grade"}


def test_sc3_disciplinary(sc):
    # In post during the period: all but x1. Events: w1 (twice, once), w2 (on the start,
    # before their own start), m1 (on the end), m3 (after their own end).
    assert cells(sc.cube, "3") == rate(white=(3, 2), asian=(1, 1), black=(2, 1), mixed=(1, 0),
                                       other=(0, 0), unknown=(1, 0))
    assert levels(sc.cube, "3", "grade") == ["G1", "G2", "G10"]
    assert cells(sc.cube, "3", "grade", "G2") == rate((1, 1), (0, 0), (2, 1), (0, 0), (0, 0),
                                                      (0, 0))
    assert levels(sc.cube, "3", "staff_group") == ["Clinical", "Support"]
    assert cells(sc.cube, "3", "staff_group", "Support") == rate(
        (1, 0), (0, 0), (2, 1), (0, 0), (0, 0), (0, 0))  # w3, m2, m3
    assert levels(sc.cube, "3", "service") == ["Adults", "Children", NOT_RECORDED]
    assert cells(sc.cube, "3", "service", NOT_RECORDED)["black"] == (1, 0)  # m2
    assert "organisation" not in set(sc.cube["breakdown"])


def test_sc4_fitness_to_practise_registered_professionals_only(sc):
    # Registered and in post during the period: w1, w3, m1, m3, u1. Only w1 referred.
    assert cells(sc.cube, "4") == rate(white=(2, 1), asian=(1, 0), black=(1, 0), mixed=(0, 0),
                                       other=(0, 0), unknown=(1, 0))


def test_sc5_cpd(sc):
    # m1 twice (once), m4, u1 in the period; w1's record is before it.
    assert cells(sc.cube, "5") == rate(white=(3, 0), asian=(1, 1), black=(2, 0), mixed=(1, 1),
                                       other=(0, 0), unknown=(1, 1))


def test_sc6_7a_7b_survey_answered_only(sc):
    # harassment_public answered by all but s4
    assert cells(sc.cube, "6") == rate(white=(2, 1), asian=(1, 1), black=(1, 1), mixed=(1, 0),
                                       other=(0, 0), unknown=(1, 1))
    # harassment_colleagues: s1 s2 s5 s6 s7 answered; s2 and s6 yes
    assert cells(sc.cube, "7a") == rate(white=(2, 1), asian=(0, 0), black=(1, 0),
                                        mixed=(1, 0), other=(0, 0), unknown=(1, 1))
    # harassment_managers: s2 s3 s5 answered; s2 and s3 yes
    assert cells(sc.cube, "7b") == rate(white=(1, 1), asian=(1, 1), black=(1, 0),
                                        mixed=(0, 0), other=(0, 0), unknown=(0, 0))
    # the survey's own grade column; s7's is blank
    assert levels(sc.cube, "6", "grade") == ["G1", "G2", NOT_RECORDED]
    assert cells(sc.cube, "6", "grade", NOT_RECORDED)["mixed"] == (1, 0)


def test_sc8_leavers_of_those_in_post_on_the_start(sc):
    # In post on 2025-04-01: w1, w3 (last day that day), m1, m2, m4, u1.
    # Leavers: w3 (on the start), m1 (on the end). m3 joined and left: not counted.
    assert cells(sc.cube, "8") == rate(white=(2, 1), asian=(1, 1), black=(1, 0), mixed=(1, 0),
                                       other=(0, 0), unknown=(1, 0))


def test_sc9_seniority_levels(sc):
    # Senior managers in post on the end: w1, m1, u1 (w3 left on the start).
    assert levels(sc.cube, "9", "seniority") == ["senior", "workforce"]
    assert cells(sc.cube, "9", "seniority", "senior") == share(3, 1, 1, 0, 0, 0, 1)
    assert cells(sc.cube, "9", "seniority", "workforce") == share(6, 2, 1, 1, 1, 0, 1)
    assert set(sc.cube.loc[sc.cube["indicator"] == "9", "breakdown"]) == {"seniority"}


# --------------------------------------------------------------------------- NHS


def test_nhs1_staff_group_and_grade(nhs):
    assert cells(nhs.cube, "1") == share(6, 2, 1, 1, 1, 0, 1)
    assert levels(nhs.cube, "1", "grade") == ["G1", "G2", "G10"]
    assert levels(nhs.cube, "1", "staff_group+grade") == [
        "Clinical+G1", "Clinical+G2", "Clinical+G10", "Support+G2"]
    assert cells(nhs.cube, "1", "staff_group+grade", "Clinical+G1") == share(3, 1, 1, 0, 0, 0, 1)
    assert cells(nhs.cube, "1", "staff_group+grade", "Support+G2") == share(1, 0, 0, 1, 0, 0, 0)


def test_nhs_rate_indicators_count_as_social_care(sc, nhs):
    same = {"2": "2", "3": "3", "4": "5", "5": "6"}
    for nhs_id, sc_id in same.items():
        a = nhs.cube[nhs.cube["indicator"] == nhs_id].drop(columns="indicator")
        b = sc.cube[sc.cube["indicator"] == sc_id].drop(columns="indicator")
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_nhs6_either_question(nhs):
    # answered colleagues or managers: all but s4; yes to either: s2, s3, s6
    assert cells(nhs.cube, "6") == rate(white=(2, 1), asian=(1, 1), black=(1, 0), mixed=(1, 0),
                                        other=(0, 0), unknown=(1, 1))


def test_nhs7_8_survey(nhs):
    assert cells(nhs.cube, "7") == rate(white=(2, 1), asian=(1, 1), black=(1, 0), mixed=(1, 0),
                                        other=(0, 0), unknown=(1, 1))
    # discrimination: s2 did not answer
    assert cells(nhs.cube, "8") == rate(white=(1, 0), asian=(1, 1), black=(1, 1), mixed=(1, 0),
                                        other=(0, 0), unknown=(1, 0))


def test_nhs9_board(nhs):
    assert levels(nhs.cube, "9a", "board") == ["voting", "workforce"]
    assert cells(nhs.cube, "9a", "board", "voting") == share(3, 1, 1, 1, 0, 0, 0)  # b1 b2 b4
    assert cells(nhs.cube, "9a", "board", "workforce") == share(6, 2, 1, 1, 1, 0, 1)
    assert levels(nhs.cube, "9b", "board") == ["executive", "workforce"]
    assert cells(nhs.cube, "9b", "board", "executive") == share(3, 1, 0, 1, 0, 0, 1)  # b1 b3 b4


# --------------------------------------------------------------------------- no data, options


def test_missing_extracts_and_columns_are_no_data():
    data = prepared()
    only = {"workforce": data["workforce"],
            "survey": data["survey"].drop(columns=["discrimination", "harassment_managers"])}
    sc = count(only, SC, PERIOD, CONFIG)
    assert sc.no_data == ["2", "3", "4", "5", "7b"]
    assert set(sc.cube["indicator"]) == {"1", "6", "7a", "8", "9"}
    nhs = count(only, NHS, PERIOD, CONFIG)
    # NHS 6 needs both harassment questions; 9a/9b need the board
    assert nhs.no_data == ["2", "3", "4", "6", "8", "9a", "9b"]


def test_grades_sorted_without_an_order():
    result = count(prepared(), SC, PERIOD, Config())
    assert levels(result.cube, "1", "grade") == ["G1", "G10", "G2"]


def test_empty_population_still_writes_zero_rows():
    data = prepared()
    data["recruitment"] = data["recruitment"].assign(shortlisted=False, appointed=False)
    result = count(data, SC, PERIOD, CONFIG)
    rows = result.cube[result.cube["indicator"] == "2"]
    assert list(rows["breakdown"].unique()) == ["overall"]
    assert (rows["population"] == 0).all()
    assert "2" not in result.no_data


def test_organisation_column_is_a_breakdown_and_blank_is_not_recorded():
    data = prepared()
    data["workforce"] = data["workforce"].assign(
        organisation=["A", "A", "B", "B", None, "A", "B", "A", "A"])
    result = count(data, SC, PERIOD, CONFIG)
    assert levels(result.cube, "3", "organisation") == ["A", "B", NOT_RECORDED]
    assert "organisation" not in set(result.cube.loc[result.cube["indicator"] == "1",
                                                     "breakdown"])


def test_end_date_column_absent_means_nobody_left():
    data = prepared()
    data["workforce"] = data["workforce"].drop(columns="end_date")
    result = count(data, SC, PERIOD, CONFIG)
    assert cells(result.cube, "8")["white"] == (2, 0)  # w1, w3 in post on the start


# --------------------------------------------------------------------------- additivity


def _sum(*cubes: pd.DataFrame) -> pd.DataFrame:
    keys = ["indicator", "breakdown", "level", "group"]
    total = pd.concat(cubes).groupby(keys, sort=False)[["population", "events"]].sum()
    return total


def _assert_same(whole: pd.DataFrame, parts: pd.DataFrame) -> None:
    keys = ["indicator", "breakdown", "level", "group"]
    a = whole.set_index(keys)[["population", "events"]].sort_index()
    b = parts.sort_index()
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_cube_of_two_halves_adds_up_to_the_whole():
    data = prepared()
    person = np.array([True, False, True, False, True, False, True, False, True])
    rows = {name: np.arange(len(f)) % 2 == 0 for name, f in data.items()}
    a, b = split_in_two(data, person, rows)
    for inds in (SC, NHS):
        whole = count(data, inds, PERIOD, CONFIG).cube
        _assert_same(whole, _sum(count(a, inds, PERIOD, CONFIG).cube,
                                 count(b, inds, PERIOD, CONFIG).cube))


GROUPS = ["white", "asian", "black", "mixed", "other", "unknown"]


def _random_data(seed: int, n: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D")
    length = pd.to_timedelta(rng.integers(0, 800, n), unit="D")
    end = pd.Series(start + length).where(rng.random(n) < 0.5)
    ids = [f"p{i}" for i in range(n)]
    workforce = pd.DataFrame({
        "staff_id": ids, "ethnic_group": rng.choice(GROUPS, n),
        "grade": rng.choice(["G1", "G2", "G10"], n), "start_date": start, "end_date": end,
        "registered_professional": rng.random(n) < 0.5, "senior_manager": rng.random(n) < 0.3,
        "staff_group": pd.Series(rng.choice(["Clinical", "Support", ""], n)).replace("", None),
        "organisation": rng.choice(["A", "B"], n),
    })

    def events(prefix, date_col, k):
        dates = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 500, k), unit="D")
        return pd.DataFrame({f"{prefix}_id": [f"{prefix}{i}" for i in range(k)],
                             "staff_id": rng.choice(ids, k), date_col: dates})

    m = max(1, n // 2)

    def answers(k):
        return pd.array(rng.choice([True, False, None], k), dtype="boolean")

    return {
        "workforce": workforce,
        "disciplinary": events("case", "start_date", n).rename(columns={"case_id": "case_id"}),
        "fitness_to_practise": events("referral", "referral_date", n),
        "training": events("record", "date", n),
        "recruitment": pd.DataFrame({
            "application_id": [f"a{i}" for i in range(m)],
            "ethnic_group": rng.choice(GROUPS, m), "shortlisted": rng.random(m) < 0.7,
            "appointed": rng.random(m) < 0.4,
            "application_date": pd.Timestamp("2025-01-01")
            + pd.to_timedelta(rng.integers(0, 500, m), unit="D"),
            "vacancy_grade": rng.choice(["G1", "G2"], m),
        }),
        "survey": pd.DataFrame({
            "respondent_id": [f"s{i}" for i in range(m)], "ethnic_group": rng.choice(GROUPS, m),
            **{q: answers(m) for q in ("harassment_public", "harassment_colleagues",
                                       "harassment_managers", "equal_opportunities",
                                       "discrimination")},
        }),
        "board": pd.DataFrame({
            "member_id": [f"b{i}" for i in range(m)], "ethnic_group": rng.choice(GROUPS, m),
            "voting": rng.random(m) < 0.6, "executive": rng.random(m) < 0.5,
        }),
    }


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40), standard=st.sampled_from([0, 1]))
def test_cube_is_additive_for_any_split(seed, n, standard):
    data = _random_data(seed, n)
    rng = np.random.default_rng(seed + 1)
    person = rng.random(n) < 0.5
    rows = {name: rng.random(len(f)) < 0.5 for name, f in data.items()}
    a, b = split_in_two(data, person, rows)
    inds = (SC, NHS)[standard]
    whole = count(data, inds, PERIOD, CONFIG).cube
    _assert_same(whole, _sum(count(a, inds, PERIOD, CONFIG).cube,
                             count(b, inds, PERIOD, CONFIG).cube))
