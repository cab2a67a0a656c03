"""The report's "Ethnicity pay gap" section, from the pay rows of a results
document (methodology section 7). Worded as the Government's *Ethnicity pay
reporting: guidance for employers* (2023) words it: "minority ethnic staff's
median hourly pay is 8.4% lower than White staff's". Plain data only; the
templates lay it out and ``charts`` draws the quartile chart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wres_cli.report import format as fmt

Row = Mapping[str, Any]

PAY_MEASURES = frozenset({"mean_hourly_pay", "median_hourly_pay", "pay_gap_mean",
                          "pay_gap_median", "mean_bonus", "median_bonus",
                          "pay_gap_bonus_mean", "pay_gap_bonus_median"})
QUARTILES = ("lower", "lower middle", "upper middle", "upper")
GROUPS = ("white", "minority", "asian", "black", "mixed", "other", "unknown")
GAP_GROUPS = ("minority", "asian", "black", "mixed", "other")
QUARTILE_GROUPS = ("white", "asian", "black", "mixed", "other", "unknown")
HEADING = "Ethnicity pay gap"
SOURCE = ("the Government's Ethnicity pay reporting: guidance for employers (2023), which "
          "follows the method of gender pay gap reporting")


def is_pay_section(rows: Sequence[Row]) -> bool:
    return any(r.get("measure") in PAY_MEASURES for r in rows)


def money(value: Any) -> str:
    return f"£{float(value):,.2f}"


def pay_section(indicator: str, rows: Sequence[Row], env: Any) -> dict[str, Any]:
    """The section's sentence, explanation, chart and tables."""
    cell = {(r.get("measure"), r.get("breakdown"), r.get("level"), r.get("group")): r
            for r in rows}

    def overall(measure: str, group: str) -> Row | None:
        return cell.get((measure, "overall", "all", group))

    has_bonus = any(r.get("measure") == "mean_bonus" for r in rows)
    paragraphs = [_what_it_is(env), _what_it_is_not(), _method(env, has_bonus)]
    advice = _advice(rows, env)
    tables = [_gap_table(overall, env, has_bonus), _pay_table(overall, env),
              _quartile_table(cell, env)]
    if has_bonus:
        tables.append(_bonus_table(overall, env))
    for breakdown in dict.fromkeys(str(r.get("breakdown")) for r in rows):
        if breakdown not in ("overall", "pay_quartile"):
            tables.append(_breakdown_table(cell, rows, breakdown, env))
    return {
        "kind": "pay", "heading": HEADING, "nav": HEADING, "short": HEADING, "why": "",
        "sentence": _sentence(overall, env), "status": "", "status_class": "",
        "paragraphs": paragraphs, "advice": advice,
        "chart": _quartile_chart(indicator, cell, env),
        "tables": [t for t in tables if t["rows"]],
    }


# --------------------------------------------------------------------------- words


def gap_words(value: Any) -> str:
    """``8.4% lower than``, ``2.0% higher than``, ``the same as``."""
    gap = float(value)
    if abs(gap) < 0.0005:
        return "the same as"
    return f"{fmt.percent(abs(gap))} {'lower' if gap > 0 else 'higher'} than"


def gap_sentence(group_label: str, white_label: str, median: Row | None,
                 mean: Row | None) -> str | None:
    """``Minority ethnic staff's median hourly pay is 8.4% lower than White staff's;
    their mean hourly pay is 6.1% lower.`` None when neither gap is published."""
    parts = []
    for kind, row in (("median", median), ("mean", mean)):
        if row is not None and not row.get("suppressed") and not fmt.missing(row.get("value")):
            parts.append((kind, row["value"]))
    if not parts:
        return None
    kind, value = parts[0]
    text = (f"{fmt.sentence_start(group_label)} staff's {kind} hourly pay is "
            f"{gap_words(value)} {white_label} staff's")
    if len(parts) > 1:
        other_kind, other = parts[1]
        words = gap_words(other)
        words = words.removesuffix(" than") if words != "the same as" else "the same"
        text += f"; their {other_kind} hourly pay is {words}"
    return text + "."


def _sentence(overall: Any, env: Any) -> str:
    text = gap_sentence(env.minority, env.label("white"), overall("pay_gap_median", "minority"),
                        overall("pay_gap_mean", "minority"))
    if text is None:
        limit = env.threshold if env.threshold is not None else 10
        return (f"The pay gap between {env.minority} and {env.label('white')} staff is "
                f"withheld or cannot be calculated: pay figures of groups of fewer than "
                f"{limit} people are not published.")
    return text


