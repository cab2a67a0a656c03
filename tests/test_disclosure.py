"""The small-number rule (methodology.md section 5). Expected outcomes are
worked out by hand in each test; ``additive_sets`` below lists the sets that add
up independently of the implementation, so tests can check that no set is left
with exactly one withheld member."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from wres_cli.contract import MINORITY_GROUPS, RESULT_COLUMNS
from wres_cli.disclosure import WITHHELD_NOTE, is_small, suppress

BROAD = ("white", "asian", "black", "mixed", "other", "unknown")


# --- building result rows ---------------------------------------------------------

def _row(indicator: str, measure: str, breakdown: str, level: str, group: str,
         numerator: int | None = None, denominator: int | None = None,
         reference: str | None = None, value: float | None = None,
         assessment: str | None = None, significant: bool | None = None,
         note: str | None = None) -> dict[str, Any]:
    if value is None and numerator is not None and denominator:
        value = numerator / denominator
    interval = (None, None) if measure == "difference" else (0.0, 1.0)
    return {
        "organisation": "Northmoor", "period_start": "2025-04-01", "period_end": "2026-03-31",
        "standard": "social-care", "indicator": indicator, "measure": measure,
        "breakdown": breakdown, "level": level, "group": group, "reference": reference,
        "numerator": numerator, "denominator": denominator, "value": value,
        "ci_low": interval[0], "ci_high": interval[1],
        "p_value": 0.5 if measure == "relative_likelihood" else None,
        "assessment": assessment, "significant": significant, "suppressed": False,
        "note": note,
    }


def rate(indicator: str, breakdown: str, level: str, group: str, num: int, den: int):
    return _row(indicator, "rate", breakdown, level, group, num, den)


def share(indicator: str, breakdown: str, level: str, group: str, num: int, den: int):
    return _row(indicator, "share", breakdown, level, group, num, den)


def ratio(indicator: str, group: str, reference: str, **kw: Any):
    kw.setdefault("assessment", "within range")
    kw.setdefault("significant", False)
    kw.setdefault("breakdown", "overall")
    kw.setdefault("level", "all")
    return _row(indicator, "relative_likelihood", group=group, reference=reference,
                value=1.0, **kw)


def diff(indicator: str, breakdown: str, level: str, reference: str, value: float = 0.01):
    return _row(indicator, "difference", breakdown, level, "minority", reference=reference,
                value=value, assessment="within range")


def table(*rows: dict[str, Any]) -> pd.DataFrame:
    """Rows typed as the measure stage writes them: counts as nullable integers."""
    frame = pd.DataFrame(list(rows), columns=list(RESULT_COLUMNS))
    return frame.astype({"numerator": "Int64", "denominator": "Int64", "value": float,
                         "ci_low": float, "ci_high": float, "p_value": float,
                         "significant": "boolean", "suppressed": bool})


def key(row: pd.Series | dict[str, Any]) -> tuple:
    """A short name for a row: (indicator, measure, breakdown, level, group[, reference])."""
    base = (row["indicator"], row["measure"], row["breakdown"], row["level"], row["group"])
    ref = row["reference"]
    return base if ref is None or pd.isna(ref) else (*base, ref)


def hidden(out: pd.DataFrame) -> set[tuple]:
    return {key(r) for _, r in out[out["suppressed"]].iterrows()}


def notes(out: pd.DataFrame) -> dict[tuple, str]:
    return {key(r): r["note"] for _, r in out[out["suppressed"]].iterrows()}


# --- an independent list of the sets that add up ----------------------------------

def additive_sets(frame: pd.DataFrame) -> list[tuple[list[int], list[int]]]:
    """Each set as (positions of the parts, positions of the total; empty when the
    total is the published headcount), written out loop by loop from section 5."""
    counted = frame.reset_index(drop=True)
    counted = counted[counted["measure"].isin(["share", "rate"])]
    where: dict[tuple, int] = {}
    for pos, r in counted.iterrows():
        where[(r["indicator"], r["measure"], r["breakdown"], r["level"], r["group"])] = pos
    sets: list[tuple[list[int], list[int]]] = []
    by_level: dict[tuple, dict[str, int]] = defaultdict(dict)
    by_breakdown: dict[tuple, dict[str, int]] = defaultdict(dict)
    for (ind, measure, breakdown, level, group), pos in where.items():
        by_level[(ind, measure, breakdown, level)][group] = pos
        if breakdown not in ("overall", "seniority", "board"):
            by_breakdown[(ind, measure, group, breakdown)][level] = pos
    for (_, measure, _, _), groups in by_level.items():
        parts = [groups[g] for g in MINORITY_GROUPS if g in groups]
        if "minority" in groups:
            sets.append((parts, [groups["minority"]]))
        if measure == "share":
            sets.append(([groups[g] for g in ("white", "minority", "unknown") if g in groups],
                         []))
    for (ind, measure, group, breakdown), levels in by_breakdown.items():
        overall = where.get((ind, measure, "overall", "all", group))
        if overall is not None:
            sets.append((list(levels.values()), [overall]))
        if "+" not in breakdown:
            continue
        first, second = breakdown.split("+", 1)
        for side, dimension in ((0, first), (1, second)):
            cells: dict[str, list[int]] = defaultdict(list)
            for level, pos in levels.items():
                cells[level.split("+", 1)[side]].append(pos)
            for value, parts in cells.items():
                total = where.get((ind, measure, dimension, value, group))
                if total is not None:
                    sets.append((parts, [total]))
    return [(parts, total) for parts, total in sets if len(parts) + len(total) >= 2]


def lonely_sets(out: pd.DataFrame) -> list[list[tuple]]:
    """Sets with exactly one withheld member (the rule allows none)."""
    withheld = out["suppressed"].to_numpy()
    names = [key(r) for _, r in out.reset_index(drop=True).iterrows()]
    return [[names[p] for p in parts + total]
            for parts, total in additive_sets(out)
            if withheld[parts + total].sum() == 1]


def recoverable(out: pd.DataFrame) -> list[tuple]:
    """Withheld rows whose numerator follows from the published ones by linear
    algebra over all the sets together: x_i is determined exactly when the unit
    vector e_i lies in the row space of the sets' equations on the unknowns."""
    withheld = np.flatnonzero(out["suppressed"].to_numpy())
    column = {pos: i for i, pos in enumerate(withheld)}
    equations = []
    for parts, total in additive_sets(out):
        coeffs = np.zeros(len(withheld))
        for sign, members in ((1.0, parts), (-1.0, total)):
            for pos in members:
                if pos in column:  # a published member is a known constant
                    coeffs[column[pos]] = sign
        equations.append(coeffs)
    system = np.array(equations).reshape(-1, len(withheld))
    rank = np.linalg.matrix_rank(system) if len(system) else 0
    names = [key(r) for _, r in out.reset_index(drop=True).iterrows()]
    return [names[pos] for i, pos in enumerate(withheld)
            if np.linalg.matrix_rank(np.vstack([system, np.eye(len(withheld))[i]])) == rank]


