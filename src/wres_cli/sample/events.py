"""The sample council's events: disciplinary, fitness to practise, training,
recruitment, the staff survey, local measures' extracts and pay, each planted
with the pattern the module docstring of ``wres_cli.sample`` describes."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from wres_cli.sample.people import (
    _ASIAN,
    _BLACK,
    _CAT_GROUP,
    _CAT_KEYS,
    _COURSES,
    _INCLUDED_YES,
    _MINORITY,
    _MIXED,
    _OTHER,
    _PSYCH_SAFETY_P,
    _STAFF_GROUP_NAMES,
    _SURVEY_QUESTIONS,
    _SURVEY_YES,
    _UNKNOWN,
    _WHITE,
    GRADES,
    PROGRAMMES,
    PSYCH_SAFETY_SCALE,
    SERVICES,
    _broad_groups,
    _by_side,
    _categories,
    _draw_grades,
    _draw_services,
    _draw_staff_groups,
    _exact_share,
    _id_numbers,
    _id_text,
    _spell,
    _Staff,
    _text,
    _to_datetime,
    _uniform_days,
)

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


