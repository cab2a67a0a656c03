"""The report is driven by data (issue 19): each indicator's wording comes from its
``[phrase]`` table, and ``report/`` renders documents without computing them."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from wres_cli.contract import RESULT_COLUMNS
from wres_cli.errors import ConfigError
from wres_cli.indicator_files import load_indicators, parse_indicator
from wres_cli.indicators import PhraseDef
from wres_cli.report.context import build_context

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "src" / "wres_cli" / "report"

#: A minimal rate indicator, as an indicator file would parse.
BASE = {"id": "x", "title": "Relative likelihood of being counted", "why": "w",
        "measure": "rate", "population": {"extract": "workforce",
                                          "rule": "in_post_during_period"},
        "event": {"extract": "promotions", "rule": "any_in_period", "date": "date"},
        "ratio": {"focal": ["minority"], "reference": ["white"], "adverse": "low"}}


def test_a_phrase_table_is_read_into_the_definition() -> None:
    words = {"noun": "nurses", "infinitive": "be  promoted\n to a band", "past": "were promoted"}
    ind = parse_indicator({**BASE, "phrase": words}, "x.toml", local=True)
    # Whitespace is folded, as for ``why``, so a long phrase may span lines.
    assert ind.phrase == PhraseDef(noun="nurses", infinitive="be promoted to a band",
                                   past="were promoted")
    assert parse_indicator(BASE, "x.toml", local=True).phrase is None


@pytest.mark.parametrize(("phrase", "words"), [
    ({"noun": "staff", "infinitive": "be promoted", "pass": "were promoted"},
     ["unknown key 'phrase.pass'", "did you mean 'phrase.past'", "'phrase.past'",
      "is required"]),
    ({"noun": "staff", "infinitive": " ", "past": "were promoted"},
     ["'phrase.infinitive'", "must not be blank"]),
    ("staff", ["'phrase'", "must be a table"]),
])
def test_a_bad_phrase_is_a_config_error_naming_the_key(phrase: Any, words: list[str]) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_indicator({**BASE, "phrase": phrase}, "x.toml", local=True)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("standard", ["social-care", "nhs"])
def test_every_ratio_indicator_of_the_standards_has_a_phrase(standard: str) -> None:
    for ind in load_indicators(standard):
        if ind.ratio is not None:
            assert ind.phrase is not None, ind.id


def test_every_example_local_measure_has_a_phrase() -> None:
    from wres_cli.indicator_files import load_local_indicators

    local = load_local_indicators(ROOT / "examples" / "local-indicators", "social-care")
    assert local and all(ind.phrase is not None for ind in local)


def _document(definition_id: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
    row.update(organisation="Testshire", period_start="2025-04-01", period_end="2026-03-31",
               standard="social-care", indicator=definition_id,
               measure="relative_likelihood", breakdown="overall", level="all",
               group="minority", reference="white", suppressed=False, value=2.0,
               ci_low=1.5, ci_high=2.5, assessment="adverse", significant=True)
    return {"meta": {"standard": "social-care", "organisation": "Testshire",
                     "period": {"start": "2025-04-01", "end": "2026-03-31"},
                     "suppression_threshold": 10,
                     "labels": {"minority": "Minority ethnic", "white": "White"}},
            "data_quality": {"no_data": [], "warnings": []}, "results": [row]}


def test_the_sentence_takes_its_words_from_the_definitions_phrase() -> None:
    three = {d.id: d for d in load_indicators("social-care")}["3"]
    mine = replace(three, phrase=PhraseDef("nurses", "be suspended", "were suspended"))
    findings = build_context(_document("3"), definitions={"3": mine})["summary"]["findings"]
    text = next(f["text"] for f in findings if f["id"] == "3")
    assert text.startswith("Minority ethnic nurses were 2.00 times as likely as White nurses "
                           "to be suspended (95% CI 1.50 to 2.50)")


def test_without_a_phrase_the_sentence_is_built_from_the_title() -> None:
    three = {d.id: d for d in load_indicators("social-care")}["3"]
    bare = replace(three, phrase=None, title="Entering a Process")
    findings = build_context(_document("3"), definitions={"3": bare})["summary"]["findings"]
    text = next(f["text"] for f in findings if f["id"] == "3")
    assert text.startswith("Minority ethnic staff were 2.00 times as likely as White staff "
                           "to be counted in “entering a Process”")


def _imports(path: Path, *, types: bool) -> set[str]:
    """Every module a file imports, at the top or inside a function; with
    ``types=False``, leaving out those under ``if TYPE_CHECKING:`` (types only)."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if (not types and isinstance(node, ast.If) and isinstance(node.test, ast.Name)
                and node.test.id == "TYPE_CHECKING"):
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return names


def test_the_report_package_renders_and_never_computes() -> None:
    never = ("wres_cli.api", "wres_cli.counts", "wres_cli.io.readers", "wres_cli.reporting")
    # The computing modules of the trend and the benchmark: as types at most.
    not_at_run_time = ("wres_cli.trend", "wres_cli.benchmark", "wres_cli.measure",
                       "wres_cli.output")
    files = sorted(REPORT.glob("*.py"))
    assert len(files) > 3
    for path in files:
        for name in _imports(path, types=True):
            assert not name.startswith(never), f"{path.name} imports {name}"
        for name in _imports(path, types=False):
            assert not name.startswith(not_at_run_time), f"{path.name} imports {name}"


def test_a_level_is_named_by_its_population() -> None:
    nine = {d.id: d for d in load_indicators("social-care")}["9"]
    assert nine.named_levels == {"seniority": ("senior", "workforce")}
    assert nine.level_names == {"senior": ("Senior managers", "senior managers"),
                                "workforce": ("Whole workforce", "the whole workforce")}
    share = {"id": "y", "title": "t", "why": "w", "measure": "share",
             "population": [{"extract": "workforce", "rule": "in_post_on_end",
                             "label": "Everyone"}]}
    with pytest.raises(ConfigError, match="has no 'level'"):
        parse_indicator(share, "y.toml", local=True)


def test_the_representation_section_uses_the_definitions_names() -> None:
    nine = {d.id: d for d in load_indicators("social-care")}["9"]
    renamed = replace(nine, populations=tuple(
        replace(p, label=f"{p.level} (table)", words=f"{p.level} (words)")
        for p in nine.populations))
    rows = []
    for level, minority in (("senior", 2), ("workforce", 20)):
        for group, n in (("minority", minority), ("white", 100 - minority)):
            row: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
            row.update(organisation="Testshire", standard="social-care", indicator="9",
                       measure="share", breakdown="seniority", level=level, group=group,
                       numerator=n, denominator=100, value=n / 100, suppressed=False)
            rows.append(row)
    document = {**_document("9"), "results": rows}
    section = next(s for s in build_context(document, definitions={"9": renamed})["indicators"]
                   if s["id"] == "9")
    assert section["kind"] == "representation"
    assert section["tables"][0]["columns"] == ["Ethnic group", "senior (table)",
                                               "workforce (table)"]
    assert [b["label"] for b in section["chart"]["data"]] == ["senior (table)",
                                                              "workforce (table)"]
    assert "senior (words)" in section["sentence"]
