"""Local measures (methodology section 8): the organisation's own indicator files.

Expected counts are worked out here from the sample generator's canonical frames
with plain pandas and the generator's own spelling table (which says which broad
group each raw ethnicity it wrote belongs to), never from wres's counting code."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.helpers import run, snapshot
from wres_cli import compute
from wres_cli.errors import ConfigError, InputError
from wres_cli.indicator_files import load_local_indicators
from wres_cli.sample import generate_council, write_sample
from wres_cli.sample.people import _CATEGORIES, _SPELLINGS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "local-indicators"
EXAMPLE_IDS = ("psych_safety", "included", "promotion", "leadership", "reverse_mentor")
START, END = pd.Timestamp("2025-04-01"), pd.Timestamp("2026-03-31")
LOCAL = '\n[indicators]\nlocal = "local-indicators"\n'


def _configure(folder: Path, files: Path = EXAMPLES) -> Path:
    shutil.copytree(files, folder / "local-indicators")
    with (folder / "wres.toml").open("a", encoding="utf-8") as handle:
        handle.write(LOCAL)
    return folder


@pytest.fixture(scope="module")
def local_out(sample_with_local: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``wres compute`` of that folder with the default options; read only."""
    out = tmp_path_factory.mktemp("local-out") / "out"
    code, _, err = run("compute", str(sample_with_local), "--out", str(out))
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def unsuppressed(_sample_with_local_unsuppressed: Any) -> pd.DataFrame:
    """The sample with the example measures (conftest's ``sample_with_local``),
    unsuppressed: computed once for the session, this module's copy."""
    return _sample_with_local_unsuppressed.results.copy()


# --------------------------------------------------------------------------- reference counts

def _side(raw: pd.Series) -> pd.Series:
    """white / minority / unknown from the generator's spelling table."""
    group_of = {spelling: _CATEGORIES[cat][0] for cat, spellings in _SPELLINGS.items()
                for spelling in spellings}
    broad = raw.fillna("").map(group_of)
    assert broad.notna().all()
    return broad.map(lambda g: g if g in ("white", "unknown") else "minority")


def _key(value: object) -> str:
    return "".join(str(value).split()).casefold()


def _reference_counts() -> dict[str, pd.DataFrame]:
    """indicator -> frame of (side, service, in population, had event), one row
    per person or respondent, from the generator's frames."""
    frames = generate_council()
    staff = frames["workforce"]
    in_post = (staff["start_date"] <= END) & (staff["end_date"].isna()
                                              | (staff["end_date"] >= START))
    people = pd.DataFrame({"side": _side(staff["ethnicity"]), "service": staff["service"],
                           "member": in_post, "staff_id": staff["staff_id"]})

    def had(records: pd.DataFrame, date: str, keep: pd.Series) -> pd.Series:
        dated = records[(records[date] >= START) & (records[date] <= END) & keep]
        return people["staff_id"].isin(set(dated["staff_id"]))

    prom, prog = frames["promotions"], frames["programmes"]
    name, role = prog["programme"].map(_key), prog["role"].map(_key)
    out = {
        "promotion": people.assign(event=had(prom, "date", pd.Series(True, index=prom.index))),
        "leadership": people.assign(event=had(prog, "start_date",
                                              name.isin({"leadershipprogramme", "bali"}))),
        "reverse_mentor": people.assign(event=had(
            prog, "start_date", (name == "reversementoring") & (role == "mentor"))),
    }
    survey = frames["survey"]
    answer = survey["psych_safety"].replace("", None)
    respondents = pd.DataFrame({"side": _side(survey["ethnicity"]),
                                "service": survey["service"]})
    out["psych_safety"] = respondents.assign(
        member=answer.notna(), event=answer.map(_key).isin({"agree", "stronglyagree"}))
    included = survey["included"]
    out["included"] = respondents.assign(member=included.notna(),
                                         event=included.fillna(False).astype(bool))
    return out


def _expected(table: pd.DataFrame, side: str, service: str | None = None) -> tuple[int, int]:
    rows = table[table["member"] & (table["side"] == side)]
    if service is not None:
        rows = rows[rows["service"] == service]
    return int(rows["event"].sum()), len(rows)


