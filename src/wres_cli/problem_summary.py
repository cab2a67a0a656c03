"""The problems of invalid data as a person reads them on screen (contracts §5).

Summarised first: one line per file and rule with its count, file-level
problems (unreadable, missing columns, no data rows) before row-level ones;
then up to three examples per rule. A duplicated id is one problem, however
many rows share it. Plain text lines: the CLI prints them, tests read them.
The full table is what ``--errors-out`` writes; nothing here changes it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wres_cli.problem_rules import DUPLICATE_ID
from wres_cli.problems import is_missing

EXAMPLES_PER_RULE = 3
#: Rules whose rows are counted once per value (each repeated id is one problem).
_ONE_PER_VALUE = frozenset({DUPLICATE_ID.code})


def problem_count(problems: pd.DataFrame) -> int:
    """Problems as a person counts them: a repeated id once, not once per row."""
    if not len(problems):
        return 0
    once = problems["rule"].isin(_ONE_PER_VALUE) & problems["row"].notna()
    repeated = problems.loc[once].drop_duplicates(["file", "column", "value"])
    return int((~once).sum()) + len(repeated)


def problem_line(record: Any) -> str:
    """One problem like a compiler's: file, row, column, value, message, rule."""
    where = str(record.file)
    if not is_missing(record.row):
        where += f" row {record.row}"
    if not is_missing(record.column):
        where += f", {record.column}"
    if not is_missing(record.value):
        where += f" {str(record.value)!r}"
    return f"{where}: {record.message} [{record.rule}]"


def summary_lines(problems: pd.DataFrame, examples: int = EXAMPLES_PER_RULE) -> list[str]:
    """The on-screen account of ``problems`` (the columns of ``--errors-out``)."""
    if not len(problems):
        return []
    count = problem_count(problems)
    lines = [f"{count} problem(s) - values are quoted from your extracts, which hold "
             "personal data:"]
    file_level = problems[problems["row"].isna()]
    for record in file_level.itertuples(index=False):
        lines.append("  " + problem_line(record))
    row_level = problems[problems["row"].notna()]
    if not len(row_level):
        return lines
    groups = list(row_level.groupby(["file", "rule"], sort=False))
    width = max(len(f"{file}: {rule}") for (file, rule), _ in groups)
    lines.append("  by file and rule:")
    for (file, rule), group in groups:
        lines.append(f"    {f'{file}: {rule}':<{width}}  {_count_text(rule, group)}")
    lines.append(f"  examples (up to {examples} per rule):")
    shown = 0
    for (_, rule), group in groups:
        picked = _examples(rule, group, examples)
        shown += len(picked)
        lines.extend("    " + problem_line(r) for r in picked.itertuples(index=False))
    if shown < len(row_level):
        lines.append("  use --errors-out FILE.csv for the full list (it quotes your data: keep "
                     "it safe).")
    return lines


def _count_text(rule: str, group: pd.DataFrame) -> str:
    if rule in _ONE_PER_VALUE:
        values = group.drop_duplicates(["column", "value"])
        return f"{len(values)} (on {len(group)} rows)"
    return str(len(group))


def _examples(rule: str, group: pd.DataFrame, n: int) -> pd.DataFrame:
    if rule in _ONE_PER_VALUE:  # one example per repeated id, not its every row
        group = group.drop_duplicates(["column", "value"])
    return group.head(n)
