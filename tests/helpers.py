"""Constants and helpers shared by the test modules (fixtures live in conftest.py).

- the paths of the checkout and of the sample council;
- a hand-made HR-style data folder (``hr_folder`` in conftest.py writes it);
- the small organisation whose counts ``test_counts.py`` works out by hand;
- running the CLI in this process, and a folder's files as bytes;
- results rows and documents made by hand, for rendering.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from wres_cli.cli import app
from wres_cli.config import Config, Period
from wres_cli.contract import RESULT_COLUMNS
from wres_cli.indicator_files import load_indicators

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "northmoor"

HR_CONFIG = """\
organisation = "Testshire County Council"

[period]
start = 2025-04-01
end = 2026-03-31

[grades]
order = ["G1", "G2", "G3", "Director"]
senior = ["Director"]

[columns.workforce]
staff_id = "Employee Number"
ethnicity = "Ethnic Origin"
grade = "Grade"
start_date = "Start Date"
end_date = "Leaving Date"
registered_professional = "Registered Professional"

[columns.recruitment]
application_id = "Applicant Ref"
ethnicity = "Ethnic Group"
shortlisted = "Shortlisted"
appointed = "Appointed"
application_date = "Date Applied"
vacancy_grade = "Vacancy Grade"

[columns.disciplinary]
case_id = "Case Ref"
staff_id = "Employee No"
start_date = "Case Opened"
"""

# NHS codes, ONS 2021 labels with headings, short forms and not-stated markers.
HR_WORKFORCE = """\
Employee Number,Ethnic Origin,Grade,Start Date,Leaving Date,Registered Professional,Payroll Area
EMP-000001,A,G1,01/04/2019,,Y,North
EMP-000002,"Asian, Asian British or Asian Welsh: Indian",G2,15/06/2020,,N,North
EMP-000003,Black African,G3,1/9/2021,30/09/2025,Yes,South
EMP-000004,Not stated,G1,2022-01-10,,No,South
EMP-000005,,G2,03/03/2023,,,North
EMP-000006,White - Irish,Director,01/01/2015,,n,North
EMP-000007,Other ethnic group: Arab,G3,01/04/2025,,y,South
EMP-000008,Prefer not to say,G1,31/03/2026,,N,South
"""

HR_RECRUITMENT = """\
Applicant Ref,Ethnic Group,Shortlisted,Appointed,Date Applied,Vacancy Grade
APP-000001,White British,Y,Y,01/05/2025,G1
APP-000002,Indian,Yes,No,02/05/2025,G1
APP-000003,N,N,N,03/05/2025,G2
APP-000004,"Mixed or Multiple ethnic groups: White and Asian",yes,no,04/05/2025,G2
APP-000005,Unknown,no,no,05/05/2025,G3
"""

HR_DISCIPLINARY = """\
Case Ref,Employee No,Case Opened
DIS-000001,EMP-000002,01/07/2025
DIS-000002,EMP-000003,2025-08-01
"""


# --------------------------------------------------------------------------- counts

NA = None
PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))
GRADES = ("G1", "G2", "G10")
CONFIG = Config(grades_order=GRADES, population={"white": 0.817, "asian": 0.093,
                                                 "black": 0.040, "mixed": 0.029,
                                                 "other": 0.021})
SC = load_indicators("social-care")
NHS = load_indicators("nhs")


def _bool(values):
    return pd.array(values, dtype="boolean")


def prepared() -> dict[str, pd.DataFrame]:
    """The small organisation of ``tests/test_counts.py`` (period 2025-04-01 to
    2026-03-31), each rule of methodology sections 1-2 met by a named person:

    | id | group   | grade | start      | end        | note                                   |
    |----|---------|-------|------------|------------|----------------------------------------|
    | w1 | white   | G1    | 2020-01-01 |            | in post throughout                     |
    | w2 | white   | G2    | 2026-03-31 |            | starts on the period end               |
    | w3 | white   | G1    | 2019-01-01 | 2025-04-01 | last day on the period start           |
    | m1 | asian   | G1    | 2021-01-01 | 2026-03-31 | last day on the period end             |
    | m2 | black   | G2    | 2018-01-01 |            | service blank                          |
    | m3 | black   | G2    | 2025-06-01 | 2025-12-31 | joins and leaves within the period     |
    | m4 | mixed   | G10   | 2022-01-01 |            |                                        |
    | u1 | unknown | G1    | 2020-01-01 |            |                                        |
    | x1 | other   | G2    | 2015-01-01 | 2024-12-31 | not in post in the period              |
    """
    workforce = pd.DataFrame({
        "staff_id": ["w1", "w2", "w3", "m1", "m2", "m3", "m4", "u1", "x1"],
        "ethnic_group": pd.array(["white", "white", "white", "asian", "black", "black",
                                  "mixed", "unknown", "other"], dtype="string"),
        "grade": ["G1", "G2", "G1", "G1", "G2", "G2", "G10", "G1", "G2"],
        "start_date": pd.to_datetime(["2020-01-01", "2026-03-31", "2019-01-01", "2021-01-01",
                                      "2018-01-01", "2025-06-01", "2022-01-01", "2020-01-01",
                                      "2015-01-01"]),
        "end_date": pd.to_datetime([NA, NA, "2025-04-01", "2026-03-31", NA, "2025-12-31", NA,
                                    NA, "2024-12-31"]),
        "registered_professional": [True, False, True, True, False, True, False, True, True],
        "senior_manager": [True, False, True, True, False, False, False, True, False],
        "staff_group": ["Clinical", "Clinical", "Support", "Clinical", "Support", "Support",
                        "Clinical", "Clinical", "Support"],
        "service": ["Adults", "Adults", "Children", "Children", NA, "Adults", "Adults",
                    "Adults", "Adults"],
    })
    disciplinary = pd.DataFrame({
        "case_id": ["d1", "d2", "d3", "d4", "d5", "d6", "d7"],
        "staff_id": ["w1", "w1", "m1", "m2", "x1", "m3", "w2"],
        "start_date": pd.to_datetime([
            "2025-05-01",  # w1
            "2025-11-01",  # w1 again: counts once
            "2026-03-31",  # m1, on the period end
            "2025-03-31",  # m2, the day before the period: outside
            "2025-05-01",  # x1, not in the population
            "2026-01-15",  # m3, after their own last day: counted, warned
            "2025-04-01",  # w2, on the period start, before their own start: counted, warned
        ]),
    })
    fitness_to_practise = pd.DataFrame({
        "referral_id": ["f1", "f2", "f3", "f4", "f5"],
        "staff_id": ["w1", "w1", "m2", "m1", "x1"],
        "referral_date": pd.to_datetime([
            "2025-06-01",  # w1
            "2025-09-01",  # w1 again
            "2025-07-01",  # m2 is not a registered professional: not in the population
            "2026-04-01",  # m1, the day after the period: outside
            "2025-05-01",  # x1, not in post: not in the population
        ]),
    })
    training = pd.DataFrame({
        "record_id": ["t1", "t2", "t3", "t4", "t5"],
        "staff_id": ["m1", "m1", "m4", "w1", "u1"],
        "date": pd.to_datetime(["2025-05-01", "2025-06-01", "2025-07-01", "2025-03-01",
                                "2025-08-01"]),
    })
    recruitment = pd.DataFrame({
        "application_id": [f"r{i}" for i in range(1, 10)],
        "ethnic_group": ["white", "white", "asian", "black", "white", "mixed", "unknown",
                         "black", "other"],
        "shortlisted": [True, True, True, True, True, False, True, True, True],
        "appointed": [True, False, True, False, True, False, True, True, False],
        "application_date": pd.to_datetime([
            "2025-05-01", "2025-06-01", "2025-07-01", "2025-08-01",
            "2025-03-31",  # r5: outside the period
            "2025-05-01",  # r6: not shortlisted
            "2025-09-01",
            "2026-03-31",  # r8: on the period end
            "2025-04-01",  # r9: on the period start
        ]),
        "vacancy_grade": ["G1", "G1", "G2", NA, "G1", "G1", "G1", "G2", "G2"],
    })
    survey = pd.DataFrame({
        "respondent_id": [f"s{i}" for i in range(1, 8)],
        "ethnic_group": ["white", "white", "asian", "black", "black", "unknown", "mixed"],
        "harassment_public": _bool([True, False, True, NA, True, True, False]),
        "harassment_colleagues": _bool([False, True, NA, NA, False, True, False]),
        "harassment_managers": _bool([NA, True, True, NA, False, NA, NA]),
        "equal_opportunities": _bool([True, False, True, NA, False, True, False]),
        "discrimination": _bool([False, NA, True, NA, True, False, False]),
        "grade": ["G1", "G2", "G1", "G1", "G2", "G1", NA],
    })
    board = pd.DataFrame({
        "member_id": ["b1", "b2", "b3", "b4"],
        "ethnic_group": ["white", "asian", "unknown", "black"],
        "voting": [True, True, False, True],
        "executive": [True, False, True, True],
    })
    return {"workforce": workforce, "disciplinary": disciplinary,
            "fitness_to_practise": fitness_to_practise, "training": training,
            "recruitment": recruitment, "survey": survey, "board": board}


def split_in_two(data: dict[str, pd.DataFrame], person_mask: np.ndarray,
           row_masks: dict[str, np.ndarray]) -> tuple[dict, dict]:
    """Two halves: workforce by person (their events go with them), other extracts by row."""
    halves: tuple[dict, dict] = ({}, {})
    wf = data["workforce"]
    mine = set(wf.loc[person_mask, "staff_id"])
    for name, frame in data.items():
        if "staff_id" in frame.columns:
            mask = frame["staff_id"].isin(mine).to_numpy()
        else:
            mask = row_masks[name]
        halves[0][name] = frame.loc[mask].reset_index(drop=True)
        halves[1][name] = frame.loc[~mask].reset_index(drop=True)
    return halves


# --------------------------------------------------------------------------- the CLI

runner = CliRunner()
WIDE = {"COLUMNS": "250", "NO_COLOR": "1"}


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=WIDE)
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- results

#: SOURCE_DATE_EPOCH of the computed sample: 2026-03-31T23:33:20Z.
EPOCH = "1775000000"
#: The ends of three overlapping rolling years of the sample; the last is its reporting
#: year (the config's period).
ROLLING_ENDS = ("2025-09-30", "2025-12-31", "2026-03-31")


def compute_sample_document(**options: Any) -> dict[str, Any]:
    """The sample council's results.json document, computed with ``options``
    (conftest.py's ``sample_doc`` is the one with the default options)."""
    from wres_cli.api import compute
    from wres_cli.io.writers import json_text
    from wres_cli.output import results_document

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return json.loads(json_text(results_document(compute(SAMPLE, **options))))


def result_row(indicator: str = "3", **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
    row.update(organisation="Testshire", period_start="2025-04-01", period_end="2026-03-31",
               standard="social-care", indicator=indicator, measure="relative_likelihood",
               breakdown="overall", level="all", group="minority", reference="white",
               suppressed=False)
    row.update(values)
    return row


def results_doc(*rows: dict[str, Any], threshold: int | None = 10,
              organisation: str = "Testshire") -> dict[str, Any]:
    return {
        "meta": {"schema_version": 1, "tool_version": "9.9", "generated_at":
                 "2026-04-02T09:00:00Z", "standard": "social-care",
                 "organisation": organisation,
                 "period": {"start": "2025-04-01", "end": "2026-03-31"}, "inputs": {},
                 "suppression_threshold": threshold, "chinese": "asian",
                 "labels": {"minority": "Minority ethnic", "white": "White"}},
        "data_quality": {"extracts": {}, "declaration_rate_by_grade": {}, "no_data": [],
                         "warnings": []},
        "results": list(rows),
    }
