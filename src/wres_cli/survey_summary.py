"""The staff survey as NHS trusts receive it: ``survey_summary`` rows (question x
group, respondents, percent or yes) checked and turned into counts (contracts
section 1, "Staff survey as trusts receive it").

Part of the prepare stage. The extract's frame is replaced by one row per
question and group with whole-number ``respondents`` and ``yes``: a count
derived from a percent is ``round(percent x respondents / 100)``, half to even,
worked in decimal from the figure as written (so 12.5 rounds to 12 exactly, not
as a binary float happens to fall). ``minority`` is the sum of the four minority
broad groups when it is not given itself. Every problem is a row of the
problems table naming the file, row, column and value; nothing here raises.

Counting reads these rows for an indicator whose population names a summary
question (``summary = "..."`` in its definition): overall only, no breakdowns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import pandas as pd

from wres_cli import problem_rules as rules
from wres_cli.contract import GROUP_ORDER, MINORITY_GROUPS, SUMMARY_QUESTIONS
from wres_cli.problems import Problems, problem_frame

if TYPE_CHECKING:
    from wres_cli.config import Config
    from wres_cli.indicators import IndicatorDef
    from wres_cli.io.readers import Extract

EXTRACT = "survey_summary"
COLUMNS = ("question", "group", "respondents", "yes", "percent", "derived")

#: Spellings of a group besides its code and its configured label.
_GROUP_WORDS = {
    "bme": "minority", "bame": "minority", "black and minority ethnic": "minority",
    "black, asian and minority ethnic": "minority", "minority ethnic": "minority",
    "ethnic minority": "minority", "global majority": "minority",
    "ethnically diverse": "minority", "white": "white", "not stated": "unknown",
}


@dataclass(frozen=True)
class _Row:
    row: int
    question: str
    group: str
    respondents: int
    yes: int
    percent: str | None
    derived: bool


def _key(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").split())


def _groups(config: Config) -> dict[str, str]:
    known = {_key(g): g for g in GROUP_ORDER}
    known.update({_key(k): v for k, v in _GROUP_WORDS.items()})
    for group, label in config.all_labels().items():
        known.setdefault(_key(label), group)
    return known


_WHOLE = re.compile(r"[0-9]+(\.0*)?")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def _whole(text: str) -> int | None:
    """A whole number written as digits (``250`` or ``250.0``, as a workbook gives it)."""
    text = text.strip().replace(",", "")
    return int(text.split(".")[0]) if _WHOLE.fullmatch(text) else None


def _percent(text: str) -> Decimal | None:
    text = text.strip().rstrip("%").strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


def derived_yes(percent: Decimal, respondents: int) -> int:
    """``round(percent x respondents / 100)``, half to even, exactly."""
    return int((percent * respondents / 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _agrees(percent: Decimal, yes: int, respondents: int) -> bool:
    """Whether a given percent is ``yes / respondents`` rounded to the places it is
    written with (31.2 agrees with 78 of 250 = 31.2 %, 31 with 77 of 250 = 30.8 %)."""
    exponent = percent.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    half = Decimal(5) / (Decimal(10) ** (places + 1))
    return abs(Decimal(yes) * 100 / respondents - percent) <= half


def survey_year(frame: pd.DataFrame, file: str, problems: Problems) -> str | None:
    """The survey year the ``year`` column gives (one per file), else None."""
    if "year" not in frame.columns:
        return None
    years = [str(y).strip() for y in pd.unique(frame["year"].dropna().astype(str))
             if str(y).strip()]
    if len(years) > 1:
        problems.file_problem(file, rules.MORE_THAN_ONE_SURVEY_YEAR,
                              rules.MORE_THAN_ONE_SURVEY_YEAR.message(
                                  file=file, years=", ".join(years)), column="year")
    return years[0] if len(years) == 1 else None


def prepare_summary(extracts: MutableMapping[str, Extract], config: Config,
                    problems: Problems) -> list[dict[str, Any]]:
    """Check the ``survey_summary`` extract and replace its frame by the counts
    (``COLUMNS``); returns the derivations for data quality (one per count
    worked out from a percent). Nothing to do when it is not given. The survey
    year, when given, is kept in ``frame.attrs["year"]``."""
    extract = extracts.get(EXTRACT)
    if extract is None:
        return []
    year = survey_year(extract.frame, extract.file, problems)
    survey = extracts.get("survey")
    if survey is not None:
        problems.file_problem(extract.file, rules.TWO_SURVEY_EXTRACTS,
                              rules.TWO_SURVEY_EXTRACTS.message(survey=survey.file,
                                                                summary=extract.file))
        return []
    frame = extract.frame
    needed = [c for c in ("question", "group", "respondents") if c not in frame.columns]
    if needed or not ({"percent", "yes"} & set(frame.columns)):
        if not needed:
            problems.file_problem(extract.file, rules.MISSING_PERCENT_OR_YES,
                                  rules.MISSING_PERCENT_OR_YES.message(file=extract.file),
                                  column="percent")
        return []
    rows = _read_rows(extract.file, frame, _groups(config), problems)
    rows = _with_minority(extract.file, rows, problems)
    extract.frame = pd.DataFrame(
        [(r.question, r.group, r.respondents, r.yes, r.percent, r.derived) for r in rows],
        columns=list(COLUMNS)).astype({"respondents": "int64", "yes": "int64"})
    extract.frame.attrs["year"] = year
    return [{"question": r.question, "group": r.group, "percent": float(r.percent),
             "respondents": r.respondents, "yes": r.yes}
            for r in rows if r.derived and r.percent is not None]


def fraction_warnings(derivations: Sequence[Mapping[str, Any]]) -> list[str]:
    """A warning when every percent a count was derived from is 1 or less: a
    workbook cell formatted as a percentage holds 0.315 for 31.5 %."""
    percents = [d["percent"] for d in derivations]
    if percents and all(p <= 1 for p in percents) and any(p > 0 for p in percents):
        return [f"{EXTRACT}: every percent is 1 or less; percent is 0-100 (31.5 for 31.5 %): "
                "if these are fractions (a workbook percentage cell holds 0.315), multiply "
                "them by 100"]
    return []


def _cell(frame: pd.DataFrame, column: str, i: int) -> str | None:
    if column not in frame.columns:
        return None
    value = frame[column].iloc[i]
    return None if pd.isna(value) or not str(value).strip() else str(value).strip()


def _read_rows(file: str, frame: pd.DataFrame, groups: Mapping[str, str],
               problems: Problems) -> list[_Row]:
    out: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}

    def bad(row: int, column: str, value: object, rule: rules.Rule, /,
            **fields: object) -> None:
        problems.add(problem_frame(file, [row], column, [value], rule, rule.message(**fields)))

    for i, row in enumerate(frame.index.tolist()):
        question, group = _cell(frame, "question", i), _cell(frame, "group", i)
        n_text, pct_text, yes_text = (_cell(frame, c, i) for c in ("respondents", "percent",
                                                                   "yes"))
        if question is None or group is None or n_text is None:
            continue  # a blank required value: the schema check reports it
        ok = True
        q = _key(question).replace(" ", "_")
        if q not in SUMMARY_QUESTIONS:
            bad(row, "question", question, rules.UNKNOWN_QUESTION, question=question,
                questions=", ".join(SUMMARY_QUESTIONS))
            ok = False
        g = groups.get(_key(group))
        if g is None:
            bad(row, "group", group, rules.UNKNOWN_GROUP, group=group)
            ok = False
        n = _whole(n_text)
        if n is None or n < 1:
            bad(row, "respondents", n_text, rules.BAD_RESPONDENTS, value=n_text)
            ok = False
        percent = _percent(pct_text) if pct_text is not None else None
        if pct_text is not None and (percent is None or not 0 <= percent <= 100):
            bad(row, "percent", pct_text, rules.PERCENT_OUT_OF_RANGE, value=pct_text)
            ok = False
        yes = _whole(yes_text) if yes_text is not None else None
        if yes_text is not None and (yes is None or (n is not None and yes > n)):
            bad(row, "yes", yes_text, rules.BAD_YES_COUNT, value=yes_text, respondents=n_text)
            ok = False
        if pct_text is None and yes_text is None:
            bad(row, "percent", None, rules.NO_PERCENT_OR_YES)
            ok = False
        if not ok or n is None or g is None:
            continue
        if yes is not None and percent is not None and not _agrees(percent, yes, n):
            bad(row, "yes", yes_text, rules.PERCENT_YES_DISAGREE, yes=yes, respondents=n,
                share=yes * 100 / n, percent=pct_text)
            continue
        if (q, g) in seen:
            bad(row, "group", group, rules.REPEATED_QUESTION_GROUP, question=q, group=g,
                first=seen[q, g])
            continue
        seen[q, g] = row
        derived = yes is None
        if yes is None:
            assert percent is not None
            yes = derived_yes(percent, n)
        out.append(_Row(row, q, g, n, yes, pct_text, derived))
    return out


def _with_minority(file: str, rows: list[_Row], problems: Problems) -> list[_Row]:
    """Each question needs white and minority (given, or the sum of all four minority
    broad groups); given broad groups must not add up to more than minority."""
    out: list[_Row] = []
    for question in dict.fromkeys(r.question for r in rows):
        mine = {r.group: r for r in rows if r.question == question}
        first = min(r.row for r in mine.values())
        broad = [mine[g] for g in MINORITY_GROUPS if g in mine]
        if "minority" not in mine and len(broad) == len(MINORITY_GROUPS):
            mine["minority"] = _Row(first, question, "minority",
                                    sum(r.respondents for r in broad),
                                    sum(r.yes for r in broad), None, False)
        missing = [g for g in ("white", "minority") if g not in mine]
        if missing:
            problems.add(problem_frame(file, [first], "group", [question], rules.MISSING_GROUP,
                                       rules.MISSING_GROUP.message(
                                           question=question, groups=" or ".join(missing))))
            continue
        if broad and not _within(mine["minority"], broad, problems, file):
            continue
        out.extend(mine[g] for g in GROUP_ORDER if g in mine)
    return out


def _within(minority: _Row, broad: Sequence[_Row], problems: Problems, file: str) -> bool:
    """The broad groups given add up to minority (all four) or to no more (some)."""
    complete = len(broad) == len(MINORITY_GROUPS)
    for what in ("respondents", "yes"):
        total = sum(getattr(r, what) for r in broad)
        given = getattr(minority, what)
        if total > given or (complete and total != given):
            row = max(r.row for r in broad)
            problems.add(problem_frame(file, [row], what, [total], rules.GROUPS_DO_NOT_ADD_UP,
                                       rules.GROUPS_DO_NOT_ADD_UP.message(
                                           question=minority.question, what=what, total=total,
                                           given=given)))
            return False
    return True


# --------------------------------------------------------------------------- counting


def summary_cube_rows(summary: pd.DataFrame, indicator: IndicatorDef) -> pd.DataFrame | None:
    """Cube rows (overall only) of an indicator whose population names a summary
    question; None when the summary does not give that question."""
    question = indicator.population.summary
    mine = summary[summary["question"] == question]
    if mine.empty:
        return None
    return pd.DataFrame({
        "indicator": indicator.id, "breakdown": "overall", "level": "all",
        "group": mine["group"].to_numpy(dtype=object),
        "population": mine["respondents"].to_numpy(dtype="int64"),
        "events": mine["yes"].to_numpy(dtype="int64"),
    })


def withhold_derivations(derivations: list[dict[str, Any]], results: pd.DataFrame,
                         indicators: Sequence[IndicatorDef]) -> list[dict[str, Any]]:
    """The data-quality list of derived counts with the figures of a withheld rate
    left out: the derivation must not say what the results withhold."""
    by_question = {i.population.summary: i.id for i in indicators
                   if i.measure == "rate" and i.population.summary}
    rates = results[(results["measure"] == "rate") & (results["breakdown"] == "overall")]
    withheld = {(str(r.indicator), r.group) for r in rates.itertuples(index=False)
                if bool(r.suppressed)}
    out = []
    for entry in derivations:
        entry = dict(entry)
        if (by_question.get(entry["question"]), entry["group"]) in withheld:
            entry.update(percent=None, respondents=None, yes=None)
        out.append(entry)
    return out
