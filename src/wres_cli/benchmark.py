"""Benchmark: several organisations' ``counts.csv`` -> per-organisation and pooled
results, and a funnel plot per ratio indicator (methodology section 6).

The counts cube is additive (architecture.md), so pooling is a sum: pooled rows
are measured from the summed counts exactly as one organisation's would be, then
suppressed. Nothing here sees a person-level record.

Decisions:

* One ``counts.csv`` may hold one organisation or several (its ``organisation``
  column says which). An organisation appearing in several files is one
  organisation whose counts are summed (two halves of one data set); the same
  file given twice, or two files with identical bytes, is refused. A blank
  ``organisation`` is named after the file's folder.
* Different standards never pool. Different periods pool only when allowed; the
  pooled rows then span the earliest start to the latest end. One organisation
  with two periods never pools (that is a trend, not a benchmark).
* Grade breakdowns pool only when every organisation uses the same grade labels;
  otherwise the pooled rows leave out every breakdown with a grade in it.
* Per-organisation and pooled rows are published side by side, so beyond the
  single-table rule of methodology section 5 the organisations and the pooled
  row of each figure form one more additive set: where exactly one of them is
  withheld, another is withheld too (the smallest organisation's first), so a
  withheld count cannot be had by subtracting the others from the pooled one.
"""

from __future__ import annotations

import contextvars
import dataclasses
import hashlib
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wres_cli import problem_rules as rules
from wres_cli.config import STANDARDS, Config, Period, find_config, load_config
from wres_cli.contract import COUNT_COLUMNS, GROUP_ORDER, RESULT_COLUMNS
from wres_cli.counts import CUBE_COLUMNS, NOT_RECORDED
from wres_cli.errors import InputError, UsageError
from wres_cli.indicator_files import load_indicators
from wres_cli.indicators import COMPOUND_SEPARATOR, IndicatorDef
from wres_cli.io.writers import FORMULA_PREFIXES
from wres_cli.problems import Problems, problem_frame
from wres_cli.stats import Z95, Z998

POOLED = "pooled"

_TEXT = tuple(c for c in COUNT_COLUMNS if c not in ("population", "events"))
_SERIES = ["indicator", "breakdown", "level", "group"]


# --------------------------------------------------------------------------- reading


@dataclass
class CountsFile:
    #: ``COUNT_COLUMNS``, counts as int64
    frame: pd.DataFrame
    sha256: str
    #: for data quality (an organisation named after the file's folder)
    notes: list[str]


def read_counts(path: Path) -> CountsFile:
    """A ``counts.csv`` (contracts section 3). One file may hold one or several
    organisations; a blank ``organisation`` is named after the file's folder.

    A missing file is a ``UsageError``; bad content an ``InputError`` whose
    problems table names the file, row (header = 1), column and value.
    """
    if not path.exists():
        raise UsageError(f"counts file {path} does not exist")
    if path.is_dir():
        raise UsageError(f"{path} is a folder: give the counts.csv files written by "
                         "wres compute")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"counts file {path}: cannot be read ({exc.strerror})") from exc
    raw = _parse_csv(path, data)
    problems = _problems(path, raw)
    if problems:
        table = problems.sorted_frame()
        raise InputError(f"{len(table)} problem(s) in counts file {path}", problems=table)
    frame = raw.assign(population=raw["population"].astype("int64"),
                       events=raw["events"].astype("int64"))
    notes = []
    blank = frame["organisation"] == ""
    if blank.any():
        name = path.resolve().parent.name or path.stem
        frame["organisation"] = frame["organisation"].mask(blank, name)
        notes.append(f"{path}: no organisation named; called {name!r} after its folder")
    return CountsFile(frame[list(COUNT_COLUMNS)].reset_index(drop=True),
                      hashlib.sha256(data).hexdigest(), notes)


def _parse_csv(path: Path, data: bytes) -> pd.DataFrame:
    try:
        text = data.decode("utf-8-sig")
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                          skipinitialspace=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"counts file {path}: not a readable UTF-8 CSV ({exc})") from exc
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in COUNT_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(f"counts file {path}: lacks column(s) {', '.join(missing)}",
                         problems=pd.concat([problem_frame(
                             str(path), None, c, None, rules.COUNTS_MISSING_COLUMN,
                             rules.COUNTS_MISSING_COLUMN.message(column=c)) for c in missing],
                             ignore_index=True))
    if raw.empty:
        raise InputError(f"counts file {path}: has no rows")
    text_cols = {c: _restore(raw[c].str.strip()) for c in _TEXT}
    return raw[list(COUNT_COLUMNS)].assign(
        **text_cols, population=raw["population"].str.strip(),
        events=raw["events"].str.strip())