def _published(results: pd.DataFrame, indicator: str, group: str,
               level: str = "all") -> tuple[int, int]:
    breakdown = "overall" if level == "all" else "service"
    row = results[(results["indicator"] == indicator) & (results["measure"] == "rate")
                  & (results["breakdown"] == breakdown) & (results["level"] == level)
                  & (results["group"] == group)]
    assert len(row) == 1, (indicator, group, level)
    return int(row["numerator"].iloc[0]), int(row["denominator"].iloc[0])


@pytest.mark.parametrize("indicator", EXAMPLE_IDS)
def test_every_example_measure_equals_an_independent_count(unsuppressed, indicator):
    table = _reference_counts()[indicator]
    for side in ("white", "minority", "unknown"):
        assert _published(unsuppressed, indicator, side) == _expected(table, side), side
        for service in ("Adults", "Children", "Resources"):
            assert (_published(unsuppressed, indicator, side, service)
                    == _expected(table, side, service)), (side, service)
    # Overall and by breakdown, with ratios: counted exactly like the standard's.
    written = unsuppressed[unsuppressed["indicator"] == indicator]
    # The sample has no organisation column, so that breakdown is not written.
    assert set(written["breakdown"]) == {"overall", "grade", "staff_group", "service"}
    ratio = written[(written["measure"] == "relative_likelihood")
                    & (written["breakdown"] == "overall") & (written["group"] == "minority")]
    (w_events, w_people), (m_events, m_people) = (_expected(table, "white"),
                                                  _expected(table, "minority"))
    assert ratio["value"].iloc[0] == pytest.approx((m_events / m_people) / (w_events / w_people))


def test_the_sample_plants_something_for_each_example_to_find(unsuppressed):
    table = _reference_counts()
    for indicator in EXAMPLE_IDS:
        for side in ("white", "minority"):
            events, people = _expected(table[indicator], side)
            assert events >= 10 and people - events >= 10, (indicator, side)
    # Answers in other capitals and spacing are there, and matched.
    survey = generate_council()["survey"]["psych_safety"]
    assert (survey.str.strip() != survey).any() and survey.str.isupper().any()
    programmes = generate_council()["programmes"]["programme"]
    assert (programmes.str.strip() != programmes).any()


def test_published_run_withholds_local_measures_and_lists_them(sample_with_local, local_out):
    results = pd.read_csv(local_out / "results.csv")
    assert set(EXAMPLE_IDS) <= set(results["indicator"])
    small = results[(results["measure"] == "rate") & results["numerator"].between(1, 9)]
    assert small.empty
    code, text, _ = run("indicators", "--config", str(sample_with_local / "wres.toml"))
    assert code == 0
    assert "Local measures" in text
    for indicator in EXAMPLE_IDS:
        assert f"{indicator}  " in text
        assert f"{indicator}.toml" in text


def test_a_local_share_indicator_is_withheld_exactly_as_indicator_9(tmp_path):
    """A copy of indicator 9 under a local id goes through the same disclosure
    stage: every row, withheld or not, is indicator 9's row."""
    folder = tmp_path / "data"
    write_sample(folder, staff=600, seed=7)
    local = tmp_path / "files"
    local.mkdir()
    nine = (ROOT / "indicators" / "social-care" / "9.toml").read_text(encoding="utf-8")
    (local / "senior.toml").write_text(nine.replace('id = "9"', 'id = "senior"'),
                                       encoding="utf-8")
    _configure(folder, local)
    results = compute(folder).results
    columns = [c for c in results.columns if c != "indicator"]
    standard = results[results["indicator"] == "9"][columns].reset_index(drop=True)
    own = results[results["indicator"] == "senior"][columns].reset_index(drop=True)
    assert len(standard) and standard["suppressed"].any() and not standard["suppressed"].all()
    pd.testing.assert_frame_equal(standard, own)


# --------------------------------------------------------------------------- bad input

GOOD = (EXAMPLES / "psych_safety.toml").read_text(encoding="utf-8")


def _folder_with(tmp_path: Path, **files: str) -> Path:
    """The sample with one local file of the given text (name -> text)."""
    folder = tmp_path / "data"
    write_sample(folder, staff=300)
    local = tmp_path / "files"
    local.mkdir()
    for name, text in files.items():
        (local / f"{name}.toml").write_text(text, encoding="utf-8")
    return _configure(folder, local)


def _refused(tmp_path: Path, folder: Path, code: int, *words: str) -> str:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    exit_code, _, err = run("compute", str(folder), "--out", str(out))
    assert exit_code == code, err
    assert "Traceback" not in err
    flat = " ".join(err.split())
    for word in words:
        assert word in flat, (word, flat)
    assert snapshot(out) == before  # nothing written
    return flat


