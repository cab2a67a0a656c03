"""Indicator definitions: what ``indicators/<standard>/*.toml`` declare, as
``IndicatorDef`` and its parts, the vocabulary they use, and their words for
``wres indicators``.

The files are read and checked by ``wres_cli.indicator_files``. The counting
code has one path per *rule*, not per indicator, so a new indicator needs a
file, not a code change.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from wres_cli.contract import GROUP_ORDER

MEASURES = ("rate", "share", "pay_gap")
#: Measures counted into the counts cube; ``pay_gap`` (methodology section 7) is
#: measured from pay records by ``wres_cli.pay``, since means and medians do not add.
COUNTED_MEASURES = ("rate", "share")
#: The pay gap's people and their breakdowns come from the workforce.
PAY_EXTRACT = "pay"

#: Population rules -> the keys each needs besides ``extract``.
POPULATION_RULES = (
    "in_post_during_period",  # workforce: start <= period end and (end blank or end >= start)
    "in_post_on_start",  # workforce: in post on the period start date
    "in_post_on_end",  # workforce: in post on the period end date
    "dated_in_period",  # rows whose ``date`` column lies in the period
    "answered",  # rows with a non-blank answer to any of ``columns``
    "all",  # every row
)
IN_POST_RULES = ("in_post_during_period", "in_post_on_start", "in_post_on_end")

EVENT_RULES = (
    "any_in_period",  # >= 1 row of another extract, linked by ``link``, dated in the period
    "flag",  # the population row's boolean ``column`` is true
    "any_of",  # any of the population row's boolean ``columns`` is true
    "left_in_period",  # the population row's end_date lies in the period
    "answer_in",  # the population row's answer to ``column`` is one of ``values`` (of ``scale``)
)

#: The dimensions a result can be broken down by (contract section 3), and how
#: many may be joined with "+" into one compound breakdown.
DIMENSIONS = ("grade", "staff_group", "service", "organisation")
COMPOUND_SEPARATOR = "+"

#: ``[grades.bands]`` (configuration, not definitions): every breakdown with
#: ``grade`` is also written with ``band``, read from the band column the
#: prepare stage puts beside the grade column.
BAND = "band"
BAND_COLUMNS = {"grade": "band", "vacancy_grade": "vacancy_band"}

#: Groups a ratio may compare: every broad group code except unknown.
RATIO_GROUPS = tuple(g for g in GROUP_ORDER if g != "unknown")

ADVERSE_SIDES = ("high", "low")
DIFFERENCE_ADVERSE = ("negative", "none")
BENCHMARK = "population"



# --------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class PopulationDef:
    """Who is counted: rows of ``extract`` chosen by ``rule`` and ``filter``.

    ``breakdown``/``level`` set: this population is written as that single level
    of a named breakdown (e.g. ``seniority``/``senior``) instead of ``overall``
    plus the indicator's breakdowns.
    """

    extract: str
    rule: str
    date: str | None = None
    columns: tuple[str, ...] = ()
    filter: tuple[tuple[str, bool], ...] = ()
    breakdown: str | None = None
    level: str | None = None
    #: breakdown dimension -> column of ``extract`` that holds it (default: same name)
    breakdown_columns: tuple[tuple[str, str], ...] = ()
    #: The ``survey_summary`` question whose counts stand for this population when
    #: the survey comes as a published breakdown (overall only).
    summary: str | None = None
    #: With a level: how the report names it in a table ("Senior managers") and in
    #: a sentence ("senior managers"); None: the level itself.
    label: str | None = None
    words: str | None = None

    def column_for(self, dimension: str) -> str:
        columns = dict(self.breakdown_columns)
        if dimension == BAND and BAND not in columns:
            grade = columns.get("grade", "grade")
            return BAND_COLUMNS.get(grade, f"{grade}_band")
        return columns.get(dimension, dimension)

    @property
    def needed_columns(self) -> tuple[str, ...]:
        """Columns that must be present in the prepared frame for this population."""
        cols: list[str] = ["ethnic_group"]
        if self.rule in IN_POST_RULES:
            cols.append("start_date")  # end_date may be absent: nobody has left
        if self.rule == "dated_in_period" and self.date:
            cols.append(self.date)
        cols.extend(self.columns)
        cols.extend(c for c, _ in self.filter)
        return tuple(dict.fromkeys(cols))


@dataclass(frozen=True)
class EventDef:
    """What counts as an event for a person (or application, respondent) in the population."""

    rule: str
    extract: str | None = None  # any_in_period: the extract of linked records
    date: str | None = None  # any_in_period: the date column of those records
    link: str = "staff_id"  # any_in_period: the column joining them to the population
    columns: tuple[str, ...] = ()  # flag (one column) / any_of / answer_in (one column)
    #: answer_in: the answers that count, and every answer allowed, as written
    values: tuple[str, ...] = ()
    scale: tuple[str, ...] = ()
    #: any_in_period: only records whose column holds one of the values (all must hold)
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class RatioDef:
    """Relative likelihood rows: every focal group against every reference group."""

    focal: tuple[str, ...]
    reference: tuple[str, ...]
    adverse: str  # "high" or "low"
    low: float = 0.80
    high: float = 1.25
    #: False (``range = "none"``): the ratio is not judged against a range, so
    #: its assessment is empty (NHS 5-8, published as two percentages).
    assessed: bool = True

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((f, r) for f in self.focal for r in self.reference)


@dataclass(frozen=True)
class DifferenceDef:
    """A difference of two shares: ``group``'s share in the focal level minus its
    share in the ``against`` level (or in the population benchmark).

    ``focal_level`` None: one row per level of ``focal_breakdown`` (written with
    that breakdown and level); otherwise one row written as ``overall``/``all``.
    """

    group: str
    focal_breakdown: str
    focal_level: str | None
    against_breakdown: str | None  # None: the population benchmark
    against_level: str | None
    reference: str
    adverse_when_negative: bool


@dataclass(frozen=True)
class RateDifferenceDef:
    """A difference of two rates: ``group``'s rate minus ``reference``'s, with the
    Newcombe hybrid-score interval; judged on its sign when significant."""

    group: str
    reference: str
    adverse: str  # "high": a higher rate of ``group`` is adverse; "low": a lower one


@dataclass(frozen=True)
class PhraseDef:
    """``[phrase]``: the words of the report's sentences, ``{focal} {noun} were 1.66
    times as likely as {reference} {noun} to {infinitive}`` and ``no {reference}
    {noun} {past} in the period``."""

    noun: str
    infinitive: str
    past: str


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    title: str
    why: str
    measure: str  # "rate" or "share"
    populations: tuple[PopulationDef, ...]
    event: EventDef | None = None
    breakdowns: tuple[str, ...] = ()
    ratio: RatioDef | None = None
    differences: tuple[DifferenceDef, ...] = ()
    short: str | None = None
    source: Path | None = None
    #: Published unsuppressed: the people counted hold public roles (board members)
    #: whose ethnicity the organisation publishes anyway (methodology section 5).
    public: bool = False
    #: Rate indicators: a difference row of two groups' rates (NHS 5-8).
    rate_difference: RateDifferenceDef | None = None
    #: Declared by the organisation (``[indicators] local``), not by the standard.
    local: bool = False
    #: (extract, column, kind): columns this definition adds to the contract for
    #: the run (a local survey question; methodology section 8)
    added_columns: tuple[tuple[str, str, str], ...] = ()
    #: How the report words the indicator (``[phrase]``); None: from its title.
    phrase: PhraseDef | None = None

    @property
    def counted_breakdowns(self) -> tuple[str, ...]:
        """The breakdowns counted: each of ``breakdowns``, and after one with
        ``grade`` the same with ``band`` (written only when ``[grades.bands]``
        gives the band column)."""
        out: list[str] = []
        for b in self.breakdowns:
            out.append(b)
            parts = b.split(COMPOUND_SEPARATOR)
            if "grade" in parts:
                out.append(COMPOUND_SEPARATOR.join(BAND if p == "grade" else p for p in parts))
        return tuple(out)

    @property
    def population(self) -> PopulationDef:
        """The (first) population; rate indicators have exactly one."""
        return self.populations[0]

    @property
    def extracts(self) -> tuple[str, ...]:
        """Every extract this indicator reads; a missing one means no data."""
        names = [p.extract for p in self.populations]
        if self.event is not None and self.event.extract:
            names.append(self.event.extract)
        return tuple(dict.fromkeys(names))

    @property
    def level_names(self) -> dict[str, tuple[str | None, str | None]]:
        """Level -> (table label, words in a sentence) of the populations with a
        level, as the file gives them (None where it gives none)."""
        return {p.level: (p.label, p.words) for p in self.populations if p.level is not None}

    @property
    def named_levels(self) -> dict[str, tuple[str, ...]]:
        """Named breakdowns written by populations with a level (e.g. seniority),
        with their levels in definition order."""
        out: dict[str, list[str]] = {}
        for p in self.populations:
            if p.breakdown is not None and p.level is not None:
                out.setdefault(p.breakdown, []).append(p.level)
        return {k: tuple(v) for k, v in out.items()}


# --------------------------------------------------------------------------- loading


def indicator_sort_key(indicator_id: str) -> tuple[int, str]:
    """By the id's number, then its suffix (1, 2, ..., 7, 7a, 7b, 8, 9, 9a, 9b; a new
    "3x" after "3"); ids without a leading number (``pay``, local measures) last."""
    m = re.match(r"(\d+)(.*)", indicator_id)
    if m:
        return (int(m.group(1)), m.group(2))
    return (1 << 30, indicator_id)


def answer_key(value: str) -> str:
    """How survey answers and ``where`` values are matched: ignoring case and
    spaces (methodology section 8)."""
    return "".join(str(value).split()).casefold()


# --------------------------------------------------------------------------- words

_POPULATION_WORDS = {
    "in_post_during_period": "{extract} rows of people in post at any time in the period",
    "in_post_on_start": "{extract} rows of people in post on the period start date",
    "in_post_on_end": "{extract} rows of people in post on the period end date",
    "dated_in_period": "{extract} rows whose {date} lies in the period",
    "answered": "{extract} rows with an answer to {columns}",
    "all": "every {extract} row",
}


def _population_words(p: PopulationDef) -> str:
    words = _POPULATION_WORDS[p.rule].format(extract=p.extract, date=p.date,
                                             columns=" or ".join(p.columns))
    if p.filter:
        words += " with " + " and ".join(f"{c} = {str(v).lower()}" for c, v in p.filter)
    return words


def _event_words(e: EventDef) -> str:
    if e.rule == "any_in_period":
        where = f" and whose {_where_words(e)}" if e.where else ""
        return (f"at least one {e.extract} record (joined on {e.link}) whose {e.date} lies in "
                f"the period{where}; several records for one person count once")
    if e.rule == "flag":
        return f"{e.columns[0]} = true"
    if e.rule == "any_of":
        return "true for any of " + ", ".join(e.columns)
    if e.rule == "answer_in":
        return (f"{e.columns[0]} answered {' or '.join(repr(v) for v in e.values)} "
                f"(on the scale {', '.join(e.scale)})")
    return "end_date lies in the period (left)"


def _where_words(e: EventDef) -> str:
    return " and ".join(f"{c} is {' or '.join(repr(v) for v in values)}"
                        for c, values in e.where)


def describe(ind: IndicatorDef) -> str:
    """The definition in words, for ``wres indicators``."""
    lines = [f"{ind.id}  {ind.title}"]
    pad = "    "
    if ind.measure == "pay_gap":
        lines.append(f"{pad}Measure: mean and median hourly pay per group; mean and median "
                     "pay gaps (White − group) ÷ White; pay quartile shares; bonus figures "
                     "when bonus_pay is given")
        lines.append(f"{pad}Population: staff in post on the pay snapshot date ([pay] "
                     "snapshot, default the period end) with a pay row on full pay")
    elif ind.measure == "rate":
        lines.append(f"{pad}Measure: rate per group, relative likelihood")
        lines.append(f"{pad}Population: {_population_words(ind.population)}")
        assert ind.event is not None and ind.ratio is not None
        lines.append(f"{pad}Event: {_event_words(ind.event)}")
        r = ind.ratio
        pairs = ", ".join(f"{f} ÷ {ref}" for f, ref in r.pairs)
        lines.append(f"{pad}Relative likelihood: {pairs}")
        side = "above" if r.adverse == "high" else "below"
        if r.assessed:
            lines.append(f"{pad}Adverse when the ratio is {side} the range "
                         f"{r.low:.2f}–{r.high:.2f}")
        else:
            lines.append(f"{pad}The ratio is not judged against a range")
        rd = ind.rate_difference
        if rd is not None:
            way = "higher" if rd.adverse == "high" else "lower"
            lines.append(f"{pad}Difference: {rd.group} rate − {rd.reference} rate, with the "
                         f"Newcombe interval; adverse when significant and {rd.group} {way}")
        if ind.population.summary:
            lines.append(f"{pad}From a survey_summary: question {ind.population.summary} "
                         "(overall only)")
    else:
        lines.append(f"{pad}Measure: share of each group (unknown ethnicity included in the "
                     "denominator), difference")
        for p in ind.populations:
            where = f"{p.breakdown} = {p.level}: " if p.level else ""
            lines.append(f"{pad}Population: {where}{_population_words(p)}")
        for d in ind.differences:
            focal = (f"each {d.focal_breakdown}" if d.focal_level is None
                     else f"{d.focal_breakdown} {d.focal_level}")
            against = ("the population benchmark ([population] in wres.toml)"
                       if d.against_breakdown is None
                       else ("the whole of the population above" if d.against_breakdown == "overall"
                             else f"{d.against_breakdown} {d.against_level}"))
            adverse = "; adverse when negative" if d.adverse_when_negative else ""
            lines.append(f"{pad}Difference ({d.reference}): {d.group} share in {focal} − "
                         f"{d.group} share in {against}{adverse}")
    if ind.breakdowns and any(p.level is None for p in ind.populations):
        lines.append(f"{pad}Breakdowns: overall, " + ", ".join(ind.breakdowns)
                     + " (where the column is present)")
    if ind.local and ind.source is not None:
        lines.append(f"{pad}Local measure, from {ind.source}")
    lines.append(textwrap.fill(ind.why, width=88, initial_indent=pad, subsequent_indent=pad))
    return "\n".join(lines)
