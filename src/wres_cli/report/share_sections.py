"""The sections of share indicators: the workforce's composition by grade
(indicator 1) and representation at the top against the workforce and the local
population (Social Care 9, NHS 9a and 9b)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wres_cli.report import format as fmt
from wres_cli.report.cells import (
    ASSESSMENT_NAMES,
    GROUPS,
    Row,
    Table,
    assessment_name,
    breakdown_name,
    breakdowns_of,
    chart_breakdown,
    count_cells,
    css_class,
    headcount_cell,
    is_withheld,
    left_out_note,
    level_cells,
    level_heads,
    make_table,
    note_cell,
    share_cell,
    value_cell,
)
from wres_cli.report.env import POPULATION_NAMES, Env
from wres_cli.report.wording import share_sentence, withheld_sentence

# ---- indicator 1: composition by grade


def composition_section(indicator: str, rows: list[Row], env: Env) -> dict[str, Any]:
    shares = [r for r in rows if r.get("measure") == "share"]
    overall = {r.get("group"): r for r in shares if r.get("breakdown") == "overall"}
    by_grade = [r for r in shares if r.get("breakdown") == "grade"]
    diffs = {r.get("level"): r for r in rows if r.get("measure") == "difference"
             and r.get("breakdown") == "grade"}
    tables = [_composition_table(by_grade, overall, diffs, env),
              _group_share_table(overall, env)]
    for breakdown in breakdowns_of(shares, env.named_breakdowns(indicator)):
        if breakdown != "grade":
            tables.append(_compound_share_table(shares, breakdown, env))
    return {"kind": "composition", "sentence": _composition_sentence(overall, diffs, env),
            "status": "", "status_class": "",
            "chart": _composition_chart(indicator, overall, shares, env),
            "tables": [t for t in tables if t["rows"]]}


def _composition_sentence(overall: Mapping[Any, Row], diffs: Mapping[Any, Row],
                          env: Env) -> str:
    minority = overall.get("minority")
    end = fmt.long_date(env.meta.get("period", {}).get("end"))
    if minority is None or fmt.missing(minority.get("value")):
        return withheld_sentence(f"The {env.minority} share of the workforce", env.threshold)
    text = (f"{fmt.sentence_start(env.minority)} staff made up "
            f"{fmt.percent(minority['value'])} of the workforce in post on {end} "
            f"({fmt.count(minority.get('numerator'))} of "
            f"{fmt.count(minority.get('denominator'))})")
    unknown = overall.get("unknown")
    if unknown is not None and not fmt.missing(unknown.get("value")):
        text += f"; ethnicity was unknown for {fmt.percent(unknown['value'])}"
    text += "."
    published = [d for d in diffs.values() if not fmt.missing(d.get("value"))]
    if diffs:
        below = sum(1 for d in published if float(d["value"]) < 0)
        text += (f" Their share was below the whole-workforce share in {below} of the "
                 f"{len(published)} grades with published figures")
        hidden = len(diffs) - len(published)
        text += f" ({hidden} grades withheld)." if hidden else "."
    return text


def _composition_table(by_grade: Sequence[Row], overall: Mapping[Any, Row],
                       diffs: Mapping[Any, Row], env: Env) -> Table:
    cells = {(r.get("level"), r.get("group")): r for r in by_grade}
    levels = list(dict.fromkeys(r.get("level") for r in by_grade))
    body = []
    if overall:
        body.append(["Whole workforce", headcount_cell(overall.values()),
                     *(share_cell(overall.get(g), env) for g in ("white", "minority", "unknown")),
                     ""])
    for level in levels:
        group_rows = [cells[k] for k in cells if k[0] == level]
        diff = diffs.get(level)
        body.append([str(level), headcount_cell(group_rows),
                     *(share_cell(cells.get((level, g)), env)
                       for g in ("white", "minority", "unknown")),
                     value_cell(diff, fmt.points, env) if diff else ""])
    return {**make_table("Workforce by grade: share of each grade's headcount",
                     ["Grade", "Headcount", env.label("white"), env.label("minority"),
                      env.label("unknown"),
                      f"{env.label('minority')} share minus whole workforce"],
                     body, [False, True, True, True, True, True], env,
                     [*by_grade, *overall.values(), *diffs.values()]), "levels": True}


def _group_share_table(overall: Mapping[Any, Row], env: Env) -> Table:
    body = [[env.label(g), *count_cells(overall[g], env),
             value_cell(overall[g], fmt.percent, env, counted=True),
             fmt.interval(overall[g].get("ci_low"), overall[g].get("ci_high"), fmt.percent)]
            for g in GROUPS if g in overall]
    return make_table("Whole workforce by broad ethnic group",
                  ["Ethnic group", "Headcount", "Out of", "Share", "95% CI"], body,
                  [False, True, True, True, True], env, list(overall.values()))


def _compound_share_table(shares: Sequence[Row], breakdown: str, env: Env) -> Table:
    cells = {(r.get("level"), r.get("group")): r for r in shares if r.get("breakdown") == breakdown}
    levels = list(dict.fromkeys(level for level, _ in cells))
    body = [[*level_cells(breakdown, level),
             headcount_cell([cells[k] for k in cells if k[0] == level]),
             *(share_cell(cells.get((level, g)), env) for g in ("white", "minority", "unknown"))]
            for level in levels]
    heads = level_heads(breakdown)
    return {**make_table(f"Workforce by {breakdown_name(breakdown).lower()}",
                     [*heads, "Headcount", env.label("white"), env.label("minority"),
                      env.label("unknown")], body, [False] * len(heads) + [True] * 4, env,
                     [cells[k] for k in cells]), "levels": True}


def _composition_chart(indicator: str, overall: Mapping[Any, Row], shares: Sequence[Row],
                       env: Env) -> dict[str, Any] | None:
    breakdown = chart_breakdown(shares)
    by_level = [r for r in shares if r.get("breakdown") == breakdown]
    cells = {(r.get("level"), r.get("group")): r for r in by_level}
    bars = ([_composition_bar("Whole workforce", overall, env)]
            if any(not is_withheld(r) for r in overall.values()) else [])
    hidden = 0
    for level in dict.fromkeys(r.get("level") for r in by_level):
        groups = {g: cells.get((level, g)) for g in ("white", "minority", "unknown")}
        if all(r is None or is_withheld(r) for r in groups.values()):
            hidden += 1
            continue
        bars.append(_composition_bar(str(level), groups, env))
    if not bars:
        return None
    title = (f"Indicator {indicator}, {env.short(indicator)}: share of {env.label('white')}, "
             f"{env.label('minority')} and {env.label('unknown')} staff in each {breakdown} and "
             "in the whole workforce, as stacked bars; withheld shares are hatched."
             f"{left_out_note(hidden, breakdown)}")
    return {"name": f"indicator-{indicator}", "kind": "composition", "title": title,
            "data": bars, "minority_label": env.label("minority")}


def _composition_bar(label: str, groups: Mapping[Any, Row | None], env: Env) -> dict[str, Any]:
    segments = []
    for g in ("white", "minority", "unknown"):
        row = groups.get(g)
        value = None if row is None or fmt.missing(row.get("value")) else float(row["value"])
        segments.append({"group": g, "label": env.label(g), "value": value})
    minority = groups.get("minority")
    text = (fmt.percent(minority["value"]) if minority is not None
            and not fmt.missing(minority.get("value"))
            else (env.withheld(minority) if minority is not None else ""))
    return {"label": label, "segments": segments, "text": text}


# ---- indicator 9 / 9a / 9b: representation at the top


def representation_section(indicator: str, rows: list[Row], env: Env) -> dict[str, Any]:
    shares = [r for r in rows if r.get("measure") == "share"
              and r.get("breakdown") in env.named_breakdowns(indicator)]
    levels = list(dict.fromkeys(str(r.get("level")) for r in shares))
    cells = {(str(r.get("level")), r.get("group")): r for r in shares}
    diffs = {str(r.get("reference")): r for r in rows if r.get("measure") == "difference"}
    focal_level = next((lv for lv in levels if lv != "workforce"), levels[0] if levels else "")
    focal, workforce = cells.get((focal_level, "minority")), cells.get(("workforce", "minority"))
    # Only an indicator that compares with the population (9, not NHS 9a/9b) shows it.
    population = (population_share(env.population, focal, diffs["population"])
                  if "population" in diffs else None)
    sentence = share_sentence(focal, workforce, diffs.get("workforce"), minority=env.minority,
                              focal_place=env.level(indicator, focal_level)[1],
                              against_place=env.level(indicator, "workforce")[1],
                              threshold=env.threshold)
    if population is not None:
        sentence += (f" The local population's {env.minority} share is "
                     f"{fmt.percent(population)}.")
    worst = diffs.get("workforce") or next(iter(diffs.values()), None)
    status = (worst.get("assessment") if worst is not None else None) or ""
    return {"kind": "representation", "sentence": sentence,
            "status": ASSESSMENT_NAMES.get(status, ""), "status_class": css_class(status),
            "chart": _representation_chart(indicator, levels, cells,
                                           "population" in diffs, population, env),
            "tables": [t for t in (_representation_table(indicator, levels, cells, env),
                                   _difference_table(indicator, diffs, levels, env))
                       if t["rows"]]}


def population_share(benchmark: Any, senior: Row | None,
                     difference: Row | None) -> float | None:
    """The population's minority share: 1 − the benchmark's White share when there is
    a benchmark, else worked back from the published share and difference."""
    if isinstance(benchmark, Mapping) and benchmark.get("white") is not None:
        return 1.0 - float(benchmark["white"])
    if senior is None or difference is None:
        return None
    if fmt.missing(senior.get("value")) or fmt.missing(difference.get("value")):
        return None
    return float(senior["value"]) - float(difference["value"])


def _representation_table(indicator: str, levels: Sequence[str],
                          cells: Mapping[tuple[str, Any], Row], env: Env) -> Table:
    body = [[env.label(g), *(share_cell(cells.get((lv, g)), env) for lv in levels)]
            for g in GROUPS if any((lv, g) in cells for lv in levels)]
    body.append(["Headcount", *(headcount_cell([cells[k] for k in cells if k[0] == lv])
                                for lv in levels)])
    columns = ["Ethnic group", *(env.level(indicator, lv)[0] for lv in levels)]
    return make_table("Share of each group", columns, body, [False] + [True] * len(levels), env,
                  list(cells.values()))


def _difference_table(indicator: str, diffs: Mapping[str, Row], levels: Sequence[str],
                      env: Env) -> Table:
    focal = next((lv for lv in levels if lv != "workforce"), "")
    body = [[f"{env.label(r.get('group'))} share: {env.level(indicator, focal)[1]} minus "
             f"{env.level(indicator, reference)[1]}", value_cell(r, fmt.points, env),
             assessment_name(r), note_cell(r)]
            for reference, r in diffs.items()]
    return make_table("Differences (a negative difference means under-representation)",
                  ["Comparison", "Difference", "Assessment", "Note"], body,
                  [False, True, False, False], env, list(diffs.values()))


def _representation_chart(indicator: str, levels: Sequence[str],
                          cells: Mapping[tuple[str, Any], Row], with_population: bool,
                          population: float | None, env: Env) -> dict[str, Any]:
    bars = []
    for level in levels:
        row = cells.get((level, "minority"))
        value = None if row is None or fmt.missing(row.get("value")) else float(row["value"])
        text = fmt.percent(value) if value is not None else (env.withheld(row) if row else "")
        bars.append({"label": env.level(indicator, level)[0], "value": value, "text": text})
    if with_population:
        bars.append({"label": POPULATION_NAMES[0], "value": population,
                     "text": fmt.percent(population) if population is not None
                     else "not available"})
    places = ", ".join(str(b["label"]).lower() for b in bars)
    title = (f"Indicator {indicator}, {env.short(indicator)}: {env.minority} share of "
             f"{places}, as bars with the percentage written beside each.")
    return {"name": f"indicator-{indicator}", "kind": "representation", "title": title,
            "data": bars, "group_label": env.minority}