# --- is_small -----------------------------------------------------------------

def test_is_small_zero_and_threshold_are_not_small() -> None:
    counts = pd.array([0, 1, 9, 10, 11, None], dtype="Int64")
    assert is_small(counts, 10).tolist() == [False, True, True, False, False, False]
    assert is_small([4, 5], 5).tolist() == [True, False]


# --- primary --------------------------------------------------------------------

def test_primary_on_numerator_blanks_the_row() -> None:
    df = table(rate("3", "overall", "all", "white", 3, 50),
               rate("3", "overall", "all", "unknown", 20, 80))
    out = suppress(df)
    first = out.iloc[0]
    assert bool(first["suppressed"]) and first["assessment"] == "suppressed"
    assert first["note"] == WITHHELD_NOTE
    for column in ("numerator", "denominator", "value", "ci_low", "ci_high", "p_value",
                   "significant"):
        assert pd.isna(first[column]), column
    assert first[["organisation", "indicator", "measure", "breakdown", "level", "group"]
                 ].tolist() == ["Northmoor", "3", "rate", "overall", "all", "white"]
    # The other row is untouched and its counts are still integers.
    assert not out.iloc[1]["suppressed"] and out.iloc[1]["numerator"] == 20
    assert out["numerator"].dtype == "Int64" and out["denominator"].dtype == "Int64"


