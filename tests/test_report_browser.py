"""The HTML report in a real browser: Debian's chromium driven by Playwright.

Opened from file:// it must make no request but for the page itself, draw,
and print to several A4 pages. Skipped where Playwright or chromium is
missing, unless WRES_REQUIRE_BROWSER=1 (set by .ci/run), when that is a failure.
Playwright's own browser download is never used (``playwright install``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wres_cli.reporting import write_report

pytestmark = pytest.mark.slow  # a browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _unavailable(reason: str) -> None:
    if os.environ.get("WRES_REQUIRE_BROWSER") == "1":
        pytest.fail(f"WRES_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install playwright)")
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("no chromium on PATH (apt-get install chromium)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory,
                _sample_document: dict[str, Any]) -> Path:
    from wres_cli.io.writers import json_text

    folder = tmp_path_factory.mktemp("browser")
    results = folder / "results.json"
    results.write_text(json_text(_sample_document), encoding="utf-8")  # conftest
    write_report([results], folder / "report")
    return folder / "report" / "report.html"


def test_report_opens_offline_draws_and_prints(browser: Any, report_html: Path,
                                               tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    url = report_html.resolve().as_uri()
    page.goto(url, wait_until="load")

    assert requests == [url]  # no font, image, stylesheet or script fetched
    assert page.locator("h1").count() == 1
    charts = page.locator('figure svg[role="img"]')
    # the headline chart, one per indicator but 4 (withheld throughout: one sentence
    # instead, issue 15), the pay quartiles
    assert charts.count() == 11
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    summary = page.locator("#summary").inner_text()
    results = json.loads((report_html.parent.parent / "results.json").read_text("utf-8"))
    assert results["meta"]["organisation"] in page.locator("header").inner_text()
    assert "times as likely as" in summary

    pay = page.locator("#indicator-pay")
    assert pay.locator("h2").inner_text() == "Ethnicity pay gap"
    pay_text = pay.inner_text()
    assert "median hourly pay is" in pay_text and "lower than White staff's" in pay_text
    assert "not the same as unequal pay" in pay_text
    quartiles = pay.locator('figure svg[role="img"]')
    assert quartiles.count() == 1
    pay_box = quartiles.first.bounding_box()
    assert pay_box is not None and pay_box["width"] > 300 and pay_box["height"] > 80
    assert pay.locator("table").count() >= 3

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 20_000

    pdf = page.pdf(format="A4")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    # Issue 15: the sample's whole report is at most 20 A4 pages, and more than a few.
    assert 10 <= len(pages) <= 20
    assert requests == [url]
    page.close()


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_board_paper_is_the_first_four_pages(browser: Any, report_html: Path) -> None:
    """Cover, summary, headline chart and table, and data quality come first and
    print on at most 4 A4 pages: printing the page cut after data quality gives
    at most 4, and the indicator sections start on a new page after them."""
    page = browser.new_page()
    page.goto(report_html.resolve().as_uri(), wait_until="load")
    order = page.evaluate("[...document.querySelectorAll('main > section')].map(s => s.id)")
    assert order[:3] == ["summary", "headline", "data-quality"]
    assert order[3] == "indicator-1" and order[-1] == "appendix"
    whole = _page_count(page.pdf(format="A4"))
    page.evaluate("""() => { let cut = false;
        for (const s of [...document.querySelectorAll('main > section')]) {
            if (cut) s.remove(); if (s.id === 'data-quality') cut = true; } }""")
    board = _page_count(page.pdf(format="A4"))
    assert 1 <= board <= 4 < whole
    page.close()


def test_cli_pdf_writes_a_multi_page_a4_pdf(browser: Any, tmp_path: Path,
                                            sample_out: Path) -> None:
    from typer.testing import CliRunner

    from wres_cli.cli import app

    executable = shutil.which("chromium")
    out = tmp_path / "report"
    # From the sample's results.json (conftest): the bytes of a report from the folder.
    result = CliRunner().invoke(app, ["report", str(sample_out / "results.json"), "--out",
                                      str(out), "--pdf",
                                      "--browser", str(executable), "-q"])
    assert result.exit_code == 0, result.output
    pdf = (out / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert 10 <= _page_count(pdf) <= 20
    # A4 is 595 x 842 points (210 x 297 mm).
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.28) < 1.5 and abs(float(h) - 841.89) < 1.5
                         for w, h in boxes)
