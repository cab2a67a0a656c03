"""``wres report``: structure, self-containment, escaping, wording and the CLI.

The sample council is computed once per module (as a results.json) and each
test renders from it; expected display strings are worked out here from the
rows' own values, never copied from the report.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import wres_cli
from tests.helpers import EPOCH, SAMPLE, compute_sample_document
from tests.helpers import result_row as _row
from tests.helpers import results_doc as _document
from wres_cli.cli import app
from wres_cli.errors import InputError, UsageError
from wres_cli.io.writers import json_text
from wres_cli.output import results_document
from wres_cli.report import render_report
from wres_cli.report.cells import withheld_footnote
from wres_cli.report.context import build_context
from wres_cli.report.render import markdown_escape
from wres_cli.reporting import write_report

#: The sample's sections: the nine indicators, then the pay gap (it has pay.csv).
SOCIAL_CARE_IDS = ["1", "2", "3", "4", "5", "6", "7a", "7b", "8", "9", "pay"]
EVIL = "<script>alert(1)</script>"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample_doc(_sample_document: dict[str, Any]) -> dict[str, Any]:
    """The sample's results.json document (computed once, conftest): this module's copy."""
    return copy.deepcopy(_sample_document)


@pytest.fixture(scope="module")
def sample_json(sample_doc: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("results") / "results.json"
    path.write_text(json.dumps(sample_doc), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample_report(sample_json: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report([sample_json], out)
    return out


@pytest.fixture(scope="module")
def html(sample_report: Path) -> str:
    return (sample_report / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def markdown(sample_report: Path) -> str:
    return (sample_report / "report.md").read_text(encoding="utf-8")


def _sections(html_text: str) -> dict[str, str]:
    """Indicator id -> the HTML of its <section>."""
    found = re.findall(r'<section id="indicator-([^"]+)"(.*?)</section>', html_text, flags=re.S)
    return dict(found)


def _rows(doc: dict[str, Any], **match: Any) -> Iterator[dict[str, Any]]:
    return (r for r in doc["results"] if all(r.get(k) == v for k, v in match.items()))


def _one(doc: dict[str, Any], **match: Any) -> dict[str, Any]:
    rows = list(_rows(doc, **match))
    assert len(rows) == 1, match
    return rows[0]


def _section(context: dict[str, Any], indicator: str) -> dict[str, Any]:
    return next(s for s in context["indicators"] if s["id"] == indicator)


# --------------------------------------------------------------------------- structure


def test_every_indicator_has_a_section_with_a_chart_and_a_table(
        html: str, sample_doc: dict[str, Any]) -> None:
    in_results = list(dict.fromkeys(r["indicator"] for r in sample_doc["results"]))
    sections = _sections(html)
    assert list(sections) == in_results == SOCIAL_CARE_IDS
    for indicator, body in sections.items():
        # Fitness to practise (4) is withheld throughout in the sample: no chart of only
        # withheld rows, one sentence instead (issue 15).
        assert ("<svg" in body) == (indicator != "4"), indicator
        assert "<table>" in body, indicator
        heading = ("Ethnicity pay gap" if indicator == "pay"  # the section the issue names
                   else "Indicator " + re.escape(indicator) + ":")
        assert re.search(r"<h2 [^>]*>" + heading, body), indicator


def test_report_has_cover_summary_headline_quality_and_appendix(
        html: str, sample_doc: dict[str, Any]) -> None:
    meta = sample_doc["meta"]
    for anchor in ("summary", "headline", "data-quality", "appendix"):
        assert f'<section id="{anchor}"' in html
    assert meta["organisation"] in html
    assert f"wres {meta['tool_version']}" in html
    assert "1 April 2025 to 31 March 2026" in html
    assert "31 March 2026" in html  # the date of generated_at (SOURCE_DATE_EPOCH)
    assert 'id="trend"' not in html  # one period: no trend section


def test_html_is_self_contained_and_has_no_script(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, flags=re.I)
    assert "<link" not in html.lower()
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html)
    assert "<style>" in html


def test_headings_nest_without_skipping_levels(html: str) -> None:
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels.count(1) == 1 and levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (before, after)


def test_every_chart_has_a_text_alternative_and_ids_are_unique(html: str) -> None:
    svgs = re.findall(r"<svg\b[^>]*>\s*<title>[^<]+</title>", html)
    assert len(svgs) == html.count("<svg")
    # headline + one per indicator but 4 (withheld throughout in the sample)
    assert len(svgs) == len(SOCIAL_CARE_IDS)
    for tag in svgs:
        assert 'role="img"' in tag and 'aria-label="' in tag
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_print_css_is_for_a4_with_page_breaks(html: str) -> None:
    assert re.search(r"@page\s*{[^}]*size:\s*A4", html)
    assert "break-before: page" in html
    assert "break-inside: avoid" in html


def test_markdown_links_and_images_resolve(markdown: str, sample_report: Path) -> None:
    targets = re.findall(r"\]\(([^)\s]+)\)", markdown)
    images = [t for t in targets if t.endswith(".svg")]
    assert len(images) == len(SOCIAL_CARE_IDS)  # headline, every indicator but 4
    for target in targets:
        assert not re.match(r"[a-z]+:", target), target  # relative, no scheme
        assert (sample_report / target).is_file(), target
    assert sorted(p.name for p in (sample_report / "charts").iterdir()) == sorted(
        Path(t).name for t in images)


def test_markdown_tables_are_well_formed(markdown: str) -> None:
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if re.fullmatch(r"\|( -{3}:? \|)+", line):  # a delimiter row
            width = line.count("|")
            header, body = lines[i - 1], []
            for row in lines[i + 1:]:
                if not row.startswith("|"):
                    break
                body.append(row)
            assert _cells(header) == width - 1
            assert body and all(_cells(row) == width - 1 for row in body), header


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_same_input_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        sample_folder_report: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = sample_folder_report, tmp_path / "b"  # the first: the session's
    write_report([SAMPLE], second)
    for name in ("report.html", "report.md"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    charts = sorted(p.name for p in (first / "charts").iterdir())
    assert charts == sorted(p.name for p in (second / "charts").iterdir())
    for name in charts:
        assert (first / "charts" / name).read_bytes() == (second / "charts" / name).read_bytes()


def test_a_folder_renders_as_its_results_json(sample_folder_report: Path,
                                              sample_report: Path) -> None:
    folder_md = (sample_folder_report / "report.md").read_text(encoding="utf-8")
    json_md = (sample_report / "report.md").read_text(encoding="utf-8")
    # results.json records the [population] benchmark (1 - white = 1 - 0.817), so a
    # report from it alone says all that the report from the folder says, even with
    # the sample's indicator 9 difference withheld.
    assert "local population's Minority ethnic share is 18.3%" in folder_md
    assert json_md == folder_md


def test_a_results_json_without_the_population_still_renders(
        tmp_path: Path, sample_json: Path) -> None:
    # Files written before meta.population existed: the line is left out.
    doc = json.loads(sample_json.read_text(encoding="utf-8"))
    del doc["meta"]["population"]
    # ... and, for the line to have nowhere to come from, no published difference
    # against the population either.
    doc["results"] = [r for r in doc["results"] if r["reference"] != "population"]
    older = tmp_path / "results.json"
    older.write_text(json.dumps(doc), encoding="utf-8")
    write_report([older], tmp_path / "out")
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Indicator 9:" in markdown
    assert "local population's" not in markdown


def test_labels_from_the_config_reach_a_report_rendered_from_json(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    with (folder / "wres.toml").open("a", encoding="utf-8") as config:
        config.write('\n[labels]\nminority = "Global majority"\nasian = "South Asian"\n')
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    results = wres_cli.compute(folder)
    assert results.meta["labels"]["asian"] == "South Asian"
    assert results.meta["labels"]["black"] == "Black"  # the default, recorded too
    document = tmp_path / "results.json"
    document.write_text(json_text(results_document(results)), encoding="utf-8")
    write_report([document], tmp_path / "out")
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "South Asian" in markdown
    assert "Global majority" in markdown


# --------------------------------------------------------------------------- content


def test_headline_table_rounds_ratios_to_two_places(sample_doc: dict[str, Any]) -> None:
    context = build_context(sample_doc)
    rows = {r[0].split(" ")[0]: r for r in context["headline"]["table"]["rows"]}
    for indicator in ("2", "3", "5", "6", "7a", "7b", "8"):
        row = _one(sample_doc, indicator=indicator, measure="relative_likelihood",
                   breakdown="overall", group="minority", reference="white")
        assert rows[indicator][2] == f"{row['value']:.2f}"
        assert rows[indicator][3] == f"{row['ci_low']:.2f} to {row['ci_high']:.2f}"


def test_rates_show_counts_and_percentages_to_one_place(sample_doc: dict[str, Any]) -> None:
    context = build_context(sample_doc)
    table = _section(context, "3")["tables"][0]
    white = _one(sample_doc, indicator="3", measure="rate", breakdown="overall", group="white")
    row = next(r for r in table["rows"] if r[0] == "White")
    assert row[1:4] == [f"{white['numerator']:,}", f"{white['denominator']:,}",
                        f"{white['value'] * 100:.1f}%"]


def test_every_withheld_figure_shows_one_marker(sample_doc: dict[str, Any], html: str,
                                               markdown: str) -> None:
    withheld = [r for r in _rows(sample_doc, indicator="4", measure="rate", breakdown="overall")
                if r["suppressed"]]
    assert withheld, "the sample's fitness-to-practise rates are withheld"
    table = _section(build_context(sample_doc), "4")["tables"][0]
    labels = {"white": "White", "minority": "Minority ethnic", "asian": "Asian",
              "black": "Black", "mixed": "Mixed", "other": "Other", "unknown": "Unknown"}
    for r in withheld:
        cells = next(row for row in table["rows"] if row[0] == labels[r["group"]])
        assert cells[1] == "withheld"
    assert table["notes"] == [withheld_footnote(10)]
    # Nothing tells a small cell from one withheld to protect it.
    assert "&lt;10" not in html and "<10" not in markdown and "&lt;10" not in markdown
    assert "| withheld |" in markdown


def test_indicator_1_shows_composition_by_grade(sample_doc: dict[str, Any]) -> None:
    section = _section(build_context(sample_doc), "1")
    assert section["chart"]["kind"] == "composition"
    # A grade is listed when any of its figures is published (G12 and Director are
    # withheld throughout in the sample, so the table leaves them out and says so).
    grades = list(dict.fromkeys(r["level"] for r in _rows(sample_doc, indicator="1",
                                                            breakdown="grade")
                                if not r["suppressed"]))
    table = section["tables"][0]
    assert [r[0] for r in table["rows"]] == ["Whole workforce", *grades]
    assert "2 grade rows not shown: every figure in them is withheld." in table["notes"]
    level = next(r["level"] for r in _rows(sample_doc, indicator="1", measure="share",
                                           breakdown="grade", group="minority")
                 if not r["suppressed"])
    g2 = _one(sample_doc, indicator="1", measure="share", breakdown="grade", level=level,
              group="minority")
    row = next(r for r in table["rows"] if r[0] == level)
    assert row[3] == f"{g2['value'] * 100:.1f}% ({g2['numerator']})"
    diff = _one(sample_doc, indicator="1", measure="difference", level=level)
    assert row[5] == f"{diff['value'] * 100:+.1f} points".replace("-", "\u2212")


def test_indicator_9_compares_senior_managers_workforce_and_population(
        sample_doc: dict[str, Any]) -> None:
    benchmark = {"white": 0.817, "asian": 0.093, "black": 0.04, "mixed": 0.029, "other": 0.021}
    section = _section(build_context(sample_doc, population=benchmark), "9")
    bars = {b["label"]: b for b in section["chart"]["data"]}
    assert list(bars) == ["Senior managers", "Whole workforce", "Local population"]
    workforce = _one(sample_doc, indicator="9", breakdown="seniority", level="workforce",
                     group="minority")
    assert bars["Whole workforce"]["text"] == f"{workforce['value'] * 100:.1f}%"
    assert bars["Local population"]["value"] == pytest.approx(1 - 0.817)
    # The sample's 32 senior managers: none minority ethnic, published as 0%.
    assert bars["Senior managers"]["value"] == 0
    assert "0.0% of senior managers" in section["sentence"]


def test_data_quality_section(sample_doc: dict[str, Any], html: str) -> None:
    quality = sample_doc["data_quality"]
    rate = quality["extracts"]["workforce"]["declaration_rate"]
    section = html.split('<section id="data-quality"')[1].split("</section>")[0]
    assert f"{rate * 100:.1f}%" in section
    assert "not in post in the period" in section
    for warning in quality["warnings"]:
        assert warning in section
    withheld_grades = [g for g, v in quality["declaration_rate_by_grade"].items() if v is None]
    assert withheld_grades
    # Grades across one row (the board paper's data quality fits on a page).
    header = section.split("Declaration rate by grade")[1].split("</thead>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>',
                       section.split("Declaration rate by grade")[1].split("</tbody>")[0])
    grades = re.findall(r'<th scope="col" class="num">([^<]*)</th>', header)
    assert grades == list(quality["declaration_rate_by_grade"])
    for grade in withheld_grades:
        assert cells[grades.index(grade)] == "withheld"


def test_nhs_standard_renders_with_board_indicators_as_no_data(tmp_path: Path) -> None:
    doc = compute_sample_document(standard="nhs")
    assert doc["data_quality"]["no_data"] == ["9a", "9b"]
    report = render_report([doc])
    sections = _sections(report.html)
    assert list(sections) == ["1", "2", "3", "4", "5", "6", "7", "8", "pay"]
    # Indicators without data share one short section, with no chart.
    no_data = report.html.split('<section id="no-data"')[1].split("</section>")[0]
    for indicator in ("9a", "9b"):
        assert f'<li id="indicator-{indicator}"><strong>Indicator {indicator}:' in no_data
    assert no_data.count("The board extract was not supplied") == 2
    assert "<svg" not in no_data and "<table" not in no_data
    labels = doc["meta"]["labels"]
    two = _one(doc, indicator="2", measure="relative_likelihood", breakdown="overall",
               group="white", reference="minority")
    expected = (f"{labels['white']} applicants were {two['value']:.2f} times as likely as "
                f"{labels['minority']} applicants to be appointed from shortlisting")
    assert expected in sections["2"]
    assert f"{labels['white']} ÷ {labels['minority']}" in sections["2"]
    assert "Indicator 9a: no data" in report.markdown


# --------------------------------------------------------------------------- wording


def _finding(doc: dict[str, Any], indicator: str = "3") -> str:
    findings = build_context(doc)["summary"]["findings"]
    return next(f["text"] for f in findings if f["id"] == indicator)


def test_adverse_and_significant_sentence() -> None:
    value, low, high = 2.1043, 1.1392, 3.8877
    text = _finding(_document(_row(value=value, ci_low=low, ci_high=high,
                                   assessment="adverse", significant=True)))
    assert text == (
        f"Minority ethnic staff were {value:.2f} times as likely as White staff to enter the "
        f"formal disciplinary process (95% CI {low:.2f} to {high:.2f}); this is outside the "
        "non-adverse range of 0.80 to 1.25 on the side adverse to Minority ethnic staff, "
        "and the interval does not include 1, so chance alone is an unlikely explanation.")


def test_not_significant_sentence_says_it_may_be_chance() -> None:
    value, low, high = 1.4, 0.874, 2.243
    text = _finding(_document(_row(value=value, ci_low=low, ci_high=high,
                                   assessment="adverse", significant=False)))
    assert text.startswith(f"Minority ethnic staff were {value:.2f} times as likely")
    assert f"(95% CI {low:.2f} to {high:.2f})" in text
    # Methodology §3: "outside the range, but the interval (…) includes 1: with numbers
    # this small the difference could be chance".
    assert text.endswith("; this is outside the range, but the interval (0.87 to 2.24) "
                         "includes 1: with numbers this small the difference could be chance.")


def test_within_range_and_favourable_sentences() -> None:
    within = _finding(_document(_row(value=1.1, ci_low=0.9, ci_high=1.3,
                                     assessment="within range", significant=False)))
    assert within.endswith("(95% CI 0.90 to 1.30); this is within the non-adverse range of "
                           "0.80 to 1.25.")
    favourable = _finding(_document(_row(indicator="2", value=1.5, ci_low=1.2, ci_high=1.9,
                                         assessment="favourable", significant=True)), "2")
    assert favourable.startswith("Minority ethnic applicants were 1.50 times as likely as White "
                                 "applicants to be appointed from shortlisting")
    assert "on the side favourable to Minority ethnic applicants" in favourable


def test_not_calculable_sentence_says_why() -> None:
    text = _finding(_document(_row(assessment="not calculable",
                                   note="no events in the reference group")))
    assert text == ("Minority ethnic and White staff cannot be compared on this measure: no "
                    "White staff entered the formal disciplinary process in the period, so the "
                    "relative likelihood cannot be calculated.")


def test_withheld_sentence_names_the_threshold() -> None:
    row = _row(assessment="suppressed", suppressed=True, note="built on a withheld figure")
    text = _finding(_document(row))
    assert text == ("The comparison of Minority ethnic and White staff is withheld under the "
                    "small-number rule, which publishes no figure about fewer than 10 people, "
                    "nor any figure from which one could be worked out.")
    assert "fewer than 5 people" in _finding(_document(row, threshold=5))


def test_unknown_indicator_falls_back_to_its_title() -> None:
    doc = _document(_row(indicator="42", value=1.3, ci_low=1.1, ci_high=1.6,
                         assessment="adverse", significant=True))
    text = _finding(doc, "42")
    assert "were 1.30 times as likely as White staff to be counted in “indicator 42”" in text


def test_unsuppressed_report_says_not_for_publication() -> None:
    report = render_report([_document(_row(value=1.0, ci_low=0.8, ci_high=1.2,
                                           assessment="within range"), threshold=None)])
    assert "Not for publication" in report.html and "Not for publication" in report.markdown


# --------------------------------------------------------------------------- escaping


def test_markdown_escape() -> None:
    assert markdown_escape("a|b*c_d[e]<f>&g#h\\i`j~k$l") == (
        "a\\|b\\*c\\_d\\[e\\]&lt;f&gt;&amp;g\\#h\\\\i\\`j\\~k\\$l")
    assert markdown_escape("two\nlines") == "two lines"


def _hostile(doc: dict[str, Any]) -> dict[str, Any]:
    """The sample with a script for the organisation name and for grade G5."""
    evil = copy.deepcopy(doc)
    evil["meta"]["organisation"] = EVIL
    for row in evil["results"]:
        row["organisation"] = EVIL
        if row["level"] == "G5":
            row["level"] = EVIL
        if row["level"] == "G6":
            row["level"] = "Band $5$ | *x* [y](z)"
    grades = evil["data_quality"]["declaration_rate_by_grade"]
    evil["data_quality"]["declaration_rate_by_grade"] = {
        (EVIL if g == "G5" else g): v for g, v in grades.items()}
    return evil


def test_user_text_is_escaped_in_html_markdown_and_svg(sample_doc: dict[str, Any]) -> None:
    report = render_report([_hostile(sample_doc)])
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert EVIL not in report.html and "<script" not in report.html
    assert escaped in report.html
    assert EVIL not in report.markdown and "<script" not in report.markdown
    assert escaped in report.markdown
    assert "Band \\$5\\$ \\| \\*x\\* \\[y\\](z)" in report.markdown
    drawn = [name for name, svg in report.charts.items() if escaped in svg]
    assert "indicator-1" in drawn and "indicator-5" in drawn  # grade labels in charts
    for svg in report.charts.values():
        assert EVIL not in svg and "<script" not in svg
    assert "Band $5$ | *x* [y](z)" in report.charts["indicator-1"]  # "$" is not mathtext


def test_charts_are_deterministic(sample_doc: dict[str, Any]) -> None:
    from wres_cli.charts import draw
    from wres_cli.report.context import chart_specs

    specs = list(chart_specs(build_context(sample_doc)))
    assert [draw(s) for s in specs] == [draw(s) for s in specs]


# --------------------------------------------------------------------------- inputs and errors


@pytest.mark.parametrize("text, problem", [
    ("{not json", "not a JSON file"),
    ('{"results": []}', "no meta"),
    ('{"meta": {"standard": "nhs"}, "results": []}', "schema_version"),
    ("[1, 2]", "not an object"),
])
def test_a_file_that_is_not_a_results_json_is_an_input_error(
        tmp_path: Path, text: str, problem: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(InputError) as caught:
        write_report([bad], out)
    assert str(bad) in str(caught.value) and problem in str(caught.value)
    assert not out.exists()


def test_usage_errors(tmp_path: Path, sample_json: Path) -> None:
    with pytest.raises(UsageError, match="not both"):
        write_report([SAMPLE, sample_json], tmp_path / "a")
    with pytest.raises(UsageError, match="does not exist"):
        write_report([tmp_path / "missing.json"], tmp_path / "b")
    with pytest.raises(UsageError, match="only for a data folder"):
        write_report([sample_json], tmp_path / "c", standard="nhs")
    assert not any((tmp_path / n).exists() for n in "abc")


def test_nothing_changes_in_out_on_error(tmp_path: Path, sample_json: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("old", encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError):
        write_report([sample_json, bad], out)
    assert [p.name for p in out.iterdir()] == ["report.html"]
    assert (out / "report.html").read_text(encoding="utf-8") == "old"


# --------------------------------------------------------------------------- trend


@pytest.fixture(scope="module")
def three_periods(sample_rolling_results: list[Path]) -> list[Path]:
    """The sample's results.json for three rolling years (conftest: read only)."""
    return sample_rolling_results