def test_primary_on_denominator_even_with_zero_events() -> None:
    # 0 of 5: the zero is not small but the population of 5 is.
    out = suppress(table(rate("4", "overall", "all", "black", 0, 5)))
    assert hidden(out) == {("4", "rate", "overall", "all", "black")}
    assert out.loc[0, "note"] == WITHHELD_NOTE


def test_zero_events_in_a_large_group_are_published() -> None:
    out = suppress(table(rate("4", "overall", "all", "black", 0, 40)))
    assert hidden(out) == set()
    assert out.loc[0, "numerator"] == 0 and out.loc[0, "value"] == 0.0


def test_exactly_the_threshold_is_not_small() -> None:
    df = table(rate("3", "overall", "all", "white", 10, 100),
               rate("3", "overall", "all", "unknown", 9, 100))
    assert hidden(suppress(df)) == {("3", "rate", "overall", "all", "unknown")}


def test_threshold_five() -> None:
    df = table(rate("3", "overall", "all", "white", 5, 100),
               rate("3", "overall", "all", "unknown", 4, 100))
    out = suppress(df, threshold=5)
    assert hidden(out) == {("3", "rate", "overall", "all", "unknown")}
    assert out.loc[1, "note"] == WITHHELD_NOTE


def test_no_threshold_returns_the_rows_unchanged() -> None:
    df = table(rate("3", "overall", "all", "white", 1, 2), ratio("3", "minority", "white"))
    out = suppress(df, threshold=None)
    pd.testing.assert_frame_equal(out, df)
    assert out is not df


def test_shape_order_index_and_columns_are_kept() -> None:
    df = table(rate("3", "overall", "all", "white", 3, 50),
               rate("3", "overall", "all", "unknown", 20, 80))
    df.index = [7, 3]
    out = suppress(df)
    assert list(out.columns) == list(RESULT_COLUMNS)
    assert out.index.tolist() == [7, 3]
    assert out["group"].tolist() == ["white", "unknown"]
    assert df["numerator"].tolist() == [3, 20]          # the input is not changed
    assert not df["suppressed"].any()


def test_empty_results() -> None:
    out = suppress(table())
    assert out.empty and list(out.columns) == list(RESULT_COLUMNS)


# --- secondary: broad groups and minority ---------------------------------------------

def test_one_small_broad_group_withholds_the_next_smallest_not_minority() -> None:
    # asian 3 is small. Among black 12, mixed 10, other 15 the smallest is mixed;
    # minority (40, the total) stays published.
    df = table(rate("3", "overall", "all", "white", 50, 500),
               rate("3", "overall", "all", "minority", 40, 300),
               rate("3", "overall", "all", "asian", 3, 60),
               rate("3", "overall", "all", "black", 12, 80),
               rate("3", "overall", "all", "mixed", 10, 70),
               rate("3", "overall", "all", "other", 15, 90))
    out = suppress(df)
    assert hidden(out) == {("3", "rate", "overall", "all", "asian"),
                           ("3", "rate", "overall", "all", "mixed")}
    assert notes(out)[("3", "rate", "overall", "all", "mixed")] == WITHHELD_NOTE
    assert out.loc[2, "note"] == WITHHELD_NOTE


def test_the_total_is_passed_over_on_a_tie() -> None:
    # asian 0 of 5 is withheld (small population). Every other member has 0
    # events: minority comes first in group order but is the total, so black.
    df = table(rate("3", "overall", "all", "minority", 0, 100),
               rate("3", "overall", "all", "asian", 0, 5),
               rate("3", "overall", "all", "black", 0, 40),
               rate("3", "overall", "all", "mixed", 0, 30),
               rate("3", "overall", "all", "other", 0, 25))
    assert hidden(suppress(df)) == {("3", "rate", "overall", "all", "asian"),
                                    ("3", "rate", "overall", "all", "black")}


def test_the_total_is_withheld_when_nothing_else_is_left() -> None:
    # Only asian and minority rows: minority equals asian, so it must go too.
    df = table(rate("3", "overall", "all", "minority", 3, 50),
               rate("3", "overall", "all", "asian", 3, 50),
               rate("3", "overall", "all", "white", 40, 400))
    out = suppress(df)
    assert hidden(out) == {("3", "rate", "overall", "all", "minority"),
                           ("3", "rate", "overall", "all", "asian")}
    # Every withheld row carries the one note.
    assert set(notes(out).values()) == {WITHHELD_NOTE}


