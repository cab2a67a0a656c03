"""The library API of contracts section 5: ``compute(frames=...)``, ``Results.headline()``
and ``.table()``, the short and HTML reprs, and the public names of ``wres_cli``.

The tiny organisation below is small enough to count by hand: 20 staff in post
all year, 12 White and 8 Indian (Asian), half of each in G1; 3 White and 4
Asian staff (all in G1) enter a disciplinary case in the period, and one more
case is dated before it."""

from __future__ import annotations

import glob
import math
import os
from pathlib import Path

import pandas as pd
import pytest

import wres_cli
from wres_cli.config import load_config
from wres_cli.tables import headline as headline_of

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "northmoor"

CONFIG = """organisation = "Tiny <b>& Co</b>"
[period]
start = 2025-04-01
end = 2026-03-31
"""


def tiny_frames() -> dict[str, pd.DataFrame]:
    white = [f"W{i:02}" for i in range(1, 13)]
    asian = [f"A{i:02}" for i in range(1, 9)]
    workforce = pd.DataFrame({
        "staff_id": white + asian,
        "ethnicity": ["White British"] * 12 + ["Indian"] * 8,
        "grade": ["G1"] * 6 + ["G2"] * 6 + ["G1"] * 4 + ["G2"] * 4,
        "start_date": ["2020-01-01"] * 20,
    })
    disciplinary = pd.DataFrame({
        "case_id": ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"],
        "staff_id": ["W01", "W02", "W03", "A01", "A02", "A03", "A04", "W04"],
        "start_date": ["2025-06-01"] * 7 + ["2024-01-01"],
    })
    return {"workforce": workforce, "disciplinary": disciplinary}


@pytest.fixture(scope="module")
def config_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "wres.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny(config_path: Path) -> wres_cli.Results:
    return wres_cli.compute(frames=tiny_frames(), config=config_path, suppress=False)


# ---------------------------------------------------------------- frames


def test_frames_are_counted_as_worked_out_by_hand(tiny: wres_cli.Results) -> None:
    cube = tiny.counts.set_index(["indicator", "breakdown", "level", "group"])
    assert tuple(cube.loc[("3", "overall", "all", "white"), ["population", "events"]]) == (12, 3)
    assert tuple(cube.loc[("3", "overall", "all", "minority"),
                          ["population", "events"]]) == (8, 4)
    assert tuple(cube.loc[("3", "grade", "G1", "asian"), ["population", "events"]]) == (4, 4)
    assert tuple(cube.loc[("3", "grade", "G2", "white"), ["population", "events"]]) == (6, 0)
    # The case dated before the period is left out, and data quality says so.
    excluded = tiny.data_quality["extracts"]["disciplinary"]["excluded"]
    assert excluded["outside the period"] == 1


def test_headline_is_the_minority_vs_white_ratio(tiny: wres_cli.Results) -> None:
    headline = tiny.headline().set_index("indicator")
    row = headline.loc["3"]
    assert (row["measure"], row["group"], row["reference"]) == (
        "relative_likelihood", "minority", "white")
    # (4 / 8) / (3 / 12) = 2; Katz: exp(ln 2 +- 1.96 * sqrt(1/4 - 1/8 + 1/3 - 1/12)).
    assert row["value"] == pytest.approx(2.0)
    se = math.sqrt(1 / 4 - 1 / 8 + 1 / 3 - 1 / 12)
    assert row["ci_low"] == pytest.approx(2 * math.exp(-1.96 * se), rel=1e-3)
    assert row["ci_high"] == pytest.approx(2 * math.exp(1.96 * se), rel=1e-3)
    assert row["assessment"] == "adverse"  # 2 is above 1.25, the range's adverse side
    assert not row["significant"]  # the interval holds 1
    # Indicator 1 is shares only: a row, with no comparison in it.
    assert pd.isna(headline.loc["1", "value"]) and headline.loc["1", "note"]
    assert list(headline.index) == list(pd.unique(tiny.results["indicator"]))


