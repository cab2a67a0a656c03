"""Plain-English sentences about results, for the executive summary and each section.

The sentences are built from one result row each, so a test can build a row by
hand and check the words. Each indicator's ``[phrase]`` (its definition's
``phrase``) says who is compared and what happens to them; an indicator without
one falls back to its title.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wres_cli.indicators import IndicatorDef, PhraseDef
from wres_cli.report import format as fmt

Row = Mapping[str, Any]


def phrase_for(definition: IndicatorDef | None, title: str) -> PhraseDef:
    """The definition's ``[phrase]``, else one built from the indicator's title."""
    if definition is not None and definition.phrase is not None:
        return definition.phrase
    topic = title[:1].lower() + title[1:]
    return PhraseDef("staff", f"be counted in “{topic}”", f"were counted in “{topic}”")


@dataclass(frozen=True)
class Comparison:
    """What one sentence needs besides the row: display labels and the rule."""

    focal: str  # display label of the row's group
    reference: str  # display label of the row's reference
    minority: str  # display label of the group whose disadvantage "adverse" means
    phrase: PhraseDef
    low: float = 0.80
    high: float = 1.25
    threshold: int | None = 10


def ratio_sentence(row: Row, c: Comparison, rates: tuple[Row | None, Row | None] = (None, None)
                   ) -> str:
    """One relative likelihood in words (methodology §3 "How reports word a ratio").
    ``rates``: the focal and reference groups' rate rows, so a ratio that cannot be
    calculated is told in counts."""
    assessment = row.get("assessment")
    if assessment == "suppressed" or row.get("suppressed"):
        return withheld_sentence(f"The comparison of {c.focal} and {c.reference} {c.phrase.noun}",
                                 c.threshold)
    if assessment == "not calculable" or fmt.missing(row.get("value")):
        return not_calculable_sentence(row, c, rates)
    value, low, high = row["value"], row.get("ci_low"), row.get("ci_high")
    opening = (f"{fmt.sentence_start(c.focal)} {c.phrase.noun} were {fmt.ratio(value)} times as "
               f"likely as {c.reference} {c.phrase.noun} to {c.phrase.infinitive}")
    if not fmt.missing(low) and not fmt.missing(high):
        opening += f" (95% CI {fmt.interval(low, high)})"
    if not assessment:
        # A ratio its definition does not judge against a range (range = "none").
        return f"{opening}; this measure is not judged against a range. {_chance(row)}".rstrip()
    band = f"the non-adverse range of {fmt.ratio(c.low)} to {fmt.ratio(c.high)}"
    significant = interval_excludes_one(row)
    if assessment == "within range":
        if significant:
            return (f"{opening}; this is within {band}; the interval excludes 1, so there is a "
                    "difference, smaller than the range treats as adverse.")
        return f"{opening}; this is within {band}."
    if assessment == "adverse":
        if significant is False:
            return (f"{opening}; this is outside the range, but the interval "
                    f"({fmt.ratio(low)} to {fmt.ratio(high)}) includes 1: with numbers this "
                    "small the difference could be chance.")
        text = (f"{opening}; this is outside {band} on the side adverse to {c.minority} "
                f"{c.phrase.noun}")
        if significant:
            return (f"{text}, and the interval does not include 1, so chance alone is an "
                    "unlikely explanation.")
        return f"{text}."
    text = f"{opening}; this is outside {band}, on the side favourable to {c.minority} " \
           f"{c.phrase.noun}."
    return f"{text} {_chance(row)}".rstrip()


def interval_excludes_one(row: Row) -> bool | None:
    """Whether the ratio is significant: the report leads with the 95% interval
    (methodology §3), so it is read from the interval when both ends are there,
    else from ``significant``; None when neither says."""
    low: Any = row.get("ci_low")
    high: Any = row.get("ci_high")
    if not fmt.missing(low) and not fmt.missing(high):
        return not float(low) <= 1.0 <= float(high)
    if row.get("significant") is not None:
        return bool(row["significant"])
    return None


def _chance(row: Row) -> str:
    significant = interval_excludes_one(row)
    if significant is None:
        return ""
    if not significant:
        return "The interval includes 1, so the difference may be due to chance."
    return "The interval does not include 1, so chance alone is an unlikely explanation."


def not_calculable_sentence(row: Row, c: Comparison,
                            rates: tuple[Row | None, Row | None] = (None, None)) -> str:
    counted = _counts_in_words(rates, c)
    reason = counted or _reason(row.get("note"), c)
    return (f"{fmt.sentence_start(c.focal)} and {c.reference} {c.phrase.noun} cannot be compared "
            f"on this measure: {reason}, so the relative likelihood cannot be calculated.")


def _counts_in_words(rates: tuple[Row | None, Row | None], c: Comparison) -> str:
    """``none of the 57 minority ethnic staff, against 12 of 400 White staff`` (both
    rows published), else empty."""
    words = []
    for row, label in zip(rates, (c.focal, c.reference), strict=True):
        if row is None or row.get("suppressed") or fmt.missing(row.get("numerator")) \
                or fmt.missing(row.get("denominator")):
            return ""
        events, people = int(row["numerator"]), int(row["denominator"])
        if people == 0:
            words.append(f"there were no {label} {c.phrase.noun}")
        elif events == 0:
            words.append(f"none of the {fmt.count(people)} {label} {c.phrase.noun}")
        else:
            words.append(f"{fmt.count(events)} of {fmt.count(people)} {label} {c.phrase.noun}")
    focal, reference = words
    if focal.startswith("there were"):
        return f"{focal} to compare with {reference}"
    verb = c.phrase.past
    return f"{focal} {verb}, against {reference}"


def _reason(note: Any, c: Comparison) -> str:
    """The row's ``note`` said for a reader (the codes come from the measure stage)."""
    noun, past = c.phrase.noun, c.phrase.past
    reasons = {
        "no events in the reference group": f"no {c.reference} {noun} {past} in the period",
        "no events in the focal group": f"no {c.focal} {noun} {past} in the period",
        "no events in either group": f"no {c.focal} or {c.reference} {noun} {past} in the period",
        "no one in this group": f"there were no {c.focal} or no {c.reference} {noun} to compare",
    }
    text = fmt.plain(note)
    return reasons.get(text, text or "one of the groups is empty or had no events")