def test_ties_follow_group_order_not_row_order() -> None:
    # Rows given as other, mixed, black, asian: asian 2 is small; black, mixed
    # and other tie at 20, and black is first in group order.
    df = table(rate("3", "overall", "all", "other", 20, 100),
               rate("3", "overall", "all", "mixed", 20, 100),
               rate("3", "overall", "all", "black", 20, 100),
               rate("3", "overall", "all", "asian", 2, 100),
               rate("3", "overall", "all", "minority", 62, 400))
    assert hidden(suppress(df)) == {("3", "rate", "overall", "all", "asian"),
                                    ("3", "rate", "overall", "all", "black")}


# --- secondary: levels of a breakdown -----------------------------------------------

def test_one_small_grade_withholds_another_grade_not_overall() -> None:
    # white: G1 5 (small), G2 35, overall 40. G2 is not the total, so G2.
    df = table(rate("3", "overall", "all", "white", 40, 400),
               rate("3", "grade", "G1", "white", 5, 100),
               rate("3", "grade", "G2", "white", 35, 300))
    out = suppress(df)
    assert hidden(out) == {("3", "rate", "grade", "G1", "white"),
                           ("3", "rate", "grade", "G2", "white")}
    assert notes(out)[("3", "rate", "grade", "G2", "white")] == WITHHELD_NOTE


def test_level_ties_follow_row_order() -> None:
    df = table(rate("3", "overall", "all", "white", 33, 300),
               rate("3", "grade", "G1", "white", 3, 100),
               rate("3", "grade", "G2", "white", 15, 100),
               rate("3", "grade", "G3", "white", 15, 100))
    assert hidden(suppress(df)) == {("3", "rate", "grade", "G1", "white"),
                                    ("3", "rate", "grade", "G2", "white")}


def test_seniority_levels_are_not_a_set() -> None:
    # Senior managers are part of the workforce, not beside it: withholding the
    # senior share does not withhold the workforce share.
    df = table(share("9", "seniority", "senior", "minority", 3, 20),
               share("9", "seniority", "workforce", "minority", 40, 400),
               share("9", "overall", "all", "minority", 40, 400))
    assert hidden(suppress(df)) == {("9", "share", "seniority", "senior", "minority")}


def _cascade_table() -> pd.DataFrame:
    """Rates by grade and group; every population is 100 per cell (400 for
    minority, 300 overall), so only numerators can be small.

    events   asian black mixed other | minority  white
    G1           2    15    11    20 |       48     60
    G2          12    30    25    14 |       81     70
    G3          13    40    35    50 |      138     80
    overall     27    85    71    84 |      267    210
    """
    events = {"G1": (2, 15, 11, 20, 60), "G2": (12, 30, 25, 14, 70),
              "G3": (13, 40, 35, 50, 80)}
    events["all"] = tuple(int(sum(col)) for col in zip(*events.values(), strict=True))
    rows = []
    for level, (asian, black, mixed, other, white) in events.items():
        breakdown = "overall" if level == "all" else "grade"
        n = 3 if level == "all" else 1
        rows += [rate("3", breakdown, level, "white", white, 100 * n),
                 rate("3", breakdown, level, "minority", asian + black + mixed + other,
                      400 * n)]
        rows += [rate("3", breakdown, level, g, e, 100 * n)
                 for g, e in zip(MINORITY_GROUPS, (asian, black, mixed, other), strict=True)]
    return table(*rows)


def test_cascade_across_sets_takes_three_rounds() -> None:
    # Round 1: G1 asian (2) is alone in G1's broad groups -> G1 mixed (11, the
    #   smallest of 15, 11, 20); alone among asian's grades -> G2 asian (12 < 13).
    # Round 2: G2 asian is alone in G2 -> G2 other (14 < 25 < 30); G1 mixed is
    #   alone among mixed's grades -> G2 mixed (25 < 35).
    # Round 3: G2 other is alone among other's grades -> G1 other (20 < 50).
    # Then every set has 0 or at least 2 withheld members; totals stay published.
    out = suppress(_cascade_table())
    expected = {("3", "rate", "grade", level, group) for level, group in (
        ("G1", "asian"), ("G1", "mixed"), ("G2", "asian"), ("G2", "other"),
        ("G2", "mixed"), ("G1", "other"))}
    assert hidden(out) == expected
    # One note for all: nothing tells the small cell from those protecting it.
    assert set(notes(out).values()) == {WITHHELD_NOTE}
    assert lonely_sets(out) == []
    assert recoverable(out) == []


