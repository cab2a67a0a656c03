"""An attacker on published results: linear programmes over one run's
``results.json``, written independently of ``wres_cli.disclosure``.

The attacker knows what a careful reader of a WRES publication knows:

* the indicator definitions (read here from the TOML files with ``tomllib``,
  not through the package's loader): which indicators count the same
  population, which breakdowns add up to ``overall``;
* that the four minority broad groups add up to ``minority``; that White,
  minority and unknown add up to a share's headcount; that the levels of a
  breakdown add up to ``overall`` (a compound level to each of its parts);
* that ``0 <= numerator <= denominator``;
* the data-quality section: rows in scope, declaration rates (overall and by
  grade, times their headcounts), the spellings of unknown ethnicity, and that
  people with an event are no more than the event rows in scope.

Each published count is a constant; each withheld one a variable. For every
protected count of the unsuppressed run it finds the smallest and largest value
consistent with all of that (the LP relaxation, as the methodology states).

The model is row-level (a variable per distinct quantity a row names), where the
package's audit works on atoms per population cell: two formulations of the
same knowledge, so the one checks the other.
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, vstack
from scipy.sparse.csgraph import connected_components

ROOT = Path(__file__).resolve().parents[1]
MINORITY_PARTS = ("asian", "black", "mixed", "other")
SHARE_SPLIT = ("white", "minority", "unknown")
#: Data-quality scopes as population definitions (methodology §3 declaration rates).
SCOPES = {
    "workforce": {"extract": "workforce", "rule": "in_post_during_period"},
    "recruitment": {"extract": "recruitment", "rule": "dated_in_period",
                    "date": "application_date"},
    "survey": {"extract": "survey", "rule": "all"},
    "board": {"extract": "board", "rule": "all"},
}


def _key(table: dict[str, Any]) -> str:
    """A population's identity: everything but where it is written."""
    kept = {k: v for k, v in table.items() if k not in ("breakdown", "level")}
    return json.dumps(kept, sort_keys=True)


@dataclass
class Definition:
    id: str
    measure: str
    breakdowns: list[str]
    overall_pop: str | None  # the population written as overall and breakdowns
    named: dict[tuple[str, str], str]  # (breakdown, level) -> population key
    event_extract: str | None
    public: bool


def definitions(standard: str, extra: Iterable[Path] = ()) -> dict[str, Definition]:
    files = sorted((ROOT / "indicators" / standard).glob("*.toml")) + list(extra)
    out = {}
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if data["measure"] not in ("share", "rate"):
            continue  # the pay gap: protected by its own rule over pay cells (pay.withhold)
        pops = data["population"]
        pops = pops if isinstance(pops, list) else [pops]
        named = {(p["breakdown"], p["level"]): _key(p) for p in pops if "breakdown" in p}
        unnamed = [_key(p) for p in pops if "breakdown" not in p]
        event = data.get("event", {})
        out[str(data["id"])] = Definition(
            id=str(data["id"]), measure=data["measure"], breakdowns=data.get("breakdowns", []),
            overall_pop=unnamed[0] if unnamed else None, named=named,
            event_extract=event.get("extract"), public=bool(data.get("public", False)))
    return out


@dataclass
class Model:
    names: dict[tuple, int] = field(default_factory=dict)
    eq: list[tuple[dict[int, float], float]] = field(default_factory=list)
    le: list[tuple[dict[int, float], float]] = field(default_factory=list)
    known: dict[int, float] = field(default_factory=dict)

    def var(self, name: tuple) -> int:
        return self.names.setdefault(name, len(self.names))

    def equal(self, terms: dict[int, float], value: float = 0.0) -> None:
        self.eq.append((terms, value))

    def at_most(self, terms: dict[int, float], value: float = 0.0) -> None:
        self.le.append((terms, value))


def _quantities(row: dict[str, Any], d: Definition) -> tuple[tuple, tuple]:
    """Names of the (numerator, denominator) of a share or rate row."""
    b, lvl, g = row["breakdown"], row["level"], row["group"]
    if (b, lvl) in d.named:
        pop, b, lvl = d.named[(b, lvl)], "overall", "all"
    else:
        pop = d.overall_pop
    if row["measure"] == "share":
        return ("H", row["organisation"], pop, b, lvl, g), ("T", row["organisation"], pop, b, lvl)
    return (("E", row["organisation"], d.id, b, lvl, g),
            ("H", row["organisation"], pop, b, lvl, g))


