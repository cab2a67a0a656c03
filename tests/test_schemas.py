"""The validate stage: contract rules on the frames the readers produce.

Frames are built by hand the way the readers hand them over (contract dtypes,
index = the row number a spreadsheet shows, header = 1) and every expected
problem row is worked out in the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wres_cli.config import Config
from wres_cli.contract import EXTRACTS
from wres_cli.problem_rules import BAD_DATE
from wres_cli.problems import PROBLEM_COLUMNS, Problems, problem_frame
from wres_cli.schemas import apply_blank_policy, build_schema, check_extracts

NA = None


@dataclass
class FakeExtract:
    """Stand-in for ``wres_cli.io.readers.Extract`` (same attributes)."""

    name: str
    frame: pd.DataFrame
    file: str = ""
    path: Path = Path(".")
    rows_read: int = 0
    columns_found: dict[str, str] = field(default_factory=dict)
    sha256: str = ""

    def __post_init__(self) -> None:
        self.file = self.file or f"{self.name}.csv"
        self.path = Path(self.file)
        self.rows_read = len(self.frame)


_DTYPES = {"id": "str", "text": "str", "ethnicity": "str", "date": "datetime64[ns]",
           "boolean": "boolean"}


def make(name: str, data: dict[str, list], index: list[int] | None = None,
         file: str | None = None, string_dtype: str = "str") -> FakeExtract:
    """An extract as the reader gives it: contract dtypes, index = spreadsheet row."""
    n = len(next(iter(data.values())))
    spec = EXTRACTS[name]
    columns = {}
    for column, values in data.items():
        kind = spec.column(column).kind
        dtype = string_dtype if _DTYPES[kind] == "str" else _DTYPES[kind]
        columns[column] = pd.Series(values, dtype=dtype) if kind != "date" else \
            pd.to_datetime(pd.Series(values)).astype("datetime64[ns]")
    frame = pd.DataFrame(columns)
    frame.index = pd.Index(index if index is not None else range(2, n + 2))
    return FakeExtract(name, frame, file=file or f"{name}.csv")


def problems_of(extracts: list[FakeExtract], config: Config | None = None) -> pd.DataFrame:
    result = check_extracts({e.name: e for e in extracts}, config or Config())
    assert isinstance(result, Problems)
    return result.to_frame()


def rows_of(problems: pd.DataFrame, rule: str | None = None) -> list[tuple]:
    """(file, row, column, value, rule) of each problem, in order."""
    if rule is not None:
        problems = problems[problems["rule"] == rule]
    return [
        (f, int(r), c, None if pd.isna(v) else v, ru)
        for f, r, c, v, ru in problems[["file", "row", "column", "value", "rule"]].itertuples(
            index=False)
    ]


def message(problems: pd.DataFrame, row: int, column: str) -> str:
    hit = problems[(problems["row"] == row) & (problems["column"] == column)]
    assert len(hit) == 1, hit
    return hit["message"].iloc[0]


# ---------------------------------------------------------------- clean inputs


def clean_workforce(**extra) -> FakeExtract:
    data = {
        "staff_id": ["S1", "S2", "S3"],
        "ethnicity": ["White British", NA, "Indian"],  # blank ethnicity = unknown
        "grade": ["Band 5", "Band 6", "Band 7"],
        "start_date": ["2019-04-01", "2020-01-15", "2023-06-01"],
        "end_date": [NA, "2020-01-15", "2024-02-29"],  # same-day leaver is fine
        "staff_group": ["Nursing", NA, "Admin"],
        "service": ["A", "B", NA],
        "organisation": ["Org", "Org", "Org"],
        "registered_professional": [True, NA, False],
        "senior_manager": [NA, False, True],
    }
    data.update(extra)
    return make("workforce", data)


def clean_set() -> list[FakeExtract]:
    return [
        clean_workforce(),
        make("recruitment", {
            "application_id": ["A1", "A2", "A3", "A4"],
            "ethnicity": ["African", "White British", NA, "Chinese"],
            "shortlisted": [True, False, NA, True],
            "appointed": [True, False, NA, NA],
            "application_date": ["2023-05-01"] * 4,
            "vacancy_grade": ["Band 5", NA, "Band 6", "Band 7"],
        }),
        make("disciplinary", {"case_id": ["D1", "D2"], "staff_id": ["S1", "S1"],
                              "start_date": ["2023-07-01", "2010-01-01"]}),  # not employed: OK
        make("fitness_to_practise", {"referral_id": ["F1"], "staff_id": ["S3"],
                                     "referral_date": ["2023-08-01"]}),
        make("training", {"record_id": ["T1", "T2"], "staff_id": ["S2", "S3"],
                          "date": ["2023-01-01", "2023-02-01"], "course": [NA, "Leadership"]}),
        make("survey", {
            "respondent_id": ["R1", "R2"], "ethnicity": ["Made-up value", NA],
            "harassment_public": [True, NA], "harassment_colleagues": [NA, NA],
            "harassment_managers": [False, NA], "equal_opportunities": [NA, True],
            "discrimination": [NA, False], "grade": [NA, "Band 5"],
        }),
        make("board", {"member_id": ["M1", "M2"], "ethnicity": ["Indian", NA],
                       "voting": [True, False], "executive": [False, False]}),
    ]


GRADES = Config(grades_order=("Band 5", "Band 6", "Band 7"))


@pytest.mark.parametrize("config", [Config(), GRADES])
def test_a_clean_set_gives_no_problems(config):
    problems = problems_of(clean_set(), config)
    assert list(problems.columns) == PROBLEM_COLUMNS
    assert problems.empty


def test_works_with_the_na_string_dtype_too():
    extracts = [make(e.name, {c: e.frame[c].tolist() for c in e.frame.columns},
                     string_dtype="string") for e in clean_set()]
    # NaT/NA survive tolist() as NaT/None, and dtypes are rebuilt from the contract
    assert extracts[0].frame["staff_id"].dtype == "string"
    assert problems_of(extracts, GRADES).empty


def test_one_schema_per_extract_built_from_the_contract():
    for name, spec in EXTRACTS.items():
        schema = build_schema(name)
        assert list(schema.columns) == spec.column_names
        assert all(not column.required for column in schema.columns.values())
    workforce = build_schema("workforce", ("Band 5",)).columns
    assert workforce["staff_id"].unique and not workforce["staff_id"].nullable
    assert workforce["ethnicity"].nullable  # blank = unknown
    assert workforce["registered_professional"].nullable  # blank = false
    assert [c.name for c in workforce["grade"].checks] == ["known_grade"]
    assert not build_schema("workforce").columns["grade"].checks
    board = build_schema("board").columns
    assert not board["voting"].nullable and not board["executive"].nullable


# ------------------------------------------------------------------ each rule


def test_blank_ids_and_blank_required_values():
    workforce = clean_workforce(staff_id=["S1", NA, "S3"], grade=["Band 5", "Band 6", NA],
                                start_date=[NA, "2020-01-15", "2023-06-01"],
                                ethnicity=[NA, NA, NA])
    recruitment = make("recruitment", {
        "application_id": [NA, "A2"], "ethnicity": ["x", "y"], "shortlisted": [NA, NA],
        "appointed": [NA, NA], "application_date": ["2023-05-01", NA]})
    disciplinary = make("disciplinary", {"case_id": ["D1"], "staff_id": [NA],
                                         "start_date": ["2023-01-01"]})
    problems = problems_of([workforce, recruitment, disciplinary])
    assert rows_of(problems) == [
        ("workforce.csv", 3, "staff_id", None, "blank-id"),
        ("workforce.csv", 4, "grade", None, "blank-value"),
        ("workforce.csv", 2, "start_date", None, "blank-value"),
        ("recruitment.csv", 2, "application_id", None, "blank-id"),
        ("recruitment.csv", 3, "application_date", None, "blank-value"),
        ("disciplinary.csv", 2, "staff_id", None, "blank-person-id"),
    ]
    assert message(problems[problems.file == "recruitment.csv"], 2, "application_id") == (
        "application_id is blank: every application needs an id")
    assert "every person needs an id" in message(
        problems[problems.file == "workforce.csv"], 3, "staff_id")
    assert "every disciplinary case needs the staff_id" in message(
        problems[problems.file == "disciplinary.csv"], 2, "staff_id")


def test_blank_voting_or_executive_is_an_error_but_blank_survey_answers_are_not():
    board = make("board", {"member_id": ["M1", "M2", "M3"], "ethnicity": ["a", "b", "c"],
                           "voting": [True, NA, False], "executive": [NA, NA, True]})
    survey = make("survey", {"respondent_id": ["R1"], "ethnicity": ["a"],
                             "harassment_public": [NA], "discrimination": [NA]})
    problems = problems_of([board, survey])
    assert rows_of(problems) == [
        ("board.csv", 3, "voting", None, "blank-yes-no"),
        ("board.csv", 2, "executive", None, "blank-yes-no"),
        ("board.csv", 3, "executive", None, "blank-yes-no"),
    ]
    assert "yes or no for every board member" in message(problems, 3, "voting")


def test_duplicate_ids_list_every_row_with_the_count():
    workforce = make("workforce", {
        "staff_id": ["S1", "S2", "S1", "S2", NA],  # e.g. one row per assignment
        "ethnicity": ["a"] * 5, "grade": ["x"] * 5, "start_date": ["2020-01-01"] * 5})
    problems = problems_of([workforce])
    assert rows_of(problems) == [
        ("workforce.csv", 6, "staff_id", None, "blank-id"),
        ("workforce.csv", 2, "staff_id", "S1", "duplicate-id"),
        ("workforce.csv", 3, "staff_id", "S2", "duplicate-id"),
        ("workforce.csv", 4, "staff_id", "S1", "duplicate-id"),
        ("workforce.csv", 5, "staff_id", "S2", "duplicate-id"),
    ]
    text = message(problems, 2, "staff_id")
    assert text.startswith("2 rows share this staff_id")
    assert ("one row per person is required: for an export with one row per assignment, "
            'set [workforce] one_row_per = "assignment"') in text


def test_duplicate_counts_differ_per_id_and_blank_ids_are_not_duplicates():
    recruitment = make("recruitment", {
        "application_id": ["A", "B", "A", NA, "A", "B", NA, "C"],
        "ethnicity": ["x"] * 8, "shortlisted": [NA] * 8, "appointed": [NA] * 8,
        "application_date": ["2023-01-01"] * 8})
    problems = problems_of([recruitment])
    dupes = problems[problems.rule == "duplicate-id"]
    assert dupes["row"].tolist() == [2, 3, 4, 6, 7]
    assert dupes["value"].tolist() == ["A", "B", "A", "A", "B"]
    assert [m.split(" rows")[0] for m in dupes["message"]] == ["3", "2", "3", "3", "2"]
    assert not dupes["message"].str.contains("assignment").any()  # workforce only
    assert rows_of(problems, "blank-id") == [
        ("recruitment.csv", 5, "application_id", None, "blank-id"),
        ("recruitment.csv", 8, "application_id", None, "blank-id"),
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from("abcdef")), min_size=1, max_size=30))
def test_duplicate_ids_property(ids):
    extract = make("training", {"record_id": ids, "staff_id": ["S"] * len(ids),
                                "date": ["2023-01-01"] * len(ids)})
    problems = problems_of([extract])
    dupes = problems[problems.rule == "duplicate-id"]
    expected = [(i + 2, v, ids.count(v)) for i, v in enumerate(ids)
                if v is not None and ids.count(v) > 1]
    assert [(int(r), v, int(m.split(" ")[0])) for r, v, m in
            zip(dupes["row"], dupes["value"], dupes["message"], strict=True)] == expected
    assert problems[problems.rule == "blank-id"]["row"].tolist() == [
        i + 2 for i, v in enumerate(ids) if v is None]


def test_appointed_requires_shortlisted_after_blank_is_false():
    recruitment = make("recruitment", {
        "application_id": ["A1", "A2", "A3", "A4", "A5", "A6"],
        "ethnicity": ["x"] * 6,
        "shortlisted": [True, False, NA, NA, False, True],
        "appointed": [True, True, True, NA, False, False],
        "application_date": ["2023-01-01"] * 6,
    })
    problems = problems_of([recruitment])
    assert rows_of(problems) == [
        ("recruitment.csv", 3, "appointed", "appointed=true, shortlisted=false",
         "appointed-not-shortlisted"),
        ("recruitment.csv", 4, "appointed", "appointed=true, shortlisted=blank",
         "appointed-not-shortlisted"),
    ]
    assert "must be shortlisted to be appointed" in message(problems, 3, "appointed")


def test_end_date_before_start_date():
    workforce = clean_workforce(
        start_date=["2021-03-01", "2020-01-15", NA],
        end_date=["2021-02-28", "2020-01-15", "2020-01-01"],  # equal is fine; NaT start skipped
    )
    problems = problems_of([workforce])
    assert rows_of(problems) == [
        ("workforce.csv", 4, "start_date", None, "blank-value"),
        ("workforce.csv", 2, "end_date", "start_date=2021-03-01, end_date=2021-02-28",
         "end-before-start"),
    ]


def test_unknown_staff_id_in_every_event_extract_names_the_workforce_file():
    workforce = clean_workforce()
    workforce.file = "Workforce.xlsx"
    events = [
        make("disciplinary", {"case_id": ["D1", "D2", "D3"], "staff_id": ["S1", "S9", NA],
                              "start_date": ["2023-01-01"] * 3}),
        make("fitness_to_practise", {"referral_id": ["F1"], "staff_id": ["s1"],
                                     "referral_date": ["2023-01-01"]}),
        make("training", {"record_id": ["T1", "T2"], "staff_id": ["S3", "S 2"],
                          "date": ["2023-01-01"] * 2}),
    ]
    problems = problems_of([workforce, *events])
    assert rows_of(problems) == [
        ("disciplinary.csv", 4, "staff_id", None, "blank-person-id"),
        ("disciplinary.csv", 3, "staff_id", "S9", "unknown-staff-id"),
        ("fitness_to_practise.csv", 2, "staff_id", "s1", "unknown-staff-id"),
        ("training.csv", 3, "staff_id", "S 2", "unknown-staff-id"),
    ]
    assert message(problems[problems.file == "training.csv"], 3, "staff_id") == (
        "staff_id is not in Workforce.xlsx: every training record must be about someone in "
        "the workforce extract")


def test_unknown_staff_id_is_checked_only_when_workforce_was_read():
    training = make("training", {"record_id": ["T1"], "staff_id": ["S9"],
                                 "date": ["2023-01-01"]})
    assert problems_of([training]).empty


def test_unknown_grade_when_grades_are_configured():
    workforce = clean_workforce(grade=["Band 5", "band 6", "Band 8a"])
    recruitment = make("recruitment", {
        "application_id": ["A1", "A2"], "ethnicity": ["x", "y"], "shortlisted": [NA, NA],
        "appointed": [NA, NA], "application_date": ["2023-01-01"] * 2,
        "vacancy_grade": [NA, "Band 9"]})
    survey = make("survey", {"respondent_id": ["R1", "R2"], "ethnicity": ["x", "y"],
                             "grade": ["Band 7", "Bank"]})
    problems = problems_of([workforce, recruitment, survey], GRADES)
    assert rows_of(problems) == [
        ("workforce.csv", 3, "grade", "band 6", "unknown-grade"),
        ("workforce.csv", 4, "grade", "Band 8a", "unknown-grade"),
        ("recruitment.csv", 3, "vacancy_grade", "Band 9", "unknown-grade"),
        ("survey.csv", 3, "grade", "Bank", "unknown-grade"),
    ]
    assert message(problems[problems.file == "survey.csv"], 3, "grade") == (
        "grade is not one of the grades listed in [grades] order of wres.toml: "
        "Band 5, Band 6, Band 7")
    # without [grades] order any grade goes
    assert problems_of([workforce, recruitment, survey]).empty


def test_unknown_grade_message_abbreviates_a_long_list_and_names_the_config_file():
    grades = tuple(f"G{i}" for i in range(1, 13))
    config = Config(grades_order=grades, source=Path("/somewhere/my-wres.toml"))
    problems = problems_of([clean_workforce(grade=["G1", "G12", "X"])], config)
    assert rows_of(problems) == [("workforce.csv", 4, "grade", "X", "unknown-grade")]
    text = message(problems, 4, "grade")
    assert "my-wres.toml" in text
    assert "G1, G2, G3, G4, G5, G6, G7, G8, … (12 grades in all)" in text
    assert "G12" not in text


# ------------------------------------------------------------- all at once, robustness


def test_every_problem_of_every_extract_in_one_pass():
    workforce = clean_workforce(staff_id=["S1", "S1", "S3"], grade=["Band 5", NA, "Band 99"],
                                end_date=["2019-01-01", NA, NA])
    recruitment = make("recruitment", {
        "application_id": ["A1", "A2"], "ethnicity": ["x", "y"], "shortlisted": [False, True],
        "appointed": [True, True], "application_date": [NA, "2023-01-01"]})
    training = make("training", {"record_id": ["T1", "T1"], "staff_id": ["S1", "S4"],
                                 "date": ["2023-01-01", "2023-01-02"]})
    board = make("board", {"member_id": ["M1"], "ethnicity": ["x"], "voting": [NA],
                           "executive": [True]})
    problems = problems_of([workforce, recruitment, training, board], GRADES)
    assert sorted(rows_of(problems)) == sorted([
        ("workforce.csv", 2, "staff_id", "S1", "duplicate-id"),
        ("workforce.csv", 3, "staff_id", "S1", "duplicate-id"),
        ("workforce.csv", 3, "grade", None, "blank-value"),
        ("workforce.csv", 4, "grade", "Band 99", "unknown-grade"),
        ("workforce.csv", 2, "end_date", "start_date=2019-04-01, end_date=2019-01-01",
         "end-before-start"),
        ("recruitment.csv", 2, "application_date", None, "blank-value"),
        ("recruitment.csv", 2, "appointed", "appointed=true, shortlisted=false",
         "appointed-not-shortlisted"),
        ("training.csv", 2, "record_id", "T1", "duplicate-id"),
        ("training.csv", 3, "record_id", "T1", "duplicate-id"),
        ("training.csv", 3, "staff_id", "S4", "unknown-staff-id"),
        ("board.csv", 2, "voting", None, "blank-yes-no"),
    ])
    assert problems["message"].notna().all()
    assert problems["row"].dtype == "Int64"


def test_rows_are_the_frame_index_not_positions():
    # e.g. a reader that skipped fully blank lines: rows as the spreadsheet shows them
    workforce = make("workforce", {"staff_id": ["S1", "S1", NA], "ethnicity": ["a", "b", "c"],
                                   "grade": ["x", "y", "z"],
                                   "start_date": ["2020-01-01"] * 3},
                     index=[2, 5, 9])
    assert rows_of(problems_of([workforce])) == [
        ("workforce.csv", 9, "staff_id", None, "blank-id"),
        ("workforce.csv", 2, "staff_id", "S1", "duplicate-id"),
        ("workforce.csv", 5, "staff_id", "S1", "duplicate-id"),
    ]


def test_missing_optional_columns_do_not_crash():
    extracts = [
        make("workforce", {"staff_id": ["S1"], "ethnicity": ["a"], "grade": ["Band 5"],
                           "start_date": ["2020-01-01"]}),
        make("recruitment", {"application_id": ["A1"], "ethnicity": ["a"], "shortlisted": [True],
                             "appointed": [True], "application_date": ["2023-01-01"]}),
        make("training", {"record_id": ["T1"], "staff_id": ["S1"], "date": ["2023-01-01"]}),
        make("survey", {"respondent_id": ["R1"], "ethnicity": ["a"]}),
    ]
    assert problems_of(extracts, GRADES).empty


def test_absent_required_columns_skip_their_rules_and_the_rest_still_run():
    workforce = make("workforce", {"ethnicity": ["a", "b"], "grade": ["Band 5", NA],
                                   "end_date": ["2020-01-01", NA]})  # no staff_id, start_date
    recruitment = make("recruitment", {"application_id": ["A1", "A1"], "ethnicity": ["a", "b"],
                                       "appointed": [True, True]})  # no shortlisted
    disciplinary = make("disciplinary", {"case_id": ["D1"], "start_date": ["2023-01-01"]})
    training = make("training", {"record_id": ["T1"], "staff_id": ["S1"], "date": [NA]})
    board = make("board", {"member_id": ["M1"], "ethnicity": ["a"]})
    problems = problems_of([workforce, recruitment, disciplinary, training, board], GRADES)
    assert rows_of(problems) == [
        ("workforce.csv", 3, "grade", None, "blank-value"),
        ("recruitment.csv", 2, "application_id", "A1", "duplicate-id"),
        ("recruitment.csv", 3, "application_id", "A1", "duplicate-id"),
        ("training.csv", 2, "date", None, "blank-value"),  # no unknown staff_id: no workforce ids
    ]


def test_empty_frames_and_unknown_extract_names_are_harmless():
    empty = make("workforce", {"staff_id": [], "ethnicity": [], "grade": [], "start_date": []})
    odd = FakeExtract("notes", pd.DataFrame({"x": [1]}))
    assert len(check_extracts({"workforce": empty, "notes": odd}, GRADES)) == 0


def test_a_parse_problem_from_the_reader_wins_over_blank():
    # the reader reports "31/02/2023" and hands over NaT; validate calls it blank;
    # the problem table keeps the first problem for (file, row, column)
    workforce = clean_workforce(start_date=["2019-04-01", NA, "2023-06-01"],
                                end_date=[NA, NA, NA])
    problems = Problems()
    problems.add(problem_frame("workforce.csv", [3], "start_date", ["31/02/2023"],
                               BAD_DATE, "not a date"))
    problems.extend(check_extracts({"workforce": workforce}, Config()))
    assert rows_of(problems.to_frame()) == [
        ("workforce.csv", 3, "start_date", "31/02/2023", "bad-date")]


# ------------------------------------------------------------------ blank policy


def test_apply_blank_policy_fills_false_and_counts():
    workforce = clean_workforce(registered_professional=[True, NA, NA],
                                senior_manager=[False, False, True])
    before = workforce.frame.copy()
    filled, counts = apply_blank_policy(workforce.frame, "workforce")
    assert counts == {"registered_professional": 2, "senior_manager": 0}
    assert filled["registered_professional"].tolist() == [True, False, False]
    assert filled["registered_professional"].dtype == "boolean"
    assert filled["senior_manager"].tolist() == [False, False, True]
    assert filled is not workforce.frame
    pd.testing.assert_frame_equal(workforce.frame, before)  # input untouched


def test_apply_blank_policy_recruitment_survey_board():
    recruitment = make("recruitment", {"application_id": ["A1", "A2", "A3"],
                                       "shortlisted": [NA, True, NA],
                                       "appointed": [NA, NA, NA]})
    filled, counts = apply_blank_policy(recruitment.frame, "recruitment")
    assert counts == {"shortlisted": 2, "appointed": 3}
    assert filled["appointed"].tolist() == [False, False, False]

    survey = make("survey", {"respondent_id": ["R1", "R2"], "harassment_public": [NA, True]})
    filled, counts = apply_blank_policy(survey.frame, "survey")
    assert counts == {}
    assert filled["harassment_public"].isna().tolist() == [True, False]  # not answered

    board = make("board", {"member_id": ["M1"], "voting": [NA]})
    filled, counts = apply_blank_policy(board.frame, "board")
    assert counts == {} and filled["voting"].isna().all()  # an error, reported by the check


def test_apply_blank_policy_absent_columns():
    workforce = make("workforce", {"staff_id": ["S1"], "registered_professional": [NA]})
    filled, counts = apply_blank_policy(workforce.frame, "workforce")
    assert counts == {"registered_professional": 1}
    assert "senior_manager" not in filled.columns
