"""`wres compute` end to end on the sample council (contracts §3, methodology §1-§5).

Headline figures are recounted here straight from the raw CSVs with plain pandas
and a hand-written ethnicity map, independently of the pipeline.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import wres_cli
from tests.helpers import EPOCH, SAMPLE
from wres_cli.cli import app
from wres_cli.contract import COUNT_COLUMNS, RESULT_COLUMNS

runner = CliRunner()
START, END = pd.Timestamp("2025-04-01"), pd.Timestamp("2026-03-31")

# The sample's spellings, grouped by hand from the NHS code list and ONS 2021.
WHITE = {"A", "B", "C", "White - British", "White - Irish", "White - Any other White background",
         "White: English, Welsh, Scottish, Northern Irish or British", "White: Roma",
         "White British", "White Other", "Any other White background"}
MINORITY = {"D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S",
            "Mixed - White and Black Caribbean", "Asian or Asian British - Indian",
            "Black or Black British - African", "Other Ethnic Groups - Chinese",
            "Other Ethnic Groups - Any other ethnic group",
            "Asian, Asian British or Asian Welsh: Pakistani",
            "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
            "Mixed or Multiple ethnic groups: White and Asian", "Other ethnic group: Arab",
            "Black African", "Indian", "Other Mixed", "Bangladeshi"}


def side(values: pd.Series) -> pd.Series:
    values = values.fillna("")
    return values.map(lambda v: "white" if v in WHITE else "minority" if v in MINORITY
                      else "unknown")


def day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%d/%m/%Y")


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False,
                              na_values=[""])
            for name in ("workforce", "recruitment", "disciplinary", "training")}


@pytest.fixture(scope="module")
def out(sample_out: Path) -> Path:
    """``wres compute SAMPLE --format json,csv,parquet,xlsx``, computed once (conftest)."""
    return sample_out


@pytest.fixture(scope="module")
def rows(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "results.csv", dtype=str, keep_default_na=False)


def headline(rows: pd.DataFrame, indicator: str, measure: str, group: str,
             reference: str = "") -> pd.Series:
    match = rows[(rows.indicator == indicator) & (rows.measure == measure)
                 & (rows.breakdown == "overall") & (rows.group == group)
                 & (rows.reference == reference)]
    assert len(match) == 1
    return match.iloc[0]


def test_files_follow_the_contract(out: Path) -> None:
    assert {p.name for p in out.iterdir()} == {
        "results.json", "results.csv", "counts.csv", "results.parquet", "results.xlsx"}
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert set(document) == {"meta", "data_quality", "results"}
    meta = document["meta"]
    assert meta["schema_version"] == 1
    assert meta["generated_at"] == "2026-03-31T23:33:20Z"  # SOURCE_DATE_EPOCH 1775000000
    assert meta["period"] == {"start": "2025-04-01", "end": "2026-03-31"}
    assert meta["suppression_threshold"] == 10 and meta["chinese"] == "asian"
    assert meta["inputs"]["workforce"]["rows"] == 4000
    # The [population] benchmark as the config gives it, and every group's label.
    with (SAMPLE / "wres.toml").open("rb") as config:
        assert meta["population"] == tomllib.load(config)["population"]
    assert meta["labels"] == {"minority": "Minority ethnic", "white": "White", "asian": "Asian",
                              "black": "Black", "mixed": "Mixed", "other": "Other",
                              "unknown": "Unknown"}
    assert re.fullmatch(r"[0-9a-f]{64}", meta["inputs"]["workforce"]["sha256"])
    assert set(document["data_quality"]) >= {"extracts", "declaration_rate_by_grade",
                                             "no_data", "warnings"}
    for row in document["results"]:
        assert list(row) == list(RESULT_COLUMNS)
        assert isinstance(row["indicator"], str)
    with (out / "results.csv").open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == list(RESULT_COLUMNS)
    assert b"\r\n" not in (out / "results.csv").read_bytes()
    with (out / "counts.csv").open(newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(COUNT_COLUMNS)


def test_json_csv_parquet_and_xlsx_hold_the_same_rows(out: Path, rows: pd.DataFrame) -> None:
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(document["results"]) == len(rows)
    parquet = pd.read_parquet(out / "results.parquet")
    xlsx = pd.read_excel(out / "results.xlsx", dtype={"indicator": str}, engine="calamine")
    assert list(parquet.columns) == list(RESULT_COLUMNS) == list(xlsx.columns)
    assert len(parquet) == len(rows) == len(xlsx)
    published = rows["value"] != ""
    assert parquet.loc[published, "value"].tolist() == rows.loc[published, "value"].astype(
        float).tolist()
    for record, (_, row) in zip(document["results"], rows.iterrows(), strict=True):
        assert record["indicator"] == row["indicator"] and record["level"] == row["level"]
        if record["value"] is not None:
            assert repr(record["value"]) == row["value"]


def test_row_order_follows_the_contract(rows: pd.DataFrame) -> None:
    # The sample has a pay extract, so the pay gap (no leading number) comes last.
    indicator_order = ["1", "2", "3", "4", "5", "6", "7a", "7b", "8", "9", "pay"]
    seen = list(dict.fromkeys(rows["indicator"]))
    assert seen == indicator_order
    measures = ["share", "rate", "relative_likelihood", "difference", "mean_hourly_pay",
                "median_hourly_pay", "pay_gap_mean", "pay_gap_median", "mean_bonus",
                "median_bonus", "pay_gap_bonus_mean", "pay_gap_bonus_median"]
    for _, block in rows.groupby("indicator", sort=False):
        ranks = block["measure"].map(measures.index).tolist()
        assert ranks == sorted(ranks)


def test_disciplinary_recounted_from_raw_csvs(raw: dict[str, pd.DataFrame],
                                              rows: pd.DataFrame) -> None:
    staff = raw["workforce"]
    start, end = day(staff["Start Date"]), day(staff["Leaving Date"])
    in_period = staff[(start <= END) & (end.isna() | (end >= START))]
    cases = raw["disciplinary"]
    opened = day(cases["Case Opened"])
    people = set(cases.loc[(opened >= START) & (opened <= END), "Employee Number"])
    groups = side(in_period["Ethnic Origin"])
    had_case = in_period["Employee Number"].isin(people)
    counts = {g: (int(had_case[groups == g].sum()), int((groups == g).sum()))
              for g in ("white", "minority")}
    for group, (events, population) in counts.items():
        row = headline(rows, "3", "rate", group)
        assert (int(row.numerator), int(row.denominator)) == (events, population)
    (a, n_f), (c, n_r) = counts["minority"], counts["white"]
    ratio = headline(rows, "3", "relative_likelihood", "minority", "white")
    assert float(ratio.value) == pytest.approx((a / n_f) / (c / n_r), rel=1e-12)


def test_shortlisting_recounted_from_raw_csvs(raw: dict[str, pd.DataFrame],
                                              rows: pd.DataFrame) -> None:
    apps = raw["recruitment"]
    applied = day(apps["Date Applied"])
    yes = {"yes", "y", "true", "1"}
    shortlisted = apps["Shortlisted"].str.lower().isin(yes)
    population = apps[(applied >= START) & (applied <= END) & shortlisted]
    appointed = population["Appointed"].str.lower().isin(yes)
    groups = side(population["Ethnic Group"])
    for group in ("white", "minority"):
        row = headline(rows, "2", "rate", group)
        assert int(row.numerator) == int(appointed[groups == group].sum())
        assert int(row.denominator) == int((groups == group).sum())


def test_leavers_recounted_from_raw_csvs(raw: dict[str, pd.DataFrame],
                                         rows: pd.DataFrame) -> None:
    staff = raw["workforce"]
    start, end = day(staff["Start Date"]), day(staff["Leaving Date"])
    on_start = (start <= START) & (end.isna() | (end >= START))
    left = on_start & end.between(START, END)
    groups = side(staff["Ethnic Origin"])
    for group in ("white", "minority"):
        row = headline(rows, "8", "rate", group)
        assert int(row.numerator) == int((left & (groups == group)).sum())
        assert int(row.denominator) == int((on_start & (groups == group)).sum())


def test_published_counts_are_never_small(rows: pd.DataFrame) -> None:
    counted = rows[rows.measure.isin(["share", "rate"]) & (rows.suppressed == "false")]
    for column in ("numerator", "denominator"):
        values = counted[column].astype(float)  # pay quartile counts can be fractions
        small = (values > 0) & (values < 10)
        if column == "numerator":
            # How many did not declare (unknown in a headcount share) is published
            # (methodology §5); in pay quartiles it would say something about pay.
            small &= ~((counted.measure == "share") & (counted.group == "unknown")
                       & (counted.breakdown != "pay_quartile"))
        assert not small.any()
    withheld = rows[rows.suppressed == "true"]
    assert len(withheld) > 0
    assert (withheld[["numerator", "denominator", "value", "ci_low", "ci_high", "p_value"]]
            == "").all().all()
    assert (withheld.assessment == "suppressed").all()


def test_ratios_built_on_withheld_rates_are_withheld(rows: pd.DataFrame) -> None:
    rates = rows[rows.measure == "rate"].set_index(["indicator", "breakdown", "level", "group"])
    ratios = rows[rows.measure == "relative_likelihood"]
    for ratio in ratios.itertuples(index=False):
        focal = rates.loc[(ratio.indicator, ratio.breakdown, ratio.level, ratio.group)]
        reference = rates.loc[(ratio.indicator, ratio.breakdown, ratio.level, ratio.reference)]
        if "true" in (focal.suppressed, reference.suppressed):
            assert ratio.suppressed == "true"


def test_fitness_to_practise_headline_is_withheld(rows: pd.DataFrame) -> None:
    ratio = headline(rows, "4", "relative_likelihood", "minority", "white")
    assert ratio.suppressed == "true" and ratio.value == ""


def test_no_identifier_leaves_the_tool(out: Path, raw: dict[str, pd.DataFrame]) -> None:
    identifiers = set(raw["workforce"]["Employee Number"]) | set(raw["recruitment"][
        "Applicant Ref"]) | set(raw["disciplinary"]["Case Ref"]) | set(raw["training"].iloc[:, 0])
    text = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in out.iterdir()
                     if p.suffix in (".json", ".csv"))
    assert not re.search(r"(EMP|APP|DIS|FTP|CPD|SRV)-\d", text)
    found = set(re.findall(r"[A-Z]{3}-\d{6}", text))
    assert not (found & identifiers)
    parquet_text = (out / "results.parquet").read_bytes()
    assert b"EMP-" not in parquet_text


def test_two_runs_are_byte_identical(out: Path, tmp_path: Path) -> None:
    # The first run is the session's (conftest), made at least a second earlier:
    # a timestamp leaking into any file would now differ.
    time.sleep(1.1)
    result = runner.invoke(app, ["compute", str(SAMPLE), "--out", str(tmp_path / "b"),
                                 "--format", "json,csv,parquet,xlsx"],
                           env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 0, result.stderr
    for name in ("results.csv", "results.json", "counts.csv", "results.parquet", "results.xlsx"):
        assert (out / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_no_suppress_is_recorded_and_warned(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compute", str(SAMPLE), "--out", str(tmp_path), "--no-suppress"])
    assert result.exit_code == 0, result.stderr
    assert "--no-suppress" in result.stderr
    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert document["meta"]["suppression_threshold"] is None
    small = [r for r in document["results"]
             if r["measure"] == "rate" and r["numerator"] is not None and 1 <= r["numerator"] < 10]
    assert small, "an unsuppressed run publishes small counts"
    assert not any(r["suppressed"] for r in document["results"])


def test_period_end_gives_rolling_twelve_months(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compute", str(SAMPLE), "--out", str(tmp_path),
                                 "--period-end", "2025-12-31", "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # --quiet prints errors only
    meta = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["meta"]
    assert meta["period"] == {"start": "2025-01-01", "end": "2025-12-31"}


def test_library_call_returns_frames(sample_results: Any) -> None:
    results = sample_results
    assert list(results.results.columns) == list(RESULT_COLUMNS)
    assert list(results.counts.columns) == list(COUNT_COLUMNS)
    assert results.meta["organisation"] == "Northmoor Borough Council"
    assert results.data_quality["extracts"]["workforce"]["rows_read"] == 4000
    report = wres_cli.validate(SAMPLE)
    assert report.ok and len(report.problems) == 0


def test_library_raises_input_error_with_problems(tmp_path: Path) -> None:
    (tmp_path / "workforce.csv").write_text("staff_id,ethnicity,grade,start_date\n"
                                            "S1,Martian,G1,2020-01-01\n")
    with pytest.raises(wres_cli.InputError) as caught:
        wres_cli.compute(tmp_path)
    problems = caught.value.problems
    assert problems is not None
    assert problems.iloc[0][["file", "row", "column", "value"]].tolist() == [
        "workforce.csv", 2, "ethnicity", "Martian"]


def test_counts_add_up_across_two_halves(tmp_path: Path, raw: dict[str, pd.DataFrame],
                                        sample_results: Any) -> None:
    staff = pd.read_csv(SAMPLE / "workforce.csv", dtype=str, keep_default_na=False)
    halves = {"a": staff.iloc[::2], "b": staff.iloc[1::2]}
    totals = None
    for name, part in halves.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "wres.toml").write_text((SAMPLE / "wres.toml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
        part.to_csv(folder / "workforce.csv", index=False)
        ids = set(part["Employee Number"])
        person = {"disciplinary": "Employee Number", "training": "Employee No",
                  "fitness_to_practise": "Employee Number"}
        for event, column in person.items():
            frame = pd.read_csv(SAMPLE / f"{event}.csv", dtype=str, keep_default_na=False)
            frame[frame[column].isin(ids)].to_csv(folder / f"{event}.csv", index=False)
        for other in ("recruitment", "survey"):
            frame = pd.read_csv(SAMPLE / f"{other}.csv", dtype=str, keep_default_na=False)
            frame.iloc[(0 if name == "a" else 1)::2].to_csv(folder / f"{other}.csv", index=False)
        counts = wres_cli.compute(folder).counts.set_index(
            ["indicator", "breakdown", "level", "group"])[["population", "events"]]
        totals = counts if totals is None else totals.add(counts, fill_value=0)
    whole = sample_results.counts.set_index(
        ["indicator", "breakdown", "level", "group"])[["population", "events"]]
    assert totals is not None
    pd.testing.assert_frame_equal(totals.astype("int64").sort_index(), whole.sort_index())


def test_csv_cells_are_formula_safe(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "workforce.csv").write_text(
        "staff_id,ethnicity,grade,start_date\n"
        + "".join(f"S{i},{'A' if i % 2 else 'H'},=HYPERLINK(1),2020-01-01\n" for i in range(40)),
        encoding="utf-8")
    result = runner.invoke(app, ["compute", str(data), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "o" / "results.csv").read_text(encoding="utf-8")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'=HYPERLINK(1)" in cells
    assert "=HYPERLINK(1)" not in cells


def test_meta_population_is_null_without_a_population_table(hr_folder) -> None:
    meta = wres_cli.compute(hr_folder()).meta
    assert "[population]" not in (hr_folder() / "wres.toml").read_text(encoding="utf-8")
    assert meta["population"] is None
    assert meta["labels"]["minority"] == "Minority ethnic"