def withheld_sentence(subject: str, threshold: int | None) -> str:
    limit = threshold if threshold is not None else 10
    return (f"{subject} is withheld under the small-number rule, which publishes no figure "
            f"about fewer than {limit} people, nor any figure from which one could be "
            "worked out.")


def share_sentence(focal: Row | None, against: Row | None, difference: Row | None, *,
                   minority: str, focal_place: str, against_place: str,
                   threshold: int | None) -> str:
    """``Minority ethnic people made up 5.0% of senior managers, compared with 17.9% of
    the whole workforce (a difference of −12.9 points).``"""
    if focal is None or fmt.missing(focal.get("value")):
        withheld = withheld_sentence(f"The {minority} share of {focal_place}", threshold)
        if against is not None and not fmt.missing(against.get("value")):
            return (f"{withheld} {fmt.sentence_start(minority)} people made up "
                    f"{fmt.percent(against['value'])} of {against_place}.")
        return withheld
    text = (f"{fmt.sentence_start(minority)} people made up {fmt.percent(focal['value'])} of "
            f"{focal_place}")
    if against is not None and not fmt.missing(against.get("value")):
        text += f", compared with {fmt.percent(against['value'])} of {against_place}"
        if difference is not None and not fmt.missing(difference.get("value")):
            text += f" (a difference of {fmt.points(difference['value'])})"
    text += "."
    if difference is not None and difference.get("assessment") == "adverse":
        text += (f" {fmt.sentence_start(minority)} people are under-represented among "
                 f"{focal_place} compared with {against_place}.")
    return text


def gap_sentence(focal: Row | None, reference: Row | None, gap: Row, c: Comparison) -> str:
    """Two percentages and the gap between them in points (NHS 5-8, as NHS England
    publishes them): ``31.5% of BME staff and 25.0% of White staff reported ...,
    a gap of +6.5 points (95% CI ...)``; then whether chance explains it."""
    if gap.get("assessment") == "suppressed" or gap.get("suppressed"):
        return withheld_sentence(f"The comparison of {c.focal} and {c.reference} "
                                 f"{c.phrase.noun}", c.threshold)
    if (focal is None or reference is None or fmt.missing(focal.get("value"))
            or fmt.missing(reference.get("value")) or fmt.missing(gap.get("value"))):
        return (f"{fmt.sentence_start(c.focal)} and {c.reference} {c.phrase.noun} cannot be "
                f"compared on this measure: {_reason(gap.get('note'), c)}.")
    text = (f"{fmt.percent(focal['value'])} of {c.focal} {c.phrase.noun} and "
            f"{fmt.percent(reference['value'])} of {c.reference} {c.phrase.noun} "
            f"{c.phrase.past}, a gap of {fmt.points(gap['value'])}")
    low, high = gap.get("ci_low"), gap.get("ci_high")
    if not fmt.missing(low) and not fmt.missing(high):
        text += f" (95% CI {fmt.points(low).removesuffix(' points')} to {fmt.points(high)})"
    assessment = gap.get("assessment")
    if assessment in ("adverse", "favourable"):
        side = "adverse" if assessment == "adverse" else "favourable"
        return (f"{text}. The interval does not include 0, so chance alone is an unlikely "
                f"explanation; the gap is {side} to {c.minority} {c.phrase.noun}.")
    return f"{text}. The interval includes 0, so the gap may be due to chance."
