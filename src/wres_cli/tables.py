"""Views of result rows for people: the headline comparisons and one indicator's
table. They read the rows alone (no indicator definitions), so they work as
well on a ``results.json`` read back as on a fresh ``compute``.

The rules (docs/library.md):

* **Comparisons** are the overall rows comparing minority ethnic and White
  staff (either way round: NHS 2 and 4 are White ÷ BME), or the minority
  ethnic share against the workforce (indicator 9), as a ratio, a difference
  or the median pay gap.
* **The headline** is one comparison per indicator: with the group it compares
  against being White (or minority) before the workforce, and the difference
  before the ratio (NHS 5-8 are published and judged as a difference of two
  percentages; their ratio is written but not judged). An indicator with no
  overall comparison (the shares of indicator 1) gets a row with no value.
* **A table** has the levels of one breakdown as rows and the groups as
  columns, and shows the ``value`` of one measure (by default the indicator's
  share or rate); a withheld cell is empty (NaN).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

#: The columns of ``Results.headline()``.
HEADLINE_COLUMNS = ("indicator", "measure", "group", "reference", "value", "ci_low",
                    "ci_high", "p_value", "significant", "assessment", "suppressed", "note")

COMPARISON_MEASURES = ("difference", "relative_likelihood", "pay_gap_median")
_GROUPS = ("minority", "white")
_REFERENCES = ("white", "minority", "workforce")
#: A table shows these measures by default, in this order of preference.
_COUNTED = ("share", "rate")
NO_COMPARISON = "no overall comparison: see table()"


def overall_comparisons(rows: pd.DataFrame) -> pd.DataFrame:
    """Every overall minority-vs-White (or minority-vs-workforce) comparison, in
    result order: what the on-screen summary of ``wres compute`` lists."""
    return rows[(rows["breakdown"] == "overall") & rows["group"].isin(_GROUPS)
                & rows["reference"].isin(_REFERENCES)
                & rows["measure"].isin(COMPARISON_MEASURES)]


def headline(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator (in result order): its headline comparison."""
    comparisons = overall_comparisons(rows)
    picked = []
    for indicator in pd.unique(rows["indicator"]):
        own = comparisons[comparisons["indicator"] == indicator]
        if own.empty:
            picked.append({"indicator": indicator, "note": NO_COMPARISON})
            continue
        rank = (own["reference"].eq("workforce").astype(int) * len(COMPARISON_MEASURES)
                + own["measure"].map(COMPARISON_MEASURES.index))
        picked.append(own.loc[rank.idxmin()].to_dict())
    table = pd.DataFrame(picked, columns=list(HEADLINE_COLUMNS))
    table["suppressed"] = table["suppressed"].fillna(False).astype(bool)
    return table


def indicator_table(rows: pd.DataFrame, indicator: str, breakdown: str = "overall",
                    measure: str | None = None, values: str = "value") -> pd.DataFrame:
    """Levels of ``breakdown`` as rows, groups as columns, cells the ``values``
    column of ``measure``. For a comparison whose groups are compared with more
    than one reference (indicator 9: the workforce and the population) the
    columns are named ``"<group> vs <reference>"``. Raises ``UsageError`` for an
    indicator, breakdown, measure or column the rows do not have."""
    from wres_cli.errors import UsageError

    own = rows[rows["indicator"] == str(indicator)]
    if own.empty:
        raise UsageError(f"no indicator {indicator!r} in these results (there are "
                         f"{_listed(rows['indicator'])})")
    if values not in rows.columns:
        raise UsageError(f"no column {values!r} in the result rows (there are "
                         f"{', '.join(map(str, rows.columns))})")
    here = own[own["breakdown"] == breakdown]
    if here.empty:
        raise UsageError(f"indicator {indicator} has no breakdown {breakdown!r} (it has "
                         f"{_listed(own['breakdown'])})")
    measures = list(pd.unique(here["measure"]))
    chosen = measure or next((m for m in _COUNTED if m in measures), measures[0])
    if chosen not in measures:
        raise UsageError(f"indicator {indicator} has no measure {chosen!r} for breakdown "
                         f"{breakdown!r} (it has {', '.join(map(str, measures))})")
    cells = here[here["measure"] == chosen]
    column = cells["group"].astype(str)
    references = cells["reference"].dropna()
    if references.groupby(cells["group"]).nunique().gt(1).any():
        column = column + " vs " + cells["reference"].astype(str)
    table = cells.assign(_column=column).pivot(index="level", columns="_column", values=values)
    table = table.reindex(index=pd.unique(cells["level"]), columns=pd.unique(column))
    table.index.name, table.columns.name = breakdown, "group"
    return table


def _listed(values: pd.Series) -> str:
    return ", ".join(map(str, pd.unique(values)))


def summary_line(meta: Mapping[str, Any], rows: pd.DataFrame) -> str:
    """``Results(organisation=..., standard=..., period=..., ...)``: a few figures, never
    the rows themselves."""
    period = meta.get("period") or {}
    withheld = int(rows["suppressed"].astype(bool).sum()) if "suppressed" in rows else 0
    return (f"Results(organisation={meta.get('organisation')!r}, "
            f"standard={meta.get('standard')!r}, "
            f"period={period.get('start')} to {period.get('end')}, "
            f"indicators={rows['indicator'].nunique() if 'indicator' in rows else 0}, "
            f"rows={len(rows)}, withheld={withheld})")


def headline_html(meta: Mapping[str, Any], rows: pd.DataFrame) -> str:
    """A small HTML table of the headline, every text escaped: for notebooks."""
    labels = meta.get("labels") or {}
    period = meta.get("period") or {}
    title = (f"{meta.get('organisation') or 'Results'} ({meta.get('standard')}): "
             f"{period.get('start')} to {period.get('end')}")
    head = "".join(f"<th>{h}</th>" for h in ("indicator", "comparison", "value", "95% CI",
                                              "assessment"))
    body = []
    for row in headline(rows).itertuples(index=False):
        cells = (row.indicator, _comparison(row, labels), _shown(row.value, row.suppressed),
                 _interval(row.ci_low, row.ci_high), _text(row.assessment) or _text(row.note))
        body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
                    + "</tr>")
    return (f"<div><p><strong>{html.escape(title)}</strong></p><table><thead><tr>{head}"
            f"</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def _comparison(row: Any, labels: Mapping[str, str]) -> str:
    if _text(row.group) == "":
        return ""
    what = {"difference": "difference", "relative_likelihood": "ratio",
            "pay_gap_median": "median pay gap"}.get(row.measure, str(row.measure))
    return (f"{labels.get(row.group, row.group)} vs "
            f"{labels.get(row.reference, row.reference)} ({what})")


def _shown(value: Any, suppressed: bool) -> str:
    if suppressed:
        return "withheld"
    return "" if pd.isna(value) else f"{value:.3g}"


def _interval(low: Any, high: Any) -> str:
    return "" if pd.isna(low) or pd.isna(high) else f"{low:.3g} to {high:.3g}"


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