def test_the_checkers_catch_a_lone_withheld_cell() -> None:
    # The same table with only the primary cell marked: the brute-force checks
    # must see it (two lonely sets, and G1 asian = overall - G2 - G3).
    df = _cascade_table()
    df.loc[(df["level"] == "G1") & (df["group"] == "asian"), "suppressed"] = True
    assert len(lonely_sets(df)) == 2
    assert recoverable(df) == [("3", "rate", "grade", "G1", "asian")]


# --- secondary: white, minority, unknown for shares --------------------------------------

def test_unknown_headcount_is_published_but_can_protect_minority() -> None:
    # Headcount 100: white 85, minority 7 = asian 7 (small), black, mixed, other 0,
    # unknown 8. How many did not declare is not protected, so unknown 8 alone
    # would be published; minority and asian (7) are withheld.
    # {white, minority, unknown}: minority alone -> unknown (8 < 85).
    # {asian, black, mixed, other, minority}: asian and minority are withheld.
    # Then minority + unknown = 100 - 85 = 15: minority can be 0 (unknown 15)
    # or 9 (unknown 6), and asian = minority, so the audit passes.
    rows = [share("1", "overall", "all", g, n, 100) for g, n in (
        ("white", 85), ("minority", 7), ("asian", 7), ("black", 0), ("mixed", 0),
        ("other", 0), ("unknown", 8))]
    out = suppress(table(*rows))
    assert hidden(out) == {("1", "share", "overall", "all", g)
                           for g in ("unknown", "minority", "asian")}
    assert lonely_sets(out) == []


def test_a_small_unknown_headcount_alone_is_published() -> None:
    rows = [share("1", "overall", "all", g, n, 100) for g, n in (
        ("white", 80), ("minority", 12), ("asian", 12), ("black", 0), ("mixed", 0),
        ("other", 0), ("unknown", 8))]
    out = suppress(table(*rows))
    assert hidden(out) == set()
    assert out.loc[6, "numerator"] == 8


def test_rates_have_no_white_minority_unknown_set() -> None:
    df = table(rate("3", "overall", "all", "white", 50, 500),
               rate("3", "overall", "all", "minority", 40, 300),
               rate("3", "overall", "all", "unknown", 3, 20))
    assert hidden(suppress(df)) == {("3", "rate", "overall", "all", "unknown")}


# --- secondary: staff_group+grade -----------------------------------------------------

def test_staff_group_by_grade_cells() -> None:
    # White shares; headcounts large. Cells:
    #                Band 5  Band 6 | staff group
    #   Clinical          4      30 |  34
    #   Non-clinical     20      25 |  45
    #   grade            24      55 |  79 overall
    # Round 1: Clinical+Band 5 (4) is alone in Band 5 -> Non-clinical+Band 5
    #   (20); alone in Clinical -> Clinical+Band 6 (30); alone among all cells
    #   -> Non-clinical+Band 5 again.
    # Round 2: Clinical+Band 6 alone in Band 6 and Non-clinical+Band 5 alone in
    #   Non-clinical -> Non-clinical+Band 6 (the only non-total member left).
    # All four cells are withheld; no grade, staff group or overall row is.
    cells = {("Clinical", "Band 5"): 4, ("Clinical", "Band 6"): 30,
             ("Non-clinical", "Band 5"): 20, ("Non-clinical", "Band 6"): 25}
    rows = [share("1", "overall", "all", "white", 79, 400),
            share("1", "grade", "Band 5", "white", 24, 200),
            share("1", "grade", "Band 6", "white", 55, 200),
            share("1", "staff_group", "Clinical", "white", 34, 200),
            share("1", "staff_group", "Non-clinical", "white", 45, 200)]
    rows += [share("1", "staff_group+grade", f"{sg}+{gr}", "white", n, 100)
             for (sg, gr), n in cells.items()]
    out = suppress(table(*rows))
    assert hidden(out) == {("1", "share", "staff_group+grade", f"{sg}+{gr}", "white")
                           for sg, gr in cells}
    assert lonely_sets(out) == []
    assert recoverable(out) == []


