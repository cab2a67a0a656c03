"""Data quality figures from prepared (person-level) frames: declaration rates
and unknown ethnicity values over the scope the prepare stage worked out, and
the rows it left out. Aggregates only leave this module."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from wres_cli.io.readers import Extract
    from wres_cli.prepare import Prepared

DECLARATION_WARNING = 0.80


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


def declaration_by_grade(workforce: pd.DataFrame, scope: np.ndarray,
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


def validation_quality(extracts: Mapping[str, Extract], prepared: Prepared,
                       valid: bool) -> dict[str, dict[str, Any]]:
    """Each extract's data-quality entry as validation sees it: rows read, rows in
    scope and left out (as the prepare stage worked them out), the declaration
    rate and unknown values over the rows in scope, blank booleans read as false.
    Invalid data gets entries only for the extracts that were classified."""
    entries = {}
    for name, extract in extracts.items():
        frame = prepared.frames[name]
        if valid or "ethnic_group" in frame.columns:
            raw = extract.frame["ethnicity"] if "ethnic_group" in frame.columns else None
            entry = _extract_quality(name, frame, raw, prepared, extract.rows_read)
            blanks = prepared.blank_booleans.get(name)
            if blanks:  # the extract has such columns; the blanks found, if any
                entry["blank_booleans"] = {column: n for column, n in blanks.items() if n}
            entries[name] = entry
    return entries


def _extract_quality(name: str, frame: pd.DataFrame, raw_ethnicity: pd.Series | None,
                     prepared: Prepared, rows_read: int) -> dict[str, Any]:
    scope = prepared.scope.get(name, np.ones(len(frame), dtype=bool))
    if scope is None:
        # Invalid data left the scope unknown; the problems table says why, so the
        # summary shows what it can.
        return {"rows_read": rows_read, "excluded": dict(prepared.exclusions.get(name, {}))}
    entry: dict[str, Any] = {"rows_read": rows_read, "rows_in_scope": int(scope.sum()),
                             "excluded": prepared.excluded(name)}
    if raw_ethnicity is not None:
        try:
            # A numpy mask on the (categorical) columns: subsets of small integer codes.
            groups = frame["ethnic_group"]
            entry["declaration_rate"] = declaration_rate(groups[scope])
            entry["unknown_values"] = unknown_values(raw_ethnicity[scope], groups[scope])
        except (KeyError, TypeError, ValueError):
            return {"rows_read": rows_read, "excluded": dict(prepared.exclusions.get(name, {}))}
    return entry


def declaration_warnings(extracts: Mapping[str, Mapping[str, Any]]) -> list[str]:
    warnings = []
    for name, entry in extracts.items():
        rate = entry.get("declaration_rate")
        if rate is not None and rate < DECLARATION_WARNING:
            warnings.append(
                f"{name}: declaration rate {rate:.2f} is below {DECLARATION_WARNING:.2f}")
    return warnings