def build(document: dict[str, Any], defs: dict[str, Definition]) -> Model:
    m = Model()
    cells: dict[tuple, set[str]] = defaultdict(set)  # (kind, org, pop|ind, b, l) -> groups
    for row in document["results"]:
        if row["measure"] not in ("share", "rate") or row["indicator"] not in defs:
            continue
        d = defs[row["indicator"]]
        num, den = _quantities(row, d)
        n, dn = m.var(num), m.var(den)
        m.at_most({n: 1.0, dn: -1.0})
        cells[num[:-1]].add(num[-1])
        if den[0] == "H":
            cells[den[:-1]].add(den[-1])
        else:
            cells[den].add("")
        if not row["suppressed"]:
            m.known[n] = float(row["numerator"])
            m.known[dn] = float(row["denominator"])
    _group_sets(m, cells)
    _level_sets(m, cells, document, defs)
    _data_quality(m, document, defs)
    return m


def _group_sets(m: Model, cells: dict[tuple, set[str]]) -> None:
    for cell in list(cells):
        if cell[0] == "T":
            continue
        parts = {g: m.var((*cell, g)) for g in (*MINORITY_PARTS, *SHARE_SPLIT)}
        m.equal({parts["minority"]: 1.0, **{parts[g]: -1.0 for g in MINORITY_PARTS}})
        if cell[0] == "H":
            total = m.var(("T", *cell[1:]))
            m.equal({total: 1.0, **{parts[g]: -1.0 for g in SHARE_SPLIT}})


def _level_sets(m: Model, cells: dict[tuple, set[str]], document: dict[str, Any],
                defs: dict[str, Definition]) -> None:
    """Every additive breakdown's levels add up to overall, per group and for the total."""
    additive: dict[str, set[str]] = defaultdict(set)  # pop or indicator id -> breakdowns
    for d in defs.values():
        if d.overall_pop:
            additive[d.overall_pop].update(d.breakdowns)
            if d.measure == "rate":
                additive[d.id].update(d.breakdowns)
    levels: dict[tuple, set[str]] = defaultdict(set)  # (kind, org, owner, b) -> levels
    for cell in cells:
        kind, org, owner, b, lvl = cell
        if b in additive.get(owner, ()):
            levels[(kind, org, owner, b)].add(lvl)
    groups = ("white", *MINORITY_PARTS, "minority", "unknown")
    for (kind, org, owner, b), lvls in levels.items():
        suffixes: Iterable[tuple] = [()] if kind == "T" else [(g,) for g in groups]
        for suffix in suffixes:
            terms = {m.var((kind, org, owner, "overall", "all", *suffix)): -1.0}
            for lvl in lvls:
                terms[m.var((kind, org, owner, b, lvl, *suffix))] = 1.0
            m.equal(terms)
            if "+" in b:  # compound: the cells of one part's level add up to it
                for part in (0, 1):
                    dim = b.split("+")[part]
                    by_level: dict[str, dict[int, float]] = defaultdict(dict)
                    for lvl in lvls:
                        by_level[lvl.split("+", 1)[part]][
                            m.var((kind, org, owner, b, lvl, *suffix))] = 1.0
                    for value, t in by_level.items():
                        total = (kind, org, owner, dim, value, *suffix)
                        if total in m.names:
                            m.equal({**t, m.names[total]: -1.0})