def test_a_cell_alone_in_its_grade_withholds_the_grade() -> None:
    # VSM has only Non-clinical staff, so cell = grade row (both 3, both small).
    # Round 1: grades {Band 5 30, VSM*, overall 33} -> Band 5 (not the total);
    #   all cells {Clinical+Band 5 12, Non-clinical+Band 5 18, Non-clinical+VSM*}
    #   -> Clinical+Band 5 (12 < 18). Without that, overall - the published
    #   cells would give the VSM cell.
    # Round 2: Band 5's cells + Band 5 have 2 withheld: done.
    rows = [share("1", "overall", "all", "white", 33, 400),
            share("1", "grade", "Band 5", "white", 30, 380),
            share("1", "grade", "VSM", "white", 3, 20),
            share("1", "staff_group+grade", "Clinical+Band 5", "white", 12, 200),
            share("1", "staff_group+grade", "Non-clinical+Band 5", "white", 18, 180),
            share("1", "staff_group+grade", "Non-clinical+VSM", "white", 3, 20)]
    out = suppress(table(*rows))
    assert hidden(out) == {("1", "share", "grade", "VSM", "white"),
                           ("1", "share", "grade", "Band 5", "white"),
                           ("1", "share", "staff_group+grade", "Clinical+Band 5", "white"),
                           ("1", "share", "staff_group+grade", "Non-clinical+VSM", "white")}
    assert lonely_sets(out) == []
    assert recoverable(out) == []


# --- derived rows ------------------------------------------------------------------

def test_ratios_on_a_withheld_rate_are_withheld() -> None:
    # asian 4 is small -> black (26) by the broad-group set; minority stays.
    df = table(rate("3", "overall", "all", "white", 50, 500),
               rate("3", "overall", "all", "minority", 30, 300),
               rate("3", "overall", "all", "asian", 4, 100),
               rate("3", "overall", "all", "black", 26, 200),
               ratio("3", "minority", "white"),
               ratio("3", "asian", "white", assessment="not calculable",
                     note="no events in the reference group"),
               ratio("3", "black", "white"),
               ratio("3", "white", "black"),          # NHS direction: via the reference
               ratio("3", "mixed", "white"))          # no mixed rate row: kept
    out = suppress(df)
    assert hidden(out) == {("3", "rate", "overall", "all", "asian"),
                           ("3", "rate", "overall", "all", "black"),
                           ("3", "relative_likelihood", "overall", "all", "asian", "white"),
                           ("3", "relative_likelihood", "overall", "all", "black", "white"),
                           ("3", "relative_likelihood", "overall", "all", "white", "black")}
    asian = out.iloc[5]
    assert asian["assessment"] == "suppressed" and asian["note"] == WITHHELD_NOTE
    assert pd.isna(asian["value"]) and pd.isna(asian["p_value"])
    assert pd.isna(asian["significant"])
    assert pd.notna(out.iloc[4]["significant"]) and not out.iloc[4]["significant"]
    assert out.iloc[4]["value"] == 1.0


def test_ratio_matches_its_own_breakdown_and_level() -> None:
    df = table(rate("3", "grade", "G1", "white", 5, 100),
               rate("3", "grade", "G1", "minority", 20, 100),
               rate("3", "grade", "G2", "white", 40, 100),
               rate("3", "grade", "G2", "minority", 20, 100),
               ratio("3", "minority", "white", breakdown="grade", level="G1"),
               ratio("3", "minority", "white", breakdown="grade", level="G2"))
    # No overall rows, so no level set: only G1 white and the G1 ratio go.
    assert hidden(suppress(df)) == {
        ("3", "rate", "grade", "G1", "white"),
        ("3", "relative_likelihood", "grade", "G1", "minority", "white")}


