"""The audit (methodology section 5, rule 3): after the row rules, work out for
every protected count the smallest and largest value consistent with everything
the run publishes, and withhold more until each can be anything from 0 to
``threshold - 1``.

The model. Every share or rate row counts people of some groups in one *cell*:
a population (who is counted, whatever indicator counts them) at one level of
one breakdown, or one indicator's events there. A cell has one variable per
broad group (``white``, the four minority groups, ``unknown``), its *atoms*; a
row's numerator and denominator are sums of atoms (``minority`` is four, a
share's headcount all six). What a careful reader knows becomes relations:

* a published row: its numerator and denominator equal their published values;
* the levels of a breakdown add up to ``overall``, atom by atom (a compound
  level to each of its parts); events at most the population, atom by atom;
* data quality: rows in scope, declaration rates (overall and by grade), the
  unknown spellings, and people with an event at most the event rows in scope
  (or, failing that, the rows read).

All variables are at least 0 (the LP relaxation, as the methodology states).
A published row that names a single atom pins it, so pinned atoms split the
relations into independent parts; only parts holding a protected count are
solved, each with a pair of small linear programmes per protected count
(``scipy.optimize.linprog``, HiGHS) after one joint check that usually settles
all of them at once. Where a count's range is too narrow, the published figure
of a binding relation (non-zero dual value) with the smallest count is taken
away: a data-quality figure first (it is coarsened to null), otherwise the
rows publishing it are withheld. Parts are cached by the relations they hold,
so a round re-solves only what changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wres_cli.disclosure.audit_model import _N_ATOMS, Path, _build, _Model
from wres_cli.disclosure.definitions import Protection

_TOLERANCE = 1e-6
#: Parts are small: presolve costs more than it saves.
_HIGHS = {"presolve": False}
#: How many variables one block-diagonal programme may hold (copies x variables).
_BLOCK_CELLS = 3000


@dataclass
class _Side:
    marginals: np.ndarray


class _BlockDuals:
    """The dual values of one copy of a block-diagonal programme, shaped like a
    ``linprog`` result for ``_binding``."""

    status = 0

    def __init__(self, result: Any, j: int, me: int, mu: int) -> None:
        eq = result.eqlin.marginals if me else np.empty(0)
        ub = result.ineqlin.marginals
        self.eqlin = _Side(np.asarray(eq[j * me:(j + 1) * me]))
        self.ineqlin = _Side(np.asarray(ub[j * mu:(j + 1) * mu]))


def _verdict(answer: np.ndarray | int) -> int | None:
    return answer if isinstance(answer, int) else None


@dataclass
class AuditOutcome:
    withheld: np.ndarray
    coarsened: list[Path]
    protected: int
    passed: bool



def audit(frame: pd.DataFrame, withheld: np.ndarray, public: np.ndarray, threshold: int,
          protections: Mapping[str, Protection], quality: Mapping[str, Any] | None,
          inputs: Mapping[str, Any] | None, organisation_scope: np.ndarray) -> AuditOutcome:
    """Withhold more rows (and coarsen data-quality figures) until no protected
    count can be told apart from 0 or from ``threshold - 1``."""
    model = _build(frame, public, threshold, protections, quality or {}, inputs or {},
                   organisation_scope)
    state = _State(model, withheld)
    passed = True
    while True:
        failing = _failing_relations(model, state, threshold)
        if failing is None:
            break
        if not failing:
            passed = False  # a protected count pinned by figures that cannot be withheld
            break
        for index in failing:
            if index >= 0:
                state.remove(index)
    return AuditOutcome(withheld=state.withheld, coarsened=state.coarsened,
                        protected=len(model.protected), passed=passed)



class _State:
    """What is still published: rows not withheld, relations still stated, and
    the counts already seen to reach 0 and the top. Removing relations only
    widens every range, so a count that passed a check passes it for good."""

    def __init__(self, model: _Model, withheld: np.ndarray) -> None:
        self.model = model
        self.withheld = withheld.copy()
        self.active = np.array([not (r.rows and all(self.withheld[list(r.rows)])) or r.public
                                for r in model.relations], dtype=bool)
        self.by_row: dict[int, list[int]] = defaultdict(list)
        self.by_path: dict[Path, list[int]] = defaultdict(list)
        for i, r in enumerate(model.relations):
            for row in r.rows:
                self.by_row[row].append(i)
            for path in r.quality:
                self.by_path[path].append(i)
        self.coarsened: list[Path] = []
        self.seen: dict[str, set[tuple[int, str]]] = {"low": set(), "high": set()}

    def remove(self, index: int) -> None:
        """Take away the figure stating relation ``index``: coarsen its data-quality
        figures, or withhold the rows publishing it."""
        relation = self.model.relations[index]
        if relation.quality:
            self.coarsened.extend(p for p in relation.quality if p not in self.coarsened)
            for path in relation.quality:
                self.active[self.by_path[path]] = False
            return
        self.withheld[list(relation.rows)] = True
        for row in relation.rows:
            for i in self.by_row[row]:
                other = self.model.relations[i]
                if not other.public and all(self.withheld[list(other.rows)]):
                    self.active[i] = False



# ------------------------------------------------------------------ solving

def _failing_relations(model: _Model, state: _State, threshold: int) -> list[int] | None:
    """None when every protected count passes; else one relation to remove per
    failing part (empty when the parts fail with nothing removable)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n_vars = len(model.cells) * _N_ATOMS
    seen = state.seen
    flat = model.flat()
    on = state.active[flat.owner]  # per entry: its relation is still stated
    alone = state.active & flat.equal & (flat.size == 1)
    pinned = np.zeros(n_vars, dtype=bool)
    pinned[flat.variables[flat.start[alone]]] = True
    pins: dict[int, list[int]] = defaultdict(list)  # variable -> relations stating it alone
    for i in np.flatnonzero(alone).tolist():
        pins[int(flat.variables[flat.start[i]])].append(i)
    # Parts: unpinned variables linked through a relation.
    free_entry = on & ~pinned[flat.variables]
    n = n_vars + len(flat.size)
    graph = coo_matrix((np.ones(int(free_entry.sum())),
                        (flat.variables[free_entry], n_vars + flat.owner[free_entry])),
                       shape=(n, n))
    _, part = connected_components(graph, directed=False)
    by_part: dict[int, list[tuple[int, str]]] = defaultdict(list)
    failing: list[int] = []
    any_failing = False
    # Counts that differ only by atoms pinned at 0 are the same count: check one.
    same: dict[tuple[int, ...], list[tuple[int, str]]] = defaultdict(list)
    for expr, atoms in model.protected.items():
        if expr in seen["low"] and expr in seen["high"]:
            continue
        free = atoms[~pinned[atoms]]
        stated = [i for a in atoms[pinned[atoms]].tolist() for i in pins[a]
                  if model.relations[i].rhs != 0]
        if len(free) and not stated:
            key = tuple(sorted(free.tolist()))
            if not same[key]:
                by_part[int(part[free[0]])].append(expr)
            same[key].append(expr)
            continue
        # Stated exactly by other figures, or at least one published atom above 0.
        any_failing = True
        choice = _pick(model, stated or [i for a in atoms.tolist() for i in pins[a]])
        if choice is not None and choice not in failing:
            failing.append(choice)
    # Each stated relation with a free variable belongs to that variable's part.
    has_free = np.zeros(len(flat.size), dtype=bool)
    has_free[flat.owner[free_entry]] = True
    relation_part = part[n_vars + np.arange(len(flat.size))]
    wanted = np.isin(relation_part, list(by_part)) & has_free
    part_relations: dict[int, list[int]] = defaultdict(list)
    for i, p in zip(np.flatnonzero(wanted).tolist(), relation_part[wanted].tolist(),
                    strict=True):
        part_relations[p].append(i)
    parts = {}
    for p, exprs in by_part.items():
        members = part_relations[p]
        entries = np.isin(flat.owner, members)
        used = np.unique(np.concatenate([flat.variables[entries],
                                         *(model.protected[e] for e in exprs)]))
        pinning = [i for v in used[pinned[used]].tolist() for i in pins[v]]
        parts[p] = (sorted({*members, *pinning}), exprs)
    fixed = np.full(n_vars, np.nan)
    for variable, stating in pins.items():
        fixed[variable] = model.relations[stating[0]].rhs
    verdicts = _check_parts(model, parts, threshold, state, fixed)
    for group in same.values():
        for side in ("low", "high"):
            if group[0] in seen[side]:
                seen[side].update(group)
    for verdict in verdicts:
        any_failing = True
        if verdict == -2 or (verdict >= 0 and verdict not in failing):
            failing.append(verdict)  # -2: mended in place, to be checked again
    return failing if any_failing else None


