"""``wres report`` over benchmark output: funnel plots and a table of the
organisations outside the limits (issue 15). Limits worked by hand here."""

from __future__ import annotations

import math
from typing import Any

from wres_cli.indicator_files import load_indicators
from wres_cli.report.benchmark_section import benchmark_section
from wres_cli.reporting import funnel_figures, report_documents

Z95, Z998 = 1.959964, 3.090232


def _row(org: str, measure: str, group: str, **values: Any) -> dict[str, Any]:
    row = dict.fromkeys(("numerator", "denominator", "value", "ci_low", "ci_high", "p_value",
                         "p_adjusted", "assessment", "significant", "note", "reference"))
    row.update(organisation=org, period_start="2025-04-01", period_end="2026-03-31",
               standard="social-care", indicator="3", measure=measure, breakdown="overall",
               level="all", group=group, suppressed=False, **values)
    return row


def _org(org: str, minority: tuple[int, int], white: tuple[int, int]) -> list[dict[str, Any]]:
    (a, nf), (c, nr) = minority, white
    return [_rate(org, "white", c, nr), _rate(org, "minority", a, nf),
            _row(org, "relative_likelihood", "minority", reference="white",
                 value=(a / nf) / (c / nr), ci_low=0.5, ci_high=9.0,
                 assessment="adverse", significant=True)]


def _rate(org: str, group: str, events: int, people: int) -> dict[str, Any]:
    return _row(org, "rate", group, numerator=events, denominator=people,
                value=events / people)


def _document() -> dict[str, Any]:
    # Pooled: minority 60 of 300 (0.2), White 100 of 1000 (0.1): RL 2.0.
    rows = [*_org("Ashby", (40, 100), (50, 500)),   # RL 4.0
            *_org("Brook", (20, 200), (50, 500)),   # RL 1.0
            *_org("pooled", (60, 300), (100, 1000))]
    return {"meta": {"schema_version": 1, "tool_version": "9.9",
                     "generated_at": "2026-04-02T09:00:00Z", "standard": "social-care",
                     "organisation": "Two councils",
                     "period": {"start": "2025-04-01", "end": "2026-03-31"}, "inputs": {},
                     "suppression_threshold": 10,
                     "labels": {"minority": "Minority ethnic", "white": "White"}},
            "data_quality": {"extracts": {}, "no_data": [], "warnings": []},
            "results": rows}


def test_organisations_outside_the_limits_by_hand() -> None:
    # Katz SE at the pooled rates (0.2, 0.1) for each organisation's group sizes:
    # Ashby: sqrt(1/20 - 1/100 + 1/50 - 1/500) = sqrt(0.058); 95% high = 2 exp(1.96 se)
    se_a = math.sqrt(1 / 20 - 1 / 100 + 1 / 50 - 1 / 500)
    assert 2 * math.exp(Z95 * se_a) < 4.0 < 2 * math.exp(Z998 * se_a)  # 3.21 < 4 < 4.21
    # Brook: sqrt(1/40 - 1/200 + 1/50 - 1/500) = sqrt(0.038); 99.8% low = 2 exp(-3.09 se)
    se_b = math.sqrt(1 / 40 - 1 / 200 + 1 / 50 - 1 / 500)
    assert 2 * math.exp(-Z998 * se_b) > 1.0  # 1.0 below 1.095
    definitions = {d.id: d for d in load_indicators("social-care")}
    labels = {"minority": "Minority ethnic", "white": "White"}
    section, svgs = benchmark_section(_document(), funnel_figures(_document(), definitions,
                                                                  labels), labels)
    assert section is not None and list(svgs) == ["funnel-3"]
    rows = {r[1]: r for r in section["table"]["rows"]}
    assert rows["Ashby"][3] == "4.00" and rows["Ashby"][-1] == "outside 95% limits"
    assert rows["Ashby"][4] == f"{2 * math.exp(-Z95 * se_a):.2f} to {2 * math.exp(Z95 * se_a):.2f}"
    assert rows["Brook"][-1] == "outside 99.8% limits"
    assert rows["Brook"][5].startswith(f"{2 * math.exp(-Z998 * se_b):.2f} to ")


def test_report_of_benchmark_output_shows_funnels_and_the_pool() -> None:
    report = report_documents([_document()])
    html = report.html
    section = html.split('<section id="benchmark"')[1].split("</section>")[0]
    assert "Organisations outside the funnel limits" in section
    assert section.count("<svg") == 1 and "funnel-3" in report.charts
    # The indicator sections describe the pooled figures: 2.00, not the organisations'.
    three = html.split('<section id="indicator-3"')[1].split("</section>")[0]
    assert "were 2.00 times as likely" in three and "4.00" not in three
