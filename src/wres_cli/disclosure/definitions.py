"""What the indicator definitions say about protecting their rows.

Disclosure never names an indicator: which breakdowns add up, which rows a
difference is built on, which indicators count the same people and which are
public are all read here from ``IndicatorDef``s, so an indicator added as a file
is protected exactly like the shipped ones (methodology section 5, rule 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from wres_cli.indicators import IndicatorDef, PopulationDef

#: Marks a source breakdown or level that is the difference row's own.
SAME = "<same>"
OVERALL = ("overall",)


class DifferenceSource(NamedTuple):
    """A row a difference is built on: a share of the difference row's group, or
    (``measure = "rate"``) a rate of ``group`` at the difference row's level."""

    reference: str
    breakdown: str
    level: str
    measure: str = "share"
    group: str = SAME


def population_key(pop: PopulationDef) -> tuple:
    """Who a population is, whatever breakdown it is written under: two indicators
    with equal keys count the same people, so publish the same denominators."""
    return (pop.extract, pop.rule, pop.date, pop.columns, pop.filter)


@dataclass(frozen=True)
class Protection:
    """The protecting facts of one standard's definitions, keyed by indicator id."""

    definitions: dict[str, IndicatorDef]
    public: frozenset[str] = frozenset()
    differences: dict[str, tuple[DifferenceSource, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, definitions: Iterable[IndicatorDef], public: Iterable[str] = ()) -> Protection:
        defs = {d.id: d for d in definitions}
        return cls(
            definitions=defs,
            public=frozenset([*public, *(d.id for d in defs.values() if d.public)]),
            differences={d.id: _difference_sources(d) for d in defs.values()
                         if d.differences or d.rate_difference},
        )

    def named_breakdowns(self) -> frozenset[tuple[str, str]]:
        """(indicator, breakdown) pairs written from named populations: their
        levels are separate populations (senior managers, board members), not
        parts of a whole."""
        return frozenset((d.id, b) for d in self.definitions.values() for b in d.named_levels)

    def cell_of(self, indicator: str, breakdown: str, level: str) -> tuple[tuple, tuple, str]:
        """(population key, breakdown columns, level) of the people a share or rate
        row of ``indicator`` counts at ``breakdown``/``level``."""
        d = self.definitions[indicator]
        for pop in d.populations:
            if pop.breakdown == breakdown and pop.level == level:
                return population_key(pop), OVERALL, "all"
        pop = next((p for p in d.populations if p.level is None), None)
        if pop is None:  # a row no population writes: its own cell
            return ("rows of", indicator, breakdown), OVERALL, str(level)
        if breakdown == "overall":
            return population_key(pop), OVERALL, "all"
        return (population_key(pop),
                tuple(pop.column_for(dim) for dim in breakdown.split("+")), level)

    def event_extract(self, indicator: str) -> str | None:
        d = self.definitions[indicator]
        return d.event.extract if d.event is not None else None


def _difference_sources(d: IndicatorDef) -> tuple[DifferenceSource, ...]:
    sources = []
    rd = d.rate_difference
    if rd is not None:  # the two groups' rates at the difference row's own level
        sources.extend(DifferenceSource(rd.reference, SAME, SAME, "rate", group)
                       for group in (rd.group, rd.reference))
    for diff in d.differences:
        if diff.focal_level is None:  # one row per level, written at that level
            sources.append(DifferenceSource(diff.reference, SAME, SAME))
        else:
            sources.append(DifferenceSource(diff.reference, diff.focal_breakdown,
                                            diff.focal_level))
        if diff.against_breakdown is not None:  # else the configured benchmark
            sources.append(DifferenceSource(diff.reference, diff.against_breakdown,
                                            diff.against_level or "all"))
    return tuple(sources)


def protections_for(frame: pd.DataFrame, definitions: Sequence[IndicatorDef] | None,
                    public: Iterable[str] = ()) -> dict[str, Protection]:
    """standard -> Protection for every standard in ``frame``; the shipped
    definitions where none are given."""
    from wres_cli.indicators import load_indicators

    standards = [s for s in pd.unique(frame["standard"].astype(object)) if isinstance(s, str)]
    public = tuple(public)
    if definitions is not None:
        return {s: Protection.of(definitions, public) for s in standards}
    return {s: Protection.of(load_indicators(s), public) for s in standards}