def test_indicator_1_differences() -> None:
    # Minority shares: G1 4/50 (small), G2 12/100, G3 14/150, overall 30/300.
    # Level set: G1 alone -> G2 (12 < 14). Differences on G1 and G2 go; G3
    # stays; G4 has no share row and the overall share is published: kept.
    df = table(share("1", "overall", "all", "minority", 30, 300),
               share("1", "grade", "G1", "minority", 4, 50),
               share("1", "grade", "G2", "minority", 12, 100),
               share("1", "grade", "G3", "minority", 14, 150),
               diff("1", "grade", "G1", "workforce"),
               diff("1", "grade", "G2", "workforce"),
               diff("1", "grade", "G3", "workforce"),
               diff("1", "grade", "G4", "workforce"))
    out = suppress(df)
    assert hidden(out) == {("1", "share", "grade", "G1", "minority"),
                           ("1", "share", "grade", "G2", "minority"),
                           ("1", "difference", "grade", "G1", "minority", "workforce"),
                           ("1", "difference", "grade", "G2", "minority", "workforce")}
    assert out.iloc[4]["note"] == WITHHELD_NOTE and out.iloc[4]["assessment"] == "suppressed"


def test_indicator_1_differences_follow_the_overall_share() -> None:
    # The overall share itself is small: every grade's difference is built on it.
    df = table(share("1", "overall", "all", "minority", 6, 300),
               share("1", "grade", "G1", "minority", 0, 150),
               share("1", "grade", "G2", "minority", 6, 150),
               diff("1", "grade", "G1", "workforce"),
               diff("1", "grade", "G2", "workforce"))
    out = suppress(df)
    # G2 (6) is small too, so the level set already has two withheld members and
    # G1 (0) stays; its difference goes anyway, being built on the overall share.
    assert hidden(out) == {("1", "share", "overall", "all", "minority"),
                           ("1", "share", "grade", "G2", "minority"),
                           ("1", "difference", "grade", "G1", "minority", "workforce"),
                           ("1", "difference", "grade", "G2", "minority", "workforce")}


def test_senior_and_board_differences() -> None:
    # Social Care 9: senior 3/20 is small -> both differences. Workforce share published.
    # NHS 9a / 9b say public = true (board members hold public office): voting
    # 2/12 is published, with its difference, whatever its size.
    nhs = [dict(r, standard="nhs") for r in (
        share("9a", "board", "voting", "minority", 2, 12),
        share("9a", "board", "workforce", "minority", 40, 400),
        diff("9a", "overall", "all", "workforce", 0.07),
        share("9b", "board", "executive", "minority", 0, 12),
        share("9b", "board", "workforce", "minority", 40, 400),
        diff("9b", "overall", "all", "workforce", -0.1))]
    df = table(share("9", "seniority", "senior", "minority", 3, 20),
               share("9", "seniority", "workforce", "minority", 40, 400),
               diff("9", "overall", "all", "workforce", -0.1),
               diff("9", "overall", "all", "population", -0.1), *nhs)
    out = suppress(df)
    assert hidden(out) == {
        ("9", "share", "seniority", "senior", "minority"),
        ("9", "difference", "overall", "all", "minority", "workforce"),
        ("9", "difference", "overall", "all", "minority", "population")}
    voting = out[(out["indicator"] == "9a") & (out["level"] == "voting")].iloc[0]
    assert voting["numerator"] == 2 and voting["denominator"] == 12


def test_population_difference_needs_only_the_senior_share() -> None:
    # The workforce share (5 of 400) is small; the population difference does
    # not use it.
    df = table(share("9", "seniority", "senior", "minority", 12, 40),
               share("9", "seniority", "workforce", "minority", 5, 400),
               diff("9", "overall", "all", "workforce", 0.2),
               diff("9", "overall", "all", "population", 0.1))
    assert hidden(suppress(df)) == {
        ("9", "share", "seniority", "workforce", "minority"),
        ("9", "difference", "overall", "all", "minority", "workforce")}


# --- rows of other tables never mix --------------------------------------------------

def test_sets_stay_within_one_organisation_and_indicator() -> None:
    a = [rate("3", "overall", "all", "white", 40, 400), rate("3", "grade", "G1", "white", 5, 100),
         rate("3", "grade", "G2", "white", 35, 300)]
    other_org = [dict(r, organisation="Southfield") for r in a]
    other_ind = [dict(r, indicator="5", numerator=r["numerator"] + 20) for r in a]
    out = suppress(table(*a, *other_org, *other_ind))
    assert out["suppressed"].tolist() == [False, True, True, False, True, True,
                                          False, False, False]


def test_suppressing_twice_changes_nothing() -> None:
    once = suppress(_cascade_table())
    pd.testing.assert_frame_equal(suppress(once), once)


