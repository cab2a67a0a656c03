"""The rule catalogue: every problem has a stable kebab-case code, a template
that can be filled in, and a row in docs/data-contract.md."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from wres_cli import problem_rules
from wres_cli.problem_rules import RULES, Rule
from wres_cli.problems import Problems, problem_frame

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-contract.md"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _shown(template: str) -> str:
    """The template as the docs show it: each field as ‹name›."""
    return re.sub(r"\{(\w+)[^}]*\}", r"‹\1›", template)


def _doc_rows() -> list[tuple[str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Rule codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (.*?) \| `(.*)` \|$", section, flags=re.M)
    return [(code, meaning, message) for code, meaning, message in rows]


def test_codes_are_kebab_case_and_unique() -> None:
    declared = [v for v in vars(problem_rules).values() if isinstance(v, Rule)]
    assert len(declared) == len(RULES) > 40
    for code, rule in RULES.items():
        assert rule.code == code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_template_fills_in(code: str) -> None:
    rule = RULES[code]
    message = rule.message(**dict.fromkeys(_fields(rule.template), 1))
    assert "{" not in message and "}" not in message and message.strip()


def test_docs_list_every_code_with_its_meaning_and_message() -> None:
    expected = [(r.code, r.meaning, _shown(r.template)) for r in RULES.values()]
    assert _doc_rows() == expected


def test_the_rule_column_holds_the_code_and_the_message_is_as_given() -> None:
    problems = Problems()
    problems.file_problem("workforce.csv", problem_rules.MISSING_SHEET,
                          problem_rules.MISSING_SHEET.message(file="ESR.xlsx", sheet="Staff",
                                                              sheets="'Cover'"))
    problems.add(problem_frame("workforce.csv", [4, 7], "grade", ["X", "Y"],
                               problem_rules.UNKNOWN_GRADE, "grade is not listed"))
    frame = problems.to_frame()
    assert frame["rule"].tolist() == ["missing-sheet", "unknown-grade", "unknown-grade"]
    assert frame["message"].iloc[0] == "ESR.xlsx has no sheet named 'Staff'; its sheets: 'Cover'"
    assert frame["row"].tolist()[1:] == [4, 7]


def test_a_rule_must_come_from_the_catalogue() -> None:
    # A free-text rule has no code: making a problem from one fails at once.
    with pytest.raises(AttributeError):
        problem_frame("workforce.csv", [2], "grade", ["X"], "unknown grade", "x")  # type: ignore[arg-type]
