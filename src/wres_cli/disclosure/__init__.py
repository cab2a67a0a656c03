"""The small-number rule (methodology.md section 5): the disclose stage.

``disclose`` takes the unsuppressed result rows and data quality of a run and
returns what may be published: the row rules (primary, sets), then the audit
over everything the run publishes, then derived rows, every withheld figure
with the one marker. ``suppress`` is the same for result rows alone (pooled
benchmark rows, tests).

The guarantee: from everything one run publishes, taken together, nobody can
tell whether a withheld count is 0 or as large as the threshold minus one.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from wres_cli.disclosure.definitions import Protection, protections_for
from wres_cli.disclosure.rules import (
    WITHHELD_NOTE,
    blank,
    close_sets,
    derived,
    is_small,
    public_rows,
    scope_organisation,
    withhold_by_rules,
)
from wres_cli.indicators import IndicatorDef

__all__ = ["WITHHELD_NOTE", "Disclosed", "Protection", "disclose", "is_small", "suppress"]


@dataclass
class Disclosed:
    results: pd.DataFrame
    data_quality: dict[str, Any]
    inputs: dict[str, Any]
    #: ``meta.disclosure``: threshold, protected counts, withheld rows, audit verdict
    outcome: dict[str, Any]


def disclose(results: pd.DataFrame, threshold: int | None,
             definitions: Sequence[IndicatorDef] | None = None, *,
             data_quality: Mapping[str, Any] | None = None,
             inputs: Mapping[str, Any] | None = None,
             public: Iterable[str] = (),
             bands: Mapping[str, str] | None = None) -> Disclosed:
    """What a run may publish. ``threshold=None`` (``--no-suppress``) changes nothing.
    ``bands`` (grade -> band, ``[grades.bands]``): each band is the sum of its grades."""
    quality = copy.deepcopy(dict(data_quality or {}))
    inputs_out = copy.deepcopy(dict(inputs or {}))
    if threshold is None:
        return Disclosed(results.copy(), quality, inputs_out,
                         {"threshold": None, "protected": None, "withheld": 0,
                          "audit": "not run (--no-suppress)", "public": []})
    from wres_cli.disclosure.audit import audit

    protections = protections_for(results, definitions, public, bands)
    own = _own_rule(results, protections)
    if own.any():  # the pay gap keeps its own rule over pay cells (pay.withhold)
        done = disclose(results[~own], threshold, definitions, data_quality=data_quality,
                        inputs=inputs, public=public, bands=bands)
        return Disclosed(pd.concat([done.results, results[own]]).loc[results.index],
                         done.data_quality, done.inputs, done.outcome)
    frame = results.reset_index(drop=True)
    _, withheld = withhold_by_rules(frame, threshold, protections)
    outcome = audit(frame, withheld, public_rows(frame, protections), threshold,
                    protections, quality, inputs, scope_organisation(frame))
    withheld = close_sets(frame, outcome.withheld, protections)
    withheld = withheld | derived(frame, withheld, protections)
    for path in outcome.coarsened:
        _coarsen(quality, inputs_out, path)
    out = blank(results, withheld)
    public_ids = sorted({i for p in protections.values() for i in p.public})
    return Disclosed(out, quality, inputs_out, {
        "threshold": threshold, "protected": outcome.protected,
        "withheld": int(withheld.sum()), "audit": "passed" if outcome.passed else "failed",
        "public": public_ids})


def _own_rule(results: pd.DataFrame, protections: Mapping[str, Protection]) -> Any:
    """Rows of indicators that are neither rates nor shares (the pay gap)."""
    own = pd.Series(False, index=results.index)
    for standard, protection in protections.items():
        ids = [i for i, d in protection.definitions.items() if d.measure not in ("share", "rate")]
        own |= (results["standard"] == standard) & results["indicator"].astype(str).isin(ids)
    return own.to_numpy(dtype=bool)


def suppress(results: pd.DataFrame, threshold: int | None = 10,
             definitions: Sequence[IndicatorDef] | None = None, *,
             public: Iterable[str] = ()) -> pd.DataFrame:
    """Result rows with small numbers withheld (rules and audit over the rows
    alone); a new frame, same rows, order and columns. ``threshold=None`` returns
    them unchanged. The shipped definitions of the rows' standard are used when
    none are given."""
    return disclose(results, threshold, definitions, public=public).results


def _coarsen(quality: dict[str, Any], inputs: dict[str, Any], path: tuple[str, ...]) -> None:
    """Set one data-quality (or ``meta.inputs``) figure to null."""
    if path[0] == "inputs":
        if path[1] in inputs:
            inputs[path[1]][path[2]] = None
        return
    node: Any = quality
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return
    # A whole table goes: a spelling listed at all says at least one person wrote it.
    if path[-1] in node:
        node[path[-1]] = None
