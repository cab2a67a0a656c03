"""The audit's model (methodology section 5, rule 3): every published row, the
structure of the breakdowns and the data-quality figures as linear relations
over the atoms of cells (see ``wres_cli.disclosure.audit`` for the model in
words). Built once per run; the audit then only removes relations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wres_cli.contract import BROAD_GROUPS, GROUP_ORDER, MINORITY_GROUPS
from wres_cli.disclosure.definitions import OVERALL, Protection
from wres_cli.indicators import PopulationDef

#: Atoms of a cell, and which atoms each group (and the headcount) sums.
_ATOMS = {g: i for i, g in enumerate(BROAD_GROUPS)}
_KNOWN_ATOMS = tuple(_ATOMS[g] for g in BROAD_GROUPS if g != "unknown")
_GROUP_ATOMS: dict[str, tuple[int, ...]] = {
    **{g: (i,) for g, i in _ATOMS.items()},
    "minority": tuple(_ATOMS[g] for g in MINORITY_GROUPS),
    "": tuple(range(len(BROAD_GROUPS))),  # the headcount
}
_N_ATOMS = len(BROAD_GROUPS)
_GROUP_RANK = {g: i for i, g in enumerate(GROUP_ORDER)}

#: Data-quality scopes as populations (methodology section 3, declaration rates).
_QUALITY_SCOPES = {
    "workforce": PopulationDef("workforce", "in_post_during_period"),
    "recruitment": PopulationDef("recruitment", "dated_in_period", date="application_date"),
    "survey": PopulationDef("survey", "all"),
    "board": PopulationDef("board", "all"),
}

Path = tuple[str, ...]


def _read_paths(name: str) -> tuple[Path, ...]:
    """Rows read are in ``meta.inputs`` and in data quality: coarsened together."""
    return (("inputs", name, "rows"), ("extracts", name, "rows_read"))


@dataclass
class _Relation:
    """One linear relation ``sum(coef * var) (== or <=) rhs``."""

    variables: np.ndarray
    coefs: np.ndarray
    rhs: float
    equal: bool
    #: published result rows that state it (withholding them all removes it)
    rows: tuple[int, ...] = ()
    #: the data-quality figures that state it (coarsening them removes it)
    quality: tuple[Path, ...] = ()
    #: stated by a public indicator: never removed
    public: bool = False
    #: for choosing: group rank and first row of the figure
    rank: tuple[int, int] = (0, 0)

    @property
    def removable(self) -> bool:
        return not self.public and bool(self.rows or self.quality)



@dataclass
class _Flat:
    variables: np.ndarray  # every relation's variables, one after another
    owner: np.ndarray  # the relation of each entry
    start: np.ndarray  # where each relation's entries start
    size: np.ndarray
    equal: np.ndarray


@dataclass
class _Model:
    _flat: _Flat | None = None
    cells: dict[tuple, int] = field(default_factory=dict)
    relations: list[_Relation] = field(default_factory=list)
    #: protected count -> (variables, true value)
    protected: dict[tuple[int, str], np.ndarray] = field(default_factory=dict)

    def cell(self, key: tuple) -> int:
        return self.cells.setdefault(key, len(self.cells))

    def flat(self) -> _Flat:
        """The relations as flat arrays, built once (the relations never change;
        only which are stated does)."""
        if self._flat is None:
            rs = self.relations
            size = np.array([len(r.variables) for r in rs], dtype=np.int64)
            start = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
            self._flat = _Flat(
                variables=np.concatenate([r.variables for r in rs]
                                         + [np.empty(0, np.int64)]).astype(np.int64),
                owner=np.repeat(np.arange(len(rs)), size), start=start, size=size,
                equal=np.array([r.equal for r in rs], dtype=bool))
        return self._flat

    def atoms(self, cell: int, group: str) -> np.ndarray:
        return cell * _N_ATOMS + np.asarray(_GROUP_ATOMS[group], dtype=np.int64)

    def add(self, variables: np.ndarray, coefs: np.ndarray | float, rhs: float, *,
            equal: bool = True, **facts: Any) -> None:
        variables = np.asarray(variables, dtype=np.int64)
        coefs = np.broadcast_to(np.asarray(coefs, dtype=float), variables.shape).copy()
        self.relations.append(_Relation(variables, coefs, float(rhs), equal, **facts))



# ------------------------------------------------------------------ building the model

def _build(frame: pd.DataFrame, public: np.ndarray, threshold: int,
           protections: Mapping[str, Protection], quality: Mapping[str, Any],
           inputs: Mapping[str, Any], organisation_scope: np.ndarray) -> _Model:
    model = _Model()
    counted = np.flatnonzero(frame["measure"].isin(("share", "rate")).to_numpy())
    columns = {c: frame[c].to_numpy(dtype=object) for c in
               ("period_start", "period_end", "standard", "measure", "breakdown", "level",
                "group")}
    indicator = frame["indicator"].astype(str).to_numpy(dtype=object)
    numerator = frame["numerator"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    denominator = frame["denominator"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    published: dict[tuple[int, str], list[int]] = defaultdict(list)
    values: dict[tuple[int, str], float] = {}
    public_expr: set[tuple[int, str]] = set()
    event_cells: dict[tuple, tuple] = {}
    for i in counted.tolist():
        scope = (organisation_scope[i], columns["period_start"][i], columns["period_end"][i],
                 columns["standard"][i])
        protection = protections[columns["standard"][i]]
        pop, dims, level = protection.cell_of(indicator[i], columns["breakdown"][i],
                                              columns["level"][i])
        people = model.cell(("H", scope, pop, dims, level))
        group = columns["group"][i]
        if columns["measure"][i] == "share":
            num, den = (people, group), (people, "")
        else:
            events = ("E", scope, indicator[i], dims, level)
            event_cells[events] = ("H", scope, pop, dims, level)
            num, den = (model.cell(events), group), (people, group)
        for expr, value, is_num in ((num, numerator[i], True), (den, denominator[i], False)):
            published[expr].append(i)
            values[expr] = value
            if public[i]:
                public_expr.add(expr)
            elif 1 <= value < threshold and not (
                    is_num and group == "unknown" and columns["measure"][i] == "share"):
                model.protected[expr] = model.atoms(*expr)
    for expr in public_expr:
        model.protected.pop(expr, None)  # published anyway by a public indicator
    for expr, rows in published.items():
        model.add(model.atoms(*expr), 1.0, values[expr], rows=tuple(rows),
                  public=expr in public_expr,
                  rank=(_GROUP_RANK.get(expr[1], len(_GROUP_RANK)), rows[0]))
    _add_structure(model, event_cells)
    _add_bands(model, protections)
    _add_quality(model, protections, quality, inputs, frame, organisation_scope)
    return model


def _add_structure(model: _Model, event_cells: Mapping[tuple, tuple]) -> None:
    """Levels add up to overall (and compound cells to each part's level);
    events at most the population."""
    families: dict[tuple, list[tuple]] = defaultdict(list)
    for key in list(model.cells):
        kind, scope, owner, dims, _ = key
        if dims != OVERALL:
            families[(kind, scope, owner, dims)].append(key)
    for (kind, scope, owner, dims), members in families.items():
        overall = model.cell((kind, scope, owner, OVERALL, "all"))
        _add_sums(model, [model.cells[k] for k in members], overall)
        if len(dims) > 1:
            for part, dim in enumerate(dims):
                by_level: dict[str, list[int]] = defaultdict(list)
                for key in members:
                    by_level[str(key[4]).split("+", 1)[part] if "+" in str(key[4])
                             else str(key[4])].append(model.cells[key])
                for value, cells in by_level.items():
                    total = model.cells.get((kind, scope, owner, (dim,), value))
                    if total is not None:
                        _add_sums(model, cells, total)
    for events, people in event_cells.items():
        e, h = model.cells[events], model.cell(people)
        for atom in range(_N_ATOMS):
            model.add(np.array([e * _N_ATOMS + atom, h * _N_ATOMS + atom]),
                      np.array([1.0, -1.0]), 0.0, equal=False)


def _add_bands(model: _Model, protections: Mapping[str, Protection]) -> None:
    """``[grades.bands]``: each band's cell is the sum of its grades' cells."""
    from wres_cli.disclosure.definitions import band_parts

    if not any(p.bands for p in protections.values()):
        return
    by_band: dict[tuple, list[int]] = defaultdict(list)
    for key in list(model.cells):
        kind, scope, owner, dims, level = key
        protection = protections.get(scope[3])
        found = band_parts(dims, level, protection.bands if protection is not None else {})
        if found is None or found[0] == dims:
            continue
        by_band[(kind, scope, owner, found[0], found[1])].append(model.cells[key])
    for band_key, grade_cells in by_band.items():
        total = model.cells.get(band_key)
        if total is not None:
            _add_sums(model, grade_cells, total)


def _add_sums(model: _Model, parts: list[int], total: int) -> None:
    parts_arr = np.asarray(parts, dtype=np.int64)
    for atom in range(_N_ATOMS):
        variables = np.concatenate([parts_arr * _N_ATOMS + atom, [total * _N_ATOMS + atom]])
        coefs = np.concatenate([np.ones(len(parts_arr)), [-1.0]])
        model.add(variables, coefs, 0.0)


def _add_quality(model: _Model, protections: Mapping[str, Protection],
                 quality: Mapping[str, Any], inputs: Mapping[str, Any], frame: pd.DataFrame,
                 organisation_scope: np.ndarray) -> None:
    """The data-quality section and ``meta.inputs`` as relations (they speak of the
    whole run: the scope of its overall rows)."""
    overall = np.flatnonzero(frame["breakdown"].to_numpy(dtype=object) == "overall")
    if not len(overall):
        return
    i = int(overall[0])
    scope = (organisation_scope[i], frame["period_start"].iat[i], frame["period_end"].iat[i],
             frame["standard"].iat[i])
    protection = protections[str(frame["standard"].iat[i])]
    from wres_cli.disclosure.definitions import population_key

    extracts = quality.get("extracts", {}) or {}
    for name, entry in extracts.items():
        read = (inputs.get(name) or {}).get("rows")
        in_scope = entry.get("rows_in_scope")
        # rows in scope = rows read - exclusions: coarsened together
        scope_paths: tuple[Path, ...] = (("extracts", name, "rows_in_scope"),
                                         ("extracts", name, "excluded"))
        if name in _QUALITY_SCOPES:
            cell = model.cell(("H", scope, population_key(_QUALITY_SCOPES[name]), OVERALL, "all"))
            everyone = model.atoms(cell, "")
            if in_scope is not None:
                model.add(everyone, 1.0, in_scope, quality=scope_paths)
            if read is not None:
                model.add(everyone, 1.0, read, equal=False, quality=_read_paths(name))
            _declaration(model, cell, entry.get("declaration_rate"),
                         ("extracts", name, "declaration_rate"))
            spellings = entry.get("unknown_values") or {}
            if spellings and all(v is not None for v in spellings.values()):
                model.add(model.atoms(cell, "unknown"), 1.0, sum(spellings.values()),
                          quality=(("extracts", name, "unknown_values"),))
            if name == "workforce":
                for grade, rate in (quality.get("declaration_rate_by_grade") or {}).items():
                    grade_cell = model.cell(("H", scope, population_key(_QUALITY_SCOPES[name]),
                                             ("grade",), grade))
                    _declaration(model, grade_cell, rate,
                                 ("declaration_rate_by_grade", grade))
        for indicator, d in protection.definitions.items():
            if d.event is None or d.event.extract != name:
                continue
            events = model.cells.get(("E", scope, indicator, OVERALL, "all"))
            if events is None:
                continue
            people_with_events = model.atoms(events, "")
            if in_scope is not None:
                model.add(people_with_events, 1.0, in_scope, equal=False, quality=scope_paths)
            if read is not None:
                model.add(people_with_events, 1.0, read, equal=False,
                          quality=_read_paths(name))


def _declaration(model: _Model, cell: int, rate: float | None, path: Path) -> None:
    """known = rate * headcount, i.e. (1 - rate) * known - rate * unknown = 0."""
    if rate is None:
        return
    atoms = model.atoms(cell, "")
    coefs = np.where(np.isin(np.arange(_N_ATOMS), _KNOWN_ATOMS), 1.0 - rate, -rate)
    model.add(atoms, coefs, 0.0, quality=(path,))