def test_table_has_levels_as_rows_and_groups_as_columns(tiny: wres_cli.Results) -> None:
    rates = tiny.table("3", "grade")
    assert list(rates.index) == ["G1", "G2"]
    assert rates.loc["G1", "white"] == pytest.approx(3 / 6)
    assert rates.loc["G1", "minority"] == pytest.approx(4 / 4)
    assert rates.loc["G2", "asian"] == 0
    assert list(rates.columns[:2]) == ["white", "minority"]
    shares = tiny.table("1")
    assert shares.loc["all", "white"] == pytest.approx(12 / 20)
    assert shares.loc["all", "minority"] == pytest.approx(8 / 20)
    ratios = tiny.table("3", measure="relative_likelihood")
    assert "white" not in ratios.columns  # White is the reference
    assert ratios.loc["all", "minority"] == pytest.approx(2.0)
    events = tiny.table("3", "grade", values="numerator")
    assert events.loc["G1", "white"] == 3


def test_table_refuses_what_the_results_lack(tiny: wres_cli.Results) -> None:
    with pytest.raises(wres_cli.UsageError, match="no indicator"):
        tiny.table("42")
    with pytest.raises(wres_cli.UsageError, match="no breakdown 'band'"):
        tiny.table("3", "band")
    with pytest.raises(wres_cli.UsageError, match="no measure"):
        tiny.table("3", measure="difference")


def test_withheld_cells_are_empty_in_the_table(config_path: Path) -> None:
    published = wres_cli.compute(frames=tiny_frames(), config=config_path)
    # 3 White and 4 Asian events are fewer than 10: withheld under the default rule.
    assert pd.isna(published.table("3").loc["all", "minority"])
    assert bool(published.headline().set_index("indicator").loc["3", "suppressed"])


def test_problems_name_the_frame_and_its_record(config_path: Path) -> None:
    frames = tiny_frames()
    frames["workforce"].loc[1, "start_date"] = "31/02/2020"  # the second record
    report = wres_cli.validate(frames=frames, config=config_path)
    assert not report.ok
    dates = report.problems[report.problems["column"] == "start_date"]
    assert list(dates["file"]) == ["<frames:workforce>"]
    assert list(dates["row"]) == [2]
    with pytest.raises(wres_cli.InputError) as raised:
        wres_cli.compute(frames=frames, config=config_path)
    assert len(raised.value.problems) == len(report.problems)


def test_frames_headers_may_be_mapped_by_the_config(tmp_path: Path) -> None:
    path = tmp_path / "wres.toml"
    path.write_text(CONFIG + '[columns.workforce]\nstaff_id = "Employee No"\n', "utf-8")
    frames = tiny_frames()
    frames["workforce"] = frames["workforce"].rename(columns={"staff_id": "Employee No"})
    # A loaded Config does as well as its path.
    results = wres_cli.compute(frames=frames, config=load_config(path), suppress=False)
    assert results.table("3").loc["all", "white"] == pytest.approx(3 / 12)


def test_without_a_workforce_frame_the_data_is_invalid() -> None:
    report = wres_cli.validate(frames={"disciplinary": tiny_frames()["disciplinary"]})
    assert not report.ok
    assert list(report.problems["file"]) == ["<frames:workforce>"]


@pytest.mark.parametrize("call", [
    lambda: wres_cli.compute(),
    lambda: wres_cli.compute(SAMPLE, frames=tiny_frames()),
    lambda: wres_cli.compute(frames={"workfroce": tiny_frames()["workforce"]}),
    lambda: wres_cli.compute(frames={"workforce": [1, 2, 3]}),  # type: ignore[dict-item]
])
def test_wrong_arguments_are_usage_errors(call) -> None:
    with pytest.raises(wres_cli.UsageError):
        call()


def test_an_unknown_extract_gets_a_suggestion() -> None:
    with pytest.raises(wres_cli.UsageError, match="did you mean 'workforce'"):
        wres_cli.validate(frames={"workfroce": tiny_frames()["workforce"]})


# ---------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample_runs() -> tuple[wres_cli.Results, wres_cli.Results]:
    frames = {os.path.basename(f)[:-len(".csv")]: pd.read_csv(f)
              for f in glob.glob(str(SAMPLE / "*.csv"))}
    return (wres_cli.compute(SAMPLE),
            wres_cli.compute(frames=frames, config=SAMPLE / "wres.toml"))


def test_frames_of_the_sample_equal_the_folder_run(sample_runs) -> None:
    folder, frames = sample_runs
    pd.testing.assert_frame_equal(folder.results, frames.results)
    pd.testing.assert_frame_equal(folder.counts, frames.counts)
    assert folder.data_quality == frames.data_quality
    meta_folder, meta_frames = dict(folder.meta), dict(frames.meta)
    inputs_folder, inputs_frames = meta_folder.pop("inputs"), meta_frames.pop("inputs")
    meta_folder.pop("generated_at"), meta_frames.pop("generated_at")
    assert meta_folder == meta_frames
    # Only the file details differ: names and digests, not rows.
    assert list(inputs_folder) == list(inputs_frames)
    for name, entry in inputs_frames.items():
        assert entry["file"] == f"<frames:{name}>"
        assert entry["rows"] == inputs_folder[name]["rows"]