def _restore(text: pd.Series) -> pd.Series:
    """Undo the apostrophe ``frame_to_csv_text`` puts before a formula-like cell."""
    rest = text.str[1:]
    marked = text.str.startswith("'") & rest.str.startswith(FORMULA_PREFIXES)
    return text.mask(marked, rest)


def _problems(path: Path, raw: pd.DataFrame) -> Problems:
    """Every problem in the rows, without a Python loop per row."""
    problems = Problems()
    file, row = str(path), raw.index.to_series() + 2

    def add(mask: pd.Series, column: str, rule: rules.Rule, /, **fields: object) -> None:
        if mask.any():
            problems.add(problem_frame(file, row[mask], column, raw.loc[mask, column], rule,
                                       rule.message(**fields)))

    counts = {}
    for column in ("population", "events"):
        whole = raw[column].str.fullmatch(r"\d+")
        add(~whole, column, rules.COUNTS_NOT_WHOLE_NUMBER, column=column)
        counts[column] = pd.to_numeric(raw[column].where(whole), errors="coerce")
    add(counts["events"] > counts["population"], "events",
        rules.COUNTS_EVENTS_EXCEED_POPULATION)
    for column in ("period_start", "period_end", "standard", "indicator", "breakdown",
                   "level", "group"):
        add(raw[column] == "", column, rules.COUNTS_BLANK_VALUE, column=column)
    add((raw["standard"] != "") & ~raw["standard"].isin(STANDARDS), "standard",
        rules.COUNTS_UNKNOWN_STANDARD)
    add((raw["group"] != "") & ~raw["group"].isin(GROUP_ORDER), "group",
        rules.COUNTS_UNKNOWN_GROUP, groups=", ".join(GROUP_ORDER))
    starts, ends = _dates(raw["period_start"]), _dates(raw["period_end"])
    add((raw["period_start"] != "") & starts.isna(), "period_start", rules.COUNTS_BAD_DATE,
        column="period_start")
    add((raw["period_end"] != "") & ends.isna(), "period_end", rules.COUNTS_BAD_DATE,
        column="period_end")
    add(ends < starts, "period_end", rules.COUNTS_END_BEFORE_START)
    _indicator_problems(raw, add)
    twice = raw.duplicated(list(_TEXT), keep="first") & (raw["group"] != "")
    add(twice, "group", rules.COUNTS_DUPLICATE_ROW)
    return problems


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.where(values.str.fullmatch(r"\d{4}-\d{2}-\d{2}")),
                          format="%Y-%m-%d", errors="coerce")


#: Ids of the local measures (``[indicators] local`` of the benchmark's config),
#: which counts files may also hold; set by ``write_benchmark`` while it reads them.
_LOCAL_IDS: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "local_indicator_ids", default=())


def _indicator_problems(raw: pd.DataFrame, add: Any) -> None:
    """Indicator ids the row's standard does not define would be dropped silently
    by measuring: name them instead."""
    for standard in raw["standard"][raw["standard"].isin(STANDARDS)].unique():
        known = [ind.id for ind in load_indicators(str(standard))] + list(_LOCAL_IDS.get())
        add((raw["standard"] == standard) & (raw["indicator"] != "")
            & ~raw["indicator"].isin(known), "indicator", rules.COUNTS_UNKNOWN_INDICATOR,
            standard=standard, known=", ".join(known))


# --------------------------------------------------------------------------- pooling


@dataclass
class Pooled:
    """Counts summed over organisations, and what a reader must know about them."""

    #: ``CUBE_COLUMNS``, one row per indicator, breakdown, level and group
    cube: pd.DataFrame
    standard: str
    #: earliest start to latest end (one period unless mixed periods were allowed)
    period: Period
    #: organisation -> its period, in input order
    periods: dict[str, Period]
    grades_pooled: bool
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def organisations(self) -> list[str]:
        return list(self.periods)