def test_three_periods_add_a_trend_section_with_charts(tmp_path: Path,
                                                       three_periods: list[Path]) -> None:
    shuffled = [three_periods[1], three_periods[2], three_periods[0]]
    write_report(shuffled, tmp_path)
    html_text = (tmp_path / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "1 April 2025 to 31 March 2026" in html_text.split("</header>")[0]  # latest is main
    trend = html_text.split('<section id="trend"')[1].split("</section>")[0]
    charts = re.findall(r"<svg\b[^>]*role=\"img\"[^>]*>\s*<title>", trend)
    assert len(charts) >= len(SOCIAL_CARE_IDS) - 1
    assert "<table>" in trend
    for end in ("2025-09-30", "2025-12-31", "2026-03-31"):
        assert end in trend
    trend_images = re.findall(r"\]\((charts/trend-[^)]+\.svg)\)", md)
    assert len(trend_images) == len(charts)
    assert all((tmp_path / t).is_file() for t in trend_images)
    ids = re.findall(r'\bid="([^"]+)"', html_text)
    assert len(ids) == len(set(ids))


# --------------------------------------------------------------------------- CLI


def test_cli_report_from_a_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    assert len(list((out / "charts").glob("*.svg"))) == len(SOCIAL_CARE_IDS)  # not 4


def test_cli_report_from_results_json(tmp_path: Path, sample_json: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(sample_json), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "report.html" in result.output and "report.md" in result.output
    assert (out / "report.html").is_file()


@pytest.mark.parametrize("make, code", [
    (lambda d: [d / "bad.json"], 1),
    (lambda d: [d / "missing.json"], 2),
    (lambda d: [SAMPLE, d / "bad.json"], 2),
])
def test_cli_report_bad_input_exits_and_writes_nothing(tmp_path: Path, make: Any,
                                                       code: int) -> None:
    (tmp_path / "bad.json").write_text('{"meta": {}}', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", *map(str, make(tmp_path)), "--out", str(out)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_templates_folder_overrides_the_shipped_files(tmp_path: Path,
                                                        sample_json: Path) -> None:
    mine = tmp_path / "my-templates"
    mine.mkdir()
    (mine / "report.css").write_text("/* council house style */ body { color: #000; }\n",
                                     encoding="utf-8")
    write_report([sample_json], tmp_path / "out", templates=mine)
    html_text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "/* council house style */" in html_text
    assert "@page" not in html_text  # the shipped stylesheet was replaced, not added to
    assert list(_sections(html_text)) == SOCIAL_CARE_IDS  # the other templates still shipped
    with pytest.raises(UsageError, match="templates folder"):
        write_report([sample_json], tmp_path / "x", templates=tmp_path / "missing")


def test_table_notes_explain_only_the_marks_the_table_uses(sample_doc: dict[str, Any]) -> None:
    context = build_context(sample_doc)
    five = _section(context, "5")["tables"][0]  # every overall CPD rate is published
    assert all(r["suppressed"] is False for r in _rows(sample_doc, indicator="5", measure="rate",
                                                       breakdown="overall"))
    assert five["notes"] == []
    four = _section(context, "4")["tables"][0]
    assert four["notes"] == [withheld_footnote(10)]


# --------------------------------------------------------------------------- --pdf


def test_pdf_without_a_browser_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "report"
    empty = tmp_path / "no-browsers-here"
    empty.mkdir()
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "--out", str(out), "--pdf"],
                                env={"PATH": str(empty)})
    assert result.exit_code == 2, result.output
    assert "Chromium-family browser" in result.output and "--browser" in result.output
    assert not out.exists()


def test_pdf_with_a_browser_that_is_not_one_exits_2_and_writes_nothing(
        tmp_path: Path, sample_json: Path) -> None:
    out = tmp_path / "report"
    fake = tmp_path / "not-a-browser"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    result = CliRunner().invoke(app, ["report", str(sample_json), "--out", str(out),
                                      "--browser", str(fake)])
    assert result.exit_code == 2, result.output
    assert "did not print the report" in result.output
    assert not out.exists()
    missing = CliRunner().invoke(app, ["report", str(sample_json), "--out", str(out), "--pdf",
                                       "--browser", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and not out.exists()
