"""Issue 15, the board-ready report round two: wording of a ratio (methodology §3
"How reports word a ratio"), breakdown tables on ``p_adjusted``, no table or chart
of only withheld rows, no-data indicators in one section. Rows are made by hand;
expected words and numbers are worked out here."""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.helpers import result_row as _row
from tests.helpers import results_doc as _document
from wres_cli.report import render_report
from wres_cli.report.context import EXPLORING_NOTE, build_context, chart_specs


def _rate(group: str, numerator: int, denominator: int, **values: Any) -> dict[str, Any]:
    return _row(measure="rate", group=group, reference=None, numerator=numerator,
                denominator=denominator, value=numerator / denominator if denominator else None,
                **values)


def _section(doc: dict[str, Any], indicator: str = "3") -> dict[str, Any]:
    return next(s for s in build_context(doc)["indicators"] if s["id"] == indicator)


# --------------------------------------------------------------------------- wording


def test_adverse_but_not_significant_has_its_own_badge() -> None:
    # 1.98 (0.39 to 10.11): the example of an adverse figure that may be chance.
    doc = _document(_row(value=1.98, ci_low=0.39, ci_high=10.11, p_value=0.41,
                         assessment="adverse", significant=False))
    section = _section(doc)
    assert section["status"] == "Adverse, not significant"
    assert section["sentence"].endswith(
        "; this is outside the range, but the interval (0.39 to 10.11) includes 1: with "
        "numbers this small the difference could be chance.")
    page = render_report([doc]).html
    assert '<span class="badge adverse notsig">Adverse, not significant</span>' in page


def test_adverse_and_significant_keeps_the_adverse_badge() -> None:
    doc = _document(_row(value=2.1, ci_low=1.14, ci_high=3.89, assessment="adverse",
                         significant=True))
    section = _section(doc)
    assert section["status"] == "Adverse"
    assert section["sentence"].endswith(
        "this is outside the non-adverse range of 0.80 to 1.25 on the side adverse to "
        "Minority ethnic staff, and the interval does not include 1, so chance alone is an "
        "unlikely explanation.")


def test_within_range_but_significant_says_there_is_a_difference() -> None:
    # The CPD example: 0.85 (0.77 to 0.95), p = 0.002.
    doc = _document(_row(indicator="5", value=0.85, ci_low=0.77, ci_high=0.95, p_value=0.002,
                         assessment="within range", significant=True))
    section = _section(doc, "5")
    assert section["status"] == "Within range"
    assert section["sentence"] == (
        "Minority ethnic staff were 0.85 times as likely as White staff to access funded "
        "non-mandatory CPD (95% CI 0.77 to 0.95); this is within the non-adverse range of "
        "0.80 to 1.25; the interval excludes 1, so there is a difference, smaller than the "
        "range treats as adverse.")


def test_within_range_and_not_significant_says_only_within() -> None:
    doc = _document(_row(value=1.1, ci_low=0.9, ci_high=1.3, assessment="within range",
                         significant=False))
    assert _section(doc)["sentence"].endswith("this is within the non-adverse range of 0.80 "
                                              "to 1.25.")


def test_not_calculable_is_told_in_counts() -> None:
    doc = _document(
        _rate("white", 12, 400), _rate("minority", 0, 57),
        _row(value=None, assessment="not calculable", note="no events in the focal group",
             p_value=0.61))
    sentence = _section(doc)["sentence"]
    assert sentence == (
        "Minority ethnic and White staff cannot be compared on this measure: none of the 57 "
        "Minority ethnic staff entered the formal disciplinary process, against 12 of 400 "
        "White staff, so the relative likelihood cannot be calculated.")


def test_not_calculable_with_an_empty_group() -> None:
    doc = _document(
        _rate("white", 12, 400), _rate("minority", 0, 0),
        _row(value=None, assessment="not calculable", note="empty focal group"))
    assert ("there were no Minority ethnic staff to compare with 12 of 400 White staff"
            in _section(doc)["sentence"])


# --------------------------------------------------------------------------- breakdowns


def _grade(level: str, value: float, p_value: float, p_adjusted: float,
           assessment: str) -> list[dict[str, Any]]:
    return [_row(breakdown="grade", level=level, value=value, ci_low=value / 2,
                 ci_high=value * 2, p_value=p_value, p_adjusted=p_adjusted,
                 assessment=assessment, significant=True),
            _rate("minority", 20, 100, breakdown="grade", level=level),
            _rate("white", 30, 100, breakdown="grade", level=level)]


def test_breakdown_tables_flag_significance_on_p_adjusted() -> None:
    # G1: raw p 0.01 but adjusted 0.03 (3 levels: 3 x 0.01) -> significant;
    # G2: raw p 0.02, adjusted 0.04 -> significant; G3: raw p 0.04, adjusted 0.04...
    # G4 below: raw p 0.03 is "significant" unadjusted, adjusted 0.09 is not.
    doc = _document(
        _row(value=1.5, ci_low=1.1, ci_high=2.0, assessment="adverse", significant=True),
        *_grade("G1", 1.6, 0.01, 0.03, "adverse"),
        *_grade("G4", 1.5, 0.03, 0.09, "adverse"),
        *_grade("G5", 1.1, 0.5, 0.5, "within range"))
    section = _section(doc)
    table = next(t for t in section["tables"] if t["caption"].startswith("By grade"))
    assert table["columns"][-2:] == ["Adjusted p", "Assessment"]
    rows = {r[0]: r for r in table["rows"]}
    assert rows["G1"][-2:] == ["0.030", "Adverse, significant"]
    assert rows["G4"][-2:] == ["0.090", "Adverse, not significant"]
    assert rows["G5"][-2:] == ["0.500", "Within range"]
    assert table.get("lead") == EXPLORING_NOTE
    assert "for exploring, not for verdicts" in EXPLORING_NOTE


