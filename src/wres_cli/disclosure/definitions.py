"""What the indicator definitions say about protecting their rows.

Disclosure never names an indicator: which breakdowns add up, which rows a
difference is built on, which indicators count the same people and which are
public are all read here from ``IndicatorDef``s, so an indicator added as a file
is protected exactly like the shipped ones (methodology section 5, rule 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
    #: ``[grades.bands]``: grade -> band. A band is the sum of its grades, a
    #: relation a reader knows as well as levels adding up to overall.
    bands: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, definitions: Iterable[IndicatorDef], public: Iterable[str] = (),
           bands: Mapping[str, str] | None = None) -> Protection:
        defs = {d.id: d for d in definitions}
        return cls(
            bands=dict(bands or {}),
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
        whole = next((p for p in d.populations if p.level is None), None)
        if whole is None:  # a row no population writes: its own cell
            return ("rows of", indicator, breakdown), OVERALL, str(level)
        if breakdown == "overall":
            return population_key(whole), OVERALL, "all"
        return (population_key(whole),
                tuple(whole.column_for(dim) for dim in breakdown.split("+")), level)

    def event_extract(self, indicator: str) -> str | None:
        d = self.definitions[indicator]
        return d.event.extract if d.event is not None else None


def _difference_sources(d: IndicatorDef) -> tuple[DifferenceSource, ...]:
    sources: list[DifferenceSource] = []
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


def band_parts(dims: Sequence[str], level: str,
               bands: Mapping[str, str]) -> tuple[tuple[str, ...], str] | None:
    """A breakdown with a grade dimension and one of its levels -> the same with
    the band dimension and the grade's band (a grade in no band is its own);
    None when there is no grade dimension or no bands. ``dims`` are breakdown
    names or column names (``grade``/``band``, ``vacancy_grade``/``vacancy_band``)."""
    from wres_cli.indicators import BAND_COLUMNS

    if not bands or not any(d in BAND_COLUMNS for d in dims):
        return None
    parts = str(level).split("+", len(dims) - 1) if len(dims) > 1 else [str(level)]
    if len(parts) != len(dims):
        return None
    return (tuple(BAND_COLUMNS.get(d, d) for d in dims),
            "+".join(bands.get(p, p) if d in BAND_COLUMNS else p
                     for d, p in zip(dims, parts, strict=True)))


def protections_for(frame: pd.DataFrame, definitions: Sequence[IndicatorDef] | None,
                    public: Iterable[str] = (),
                    bands: Mapping[str, str] | None = None) -> dict[str, Protection]:
    """standard -> Protection for every standard in ``frame``; the shipped
    definitions where none are given."""
    from wres_cli.indicator_files import load_indicators

    standards = [s for s in pd.unique(frame["standard"].astype(object)) if isinstance(s, str)]
    public = tuple(public)
    if definitions is not None:
        return {s: Protection.of(definitions, public, bands) for s in standards}
    return {s: Protection.of(load_indicators(s), public, bands) for s in standards}
