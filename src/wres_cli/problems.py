"""Problems found in input data, kept as a table until the edge.

Every reader and validator returns problems rather than raising one at a time,
so a user sees every problem of every extract in one run. A problem names the
file, the row as a spreadsheet shows it (header = row 1; for Parquet the
record number from 1), the column, the offending value, the rule and a message.
The rule is the stable code of an entry of the catalogue
(``wres_cli.problem_rules``): problems are made from entries, never free text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wres_cli.problem_rules import Rule

PROBLEM_COLUMNS = ["file", "row", "column", "value", "rule", "message"]


def problem_frame(
    file: str,
    rows: Iterable[Any] | None,
    column: str | None,
    values: Iterable[Any] | None,
    rule: Rule,
    message: str,
) -> pd.DataFrame:
    """Problems for many rows that broke one rule, built without a Python loop per row.

    ``rows`` and ``values`` are aligned sequences (or None for a file-level problem).
    """
    if rows is None:
        return pd.DataFrame(
            [[file, None, column, None if values is None else values, rule.code, message]],
            columns=PROBLEM_COLUMNS,
        ).astype({"row": "Int64"})
    numbers = pd.array(rows if isinstance(rows, pd.Index | pd.Series) else list(rows),
                       dtype="Int64")
    n = len(numbers)
    values_list = [None] * n if values is None else list(values)
    return pd.DataFrame(
        {
            "file": [file] * n,
            "row": numbers,
            "column": [column] * n,
            "value": [None if is_missing(v) else str(v) for v in values_list],
            "rule": [rule.code] * n,
            "message": [message] * n,
        },
        columns=PROBLEM_COLUMNS,
    )


def is_missing(value: Any) -> bool:
    """None, NaN, NA or NaT; False for anything pandas cannot judge (a list, an object)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


@dataclass
class Problems:
    """An accumulator of problem frames."""

    frames: list[pd.DataFrame] = field(default_factory=list)

    def add(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self.frames.append(frame)

    def extend(self, other: Problems) -> None:
        self.frames.extend(other.frames)

    def file_problem(self, file: str, rule: Rule, message: str, column: str | None = None,
                     value: Any = None) -> None:
        self.add(problem_frame(file, None, column, value, rule, message))

    def __len__(self) -> int:
        return sum(len(f) for f in self.frames)

    def __bool__(self) -> bool:
        return len(self) > 0

    def to_frame(self) -> pd.DataFrame:
        """All problems, one row each, de-duplicated on (file, row, column) so a
        value that failed to parse is not reported again as missing."""
        if not self.frames:
            return pd.DataFrame(columns=PROBLEM_COLUMNS).astype({"row": "Int64"})
        frame = pd.concat(self.frames, ignore_index=True)
        frame["row"] = frame["row"].astype("Int64")
        keyed = frame["row"].notna() & frame["column"].notna()
        dupes = keyed & frame.duplicated(["file", "row", "column"], keep="first")
        return frame.loc[~dupes].reset_index(drop=True)

    def sorted_frame(self) -> pd.DataFrame:
        """``to_frame`` with file-level problems first, then by row: reads like the file."""
        return self.to_frame().sort_values(["file", "row"], na_position="first",
                                           kind="stable").reset_index(drop=True)
