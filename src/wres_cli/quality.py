"""Data quality figures from prepared (person-level) frames: scope, declaration
rates and unknown ethnicity values. Aggregates only leave this module."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from wres_cli.config import Period

DECLARATION_WARNING = 0.80


def in_post_during(workforce: pd.DataFrame, period: Period) -> pd.Series:
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    return (workforce["start_date"] <= end) & (
        workforce["end_date"].isna() | (workforce["end_date"] >= start)
    )


def in_scope(name: str, frame: pd.DataFrame, period: Period) -> pd.Series:
    """Which records a declaration rate is measured over (methodology §3)."""
    if name == "workforce" and {"start_date", "end_date"} <= set(frame.columns):
        return in_post_during(frame, period)
    if name == "recruitment" and "application_date" in frame.columns:
        dates = frame["application_date"]
        return (dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))
    return pd.Series(True, index=frame.index)


def declaration_rate(groups: pd.Series) -> float | None:
    if len(groups) == 0:
        return None
    return float((groups != "unknown").sum() / len(groups))


def unknown_values(raw: pd.Series, groups: pd.Series) -> dict[str, int]:
    """Counts of the raw values classified as unknown ('' for blank), most common first.

    Counted per distinct raw value (codes and one ``bincount``), so a column of
    millions of rows with a few dozen spellings costs one pass; works alike on
    text and categorical columns."""
    unknown = np.asarray(groups == "unknown", dtype=bool)
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    # Slot 0 counts the blanks (code -1); slot i + 1 the i-th distinct value.
    tally = np.bincount(codes[unknown] + 1, minlength=len(uniques) + 1)
    keys = ["", *(str(v).strip() for v in np.asarray(uniques, dtype=object))]
    counts: dict[str, int] = {}
    for key, n in zip(keys, tally.tolist(), strict=True):
        if n:  # spellings that differ only by surrounding spaces count together
            counts[key] = counts.get(key, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def declaration_by_grade(workforce: pd.DataFrame, scope: pd.Series,
                         order: tuple[str, ...] | None) -> dict[str, tuple[float, int, int]]:
    """grade -> (rate, known, headcount) over the workforce in scope."""
    frame = workforce.loc[scope, ["grade", "ethnic_group"]]
    known = (frame["ethnic_group"] != "unknown").groupby(frame["grade"], observed=True).agg(
        ["sum", "size"])
    grades = list(known.index)
    if order:
        rank = {g: i for i, g in enumerate(order)}
        grades.sort(key=lambda g: (rank.get(g, len(rank)), str(g)))
    else:
        grades.sort(key=str)
    return {
        str(g): (float(known.at[g, "sum"] / known.at[g, "size"]), int(known.at[g, "sum"]),
                 int(known.at[g, "size"]))
        for g in grades
    }


def extract_quality(name: str, frame: pd.DataFrame, raw_ethnicity: pd.Series | None,
                    period: Period, rows_read: int) -> dict[str, Any]:
    scope = in_scope(name, frame, period).to_numpy(dtype=bool)
    in_scope_rows = int(scope.sum())
    entry: dict[str, Any] = {"rows_read": rows_read, "rows_in_scope": in_scope_rows}
    excluded = rows_read - in_scope_rows
    if excluded:
        reason = {"workforce": "not in post in the period",
                  "recruitment": "outside the period"}.get(name, "out of scope")
        entry["excluded"] = {reason: excluded}
    else:
        entry["excluded"] = {}
    if "ethnic_group" in frame.columns and raw_ethnicity is not None:
        # A numpy mask on the (categorical) columns: subsets of small integer codes.
        groups = frame["ethnic_group"]
        entry["declaration_rate"] = declaration_rate(groups[scope])
        entry["unknown_values"] = unknown_values(raw_ethnicity[scope], groups[scope])
    return entry


def declaration_warnings(extracts: Mapping[str, Mapping[str, Any]]) -> list[str]:
    warnings = []
    for name, entry in extracts.items():
        rate = entry.get("declaration_rate")
        if rate is not None and rate < DECLARATION_WARNING:
            warnings.append(
                f"{name}: declaration rate {rate:.2f} is below {DECLARATION_WARNING:.2f}")
    return warnings
