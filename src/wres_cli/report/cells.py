"""The report's cells and tables: display text for one result row, and the table
dicts ``{"caption", "columns", "rows", "numeric", "notes"}`` every section builds
(``rows`` is a list of lists of display strings, the first cell of each row
names it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from wres_cli.report import format as fmt
from wres_cli.report.wording import interval_excludes_one

if TYPE_CHECKING:
    from wres_cli.report.env import Env

Row = Mapping[str, Any]
Table = dict[str, Any]

BREAKDOWN_NAMES = {"grade": "Grade", "band": "Band", "staff_group": "Staff group",
                   "service": "Service", "organisation": "Organisation"}
ASSESSMENT_NAMES = {"adverse": "Adverse", "within range": "Within range",
                    "favourable": "Favourable", "not calculable": "Not calculable",
                    "suppressed": "Withheld",
                    "no significant difference": "No significant difference"}
GROUPS = ("white", "minority", "asian", "black", "mixed", "other", "unknown")
MINORITY_GROUPS = ("asian", "black", "mixed", "other")
#: The one marker of a withheld figure in reports (methodology section 5, rule 4).
WITHHELD = "withheld"


def withheld_footnote(limit: int | str) -> str:
    return (f"withheld: not published, to protect small numbers: a figure about fewer "
            f"than {limit} people, or one from which such a figure could be worked out, "
            "or one built on either.")


def make_table(caption: str, columns: list[str], rows: list[list[str]], numeric: list[bool],
           env: Env, source: Sequence[Row | None]) -> Table:
    """A table and the footnotes its withheld cells need."""
    notes = []
    if any(r is not None and r.get("suppressed") for r in source):
        notes.append(withheld_footnote(small_number_limit(env)))
    return plain_table(caption, columns, rows, numeric, notes)


def plain_table(caption: str, columns: list[str], rows: list[list[str]], numeric: list[bool],
                 notes: list[str] | None = None) -> Table:
    return {"caption": caption, "columns": columns, "rows": rows, "numeric": numeric,
            "notes": notes or []}


def by_group(rows: Iterator[Row] | Sequence[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: GROUPS.index(r["group"]) if r.get("group") in GROUPS
                  else len(GROUPS))


def count_cells(row: Row, env: Env) -> list[str]:
    if row.get("suppressed"):
        return [env.withheld(row), fmt.DASH]
    return [fmt.count(row.get("numerator")), fmt.count(row.get("denominator"))]


def value_cell(row: Row | None, formatter: Any, env: Env, *, counted: bool = False) -> str:
    """The row's value for display; ``counted``: the row's count cell already says
    why it is withheld, so the value cell only needs a dash."""
    if row is None:
        return ""
    if row.get("suppressed"):
        return fmt.DASH if counted else env.withheld(row)
    if fmt.missing(row.get("value")):
        return "not calculable" if row.get("assessment") == "not calculable" else fmt.DASH
    return formatter(row["value"])


def rate_cell(row: Row | None, env: Env) -> str:
    """``29.8% (196 of 657)``: the rate with the counts behind it."""
    if row is None:
        return ""
    if row.get("suppressed"):
        return env.withheld(row)
    if fmt.missing(row.get("value")):
        return "no one"
    return (f"{fmt.percent(row['value'])} ({fmt.count(row.get('numerator'))} of "
            f"{fmt.count(row.get('denominator'))})")


def share_cell(row: Row | None, env: Env) -> str:
    """``17.9% (627)``: the share with its headcount (the denominator is in its own column)."""
    if row is None:
        return ""
    if row.get("suppressed"):
        return env.withheld(row)
    if fmt.missing(row.get("value")):
        return fmt.DASH
    return f"{fmt.percent(row['value'])} ({fmt.count(row.get('numerator'))})"


def headcount_cell(rows: Any) -> str:
    """The level's denominator, from any of its published rows (they share it)."""
    for row in rows:
        if row is not None and not fmt.missing(row.get("denominator")):
            return fmt.count(row["denominator"])
    return "withheld"


#: The badge of an adverse ratio whose interval includes 1 (methodology §3).
ADVERSE_NOT_SIGNIFICANT = "Adverse, not significant"


def assessment_name(row: Row) -> str:
    """The assessment's display name; an adverse ratio whose interval includes 1 gets
    its own badge, so a board does not read chance as a finding."""
    code = str(row.get("assessment") or "")
    if code == "adverse" and row.get("measure") == "relative_likelihood" \
            and interval_excludes_one(row) is False:
        return ADVERSE_NOT_SIGNIFICANT
    return ASSESSMENT_NAMES.get(code, "")


def row_css(row: Row) -> str:
    css = css_class(str(row.get("assessment") or ""))
    return f"{css} notsig" if assessment_name(row) == ADVERSE_NOT_SIGNIFICANT else css


def note_cell(row: Row) -> str:
    return fmt.plain(row.get("note"))


def css_class(assessment: str) -> str:
    return {"adverse": "adverse", "within range": "within", "favourable": "favourable",
            "not calculable": "nocalc", "suppressed": "withheld",
            "no significant difference": "within"}.get(assessment, "")


def breakdown_name(breakdown: str) -> str:
    return " and ".join(BREAKDOWN_NAMES.get(p, p.replace("_", " ")).lower()
                        for p in breakdown.split("+")).capitalize()


def level_heads(breakdown: str) -> list[str]:
    return [BREAKDOWN_NAMES.get(p, fmt.sentence_start(p.replace("_", " ")))
            for p in breakdown.split("+")]


def level_cells(breakdown: str, level: Any) -> list[str]:
    parts = breakdown.split("+")
    values = str(level).split("+", len(parts) - 1) if len(parts) > 1 else [str(level)]
    return values + [""] * (len(parts) - len(values))


def as_float(value: Any) -> float | None:
    return None if fmt.missing(value) else float(value)



def is_withheld(row: Row | None) -> bool:
    return row is not None and bool(row.get("suppressed") or row.get("assessment") == "suppressed")


def left_out_note(hidden: int, what: str) -> str:
    return (f" {hidden} {what}{'s' if hidden != 1 else ''} with every figure withheld "
            f"{'are' if hidden != 1 else 'is'} left out." if hidden else "")


def chart_breakdown(rows: Sequence[Row]) -> str:
    """Charts use bands when ``[grades.bands]`` gave them (fewer, larger levels), else grades."""
    breakdowns = {r.get("breakdown") for r in rows}
    return "band" if "band" in breakdowns else "grade"


def breakdowns_of(rows: Sequence[Row], named: Sequence[str]) -> list[str]:
    """The breakdowns of ``rows`` besides overall and the ``named`` ones."""
    seen = dict.fromkeys(str(r.get("breakdown")) for r in rows)
    return [b for b in seen if b not in ("overall", *named)]


def small_number_limit(env: Env) -> int:
    """The small-number threshold (10 when a report is unsuppressed: nothing is withheld
    then, but a sentence about the rule still needs a number)."""
    return env.threshold if env.threshold is not None else 10
