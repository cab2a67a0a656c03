"""The report's executive summary and its headline chart and table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wres_cli.contract import NON_ADVERSE_RANGE
from wres_cli.report import format as fmt
from wres_cli.report.cells import (
    ASSESSMENT_NAMES,
    assessment_name,
    make_table,
    value_cell,
)
from wres_cli.report.env import STANDARD_NAMES, Env
from wres_cli.report.rate_section import ratio_point

# --------------------------------------------------------------------------- summary, headline


def summary_section(sections: Sequence[Mapping[str, Any]], quality: Mapping[str, Any],
             env: Env) -> dict[str, Any]:
    findings = [{"id": s["id"], "anchor": s["anchor"], "short": s["short"], "nav": s.get("nav"),
                 "status": s["status"], "status_class": s["status_class"],
                 "text": s["sentence"]} for s in sections if not s["no_data"]]
    missing = [s for s in sections if s["no_data"]]
    if missing:
        ids = ", ".join(s["id"] for s in missing)
        findings.append({"id": ids, "anchor": "no-data", "short": "", "status": "No data",
                         "nav": f"Indicator{'s' if len(missing) > 1 else ''} {ids}: no data",
                         "status_class": "nodata",
                         "text": "Not calculated: the extract each needs was not supplied."})
    heads = [s["headline"] for s in sections if s["kind"] == "rate" and s.get("headline")]
    counts = {name: sum(1 for h in heads if h.get("assessment") == code)
              for code, name in ASSESSMENT_NAMES.items()}
    assessed = counts["Adverse"] + counts["Within range"] + counts["Favourable"]
    intro = (f"This report sets out the {STANDARD_NAMES.get(env.standard, env.standard)} "
             f"indicators for {fmt.plain(env.meta.get('organisation')) or 'the organisation'} "
             f"for {fmt.period_text(env.meta.get('period') or {})}. Of the {len(heads)} "
             f"headline relative likelihoods comparing {env.minority} and "
             f"{env.label('white')} staff, {assessed} could be assessed: "
             f"{counts['Adverse']} adverse, {counts['Within range']} within the non-adverse "
             f"range and {counts['Favourable']} favourable.")
    unassessed = ((counts["Withheld"], "withheld because of small numbers"),
                  (counts["Not calculable"], "not calculable"))
    others = [f"{n} {text}" for n, text in unassessed if n]
    if others:
        intro += f" The rest ({' and '.join(others)}) cannot be assessed."
    gaps = [s["gap"] for s in sections if s["kind"] == "gap"]
    if gaps:
        adverse = sum(1 for g in gaps if g.get("assessment") == "adverse")
        intro += (f" Of the {len(gaps)} staff survey indicators published as two percentages, "
                  f"{adverse} show{'s' if adverse == 1 else ''} a gap adverse to "
                  f"{env.minority} staff that chance alone is unlikely to explain.")
    workforce = (quality.get("extracts") or {}).get("workforce") or {}
    declared = workforce.get("declaration_rate")
    if declared is not None:
        intro += (f" Ethnicity was recorded for {fmt.percent(declared)} of the workforce in "
                  "the period.")
    return {"intro": intro, "findings": findings}


def headline_section(sections: Sequence[Mapping[str, Any]], env: Env) -> dict[str, Any]:
    items, body = [], []
    for s in sections:
        head = s.get("headline") if s["kind"] == "rate" else None
        if head is None:
            continue
        label = f"{s['id']} {s['short']}"
        point = ratio_point(f"{label}\n{s['comparison']}", head, env)
        items.append(point)
        body.append([label, s["comparison"], value_cell(head, fmt.ratio, env),
                     fmt.interval(head.get("ci_low"), head.get("ci_high")), assessment_name(head)])
    heads = [s["headline"] for s in sections if s["kind"] == "rate" and s.get("headline")]
    table = make_table("Headline relative likelihoods (the data of the chart above)",
                   ["Indicator", "Comparison", "Relative likelihood", "95% CI", "Assessment"],
                   body, [False, False, True, True, False], env, heads)
    chart = None
    low, high = (fmt.ratio(bound) for bound in NON_ADVERSE_RANGE)
    if items:
        chart = {"name": "headline", "kind": "ratios", "data": items,
                 "range": list(NON_ADVERSE_RANGE),
                 "title": (f"Headline relative likelihoods of {env.minority} and "
                           f"{env.label('white')} staff for {len(items)} indicators, with 95% "
                           "confidence intervals, on a log scale; the non-adverse range "
                           f"{low} to {high} is shaded.")}
    return {"chart": chart, "table": table}
