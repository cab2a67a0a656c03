"""Benchmark: pooling organisations' counts (methodology section 6)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from wres_cli import benchmark
from wres_cli.api import compute
from wres_cli.benchmark import POOLED, pool, read_counts, write_benchmark
from wres_cli.cli import app
from wres_cli.contract import COUNT_COLUMNS, RESULT_COLUMNS
from wres_cli.disclosure import WITHHELD_NOTE
from wres_cli.errors import InputError, UsageError
from wres_cli.indicator_files import load_indicators
from wres_cli.output import write_results
from wres_cli.sample import write_sample
from wres_cli.sample.people import HEADERS

runner = CliRunner()
ROW_KEY = ["indicator", "measure", "breakdown", "level", "group", "reference"]
FIGURES = ["numerator", "denominator", "value", "ci_low", "ci_high", "p_value"]
#: Canonical id columns of each sample extract, prefixed to make two councils' ids unique.
ID_COLUMNS = {
    "workforce": ["staff_id"], "recruitment": ["application_id"],
    "disciplinary": ["case_id", "staff_id"], "fitness_to_practise": ["referral_id", "staff_id"],
    "training": ["record_id", "staff_id"], "survey": ["respondent_id"],
}


def _council(folder: Path, name: str, staff: int, seed: int) -> Path:
    write_sample(folder, staff=staff, seed=seed)
    config = folder / "wres.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('organisation = "Northmoor Borough Council"',
                                   f'organisation = "{name}"'), encoding="utf-8")
    return folder


def _union(folders: dict[str, Path], target: Path) -> Path:
    """Every record of both councils in one data folder (ids prefixed per council)."""
    target.mkdir()
    for extract, ids in ID_COLUMNS.items():
        parts = []
        for prefix, folder in folders.items():
            frame = pd.read_csv(folder / f"{extract}.csv", dtype=str, keep_default_na=False)
            for column in ids:
                header = HEADERS[extract][column]
                frame[header] = prefix + "-" + frame[header]
            parts.append(frame)
        pd.concat(parts, ignore_index=True).to_csv(target / f"{extract}.csv", index=False)
    first = next(iter(folders.values()))
    (target / "wres.toml").write_text((first / "wres.toml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Two synthetic councils computed apart, their counts files, and the union of
    their records computed as one data set (unsuppressed)."""
    root = tmp_path_factory.mktemp("councils")
    folders = {"A": _council(root / "ashby", "Ashby Council", 1200, 11),
               "B": _council(root / "brook", "Brook Council", 900, 12)}
    counts, own = {}, {}
    for key, folder in folders.items():
        # counts.csv is unsuppressed whatever the setting
        results = compute(folder, suppress=False)
        write_results(results, folder / "out", ["json"])
        counts[key] = folder / "out" / "counts.csv"
        own[key] = results.results
    union = compute(_union(folders, root / "union"), suppress=False).results
    return {"root": root, "folders": folders, "counts": counts, "own": own, "union": union}