def pool(cubes: Sequence[pd.DataFrame], *, allow_mixed_periods: bool = False) -> Pooled:
    """Sum organisations' counts (frames with ``COUNT_COLUMNS``). Refuses, with an
    ``InputError`` naming what differs: different standards; different periods
    unless ``allow_mixed_periods``; one organisation with several periods."""
    if not cubes:
        raise UsageError("benchmark needs at least one counts.csv")
    counts = pd.concat(list(cubes), ignore_index=True)
    standard = _one_standard(counts)
    periods = _periods(counts, allow_mixed_periods)
    grades_pooled, dropped = _grade_labels_agree(counts)
    warnings, notes = [], []
    if not grades_pooled:
        counts = counts[~_has_grade(counts["breakdown"])]
        warnings.append("grade labels differ between organisations (" + dropped + "): pooled "
                        "results leave out the grade breakdowns")
    distinct = sorted(set(periods.values()), key=lambda p: (p.end, p.start))
    if len(distinct) > 1:
        warnings.append("pooled counts from different periods (--allow-mixed-periods): "
                        + _list_periods(periods))
    if len(periods) == 1:
        notes.append("only one organisation: the pooled rows repeat its figures")
    cube = counts.groupby(_SERIES, sort=False, as_index=False)[["population", "events"]].sum()
    period = Period(min(p.start for p in distinct), max(p.end for p in distinct))
    return Pooled(cube=cube[list(CUBE_COLUMNS)], standard=standard, period=period,
                  periods=periods, grades_pooled=grades_pooled, warnings=warnings, notes=notes)


def _one_standard(counts: pd.DataFrame) -> str:
    by_org = counts.groupby("organisation", sort=False)["standard"].unique()
    standards = counts["standard"].unique()
    if len(standards) > 1:
        listed = "; ".join(f"{org}: {', '.join(map(str, s))}" for org, s in by_org.items())
        raise InputError(f"cannot pool counts of different standards ({listed})")
    return str(standards[0])


def _periods(counts: pd.DataFrame, allow_mixed: bool) -> dict[str, Period]:
    pairs = counts[["organisation", "period_start", "period_end"]].drop_duplicates()
    several = pairs["organisation"][pairs["organisation"].duplicated()].unique()
    if len(several):
        raise InputError("an organisation's counts must be for one period; "
                         f"{', '.join(map(str, several))} has several (use wres trend to "
                         "compare periods)")
    periods = {str(o): Period(date.fromisoformat(s), date.fromisoformat(e))
               for o, s, e in pairs.itertuples(index=False)}
    if len(set(periods.values())) > 1 and not allow_mixed:
        raise InputError("cannot pool counts of different periods (" + _list_periods(periods)
                         + "); --allow-mixed-periods pools them anyway")
    return periods


def _list_periods(periods: dict[str, Period]) -> str:
    return "; ".join(f"{org}: {p.start.isoformat()} to {p.end.isoformat()}"
                     for org, p in periods.items())


def _has_grade(breakdowns: pd.Series) -> pd.Series:
    """``grade`` itself or a compound breakdown with grade in it (``staff_group+grade``)."""
    sep = re.escape(COMPOUND_SEPARATOR)
    return breakdowns.str.contains(f"(?:^|{sep})grade(?:{sep}|$)", regex=True)


def _grade_labels_agree(counts: pd.DataFrame) -> tuple[bool, str]:
    """Whether every organisation uses the same grade labels, and if not which
    labels are not shared. An indicator may lack a grade that had no one in it
    (no applications for Director), so the labels are an organisation's across
    all its indicators; "not recorded" is not a label."""
    grades = counts[(counts["breakdown"] == "grade") & (counts["level"] != NOT_RECORDED)]
    organisations = counts["organisation"].unique()
    labels = {org: frozenset(grades.loc[grades["organisation"] == org, "level"])
              for org in organisations}
    if len(set(labels.values())) <= 1:
        return True, ""
    shared = frozenset.intersection(*labels.values())
    parts = [f"{org}: {', '.join(sorted(own - shared)) or 'no other'}"
             for org, own in labels.items()]
    return False, "labels not used by all, " + "; ".join(parts)


# --------------------------------------------------------------------------- measuring