def test_all_withheld_breakdown_is_one_sentence() -> None:
    withheld = {"suppressed": True, "assessment": "suppressed",
                "note": "withheld to protect small numbers"}
    rows = [_row(value=1.5, ci_low=1.1, ci_high=2.0, assessment="adverse", significant=True)]
    for level in ("G1", "G2"):
        rows += [_row(breakdown="grade", level=level, **withheld),
                 _row(measure="rate", breakdown="grade", level=level, group="minority",
                      reference=None, **withheld),
                 _row(measure="rate", breakdown="grade", level=level, group="white",
                      reference=None, **withheld)]
    section = _section(_document(*rows))
    assert not any(t["caption"].startswith("By grade") for t in section["tables"])
    assert section["omitted"] == [
        "By grade: Minority ethnic compared with White: every grade's figures are withheld "
        "under the small-number rule (fewer than 10 people, or figures from which such a "
        "number could be worked out), so they are not shown."]
    # The chart draws no grade either.
    assert not any(item.get("header") for item in section["chart"]["data"])


def test_partly_withheld_breakdown_leaves_out_the_withheld_levels() -> None:
    withheld = {"suppressed": True, "assessment": "suppressed"}
    rows = [_row(value=1.5, ci_low=1.1, ci_high=2.0, assessment="adverse", significant=True),
            *_grade("G1", 1.6, 0.01, 0.01, "adverse"),
            _row(breakdown="grade", level="G2", **withheld),
            _row(measure="rate", breakdown="grade", level="G2", group="minority",
                 reference=None, **withheld),
            _row(measure="rate", breakdown="grade", level="G2", group="white",
                 reference=None, **withheld)]
    section = _section(_document(*rows))
    table = next(t for t in section["tables"] if t["caption"].startswith("By grade"))
    assert [r[0] for r in table["rows"]] == ["G1"]
    assert "1 grade row not shown: every figure in it is withheld." in table["notes"]
    grades = [i["label"] for i in section["chart"]["data"] if not i.get("header")]
    assert "G2" not in grades and "G1" in grades
    assert "1 comparison with every figure withheld is left out." in section["chart"]["title"]


def test_bands_are_charted_when_configured() -> None:
    rows = [_row(value=1.5, ci_low=1.1, ci_high=2.0, assessment="adverse", significant=True),
            *_grade("G1", 1.6, 0.01, 0.01, "adverse"),
            *[{**r, "breakdown": "band", "level": "Bands 1-4"}
              for r in _grade("x", 1.4, 0.02, 0.02, "adverse")]]
    chart = _section(_document(*rows))["chart"]
    labels = [i["label"] for i in chart["data"]]
    assert "Bands 1-4" in labels and "G1" not in labels
    assert "and by band" in chart["title"]


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample_doc(_sample_document: dict[str, Any]) -> dict[str, Any]:
    """The sample's results.json document (computed once, conftest): this module's copy."""
    return copy.deepcopy(_sample_document)


@pytest.fixture(scope="module")
def html(sample_doc: dict[str, Any]) -> str:
    return render_report([sample_doc]).html


class _Tables(HTMLParser):
    """Each <table>'s body rows as lists of cell texts; each figure's SVG text labels."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _withheld_only(cells: list[str]) -> bool:
    return all(c in ("", "–", "withheld", "Withheld", "withheld to protect small numbers")
               for c in cells)


def test_sample_has_no_table_or_chart_of_only_withheld_rows(html: str,
                                                          sample_doc: dict[str, Any]) -> None:
    parser = _Tables()
    parser.feed(html)
    assert len(parser.tables) > 20
    for rows in parser.tables:
        assert rows, "an empty table"
        assert not all(_withheld_only(r[1:]) for r in rows), rows
    # Every chart draws at least one figure, not only withheld rows.
    for spec in chart_specs(build_context(sample_doc)):
        points = [p for p in spec["data"] if not p.get("header")]
        values = [p.get("value") for p in points] + [
            seg.get("value") for p in points for seg in p.get("segments", [])]
        assert any(v is not None for v in values), spec["name"]
    # The sample's indicator 4 (fitness to practise) is withheld throughout: no chart,
    # and its breakdowns are one sentence each.
    section = html.split('<section id="indicator-4"')[1].split("</section>")[0]
    assert "<svg" not in section
    assert "so they are not shown." in section


def test_sample_breakdowns_show_adjusted_p(html: str, sample_doc: dict[str, Any]) -> None:
    row = next(r for r in sample_doc["results"]
               if r["indicator"] == "5" and r["breakdown"] == "grade" and r["group"] == "minority"
               and r["measure"] == "relative_likelihood" and r["p_adjusted"] is not None)
    section = html.split('<section id="indicator-5"')[1].split("</section>")[0]
    assert "<th scope=\"col\" class=\"num\">Adjusted p</th>" in section
    shown = "<0.001" if row["p_adjusted"] < 0.001 else f"{row['p_adjusted']:.3f}"
    assert shown.replace("<", "&lt;") in section
    assert EXPLORING_NOTE in section