def _what_it_is(env: Any) -> str:
    return (f"A pay gap compares the average hourly pay of {env.minority} staff with that of "
            f"{env.label('white')} staff across the whole organisation, whatever their jobs, "
            f"as a percentage of {env.label('white')} staff's pay. The median is the middle "
            "person's pay when everyone is ranked; the mean is the total divided by the "
            f"number of people. A positive gap means the group is paid less than "
            f"{env.label('white')} staff on average, a negative one that it is paid more.")


def _what_it_is_not() -> str:
    return ("A pay gap is not the same as unequal pay. Equal pay, a legal requirement under "
            "the Equality Act 2010, means that people doing the same or equivalent work are "
            "paid the same. An organisation can pay everyone equally for equal work and still "
            "have a pay gap, when minority ethnic staff are fewer in the better-paid roles. A "
            "gap is a prompt to look at recruitment, progression and who holds senior posts, "
            "not a finding that anyone is paid unlawfully.")


def _method(env: Any, has_bonus: bool) -> str:
    snapshot = fmt.long_date(((env.meta.get("pay") or {}).get("snapshot"))
                             or (env.meta.get("period") or {}).get("end"))
    text = (f"Method: {SOURCE}. The figures cover staff in post on {snapshot} on full pay "
            "(staff on reduced pay for leave are left out), by their hourly pay. For the pay "
            "quartiles everyone is ranked by hourly pay and the list is cut into four equal "
            "parts; people with the same pay on either side of a cut are shared between the "
            "two parts, so a count can be a fraction. Staff whose ethnicity is unknown are "
            "shown as a group of their own and are not part of any gap.")
    if has_bonus:
        text += (" Bonus figures are over those who received a bonus; the share receiving one "
                 "is given for each group.")
    return text


def _advice(rows: Sequence[Row], env: Any) -> str | None:
    """The guidance's advice where broad groups are withheld: read the minority gap."""
    gaps = [r for r in rows if str(r.get("measure")).startswith("pay_gap_")
            and r.get("breakdown") == "overall"]
    broad_withheld = any(r.get("suppressed") for r in gaps if r.get("group") != "minority")
    minority_shown = any(not r.get("suppressed") and not fmt.missing(r.get("value"))
                         for r in gaps if r.get("group") == "minority")
    if not broad_withheld:
        return None
    limit = env.threshold if env.threshold is not None else 10
    if minority_shown:
        return (f"Some ethnic groups' pay figures are withheld because the groups are small "
                f"(fewer than {limit} people, or figures that would let one be worked out). "
                f"As the guidance advises, read the {env.minority} gap, which combines them.")
    return (f"Some ethnic groups' pay figures are withheld because the groups are small "
            f"(fewer than {limit} people, or figures that would let one be worked out).")


# --------------------------------------------------------------------------- tables


def _figure(row: Row | None, formatter: Any) -> str:
    if row is None:
        return ""
    if row.get("suppressed"):
        return "withheld"
    if fmt.missing(row.get("value")):
        return fmt.DASH
    return formatter(row["value"])


def _people(row: Row | None) -> str:
    if row is None:
        return ""
    if row.get("suppressed"):
        return "withheld"
    return fmt.count(row.get("denominator"))


def _table(caption: str, columns: list[str], body: list[list[str]], numeric: list[bool],
           source: Sequence[Row | None], env: Any) -> dict[str, Any]:
    notes = []
    if any(r is not None and r.get("suppressed") for r in source):
        limit = env.threshold if env.threshold is not None else 10
        notes.append(f"withheld: not published to protect small numbers (a group of fewer "
                     f"than {limit} people, or a figure that would let one be worked out).")
    return {"caption": caption, "columns": columns, "rows": body, "numeric": numeric,
            "notes": notes}


def _gap_table(overall: Any, env: Any, has_bonus: bool) -> dict[str, Any]:
    measures = [("pay_gap_mean", "Mean gap"), ("pay_gap_median", "Median gap")]
    if has_bonus:
        measures += [("pay_gap_bonus_mean", "Mean bonus gap"),
                     ("pay_gap_bonus_median", "Median bonus gap")]
    body, source = [], []
    for g in GAP_GROUPS:
        found = [overall(m, g) for m, _ in measures]
        source += found
        body.append([env.label(g), *(_figure(r, fmt.percent) for r in found)])
    return _table(f"Pay gaps against {env.label('white')} staff (positive: the group is paid "
                  "less)", ["Ethnic group", *(name for _, name in measures)], body,
                  [False, *([True] * len(measures))], source, env)


