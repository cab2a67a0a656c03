"""Shared fixtures: a small, hand-made HR-style data folder and ways to break it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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


@pytest.fixture
def hr_folder(tmp_path: Path) -> Callable[..., Path]:
    """Build the HR-style folder; keyword arguments replace a file's text (None drops it)."""

    def build(**files: str | bytes | None) -> Path:
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        contents: dict[str, str | bytes | None] = {
            "wres.toml": HR_CONFIG,
            "workforce.csv": HR_WORKFORCE,
            "recruitment.csv": HR_RECRUITMENT,
            "disciplinary.csv": HR_DISCIPLINARY,
        }
        contents.update({k.replace("__", "."): v for k, v in files.items()})
        for name, text in contents.items():
            if text is None:
                continue
            path = folder / name
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return folder

    return build
