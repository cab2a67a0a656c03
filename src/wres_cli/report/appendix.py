"""The report's data quality section and its appendix (method, range, small
numbers, glossary, inputs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wres_cli.report import format as fmt
from wres_cli.report.cells import (
    DEFAULT_RANGE,
    WITHHELD,
    Table,
    plain_table,
    small_number_limit,
    withheld_footnote,
)
from wres_cli.report.env import Env

# --------------------------------------------------------------------------- data quality


def quality_section(meta: Mapping[str, Any], quality: Mapping[str, Any],
                    env: Env) -> dict[str, Any]:
    extracts = quality.get("extracts") or {}
    inputs = meta.get("inputs") or {}
    overview, excluded, unknown, blanks = [], [], [], []
    coarsened = False
    for name, entry in extracts.items():
        rate = entry.get("declaration_rate")
        has_rate = "declaration_rate" in entry
        figures = [entry.get("rows_read"), entry.get("rows_in_scope")]
        coarsened |= any(v is None for v in figures) or (has_rate and rate is None)
        overview.append([extract_name(name), str((inputs.get(name) or {}).get("file") or ""),
                         *(WITHHELD if v is None else fmt.count(v) for v in figures),
                         fmt.percent(rate) if rate is not None
                         else (WITHHELD if has_rate else "not applicable")])
        if entry.get("excluded") is None:
            excluded.append([extract_name(name), "(every reason)", WITHHELD])
            coarsened = True
        excluded.extend([extract_name(name), fmt.plain(reason), fmt.count(n)]
                        for reason, n in (entry.get("excluded") or {}).items())
        spellings = [f"{fmt.plain(value) or '(blank)'}: {_small_count(n, env)}"
                     for value, n in (entry.get("unknown_values") or {}).items()]
        if spellings:  # one row per extract, so the list stays short on paper
            unknown.append([extract_name(name), "; ".join(spellings)])
        blanks.extend([extract_name(name), str(column), fmt.count(n)]
                      for column, n in (entry.get("blank_booleans") or {}).items())
    by_grade = [[str(grade), fmt.percent(rate) if rate is not None else WITHHELD]
                for grade, rate in (quality.get("declaration_rate_by_grade") or {}).items()]
    tables = [
        plain_table("Extracts read", ["Extract", "File", "Rows read", "Rows in scope",
                                       "Ethnicity declared"], overview,
                     [False, False, True, True, True],
                     [withheld_footnote(small_number_limit(env))] if coarsened else []),
        # Grades across, so the board paper's data quality fits on a page.
        plain_table("Declaration rate by grade (workforce in post in the period)",
                     ["Grade", *(r[0] for r in by_grade)],
                     [["Ethnicity declared", *(r[1] for r in by_grade)]] if by_grade else [],
                     [False] + [True] * len(by_grade),
                     [withheld_footnote(small_number_limit(env))]
                     if any(r[1] == WITHHELD for r in by_grade) else []),
        plain_table("Records left out, and why", ["Extract", "Reason", "Rows"], excluded,
                     [False, False, True]),
        plain_table("Blank yes/no values read as no", ["Extract", "Column", "Rows"], blanks,
                     [False, False, True]),
    ]
    # The spellings read as unknown are detail for the appendix, not the board paper.
    details = [plain_table("Ethnicity values read as unknown (value as written: rows)",
                            ["Extract", "Values"], unknown, [False, False])]
    no_data = [f"Indicator {i}: no data (its extract was not supplied)."
               for i in quality.get("no_data") or []]
    return {"tables": [t for t in tables if t["rows"]],
            "details": [t for t in details if t["rows"]],
            "warnings": [fmt.plain(w) for w in quality.get("warnings") or []],
            "no_data": no_data}


def extract_name(name: str) -> str:
    return fmt.sentence_start(str(name).replace("_", " "))


def _small_count(n: Any, env: Env) -> str:
    return WITHHELD if n is None else fmt.count(n)


# --------------------------------------------------------------------------- appendix


def appendix_section(sections: Sequence[Mapping[str, Any]], env: Env) -> dict[str, Any]:
    directions = []
    for s in sections:
        if s["kind"] != "rate":
            continue
        side = env.adverse_side(s["id"])
        low, high = env.range(s["id"])
        adverse = {"high": f"above {fmt.ratio(high)}", "low": f"below {fmt.ratio(low)}"}
        directions.append([f"{s['id']} {s['short']}", s["comparison"],
                           adverse.get(side or "", "outside the range")])
    threshold = env.threshold
    small = (f"Any count of people from 1 to {threshold - 1} behind a rate or share is "
             "withheld, together with every figure that would let it be worked out (by "
             "subtraction, or from other tables and the data quality figures), and any ratio "
             "or difference built on a withheld figure. Every withheld figure is shown the "
             "same way, as “withheld”, whatever the reason, so a reader cannot tell which "
             "one was small. Zero is not withheld. How many people did not declare their "
             "ethnicity is published, and board members' figures, which the organisation "
             "publishes anyway, are not withheld." if threshold is not None else
             "This report was made without the small-number rule (--no-suppress): it shows "
             "small counts and is for internal analysis only. Do not publish it.")
    return {
        "directions": plain_table("Direction of each relative likelihood",
                                   ["Indicator", "Comparison", "Adverse when"], directions,
                                   [False, False, False]),
        "method": _method(env),
        "range": _range_text(),
        "small_numbers": small,
        "glossary": _glossary(env),
        "inputs": _inputs_table(env.meta),
    }


def _method(env: Env) -> list[str]:
    minority, white = env.minority, env.label("white")
    return [
        f"Each indicator compares groups of staff by ethnicity, as recorded in the HR system "
        f"or the staff survey and classified into the ONS 2021 broad groups. “{minority}” "
        f"means every known ethnic group other than {white} (White minorities such as Irish, "
        "Gypsy or Irish Traveller and Roma count as White, as in the WRES). People whose "
        "ethnicity is unknown are shown separately and never merged into another group: they "
        "are left out of rates and relative likelihoods and counted in the denominators of "
        "shares, so a low declaration rate cannot flatter the figures.",
        "A rate is the number of people with the outcome divided by the number in the group, "
        "with a 95% Wilson confidence interval. A relative likelihood divides one group's rate "
        "by another's: 1 means equally likely, 2 twice as likely, 0.5 half as likely. Its 95% "
        "confidence interval uses the Katz log method and its p-value Fisher's exact test. It "
        "cannot be calculated when either group is empty or nobody in it had the outcome.",
        "A share is a group's headcount divided by the whole headcount, unknown ethnicity "
        "included. Differences between shares are given in percentage points.",
        "Every figure is calculated from unrounded counts; this report rounds ratios to 2 "
        "decimal places and percentages to 1.",
    ]


def _range_text() -> str:
    low, high = (fmt.ratio(v) for v in DEFAULT_RANGE)
    return (f"A relative likelihood from {low} to {high} is within the non-adverse range: the "
            "four-fifths rule used by NHS England and Skills for Care (1.25 is 1 ÷ 0.80). "
            "Outside it, the direction decides: being less likely to be appointed or to get "
            "training is adverse; being more likely to enter a disciplinary process, to be "
            "harassed or to leave is adverse. The range is applied to the unrounded value. "
            "Whether a difference may be due to chance is judged from the 95% confidence "
            "interval: if it includes 1, chance cannot be ruled out.")


def _glossary(env: Env) -> list[list[str]]:
    limit = small_number_limit(env)
    return [
        ["Relative likelihood", "One group's rate divided by another's. 1 means equally "
         "likely; above 1, the first group is more likely."],
        ["95% confidence interval (CI)", "The range of values consistent with the data: "
         "with small groups it is wide."],
        ["Non-adverse range", f"{fmt.ratio(DEFAULT_RANGE[0])} to {fmt.ratio(DEFAULT_RANGE[1])}; "
         "a relative likelihood inside it is not treated as a disparity."],
        ["Adverse, favourable", f"Outside the non-adverse range, to the disadvantage (adverse) "
         f"or the advantage (favourable) of {env.minority} staff."],
        ["May be due to chance", "The 95% confidence interval includes 1: the data cannot rule "
         "out that the groups are equally likely."],
        ["Not calculable", "A relative likelihood cannot be calculated because a group is "
         "empty or nobody in it had the outcome."],
        ["Declaration rate", "The share of records whose ethnicity is known."],
        ["Withheld", f"Not published, to protect small numbers: a figure about fewer than "
         f"{limit} people, a figure from which one could be worked out, or a figure built on "
         "either. All are marked the same way."],
        ["Percentage point", "The difference between two percentages: 20% is 5 points above "
         "15%."],
        [env.minority, f"Every known ethnic group other than {env.label('white')}."],
    ]


def _inputs_table(meta: Mapping[str, Any]) -> Table:
    body = [[extract_name(name), str(entry.get("file") or ""),
             WITHHELD if entry.get("rows") is None else fmt.count(entry.get("rows")),
             str(entry.get("sha256") or "")[:16]]
            for name, entry in (meta.get("inputs") or {}).items()]
    return plain_table("Input files", ["Extract", "File", "Rows", "SHA-256 (first 16)"], body,
                        [False, False, True, False])
