"""An NHS trust's WRES as trusts produce it (issue 14): a 1,200-staff trust built
here, its staff survey given as the published breakdown (survey_summary), ESR
staff groups mapped, AfC bands in clusters. Every expected figure is worked out
in the test, from the rows the test wrote, never read back from wres."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from wres_cli import compute, validate
from wres_cli.errors import InputError

GRADES = ["Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a",
          "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"]
# ESR staff groups as the export spells them (one in capitals: matching ignores case).
ESR_GROUPS = ["Nursing and Midwifery Registered", "ADMIN AND CLERICAL", "Medical and Dental",
              "Allied Health Professionals", "Estates and Ancillary"]
CATEGORY = {"Nursing and Midwifery Registered": "Clinical", "ADMIN AND CLERICAL": "Non-clinical",
            "Medical and Dental": "Medical and dental",
            "Allied Health Professionals": "Clinical", "Estates and Ancillary": "Non-clinical"}
# NHS ethnic codes: A White British; H Indian, N African, F White and Asian, S any other.
BROAD = {"A": "white", "H": "asian", "N": "black", "F": "mixed", "S": "other", "Z": "unknown"}
Z = 1.959964

CONFIG = """\
organisation = "Northmoor NHS Foundation Trust"
standard = "nhs"

[period]
start = 2025-04-01
end = 2026-03-31

[grades]
order = [{grades}]