@pytest.mark.parametrize(("text", "words"), [
    (GOOD.replace('measure = "rate"', 'measure = "rate"\ncolour = "blue"'),
     ("unknown key 'colour'", "psych_safety.toml")),
    (GOOD.replace('rule = "answer_in"', 'rule = "answer_within"'),
     ("'event.rule'", "answer_within", "psych_safety.toml")),
    (GOOD.replace('rule = "answered"', 'rule = "answerd"'),
     ("'population.rule'", "answerd")),
    (GOOD.replace('id = "psych_safety"', 'id = "5"'),
     ("'id'", "psych_safety.toml", "'5' is an indicator of the social-care standard")),
    (GOOD.replace('values = ["Agree", "Strongly agree"]', 'values = ["Agree", "Yes"]'),
     ("'event.values'", "'Yes'", "not in event.scale", "psych_safety.toml")),
    (GOOD.replace('extract = "survey"', 'extract = "workforce"').replace(
        'rule = "answered"\ncolumns = ["psych_safety"]', 'rule = "in_post_during_period"'),
     ("'event.column'", "psych_safety", "not a column of the workforce extract")),
])
def test_a_bad_local_file_is_a_config_error_naming_file_and_key(tmp_path, text, words):
    folder = _folder_with(tmp_path, psych_safety=text)
    _refused(tmp_path, folder, 2, *words)


def test_a_where_column_not_in_the_extract_contract(tmp_path):
    text = (EXAMPLES / "leadership.toml").read_text(encoding="utf-8").replace(
        'column = "programme"', 'column = "course"')
    folder = _folder_with(tmp_path, leadership=text)
    _refused(tmp_path, folder, 2, "'event.where.column'", "leadership.toml",
             "'course', which is not a column of the programmes extract")


def test_a_where_column_the_extract_file_lacks(tmp_path):
    text = (EXAMPLES / "reverse_mentor.toml").read_text(encoding="utf-8")
    folder = _folder_with(tmp_path, reverse_mentor=text)
    programmes = pd.read_csv(folder / "programmes.csv", dtype=str)
    programmes.drop(columns=["Role"]).to_csv(folder / "programmes.csv", index=False)
    _refused(tmp_path, folder, 2, "'event.where[1].column'", "reverse_mentor.toml", "'role'",
             "programmes.csv has no 'Role' column")


