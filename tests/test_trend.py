"""Trend: values over periods, their change and whether it is real (methodology section 6)."""

from __future__ import annotations

import copy
import csv
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.helpers import ROLLING_ENDS, SAMPLE
from wres_cli import trend
from wres_cli.api import compute
from wres_cli.charts.trend import trend_charts
from wres_cli.cli import app
from wres_cli.errors import InputError, UsageError
from wres_cli.io.results import read_results as load_results
from wres_cli.output import write_results
from wres_cli.trend import TREND_COLUMNS, build_trend, write_trend

runner = CliRunner()
KEY = ("indicator", "measure", "breakdown", "level", "group", "reference")
HALVES = (("2025-04-01", "2025-09-30"), ("2025-10-01", "2026-03-31"))


def _results_file(folder: Path, period: tuple[str | None, str]) -> Path:
    write_results(compute(SAMPLE, period=period), folder, ["json"])
    return folder / "results.json"


@pytest.fixture(scope="module")
def rolling(sample_rolling_results: list[Path]) -> list[Path]:
    """results.json of the sample council for three overlapping rolling years (once for
    the session, conftest: read only)."""
    return sample_rolling_results


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """results.json of the sample council for two half-years that do not overlap."""
    root = tmp_path_factory.mktemp("halves")
    return [_results_file(root / start, (start, end)) for start, end in HALVES]