[values.staff_group]
"Nursing and Midwifery Registered" = "Clinical"
"Allied Health Professionals" = "Clinical"
"Admin and Clerical" = "Non-clinical"
"Estates and Ancillary" = "Non-clinical"
"Medical and Dental" = "Medical and dental"
{extra}
"""

SURVEY_SUMMARY = """\
question,group,respondents,percent,yes
harassment_public,White,600,25.0,
harassment_public,BME,200,31.5,
harassment_staff,White,598,,130
harassment_staff,BME,201,,52
equal_opportunities,White,590,58.1,
equal_opportunities,BME,195,44.6,
discrimination,White,600,6.5,39
discrimination,BME,250,13.0,
"""


def _staff() -> list[dict[str, str]]:
    """1,200 staff: codes cycle so that 3 in 4 are White British."""
    codes = ["A"] * 9 + ["H", "N", "F"]
    rows = []
    for i in range(1200):
        code = codes[i % 12]
        if code == "F" and (i // 12) % 2:
            code = "S"
        if i % 97 == 0:
            code = "Z"
        rows.append({
            "staff_id": f"E{i:05d}", "ethnicity": code, "grade": GRADES[(i * 7) % 13],
            "start_date": "2015-01-01", "end_date": "2025-10-31" if i % 40 == 0 else "",
            "staff_group": ESR_GROUPS[(i // 5) % 5],
        })
    return rows


def _trust(folder: Path, *, survey_summary: str | None = SURVEY_SUMMARY,
           extra_config: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    grades = ", ".join(f'"{g}"' for g in GRADES)
    (folder / "wres.toml").write_text(CONFIG.format(grades=grades, extra=extra_config))
    pd.DataFrame(_staff()).to_csv(folder / "workforce.csv", index=False)
    apps = [{"application_id": f"A{i:04d}", "ethnicity": "A" if i < 120 else "H",
             "shortlisted": "yes", "appointed": "yes" if (i < 30 or 120 <= i < 130) else "no",
             "application_date": "2025-06-01", "vacancy_grade": GRADES[i % 13]}
            for i in range(200)]
    pd.DataFrame(apps).to_csv(folder / "recruitment.csv", index=False)
    cases = [{"case_id": f"C{i}", "staff_id": f"E{i * 12:05d}", "start_date": "2025-07-01"}
             for i in range(1, 16)]
    pd.DataFrame(cases).to_csv(folder / "disciplinary.csv", index=False)
    training = [{"record_id": f"T{i}", "staff_id": f"E{i:05d}", "date": "2025-09-01"}
                for i in range(1, 400)]
    pd.DataFrame(training).to_csv(folder / "training.csv", index=False)
    board = [{"member_id": f"B{i}", "ethnicity": "A" if i < 10 else "H",
              "voting": "yes" if i < 9 or i == 11 else "no",
              "executive": "yes" if i % 2 else "no"} for i in range(12)]
    pd.DataFrame(board).to_csv(folder / "board.csv", index=False)
    if survey_summary is not None:
        (folder / "survey_summary.csv").write_text(survey_summary)
    return folder


def _wilson(e: int, n: int) -> tuple[float, float]:
    """The textbook form: (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)."""
    p = e / n
    centre = p + Z * Z / (2 * n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (centre - half) / (1 + Z * Z / n), (centre + half) / (1 + Z * Z / n)


def _newcombe(a: int, n_f: int, c: int, n_r: int) -> tuple[float, float, float]:
    pf, pr = a / n_f, c / n_r
    lf, uf = _wilson(a, n_f)
    lr, ur = _wilson(c, n_r)
    d = pf - pr
    return d, d - math.sqrt((pf - lf) ** 2 + (ur - pr) ** 2), \
        d + math.sqrt((uf - pf) ** 2 + (pr - lr) ** 2)


def _row(results: pd.DataFrame, **where: str) -> pd.Series:
    mask = pd.Series(True, index=results.index)
    for column, value in where.items():
        mask &= results[column] == value
    found = results[mask]
    assert len(found) == 1, (where, found)
    return found.iloc[0]


@pytest.fixture(scope="module")
def trust_results(tmp_path_factory: pytest.TempPathFactory):
    folder = _trust(tmp_path_factory.mktemp("trust") / "data")
    return compute(folder)


# --------------------------------------------------------------------------- survey 5-8

# (indicator, White respondents, White yes, BME respondents, BME yes, adverse side), each
# yes worked by hand from SURVEY_SUMMARY: 25.0 % of 600 = 150; 31.5 % of 200 = 63;
# 58.1 % of 590 = 342.79 -> 343; 44.6 % of 195 = 86.97 -> 87; 13.0 % of 250 = 32.5 -> 32
# (half to even, not 33).
SURVEY_EXPECTED = [
    ("5", 600, 150, 200, 63, "high"),
    ("6", 598, 130, 201, 52, "high"),
    ("7", 590, 343, 195, 87, "low"),
    ("8", 600, 39, 250, 32, "high"),
]


@pytest.mark.parametrize(("indicator", "n_w", "y_w", "n_b", "y_b", "side"), SURVEY_EXPECTED)
def test_survey_indicators_from_the_published_breakdown(trust_results, indicator, n_w, y_w,
                                                        n_b, y_b, side) -> None:
    rows = trust_results.results
    rows = rows[rows["indicator"] == indicator]
    assert set(rows["breakdown"]) == {"overall"}  # a summary has no breakdowns
    white = _row(rows, measure="rate", group="white")
    bme = _row(rows, measure="rate", group="minority")
    assert (white["numerator"], white["denominator"]) == (y_w, n_w)
    assert (bme["numerator"], bme["denominator"]) == (y_b, n_b)
    assert white["value"] == pytest.approx(y_w / n_w, abs=1e-12)
    # No rows for the broad groups the breakdown does not give.
    assert set(rows.loc[rows["measure"] == "rate", "group"]) == {"white", "minority"}

    ratio = _row(rows, measure="relative_likelihood")
    assert (ratio["group"], ratio["reference"]) == ("minority", "white")
    assert ratio["value"] == pytest.approx((y_b / n_b) / (y_w / n_w), rel=1e-12)
    assert pd.isna(ratio["assessment"]) or ratio["assessment"] in ("", "None")  # no range

    diff = _row(rows, measure="difference")
    d, low, high = _newcombe(y_b, n_b, y_w, n_w)
    assert (diff["group"], diff["reference"]) == ("minority", "white")
    assert diff["value"] == pytest.approx(d, abs=1e-12)
    assert diff["ci_low"] == pytest.approx(low, abs=1e-9)
    assert diff["ci_high"] == pytest.approx(high, abs=1e-9)
    significant = low > 0 or high < 0
    assert bool(diff["significant"]) is significant
    if not significant:
        expected = "no significant difference"
    elif (d > 0) == (side == "high"):
        expected = "adverse"
    else:
        expected = "favourable"
    assert diff["assessment"] == expected


def test_worked_newcombe_verdicts() -> None:
    """By hand: indicator 8, BME 32/250 = 0.128, White 39/600 = 0.065, d = 0.063;
    Wilson for 32/250 is about 0.0920 to 0.1755, for 39/600 about 0.0479 to
    0.0876; low = 0.063 - sqrt(0.0360² + 0.0226²) = 0.0205 > 0: adverse.
    Indicator 7: BME 87/195 = 0.4462 against White 343/590 = 0.5814, a gap of
    -0.135 whose interval lies below 0: adverse on the low side."""
    d8, low8, _ = _newcombe(32, 250, 39, 600)
    assert d8 == pytest.approx(0.063)
    assert low8 == pytest.approx(0.0205, abs=5e-4)
    d7, _, high7 = _newcombe(87, 195, 343, 590)
    assert d7 == pytest.approx(87 / 195 - 343 / 590)
    assert high7 < 0


def test_survey_verdicts_in_the_results(trust_results) -> None:
    rows = trust_results.results
    diffs = rows[rows["measure"] == "difference"].set_index("indicator")
    assert diffs.loc["8", "assessment"] == "adverse"
    assert diffs.loc["7", "assessment"] == "adverse"


def test_newcombe_matches_the_published_examples() -> None:
    """Newcombe (1998), Table II, method 10: 56/70 - 48/80 gives 0.0524 to 0.3339,
    9/10 - 3/10 gives 0.1705 to 0.8090."""
    from wres_cli import stats

    result = stats.newcombe_difference([56, 9], [70, 10], [48, 3], [80, 10])
    assert result.ci_low.round(4).tolist() == [0.0524, 0.1705]
    assert result.ci_high.round(4).tolist() == [0.3339, 0.8090]


def test_derived_counts_listed_in_data_quality(trust_results) -> None:
    derived = trust_results.data_quality["extracts"]["survey_summary"]["derived_counts"]
    listed = {(d["question"], d["group"]): (d["percent"], d["respondents"], d["yes"])
              for d in derived}
    assert listed == {
        ("harassment_public", "white"): (25.0, 600, 150),
        ("harassment_public", "minority"): (31.5, 200, 63),
        ("equal_opportunities", "white"): (58.1, 590, 343),
        ("equal_opportunities", "minority"): (44.6, 195, 87),
        ("discrimination", "minority"): (13.0, 250, 32),
    }  # harassment_staff and White discrimination gave yes counts: nothing derived


def test_all_nine_indicators_computed(trust_results) -> None:
    rows = trust_results.results
    assert set(rows["indicator"]) == {"1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b"}
    assert trust_results.data_quality["no_data"] == []


def test_indicator_2_from_counts(trust_results) -> None:
    """120 White shortlisted, 30 appointed; 80 BME (Indian), 10 appointed:
    White ÷ BME = 0.25 / 0.125 = 2.0."""
    rl = _row(trust_results.results, indicator="2", measure="relative_likelihood",
              breakdown="overall", group="white", reference="minority")
    assert rl["value"] == pytest.approx(2.0)
    assert rl["assessment"] == "adverse"


# --------------------------------------------------------------------------- disclosure


def test_difference_withheld_when_a_rate_is(tmp_path: Path) -> None:
    summary = SURVEY_SUMMARY.replace("harassment_public,BME,200,31.5,",
                                     "harassment_public,BME,8,25,")
    results = compute(_trust(tmp_path / "data", survey_summary=summary)).results
    rows = results[results["indicator"] == "5"]
    bme = _row(rows, measure="rate", group="minority")
    assert bool(bme["suppressed"])
    diff = _row(rows, measure="difference")
    assert bool(diff["suppressed"]) and pd.isna(diff["value"]) and pd.isna(diff["ci_low"])
    assert diff["assessment"] == "suppressed"
    # Indicator 6 is untouched.
    assert not bool(_row(results, indicator="6", measure="difference")["suppressed"])


def test_derivation_of_a_withheld_rate_is_not_listed(tmp_path: Path) -> None:
    summary = SURVEY_SUMMARY.replace("harassment_public,BME,200,31.5,",
                                     "harassment_public,BME,8,25,")
    quality = compute(_trust(tmp_path / "data", survey_summary=summary)).data_quality
    derived = quality["extracts"]["survey_summary"]["derived_counts"]
    entry = next(d for d in derived if (d["question"], d["group"])
                 == ("harassment_public", "minority"))
    assert entry["respondents"] is None and entry["yes"] is None and entry["percent"] is None


# --------------------------------------------------------------------------- bad input


def _problems(tmp_path: Path, summary: str) -> pd.DataFrame:
    report = validate(_trust(tmp_path / "data", survey_summary=summary))
    assert not report.ok
    return report.problems


@pytest.mark.parametrize(("line", "replacement", "column", "rule"), [
    ("harassment_public,White,600,25.0,", "harassment_patients,White,600,25.0,", "question",
     "unknown-question"),
    ("harassment_public,White,600,25.0,", "harassment_public,Whites,600,25.0,", "group",
     "unknown-group"),
    ("harassment_public,White,600,25.0,", "harassment_public,White,600,125,", "percent",
     "percent-out-of-range"),
    ("harassment_public,White,600,25.0,", "harassment_public,White,0,25.0,", "respondents",
     "bad-respondents"),
    ("harassment_public,White,600,25.0,", "harassment_public,White,60.5,25.0,", "respondents",
     "bad-respondents"),
    ("harassment_public,White,600,25.0,", "harassment_public,White,600,25.0,160", "yes",
     "percent-yes-disagree"),
])
def test_bad_summary_rows_named_by_row(tmp_path: Path, line: str, replacement: str,
                                       column: str, rule: str) -> None:
    problems = _problems(tmp_path, SURVEY_SUMMARY.replace(line, replacement))
    mine = problems[problems["file"] == "survey_summary.csv"]
    assert mine["rule"].tolist() == [rule] or rule in mine["rule"].tolist()
    hit = mine[mine["rule"] == rule].iloc[0]
    assert hit["row"] == 2 and hit["column"] == column  # header is row 1


def test_percent_and_yes_that_agree_are_fine(tmp_path: Path) -> None:
    # 150 of 600 is 25.0 % exactly; 39 of 600 is 6.5 %.
    summary = SURVEY_SUMMARY.replace("harassment_public,White,600,25.0,",
                                     "harassment_public,White,600,25.0,150")
    assert validate(_trust(tmp_path / "data", survey_summary=summary)).ok


def test_a_missing_group_is_named(tmp_path: Path) -> None:
    summary = SURVEY_SUMMARY.replace("equal_opportunities,BME,195,44.6,\n", "")
    problems = _problems(tmp_path, summary)
    hit = problems[problems["rule"] == "missing-group"].iloc[0]
    assert hit["file"] == "survey_summary.csv" and hit["row"] == 6
    assert "equal_opportunities" in hit["message"] and "minority" in hit["message"]


def test_survey_and_summary_together_is_an_error(tmp_path: Path) -> None:
    folder = _trust(tmp_path / "data")
    (folder / "survey.csv").write_text("respondent_id,ethnicity,harassment_public\nR1,A,yes\n")
    with pytest.raises(InputError) as caught:
        compute(folder)
    messages = " ".join(caught.value.problems["message"])
    assert "survey.csv" in messages and "survey_summary.csv" in messages


def test_cli_exit_1_naming_both_files(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wres_cli.cli import app

    folder = _trust(tmp_path / "data")
    (folder / "survey.csv").write_text("respondent_id,ethnicity,harassment_public\nR1,A,yes\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["compute", str(folder), "--out", str(out)])
    assert result.exit_code == 1
    assert "survey.csv" in result.output and "survey_summary.csv" in result.output
    assert not (out / "results.json").exists()


def test_broad_groups_add_up_to_minority(tmp_path: Path) -> None:
    """Four broad groups and no BME row: minority is their sum (40 + 30 + 20 + 10
    respondents, 12 + 9 + 5 + 2 yes)."""
    summary = SURVEY_SUMMARY.replace("harassment_public,BME,200,31.5,\n", (
        "harassment_public,asian,40,,12\nharassment_public,black,30,,9\n"
        "harassment_public,mixed,20,,5\nharassment_public,other,10,,2\n"))
    results = compute(_trust(tmp_path / "data", survey_summary=summary)).results
    bme = _row(results, indicator="5", measure="rate", group="minority")
    assert (bme["numerator"], bme["denominator"]) == (28, 100)


def test_results_json_has_no_breakdowns_for_summary(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wres_cli.cli import app

    folder = _trust(tmp_path / "data")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["compute", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "results.json").read_text())
    survey_rows = [r for r in doc["results"] if r["indicator"] in ("5", "6", "7", "8")]
    assert {r["breakdown"] for r in survey_rows} == {"overall"}
    assert {r["measure"] for r in survey_rows} == {"rate", "relative_likelihood", "difference"}


# --------------------------------------------------------------------------- bands, staff groups

BANDS = {"Bands 1-4": ["Band 1", "Band 2", "Band 3", "Band 4"],
         "Bands 5-7": ["Band 5", "Band 6", "Band 7"],
         "Band 8a and above": ["Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"]}
BANDS_TOML = "[grades.bands]\n" + "".join(
    f'"{name}" = [{", ".join(chr(34) + g + chr(34) for g in grades)}]\n'
    for name, grades in BANDS.items())


def _in_post_on_end() -> list[dict[str, str]]:
    return [s for s in _staff() if not s["end_date"]]  # leavers left on 2025-10-31


@pytest.fixture(scope="module")
def banded(tmp_path_factory: pytest.TempPathFactory):
    folder = _trust(tmp_path_factory.mktemp("banded") / "data", extra_config=BANDS_TOML)
    return compute(folder, suppress=False), compute(folder)


def test_indicator_1_by_mapped_esr_staff_groups(banded) -> None:
    rows = banded[0].results
    staff = _in_post_on_end()
    for category in ("Clinical", "Non-clinical", "Medical and dental"):
        cell = [s for s in staff if CATEGORY[s["staff_group"]] == category
                and s["grade"] == "Band 5"]
        bme = sum(BROAD[s["ethnicity"]] not in ("white", "unknown") for s in cell)
        share = _row(rows, indicator="1", measure="share", breakdown="staff_group+grade",
                     level=f"{category}+Band 5", group="minority")
        assert (share["numerator"], share["denominator"]) == (bme, len(cell))
    levels = set(rows.loc[rows["breakdown"] == "staff_group+grade", "level"])
    assert {lv.split("+")[0] for lv in levels} == {"Clinical", "Non-clinical",
                                                   "Medical and dental"}


def test_band_breakdown_wherever_grade_is(banded) -> None:
    rows = banded[0].results
    with_grade = set(rows.loc[rows["breakdown"] == "grade", "indicator"])
    with_band = set(rows.loc[rows["breakdown"] == "band", "indicator"])
    assert with_grade == {"1", "2", "3", "4"} and with_band == with_grade
    assert "staff_group+band" in set(rows.loc[rows["indicator"] == "1", "breakdown"])
    bands = rows[(rows["indicator"] == "1") & (rows["breakdown"] == "band")]
    assert list(dict.fromkeys(bands["level"])) == list(BANDS)  # in [grades.bands] order
    staff = _in_post_on_end()
    for name, grades in BANDS.items():
        mine = [s for s in staff if s["grade"] in grades]
        white = sum(BROAD[s["ethnicity"]] == "white" for s in mine)
        row = _row(bands, level=name, group="white", measure="share")
        assert (row["numerator"], row["denominator"]) == (white, len(mine))
    # Indicator 2 takes the vacancy's band from vacancy_grade: applications i < 120 are
    # White, grade GRADES[i % 13]; Bands 1-4 are i % 13 in 0..3.
    white_apps = sum(1 for i in range(120) if i % 13 < 4)
    rate = _row(rows, indicator="2", measure="rate", breakdown="band", level="Bands 1-4",
                group="white")
    assert rate["denominator"] == white_apps


def test_bands_publish_what_grades_withhold(banded) -> None:
    """Asian staff are 7 or 8 per grade but 30 or so in Bands 1-4: by grade their
    disciplinary rates are withheld, by band the population is published."""
    published = banded[1]
    rows = published.results
    grades = rows[(rows["indicator"] == "3") & (rows["breakdown"] == "grade")
                  & (rows["measure"] == "rate") & (rows["group"] == "asian")
                  & rows["level"].isin(BANDS["Bands 1-4"])]
    assert grades["suppressed"].all()
    band = _row(rows, indicator="3", measure="rate", breakdown="band", level="Bands 1-4",
                group="asian")
    assert not bool(band["suppressed"])
    # Everyone is in post at some time in the period (leavers left on 2025-10-31).
    asian = sum(1 for s in _staff() if s["grade"] in BANDS["Bands 1-4"]
                and BROAD[s["ethnicity"]] == "asian")
    assert band["denominator"] == asian
    assert published.meta["disclosure"]["audit"] == "passed"


def test_band_is_the_sum_of_its_grades_for_disclosure() -> None:
    """A band row published beside all but one of its grades would give that grade
    away by subtraction: the set rule withholds another member."""
    from wres_cli.indicator_files import load_indicators

    def share(level: str, breakdown: str, n: int, total: int) -> dict:
        return {"organisation": "T", "period_start": "2025-04-01", "period_end": "2026-03-31",
                "standard": "nhs", "indicator": "1", "measure": "share",
                "breakdown": breakdown, "level": level, "group": "white", "reference": None,
                "numerator": n, "denominator": total, "value": n / total, "ci_low": 0.0,
                "ci_high": 1.0, "p_value": None, "assessment": None, "significant": None,
                "suppressed": False, "note": None}

    rows = pd.DataFrame([
        share("all", "overall", 150, 400),
        share("Band 1", "grade", 5, 50), share("Band 2", "grade", 95, 150),
        share("Band 3", "grade", 50, 200),
        share("Bands 1-2", "band", 100, 200), share("Band 3", "band", 50, 200),
    ])
    from wres_cli.disclosure import disclose

    bands = {"Band 1": "Bands 1-2", "Band 2": "Bands 1-2", "Band 3": "Band 3"}
    out = disclose(rows, 10, load_indicators("nhs"), bands=bands).results
    withheld = dict(zip(out["breakdown"] + ":" + out["level"], out["suppressed"], strict=True))
    assert withheld["grade:Band 1"]
    # Without the band relation the grade set withholds Band 3 (the smaller), and
    # 100 - 95 = 5 would show Band 1: Band 2 or the band row must go too.
    plain = disclose(rows, 10, load_indicators("nhs")).results
    assert not plain.loc[plain["level"] == "Band 2", "suppressed"].any()
    assert withheld["grade:Band 2"] or withheld["band:Bands 1-2"]


# --------------------------------------------------------------------------- the report


def _section(markdown: str, indicator: str) -> str:
    start = markdown.index(f"## Indicator {indicator}:")
    end = markdown.find("\n## ", start + 1)
    return markdown[start:end if end > 0 else None]


def test_report_leads_survey_sections_with_two_percentages(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wres_cli.cli import app

    lines = SURVEY_SUMMARY.splitlines()
    summary = "\n".join([lines[0] + ",year", lines[1] + ",2025",
                         *(line + "," for line in lines[2:])]) + "\n"
    folder = _trust(tmp_path / "data", survey_summary=summary)
    result = CliRunner().invoke(app, ["report", str(folder), "--out", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    section = _section((tmp_path / "rep" / "report.md").read_text(encoding="utf-8"), "5")
    # 63 of 200 = 31.5 %, 150 of 600 = 25.0 %: a gap of 6.5 points; the Newcombe interval
    # from the hand-worked Wilson intervals, rounded to one decimal as the report does.
    _, low, high = _newcombe(63, 200, 150, 600)
    finding = section.split("### Finding", 1)[1].split("###", 1)[0]
    assert "31.5% of BME staff and 25.0% of White staff" in finding
    assert "+6.5 points" in finding
    assert f"{low * 100:+.1f}".replace("-", "−") + " to " + f"{high * 100:+.1f} points" in finding
    assert "2025 NHS Staff Survey" in finding and "staff survey breakdown" in finding
    # No 0.80-1.25 verdict anywhere in the section.
    for verdict in ("non-adverse range", "0.80", "1.25", "Within range"):
        assert verdict not in section
    assert "No significant difference" in finding
    seven = _section((tmp_path / "rep" / "report.md").read_text(encoding="utf-8"), "7")
    assert "**Adverse.**" in seven and "44.6% of BME staff and 58.1% of White staff" in seven


# --------------------------------------------------------------------------- definitions and config


def test_a_question_the_summary_lacks_is_no_data(tmp_path: Path) -> None:
    summary = "\n".join(line for line in SURVEY_SUMMARY.splitlines()
                        if not line.startswith("discrimination")) + "\n"
    computed = compute(_trust(tmp_path / "data", survey_summary=summary))
    assert computed.data_quality["no_data"] == ["8"]
    assert "8" not in set(computed.results["indicator"])


def test_summary_under_social_care_is_read_by_nothing_and_said(tmp_path: Path) -> None:
    from wres_cli.config import parse_config

    folder = _trust(tmp_path / "data")
    config = parse_config('standard = "social-care"\n')
    result = compute(folder, config=config)
    assert any("survey_summary" in w for w in result.data_quality["warnings"])
    assert {"6", "7a", "7b"} <= set(result.data_quality["no_data"])


def test_rate_difference_and_unjudged_ratio_from_a_file_alone(tmp_path: Path) -> None:
    from wres_cli.indicator_files import load_indicators

    path = tmp_path / "5x.toml"
    path.write_text('''id = "5x"
title = "A survey question"
why = "Why."
measure = "rate"

[population]
extract = "survey"
rule = "answered"
columns = ["harassment_public"]
summary = "harassment_public"

[event]
rule = "flag"
column = "harassment_public"

[ratio]
focal = ["minority"]
reference = ["white"]
adverse = "high"
range = "none"

[difference]
group = "minority"
reference = "white"
adverse = "low"
''')
    ind, = load_indicators("nhs", tmp_path)
    assert ind.ratio is not None and not ind.ratio.assessed
    assert ind.rate_difference is not None and ind.rate_difference.adverse == "low"
    assert ind.population.summary == "harassment_public"


@pytest.mark.parametrize(("change", "key"), [
    (('summary = "harassment_public"', 'summary = "harassment_patients"'),
     "population.summary"),
    (('range = "none"', 'range = "nothing"'), "ratio.range"),
    (('adverse = "low"\n', 'adverse = "sideways"\n'), "difference.adverse"),
    (('reference = "white"\nadverse = "low"', 'reference = "minority"\nadverse = "low"'),
     "difference"),
])
def test_bad_definition_keys_are_named(tmp_path: Path, change: tuple[str, str], key: str) -> None:
    from wres_cli.errors import ConfigError
    from wres_cli.indicator_files import load_indicators

    text = (Path(__file__).resolve().parent.parent / "indicators" / "nhs" / "7.toml").read_text()
    text = text.replace('summary = "equal_opportunities"', 'summary = "harassment_public"')
    old, new = change
    assert old in text
    at = text.rindex(old)  # the last: the [difference] table's own keys come last
    path = tmp_path / "7.toml"
    path.write_text(text[:at] + new + text[at + len(old):])
    with pytest.raises(ConfigError) as caught:
        load_indicators("nhs", tmp_path)
    assert f"'{key}" in str(caught.value)


@pytest.mark.parametrize(("bands", "message"), [
    ('"Low" = ["Band 1", "Band 2"]\n"High" = ["Band 2"]', 'already in band "Low"'),
    ('"Low" = ["Band 1", "Band 99"]', '"Band 99", not in \'grades.order\''),
    ('"Low" = []', "must list at least one grade"),
])
def test_bad_bands_are_config_errors(bands: str, message: str) -> None:
    from wres_cli.config import parse_config
    from wres_cli.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        parse_config(f'[grades]\norder = ["Band 1", "Band 2"]\n[grades.bands]\n{bands}\n')
    assert message in str(caught.value) and "grades.bands" in str(caught.value)


def test_percent_fractions_are_warned_about(tmp_path: Path) -> None:
    """0.25 and 0.315 read as percents give 1.5 and 0.63 -> 2 and 1 respondents: the
    figures are almost certainly fractions copied from percentage cells."""
    summary = (SURVEY_SUMMARY.replace("600,25.0,", "600,0.25,")
               .replace("200,31.5,", "200,0.315,").replace("590,58.1,", "590,0.581,")
               .replace("195,44.6,", "195,0.446,").replace("250,13.0,", "250,0.13,"))
    quality = compute(_trust(tmp_path / "data", survey_summary=summary)).data_quality
    assert any("multiply them by 100" in w for w in quality["warnings"])


def test_band_grades_spelt_as_the_bands_list_them_without_an_order(tmp_path: Path) -> None:
    """No [grades] order: "band 1" in the data is "Band 1" as [grades.bands] spells it, so
    the band is the sum of grades found by name."""
    from wres_cli.config import parse_config

    folder = _trust(tmp_path / "data")
    staff = pd.read_csv(folder / "workforce.csv", dtype=str, keep_default_na=False)
    staff["grade"] = staff["grade"].str.lower()
    staff.to_csv(folder / "workforce.csv", index=False)
    config = parse_config('standard = "nhs"\n[period]\nstart = 2025-04-01\nend = 2026-03-31\n'
                          + BANDS_TOML)
    rows = compute(folder, config=config, suppress=False).results
    grades = set(rows.loc[(rows["indicator"] == "1") & (rows["breakdown"] == "grade"), "level"])
    assert grades == set(GRADES)