def _data_quality(m: Model, document: dict[str, Any], defs: dict[str, Definition]) -> None:
    quality = document["data_quality"]
    org = document["meta"].get("organisation")
    for name, entry in quality.get("extracts", {}).items():
        if name in SCOPES:
            pop = _key(SCOPES[name])
            h = {g: m.var(("H", org, pop, "overall", "all", g)) for g in SHARE_SPLIT}
            if entry.get("rows_in_scope") is not None:
                m.equal({v: 1.0 for v in h.values()}, float(entry["rows_in_scope"]))
            rate = entry.get("declaration_rate")
            if rate is not None:
                m.equal({h["white"]: 1 - rate, h["minority"]: 1 - rate, h["unknown"]: -rate})
            spellings = entry.get("unknown_values") or {}
            if spellings:
                terms = {h["unknown"]: 1.0}
                total = 0.0
                for spelling, count in spellings.items():
                    if count is None:  # withheld, but listed: someone wrote it
                        v = m.var(("spelling", name, spelling))
                        terms[v] = -1.0
                        m.at_most({v: -1.0}, -1.0)
                    else:
                        total += count
                m.equal(terms, total)
        scope = entry.get("rows_in_scope")
        if scope is None:
            continue
        for d in defs.values():
            if d.event_extract == name:
                terms = {m.var(("E", org, d.id, "overall", "all", g)): 1.0 for g in SHARE_SPLIT}
                m.at_most(terms, float(scope))
    workforce = _key(SCOPES["workforce"])
    for grade, rate in quality.get("declaration_rate_by_grade", {}).items():
        if rate is None:
            continue
        h = {g: m.var(("H", org, workforce, "grade", grade, g)) for g in SHARE_SPLIT}
        m.equal({h["white"]: 1 - rate, h["minority"]: 1 - rate, h["unknown"]: -rate})


def _matrix(rows: list[tuple[dict[int, float], float]], n: int,
            known: dict[int, float]) -> tuple[Any, np.ndarray]:
    data, ri, ci, rhs = [], [], [], []
    for i, (terms, value) in enumerate(rows):
        b = value
        for v, c in terms.items():
            if v in known:
                b -= c * known[v]
            else:
                data.append(c)
                ri.append(i)
                ci.append(v)
        rhs.append(b)
    return coo_matrix((data, (ri, ci)), shape=(len(rows), n)).tocsr(), np.array(rhs)


@dataclass
class Finding:
    name: tuple
    true: float
    low: float
    high: float


def attack(document: dict[str, Any], truth: dict[str, Any], defs: dict[str, Definition],
           threshold: int) -> tuple[list[Finding], int]:
    """(every protected count whose range is narrower than [0, threshold-1],
    how many protected counts were checked). ``truth`` is the unsuppressed run."""
    m = build(document, defs)
    n = len(m.names)
    a_eq, b_eq = _matrix(m.eq, n, m.known)
    a_ub, b_ub = _matrix(m.le, n, m.known)
    protected = _protected(truth, defs, threshold)
    targets = {m.names[name]: value for name, value in protected.items() if name in m.names}
    names = {i: name for name, i in m.names.items()}
    findings = [Finding(names[v], true, m.known[v], m.known[v])
                for v, true in targets.items() if v in m.known]
    hidden = np.array([v for v in targets if v not in m.known], dtype=int)
    # Independent parts: unknowns linked by a relation. Known values are constants.
    both = vstack([a_eq, a_ub]).tocsc()
    pattern = (both != 0).astype(np.int8)
    link = (pattern.T @ pattern).tocsr()
    _, part = connected_components(link, directed=False)
    for p in np.unique(part[hidden]):
        cols = np.flatnonzero(part == p)
        cols = cols[[c not in m.known for c in cols]]
        findings += _attack_part(a_eq, b_eq, a_ub, b_ub, cols,
                                 [v for v in hidden if part[v] == p], targets, names, threshold)
    return findings, len(targets)