@pytest.fixture(scope="module")
def rolling_out(rolling: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trend") / "out"
    write_trend(list(reversed(rolling)), out)  # any order in, period order out
    return out


@pytest.fixture(scope="module")
def halves_trend(halves: list[Path]) -> list[dict[str, str]]:
    return _csv_rows(_trend_csv(halves))


def _trend_csv(paths: list[Path]) -> str:
    from wres_cli.io.writers import frame_to_csv_text

    return frame_to_csv_text(build_trend([load_results(p) for p in paths]))


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(text.splitlines()))


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _cell(value: Any) -> str:
    """A JSON value as trend.csv must write it (contracts section 3)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _key(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(_cell(row[k]) for k in KEY)


def _find(rows: list[dict[str, str]], period_end: str, **where: str) -> dict[str, str]:
    found = [r for r in rows if r["period_end"] == period_end
             and all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, (period_end, where)
    return found[0]


HEADLINE_3 = {"indicator": "3", "measure": "relative_likelihood", "breakdown": "overall",
              "level": "all", "group": "minority", "reference": "white"}


# ------------------------------------------------------------------ done-when


def test_every_value_is_exactly_as_published(rolling: list[Path], rolling_out: Path) -> None:
    rows = _csv_rows((rolling_out / "trend.csv").read_text(encoding="utf-8"))
    by_key = {(r["period_end"], *(r[k] for k in KEY)): r for r in rows}
    total = 0
    for path in rolling:
        document = _read(path)
        end = document["meta"]["period"]["end"]
        for published in document["results"]:
            row = by_key[(end, *_key(published))]
            for column in ("value", "ci_low", "ci_high"):
                # The CSV holds repr(float); read back, it is the very same double.
                mine = float(row[column]) if row[column] else None
                assert mine == published[column], (column, published)
            for column in ("numerator", "denominator", "suppressed", "period_start",
                           "organisation", "assessment"):
                assert row[column] == _cell(published[column]), (column, published)
            total += 1
    assert total == len(rows) == sum(len(_read(p)["results"]) for p in rolling)


def test_figures_keep_the_results_order(rolling: list[Path], rolling_out: Path) -> None:
    rows = _csv_rows((rolling_out / "trend.csv").read_text(encoding="utf-8"))
    for path in rolling:
        document = _read(path)
        end = document["meta"]["period"]["end"]
        mine = [tuple(r[k] for k in KEY) for r in rows if r["period_end"] == end]
        assert mine == [_key(r) for r in document["results"]]


def test_columns_and_order(rolling_out: Path) -> None:
    text = (rolling_out / "trend.csv").read_text(encoding="utf-8")
    rows = _csv_rows(text)
    assert tuple(rows[0]) == TREND_COLUMNS
    assert "\r" not in text
    from wres_cli.indicators import indicator_sort_key

    ranks = [indicator_sort_key(r["indicator"]) for r in rows]
    assert ranks == sorted(ranks)  # indicator order
    # each series' periods are together and ascending
    for i in range(0, len(rows), 3):
        series = rows[i:i + 3]
        assert len({tuple(r[k] for k in KEY) for r in series}) == 1
        assert [r["period_end"] for r in series] == list(ROLLING_ENDS)


def test_rolling_periods_overlap_so_changes_are_not_tested(rolling: list[Path],
                                                          rolling_out: Path) -> None:
    rows = _csv_rows((rolling_out / "trend.csv").read_text(encoding="utf-8"))
    assert all(r["change_p_value"] == "" for r in rows)
    first = [r for r in rows if r["period_end"] == ROLLING_ENDS[0]]
    assert {r["change_note"] for r in first} == {trend.NO_PREVIOUS}
    assert all(r["previous_period_end"] == "" for r in first)
    # The change is the difference of the published values.
    before, after = (_read(p) for p in rolling[1:])
    old = {_key(r): r for r in before["results"]}
    last = {tuple(r[k] for k in KEY): r for r in rows if r["period_end"] == ROLLING_ENDS[2]}
    tested = 0
    for published in after["results"]:
        prev = old[_key(published)]
        row = last[_key(published)]
        assert row["previous_period_end"] == ROLLING_ENDS[1]
        if published["suppressed"] or prev["suppressed"]:
            assert row["change_note"] == trend.WITHHELD and row["change"] == ""
        elif published["value"] is not None and prev["value"] is not None:
            assert float(row["change"]) == published["value"] - prev["value"]
            assert row["change_note"] == trend.OVERLAP
            if published["measure"] == "relative_likelihood":
                assert float(row["change_ratio"]) == published["value"] / prev["value"]
                tested += 1
            else:
                assert row["change_ratio"] == ""
    assert tested >= 7


def test_ratio_change_between_separate_periods_by_hand(halves: list[Path],
                                                       halves_trend: list[dict[str, str]]) -> None:
    # The Katz SE of each half from its counts: the rate rows of the two groups.
    ses, ratios = [], []
    for path in halves:
        rows = _read(path)["results"]
        rate = {r["group"]: r for r in rows if r["indicator"] == "3" and r["measure"] == "rate"
                and r["breakdown"] == "overall"}
        a, nf = rate["minority"]["numerator"], rate["minority"]["denominator"]
        c, nr = rate["white"]["numerator"], rate["white"]["denominator"]
        ses.append(math.sqrt(1 / a - 1 / nf + 1 / c - 1 / nr))
        ratios.append((a / nf) / (c / nr))
    z = (math.log(ratios[1]) - math.log(ratios[0])) / math.hypot(*ses)
    expected = math.erfc(abs(z) / math.sqrt(2))  # two-sided normal p
    row = _find(halves_trend, HALVES[1][1], **HEADLINE_3)
    assert row["change_note"] == ""
    assert float(row["change_p_value"]) == pytest.approx(expected, rel=1e-9)
    assert float(row["change_ratio"]) == pytest.approx(ratios[1] / ratios[0], rel=1e-12)


def test_rate_change_between_separate_periods_by_hand(halves: list[Path],
                                                      halves_trend: list[dict[str, str]]) -> None:
    where = {"indicator": "5", "measure": "rate", "breakdown": "overall", "level": "all",
             "group": "minority"}
    counts = []
    for path in halves:
        row = next(r for r in _read(path)["results"] if all(
            r[k] == v for k, v in where.items()))
        counts.append((row["numerator"], row["denominator"]))
    (e1, n1), (e2, n2) = counts
    pooled = (e1 + e2) / (n1 + n2)
    z = (e2 / n2 - e1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    row = _find(halves_trend, HALVES[1][1], **where)
    assert float(row["change_p_value"]) == pytest.approx(math.erfc(abs(z) / math.sqrt(2)),
                                                         rel=1e-12)


def test_differences_and_withheld_rows_are_not_tested(halves_trend: list[dict[str, str]]
                                                      ) -> None:
    later = [r for r in halves_trend if r["period_end"] == HALVES[1][1]]
    differences = [r for r in later if r["measure"] == "difference"]
    assert differences and all(r["change_p_value"] == "" for r in differences)
    assert {r["change_note"] for r in differences} <= {trend.DIFFERENCE, trend.WITHHELD,
                                                      trend.NO_VALUE}
    withheld = [r for r in later if r["suppressed"] == "true"]
    assert withheld and all(r["change_note"] == trend.WITHHELD and r["change"] == ""
                            and r["change_p_value"] == "" for r in withheld)


# ------------------------------------------------------------------ hand-made documents


def _document(start: str, end: str, rows: list[dict[str, Any]],
              organisation: str = "Testshire") -> dict[str, Any]:
    base = {c: None for c in ("numerator", "denominator", "value", "ci_low", "ci_high",
                              "p_value", "assessment", "significant", "note", "reference")}
    return {
        "meta": {"schema_version": 1, "standard": "social-care", "organisation": organisation,
                 "period": {"start": start, "end": end},
                 "labels": {"minority": "Global majority", "white": "White"}},
        "results": [{**base, "organisation": organisation, "period_start": start,
                     "period_end": end, "standard": "social-care", "breakdown": "overall",
                     "level": "all", "suppressed": False, **r} for r in rows],
    }


def _rl(value: float | None, low: float | None, high: float | None,
        suppressed: bool = False) -> dict[str, Any]:
    return {"indicator": "3", "measure": "relative_likelihood", "group": "minority",
            "reference": "white", "value": value, "ci_low": low, "ci_high": high,
            "suppressed": suppressed}


def test_hand_made_ratio_change() -> None:
    first = _document("2024-04-01", "2025-03-31", [_rl(1.5, 1.0, 2.25)])
    second = _document("2025-04-01", "2026-03-31", [_rl(2.0, 1.25, 3.2)])
    table = build_trend([second, first])
    last = table.iloc[1]
    se1 = (math.log(2.25) - math.log(1.0)) / (2 * 1.959964)
    se2 = (math.log(3.2) - math.log(1.25)) / (2 * 1.959964)
    z = (math.log(2.0) - math.log(1.5)) / math.sqrt(se1 ** 2 + se2 ** 2)
    assert last["change"] == 2.0 - 1.5 and last["change_ratio"] == 2.0 / 1.5
    assert last["change_p_value"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-12)
    assert last["previous_period_end"] == "2025-03-31"
    assert list(table.columns) == list(TREND_COLUMNS)


def test_notes_for_missing_withheld_and_empty_values() -> None:
    share = {"indicator": "1", "measure": "share", "breakdown": "grade", "level": "G9",
             "group": "minority", "numerator": 12, "denominator": 40, "value": 0.3}
    first = _document("2024-04-01", "2025-03-31", [_rl(None, None, None, suppressed=True)])
    second = _document("2025-04-01", "2026-03-31", [_rl(1.2, 0.9, 1.6), share])
    third = _document("2026-04-01", "2027-03-31", [_rl(None, None, None), share])
    table = build_trend([first, second, third]).set_index(["indicator", "period_end"])
    assert table.loc[("3", "2026-03-31"), "change_note"] == trend.WITHHELD
    assert table.loc[("3", "2027-03-31"), "change_note"] == trend.NO_VALUE
    assert table.loc[("1", "2026-03-31"), "change_note"] == trend.NOT_BEFORE
    assert table.loc[("1", "2027-03-31"), "change"] == 0.0
    # the same 12 of 40 in two separate years: z = 0, p = 1, nothing to note
    assert table.loc[("1", "2027-03-31"), "change_p_value"] == 1.0
    assert pd.isna(table.loc[("1", "2027-03-31"), "change_note"])


def test_one_organisation_one_standard_each_period_once() -> None:
    a = _document("2024-04-01", "2025-03-31", [_rl(1.5, 1.0, 2.25)])
    with pytest.raises(InputError, match="one organisation"):
        build_trend([a, _document("2025-04-01", "2026-03-31", [], organisation="Other")])
    nhs = copy.deepcopy(a)
    nhs["meta"]["standard"] = "nhs"
    nhs["meta"]["period"] = {"start": "2025-04-01", "end": "2026-03-31"}
    with pytest.raises(InputError, match="one standard"):
        build_trend([a, nhs])
    with pytest.raises(InputError, match="more than once"):
        build_trend([a, copy.deepcopy(a)])


def test_load_results_checks_the_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        load_results(tmp_path / "nowhere.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.json"):
        load_results(bad)
    document = _document("2024-04-01", "2025-03-31", [_rl(1.5, 1.0, 2.25)])
    document["meta"]["schema_version"] = 2
    bad.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError, match="schema_version"):
        load_results(bad)
    document["meta"]["schema_version"] = 1
    del document["results"][0]["ci_low"]
    bad.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError, match="lacks ci_low"):
        load_results(bad)


def test_formula_like_text_is_neutralised(tmp_path: Path) -> None:
    paths = []
    for start, end in (("2024-04-01", "2025-03-31"), ("2025-04-01", "2026-03-31")):
        path = tmp_path / f"{end}.json"
        path.write_text(json.dumps(_document(start, end, [_rl(1.5, 1.0, 2.25)],
                                             organisation="=HYPERLINK()")), encoding="utf-8")
        paths.append(path)
    write_trend(paths, tmp_path / "out")
    rows = _csv_rows((tmp_path / "out" / "trend.csv").read_text(encoding="utf-8"))
    assert {r["organisation"] for r in rows} == {"'=HYPERLINK()"}


# ------------------------------------------------------------------ charts


def test_one_chart_per_indicator(rolling: list[Path], rolling_out: Path) -> None:
    charts = {p.stem: p.read_text(encoding="utf-8")
              for p in (rolling_out / "charts").glob("*.svg")}
    indicators = {r["indicator"] for r in _read(rolling[0])["results"]}
    # An indicator whose headline is withheld in every period draws no (empty) chart.
    published = {r["indicator"] for p in rolling for r in _read(p)["results"]
                 if r["breakdown"] == "overall" and r["value"] is not None
                 and r["group"] in ("minority", "white")}
    assert set(charts) == {f"trend-{i}" for i in indicators & published}
    assert "trend-4" not in charts
    assert all(svg.startswith("<svg") for svg in charts.values())
    assert "<title>Indicator 3 (Formal disciplinary): Minority ethnic vs White" in \
        charts["trend-3"]
    assert "non-adverse range" in charts["trend-3"]


def test_charts_use_the_labels_and_are_deterministic() -> None:
    documents = [_document("2024-04-01", "2025-03-31", [_rl(1.5, 1.0, 2.25)]),
                 _document("2025-04-01", "2026-03-31", [_rl(None, None, None, True)])]
    table = build_trend(documents)
    one = trend_charts(trend.headline(table), trend.short_titles(table),
                       {"minority": "Global majority"})
    two = trend_charts(trend.headline(table), trend.short_titles(table),
                       {"minority": "Global majority"})
    assert one == two and list(one) == ["trend-3"]
    assert "Global majority vs White" in one["trend-3"]
    assert "withheld" in one["trend-3"]  # the missing period is said, not left blank


# ------------------------------------------------------------------ command line


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "250", "NO_COLOR": "1"})
    return result.exit_code, result.stderr


def test_cli_exit_codes_and_nothing_written(halves: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = _run("trend", *map(str, halves), "--out", str(out))
    assert code == 0, err
    assert (out / "trend.csv").exists() and (out / "charts" / "trend-3.svg").exists()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    code, err = _run("trend", str(halves[0]), str(bad), "--out", str(out))
    assert code == 1 and "bad.json" in err
    code, err = _run("trend", str(halves[0]), str(halves[0]), "--out", str(out))
    assert code == 1 and "more than once" in err
    code, err = _run("trend", str(tmp_path / "missing.json"), "--out", str(out))
    assert code == 2 and "does not exist" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    code, err = _run("trend", str(bad), "--out", str(tmp_path / "new"))
    assert code == 1 and not (tmp_path / "new").exists()


def test_trend_chart_fixes(tmp_path: Path) -> None:
    """Issue 15: the caption ends its sentence; points are coloured by their own
    assessment; a series withheld in every period draws no chart."""
    from wres_cli.charts.svg import PALETTE

    documents = [_document("2024-04-01", "2025-03-31", [_rl(1.1, 0.9, 1.3)]),
                 _document("2025-04-01", "2026-03-31", [_rl(1.5, 1.3, 1.8)])]
    for document, verdict in zip(documents, ("within range", "adverse"), strict=True):
        document["results"][0]["assessment"] = verdict
    table = build_trend(documents)
    svg = trend_charts(trend.headline(table), trend.short_titles(table), {})["trend-3"]
    assert "by period, with 95% intervals.</title>" in svg
    # One within-range point in the within colour, one adverse point in the adverse colour.
    assert PALETTE["white"].lower() in svg.lower() and PALETTE["minority"].lower() in svg.lower()
    withheld = [_document("2024-04-01", "2025-03-31", [_rl(None, None, None, True)]),
                _document("2025-04-01", "2026-03-31", [_rl(None, None, None, True)])]
    assert trend_charts(trend.headline(build_trend(withheld)), {}, {}) == {}