class _LP:
    """The relations of some parts as one linear programme over their variables.
    The batch maximum adds a capped copy ``y_j <= min(top, sum of count j's
    atoms)`` of each count, built when first asked for."""

    def __init__(self, model: _Model, relations: list[int], exprs: list[tuple[int, str]],
                 top: float, fixed: np.ndarray | None = None) -> None:
        """``fixed``: the value of each pinned variable (NaN where free), to be
        taken as constants: a smaller programme, for checks only (its dual
        values cannot name a pinning relation)."""
        self.model, self.exprs, self.top = model, exprs, top
        rs = [model.relations[i] for i in relations]
        variables = np.concatenate([r.variables for r in rs] + [np.empty(0, dtype=np.int64)])
        coefs = np.concatenate([r.coefs for r in rs] + [np.empty(0)])
        sizes = np.array([len(r.variables) for r in rs], dtype=np.int64)
        owner = np.repeat(np.arange(len(rs)), sizes)
        rhs = np.array([r.rhs for r in rs], dtype=float)
        target_atoms = [model.protected[e] for e in exprs]
        if fixed is not None:
            value = fixed[variables]
            constant = ~np.isnan(value)
            rhs -= np.bincount(owner[constant], weights=coefs[constant] * value[constant],
                               minlength=len(rs))
            variables, coefs, owner = (variables[~constant], coefs[~constant],
                                       owner[~constant])
            keep = np.bincount(owner, minlength=len(rs)) > 0  # all-constant: true anyway
            renumber = np.cumsum(keep) - 1
            rs = [r for r, k in zip(rs, keep, strict=True) if k]
            relations = [i for i, k in zip(relations, keep, strict=True) if k]
            owner, rhs = renumber[owner], rhs[keep]
            target_atoms = [a[np.isnan(fixed[a])] for a in target_atoms]
        used = np.unique(np.concatenate([variables, *target_atoms]))
        position = np.full(int(used.max()) + 1 if len(used) else 1, -1, dtype=np.int64)
        position[used] = np.arange(len(used))
        self.n = len(used)
        equal = np.array([r.equal for r in rs], dtype=bool)
        self.eq = [i for i, e in zip(relations, equal, strict=True) if e]
        self.ub = [i for i, e in zip(relations, equal, strict=True) if not e]
        self.targets = [position[a] for a in target_atoms]
        # Each entry's row within its own matrix (equalities, inequalities).
        row_of = np.where(equal, np.cumsum(equal) - 1, np.cumsum(~equal) - 1)
        self._entries = (row_of[owner], equal[owner], position[variables], coefs)
        self.b_eq, self.b_ub = rhs[equal], rhs[~equal]
        self.a_eq = self._matrix(True, self.n)
        self.a_ub = self._matrix(False, self.n)
        self._capped: tuple[Any, np.ndarray, Any] | None = None

    def _matrix(self, equal: bool, width: int) -> Any:
        from scipy.sparse import csr_matrix

        rows, is_eq, cols, data = self._entries
        keep = is_eq == equal
        height = len(self.eq) if equal else len(self.ub)
        return csr_matrix((data[keep], (rows[keep], cols[keep])), shape=(height, width))

    def _run(self, c: np.ndarray, a_ub: Any, b_ub: np.ndarray, a_eq: Any,
             bounds: Any) -> Any:
        from scipy.optimize import linprog

        return linprog(c, A_ub=a_ub if a_ub.shape[0] else None,
                       b_ub=b_ub if a_ub.shape[0] else None,
                       A_eq=a_eq if a_eq.shape[0] else None,
                       b_eq=self.b_eq if a_eq.shape[0] else None, bounds=bounds,
                       method="highs", options=_HIGHS)

    def least(self, js: list[int]) -> Any:
        """Minimise the sum of counts ``js``."""
        c = np.zeros(self.n)
        for j in js:
            c[self.targets[j]] += 1.0
        return self._run(c, self.a_ub, self.b_ub, self.a_eq, (0, None))

    def greatest(self, j: int) -> Any:
        c = np.zeros(self.n)
        c[self.targets[j]] = -1.0
        return self._run(c, self.a_ub, self.b_ub, self.a_eq, (0, None))

    def _capped_matrices(self) -> tuple[Any, np.ndarray, Any]:
        """[A_ub 0; -T I] and [A_eq 0] over the variables and the k capped copies."""
        from scipy.sparse import csr_matrix

        if self._capped is None:
            n, k = self.n, len(self.exprs)
            rows, is_eq, cols, data = self._entries
            ub = ~is_eq
            cap_rows = np.concatenate([np.full(len(t), j) for j, t in enumerate(self.targets)])
            m = len(self.ub)
            a_cap = csr_matrix((
                np.concatenate([data[ub], -np.ones(len(cap_rows)), np.ones(k)]),
                (np.concatenate([rows[ub], m + cap_rows, m + np.arange(k)]),
                 np.concatenate([cols[ub], np.concatenate(self.targets), n + np.arange(k)]))),
                shape=(m + k, n + k))
            a_eq_cap = self._matrix(True, n + k)
            self._capped = (a_cap, np.concatenate([self.b_ub, np.zeros(k)]), a_eq_cap)
        return self._capped

    def greatest_capped(self, js: list[int]) -> Any:
        """Maximise the capped copies of counts ``js``; the point's first n values."""
        a_cap, b_cap, a_eq_cap = self._capped_matrices()
        k = len(self.exprs)
        c = np.zeros(self.n + k)
        c[self.n + np.asarray(js)] = -1.0
        bounds = np.zeros((self.n + k, 2))
        bounds[:self.n, 1] = np.inf
        bounds[self.n + np.asarray(js), 1] = self.top
        return self._run(c, a_cap, b_cap, a_eq_cap, bounds)

    def sums(self, x: np.ndarray | None) -> np.ndarray | None:
        if x is None:
            return None
        return np.array([x[t].sum() for t in self.targets])

    def each(self, js: list[int], side: str) -> list[int | None]:
        """For each count of ``js`` on its own: None when it reaches 0 (``low``) or
        the top (``high``), else the relation to remove (-1: nothing removable).

        One programme holds a copy of the relations per count (block-diagonal,
        so each copy is solved as if alone, with its own dual values): one call
        instead of one per count, in blocks of a bounded size."""
        per_call = max(1, _BLOCK_CELLS // max(self.n, 1))
        out: list[int | None] = []
        for start in range(0, len(js), per_call):
            out += self._each(js[start:start + per_call], side)
        return out

    def _each(self, js: list[int], side: str) -> list[int | None]:
        from scipy.optimize import linprog
        from scipy.sparse import csr_matrix, identity, kron
        from scipy.sparse import vstack as sparse_vstack

        m, n, me, mu = len(js), self.n, len(self.eq), len(self.ub)
        a_eq = kron(identity(m, format="csr"), self.a_eq, format="csr") if me else None
        blocks_ub = kron(identity(m, format="csr"), self.a_ub, format="csr")
        cols = np.concatenate([j * n + self.targets[t] for j, t in enumerate(js)])
        rows = np.concatenate([np.full(len(self.targets[t]), j) for j, t in enumerate(js)])
        bounds: Any  # (low, high) for every variable, or one row per variable
        if side == "low":
            c = np.zeros(m * n)
            np.add.at(c, cols, 1.0)
            a_ub, b_ub, bounds = blocks_ub, np.tile(self.b_ub, m), (0, None)
        else:
            # y_j <= sum of count j's atoms in copy j, 0 <= y_j <= top; maximise the y_j.
            caps = csr_matrix((np.concatenate([-np.ones(len(cols)), np.ones(m)]),
                               (np.concatenate([rows, np.arange(m)]),
                                np.concatenate([cols, m * n + np.arange(m)]))),
                              shape=(m, m * n + m))
            blocks_ub.resize((m * mu, m * n + m))
            a_ub = sparse_vstack([blocks_ub, caps], format="csr")
            b_ub = np.concatenate([np.tile(self.b_ub, m), np.zeros(m)])
            if a_eq is not None:
                a_eq.resize((m * me, m * n + m))
            c = np.concatenate([np.zeros(m * n), -np.ones(m)])
            bounds = np.column_stack([np.zeros(m * n + m),
                                      np.concatenate([np.full(m * n, np.inf),
                                                      np.full(m, self.top)])])
        result = linprog(c, A_ub=a_ub if a_ub.shape[0] else None,
                         b_ub=b_ub if a_ub.shape[0] else None, A_eq=a_eq,
                         b_eq=np.tile(self.b_eq, m) if me else None, bounds=bounds,
                         method="highs", options=_HIGHS)
        if result.status != 0 or result.x is None:
            # Unbounded (low cannot be) or a numerical failure: ask each alone.
            return [_verdict(_ask(self, j, side, self.top)) for j in js]
        x = result.x
        out: list[int | None] = []
        for j, t in enumerate(js):
            value = x[j * n + self.targets[t]].sum() if side == "low" else x[m * n + j]
            if (value <= _TOLERANCE) if side == "low" else (value >= self.top - _TOLERANCE):
                out.append(None)
                continue
            duals = _BlockDuals(result, j, me, mu)
            out.append(_binding(self.model, duals, self.eq, self.ub))
        return out


def _check_parts(model: _Model, parts: Mapping[int, tuple[list[int], list[tuple[int, str]]]],
                 threshold: int, state: _State, fixed: np.ndarray) -> list[int]:
    """Check every protected count of ``parts``; one relation to remove per failing
    part (-1 where nothing is removable).

    The parts are independent, so one programme over all of them answers for
    each: minimise the sum of the counts not yet seen at 0 (each count at 0 in
    the solution can be 0), maximise their capped copies (each copy at the cap
    can reach it). A part where a round shows nothing new asks its first count
    alone, in a programme of its own, whose dual values name what binds."""
    top = float(threshold - 1)
    seen = state.seen
    if not parts:
        return []
    order = list(parts)
    exprs = [e for p in order for e in parts[p][1]]
    part_of = np.array([p for p in order for _ in parts[p][1]])
    whole = _LP(model, sorted({i for p in order for i in parts[p][0]}), exprs, top, fixed)
    alone: dict[int, _LP] = {}
    verdicts: dict[int, int] = {}

    def part_lp(p: int) -> tuple[_LP, list[int]]:
        if p not in alone:
            alone[p] = _LP(model, parts[p][0], parts[p][1], top, fixed)
        return alone[p], [exprs.index(e) for e in parts[p][1]]

    def harvest(sums: np.ndarray | None, js: list[int] | range) -> None:
        if sums is None:
            return
        for j, total in zip(js, sums, strict=True):
            if total <= _TOLERANCE:
                seen["low"].add(exprs[j])
            if total >= top - _TOLERANCE:
                seen["high"].add(exprs[j])

    for side in ("low", "high"):
        pending = [j for j in range(len(exprs))
                   if exprs[j] not in seen[side] and part_of[j] not in verdicts]
        if not pending:
            continue
        result = whole.least(pending) if side == "low" else whole.greatest_capped(pending)
        harvest(whole.sums(None if result.x is None else result.x[:whole.n]), range(len(exprs)))
        for p in dict.fromkeys(int(part_of[j]) for j in pending):
            lp, js = part_lp(p)
            local = [i for i, j in enumerate(js) if exprs[j] not in seen[side]]
            if not local:
                continue
            answers = lp.each(local, side)
            seen[side].update(exprs[js[i]] for i, a in zip(local, answers, strict=True)
                              if a is None)
            failed = [(i, a) for i, a in zip(local, answers, strict=True) if a is not None]
            if failed:
                # The pinned variables back in, so the dual values can name them.
                full = _LP(model, parts[p][0], parts[p][1], top).each([failed[0][0]], side)[0]
                first = full if full is not None else failed[0][1]
                if first >= 0:
                    state.remove(first)
                    verdicts[p] = _mend(model, state, parts[p], top, side,
                                        [i for i, _ in failed])
                else:
                    verdicts[p] = -1
    return list(verdicts.values())


def _ask(lp: _LP, j: int, side: str, top: float) -> np.ndarray | int:
    """Count ``j`` alone: its solution when it reaches 0 (``low``) or the top
    (``high``), else the relation to remove (-1: nothing removable)."""
    result = lp.least([j]) if side == "low" else lp.greatest(j)
    if side == "low":
        ok = result.status == 0 and result.fun <= _TOLERANCE
    else:
        ok = result.status == 3 or (result.status == 0 and -result.fun >= top - _TOLERANCE)
    if ok:
        return result.x if result.x is not None else np.zeros(lp.n)
    return _binding(lp.model, result, lp.eq, lp.ub)


def _mend(model: _Model, state: _State, part: tuple[list[int], list[tuple[int, str]]],
          top: float, side: str, failing: list[int]) -> int:
    """Remove what binds the ``failing`` counts of a part on one side until the
    part's own programme lets each reach its bound, without a new round for
    each removal: one count at a time, as what mends one often mends the next.

    The part's relations without those removed are a relaxation (a variable a
    removal unpins may link to relations of other parts), so a count that
    fails in it fails indeed, while a pass here is not taken as final: the next
    round checks the whole again. -1 when nothing removable is left, else -2
    (something was removed)."""
    relations, exprs = part
    for j in failing:
        while True:
            left = [i for i in relations if state.active[i]]
            if not left:
                return -2
            answer = _LP(model, left, exprs, top).each([j], side)[0]
            if answer is None:
                break
            if answer < 0:
                return -1
            state.remove(answer)
    return -2


def _binding(model: _Model, result: Any, eq: list[int], ub: list[int]) -> int:
    """The relation to remove: among those with a non-zero dual value, a
    data-quality figure first, else the published figure with the smallest count."""
    candidates: list[int] = []
    if result.status == 0:
        for ids, side in ((eq, result.eqlin), (ub, result.ineqlin)):
            if ids:
                candidates += [i for i, m in zip(ids, side.marginals, strict=True)
                               if abs(m) > 1e-9]
    choice = _pick(model, candidates)
    if choice is None:  # degenerate duals: any figure of the part
        choice = _pick(model, eq + ub)
    return -1 if choice is None else choice


def _pick(model: _Model, candidates: list[int]) -> int | None:
    removable = [i for i in candidates if model.relations[i].removable]
    if not removable:
        return None
    quality = [i for i in removable if model.relations[i].quality]
    if quality:
        return quality[0]
    return min(removable, key=lambda i: (model.relations[i].rhs, model.relations[i].rank))