def benchmark_rows(counts: pd.DataFrame, pooled: Pooled, indicators: Sequence[IndicatorDef],
                   cfg: Config, threshold: int | None) -> pd.DataFrame:
    """Result rows: each organisation's (input order), then the pooled ones;
    suppressed when ``threshold`` is not None."""
    from wres_cli.measure import adjust_breakdowns, measure

    parts = []
    for organisation, period in pooled.periods.items():
        own = counts[counts["organisation"] == organisation]
        parts.append(measure(own[list(CUBE_COLUMNS)], indicators, period=period,
                             standard=pooled.standard, organisation=organisation,
                             population_benchmark=cfg.population,
                             grades_order=cfg.grades_order))
    parts.append(measure(pooled.cube, indicators, period=pooled.period,
                         standard=pooled.standard, organisation=POOLED,
                         population_benchmark=cfg.population, grades_order=cfg.grades_order))
    rows = pd.concat(parts, ignore_index=True)[list(RESULT_COLUMNS)]
    return adjust_breakdowns(disclose(rows, threshold, indicators), by_organisation=True)


def disclose(rows: pd.DataFrame, threshold: int | None,
             indicators: Sequence[IndicatorDef] | None = None) -> pd.DataFrame:
    """The small-number rule per organisation and for the pooled rows, plus the
    set of each figure across organisations and the pool (see the module doc).
    Rows marked for the cross-organisation sets keep their counts while the rule
    runs again, so its audit still knows which counts are small."""
    from wres_cli.disclosure import suppress

    if threshold is None:
        return rows
    marked = np.zeros(len(rows), dtype=bool)
    while True:
        # The definitions given (local measures among them), else the shipped ones.
        out = suppress(rows.assign(suppressed=marked), threshold, indicators)
        more = _across_organisations(out)
        if not more.any():
            return out
        marked = out["suppressed"].to_numpy(dtype=bool) | more


def _across_organisations(rows: pd.DataFrame) -> np.ndarray:
    """Rows to withhold so that no (figure: organisations + pooled) set has exactly
    one withheld member: per open set the smallest organisation's row, the pooled
    row only when nothing else is left."""
    counted = rows["measure"].isin(["share", "rate"]).to_numpy()
    sub = rows.loc[counted, ["measure", *_SERIES, "organisation", "numerator", "suppressed"]]
    sets = sub.groupby(["measure", *_SERIES], sort=False, dropna=False).ngroup()
    is_pooled = sub["organisation"] == POOLED
    withheld = sub["suppressed"].astype(bool)
    in_pooled_set = is_pooled.groupby(sets).transform("any")
    open_ = in_pooled_set & (withheld.groupby(sets).transform("sum") == 1) & ~withheld
    picks = pd.DataFrame({
        "set": sets[open_], "pooled": is_pooled[open_],
        "numerator": sub.loc[open_, "numerator"].astype("Float64").fillna(np.inf),
    }).sort_values(["set", "pooled", "numerator"], kind="mergesort")
    chosen = picks.drop_duplicates("set").index
    more = np.zeros(len(rows), dtype=bool)
    more[rows.index.get_indexer(chosen)] = True
    return more


# --------------------------------------------------------------------------- funnel