def test_an_answer_outside_the_scale_is_a_data_error_naming_file_row_and_value(tmp_path):
    folder = _folder_with(tmp_path, psych_safety=GOOD)
    lines = (folder / "survey.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("psych_safety")
    # Row 4 of the file (header = 1): the third respondent answers off the scale.
    fields = lines[3].split(",")
    assert len(fields) == len(header)  # no quoted commas on this line
    fields[column] = "Sometimes"
    lines[3] = ",".join(fields)
    (folder / "survey.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors_out = tmp_path / "errors.csv"
    out = tmp_path / "out"
    code, _, err = run("compute", str(folder), "--out", str(out), "--errors-out",
                       str(errors_out))
    assert code == 1, err
    assert not out.exists() or not any(out.iterdir())
    problems = pd.read_csv(errors_out, dtype=str)
    found = problems[problems["rule"] == "not-on-scale"]
    assert found[["file", "row", "column", "value"]].values.tolist() == [
        ["survey.csv", "4", "psych_safety", "Sometimes"]]
    assert "Sometimes" in err and "survey.csv" in err


def test_a_column_read_both_yes_no_and_on_a_scale(tmp_path):
    both = (EXAMPLES / "included.toml").read_text(encoding="utf-8").replace(
        '"included"', '"psych_safety"').replace('id = "psych_safety"', 'id = "included"')
    folder = _folder_with(tmp_path, psych_safety=GOOD, included=both)
    _refused(tmp_path, folder, 2, "psych_safety", "yes/no")


def test_a_missing_local_folder_and_a_clash_between_local_files(tmp_path):
    with pytest.raises(ConfigError, match="not a folder"):
        load_local_indicators(tmp_path / "nowhere", "social-care")
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ConfigError, match="also defined"):
        load_local_indicators(tmp_path, "social-care")


def test_a_survey_column_map_no_local_file_reads_is_unknown(tmp_path):
    folder = tmp_path / "data"
    write_sample(folder, staff=300)
    text = (folder / "wres.toml").read_text(encoding="utf-8").replace(
        "[columns.survey]\n", '[columns.survey]\nfeels_valued = "Q40 Valued"\n')
    (folder / "wres.toml").write_text(text, encoding="utf-8")
    _refused(tmp_path, folder, 2, "unknown key 'columns.survey.feels_valued'")


def test_local_measures_need_their_extracts_else_no_data(tmp_path):
    folder = _folder_with(tmp_path, promotion=(EXAMPLES / "promotion.toml").read_text(
        encoding="utf-8"))
    (folder / "promotions.csv").unlink()
    result = compute(folder)
    assert "promotion" in result.data_quality["no_data"]
    assert "promotion" not in set(result.results["indicator"])


def test_input_error_is_raised_by_the_library(tmp_path):
    folder = _folder_with(tmp_path, psych_safety=GOOD)
    survey = pd.read_csv(folder / "survey.csv", dtype=str, keep_default_na=False)
    survey.loc[0, "psych_safety"] = "Never"
    survey.to_csv(folder / "survey.csv", index=False)
    with pytest.raises(InputError) as caught:
        compute(folder)
    assert "Never" in set(caught.value.problems["value"])


# ------------------------------------------------------------- report, trend, benchmark

def test_report_has_a_local_measures_section_from_the_results_file_alone(
        local_out, tmp_path):
    out = local_out
    document = pd.read_json(out / "results.json", typ="series")
    recorded = document["meta"]["local_indicators"]
    assert sorted(recorded) == sorted(EXAMPLE_IDS)
    assert recorded["promotion"]["file"] == "promotion.toml"
    # The results file is rendered elsewhere, without the config or the files.
    moved = tmp_path / "elsewhere" / "results.json"
    moved.parent.mkdir()
    shutil.copy(out / "results.json", moved)
    code, _, err = run("report", str(moved), "--out", str(tmp_path / "report"))
    assert code == 0, err
    markdown = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "\n## Local measures\n" in markdown
    after = markdown.split("\n## Local measures\n", 1)[1]
    for title in ("Feeling safe to speak up (psychological safety)",
                  "Feeling included in the team", "Relative likelihood of being promoted",
                  "Relative likelihood of a place on a leadership development programme",
                  "Relative likelihood of being a reverse mentor"):
        assert f"## Local measure: {title}" in after
    # The standard's indicators come before the section.
    assert "## Indicator 9" in markdown.split("\n## Local measures\n", 1)[0]
    assert "this measure is not judged against a range" in markdown  # reverse mentor
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert 'href="#local-measures"' in html


@pytest.mark.slow
def test_benchmark_pools_local_measures_named_by_its_config(sample_with_local, local_out,
                                                           tmp_path):
    counts = local_out / "counts.csv"
    code, _, err = run("benchmark", str(counts), "--out", str(tmp_path / "bare"))
    assert code == 1 and "not an indicator of the social-care standard" in err
    code, _, err = run("benchmark", str(counts), "--config",
                       str(sample_with_local / "wres.toml"), "--out", str(tmp_path / "b"))
    assert code == 0, err
    pooled = pd.read_csv(tmp_path / "b" / "benchmark.csv")
    rows = pooled[(pooled["indicator"] == "promotion") & (pooled["organisation"] == "pooled")
                  & (pooled["measure"] == "rate") & (pooled["breakdown"] == "overall")
                  & (pooled["group"] == "white")]
    assert rows[["numerator", "denominator"]].values.tolist() == [
        list(_expected(_reference_counts()["promotion"], "white"))]


@pytest.mark.slow
def test_trend_titles_local_measures_from_the_results_files(sample_with_local, local_out,
                                                           tmp_path):
    first, second = local_out, tmp_path / "b"
    assert run("compute", str(sample_with_local), "--out", str(second), "--period-end",
               "2025-03-31")[0] == 0
    code, _, err = run("trend", str(first / "results.json"), str(second / "results.json"),
                       "--out", str(tmp_path / "t"))
    assert code == 0, err
    trend = pd.read_csv(tmp_path / "t" / "trend.csv")
    assert {"promotion", "psych_safety"} <= set(trend["indicator"])
    chart = (tmp_path / "t" / "charts" / "trend-promotion.svg").read_text(encoding="utf-8")
    assert "Promotion" in chart
