"""The ethnicity pay gap (methodology section 7): figures worked out here by hand
or by a small reference calculation (plain Python loops over people and places,
nothing shared with ``wres_cli.pay``'s vectorised code)."""

from __future__ import annotations

import csv
import json
import statistics
from collections import defaultdict
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import wres_cli
from wres_cli.cli import app
from wres_cli.contract import BROAD_GROUPS, MINORITY_GROUPS
from wres_cli.pay import QUARTILES, quartile_counts, withhold

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "northmoor"
MINORITY = set(MINORITY_GROUPS)
ETHNICITY = {"white": "White British", "asian": "Indian", "black": "African",
             "mixed": "White and Asian", "other": "Arab", "unknown": ""}


# --------------------------------------------------------------------------- reference


def reference_quartiles(pays: list[float], groups: list[str]) -> tuple[dict, list[int]]:
    """Quartile counts per group, the tie rule applied place by place with exact
    fractions: each place of a run of equal pay carries 1/m of each of the run's
    people, and a place belongs to the part whose range holds it."""
    n = len(pays)
    sizes = [n // 4 + (1 if i < n % 4 else 0) for i in range(4)]
    part_of_place = [p for p, size in enumerate(sizes) for _ in range(size)]
    runs: dict[float, list[str]] = defaultdict(list)
    for pay, group in zip(pays, groups, strict=True):
        runs[pay].append(group)
    counts: dict[tuple[int, str], Fraction] = defaultdict(Fraction)
    place = 0
    for pay in sorted(runs):
        members = runs[pay]
        m = len(members)
        for offset in range(m):
            part = part_of_place[place + offset]
            for group in members:
                counts[(part, group)] += Fraction(1, m)
        place += m
    for part in range(4):
        counts[(part, "minority")] = sum((counts[(part, g)] for g in MINORITY), Fraction())
    return counts, sizes


def reference_figures(pays: list[float], groups: list[str]) -> dict[str, tuple]:
    """group -> (people, mean, median), minority included."""
    by: dict[str, list[float]] = defaultdict(list)
    for pay, group in zip(pays, groups, strict=True):
        by[group].append(pay)
        if group in MINORITY:
            by["minority"].append(pay)
    return {g: (len(v), statistics.fmean(v), statistics.median(v)) for g, v in by.items()}


# --------------------------------------------------------------------------- data folders


def write_folder(folder: Path, people: list[tuple], *, config: str = "", bonus: bool = False,
                 extra_pay: list[str] | None = None) -> Path:
    """people: (id, group, grade, start, end, hourly, [bonus, full_pay])."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "workforce.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["staff_id", "ethnicity", "grade", "start_date", "end_date"])
        for p in people:
            w.writerow([p[0], ETHNICITY[p[1]], p[2], p[3], p[4]])
    with open(folder / "pay.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["staff_id", "hourly_pay", "bonus_pay", "full_pay"] if bonus
                   else ["staff_id", "hourly_pay"])
        for p in people:
            if p[5] is None:
                continue
            w.writerow([p[0], p[5], p[6], p[7]] if bonus else [p[0], p[5]])
        for line in extra_pay or []:
            f.write(line + "\n")
    (folder / "wres.toml").write_text(
        "[period]\nstart = 2025-04-01\nend = 2026-03-31\n" + config, encoding="utf-8")
    return folder


def pay_rows(results: pd.DataFrame, measure: str, breakdown: str = "overall") -> pd.DataFrame:
    rows = results[(results["indicator"] == "pay") & (results["measure"] == measure)
                   & (results["breakdown"] == breakdown)]
    return rows.set_index(["level", "group"])


def one(results: pd.DataFrame, measure: str, group: str, breakdown: str = "overall",
        level: str = "all") -> pd.Series:
    return pay_rows(results, measure, breakdown).loc[(level, group)]


# --------------------------------------------------------------------------- quartiles


def test_ties_straddling_cuts_with_seven_people_are_shared_out_by_hand() -> None:
    # Seven people: parts of 2, 2, 2, 1 (the lower parts take the extra people).
    # Places 1-3 are paid 10 (white, asian, black): the cut after place 2 gives
    # lower 2/3 of each and lower middle 1/3. Places 4-5 are paid 12 (two white):
    # the cut after place 4 gives lower middle 1/2 of them (1 person) and upper
    # middle the other 1. Place 6 (mixed, 15) is upper middle; place 7 (white, 20) upper.
    pays = [10, 10, 10, 12, 12, 15, 20]
    groups = ["white", "asian", "black", "white", "white", "mixed", "white"]
    counts, sizes = quartile_counts(np.array(pays, float),
                                    np.array([BROAD_GROUPS.index(g) for g in groups]),
                                    len(BROAD_GROUPS))
    assert sizes.tolist() == [2, 2, 2, 1]
    col = {g: counts[:, BROAD_GROUPS.index(g)] for g in BROAD_GROUPS}
    assert col["white"] == pytest.approx([2 / 3, 1 / 3 + 1, 1, 1])
    assert col["asian"] == pytest.approx([2 / 3, 1 / 3, 0, 0])
    assert col["black"] == pytest.approx([2 / 3, 1 / 3, 0, 0])
    assert col["mixed"] == pytest.approx([0, 0, 1, 0])
    assert counts.sum(axis=1) == pytest.approx([2, 2, 2, 1])


def test_a_run_covering_a_whole_part_and_two_cuts() -> None:
    # Five people, parts 2, 1, 1, 1; everyone but the last is paid 9: the run of
    # four covers places 1-4, so lower takes 2/4 of it and each middle part 1/4.
    counts, sizes = quartile_counts(np.array([9, 9, 9, 9, 30.0]), np.array([0, 0, 1, 1, 0]), 6)
    assert sizes.tolist() == [2, 1, 1, 1]
    assert counts[:, 0] == pytest.approx([1, 0.5, 0.5, 1])  # white: two in the run, one at 30
    assert counts[:, 1] == pytest.approx([1, 0.5, 0.5, 0])  # asian: two in the run


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(BROAD_GROUPS),
                          st.sampled_from([8.0, 9.5, 9.5, 11.0, 12.25, 20.0, 35.5])),
                min_size=0, max_size=45))
def test_quartiles_equal_the_place_by_place_reference(people: list[tuple[str, float]]) -> None:
    groups = [g for g, _ in people]
    pays = [p for _, p in people]
    counts, sizes = quartile_counts(np.array(pays, dtype=float),
                                    np.array([BROAD_GROUPS.index(g) for g in groups],
                                             dtype=np.int8), len(BROAD_GROUPS))
    expected, expected_sizes = reference_quartiles(pays, groups)
    assert sizes.tolist() == expected_sizes
    for part in range(4):
        for g in BROAD_GROUPS:
            assert counts[part, BROAD_GROUPS.index(g)] == pytest.approx(
                float(expected[(part, g)]), abs=1e-9)


# --------------------------------------------------------------------------- through compute


def _people(spec: list[tuple[str, str, float]]) -> list[tuple]:
    return [(f"E{i:03d}", g, grade, "2020-01-01", "", pay, "", "")
            for i, (g, grade, pay) in enumerate(spec)]


@pytest.mark.slow
@settings(max_examples=12, deadline=None)  # each example is a whole compute
@given(st.lists(st.tuples(st.sampled_from(BROAD_GROUPS), st.sampled_from(["G1", "G2"]),
                          st.sampled_from([10.0, 10.0, 11.5, 13.25, 18.0, 40.0])),
                min_size=1, max_size=40))
def test_compute_equals_the_reference_on_random_staff(tmp_path_factory: pytest.TempPathFactory,
                                                      spec: list[tuple[str, str, float]]) -> None:
    folder = write_folder(tmp_path_factory.mktemp("pay"), _people(spec))
    results = wres_cli.compute(folder, suppress=False).results
    for level, subset in (("all", spec), *((g, [s for s in spec if s[1] == g])
                                           for g in ("G1", "G2"))):
        breakdown = "overall" if level == "all" else "grade"
        if level != "all" and not subset:
            continue
        figures = reference_figures([s[2] for s in subset], [s[0] for s in subset])
        for group in ("white", "minority", *MINORITY_GROUPS, "unknown"):
            mean_row = one(results, "mean_hourly_pay", group, breakdown, level)
            median_row = one(results, "median_hourly_pay", group, breakdown, level)
            if group not in figures:
                assert mean_row["denominator"] == 0 and np.isnan(mean_row["value"])
                continue
            n, mean, median = figures[group]
            assert mean_row["denominator"] == n
            assert mean_row["value"] == pytest.approx(mean)
            assert median_row["value"] == pytest.approx(median)
        for group in ("minority", *MINORITY_GROUPS):
            for measure, k in (("pay_gap_mean", 1), ("pay_gap_median", 2)):
                gap = one(results, measure, group, breakdown, level)
                assert gap["reference"] == "white"
                if group in figures and "white" in figures and figures["white"][k] != 0:
                    white = figures["white"][k]
                    assert gap["value"] == pytest.approx((white - figures[group][k]) / white)
                else:
                    assert np.isnan(gap["value"])
    counts, sizes = reference_quartiles([s[2] for s in spec], [s[0] for s in spec])
    shares = pay_rows(results, "share", "pay_quartile")
    for part, name in enumerate(QUARTILES):
        for group in ("white", "minority", *MINORITY_GROUPS, "unknown"):
            row = shares.loc[(name, group)]
            assert row["denominator"] == sizes[part]
            assert float(row["numerator"]) == pytest.approx(float(counts[(part, group)]))


def test_who_is_in_the_pay_gap_and_the_bonus_figures(tmp_path: Path) -> None:
    people = [
        # id, group, grade, start, end, hourly, bonus, full_pay
        ("A1", "white", "G1", "2020-01-01", "", 10, "100", ""),
        ("A2", "white", "G1", "2020-01-01", "", 20, "", "yes"),
        ("A3", "white", "G2", "2020-01-01", "", 30, "300", ""),
        ("A4", "asian", "G1", "2020-01-01", "", 9, "0", ""),
        ("A5", "black", "G2", "2020-01-01", "", 15, "50", ""),
        ("A6", "black", "G2", "2020-01-01", "", 99, "", "no"),          # reduced pay: out
        ("A7", "white", "G2", "2020-01-01", "2025-12-31", 99, "", ""),  # left: out
        ("A8", "unknown", "G1", "2026-04-01", "", 99, "", ""),          # not started: out
        ("A9", "mixed", "G1", "2020-01-01", "", None, "", ""),          # no pay row
    ]
    folder = write_folder(tmp_path / "d", people, bonus=True)
    result = wres_cli.compute(folder, suppress=False)
    rows = result.results
    assert one(rows, "mean_hourly_pay", "white")["value"] == pytest.approx(20)
    assert one(rows, "median_hourly_pay", "white")["value"] == pytest.approx(20)
    assert one(rows, "mean_hourly_pay", "minority")["value"] == pytest.approx(12)  # 9, 15
    assert one(rows, "mean_hourly_pay", "mixed")["denominator"] == 0
    assert one(rows, "pay_gap_mean", "minority")["value"] == pytest.approx((20 - 12) / 20)
    assert one(rows, "pay_gap_median", "black")["value"] == pytest.approx((20 - 15) / 20)
    assert one(rows, "pay_gap_mean", "minority", "grade", "G2")["value"] == pytest.approx(
        (30 - 15) / 30)
    # Bonus: over those with a bonus above 0 (A1 100, A3 300; A5 50; A4's 0 is none).
    assert one(rows, "mean_bonus", "white")["value"] == pytest.approx(200)
    assert one(rows, "median_bonus", "minority")["value"] == pytest.approx(50)
    assert one(rows, "pay_gap_bonus_mean", "minority")["value"] == pytest.approx(
        (200 - 50) / 200)
    receipt = one(rows, "rate", "white")
    assert (receipt["numerator"], receipt["denominator"]) == (2, 3)
    assert one(rows, "rate", "minority")["value"] == pytest.approx(1 / 2)
    excluded = result.data_quality["extracts"]["pay"]["excluded"]
    assert excluded == {"not in post on the pay snapshot date": 2, "not on full pay": 1}
    assert result.meta["pay"] == {"snapshot": "2026-03-31"}
    # Unknown ethnicity is never in a gap.
    gaps = rows[(rows["indicator"] == "pay") & rows["measure"].str.startswith("pay_gap")]
    assert set(gaps["group"]) == {"minority", *MINORITY_GROUPS}
    assert set(gaps["reference"]) == {"white"}


def test_the_snapshot_date_chooses_who_is_in_post(tmp_path: Path) -> None:
    people = [("B1", "white", "G1", "2020-01-01", "2025-10-31", 10, "", ""),
              ("B2", "white", "G1", "2020-01-01", "", 20, "", "")]
    folder = write_folder(tmp_path / "d", people, config="[pay]\nsnapshot = 2025-09-30\n")
    rows = wres_cli.compute(folder, suppress=False).results
    assert one(rows, "mean_hourly_pay", "white")["value"] == pytest.approx(15)
    folder = write_folder(tmp_path / "e", people)
    rows = wres_cli.compute(folder, suppress=False).results
    assert one(rows, "mean_hourly_pay", "white")["value"] == pytest.approx(20)


def test_no_pay_extract_writes_no_pay_rows_and_no_no_data(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "d", _people([("white", "G1", 10)]))
    (folder / "pay.csv").unlink()
    result = wres_cli.compute(folder)
    assert not (result.results["indicator"] == "pay").any()
    assert "pay" not in result.data_quality["no_data"]
    assert "pay" not in result.meta


# --------------------------------------------------------------------------- withholding


def test_small_groups_have_their_pay_figures_and_gaps_withheld(tmp_path: Path) -> None:
    # 30 White, 12 Asian, 11 Black, 4 Mixed (small), 0 Other, 10 unknown.
    spec = ([("white", "G1", 10.0 + i % 5) for i in range(30)]
            + [("asian", "G1", 11.0)] * 12 + [("black", "G1", 9.0)] * 11
            + [("mixed", "G1", 12.0)] * 4 + [("unknown", "G1", 10.0)] * 10)
    folder = write_folder(tmp_path / "d", _people(spec))
    rows = wres_cli.compute(folder).results
    mixed = one(rows, "mean_hourly_pay", "mixed")
    assert mixed["suppressed"] and np.isnan(mixed["value"]) and pd.isna(mixed["denominator"])
    assert mixed["assessment"] == "suppressed"
    assert mixed["note"] == "withheld to protect small numbers"
    assert one(rows, "median_hourly_pay", "mixed")["suppressed"]
    assert one(rows, "pay_gap_mean", "mixed")["suppressed"]
    # minority = asian + black + mixed + other: with Other at 0 and Mixed withheld,
    # publishing the rest would give Mixed's people and total pay by subtraction;
    # so one more member (the smallest: Other's 0) is withheld too.
    assert one(rows, "mean_hourly_pay", "other")["suppressed"]
    assert not one(rows, "mean_hourly_pay", "minority")["suppressed"]
    assert not one(rows, "pay_gap_mean", "minority")["suppressed"]
    assert one(rows, "pay_gap_mean", "minority")["value"] == pytest.approx(
        (12 - (12 * 11 + 11 * 9 + 4 * 12) / 27) / 12)
    assert not one(rows, "mean_hourly_pay", "asian")["suppressed"]
    assert one(rows, "mean_hourly_pay", "unknown")["value"] == pytest.approx(10)


def test_withheld_white_withholds_every_gap() -> None:
    rows = _rows_with_counts({"white": 3, "asian": 40, "black": 0, "mixed": 0, "other": 0,
                              "unknown": 0})
    out = withhold(rows, 10)
    gaps = out[out["measure"] == "pay_gap_mean"]
    assert gaps["suppressed"].all()


def test_quartile_shares_with_a_small_count_are_withheld() -> None:
    rows = _rows_with_counts({"white": 40, "asian": 40, "black": 0, "mixed": 0, "other": 0,
                              "unknown": 0}, quartile={"white": 9.5, "asian": 0.5})
    out = withhold(rows, 10).set_index(["measure", "level", "group"])
    assert out.loc[("share", "lower", "asian"), "suppressed"]  # 0.5 of a person is small
    assert out.loc[("share", "lower", "white"), "suppressed"]  # 9.5 is small too
    assert not out.loc[("share", "lower", "black"), "suppressed"]  # 0 is not small
    assert withhold(rows, None).equals(rows)


def _rows_with_counts(people: dict[str, int],
                      quartile: dict[str, float] | None = None) -> pd.DataFrame:
    """Minimal pay rows (overall only) with the given people per broad group."""
    from wres_cli.pay import PayPeople, pay_rows

    groups = np.concatenate([np.full(n, BROAD_GROUPS.index(g), dtype=np.int8)
                             for g, n in people.items()])
    hourly = np.linspace(10, 20, len(groups))
    rows = pay_rows(PayPeople(hourly=hourly, bonus=None, group=groups),
                    indicator="pay", organisation="X", period_start=date(2025, 4, 1),
                    period_end=date(2026, 3, 31), standard="social-care")
    if quartile:
        for g, count in quartile.items():
            at = ((rows["measure"] == "share") & (rows["level"] == "lower")
                  & (rows["group"] == g))
            rows["numerator"] = rows["numerator"].astype(object)
            rows.loc[at, "numerator"] = count
    return rows


# --------------------------------------------------------------------------- the sample


def test_the_sample_pay_figures_equal_an_independent_calculation(sample_results: Any) -> None:
    from wres_cli.ethnicity import classify

    with open(SAMPLE / "workforce.csv", encoding="utf-8") as f:
        staff = list(csv.DictReader(f))
    with open(SAMPLE / "pay.csv", encoding="utf-8") as f:
        pay = {r["Employee Number"]: r for r in csv.DictReader(f)}
    groups = classify(pd.Series([s["Ethnic Origin"] for s in staff])).group.astype(str).tolist()
    snapshot = date(2026, 3, 31)

    def day(text: str) -> date | None:
        return datetime.strptime(text, "%d/%m/%Y").date() if text else None

    pays, who = [], []
    for person, group in zip(staff, groups, strict=True):
        record = pay.get(person["Employee Number"])
        end = day(person["Leaving Date"])
        if (record is None or record["Full Pay"] == "N" or day(person["Start Date"]) > snapshot
                or (end is not None and end < snapshot)):
            continue
        pays.append(float(record["Hourly Rate"]))
        who.append(group)
    assert len(set(pays)) < len(pays) / 10  # pay points: plenty of ties
    results = sample_results.results
    figures = reference_figures(pays, who)
    for group in ("white", "minority", "asian", "black"):
        n, mean, median = figures[group]
        assert one(results, "mean_hourly_pay", group)["denominator"] == n
        assert one(results, "mean_hourly_pay", group)["value"] == pytest.approx(mean)
        assert one(results, "median_hourly_pay", group)["value"] == pytest.approx(median)
    white_median = figures["white"][2]
    assert one(results, "pay_gap_median", "minority")["value"] == pytest.approx(
        (white_median - figures["minority"][2]) / white_median)
    counts, sizes = reference_quartiles(pays, who)
    assert len(pays) % 4 != 0
    shares = pay_rows(results, "share", "pay_quartile")
    for part, name in enumerate(QUARTILES):
        for group in ("white", "minority"):
            assert float(shares.loc[(name, group), "numerator"]) == pytest.approx(
                float(counts[(part, group)]))
            assert shares.loc[(name, group), "denominator"] == sizes[part]
    # A cut falls inside a run of equal pay, so some counts are fractions.
    assert any(c.denominator != 1 for c in counts.values())


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("line", "rule"), [
    ("E000,-4.50", "bad-amount"),
    ("E000,twelve", "bad-amount"),
    ("E999,12", "unknown-staff-id"),
    ("E000,13", "duplicate-id"),
])
def test_bad_pay_rows_are_problems_and_nothing_is_written(tmp_path: Path, line: str,
                                                          rule: str) -> None:
    people = _people([("white", "G1", 10.0)] * 3)
    people[0] = (*people[0][:5], None, "", "")  # E000's row comes from ``line``
    folder = write_folder(tmp_path / "d", people, extra_pay=[line])
    if rule == "duplicate-id":
        folder = write_folder(tmp_path / "d", _people([("white", "G1", 10.0)] * 3),
                              extra_pay=[line])
    out, errors = tmp_path / "out", tmp_path / "problems.csv"
    result = CliRunner().invoke(app, ["compute", str(folder), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert not out.exists()
    result = CliRunner().invoke(app, ["validate", str(folder), "--errors-out", str(errors)])
    assert result.exit_code == 1, result.output
    problems = list(csv.DictReader(errors.open(encoding="utf-8")))
    assert {p["rule"] for p in problems} == {rule}
    assert {p["file"] for p in problems} == {"pay.csv"}
    assert all(p["row"] and p["column"] in ("hourly_pay", "staff_id") for p in problems)


def test_a_snapshot_outside_the_period_is_a_config_error(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "d", _people([("white", "G1", 10.0)]),
                          config="[pay]\nsnapshot = 2026-04-01\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["compute", str(folder), "--out", str(out)])
    assert result.exit_code == 2
    assert "pay.snapshot" in result.output and "outside the period" in result.output
    assert not out.exists()


def test_fractional_quartile_counts_are_written_unrounded(tmp_path: Path) -> None:
    # Five people: parts 2, 1, 1, 1. Places 1-3 are paid 10 (white, asian, white),
    # so the lower part takes 2/3 of each: 4/3 White, 2/3 Asian.
    spec = [("white", "G1", 10.0), ("asian", "G1", 10.0), ("white", "G1", 10.0),
            ("white", "G1", 14.0), ("black", "G1", 15.0)]
    folder = write_folder(tmp_path / "d", _people(spec))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["compute", str(folder), "--out", str(out),
                                      "--no-suppress", "--format", "json,csv,parquet"])
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    lower = {r["group"]: r for r in doc["results"] if r["indicator"] == "pay"
             and r["breakdown"] == "pay_quartile" and r["level"] == "lower"}
    assert lower["white"]["numerator"] == pytest.approx(4 / 3)
    assert lower["asian"]["numerator"] == pytest.approx(2 / 3)
    assert lower["black"]["numerator"] == 0 and isinstance(lower["black"]["numerator"], int)
    assert lower["white"]["denominator"] == 2
    with open(out / "results.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["breakdown"] == "pay_quartile"
                and r["level"] == "lower"]
    cells = {r["group"]: r["numerator"] for r in rows}
    assert float(cells["white"]) == pytest.approx(4 / 3) and len(cells["white"]) > 10
    assert cells["black"] == "0"
    parquet = pd.read_parquet(out / "results.parquet")
    assert parquet["numerator"].dropna().map(float).sum() > 0


# --------------------------------------------------------------------------- the report


def _report_context(folder: Path) -> dict:
    from wres_cli.indicator_files import load_indicators
    from wres_cli.io.writers import json_text
    from wres_cli.output import results_document
    from wres_cli.report.context import build_context

    document = json.loads(json_text(results_document(wres_cli.compute(folder))))
    return build_context(document, definitions={d.id: d for d in load_indicators("social-care")})


def test_the_report_words_the_gap_as_the_guidance_does_and_advises_on_withheld_groups(
        tmp_path: Path) -> None:
    # White paid 20 (30 people), Asian 18 (12), Mixed 15 (4: withheld), others 0.
    spec = ([("white", "G1", 20.0)] * 30 + [("asian", "G1", 18.0)] * 12
            + [("mixed", "G1", 15.0)] * 4)
    context = _report_context(write_folder(tmp_path / "d", _people(spec)))
    section = next(s for s in context["indicators"] if s["id"] == "pay")
    assert section["heading"] == "Ethnicity pay gap"
    minority_mean = (12 * 18 + 4 * 15) / 16
    median_gap = (20 - 18) / 20  # the minority median is 18 (16 people: 8th and 9th are 18)
    assert section["sentence"] == (
        f"Minority ethnic staff's median hourly pay is {median_gap * 100:.1f}% lower than White "
        f"staff's; their mean hourly pay is {(20 - minority_mean) / 20 * 100:.1f}% lower.")
    assert "read the Minority ethnic gap" in section["advice"]
    assert any("not the same as unequal pay" in p for p in section["paragraphs"])
    gaps = section["tables"][0]
    assert gaps["rows"][0][0] == "Minority ethnic"
    assert dict((r[0], r[1]) for r in gaps["rows"])["Mixed"] == "withheld"
    assert section["chart"]["kind"] == "composition"
    assert [b["label"] for b in section["chart"]["data"]] == [
        "Upper quartile", "Upper middle quartile", "Lower middle quartile", "Lower quartile"]


def test_gap_words() -> None:
    from wres_cli.report.pay_section import gap_sentence, gap_words

    assert gap_words(0.084) == "8.4% lower than"
    assert gap_words(-0.02) == "2.0% higher than"
    assert gap_words(0.0) == "the same as"
    assert gap_sentence("Black", "White", {"value": -0.05}, None) == (
        "Black staff's median hourly pay is 5.0% higher than White staff's.")
    assert gap_sentence("Black", "White", {"value": 0.1, "suppressed": True}, None) is None


# --------------------------------------------------------------------------- more units


def test_bands_in_the_workforce_give_a_band_breakdown_and_unlinked_pay_is_left_out() -> None:
    from wres_cli.pay import pay_people, pay_rows

    workforce = pd.DataFrame({
        "staff_id": ["A", "B", "C", "D"],
        "ethnic_group": pd.Categorical(["white", "asian", "white", "black"]),
        "grade": ["G1", "G2", "G3", "G3"],
        "band": ["Low", "Low", "High", "High"],
        "start_date": pd.to_datetime(["2020-01-01"] * 4),
        "end_date": pd.to_datetime([None] * 4),
    })
    pay = pd.DataFrame({"staff_id": ["A", "B", "C", "D", "Z"],
                        "hourly_pay": [10.0, 12.0, 30.0, 20.0, 99.0]})
    people = pay_people(workforce, pay, date(2026, 3, 31), ("grade",), ("G1", "G2", "G3"))
    assert people.exclusions == {"person not in the workforce": 1}
    rows = pay_rows(people, indicator="pay", organisation=None, period_start=date(2025, 4, 1),
                    period_end=date(2026, 3, 31), standard="nhs")
    high = one(rows, "mean_hourly_pay", "white", "band", "High")
    assert high["value"] == pytest.approx(30) and high["denominator"] == 1
    assert one(rows, "pay_gap_mean", "black", "band", "High")["value"] == pytest.approx(
        (30 - 20) / 30)
    assert list(dict.fromkeys(pay_rows_levels(rows, "grade"))) == ["G1", "G2", "G3"]


def pay_rows_levels(rows: pd.DataFrame, breakdown: str) -> list[str]:
    return rows.loc[(rows["breakdown"] == breakdown)
                    & (rows["measure"] == "mean_hourly_pay"), "level"].tolist()


@pytest.mark.slow
@settings(max_examples=30, deadline=None)  # each example is a whole compute
@given(st.dictionaries(st.sampled_from(BROAD_GROUPS), st.integers(0, 25), min_size=1),
       st.integers(0, 3))
def test_no_published_pay_figure_rests_on_a_small_count(sizes: dict[str, int],
                                                        seed: int) -> None:
    """Whatever the group sizes: every published people count is 0 or at least the
    threshold, and no set that adds up has exactly one withheld member."""
    from wres_cli.pay import PayPeople, _cells, _sets, pay_rows

    groups = np.concatenate([np.full(n, BROAD_GROUPS.index(g), dtype=np.int8)
                             for g, n in sizes.items()] or [np.zeros(0, np.int8)])
    if not len(groups):
        return
    rng = np.random.default_rng(seed)
    hourly = rng.choice([10.0, 11.0, 11.0, 14.0], size=len(groups))
    level = rng.integers(0, 2, len(groups))
    rows = pay_rows(PayPeople(hourly=hourly, bonus=None, group=groups,
                              levels={"grade": (level, ["G1", "G2"])}),
                    indicator="pay", organisation=None, period_start=date(2025, 4, 1),
                    period_end=date(2026, 3, 31), standard="social-care")
    out = withhold(rows, 10)
    shown = out[~out["suppressed"]]
    for column in ("numerator", "denominator"):
        counts = pd.to_numeric(shown[column].astype(object), errors="coerce").dropna()
        assert not ((counts > 0) & (counts < 10)).any()
    cells = _cells(rows)
    marked = np.array([_is_withheld(out, c) for c in cells.itertuples(index=False)])
    for members in _sets(cells):
        assert marked[members].sum() != 1, cells.iloc[members]


def _is_withheld(out: pd.DataFrame, cell: tuple) -> bool:
    measure = {"pay": "mean_hourly_pay", "bonus": "rate", "quartile": "share"}[cell.kind]
    row = out[(out["measure"] == measure) & (out["breakdown"] == cell.breakdown)
              & (out["level"] == cell.level) & (out["group"] == cell.group)]
    return bool(row["suppressed"].iloc[0])