def _attack_part(a_eq: Any, b_eq: np.ndarray, a_ub: Any, b_ub: np.ndarray, cols: np.ndarray,
                 hidden: list[int], targets: dict[int, float], names: dict[int, tuple],
                 threshold: int) -> list[Finding]:
    eq_rows = np.flatnonzero(np.asarray(abs(a_eq[:, cols]).sum(axis=1)).ravel() > 0)
    ub_rows = np.flatnonzero(np.asarray(abs(a_ub[:, cols]).sum(axis=1)).ravel() > 0)
    sub = {"A_eq": a_eq[eq_rows][:, cols] if len(eq_rows) else None,
           "b_eq": b_eq[eq_rows] if len(eq_rows) else None,
           "A_ub": a_ub[ub_rows][:, cols] if len(ub_rows) else None,
           "b_ub": b_ub[ub_rows] if len(ub_rows) else None}
    where = {int(c): i for i, c in enumerate(cols)}

    n = len(cols)
    cols_of = [where[v] for v in hidden]
    top = float(threshold - 1)

    def solve(c: np.ndarray, **extra: Any) -> Any:
        return linprog(c, bounds=(0, None), method="highs", **{**sub, **extra})

    # Least values: minimise the sum of the counts not yet seen at 0; any count at
    # 0 in the solution can be 0. When none is, the first is asked alone.
    low_ok: set[int] = set()
    found: dict[int, Finding] = {}
    while pending := [k for k in range(len(hidden)) if k not in low_ok and k not in found]:
        c = np.zeros(n)
        c[[cols_of[k] for k in pending]] = 1.0
        result = solve(c)
        zero = {k for k in pending if result.status == 0 and result.x[cols_of[k]] <= 1e-6}
        if not zero:
            k = pending[0]
            c = np.zeros(n)
            c[cols_of[k]] = 1.0
            alone = solve(c)
            if alone.status == 0 and alone.fun <= 1e-6:
                zero = {k}
            else:
                found[k] = Finding(names[hidden[k]], targets[hidden[k]],
                                   alone.fun if alone.status == 0 else np.nan, np.nan)
        low_ok |= zero
    # Greatest values: y_k <= x_k and y_k <= top, maximise the sum of the y_k.
    high_ok: set[int] = set()
    a_ub, b_ub = sub["A_ub"], sub["b_ub"]
    while pending := [k for k in range(len(hidden)) if k not in high_ok and k not in found]:
        m = len(pending)
        link = coo_matrix((np.concatenate([-np.ones(m), np.ones(m)]),
                           (np.concatenate([np.arange(m)] * 2),
                            np.concatenate([[cols_of[k] for k in pending], n + np.arange(m)]))),
                          shape=(m, n + m))
        wide_ub = link if a_ub is None else vstack([coo_matrix(
            (a_ub.tocoo().data, (a_ub.tocoo().row, a_ub.tocoo().col)),
            shape=(a_ub.shape[0], n + m)), link])
        wide_b = np.zeros(m) if b_ub is None else np.concatenate([b_ub, np.zeros(m)])
        wide_eq = None if sub["A_eq"] is None else coo_matrix(
            (sub["A_eq"].tocoo().data, (sub["A_eq"].tocoo().row, sub["A_eq"].tocoo().col)),
            shape=(sub["A_eq"].shape[0], n + m))
        c = np.concatenate([np.zeros(n), -np.ones(m)])
        bounds = [(0, None)] * n + [(0, top)] * m
        result = linprog(c, A_ub=wide_ub, b_ub=wide_b, A_eq=wide_eq, b_eq=sub["b_eq"],
                         bounds=bounds, method="highs")
        full = {k for i, k in enumerate(pending)
                if result.status == 0 and result.x[n + i] >= top - 1e-6}
        if not full:
            k = pending[0]
            c = np.zeros(n)
            c[cols_of[k]] = -1.0
            alone = solve(c)
            if alone.status == 3 or (alone.status == 0 and -alone.fun >= top - 1e-6):
                full = {k}
            else:
                found[k] = Finding(names[hidden[k]], targets[hidden[k]], 0.0,
                                   -alone.fun if alone.status == 0 else np.nan)
        high_ok |= full
    return list(found.values())


def _name_of(m: Model, v: int) -> tuple:
    return next(name for name, i in m.names.items() if i == v)


def _protected(truth: dict[str, Any], defs: dict[str, Definition],
               threshold: int) -> dict[tuple, float]:
    """Small counts (1 <= c < threshold) behind rate and share rows, by name, except
    unknown headcounts in shares and public indicators."""
    out = {}
    for row in truth["results"]:
        if row["measure"] not in ("share", "rate") or row["indicator"] not in defs:
            continue
        d = defs[row["indicator"]]
        if d.public:
            continue
        num, den = _quantities(row, d)
        for name, value, kind in ((num, row["numerator"], "num"), (den, row["denominator"], "den")):
            if value is None or not 1 <= value < threshold:
                continue
            if row["measure"] == "share" and kind == "num" and row["group"] == "unknown":
                continue
            out[name] = float(value)
    return out