def test_plain_object_columns_are_accepted() -> None:
    # As a reader might build them: counts as floats with NaN, texts as objects.
    df = pd.DataFrame([rate("3", "overall", "all", "white", 3, 50),
                       ratio("3", "minority", "white")], columns=list(RESULT_COLUMNS))
    df = df.astype({"numerator": float, "denominator": float, "indicator": object})
    out = suppress(df)
    assert out["suppressed"].tolist() == [True, True]
    assert out["numerator"].dtype == "Int64"
    assert out["assessment"].tolist() == ["suppressed", "suppressed"]


# --- data-quality tables ----------------------------------------------------------

# --- property: random additive tables -------------------------------------------------

def _additive_rows(counts: dict[tuple[str, str, str], int], populations: dict | None,
                   grades: list[str], staff: list[str]) -> list[dict[str, Any]]:
    """Rows of one indicator built by summing cell counts (staff group x grade x
    broad group): overall, grade, staff_group and staff_group+grade, groups
    including minority. Shares (populations None) divide by the level's headcount."""
    indicator, measure = ("1", "share") if populations is None else ("3", "rate")
    levels = {("overall", "all"): lambda s, g: True}
    levels |= {("grade", g): (lambda s, g, want=g: g == want) for g in grades}
    levels |= {("staff_group", s): (lambda s, g, want=s: s == want) for s in staff}
    levels |= {("staff_group+grade", f"{s}+{g}"): (lambda s2, g2, want=(s, g): (s2, g2) == want)
               for s in staff for g in grades}
    rows = []
    for (breakdown, level), inside in levels.items():
        def total(source: dict, groups: tuple[str, ...], inside=inside) -> int:
            return sum(n for (s, g, b), n in source.items() if inside(s, g) and b in groups)
        headcount = total(counts, BROAD)
        for group in ("white", "minority", *MINORITY_GROUPS, "unknown"):
            members = MINORITY_GROUPS if group == "minority" else (group,)
            den = headcount if populations is None else total(populations, members)
            rows.append(_row(indicator, measure, breakdown, level, group,
                             total(counts, members), den))
    return rows


@st.composite
def additive_table(draw: st.DrawFn) -> pd.DataFrame:
    grades = [f"G{i}" for i in range(draw(st.integers(1, 3)))]
    staff = [f"S{i}" for i in range(draw(st.integers(1, 3)))]
    cells = [(s, g, b) for s in staff for g in grades for b in BROAD]
    heads = draw(st.lists(st.integers(0, 25), min_size=len(cells), max_size=len(cells)))
    pops = draw(st.lists(st.integers(0, 40), min_size=len(cells), max_size=len(cells)))
    share_of = draw(st.lists(st.floats(0, 1), min_size=len(cells), max_size=len(cells)))
    events = {c: int(p * f) for c, p, f in zip(cells, pops, share_of, strict=True)}
    rows = _additive_rows(dict(zip(cells, heads, strict=True)), None, grades, staff)
    rows += _additive_rows(events, dict(zip(cells, pops, strict=True)), grades, staff)
    return table(*rows)


@settings(max_examples=40, deadline=None)
@given(additive_table(), st.sampled_from([5, 10]))
def test_random_additive_tables_leave_no_lonely_withheld_cell(
        df: pd.DataFrame, threshold: int) -> None:
    out = suppress(df, threshold)
    assert lonely_sets(out) == []
    # How many did not declare (unknown in a share) is published, not protected.
    unknown_share = ((df["measure"] == "share") & (df["group"] == "unknown")).to_numpy()
    small = ((is_small(df["numerator"], threshold) & ~unknown_share)
             | is_small(df["denominator"], threshold))
    assert out["suppressed"].to_numpy()[small].all()
    # A withheld row is blank; a kept row is exactly the input row.
    withheld = out["suppressed"].to_numpy()
    assert out.loc[withheld, "numerator"].isna().all()
    assert (out.loc[withheld, "assessment"] == "suppressed").all()
    kept = ~withheld
    pd.testing.assert_frame_equal(out[kept], df[kept])
    # Secondary suppression never starts without a small count.
    if not small.any():
        assert not withheld.any()


def test_one_note_for_every_withheld_row() -> None:
    out = suppress(_cascade_table())
    assert set(out.loc[out["suppressed"], "note"]) == {WITHHELD_NOTE}
    assert out.loc[~out["suppressed"], "note"].isna().all()