def _pay_table(overall: Any, env: Any) -> dict[str, Any]:
    body, source = [], []
    for g in GROUPS:
        mean, median = overall("mean_hourly_pay", g), overall("median_hourly_pay", g)
        source += [mean, median]
        body.append([env.label(g), _people(mean), _figure(mean, money), _figure(median, money)])
    return _table("Hourly pay by ethnic group", ["Ethnic group", "Staff", "Mean hourly pay",
                                                 "Median hourly pay"],
                  body, [False, True, True, True], source, env)


def _quartile_table(cell: Mapping[tuple, Row], env: Any) -> dict[str, Any]:
    body, source = [], []
    for q in QUARTILES:
        found = [cell.get(("share", "pay_quartile", q, g)) for g in GROUPS]
        if not any(found):
            continue
        source += found
        size = next((r.get("denominator") for r in found
                     if r is not None and not fmt.missing(r.get("denominator"))), None)
        body.append([fmt.sentence_start(q), fmt.count(size) if size is not None else "withheld",
                     *(_figure(r, fmt.percent) for r in found)])
    return _table("Pay quartiles: each group's share of each quarter of the pay ranking",
                  ["Quartile", "Staff", *(env.label(g) for g in GROUPS)], body,
                  [False, True, *([True] * len(GROUPS))], source, env)


def _bonus_table(overall: Any, env: Any) -> dict[str, Any]:
    body, source = [], []
    for g in GROUPS:
        rate, mean, median = (overall(m, g) for m in ("rate", "mean_bonus", "median_bonus"))
        source += [rate, mean, median]
        body.append([env.label(g), _figure(rate, fmt.percent), _figure(mean, money),
                     _figure(median, money)])
    return _table("Bonus pay by ethnic group", ["Ethnic group", "Received a bonus",
                                                "Mean bonus", "Median bonus"],
                  body, [False, True, True, True], source, env)


def _breakdown_table(cell: Mapping[tuple, Row], rows: Sequence[Row], breakdown: str,
                     env: Any) -> dict[str, Any]:
    levels = list(dict.fromkeys(r.get("level") for r in rows if r.get("breakdown") == breakdown
                                and r.get("measure") == "mean_hourly_pay"))
    body, source = [], []
    for level in levels:
        found = [cell.get((m, breakdown, level, g)) for m, g in (
            ("mean_hourly_pay", "white"), ("mean_hourly_pay", "minority"),
            ("pay_gap_mean", "minority"), ("pay_gap_median", "minority"))]
        source += found
        body.append([str(level), _people(found[0]), _people(found[1]),
                     _figure(found[2], fmt.percent), _figure(found[3], fmt.percent)])
    name = breakdown.replace("_", " ")
    return _table(f"{env.minority} pay gap within each {name}",
                  [fmt.sentence_start(name), f"{env.label('white')} staff",
                   f"{env.minority} staff", "Mean gap", "Median gap"],
                  body, [False, True, True, True, True], source, env)


# --------------------------------------------------------------------------- chart


def _quartile_chart(indicator: str, cell: Mapping[tuple, Row], env: Any) -> dict[str, Any] | None:
    bars = []
    for q in reversed(QUARTILES):  # the upper quartile on top
        found = {g: cell.get(("share", "pay_quartile", q, g)) for g in GROUPS}
        if not any(found.values()):
            continue
        segments = []
        for g in QUARTILE_GROUPS:
            row = found[g]
            value = (None if row is None or row.get("suppressed") or fmt.missing(row.get("value"))
                     else float(row["value"]))
            segments.append({"group": g, "label": env.label(g), "value": value})
        minority = found["minority"]
        text = _figure(minority, fmt.percent) if minority is not None else ""
        bars.append({"label": f"{fmt.sentence_start(q)} quartile", "segments": segments,
                     "text": text})
    if not bars:
        return None
    title = (f"Pay quartiles: the share of each ethnic group in each quarter of the "
             f"organisation's pay ranking, from the upper quartile (best paid) at the top, as "
             f"stacked bars; the {env.minority} share is written beside each bar and withheld "
             "shares are hatched.")
    return {"name": f"indicator-{indicator}", "kind": "composition", "title": title,
            "data": bars, "minority_label": env.label("minority"),
            "xlabel": "Share of the quartile's staff"}
