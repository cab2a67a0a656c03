"""The report's data quality section and its appendix (method, range, small
numbers, glossary, inputs)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from wres_cli.contract import NON_ADVERSE_RANGE
from wres_cli.report import format as fmt
from wres_cli.report.cells import (
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
    overview: list[list[str]] = []
    excluded: list[list[str]] = []
    unknown: list[list[str]] = []
    blanks: list[list[str]] = []
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
    words = {"minority": env.minority, "white": env.label("white"),
             "low": fmt.ratio(NON_ADVERSE_RANGE[0]), "high": fmt.ratio(NON_ADVERSE_RANGE[1]),
             "threshold": env.threshold, "limit": small_number_limit(env)}
    return {
        "directions": plain_table("Direction of each relative likelihood",
                                  ["Indicator", "Comparison", "Adverse when"], directions,
                                  [False, False, False]),
        "method": [paragraph[0] for paragraph in prose("method", words)],
        "range": prose("range", words)[0][0],
        "small_numbers": prose("small_numbers", words)[0][0],
        "glossary": prose("glossary", words),  # [term, meaning] each
        "inputs": _inputs_table(env.meta),
    }


#: The appendix's prose: templates/appendix.txt.j2, one block per part.
PROSE_TEMPLATE = "appendix.txt.j2"
#: Parts a glossary term from its meaning in the glossary block.
TERM = " :: "


def prose(block: str, values: Mapping[str, Any]) -> list[list[str]]:
    """The paragraphs of one block of the appendix's prose, each on one line and
    parted at ``TERM`` (a glossary entry: [term, meaning]; other paragraphs: [text]).

    Text values (group labels) are put in after the template's line breaks are
    joined and its paragraphs parted, so a label is shown exactly as given."""
    from wres_cli.report.render import render_text_block

    marks = {name: f"\x00{name}\x00" for name, v in values.items() if isinstance(v, str)}
    text = render_text_block(PROSE_TEMPLATE, block, {**values, **marks})
    paragraphs = [" ".join(p.split()).split(TERM) for p in re.split(r"\n\s*\n", text.strip())]
    return [[_filled(part, marks, values) for part in parts] for parts in paragraphs]


def _filled(text: str, marks: Mapping[str, str], values: Mapping[str, Any]) -> str:
    for name, mark in marks.items():
        text = text.replace(mark, str(values[name]))
    return text


def _inputs_table(meta: Mapping[str, Any]) -> Table:
    body = [[extract_name(name), str(entry.get("file") or ""),
             WITHHELD if entry.get("rows") is None else fmt.count(entry.get("rows")),
             str(entry.get("sha256") or "")[:16]]
            for name, entry in (meta.get("inputs") or {}).items()]
    return plain_table("Input files", ["Extract", "File", "Rows", "SHA-256 (first 16)"], body,
                        [False, False, True, False])
