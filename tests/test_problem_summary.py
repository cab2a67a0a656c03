"""The on-screen account of invalid data (contracts §5), from a hand-made problems table."""

from __future__ import annotations

import pandas as pd

from wres_cli.problem_summary import problem_count, summary_lines
from wres_cli.problems import PROBLEM_COLUMNS


def _table(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


PROBLEMS = _table([
    *[("training.csv", 2 + i, "record_id", f"T-{i % 4}", "duplicate-id", "shared")
      for i in range(8)],                                        # 4 ids on 8 rows
    *[("workforce.csv", 10 + i, "ethnicity", f"Martian {i}", "unknown-ethnicity", "not known")
      for i in range(5)],                                        # 5 values
    ("survey.csv", None, "respondent_id", None, "missing-column", "respondent_id not found"),
])


def test_a_repeated_id_is_one_problem() -> None:
    assert problem_count(PROBLEMS) == 4 + 5 + 1


def test_file_level_problems_first_then_a_line_per_file_and_rule_then_examples() -> None:
    lines = summary_lines(PROBLEMS)
    assert lines[0].startswith("10 problem(s)")
    assert lines[1] == ("  survey.csv, respondent_id: respondent_id not found "
                        "[missing-column]")
    start = lines.index("  by file and rule:")
    end = lines.index("  examples (up to 3 per rule):")
    assert [" ".join(line.split()) for line in lines[start + 1:end]] == [
        "training.csv: duplicate-id 4 (on 8 rows)", "workforce.csv: unknown-ethnicity 5"]
    examples = lines[end + 1:-1]
    assert len(examples) == 6  # three of each rule
    assert [e.split("'")[1] for e in examples[:3]] == ["T-0", "T-1", "T-2"]  # one per id
    assert lines[-1].startswith("  use --errors-out FILE.csv")


def test_nothing_to_say_about_no_problems() -> None:
    assert summary_lines(_table([])) == [] and problem_count(_table([])) == 0
