"""Indicator definitions: every shipped file loads; malformed ones are refused
with the file and key named; a new indicator needs a file, not code."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from wres_cli.config import Config, Period
from wres_cli.contract import RESULT_COLUMNS
from wres_cli.counts import count
from wres_cli.errors import ConfigError
from wres_cli.indicator_files import load_indicators
from wres_cli.indicators import describe
from wres_cli.measure import measure
from wres_cli.resources import resource_dir

SHIPPED = resource_dir("indicators")
PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))
T = pd.Timestamp


def test_social_care_definitions_load_in_order():
    inds = load_indicators("social-care")
    # The pay gap (methodology section 7) sorts after the numbered indicators.
    assert [i.id for i in inds] == ["1", "2", "3", "4", "5", "6", "7a", "7b", "8", "9", "pay"]
    by_id = {i.id: i for i in inds}
    assert by_id["1"].measure == by_id["9"].measure == "share"
    for ident in ("2", "3", "4", "5", "6", "7a", "7b", "8"):
        ratio = by_id[ident].ratio
        assert by_id[ident].measure == "rate"
        assert ratio.focal == ("minority", "asian", "black", "mixed", "other")
        assert ratio.reference == ("white",)
        assert (ratio.low, ratio.high) == (0.80, 1.25)
    assert {i: by_id[i].ratio.adverse for i in ("2", "5")} == {"2": "low", "5": "low"}
    assert all(by_id[i].ratio.adverse == "high" for i in ("3", "4", "6", "7a", "7b", "8"))
    assert by_id["9"].named_levels == {"seniority": ("senior", "workforce")}
    assert [d.reference for d in by_id["9"].differences] == ["workforce", "population"]
    assert by_id["2"].population.column_for("grade") == "vacancy_grade"


def test_nhs_definitions_load_in_order():
    inds = load_indicators("nhs")
    ids = [i.id for i in inds]
    assert ids == ["1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b", "pay"]
    by_id = {i.id: i for i in inds}
    for ident in ("2", "4"):
        assert by_id[ident].ratio.focal == ("white",)
        assert by_id[ident].ratio.reference == ("minority", "asian", "black", "mixed", "other")
        assert by_id[ident].ratio.adverse == "high"
    assert by_id["3"].ratio.focal[0] == "minority"
    assert by_id["7"].ratio.adverse == "low"
    assert by_id["6"].event.columns == ("harassment_colleagues", "harassment_managers")
    assert "staff_group+grade" in by_id["1"].breakdowns
    assert by_id["9a"].named_levels == {"board": ("voting", "workforce")}
    assert by_id["9b"].named_levels == {"board": ("executive", "workforce")}


@pytest.mark.parametrize("standard", ["social-care", "nhs"])
def test_describe_says_it_in_words(standard):
    for ind in load_indicators(standard):
        text = describe(ind)
        assert text.startswith(f"{ind.id}  {ind.title}")
        assert "Population:" in text


def test_unknown_standard_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no indicator definitions"):
        load_indicators("police", tmp_path / "nowhere")


# --------------------------------------------------------------------------- strictness


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "defs"
    folder.mkdir(exist_ok=True)
    text = (SHIPPED / "social-care" / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("name", "old", "new", "key", "words"), [
    ("3.toml", "[event]", "[evnt]", "evnt", "did you mean 'event'"),
    ("3.toml", 'rule = "in_post_during_period"', 'rule = "in_post_sometimes"',
     "population.rule", "population rule"),
    ("3.toml", 'rule = "any_in_period"', 'rule = "any_in_the_period"', "event.rule",
     "did you mean 'any_in_period'"),
    ("3.toml", 'adverse = "high"', 'adverse = "up"', "ratio.adverse", "high, low"),
    ("3.toml", 'date = "start_date"', 'date = "opened"', "event.date",
     "not a column of the disciplinary extract"),
    ("3.toml", 'extract = "disciplinary"', 'extract = "discipline"', "event.extract",
     "did you mean 'disciplinary'"),
    ("3.toml", "range = [0.80, 1.25]", "range = [1.25, 0.80]", "ratio.range", "low < high"),
    ("3.toml", 'reference = ["white"]', 'reference = ["unknown"]', "ratio.reference",
     "never enters a ratio"),
    ("3.toml", '"service"', '"department"', "breakdowns", "breakdown dimension"),
    ("3.toml", 'measure = "rate"', 'measure = "ratio"', "measure", "rate, share"),
    ("3.toml", 'id = "3"', "id = 3", "id", "non-blank text"),
    ("4.toml", "registered_professional = true", "registered_professional = 1",
     "population.filter.registered_professional", "true or false"),
    ("2.toml", "breakdown_columns = { grade = \"vacancy_grade\" }", "", "breakdowns",
     "no grade column"),
    ("9.toml", 'against = "population"', 'against = "census"', "difference[1].against",
     "population"),
    ("9.toml", 'level = "senior" }', 'level = "seniors" }', "difference[0].focal.level",
     "senior, workforce"),
    ("1.toml", 'measure = "share"', 'measure = "rate"', "event", "is required"),
])
def test_malformed_definition_names_file_and_key(tmp_path, name, old, new, key, words):
    folder = _broken(tmp_path, name, old, new)
    with pytest.raises(ConfigError) as caught:
        load_indicators("social-care", folder)
    message = str(caught.value)
    assert str(folder / name) in message
    assert f"'{key}'" in message
    assert words in message


def test_invalid_toml_names_the_file(tmp_path):
    folder = _broken(tmp_path, "3.toml", 'id = "3"', 'id = "3')
    with pytest.raises(ConfigError, match=r"3\.toml is not valid TOML"):
        load_indicators("social-care", folder)


def test_every_problem_is_listed(tmp_path):
    folder = _broken(tmp_path, "3.toml", 'adverse = "high"', 'adverse = "up"\nfoo = 1')
    with pytest.raises(ConfigError, match="2 problems") as caught:
        load_indicators("social-care", folder)
    assert "'ratio.foo'" in str(caught.value) and "'ratio.adverse'" in str(caught.value)


def test_two_files_with_one_id_are_refused(tmp_path):
    folder = tmp_path / "defs"
    folder.mkdir()
    shutil.copy(SHIPPED / "social-care" / "3.toml", folder / "3.toml")
    shutil.copy(SHIPPED / "social-care" / "3.toml", folder / "3-copy.toml")
    with pytest.raises(ConfigError, match=r"'id'.*also defined"):
        load_indicators("social-care", folder)


# --------------------------------------------------------------------------- data, not code


def test_new_indicator_from_a_file_alone(tmp_path):
    """A copy of indicator 3 that reads training is counted and measured like 5."""
    folder = tmp_path / "defs"
    folder.mkdir()
    for name in ("3.toml", "5.toml"):
        shutil.copy(SHIPPED / "social-care" / name, folder / name)
    text = (SHIPPED / "social-care" / "3.toml").read_text(encoding="utf-8")
    text = (text.replace('id = "3"', 'id = "3x"')
                .replace('extract = "disciplinary"', 'extract = "training"')
                .replace('date = "start_date"', 'date = "date"'))
    (folder / "3x.toml").write_text(text, encoding="utf-8")

    inds = load_indicators("social-care", folder)
    assert [i.id for i in inds] == ["3", "3x", "5"]

    workforce = pd.DataFrame({
        "staff_id": ["w1", "w2", "m1", "m2"],
        "ethnic_group": ["white", "white", "asian", "black"],
        "grade": ["G1", "G1", "G1", "G2"],
        "start_date": [T("2020-01-01")] * 4,
        "end_date": [pd.NaT] * 4,
    })
    training = pd.DataFrame({
        "record_id": ["t1", "t2", "t3", "t4", "t5"], "staff_id": ["w1", "m1", "m1", "w2", "zz"],
        "date": [T("2025-05-01"), T("2025-06-01"), T("2025-07-01"), T("2024-07-01"),
                 T("2025-07-01")]})
    result = count({"workforce": workforce, "training": training}, inds, PERIOD, Config())
    assert result.no_data == ["3"]
    # one extract read by two indicators: its left-out rows are named per indicator
    assert result.exclusions["training"] == {
        "outside the period": 1,
        "person not in the population of indicator 3x": 1,
        "person not in the population of indicator 5": 1,
    }
    cube = result.cube.set_index(["indicator", "breakdown", "level", "group"])
    assert tuple(cube.loc[("3x", "overall", "all", "minority")]) == (2, 1)
    assert tuple(cube.loc[("3x", "overall", "all", "white")]) == (2, 1)

    rows = measure(result.cube, inds, period=PERIOD, standard="social-care",
                   organisation="Org", population_benchmark=None)
    assert tuple(rows.columns) == RESULT_COLUMNS
    new = rows[rows["indicator"] == "3x"].drop(columns="indicator").reset_index(drop=True)
    five = rows[rows["indicator"] == "5"].reset_index(drop=True)
    # Same numbers as indicator 5 (it reads the same data); only the adverse side differs.
    pd.testing.assert_frame_equal(new.drop(columns="assessment"),
                                  five.drop(columns=["indicator", "assessment"]))
    rl = new[(new["measure"] == "relative_likelihood") & (new["group"] == "minority")
             & (new["breakdown"] == "overall")]
    assert rl["value"].item() == pytest.approx((1 / 2) / (1 / 2))


def test_the_pay_gap_definition_loads_for_both_standards_and_is_checked() -> None:
    from wres_cli.errors import ConfigError
    from wres_cli.indicator_files import parse_indicator

    for standard in ("social-care", "nhs"):
        pay = {i.id: i for i in load_indicators(standard)}["pay"]
        assert pay.measure == "pay_gap" and pay.population.extract == "pay"
        assert pay.breakdowns == ("grade",)  # from the person's workforce row
    base = {"id": "pay", "title": "t", "why": "w", "measure": "pay_gap",
            "population": {"extract": "pay", "rule": "all"}}
    assert parse_indicator(base, "pay.toml").measure == "pay_gap"
    with pytest.raises(ConfigError, match=r"population\.extract"):
        parse_indicator({**base, "population": {"extract": "workforce", "rule": "all"}}, "x")
    with pytest.raises(ConfigError, match="ratio"):
        parse_indicator({**base, "ratio": {"focal": ["minority"], "reference": ["white"],
                                           "adverse": "high"}}, "x")


def test_ids_sort_by_number_then_suffix_without_a_list_of_ids():
    from wres_cli.indicators import indicator_sort_key

    shuffled = ["pay", "9b", "10", "7b", "included", "3x", "9", "7", "1", "7a", "3", "9a"]
    assert sorted(shuffled, key=indicator_sort_key) == [
        "1", "3", "3x", "7", "7a", "7b", "9", "9a", "9b", "10", "included", "pay"]
