"""The sections of rate indicators: rates, relative likelihoods and their
breakdowns (Social Care 2-8, NHS 2-4), and the rate indicators published as two
percentages, whose gap leads (NHS 5-8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wres_cli.report import format as fmt
from wres_cli.report.cells import (
    ASSESSMENT_NAMES,
    Row,
    Table,
    as_float,
    assessment_name,
    breakdown_name,
    breakdowns_of,
    by_group,
    chart_breakdown,
    count_cells,
    css_class,
    is_withheld,
    left_out_note,
    level_cells,
    level_heads,
    make_table,
    note_cell,
    rate_cell,
    row_css,
    value_cell,
)
from wres_cli.report.env import Env
from wres_cli.report.wording import gap_sentence, ratio_sentence

# ---- rate indicators (2-8): rates, relative likelihoods, breakdowns


def rate_section(indicator: str, rows: list[Row], env: Env) -> dict[str, Any]:
    gap = _gap_row(rows)
    if gap is not None:
        return _gap_section(indicator, rows, gap, env)
    ratios = [r for r in rows if r.get("measure") == "relative_likelihood"]
    overall_ratios = [r for r in ratios if r.get("breakdown") == "overall"]
    head = headline_row(overall_ratios)
    focal, reference = ((head["group"], head["reference"]) if head is not None
                        else ("minority", "white"))
    sentence = (ratio_sentence(head, env.comparison(indicator, head),
                               _overall_rates(rows, focal, reference)) if head is not None
                else "No relative likelihood was written for this indicator.")
    tables = [_rates_table(indicator, rows, env), _ratios_table(indicator, overall_ratios, env)]
    for breakdown in breakdowns_of(rows, env.named_breakdowns(indicator)):
        tables.append(_breakdown_table(indicator, rows, breakdown, focal, reference, env))
    return {"kind": "rate", "sentence": sentence, "headline": head,
            "focal": focal, "reference": reference,
            "comparison": f"{env.label(focal)} ÷ {env.label(reference)}",
            "status": assessment_name(head) if head is not None else "",
            "status_class": row_css(head) if head is not None else "",
            "chart": _ratio_chart(indicator, overall_ratios, ratios, focal, reference, env),
            "tables": [t for t in tables if t["rows"]]}


# ---- rate indicators published as two percentages (NHS 5-8): the gap leads


def _gap_row(rows: Sequence[Row]) -> Row | None:
    """The overall difference of two rates (a rate indicator's ``difference`` row)."""
    for row in rows:
        if row.get("measure") == "difference" and row.get("breakdown") == "overall":
            return row
    return None


def _gap_section(indicator: str, rows: list[Row], gap: Row, env: Env) -> dict[str, Any]:
    """Two percentages and the gap in points, then where the figures come from; the
    ratio is in a table, not judged against a range (methodology section 3)."""
    rates = {r.get("group"): r for r in rows
             if r.get("measure") == "rate" and r.get("breakdown") == "overall"}
    focal, reference = str(gap.get("group")), str(gap.get("reference"))
    sentence = gap_sentence(rates.get(focal), rates.get(reference), gap,
                            env.comparison(indicator, gap))
    source = _survey_source(indicator, env)
    if source:
        sentence = f"{sentence} {source}"
    ratios = [r for r in rows if r.get("measure") == "relative_likelihood"]
    overall_ratios = [r for r in ratios if r.get("breakdown") == "overall"]
    tables = [_rates_table(indicator, rows, env), _gap_table(rows, env),
              _unjudged_ratios_table(overall_ratios, env)]
    for breakdown in breakdowns_of(rows, env.named_breakdowns(indicator)):
        tables.append(_breakdown_table(indicator, rows, breakdown, focal, reference, env))
    status = str(gap.get("assessment") or "")
    return {"kind": "gap", "sentence": sentence, "headline": None, "gap": gap,
            "focal": focal, "reference": reference,
            "comparison": f"{env.label(focal)} − {env.label(reference)}",
            "status": ASSESSMENT_NAMES.get(status, ""), "status_class": css_class(status),
            "chart": None, "tables": [t for t in tables if t["rows"]]}


def _survey_source(indicator: str, env: Env) -> str:
    """Where a survey indicator's figures come from, when it is the published
    breakdown (its definition names a summary question and one was given)."""
    d = env.definitions.get(indicator)
    population = getattr(d, "population", None)
    summary = ((env.quality.get("extracts") or {}).get("survey_summary")
               if isinstance(env.quality, Mapping) else None)
    if getattr(population, "summary", None) is None or summary is None:
        return ""
    year = summary.get("survey_year")
    survey = f"the {fmt.plain(year)} NHS Staff Survey" if year else "the NHS Staff Survey"
    return (f"These figures come from the trust's staff survey breakdown ({survey}), as "
            "percentages and numbers of respondents; they are not broken down further.")


def _gap_table(rows: Sequence[Row], env: Env) -> Table:
    gaps = [r for r in rows if r.get("measure") == "difference"]

    def where(row: Row) -> str:
        if row.get("breakdown") == "overall":
            return "All respondents"
        return f"{breakdown_name(str(row.get('breakdown')))}: {fmt.plain(row.get('level'))}"

    body = [[where(r), f"{env.label(r['group'])} − {env.label(r['reference'])}",
             value_cell(r, fmt.points, env),
             fmt.interval(r.get("ci_low"), r.get("ci_high"),
                          lambda v: fmt.points(v).removesuffix(" points")),
             assessment_name(r), note_cell(r)] for r in gaps]
    return make_table("Gap in percentage points, with its 95% confidence interval (Newcombe)",
                  ["Respondents", "Comparison", "Gap", "95% CI", "Assessment", "Note"], body,
                  [False, False, True, True, False, False], env, gaps)


def _unjudged_ratios_table(rows: Sequence[Row], env: Env) -> Table:
    body = [[f"{env.label(r['group'])} ÷ {env.label(r['reference'])}",
             value_cell(r, fmt.ratio, env), fmt.interval(r.get("ci_low"), r.get("ci_high")),
             fmt.p_value(r.get("p_value")), note_cell(r)] for r in rows]
    return make_table("Relative likelihood by broad ethnic group (for reference: not judged "
                  "against a range)",
                  ["Comparison", "Relative likelihood", "95% CI", "p-value", "Note"], body,
                  [False, True, True, True, False], env, rows)


def _overall_rates(rows: Sequence[Row], focal: str, reference: str
                   ) -> tuple[Row | None, Row | None]:
    """The overall rate rows of the focal and reference groups."""
    rates = {r.get("group"): r for r in rows
             if r.get("measure") == "rate" and r.get("breakdown") == "overall"}
    return rates.get(focal), rates.get(reference)


def headline_row(overall_ratios: Sequence[Row]) -> Row | None:
    """The overall minority-vs-White (or White-vs-minority) relative likelihood."""
    for row in overall_ratios:
        if {row.get("group"), row.get("reference")} == {"minority", "white"}:
            return row
    return None




def _rates_table(indicator: str, rows: Sequence[Row], env: Env) -> Table:
    phrase = env.phrase(indicator)
    overall = by_group(r for r in rows if r.get("measure") == "rate"
                       and r.get("breakdown") == "overall")
    body = [[env.label(row["group"]), *count_cells(row, env),
             value_cell(row, fmt.percent, env, counted=True),
             fmt.interval(row.get("ci_low"), row.get("ci_high"), fmt.percent)]
            for row in overall]
    return make_table(f"Rates by ethnic group: {phrase.noun} who {phrase.past}",
                  ["Ethnic group", "Number", "Out of", "Rate", "95% CI"], body,
                  [False, True, True, True, True], env, overall)


def _ratios_table(indicator: str, rows: Sequence[Row], env: Env) -> Table:
    low, high = env.range(indicator)
    body = [[f"{env.label(r['group'])} ÷ {env.label(r['reference'])}",
             value_cell(r, fmt.ratio, env), fmt.interval(r.get("ci_low"), r.get("ci_high")),
             fmt.p_value(r.get("p_value")), assessment_name(r), note_cell(r)] for r in rows]
    return make_table(f"Relative likelihood by broad ethnic group (non-adverse range "
                  f"{fmt.ratio(low)} to {fmt.ratio(high)})",
                  ["Comparison", "Relative likelihood", "95% CI", "p-value", "Assessment",
                   "Note"], body, [False, True, True, True, False, False], env, rows)


#: What a breakdown table says about many comparisons (methodology §3).
EXPLORING_NOTE = ("Breakdowns are for exploring, not for verdicts: with many levels compared, "
                  "some differ by chance. A level is called significant only when its "
                  "Holm-adjusted p-value, over the levels of this table, is below 0.05.")


def _breakdown_table(indicator: str, rows: Sequence[Row], breakdown: str, focal: str,
                     reference: str, env: Env) -> Table:
    rates = {(r.get("level"), r.get("group")): r for r in rows
             if r.get("breakdown") == breakdown and r.get("measure") == "rate"}
    ratios = {r.get("level"): r for r in rows
              if r.get("breakdown") == breakdown and r.get("measure") == "relative_likelihood"
              and r.get("group") == focal and r.get("reference") == reference}
    levels = list(dict.fromkeys(level for level, _ in rates))
    body = []
    for level in levels:
        ratio = ratios.get(level)
        body.append([*level_cells(breakdown, level),
                     rate_cell(rates.get((level, focal)), env),
                     rate_cell(rates.get((level, reference)), env),
                     value_cell(ratio, fmt.ratio, env) if ratio else "",
                     fmt.p_value(ratio.get("p_adjusted")) if ratio else "",
                     _adjusted_significance(ratio)])
    heads = level_heads(breakdown)
    used = [r for r in rows if r.get("breakdown") == breakdown]
    table = make_table(f"By {breakdown_name(breakdown).lower()}: {env.label(focal)} compared with "
                   f"{env.label(reference)}",
                   [*heads, env.label(focal), env.label(reference), "Relative likelihood",
                    "Adjusted p", "Assessment"], body,
                   [False] * len(heads) + [True, True, True, True, False], env, used)
    return {**table, "levels": True, "exploring": bool(ratios)}


def _adjusted_significance(ratio: Row | None) -> str:
    """A breakdown level's assessment, with significance read from ``p_adjusted``."""
    if ratio is None:
        return ""
    code = str(ratio.get("assessment") or "")
    name = ASSESSMENT_NAMES.get(code, "")
    adjusted: Any = ratio.get("p_adjusted")
    if code not in ("adverse", "within range", "favourable") or fmt.missing(adjusted):
        return name
    if float(adjusted) < 0.05:
        return f"{name}, significant"
    return f"{name}, not significant" if code != "within range" else name






def _ratio_chart(indicator: str, overall: Sequence[Row], ratios: Sequence[Row], focal: str,
                 reference: str, env: Env) -> dict[str, Any] | None:
    items = [ratio_point(f"{env.label(r['group'])} ÷ {env.label(r['reference'])}", r, env)
             for r in overall if not is_withheld(r)]
    breakdown = chart_breakdown(ratios)
    levels = [r for r in ratios if r.get("breakdown") == breakdown
              and r.get("group") == focal and r.get("reference") == reference]
    shown = [r for r in levels if not is_withheld(r)]
    hidden = len(overall) - len(items) + len(levels) - len(shown)
    # A level is drawn only with a figure (a value, or a published "not calculable").
    if any(not fmt.missing(r.get("value")) for r in shown):
        items.append({"label": f"By {breakdown} ({env.label(focal)} ÷ {env.label(reference)})",
                      "header": True})
        items.extend(ratio_point(str(r.get("level")), r, env) for r in shown)
    if not any(not fmt.missing(i.get("value")) for i in items if not i.get("header")):
        return None  # nothing but withheld or not calculable: the tables say so
    low, high = env.range(indicator)
    graded = any(item.get("header") for item in items)
    title = (f"Indicator {indicator}, {env.short(indicator)}: relative likelihood by ethnic "
             f"group{f' and by {breakdown}' if graded else ''}, with 95% confidence intervals, "
             f"on a log scale; the non-adverse range {fmt.ratio(low)} to {fmt.ratio(high)} is "
             f"shaded.{left_out_note(hidden, 'comparison')}")
    return {"name": f"indicator-{indicator}", "kind": "ratios", "title": title,
            "data": items, "range": [low, high]}




def ratio_point(label: str, row: Row, env: Env) -> dict[str, Any]:
    value = row.get("value")
    if row.get("suppressed") or row.get("assessment") == "suppressed":
        text = "withheld (small numbers)"
    elif fmt.missing(value):
        text = "not calculable"
    else:
        text = fmt.ratio(value)
        low, high = row.get("ci_low"), row.get("ci_high")
        if not fmt.missing(low) and not fmt.missing(high):
            text += f" ({fmt.ratio(low)}{fmt.DASH}{fmt.ratio(high)})"
        if row.get("assessment"):
            text += f" {row['assessment']}"
    return {"label": label, "value": as_float(value),
            "low": as_float(row.get("ci_low")), "high": as_float(row.get("ci_high")),
            "assessment": row.get("assessment") or "", "text": text, "header": False}