@pytest.fixture(scope="module")
def unsuppressed_out(councils: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench-raw")
    write_benchmark(list(councils["counts"].values()), out, suppress=False,
                    config=councils["folders"]["A"] / "wres.toml")
    return out


@pytest.fixture(scope="module")
def unsuppressed(unsuppressed_out: Path) -> pd.DataFrame:
    return _rows(unsuppressed_out)


@pytest.fixture(scope="module")
def published(councils: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark of both councils through the command line, suppressed."""
    out = tmp_path_factory.mktemp("bench") / "out"
    code, err = _run("benchmark", *map(str, councils["counts"].values()), "--out", str(out),
                     "--config", str(councils["folders"]["A"] / "wres.toml"))
    assert code == 0, err
    return out


def _rows(out: Path) -> pd.DataFrame:
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return pd.DataFrame(document["results"], columns=list(RESULT_COLUMNS))


def _keyed(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(reference=rows["reference"].fillna("")).set_index(ROW_KEY)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))


# ------------------------------------------------------------------ done-when


def test_pooled_ratios_equal_those_of_the_union_of_records(councils: dict,
                                                           unsuppressed: pd.DataFrame) -> None:
    pooled = _keyed(unsuppressed[unsuppressed["organisation"] == POOLED])
    union = _keyed(councils["union"])
    ratios = union[union.index.get_level_values("measure") == "relative_likelihood"]
    overall = ratios[ratios.index.get_level_values("breakdown") == "overall"]
    assert len(overall) == 8 * 5  # eight ratio indicators, five comparisons each
    assert overall["value"].notna().sum() >= 7
    for key, row in ratios.iterrows():
        for column in ("value", "ci_low", "ci_high", "p_value"):
            assert _close(pooled.at[key, column], row[column]), (key, column)


def test_every_pooled_figure_equals_the_union(councils: dict,
                                             unsuppressed: pd.DataFrame) -> None:
    pooled = _keyed(unsuppressed[unsuppressed["organisation"] == POOLED])
    union = _keyed(councils["union"])
    assert sorted(pooled.index) == sorted(union.index)
    joined = pooled[FIGURES].join(union[FIGURES].add_suffix("_union"))
    for column in FIGURES:
        mine = joined[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        theirs = joined[f"{column}_union"].astype("Float64").to_numpy(dtype=float,
                                                                     na_value=np.nan)
        assert np.allclose(mine, theirs, rtol=1e-12, atol=0, equal_nan=True), column


def test_each_organisation_measures_as_it_does_alone(councils: dict,
                                                     unsuppressed: pd.DataFrame) -> None:
    for key, name in (("A", "Ashby Council"), ("B", "Brook Council")):
        mine = _keyed(unsuppressed[unsuppressed["organisation"] == name])
        # The pay gap is measured from pay records, not from counts: a benchmark of
        # counts files cannot pool it (methodology section 7), so it has no pay rows.
        alone = councils["own"][key]
        own = _keyed(alone[alone["indicator"] != "pay"])
        assert sorted(mine.index) == sorted(own.index)
        for column in ("numerator", "denominator", "value"):
            a = mine[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            b = own.loc[mine.index, column].astype("Float64").to_numpy(dtype=float,
                                                                       na_value=np.nan)
            assert np.array_equal(a, b, equal_nan=True), (name, column)


def test_outputs_and_meta(councils: dict, published: Path) -> None:
    document = json.loads((published / "results.json").read_text(encoding="utf-8"))
    meta = document["meta"]
    assert meta["schema_version"] == 1
    assert meta["organisations"] == ["Ashby Council", "Brook Council"]
    assert meta["suppression_threshold"] == 10
    assert meta["standard"] == "social-care" and meta["grades_pooled"] is True
    assert meta["period"] == {"start": "2025-04-01", "end": "2026-03-31"}
    rows = _rows(published)
    assert list(rows["organisation"].unique()) == ["Ashby Council", "Brook Council", POOLED]
    # benchmark.csv holds the same rows as results.json, contract columns.
    csv = pd.read_csv(published / "benchmark.csv", dtype=str, keep_default_na=False)
    assert list(csv.columns) == list(RESULT_COLUMNS) and len(csv) == len(rows)
    ratio_ids = [i.id for i in load_indicators("social-care") if benchmark.headline_pair(i)]
    charts = {p.stem for p in (published / "charts").glob("*.svg")}
    notes = " ".join(document["data_quality"]["notes"])
    for ind in ratio_ids:
        # a funnel for every ratio indicator, or a note saying why not
        assert f"funnel-{ind}" in charts or f"indicator {ind}: no funnel plot" in notes


def test_no_suppress_records_null_threshold(unsuppressed: pd.DataFrame,
                                            unsuppressed_out: Path) -> None:
    meta = json.loads((unsuppressed_out / "results.json").read_text(encoding="utf-8"))["meta"]
    assert meta["suppression_threshold"] is None
    assert not unsuppressed["suppressed"].any()


# ------------------------------------------------------------------ suppression


def test_published_rows_are_suppressed_and_unchanged_otherwise(
        published: Path, unsuppressed: pd.DataFrame) -> None:
    rows = _rows(published)
    withheld = rows["suppressed"]
    assert withheld.any()
    assert rows.loc[withheld, FIGURES].isna().all().all()
    assert (rows.loc[withheld, "assessment"] == "suppressed").all()
    # What is published is the unsuppressed figure, untouched.
    raw = unsuppressed.set_index(["organisation", *ROW_KEY])
    shown = rows[~withheld].set_index(["organisation", *ROW_KEY])
    assert (shown["value"].fillna(-1) == raw.loc[shown.index, "value"].fillna(-1)).all()
    # No small count is published.
    counted = rows[rows["measure"].isin(["rate", "share"]) & ~withheld]
    for column in ("numerator", "denominator"):
        assert not counted[column].between(1, 9).any()


def test_no_withheld_count_comes_back_from_the_pooled_total(published: Path) -> None:
    rows = _rows(published)
    counted = rows[rows["measure"].isin(["rate", "share"])]
    per_set = counted.groupby(["indicator", "measure", "breakdown", "level", "group"])
    withheld = per_set["suppressed"].sum()
    assert (withheld != 1).all()
    # One note for every withheld row, whichever rule withheld it.
    assert set(rows.loc[rows["suppressed"], "note"]) == {WITHHELD_NOTE}


def test_suppression_across_organisations_by_hand() -> None:
    # Two organisations and their pool for one rate: A's minority count is small.
    rows = pd.DataFrame({
        "organisation": ["A", "A", "B", "B", POOLED, POOLED],
        "period_start": "2025-04-01", "period_end": "2026-03-31", "standard": "social-care",
        "indicator": "3", "measure": "rate", "breakdown": "overall", "level": "all",
        "group": ["white", "minority"] * 3, "reference": None,
        "numerator": pd.array([40, 4, 60, 30, 100, 34], dtype="Int64"),
        "denominator": pd.array([400, 40, 600, 300, 1000, 340], dtype="Int64"),
        "value": [0.1, 0.1, 0.1, 0.1, 0.1, 0.1], "ci_low": 0.05, "ci_high": 0.2,
        "p_value": np.nan, "assessment": None,
        "significant": pd.array([None] * 6, dtype="boolean"), "suppressed": False, "note": None,
    })
    out = benchmark.disclose(rows, 10)
    # A minority (4) is small; pooled 34 − B 30 would give it back, so B's minority
    # goes too; the pooled row stays, as the sum of two withheld counts.
    assert out["suppressed"].tolist() == [False, True, False, True, False, False]
    assert out.loc[3, "note"] == WITHHELD_NOTE
    assert pd.isna(out.loc[3, "numerator"])


# ------------------------------------------------------------------ pooling rules


def _counts(org: str, *, start: str = "2025-04-01", end: str = "2026-03-31",
            standard: str = "social-care", grades: tuple[str, ...] = ("G1", "G2"),
            scale: int = 1) -> pd.DataFrame:
    """Indicator 3 counts of one small organisation, overall and by grade."""
    rows = []
    for level_i, grade in enumerate(grades):
        for group, pop, events in (("white", 200, 20), ("minority", 100, 15)):
            rows.append(("grade", grade, group, (pop + level_i) * scale, events * scale))
    overall = pd.DataFrame(rows, columns=["breakdown", "level", "group", "population", "events"])
    total = overall.groupby("group", sort=False, as_index=False)[["population", "events"]].sum()
    total = total.assign(breakdown="overall", level="all")
    frame = pd.concat([total, overall], ignore_index=True)
    return frame.assign(organisation=org, period_start=start, period_end=end,
                        standard=standard, indicator="3")[list(COUNT_COLUMNS)]


def test_pool_sums_counts() -> None:
    pooled = pool([_counts("A"), _counts("B", scale=2)])
    cube = pooled.cube.set_index(["breakdown", "level", "group"])
    assert cube.loc[("overall", "all", "white"), "population"] == (200 + 201) * 3
    assert cube.loc[("grade", "G2", "minority"), "events"] == 15 * 3
    assert pooled.grades_pooled and pooled.organisations == ["A", "B"]


def test_different_standards_never_pool() -> None:
    with pytest.raises(InputError, match="different standards") as caught:
        pool([_counts("A"), _counts("B", standard="nhs")], allow_mixed_periods=True)
    assert "A: social-care" in str(caught.value) and "B: nhs" in str(caught.value)


def test_different_periods_pool_only_when_allowed() -> None:
    later = _counts("B", start="2025-07-01", end="2026-06-30")
    with pytest.raises(InputError, match="different periods") as caught:
        pool([_counts("A"), later])
    assert "2025-07-01 to 2026-06-30" in str(caught.value)
    assert "--allow-mixed-periods" in str(caught.value)
    pooled = pool([_counts("A"), later], allow_mixed_periods=True)
    assert (pooled.period.start.isoformat(), pooled.period.end.isoformat()) == (
        "2025-04-01", "2026-06-30")
    assert any("different periods" in w for w in pooled.warnings)


def test_one_organisation_with_two_periods_never_pools() -> None:
    with pytest.raises(InputError, match="A has several"):
        pool([_counts("A"), _counts("A", start="2024-04-01", end="2025-03-31")],
             allow_mixed_periods=True)


def test_grades_pool_only_with_identical_labels(tmp_path: Path) -> None:
    pooled = pool([_counts("A"), _counts("B", grades=("Band 1", "Band 2"))])
    assert not pooled.grades_pooled
    assert set(pooled.cube["breakdown"]) == {"overall"}
    assert "Band 1" in pooled.warnings[0] and "G1" in pooled.warnings[0]
    # Through write_benchmark: per-organisation grade rows stay, pooled ones go.
    for name, frame in (("a", _counts("A")), ("b", _counts("B", grades=("Band 1", "Band 2")))):
        (tmp_path / name).mkdir()
        frame.to_csv(tmp_path / name / "counts.csv", index=False)
    out = tmp_path / "out"
    write_benchmark([tmp_path / "a" / "counts.csv", tmp_path / "b" / "counts.csv"], out,
                    config=None, suppress=False)
    rows = _rows(out)
    assert set(rows.loc[rows["organisation"] == POOLED, "breakdown"]) == {"overall"}
    assert "grade" in set(rows.loc[rows["organisation"] == "A", "breakdown"])
    quality = json.loads((out / "results.json").read_text(encoding="utf-8"))["data_quality"]
    assert any("grade labels differ" in w for w in quality["warnings"])


def test_pooled_ratio_of_hand_made_counts(tmp_path: Path) -> None:
    for name, frame in (("a", _counts("A")), ("b", _counts("B", scale=2))):
        (tmp_path / name).mkdir()
        frame.to_csv(tmp_path / name / "counts.csv", index=False)
    write_benchmark([tmp_path / "a" / "counts.csv", tmp_path / "b" / "counts.csv"],
                    tmp_path / "out", suppress=False)
    rows = _rows(tmp_path / "out")
    ratio = rows[(rows["organisation"] == POOLED) & (rows["measure"] == "relative_likelihood")
                 & (rows["breakdown"] == "overall") & (rows["group"] == "minority")]
    # minority: 90 of 603 (100+101, ×3); white: 120 of 1203 (200+201, ×3)
    a, nf, c, nr = 90, 603, 120, 1203
    assert ratio["value"].iloc[0] == pytest.approx((a / nf) / (c / nr), rel=1e-15)
    se = math.sqrt(1 / a - 1 / nf + 1 / c - 1 / nr)
    assert ratio["ci_low"].iloc[0] == pytest.approx((a / nf) / (c / nr) * math.exp(-1.959964 * se),
                                                    rel=1e-12)


# ------------------------------------------------------------------ reading


def test_read_counts_round_trips_a_written_file(councils: dict) -> None:
    frame = read_counts(councils["counts"]["A"]).frame
    assert list(frame.columns) == list(COUNT_COLUMNS)
    assert frame["population"].dtype == "int64"
    assert set(frame["organisation"]) == {"Ashby Council"}


def test_read_counts_names_every_bad_cell(tmp_path: Path) -> None:
    good = _counts("A")
    bad = good.astype({"population": object, "events": object})
    bad.loc[1, "events"] = "-3"
    bad.loc[2, "population"] = "12.5"
    bad.loc[3, "events"] = 500  # more than its population
    bad.loc[4, "period_end"] = "31/03/2026"
    bad.loc[5, "indicator"] = "99"
    path = tmp_path / "counts.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(InputError, match=re.escape(str(path))) as caught:
        read_counts(path)
    problems = caught.value.problems
    found = set(zip(problems["row"], problems["column"], strict=True))
    # data row i is spreadsheet row i + 2 (the header is row 1)
    assert found == {(3, "events"), (4, "population"), (5, "events"), (6, "period_end"),
                     (7, "indicator")}


def test_read_counts_missing_column_and_file(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    _counts("A").drop(columns="events").to_csv(path, index=False)
    with pytest.raises(InputError, match="lacks column"):
        read_counts(path)
    with pytest.raises(UsageError):
        read_counts(tmp_path / "nowhere.csv")


def test_blank_organisation_is_named_after_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Crane Council"
    folder.mkdir()
    _counts("").to_csv(folder / "counts.csv", index=False)
    assert set(read_counts(folder / "counts.csv").frame["organisation"]) == {"Crane Council"}


def test_formula_like_names_stay_safe(tmp_path: Path) -> None:
    from wres_cli.io.writers import frame_to_csv_text

    (tmp_path / "counts.csv").write_text(frame_to_csv_text(_counts("=Evil")), encoding="utf-8")
    assert set(read_counts(tmp_path / "counts.csv").frame["organisation"]) == {"=Evil"}
    write_benchmark([tmp_path / "counts.csv"], tmp_path / "out", suppress=False)
    text = (tmp_path / "out" / "benchmark.csv").read_text(encoding="utf-8")
    assert "\n'=Evil," in text and "\n=Evil" not in text


def test_same_file_twice_is_refused(councils: dict, tmp_path: Path) -> None:
    path = councils["counts"]["A"]
    # Exit 1 for both: inputs that cannot be pooled, whatever the cause (contracts section 4).
    with pytest.raises(InputError, match="more than once"):
        write_benchmark([path, path], tmp_path / "out")
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(InputError, match="identical"):
        write_benchmark([path, copy], tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ funnel


def test_funnel_limits_by_hand() -> None:
    # n_f = 200, n_r = 800 at pooled rates 5 % and 4 %: expected events 10 and 32.
    low, high = benchmark.funnel_limits([200], [800], 0.05, 0.04, 1.25, 1.959964)
    se = math.sqrt(1 / 10 - 1 / 200 + 1 / 32 - 1 / 800)
    assert low[0] == pytest.approx(1.25 * math.exp(-1.959964 * se), rel=1e-14)
    assert high[0] == pytest.approx(1.25 * math.exp(1.959964 * se), rel=1e-14)


def test_funnel_points_come_from_published_rows(published: Path) -> None:
    rows = _rows(published)
    ind = next(i for i in load_indicators("social-care") if i.id == "5")
    f = benchmark.funnel(rows, ind)
    assert f is not None and (f.focal, f.reference) == ("minority", "white")
    rates = rows[(rows["indicator"] == "5") & (rows["measure"] == "rate")
                 & (rows["breakdown"] == "overall")].set_index(["organisation", "group"])
    assert f.centre == rows[(rows["organisation"] == POOLED) & (rows["indicator"] == "5")
                            & (rows["measure"] == "relative_likelihood")
                            & (rows["breakdown"] == "overall")
                            & (rows["group"] == "minority")]["value"].iloc[0]
    assert f.size_ratio == (rates.at[(POOLED, "white"), "denominator"]
                            / rates.at[(POOLED, "minority"), "denominator"])
    assert f.p_focal == rates.at[(POOLED, "minority"), "value"]
    for point in f.points.itertuples(index=False):
        assert point.focal_population == rates.at[(point.organisation, "minority"),
                                                  "denominator"]
        a = f.p_focal * point.focal_population
        c = f.p_reference * point.reference_population
        se = math.sqrt(1 / a - 1 / point.focal_population + 1 / c
                       - 1 / point.reference_population)
        assert point.high998 == pytest.approx(f.centre * math.exp(3.090232 * se), rel=1e-12)
        inside95 = point.low95 <= point.value <= point.high95
        assert (point.position == "within limits") == inside95


def test_withheld_organisations_are_left_out_of_the_funnel_with_a_note(
        published: Path) -> None:
    rows = _rows(published)
    document = json.loads((published / "results.json").read_text(encoding="utf-8"))
    headline = rows[(rows["measure"] == "relative_likelihood") & (rows["breakdown"] == "overall")
                    & (rows["group"] == "minority") & (rows["reference"] == "white")
                    & (rows["organisation"] != POOLED) & rows["suppressed"]]
    for r in headline.itertuples(index=False):
        if (published / "charts" / f"funnel-{r.indicator}.svg").exists():
            assert (f"indicator {r.indicator}: {r.organisation} not in the funnel plot (withheld)"
                    in document["data_quality"]["notes"])


def test_outputs_are_deterministic(councils: dict, published: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775001600")
    write_benchmark(list(councils["counts"].values()), tmp_path / "one",
                    config=councils["folders"]["A"] / "wres.toml")
    again = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.*"))
    assert again == sorted(p.relative_to(published) for p in published.rglob("*.*"))
    for name in again:
        if name.name != "results.json":  # generated_at differs
            assert (tmp_path / "one" / name).read_bytes() == (published / name).read_bytes()
    svg = (tmp_path / "one" / "charts" / "funnel-5.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<title>Indicator 5" in svg and "Ashby Council" in svg
    meta = json.loads((tmp_path / "one" / "results.json").read_text(encoding="utf-8"))["meta"]
    assert meta["generated_at"] == "2026-04-01T00:00:00Z"


# ------------------------------------------------------------------ command line


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "250", "NO_COLOR": "1"})
    return result.exit_code, result.stderr


def test_cli_writes_the_outputs(published: Path) -> None:
    assert {p.name for p in published.iterdir()} == {"results.json", "benchmark.csv", "charts"}


def test_cli_exit_codes_and_nothing_written(tmp_path: Path) -> None:
    for name, frame in (("a", _counts("A")),
                        ("b", _counts("B", start="2025-07-01", end="2026-06-30"))):
        (tmp_path / name).mkdir()
        frame.to_csv(tmp_path / name / "counts.csv", index=False)
    a, b = str(tmp_path / "a" / "counts.csv"), str(tmp_path / "b" / "counts.csv")
    out = tmp_path / "out"
    code, err = _run("benchmark", a, b, "--out", str(out))
    assert code == 1 and "different periods" in err
    assert not out.exists()
    code, err = _run("benchmark", a, str(tmp_path / "missing.csv"), "--out", str(out))
    assert code == 2 and "does not exist" in err
    assert not out.exists()
    (tmp_path / "bad.csv").write_text("organisation,events\nA,3\n", encoding="utf-8")
    code, err = _run("benchmark", str(tmp_path / "bad.csv"), "--out", str(out))
    assert code == 1 and "bad.csv" in err
    assert not out.exists()
    code, err = _run("benchmark", a, b, "--allow-mixed-periods", "--out", str(out))
    assert code == 0, err
    assert (out / "benchmark.csv").exists()
