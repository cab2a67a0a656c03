"""What every section of the report needs: the document's labels, standard,
small-number threshold and indicator definitions (``Env``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wres_cli.config import DEFAULT_LABELS, NHS_MINORITY_LABEL
from wres_cli.contract import NON_ADVERSE_RANGE
from wres_cli.indicators import PhraseDef
from wres_cli.report import format as fmt
from wres_cli.report.cells import WITHHELD, Row
from wres_cli.report.wording import Comparison, phrase_for

STANDARD_NAMES = {"social-care": "Social Care WRES", "nhs": "NHS WRES"}

#: The local population (``[population]``), which a difference may compare with:
#: a table label and the words used in a sentence. Other levels are named by the
#: populations of the definitions (``label``, ``words``).
POPULATION_NAMES = ("Local population", "the local population")


class Env:
    """What every section needs: labels, the standard, the small-number threshold."""

    def __init__(self, meta: Mapping[str, Any], definitions: Mapping[str, Any],
                 population: Mapping[str, float] | None = None):
        self.meta = meta
        self.population = meta.get("population") or population
        self.standard = str(meta.get("standard") or "")
        self.definitions = definitions
        self.threshold = meta.get("suppression_threshold")
        self.labels = group_labels(meta)
        self.minority = self.labels["minority"]
        #: the document's data quality (where figures came from, e.g. a survey breakdown)
        self.quality: Mapping[str, Any] = {}

    def label(self, group: Any) -> str:
        return self.labels.get(str(group), str(group))

    def title(self, indicator: str) -> str:
        d = self.definitions.get(indicator)
        return fmt.plain(d.title) if d is not None else f"Indicator {indicator}"

    def short(self, indicator: str) -> str:
        d = self.definitions.get(indicator)
        return fmt.plain(d.short or d.title) if d is not None else f"Indicator {indicator}"

    def why(self, indicator: str) -> str:
        d = self.definitions.get(indicator)
        return fmt.plain(d.why) if d is not None else ""

    def range(self, indicator: str) -> tuple[float, float]:
        d = self.definitions.get(indicator)
        if d is not None and getattr(d, "ratio", None) is not None:
            return (d.ratio.low, d.ratio.high)
        return NON_ADVERSE_RANGE

    def named_breakdowns(self, indicator: str) -> tuple[str, ...]:
        """The indicator's named breakdowns (seniority, board): written by
        populations with a level, not by the data's dimensions."""
        d = self.definitions.get(indicator)
        return tuple(d.named_levels) if d is not None else ()

    def level(self, indicator: str, level: str) -> tuple[str, str]:
        """(table label, words in a sentence) for a level of a named breakdown, or
        ``population``: as the definition's population names it, else the level."""
        if level == "population":
            return POPULATION_NAMES
        d = self.definitions.get(indicator)
        label, words = d.level_names.get(level, (None, None)) if d is not None else (None, None)
        return (label or fmt.sentence_start(level), words or level)

    def phrase(self, indicator: str) -> PhraseDef:
        return phrase_for(self.definitions.get(indicator), self.title(indicator))

    def adverse_side(self, indicator: str) -> str | None:
        d = self.definitions.get(indicator)
        return d.ratio.adverse if d is not None and getattr(d, "ratio", None) else None

    def comparison(self, indicator: str, row: Row) -> Comparison:
        low, high = self.range(indicator)
        return Comparison(focal=self.label(row.get("group")),
                          reference=self.label(row.get("reference")), minority=self.minority,
                          phrase=self.phrase(indicator),
                          low=low, high=high, threshold=self.threshold)

    def withheld(self, row: Row) -> str:
        """The one marker of every withheld figure, whatever the reason: telling a
        small cell from one withheld to protect it would give the small one away."""
        return WITHHELD


def group_labels(meta: Mapping[str, Any]) -> dict[str, str]:
    """Display text per group code: meta.labels wins, then the standard's defaults."""
    labels = dict(DEFAULT_LABELS)
    if meta.get("standard") == "nhs":
        labels["minority"] = NHS_MINORITY_LABEL
    labels.update({str(k): str(v) for k, v in (meta.get("labels") or {}).items() if v})
    return labels
