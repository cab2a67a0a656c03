"""The sample council's people: the constants of the invented council, the
vectorised draws, and the workforce extract."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