def test_the_sample_headline_holds_one_row_per_indicator(sample_runs) -> None:
    folder, _ = sample_runs
    rows = folder.results
    headline = folder.headline()
    assert list(headline["indicator"]) == list(pd.unique(rows["indicator"]))
    ratio = rows[(rows["indicator"] == "2") & (rows["breakdown"] == "overall")
                 & (rows["measure"] == "relative_likelihood") & (rows["group"] == "minority")]
    assert headline.set_index("indicator").loc["2", "value"] == ratio["value"].iloc[0]
    # Indicator 9 compares the senior minority share with the workforce's.
    assert headline.set_index("indicator").loc["9", "reference"] == "workforce"


def test_headline_prefers_the_judged_comparison() -> None:
    # Hand-made overall rows: NHS 5 has a ratio and the difference it is judged by;
    # NHS 2 is White / BME; 9a compares with the workforce only; 1 has shares only.
    def row(indicator: str, measure: str, group: str, reference: str | None,
            value: float) -> dict:
        return {"indicator": indicator, "measure": measure, "breakdown": "overall",
                "level": "all", "group": group, "reference": reference, "value": value,
                "suppressed": False}

    rows = pd.DataFrame([
        row("1", "share", "minority", None, 0.2),
        row("2", "relative_likelihood", "white", "minority", 1.6),
        row("2", "relative_likelihood", "white", "asian", 1.4),
        row("5", "relative_likelihood", "minority", "white", 1.3),
        row("5", "difference", "minority", "white", 0.081),
        row("9a", "difference", "minority", "workforce", -0.1),
        row("9a", "difference", "minority", "population", -0.2),
    ])
    headline = headline_of(rows).set_index("indicator")
    assert list(headline.index) == ["1", "2", "5", "9a"]
    assert pd.isna(headline.loc["1", "value"])
    assert (headline.loc["2", "group"], headline.loc["2", "reference"],
            headline.loc["2", "value"]) == ("white", "minority", 1.6)
    assert (headline.loc["5", "measure"], headline.loc["5", "value"]) == ("difference", 0.081)
    assert (headline.loc["9a", "reference"], headline.loc["9a", "value"]) == ("workforce", -0.1)


# ---------------------------------------------------------------- reprs and names


def test_reprs_are_short_and_the_html_is_escaped(tiny: wres_cli.Results) -> None:
    text = repr(tiny)
    assert text.startswith("Results(organisation='Tiny <b>& Co</b>'")
    withheld = int(tiny.results["suppressed"].sum())
    assert f"rows={len(tiny.results)}, withheld={withheld})" in text
    assert "\n" not in text and "W01" not in text
    page = tiny._repr_html_()
    assert "Tiny &lt;b&gt;&amp; Co&lt;/b&gt;" in page and "<b>" not in page
    assert page.count("<tr>") == 1 + len(tiny.headline())
    report = wres_cli.validate(frames=tiny_frames())
    assert "\n" not in repr(report) and "W01" not in repr(report)


def test_public_names_and_private_frames() -> None:
    assert set(wres_cli.__all__) >= {"Results", "ValidationReport", "WresError", "InputError",
                                     "ConfigError", "UsageError", "compute", "validate"}
    for name in wres_cli.__all__:
        assert getattr(wres_cli, name) is not None
    assert issubclass(wres_cli.InputError, wres_cli.WresError)
    report = wres_cli.validate(frames=tiny_frames())
    assert isinstance(report, wres_cli.ValidationReport) and report.ok
    public = [a for a in vars(report) if not a.startswith("_")]
    assert "prepared" not in public
    # No public attribute holds person-level records.
    assert not any(isinstance(getattr(report, a), dict)
                   and any(isinstance(v, pd.DataFrame) for v in getattr(report, a).values())
                   for a in public)


def test_the_frames_given_are_left_as_they_were(config_path: Path) -> None:
    frames = tiny_frames()
    before = {name: frame.copy() for name, frame in frames.items()}
    wres_cli.compute(frames=frames, config=config_path)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[name])
