# Regenerate the committed sample, from the repository root:
# python -c "from pathlib import Path; from wres_cli.sample import write_sample; write_sample(Path('sample_data/northmoor'))"  # noqa: E501
"""A synthetic council for trying ``wres`` out: "Northmoor Borough Council".

Everything here is invented: no person, name or record is real. The generator is
deterministic (same arguments, same bytes) and vectorised (numpy draws whole
arrays; the only Python loops run over categories such as staff groups, never
over people): 1.5 million staff are generated in a few seconds, and written as
CSV or Parquet in seconds more. xlsx goes cell by cell through openpyxl, so it
is the slow format, and one sheet stops at 1,048,576 rows.

The committed sample ``sample_data/northmoor/`` is regenerated with the command
in the comment at the top of this file (``tests/test_sample.py`` fails when the
committed files differ from what it writes).

Planted patterns, so the indicators have something to find (methodology.md):
appointment from shortlisting for minority ethnic applicants about 0.6 x White;
disciplinary about 1.6 x; CPD about 0.85 x; leaving about 1.17 x; minority
ethnic staff fewer in grades G10 and above; survey harassment and discrimination
higher and equal opportunities lower for minority ethnic respondents; a handful
of fitness-to-practise referrals (the minority count stays under 10, withheld).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from wres_cli.errors import UsageError
from wres_cli.io.writers import fixed_zip_times

ORGANISATION = "Northmoor Borough Council"
GRADES = ("G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G11", "G12", "Director")
SENIOR_GRADES = ("G12", "Director")
SERVICES = ("Adults", "Children", "Resources")
#: Census 2021, England and Wales (methodology.md section 4); sums to 1.000.
POPULATION = {"white": 0.817, "asian": 0.093, "black": 0.040, "mixed": 0.029, "other": 0.021}
FORMATS = ("csv", "xlsx", "parquet")
#: Below this the extracts are too thin to be worth generating (the CLI agrees).
MIN_STAFF = 50
SAMPLE_EXTRACTS = ("workforce", "recruitment", "disciplinary", "fitness_to_practise",
                   "training", "survey", "pay", "promotions", "programmes")

#: Broad groups as small integer codes in the generator's arrays.
_GROUPS = ("white", "asian", "black", "mixed", "other", "unknown")
_WHITE, _ASIAN, _BLACK, _MIXED, _OTHER, _UNKNOWN = range(6)
_MINORITY = (_ASIAN, _BLACK, _MIXED, _OTHER)

#: Category -> (broad group, weight within that group). Categories are drawn
#: first; the raw spelling is picked afterwards, so the two never disagree.
_CATEGORIES: dict[str, tuple[str, float]] = {
    "white_british": ("white", 0.86),
    "white_irish": ("white", 0.03),
    "white_roma": ("white", 0.01),
    "white_other": ("white", 0.10),
    "mixed_white_black_caribbean": ("mixed", 0.35),
    "mixed_white_black_african": ("mixed", 0.15),
    "mixed_white_asian": ("mixed", 0.30),
    "mixed_other": ("mixed", 0.20),
    "asian_indian": ("asian", 0.35),
    "asian_pakistani": ("asian", 0.30),
    "asian_bangladeshi": ("asian", 0.12),
    "asian_chinese": ("asian", 0.08),
    "asian_other": ("asian", 0.15),
    "black_caribbean": ("black", 0.30),
    "black_african": ("black", 0.60),
    "black_other": ("black", 0.10),
    "other_arab": ("other", 0.40),
    "other_any": ("other", 0.60),
    "unknown": ("unknown", 1.0),
}

#: Raw spellings per category, mixing NHS codes, NHS labels, ONS 2021 and 2011
#: headings and short forms, so the sample exercises the classifier. Only forms
#: the classifier is guaranteed to know are used. Chinese follows the default
#: ``[classification] chinese = "asian"``.
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "white_british": ("A", "White - British",
                      "White: English, Welsh, Scottish, Northern Irish or British",
                      "White British"),
    "white_irish": ("B", "White - Irish"),
    "white_roma": ("White: Roma",),
    "white_other": ("C", "White - Any other White background", "White Other",
                    "Any other White background"),
    "mixed_white_black_caribbean": ("D", "Mixed - White and Black Caribbean"),
    "mixed_white_black_african": ("E",),
    "mixed_white_asian": ("F", "Mixed or Multiple ethnic groups: White and Asian"),
    "mixed_other": ("G", "Other Mixed"),
    "asian_indian": ("H", "Asian or Asian British - Indian", "Indian"),
    "asian_pakistani": ("J", "Asian, Asian British or Asian Welsh: Pakistani"),
    "asian_bangladeshi": ("K", "Bangladeshi"),
    "asian_chinese": ("R", "Other Ethnic Groups - Chinese"),
    "asian_other": ("L",),
    "black_caribbean": ("M", "Black, Black British, Black Welsh, Caribbean or African: Caribbean"),
    "black_african": ("N", "Black or Black British - African", "Black African"),
    "black_other": ("P",),
    "other_arab": ("Other ethnic group: Arab",),
    "other_any": ("S", "Other Ethnic Groups - Any other ethnic group"),
    "unknown": ("Z", "99", "Not stated", "Prefer not to say", "Not known", "Unknown", ""),
}

_CAT_KEYS = tuple(_CATEGORIES)
_CAT_GROUP = np.array([_GROUPS.index(_CATEGORIES[k][0]) for k in _CAT_KEYS])
_SPELL_FLAT = tuple(s for k in _CAT_KEYS for s in _SPELLINGS[k])
_SPELL_COUNT = np.array([len(_SPELLINGS[k]) for k in _CAT_KEYS])
_SPELL_OFFSET = np.concatenate(([0], np.cumsum(_SPELL_COUNT)[:-1]))


@dataclass(frozen=True)
class _StaffGroup:
    name: str
    share: float
    services: tuple[float, float, float]  # Adults, Children, Resources
    registered: float  # chance of being a registered professional
    grades: Mapping[str, float]
    minority: float  # minority share among known ethnicity, before the grade factor
    minority_mix: tuple[float, float, float, float]  # asian, black, mixed, other


_STAFF_GROUPS = (
    _StaffGroup("Care and Support", 0.40, (0.75, 0.25, 0.0), 0.0,
                {"G2": 0.15, "G3": 0.30, "G4": 0.28, "G5": 0.17, "G6": 0.10},
                0.25, (0.28, 0.50, 0.12, 0.10)),
    _StaffGroup("Social Work", 0.21, (0.45, 0.55, 0.0), 1.0,
                {"G7": 0.15, "G8": 0.35, "G9": 0.30, "G10": 0.12, "G11": 0.08},
                0.20, (0.40, 0.38, 0.12, 0.10)),
    _StaffGroup("Occupational Therapy", 0.05, (0.85, 0.15, 0.0), 1.0,
                {"G7": 0.20, "G8": 0.40, "G9": 0.30, "G10": 0.10},
                0.16, (0.45, 0.30, 0.15, 0.10)),
    _StaffGroup("Nursing", 0.02, (0.90, 0.10, 0.0), 0.85,
                {"G6": 0.15, "G7": 0.35, "G8": 0.35, "G9": 0.15},
                0.30, (0.40, 0.40, 0.10, 0.10)),
    _StaffGroup("Business Support", 0.28, (0.20, 0.20, 0.60), 0.0,
                {"G1": 0.08, "G2": 0.15, "G3": 0.22, "G4": 0.20, "G5": 0.14, "G6": 0.09,
                 "G7": 0.06, "G8": 0.04, "G9": 0.02},
                0.13, (0.45, 0.30, 0.15, 0.10)),
    _StaffGroup("Management", 0.04, (0.35, 0.35, 0.30), 0.30,
                {"G9": 0.15, "G10": 0.28, "G11": 0.28, "G12": 0.22, "Director": 0.07},
                0.12, (0.45, 0.30, 0.15, 0.10)),
)
_STAFF_GROUP_NAMES = tuple(g.name for g in _STAFF_GROUPS)

#: Minority ethnic staff are scarcer higher up (the pattern indicator 1 shows).
_GRADE_MINORITY_FACTOR = dict.fromkeys(GRADES, 1.0) | {
    "G10": 0.75, "G11": 0.6, "G12": 0.5, "Director": 0.4}

_COURSES = (
    "Motivational Interviewing", "Practice Educator Stage 1", "Best Interests Assessor",
    "Approved Mental Health Professional", "Trauma-Informed Practice",
    "Level 3 Diploma in Adult Care", "Systemic Practice Foundation",
    "Leadership Essentials", "Coaching Skills for Managers", "Strengths-Based Practice",
    "Moving and Handling Train the Trainer", "Data Skills with Excel",
)

_SURVEY_QUESTIONS = ("harassment_public", "harassment_colleagues", "harassment_managers",
                     "equal_opportunities", "discrimination")
#: Chance of "yes" among those who answered: (White, minority, unknown).
_SURVEY_YES = {
    "harassment_public": (0.27, 0.35, 0.31),
    "harassment_colleagues": (0.15, 0.22, 0.19),
    "harassment_managers": (0.08, 0.13, 0.11),
    "equal_opportunities": (0.58, 0.45, 0.50),
    "discrimination": (0.05, 0.13, 0.10),
}

#: HR-system headers: canonical column -> header in the export (and in wres.toml).
HEADERS: dict[str, dict[str, str]] = {
    "workforce": {
        "staff_id": "Employee Number", "ethnicity": "Ethnic Origin", "grade": "Grade",
        "start_date": "Start Date", "end_date": "Leaving Date", "staff_group": "Staff Group",
        "service": "Service Area", "registered_professional": "Registered Professional",
        "senior_manager": "Senior Manager"},
    "recruitment": {
        "application_id": "Applicant Ref", "ethnicity": "Ethnic Group",
        "shortlisted": "Shortlisted", "appointed": "Appointed",
        "application_date": "Date Applied", "vacancy_grade": "Vacancy Grade",
        "staff_group": "Job Family", "service": "Directorate"},
    "disciplinary": {
        "case_id": "Case Ref", "staff_id": "Employee Number", "start_date": "Case Opened"},
    "fitness_to_practise": {
        "referral_id": "Referral Ref", "staff_id": "Employee Number",
        "referral_date": "Date Referred"},
    "training": {
        "record_id": "Training Record ID", "staff_id": "Employee No", "date": "Course Date",
        "course": "Course Title"},
    "survey": {
        "respondent_id": "Response ID", "ethnicity": "Q30 Ethnic Background",
        "harassment_public": "Q13a Harassment - Public",
        "harassment_colleagues": "Q13b Harassment - Colleagues",
        "harassment_managers": "Q13c Harassment - Managers",
        "equal_opportunities": "Q14 Equal Opportunities",
        "discrimination": "Q15 Discrimination", "grade": "Pay Grade",
        "staff_group": "Occupation Group", "service": "Service"},
    "pay": {
        "staff_id": "Employee Number", "hourly_pay": "Hourly Rate",
        "bonus_pay": "Bonus Paid", "full_pay": "Full Pay"},
    "promotions": {
        "promotion_id": "Change Ref", "staff_id": "Employee Number", "date": "Effective Date",
        "to_grade": "New Grade"},
    "programmes": {
        "place_id": "Place Ref", "staff_id": "Employee Number", "programme": "Programme",
        "start_date": "Start Date", "role": "Role"},
}

#: The survey's own questions read by examples/local-indicators (methodology
#: section 8). Their headers are the canonical names, so the sample's wres.toml
#: need not map them, and it works with or without ``[indicators] local``.
LOCAL_SURVEY_QUESTIONS = ("psych_safety", "included")
#: "I feel safe to speak up": the five-point scale, and the chance of each answer
#: among those who answered, (White, minority, unknown).
PSYCH_SAFETY_SCALE = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                      "Strongly agree")
_PSYCH_SAFETY_P = {
    "white": (0.05, 0.10, 0.20, 0.45, 0.20),
    "minority": (0.08, 0.17, 0.23, 0.38, 0.14),
    "unknown": (0.07, 0.13, 0.22, 0.42, 0.16),
}
#: "I feel included in my team": chance of yes, (White, minority, unknown).
_INCLUDED_YES = (0.78, 0.66, 0.72)
#: Programmes the sample's staff start; the first two are leadership development.
PROGRAMMES = ("Leadership Programme", "BALI", "Reverse Mentoring", "Aspiring Managers",
              "Coaching Circle")
#: The local measures' records come from a random stream of their own (seed, this
#: number), so adding them left every other extract's existing columns as they were.
_LOCAL_STREAM = 11

#: How each export spells booleans (real systems differ from one to another).
_BOOL_TEXT = {"workforce": ("Y", "N"), "recruitment": ("Yes", "No"), "survey": ("Yes", "No"),
              "pay": ("Y", "N")}

#: Rows on one Excel sheet, header included.
_EXCEL_MAX_ROWS = 1_048_576

#: A fixed timestamp for xlsx metadata and zip entries, so bytes never change.
_FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- dates

def period_start_for(period_end: date) -> date:
    """The first day of the 12 months ending on ``period_end``."""
    return (pd.Timestamp(period_end) - pd.DateOffset(years=1) + pd.Timedelta(days=1)).date()


def _day(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def _to_datetime(days: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    """Day numbers -> datetime64[us] (pandas' own default unit), NaT where absent."""
    out = days.astype("datetime64[D]").astype("datetime64[us]")
    if present is not None:
        out = np.where(present, out, np.datetime64("NaT", "us"))
    return out


def _uniform_days(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A uniform day in [lo, hi] for each row (hi >= lo)."""
    return lo + np.floor(rng.random(len(lo)) * (hi - lo + 1)).astype(np.int64)


# --------------------------------------------------------------------------- draws

def _text(options: Sequence[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``options[codes]`` as a pandas ``str`` array, built in Arrow: turning
    millions of Python strings into a column is the slow part otherwise."""
    return pd.array(pa.array(list(options), pa.string()).take(pa.array(codes)), dtype="str")


def _id_numbers(rng: np.random.Generator, n: int) -> tuple[np.ndarray, int]:
    """``n`` distinct, non-sequential id numbers, ascending, and the digit width
    that leaves room for them (at least 6: ``EMP-004213``)."""
    width = max(6, len(str(4 * n)))
    return np.sort(rng.choice(10**width - 1, size=n, replace=False) + 1), width


def _id_text(prefix: str, numbers: np.ndarray, width: int) -> pd.api.extensions.ExtensionArray:
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    return pd.array(pc.binary_join_element_wise(f"{prefix}-", digits, ""), dtype="str")


def _spell(rng: np.random.Generator, category: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """One raw spelling per row, uniformly among its category's spellings."""
    pick = np.floor(rng.random(len(category)) * _SPELL_COUNT[category]).astype(np.int64)
    return _text(_SPELL_FLAT, _SPELL_OFFSET[category] + pick)


def _categories(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """A category for each row, given its broad group."""
    category = np.empty(len(group), dtype=np.int64)
    for g, name in enumerate(_GROUPS):
        rows = np.flatnonzero(group == g)
        keys = [i for i, k in enumerate(_CAT_KEYS) if _CATEGORIES[k][0] == name]
        weights = np.array([_CATEGORIES[_CAT_KEYS[i]][1] for i in keys])
        category[rows] = np.array(keys)[rng.choice(len(keys), size=len(rows),
                                                   p=weights / weights.sum())]
    return category


def _broad_groups(rng: np.random.Generator, p_minority: np.ndarray, p_unknown: float,
                  mix: np.ndarray) -> np.ndarray:
    """White / a minority group / unknown per row; ``mix`` is each row's
    (asian, black, mixed, other) split of minority."""
    u = rng.random(len(p_minority))
    group = np.full(len(u), _WHITE)
    group[u < p_unknown + (1 - p_unknown) * p_minority] = -1  # minority, split below
    group[u < p_unknown] = _UNKNOWN
    minority = np.flatnonzero(group == -1)
    cum = np.cumsum(mix[minority], axis=1)
    which = (rng.random(len(minority))[:, None] > cum[:, :-1]).sum(axis=1)
    group[minority] = np.array(_MINORITY)[which]
    return group


def _exact_share(rng: np.random.Generator, group: np.ndarray, eligible: np.ndarray,
                 p_by_group: Mapping[int, float]) -> np.ndarray:
    """Indices of exactly round(p x eligible) rows of each broad group, so the
    rates the sample shows are the planted ones rather than one seed's luck."""
    chosen = []
    for g in range(len(_GROUPS)):
        pool = np.flatnonzero(eligible & (group == g))
        chosen.append(rng.choice(pool, size=round(p_by_group[g] * len(pool)), replace=False))
    return np.sort(np.concatenate(chosen))


def _by_side(white: float, minority: float, unknown: float) -> dict[int, float]:
    """The same chance for every minority broad group."""
    return {_WHITE: white, _UNKNOWN: unknown, **dict.fromkeys(_MINORITY, minority)}


def _by_staff_group(rng: np.random.Generator, sg: np.ndarray, options: Sequence[str],
                    weights_of: Callable[[_StaffGroup], Mapping[str, float]]) -> np.ndarray:
    """Draw one of ``options`` per row with weights that depend on the staff group."""
    out = np.empty(len(sg), dtype=np.int64)
    for i, group in enumerate(_STAFF_GROUPS):
        rows = np.flatnonzero(sg == i)
        w = np.array([weights_of(group).get(o, 0.0) for o in options])
        out[rows] = rng.choice(len(options), size=len(rows), p=w / w.sum())
    return out


def _draw_staff_groups(rng: np.random.Generator, n: int) -> np.ndarray:
    shares = np.array([g.share for g in _STAFF_GROUPS])
    return rng.choice(len(_STAFF_GROUPS), size=n, p=shares / shares.sum())


def _draw_grades(rng: np.random.Generator, sg: np.ndarray) -> np.ndarray:
    return _by_staff_group(rng, sg, GRADES, lambda g: g.grades)


def _draw_services(rng: np.random.Generator, sg: np.ndarray) -> np.ndarray:
    return _by_staff_group(rng, sg, SERVICES,
                           lambda g: dict(zip(SERVICES, g.services, strict=True)))


# --------------------------------------------------------------------------- workforce

@dataclass
class _Staff:
    """The generator's view of the workforce: arrays, one element per person,
    in employee-number order."""

    number: np.ndarray  # employee number (ascending)
    width: int  # digits in the employee number
    group: np.ndarray  # broad group code
    category: np.ndarray
    sg: np.ndarray
    grade: np.ndarray
    service: np.ndarray
    registered: np.ndarray
    start: np.ndarray  # day number
    end: np.ndarray  # day number, meaningful where has_end
    has_end: np.ndarray

    def ids(self, people: np.ndarray | slice = slice(None)) -> pd.api.extensions.ExtensionArray:
        return _id_text("EMP", self.number[people], self.width)

    def in_post_during(self, ps: int, pe: int) -> np.ndarray:
        return (self.start <= pe) & (~self.has_end | (self.end >= ps))

    def window(self, ps: int, pe: int) -> tuple[np.ndarray, np.ndarray]:
        """First and last day of each person's employment inside the period."""
        lo = np.maximum(self.start, ps)
        hi = np.where(self.has_end, np.minimum(self.end, pe), pe)
        return lo, hi


def _staff_ethnicity(rng: np.random.Generator, sg: np.ndarray,
                     grade: np.ndarray) -> np.ndarray:
    base = np.array([g.minority for g in _STAFF_GROUPS])[sg]
    factor = np.array([_GRADE_MINORITY_FACTOR[g] for g in GRADES])[grade]
    mix = np.array([g.minority_mix for g in _STAFF_GROUPS])[sg]
    return _broad_groups(rng, base * factor, 0.05, mix)


def _employment_dates(rng: np.random.Generator, group: np.ndarray, ps: int,
                      pe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end days: long-serving staff, starters in the period, leavers
    (minority a little more likely to leave), and ~1% who left before the period
    (real exports contain them; wres leaves them out)."""
    n = len(group)
    kind = rng.random(n)
    before = kind < 0.01
    starter = ~before & (kind < 0.09)
    tenure = rng.exponential(2600, n)
    # Nobody has served more than 40 years: redraw the long tail evenly.
    tenure = np.where(tenure > 40 * 365, rng.random(n) * 40 * 365, tenure)
    start = ps - 1 - tenure.astype(np.int64)
    start[starter] = _uniform_days(rng, np.full(starter.sum(), ps), np.full(starter.sum(), pe))
    leaver = np.zeros(n, dtype=bool)
    leaver[_exact_share(rng, group, ~before, _by_side(0.115, 0.135, 0.115))] = True
    end = np.zeros(n, dtype=np.int64)
    end[leaver] = _uniform_days(rng, np.maximum(start[leaver], ps), np.full(leaver.sum(), pe))
    end[before] = ps - 1 - rng.integers(0, 730, before.sum())
    start[before] = np.minimum(start[before], end[before])
    _plant_boundary_dates(rng, start, end, leaver, starter, ps, pe)
    return start, end, leaver | before


def _plant_boundary_dates(rng: np.random.Generator, start: np.ndarray, end: np.ndarray,
                          leaver: np.ndarray, starter: np.ndarray, ps: int, pe: int) -> None:
    """Edge cases the counting must get right: a leaver whose last day is the
    period start, one whose last day is the period end, and a few people who
    start on the period end date."""
    stayers = np.flatnonzero(leaver & ~starter)
    if len(stayers) >= 2:  # always, bar a freak draw in a tiny council
        first, last = rng.choice(stayers, size=2, replace=False)
        end[first], end[last] = ps, pe
    joiners = np.flatnonzero(starter & ~leaver)
    few = rng.choice(joiners, size=min(len(joiners), max(3, len(start) // 1500)), replace=False)
    start[few] = pe


def _make_staff(rng: np.random.Generator, n: int, ps: int, pe: int) -> _Staff:
    sg = _draw_staff_groups(rng, n)
    grade = _draw_grades(rng, sg)
    service = _draw_services(rng, sg)
    registered = rng.random(n) < np.array([g.registered for g in _STAFF_GROUPS])[sg]
    group = _staff_ethnicity(rng, sg, grade)
    category = _categories(rng, group)
    start, end, has_end = _employment_dates(rng, group, ps, pe)
    # Employee numbers rise with start date, as HR systems hand them out; the
    # arrays are put in that order so the extract comes out sorted.
    o = np.argsort(start, kind="stable")
    number, width = _id_numbers(rng, n)
    return _Staff(number, width, group[o], category[o], sg[o], grade[o], service[o],
                  registered[o], start[o], end[o], has_end[o])


def _workforce_frame(rng: np.random.Generator, staff: _Staff) -> pd.DataFrame:
    return pd.DataFrame({
        "staff_id": staff.ids(),
        "ethnicity": _spell(rng, staff.category),
        "grade": _text(GRADES, staff.grade),
        "start_date": _to_datetime(staff.start),
        "end_date": _to_datetime(staff.end, staff.has_end),
        "staff_group": _text(_STAFF_GROUP_NAMES, staff.sg),
        "service": _text(SERVICES, staff.service),
        "registered_professional": staff.registered,
        "senior_manager": np.isin(staff.grade, [GRADES.index(g) for g in SENIOR_GRADES]),
    })


# --------------------------------------------------------------------------- events

def _event_frame(rng: np.random.Generator, prefix: str, columns: tuple[str, str, str],
                 staff: _Staff, who: np.ndarray, days: np.ndarray) -> pd.DataFrame:
    """An event extract in date order, its ids ascending (handed out as
    events were logged)."""
    o = np.argsort(days, kind="stable")
    number, width = _id_numbers(rng, len(days))
    id_col, staff_col, date_col = columns
    return pd.DataFrame({id_col: _id_text(prefix, number, width),
                         staff_col: staff.ids(who[o]), date_col: _to_datetime(days[o])})


def _people_with_events(rng: np.random.Generator, staff: _Staff, eligible: np.ndarray,
                        p_by_group: Mapping[int, float]) -> np.ndarray:
    """Indices of eligible people who have at least one event."""
    return _exact_share(rng, staff.group, eligible, p_by_group)


def _dates_in_window(rng: np.random.Generator, staff: _Staff, people: np.ndarray, ps: int,
                     pe: int) -> np.ndarray:
    lo, hi = staff.window(ps, pe)
    return _uniform_days(rng, lo[people], hi[people])


def _outside_period(rng: np.random.Generator, staff: _Staff, count: int, ps: int,
                    pe: int) -> tuple[np.ndarray, np.ndarray]:
    """A few events dated outside the period (the year before, or the first
    fortnight after), for people employed then; wres must leave them out."""
    before = np.flatnonzero(staff.start <= ps - 365)
    after = np.flatnonzero(~staff.has_end & (staff.start <= pe))
    n_after = count // 3
    people = np.concatenate((rng.choice(before, count - n_after), rng.choice(after, n_after)))
    days = np.concatenate((ps - 1 - rng.integers(0, 365, count - n_after),
                           pe + 1 + rng.integers(0, 14, n_after)))
    return people, days


def _events(rng: np.random.Generator, staff: _Staff, people: np.ndarray, extra_mean: float,
            outside_share: float, ps: int, pe: int) -> tuple[np.ndarray, np.ndarray]:
    """Events for ``people`` in the period (1 + Poisson(extra_mean) each), plus
    a share of events dated outside the period. Returns (person index, day)."""
    repeat = 1 + rng.poisson(extra_mean, len(people))
    who = np.repeat(people, repeat)
    days = _dates_in_window(rng, staff, who, ps, pe)
    out_people, out_days = _outside_period(rng, staff, round(len(who) * outside_share), ps, pe)
    return np.concatenate((who, out_people)), np.concatenate((days, out_days))


def _disciplinary(rng: np.random.Generator, staff: _Staff, ps: int, pe: int) -> pd.DataFrame:
    eligible = staff.in_post_during(ps, pe)
    people = _people_with_events(rng, staff, eligible, {
        _WHITE: 0.025, _ASIAN: 0.04, _BLACK: 0.042, _MIXED: 0.04, _OTHER: 0.04,
        _UNKNOWN: 0.03})
    who, days = _events(rng, staff, people, 0.06, 0.05, ps, pe)
    return _event_frame(rng, "DIS", ("case_id", "staff_id", "start_date"), staff, who, days)


def _fitness_to_practise(rng: np.random.Generator, staff: _Staff, ps: int,
                         pe: int) -> pd.DataFrame:
    """A handful of referrals: rare, as in real councils, so the minority count
    stays small and the published figure is withheld."""
    eligible = staff.in_post_during(ps, pe) & staff.registered
    people = _people_with_events(rng, staff, eligible, _by_side(0.005, 0.012, 0.005))
    days = _dates_in_window(rng, staff, people, ps, pe)
    return _event_frame(rng, "FTP", ("referral_id", "staff_id", "referral_date"), staff,
                        people, days)


def _training(rng: np.random.Generator, staff: _Staff, ps: int, pe: int) -> pd.DataFrame:
    eligible = staff.in_post_during(ps, pe)
    people = _people_with_events(rng, staff, eligible, {
        _WHITE: 0.42, _ASIAN: 0.36, _BLACK: 0.35, _MIXED: 0.37, _OTHER: 0.36,
        _UNKNOWN: 0.40})
    who, days = _events(rng, staff, people, 0.6, 0.03, ps, pe)
    frame = _event_frame(rng, "CPD", ("record_id", "staff_id", "date"), staff, who, days)
    frame["course"] = _text(_COURSES, rng.integers(0, len(_COURSES), len(frame)))
    return frame


# --------------------------------------------------------------------------- recruitment

def _recruitment(rng: np.random.Generator, n_staff: int, ps: int, pe: int) -> pd.DataFrame:
    """Applications in date order: a more diverse pool than the workforce;
    minority ethnic applicants shortlisted a little less and appointed from
    shortlisting about 0.6 x as often as White applicants."""
    n = round(n_staff * 0.75)
    days = _uniform_days(rng, np.full(n, ps), np.full(n, pe))
    late = rng.random(n) < 0.04  # applications to vacancies advertised before the period
    days[late] = ps - 1 - rng.integers(0, 60, late.sum())
    days = np.sort(days)
    sg = _draw_staff_groups(rng, n)
    grade = np.minimum(_draw_grades(rng, sg), GRADES.index("G12"))  # no Director vacancies
    group = _broad_groups(rng, np.full(n, 0.32), 0.06, np.tile([0.40, 0.35, 0.14, 0.11], (n, 1)))
    shortlisted = np.zeros(n, dtype=bool)
    shortlisted[_exact_share(rng, group, np.ones(n, bool), _by_side(0.36, 0.33, 0.35))] = True
    appointed = np.zeros(n, dtype=bool)
    appointed[_exact_share(rng, group, shortlisted, _by_side(0.30, 0.18, 0.25))] = True
    number, width = _id_numbers(rng, n)
    return pd.DataFrame({
        "application_id": _id_text("APP", number, width),
        "ethnicity": _spell(rng, _categories(rng, group)),
        "shortlisted": shortlisted,
        "appointed": appointed,
        "application_date": _to_datetime(days),
        "vacancy_grade": _text(GRADES, grade),
        "staff_group": _text(_STAFF_GROUP_NAMES, sg),
        "service": _text(SERVICES, _draw_services(rng, sg)),
    })


# --------------------------------------------------------------------------- survey

def _survey(rng: np.random.Generator, staff: _Staff, ps: int,
            pe: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Anonymous respondents (their own ids, in random order) among staff in
    post in the period; some withhold their ethnicity on the survey; each
    question ~5% blank. Also returns each respondent's broad group code."""
    eligible = staff.in_post_during(ps, pe)
    p = np.where(np.isin(staff.group, _MINORITY), 0.48, 0.51)
    people = rng.permutation(np.flatnonzero(eligible & (rng.random(len(p)) < p)))
    category = staff.category[people]
    category[rng.random(len(people)) < 0.03] = _CAT_KEYS.index("unknown")
    number, width = _id_numbers(rng, len(people))
    frame = pd.DataFrame({"respondent_id": _id_text("SRV", number, width),
                          "ethnicity": _spell(rng, category)})
    for question in _SURVEY_QUESTIONS:
        frame[question] = _answers(rng, _CAT_GROUP[category], _SURVEY_YES[question])
    frame["grade"] = _text(GRADES, staff.grade[people])
    frame["staff_group"] = _text(_STAFF_GROUP_NAMES, staff.sg[people])
    frame["service"] = _text(SERVICES, staff.service[people])
    return frame, _CAT_GROUP[category]


def _local_survey_answers(rng: np.random.Generator, survey: pd.DataFrame,
                          group: np.ndarray) -> pd.DataFrame:
    """The survey's own questions (methodology section 8), ~5 % blank each:
    psych_safety on a five-point agreement scale, with some answers in other
    capitals or spacing (matched ignoring case and spaces), and included yes/no."""
    side = np.where(group == _WHITE, 0, np.where(group == _UNKNOWN, 2, 1))
    u = rng.random(len(group))
    answer = np.zeros(len(group), dtype=np.int64)
    for s, name in enumerate(("white", "minority", "unknown")):
        rows = side == s
        cum = np.cumsum(_PSYCH_SAFETY_P[name])[:-1]
        answer[rows] = (u[rows][:, None] > cum).sum(axis=1)
    text = np.array(PSYCH_SAFETY_SCALE, dtype=object)[answer]
    odd = rng.random(len(group)) < 0.03
    text[odd] = np.array([t.upper() if i % 2 else f" {t.lower()} "
                          for i, t in enumerate(text[odd])], dtype=object)
    text[rng.random(len(group)) < 0.05] = ""
    out = survey.copy()
    out["psych_safety"] = pd.array(list(text), dtype="str")
    out["included"] = _answers(rng, group, _INCLUDED_YES)
    return out


def _promotions(rng: np.random.Generator, staff: _Staff, ps: int, pe: int) -> pd.DataFrame:
    """Moves to the next grade, in date order: White staff about 7 %, minority
    ethnic staff about 4 % a year (the pilot's "half as likely" pattern, softened);
    nobody is promoted beyond Director; a few moves dated before the period."""
    eligible = staff.in_post_during(ps, pe) & (staff.grade < len(GRADES) - 1)
    people = _people_with_events(rng, staff, eligible, _by_side(0.07, 0.04, 0.05))
    who, days = _events(rng, staff, people, 0.0, 0.05, ps, pe)
    frame = _event_frame(rng, "PRM", ("promotion_id", "staff_id", "date"), staff, who, days)
    o = np.argsort(days, kind="stable")
    frame["to_grade"] = _text(GRADES, np.minimum(staff.grade[who[o]] + 1, len(GRADES) - 1))
    return frame


def _programmes(rng: np.random.Generator, staff: _Staff, ps: int, pe: int) -> pd.DataFrame:
    """Places on development programmes, in date order: leadership programmes
    (BALI only for minority ethnic staff), reverse mentoring (minority ethnic
    mentors, senior mentees), and others that no example counts."""
    eligible = staff.in_post_during(ps, pe)
    minority = np.isin(staff.group, _MINORITY)
    parts: list[tuple[np.ndarray, int, str]] = []
    lead = _people_with_events(rng, staff, eligible, _by_side(0.030, 0.024, 0.025))
    bali = minority[lead] & (rng.random(len(lead)) < 0.3)
    parts += [(lead[~bali], 0, "participant"), (lead[bali], 1, "participant")]
    mentors = _people_with_events(rng, staff, eligible & (staff.grade < GRADES.index("G10")),
                                  _by_side(0.004, 0.022, 0.006))
    mentees = _people_with_events(rng, staff, eligible & (staff.grade >= GRADES.index("G11")),
                                  _by_side(0.25, 0.25, 0.25))
    parts += [(mentors, 2, "mentor"), (mentees, 2, "mentee")]
    other = _people_with_events(rng, staff, eligible, _by_side(0.05, 0.05, 0.05))
    kind = rng.integers(3, len(PROGRAMMES), len(other))
    who = np.concatenate([p for p, _, _ in parts] + [other])
    programme = np.concatenate([np.full(len(p), k) for p, k, _ in parts] + [kind])
    role = np.concatenate([np.full(len(p), r, dtype=object) for p, _, r in parts]
                          + [np.full(len(other), "participant", dtype=object)])
    days = _dates_in_window(rng, staff, who, ps, pe)
    frame = _event_frame(rng, "PLC", ("place_id", "staff_id", "start_date"), staff, who, days)
    o = np.argsort(days, kind="stable")
    names = np.array(PROGRAMMES, dtype=object)[programme[o]]
    # Some systems write the same programme in other capitals or spacing.
    odd = rng.random(len(names)) < 0.05
    names[odd] = [f"{n.upper()} " for n in names[odd]]
    frame.insert(2, "programme", pd.array(list(names), dtype="str"))
    frame["role"] = pd.array(list(role[o]), dtype="str")
    return frame


def _answers(rng: np.random.Generator, group: np.ndarray,
             p_yes: tuple[float, float, float]) -> pd.arrays.BooleanArray:
    """~5% blank (not answered); of the rest, the planted share says yes."""
    blank = rng.random(len(group)) < 0.05
    yes = np.zeros(len(group), dtype=bool)
    yes[_exact_share(rng, group, ~blank, _by_side(*p_yes))] = True
    return pd.arrays.BooleanArray(yes, blank)


# --------------------------------------------------------------------------- pay

#: Hourly rate (GBP) of the first pay point of each grade; each grade has four
#: points, 2.5 % apart, reached after 0, 2, 4 and 6 years' service.
_GRADE_BASE_RATE = (12.21, 12.85, 13.62, 14.54, 15.63, 16.98, 18.55, 20.41, 22.66, 25.38,
                    28.68, 32.70, 41.86)
_POINTS, _POINT_STEP, _YEARS_PER_POINT = 4, 0.025, 2
#: Pay records are drawn from a stream of their own (seed, this number), so adding
#: them left every other extract of a given seed byte for byte as it was.
_PAY_STREAM = 7


def _pay(seed: int, staff: _Staff, ps: int, pe: int) -> pd.DataFrame:
    """Pay on the snapshot date (the period end) for everyone in post then, plus a
    few leavers' last pay records (wres leaves them out). Pay points, so many
    people share a rate and quartile cuts fall inside runs of equal pay. About 2 %
    on reduced pay for leave (``full_pay`` no); about 6 % had a bonus (a
    recognition award), minority ethnic staff a little less often."""
    rng = np.random.default_rng([seed, _PAY_STREAM])
    in_post = (staff.start <= pe) & (~staff.has_end | (staff.end >= pe))
    left = np.flatnonzero(staff.has_end & (staff.end >= ps) & (staff.end < pe))
    people = np.sort(np.concatenate([np.flatnonzero(in_post),
                                     rng.choice(left, size=min(len(left), 12), replace=False)]))
    years = np.maximum(pe - staff.start[people], 0) // 365
    point = np.minimum(years // _YEARS_PER_POINT, _POINTS - 1)
    base = np.array(_GRADE_BASE_RATE)[staff.grade[people]]
    hourly = np.round(base * (1 + _POINT_STEP) ** point, 2)
    reduced = rng.random(len(people)) < 0.02
    p_bonus = np.where(np.isin(staff.group[people], _MINORITY), 0.045, 0.065)
    awarded = rng.random(len(people)) < p_bonus
    amount = np.array([250.0, 500.0, 1000.0])[rng.choice(3, size=len(people), p=[0.5, 0.35,
                                                                                  0.15])]
    return pd.DataFrame({
        "staff_id": staff.ids(people),
        "hourly_pay": pd.array([f"{v:.2f}" for v in hourly], dtype="str"),
        "bonus_pay": pd.array([f"{v:.2f}" if a else "" for v, a in
                               zip(amount, awarded, strict=True)], dtype="str"),
        "full_pay": ~reduced,
    })


# --------------------------------------------------------------------------- public API

def generate_council(*, staff: int = 4000, seed: int = 2026,
                     period_end: date = date(2026, 3, 31)) -> dict[str, pd.DataFrame]:
    """The sample council's extracts as canonical-column frames (text as
    ``str``, dates as datetime64, flags as bool; survey answers as nullable
    boolean, NA = not answered). ``staff`` is the number of rows in ``workforce``."""
    if staff < MIN_STAFF:
        raise UsageError(f"--staff must be at least {MIN_STAFF} (got {staff})")
    rng = np.random.default_rng(seed)
    ps, pe = _day(period_start_for(period_end)), _day(period_end)
    people = _make_staff(rng, staff, ps, pe)
    frames = {
        "workforce": _workforce_frame(rng, people),
        "recruitment": _recruitment(rng, staff, ps, pe),
        "disciplinary": _disciplinary(rng, people, ps, pe),
        "fitness_to_practise": _fitness_to_practise(rng, people, ps, pe),
        "training": _training(rng, people, ps, pe),
    }
    survey, respondents = _survey(rng, people, ps, pe)
    local = np.random.default_rng([seed, _LOCAL_STREAM])
    frames["survey"] = _local_survey_answers(local, survey, respondents)
    frames["pay"] = _pay(seed, people, ps, pe)
    frames["promotions"] = _promotions(local, people, ps, pe)
    frames["programmes"] = _programmes(local, people, ps, pe)
    return frames


def write_sample(out_dir: Path, *, staff: int = 4000, seed: int = 2026, fmt: str = "csv",
                 period_end: date = date(2026, 3, 31)) -> list[Path]:
    """Write the sample council to ``out_dir`` as ``<extract>.<fmt>`` files with
    HR-system headers, plus a ``wres.toml`` that maps them. Same arguments give
    byte-identical files. Returns the paths written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    _refuse_other_formats(out_dir, fmt)
    frames = generate_council(staff=staff, seed=seed, period_end=period_end)
    if fmt == "xlsx":
        _check_fits_excel(frames)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        path = out_dir / f"{name}.{fmt}"
        _WRITERS[fmt](_arrow_table(frame.rename(columns=HEADERS[name])), path, name)
        written.append(path)
    config = out_dir / "wres.toml"
    config.write_text(sample_config(period_end), encoding="utf-8", newline="\n")
    return [*written, config]


def _check_fits_excel(frames: Mapping[str, pd.DataFrame]) -> None:
    too_long = [name for name, frame in frames.items() if len(frame) >= _EXCEL_MAX_ROWS]
    if too_long:
        raise UsageError(f"{', '.join(too_long)} would not fit on one Excel sheet "
                         f"({_EXCEL_MAX_ROWS:,} rows including the header): use csv or parquet")


def _refuse_other_formats(out_dir: Path, fmt: str) -> None:
    """Writing workforce.csv next to an old workforce.xlsx would leave a folder
    wres rejects (two files for one extract), and deleting a user's file is not
    ours to do: say so instead."""
    if not out_dir.is_dir():
        return
    others = {f".{f}" for f in FORMATS if f != fmt}
    clashes = sorted(p.name for p in out_dir.iterdir()
                     if p.stem.lower() in SAMPLE_EXTRACTS and p.suffix.lower() in others)
    if clashes:
        raise UsageError(f"{out_dir} already holds {', '.join(clashes)}; writing .{fmt} files "
                         "beside them would give two files for one extract. Use an empty "
                         "folder or remove them.")


# --------------------------------------------------------------------------- writing

def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The export as Arrow: date32 dates, bool flags (null = not answered),
    blank text as null, and no pandas metadata."""
    columns = {}
    for col in frame.columns:
        array = pa.array(frame[col])
        if pa.types.is_timestamp(array.type):
            array = array.cast(pa.date32())
        elif pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            array = array.cast(pa.string())
            array = pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)
        columns[col] = array
    return pa.table(columns)


def _as_text(name: str, array: pa.Array) -> pa.Array:
    """A column as this system writes it in a text export: DD/MM/YYYY dates,
    its own spelling of yes and no."""
    if pa.types.is_date(array.type):
        # Format each distinct day once: strftime over millions of rows is slow.
        days = pc.dictionary_encode(array)
        return pc.strftime(days.dictionary, format="%d/%m/%Y").take(days.indices)
    if pa.types.is_boolean(array.type):
        yes, no = _BOOL_TEXT[name]
        return pc.if_else(array, yes, no)
    return array


def _csv_field(array: pa.Array) -> pa.Array:
    """Quote a field only when it needs it (comma, quote, line break), as
    spreadsheet software does; null is an empty field. Done once per distinct
    value: most columns hold a few values repeated millions of times."""
    encoded = pc.dictionary_encode(pc.fill_null(array, ""))
    text = encoded.dictionary
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(text, '[",\r\n]'), quoted, text).take(
        encoded.indices)


def _write_csv(table: pa.Table, path: Path, name: str) -> None:
    """UTF-8, ``\\n`` line ends, DD/MM/YYYY dates, blank for missing. Lines are
    joined in Arrow: pandas' CSV writer takes ~10 s for 1.5 million rows."""
    fields = [_csv_field(_as_text(name, table[c].combine_chunks())) for c in table.column_names]
    lines = pc.binary_join_element_wise(*fields, ",") if len(fields) > 1 else fields[0]
    header = ",".join(_csv_field(pa.array(table.column_names)).to_pylist())
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(header + "\n")
        out.writelines(line + "\n" for line in lines.to_pylist())


def _write_parquet(table: pa.Table, path: Path, name: str) -> None:
    pq.write_table(table, path)


def _write_xlsx(table: pa.Table, path: Path, name: str) -> None:
    """One sheet, real Excel date cells shown DD/MM/YYYY, flags as text.
    openpyxl stamps the save time into the properties and the zip entries;
    both are fixed here so the same data gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = _FIXED_TIME
    book.properties.creator = "wres sample"
    sheet = book.create_sheet(name)
    sheet.append(table.column_names)
    is_date = [pa.types.is_date(t) for t in table.schema.types]
    columns = [(_as_text(name, table[c].combine_chunks()) if not d else table[c]).to_pylist()
               for c, d in zip(table.column_names, is_date, strict=True)]
    for row in zip(*columns, strict=True):
        sheet.append([_xlsx_cell(sheet, v, d, WriteOnlyCell)
                      for v, d in zip(row, is_date, strict=True)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    path.write_bytes(fixed_zip_times(buffer.getvalue(), _FIXED_TIME))


def _xlsx_cell(sheet, value, is_date: bool, cell_type):
    if not is_date or value is None:
        return value
    cell = cell_type(sheet, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


_WRITERS: dict[str, Callable[[pa.Table, Path, str], None]] = {
    "csv": _write_csv, "parquet": _write_parquet, "xlsx": _write_xlsx}


# --------------------------------------------------------------------------- wres.toml

def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _toml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_toml_string(v) for v in values) + "]"


def sample_config(period_end: date = date(2026, 3, 31)) -> str:
    """The ``wres.toml`` written beside the sample extracts."""
    return config_text(
        [f"{ORGANISATION}: a synthetic council written by `wres sample`."], ORGANISATION,
        period_start_for(period_end), period_end,
        {extract: HEADERS[extract] for extract in SAMPLE_EXTRACTS})


def config_text(about: Sequence[str], organisation: str | None, start: date, end: date,
                headers: Mapping[str, Mapping[str, str]]) -> str:
    """A ``wres.toml`` for synthetic extracts: the sample council's grades and the
    Census population, the period, and each extract's headers. Also written by
    ``benchmarks/generate.py`` for its national folders (no ``organisation``:
    the data has several)."""
    lines = [
        *(f"# {line}" for line in about),
        "# Every person, identifier and value in these files is invented.",
        *([f"organisation = {_toml_string(organisation)}"] if organisation else []),
        'standard = "social-care"',
        "",
        "[period]",
        f"start = {start.isoformat()}",
        f"end = {end.isoformat()}",
        "",
        "[grades]",
        f"order = {_toml_list(GRADES)}",
        f"senior = {_toml_list(SENIOR_GRADES)}",
        "",
        "[population]  # Census 2021, England and Wales",
        *(f"{group} = {share:.3f}" for group, share in POPULATION.items()),
    ]
    for extract, columns in headers.items():
        lines += ["", f"[columns.{extract}]",
                  *(f"{canonical} = {_toml_string(header)}"
                    for canonical, header in columns.items())]
    return "\n".join(lines) + "\n"