def funnel_limits(n_f: Any, n_r: Any, p_f: float, p_r: float, centre: float,
                  z: float) -> tuple[np.ndarray, np.ndarray]:
    """Control limits around the pooled ratio ``centre`` for groups of sizes
    ``n_f`` (focal) and ``n_r`` (reference), from the Katz standard error at the
    pooled rates: a = p_f·n_f and c = p_r·n_r expected events."""
    nf, nr = np.asarray(n_f, dtype=float), np.asarray(n_r, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(1 / (p_f * nf) - 1 / nf + 1 / (p_r * nr) - 1 / nr)
    return centre * np.exp(-z * se), centre * np.exp(z * se)


@dataclass
class Funnel:
    """One ratio indicator's funnel: the pooled centre and rates, and a row per
    plotted organisation (population, ratio, limits, position)."""

    indicator: str
    focal: str
    reference: str
    centre: float
    p_focal: float
    p_reference: float
    points: pd.DataFrame
    #: organisation -> why it is not plotted
    left_out: dict[str, str]
    #: the pool's reference group size over its focal group size (draws the lines)
    size_ratio: float = 1.0


def headline_pair(ind: IndicatorDef) -> tuple[str, str] | None:
    """The minority/White comparison of a ratio indicator, in its direction."""
    if ind.ratio is None:
        return None
    for focal, reference in ind.ratio.pairs:
        if {focal, reference} == {"minority", "white"}:
            return focal, reference
    return None


def funnel(rows: pd.DataFrame, ind: IndicatorDef) -> Funnel | None:
    """The funnel of ``ind`` from published (suppressed) benchmark rows; None when
    the pooled ratio is not published."""
    pair = headline_pair(ind)
    if pair is None:
        return None
    focal, reference = pair
    overall = rows[(rows["indicator"] == ind.id) & (rows["breakdown"] == "overall")
                   & (rows["level"] == "all")]
    ratios = overall[(overall["measure"] == "relative_likelihood")
                     & (overall["group"] == focal) & (overall["reference"] == reference)]
    rates = overall[overall["measure"] == "rate"].set_index(["organisation", "group"])
    centre_row = ratios[ratios["organisation"] == POOLED]
    if centre_row.empty or pd.isna(centre_row["value"].iloc[0]):
        return None
    centre = float(centre_row["value"].iloc[0])
    p_f = float(rates.loc[(POOLED, focal), "value"])
    p_r = float(rates.loc[(POOLED, reference), "value"])
    own = ratios[ratios["organisation"] != POOLED]
    shown = own[own["value"].notna()]
    left_out = {str(r.organisation): ("withheld" if r.suppressed else "not calculable")
                for r in own[own["value"].isna()].itertuples(index=False)}
    n_f = rates["denominator"].reindex(list(zip(shown["organisation"], [focal] * len(shown),
                                                strict=True))).to_numpy(dtype=float)
    n_r = rates["denominator"].reindex(list(zip(shown["organisation"],
                                                [reference] * len(shown), strict=True)))
    n_r = n_r.to_numpy(dtype=float)
    size_ratio = float(rates.loc[(POOLED, reference), "denominator"]) / float(
        rates.loc[(POOLED, focal), "denominator"])
    return Funnel(ind.id, focal, reference, centre, p_f, p_r,
                  _points(shown, n_f, n_r, p_f, p_r, centre), left_out, size_ratio)


def _points(shown: pd.DataFrame, n_f: np.ndarray, n_r: np.ndarray, p_f: float, p_r: float,
            centre: float) -> pd.DataFrame:
    low95, high95 = funnel_limits(n_f, n_r, p_f, p_r, centre, Z95)
    low998, high998 = funnel_limits(n_f, n_r, p_f, p_r, centre, Z998)
    value = shown["value"].to_numpy(dtype=float)
    position = np.select(
        [(value < low998) | (value > high998), (value < low95) | (value > high95)],
        ["outside 99.8% limits", "outside 95% limits"], default="within limits")
    return pd.DataFrame({
        "organisation": shown["organisation"].to_numpy(), "focal_population": n_f,
        "reference_population": n_r, "value": value, "low95": low95, "high95": high95,
        "low998": low998, "high998": high998, "position": position,
    })


# --------------------------------------------------------------------------- writing


@dataclasses.dataclass(frozen=True)
class BenchmarkWritten:
    """What ``write_benchmark`` wrote, and the results document it wrote as
    ``results.json`` (for a summary without reading the file back)."""

    paths: list[Path]
    document: dict[str, Any]


def write_benchmark(paths: Sequence[Path], out: Path, *, config: Path | None = None,
                    allow_mixed_periods: bool = False,
                    suppress: bool = True) -> BenchmarkWritten:
    """``OUT/results.json``, ``OUT/benchmark.csv`` and ``OUT/charts/funnel-<id>.svg``
    from organisations' counts files, written atomically."""
    from wres_cli.io.writers import frame_records, frame_to_csv_text, output_folder, write_json
    from wres_cli.local import definitions, local_definitions

    cfg = load_config(find_config(None, Path(config) if config is not None else None))
    local = local_definitions(cfg, cfg.standard)
    token = _LOCAL_IDS.set(tuple(ind.id for ind in local))
    try:
        counts, inputs, notes = _read_all([Path(p) for p in paths])
    finally:
        _LOCAL_IDS.reset(token)
    pooled = pool([counts], allow_mixed_periods=allow_mixed_periods)
    pooled.notes[:0] = notes
    cfg = dataclasses.replace(cfg, standard=pooled.standard)  # labels follow the standard
    threshold = cfg.suppression_threshold if suppress else None
    # Local measures are pooled and withheld exactly like the standard's.
    indicators = definitions(pooled.standard, local=local_definitions(cfg, pooled.standard))
    rows = benchmark_rows(counts, pooled, indicators, cfg, threshold)
    charts, funnel_notes = _funnels(rows, indicators, cfg)
    document = {
        "meta": _meta(pooled, inputs, cfg, threshold),
        "data_quality": _data_quality(pooled, counts, indicators, funnel_notes),
        "results": frame_records(rows),
    }
    with output_folder(Path(out), [Path(p) for p in paths]) as folder:
        written = [write_json(folder, "results.json", document),
                   folder.write_text("benchmark.csv", frame_to_csv_text(rows))]
        written += [folder.write_text(f"charts/{name}.svg", svg) for name, svg in charts.items()]
    return BenchmarkWritten(paths=written, document=document)


def _read_all(paths: list[Path]) -> tuple[pd.DataFrame, dict[str, dict[str, Any]], list[str]]:
    if not paths:
        raise UsageError("benchmark needs at least one counts.csv")
    resolved = [p.resolve() for p in paths]
    repeated = sorted({str(p) for p, r in zip(paths, resolved, strict=True)
                       if resolved.count(r) > 1})
    if repeated:
        # Inputs that cannot be pooled are invalid data (exit 1), whatever the cause:
        # the same file twice is the same as two identical files (contracts section 4).
        raise InputError(f"the same counts file is given more than once: {', '.join(repeated)}"
                         ": pooling it twice would count the same people twice")
    frames, inputs, notes = [], {}, []
    seen: dict[str, Path] = {}
    names = _input_names(resolved)
    for path, name in zip(paths, names, strict=True):
        counts = read_counts(path)
        frame, digest = counts.frame, counts.sha256
        notes += counts.notes
        if digest in seen:
            raise InputError(f"counts files {seen[digest]} and {path} are identical: pooling "
                             "both would count the same people twice")
        seen[digest] = path
        frames.append(frame)
        inputs[name] = {"sha256": digest, "rows": len(frame),
                             "organisations": list(frame["organisation"].unique())}
    return pd.concat(frames, ignore_index=True), inputs, notes


def _funnels(rows: pd.DataFrame, indicators: Sequence[IndicatorDef],
             cfg: Config) -> tuple[dict[str, str], list[str]]:
    from wres_cli.charts.funnel import funnel_chart

    labels = cfg.all_labels()
    charts, notes = {}, []
    for ind in indicators:
        if headline_pair(ind) is None or not (rows["indicator"] == ind.id).any():
            continue
        f = funnel(rows, ind)
        if f is None:
            notes.append(f"indicator {ind.id}: no funnel plot (the pooled ratio is withheld or "
                         "not calculable)")
            continue
        title = f"Indicator {ind.id} ({ind.short or ind.title})"
        charts[f"funnel-{ind.id}"] = funnel_chart(f, title, labels)
        notes += [f"indicator {ind.id}: {org} not in the funnel plot ({why})"
                  for org, why in f.left_out.items()]
    return charts, notes


def _input_names(resolved: list[Path]) -> list[str]:
    """Each input named relative to the folder the inputs share: distinct names for
    north/counts.csv and south/counts.csv, and nothing of where they sit on disk
    (so the same files give the same bytes wherever they are)."""
    if len(resolved) == 1:
        return [resolved[0].name]
    common = Path(os.path.commonpath([str(p.parent) for p in resolved]))
    return [p.relative_to(common).as_posix() for p in resolved]


def _meta(pooled: Pooled, inputs: dict[str, dict[str, Any]], cfg: Config,
          threshold: int | None) -> dict[str, Any]:
    from wres_cli import __version__
    from wres_cli.documents import generated_at

    return {
        "schema_version": 1,
        "tool_version": __version__,
        "generated_at": generated_at(),
        "standard": pooled.standard,
        "organisation": POOLED,
        "organisations": pooled.organisations,
        "period": {"start": pooled.period.start.isoformat(),
                   "end": pooled.period.end.isoformat()},
        "periods": {org: {"start": p.start.isoformat(), "end": p.end.isoformat()}
                    for org, p in pooled.periods.items()},
        "inputs": inputs,
        "suppression_threshold": threshold,
        "grades_pooled": pooled.grades_pooled,
        "labels": {"minority": cfg.label("minority"), "white": cfg.label("white")},
    }


def _data_quality(pooled: Pooled, counts: pd.DataFrame, indicators: Sequence[IndicatorDef],
                  funnel_notes: list[str]) -> dict[str, Any]:
    present = set(counts["indicator"])
    return {
        "no_data": [ind.id for ind in indicators if ind.id not in present
                    and ind.measure != "pay_gap"],  # pay figures are not pooled from counts
        "warnings": list(pooled.warnings),
        "notes": [*pooled.notes, *funnel_notes],
    }
