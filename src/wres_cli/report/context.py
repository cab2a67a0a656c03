"""The report context: a plain dict built from a results document.

Everything a template shows is decided here, as text already formatted for
display (the templates only lay it out and escape it). Chart specifications sit
in the context too — a name, a text alternative, a kind and the data points —
and ``charts.py`` draws them.

Tables are dicts ``{"caption", "columns", "rows", "numeric", "notes"}``: ``rows``
is a list of lists of display strings, the first cell of each row names it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from wres_cli.config import DEFAULT_LABELS, NHS_MINORITY_LABEL
from wres_cli.indicators import PhraseDef, indicator_sort_key
from wres_cli.report import format as fmt
from wres_cli.report.pay_section import is_pay_section, pay_section
from wres_cli.report.wording import (
    Comparison,
    gap_sentence,
    interval_excludes_one,
    phrase_for,
    ratio_sentence,
    share_sentence,
    withheld_sentence,
)

Row = Mapping[str, Any]
Table = dict[str, Any]

STANDARD_NAMES = {"social-care": "Social Care WRES", "nhs": "NHS WRES"}
BREAKDOWN_NAMES = {"grade": "Grade", "band": "Band", "staff_group": "Staff group",
                   "service": "Service", "organisation": "Organisation"}
#: The local population (``[population]``), which a difference may compare with:
#: a table label and the words used in a sentence. Other levels are named by the
#: populations of the definitions (``label``, ``words``).
POPULATION_NAMES = ("Local population", "the local population")
ASSESSMENT_NAMES = {"adverse": "Adverse", "within range": "Within range",
                    "favourable": "Favourable", "not calculable": "Not calculable",
                    "suppressed": "Withheld",
                    "no significant difference": "No significant difference"}
GROUPS = ("white", "minority", "asian", "black", "mixed", "other", "unknown")
MINORITY_GROUPS = ("asian", "black", "mixed", "other")
DEFAULT_RANGE = (0.80, 1.25)
#: The one marker of a withheld figure in reports (methodology section 5, rule 4).
WITHHELD = "withheld"


def withheld_footnote(limit: int | str) -> str:
    return (f"withheld: not published, to protect small numbers: a figure about fewer "
            f"than {limit} people, or one from which such a figure could be worked out, "
            "or one built on either.")


# --------------------------------------------------------------------------- entry point


def build_context(document: Mapping[str, Any], *, definitions: Mapping[str, Any] | None = None,
                  trend: Mapping[str, Any] | None = None,
                  population: Mapping[str, float] | None = None) -> dict[str, Any]:
    """The whole report as plain data. ``definitions`` maps indicator id to its
    ``IndicatorDef`` (titles, why, range, phrase; by default those the document
    names, ``local.document_definitions``); ``trend`` is the trend section or None;
    ``population`` the config's ``[population]`` shares when the report was computed
    from a data folder (a results.json does not record them)."""
    meta = document["meta"]
    quality = document.get("data_quality") or {}
    if definitions is None:
        from wres_cli.local import document_definitions

        definitions = document_definitions(meta)
    env = _Env(meta, definitions, population)
    env.quality = quality
    by_indicator = _group_rows(document.get("results") or [])
    no_data = [str(i) for i in quality.get("no_data") or []]
    ids = sorted(set(by_indicator) | set(no_data), key=indicator_sort_key)
    every = [_section(i, by_indicator.get(i, []), env, i in no_data and i not in by_indicator)
             for i in ids]
    # Indicators without data share one short section rather than one each.
    sections = _with_local_last([s for s in every if not s["no_data"]], env)
    missing = [s for s in every if s["no_data"]]
    return {
        "cover": _cover(meta, env),
        "labels": env.labels,
        "summary": _summary(every, quality, env),
        "headline": _headline(sections, env),
        "indicators": sections,
        "no_data": _no_data_section(missing),
        "benchmark": None,  # render_report adds the funnels of benchmark output
        "trend": dict(trend) if trend else None,
        "quality": _quality(meta, quality, env),
        "appendix": _appendix(sections, env),
    }


LOCAL_INTRO = ("These measures are the organisation's own, declared in its own indicator "
               "files rather than by the standard (methodology section 8). They are counted, "
               "compared and protected exactly like the standard's indicators.")


def _with_local_last(sections: list[dict[str, Any]], env: _Env) -> list[dict[str, Any]]:
    """The standard's sections, then the local measures under their own heading
    ("Local measures"): the first of them carries ``local_first``."""
    def is_local(section: Mapping[str, Any]) -> bool:
        d = env.definitions.get(section["id"])
        return bool(getattr(d, "local", False))

    standard = [s for s in sections if not is_local(s)]
    local = []
    for s in sections:
        if is_local(s):
            source = env.definitions[s["id"]].source
            local.append({**s, "local": True, "local_first": not local,
                          "local_intro": LOCAL_INTRO,
                          "heading": f"Local measure: {s['title']}",
                          "nav": f"Local measure: {s['short']}",
                          "source": source.name if source is not None else None})
    return standard + local


def chart_specs(context: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every chart the context asks for (the trend helper draws its own)."""
    if context["headline"]["chart"] is not None:
        yield context["headline"]["chart"]
    for section in context["indicators"]:
        if section.get("chart") is not None:
            yield section["chart"]


class _Env:
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
        return DEFAULT_RANGE

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


def _group_rows(rows: Sequence[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for row in rows:
        out.setdefault(str(row.get("indicator")), []).append(row)
    return out


# --------------------------------------------------------------------------- cover


def _cover(meta: Mapping[str, Any], env: _Env) -> dict[str, Any]:
    period = meta.get("period") or {}
    generated = str(meta.get("generated_at") or "")[:10]
    standard = STANDARD_NAMES.get(env.standard, env.standard)
    return {
        "title": "Workforce Race Equality Standard report",
        "organisation": fmt.plain(meta.get("organisation")) or "Organisation not named",
        "period": fmt.period_text(period),
        "period_start": period.get("start", ""),
        "period_end": period.get("end", ""),
        "standard": standard,
        "date": fmt.long_date(generated) if generated else "",
        "tool_version": str(meta.get("tool_version") or ""),
        "unsuppressed": env.threshold is None,
        "internal_monitoring": _internal_monitoring(meta),
    }


def _internal_monitoring(meta: Mapping[str, Any]) -> str:
    """Why a report for a period other than the reporting year is not for publishing."""
    year = meta.get("reporting_period")
    period = meta.get("period") or {}
    if not isinstance(year, Mapping) or (year.get("start"), year.get("end")) == (
            period.get("start"), period.get("end")):
        return ""
    return (f"This report covers {fmt.period_text(period)}, not the reporting year "
            f"({fmt.period_text(year)}). Publish one report per reporting year: figures for "
            "overlapping periods can be subtracted from each other to find small numbers.")


# --------------------------------------------------------------------------- sections


def _section(indicator: str, rows: list[Row], env: _Env, no_data: bool) -> dict[str, Any]:
    base = {"id": indicator, "anchor": f"indicator-{indicator}", "title": env.title(indicator),
            "short": env.short(indicator), "why": env.why(indicator), "chart": None,
            "tables": [], "no_data": False, "kind": "none", "status": "", "status_class": "",
            "heading": None, "nav": None, "paragraphs": [], "advice": None,
            "local": False, "local_first": False, "omitted": []}
    if no_data or not rows:
        return {**base, **_no_data(indicator, env)}
    section = {**base, **_section_body(indicator, rows, env)}
    section["tables"], section["omitted"] = _without_withheld_rows(section["tables"], env)
    # Said once per section, before its first breakdown table (methodology §3).
    first = next((t for t in section["tables"] if t.get("exploring")), None)
    if first is not None:
        first["lead"] = EXPLORING_NOTE
    return section


def _section_body(indicator: str, rows: list[Row], env: _Env) -> dict[str, Any]:
    if is_pay_section(rows):
        return pay_section(indicator, rows, env)
    measures = {r.get("measure") for r in rows}
    if "relative_likelihood" in measures or "rate" in measures:
        return _rate_section(indicator, rows, env)
    if any(r.get("breakdown") in env.named_breakdowns(indicator) for r in rows):
        return _representation_section(indicator, rows, env)
    return _composition_section(indicator, rows, env)


def _is_withheld_cell(cell: str) -> bool:
    text = str(cell).strip().lower()
    return text in ("", fmt.DASH, "-", "withheld") or text.startswith("withheld")


def _without_withheld_rows(tables: Sequence[Table], env: _Env) -> tuple[list[Table], list[str]]:
    """No table of only withheld rows: a row whose every figure is withheld is left
    out (the table says how many), and a table left with none becomes one sentence."""
    kept, sentences = [], []
    for table in tables:
        labels = next((i for i, numeric in enumerate(table["numeric"]) if numeric), 1)
        shown = [row for row in table["rows"]
                 if not all(_is_withheld_cell(c) for c in row[labels:])]
        hidden = len(table["rows"]) - len(shown)
        if not hidden or (shown and not table.get("levels")):
            # Only a breakdown's levels are left out; a table of groups keeps its
            # withheld rows, so a reader sees how a withheld figure reads.
            kept.append(table)
            continue
        what = " and ".join(str(c).lower() for c in table["columns"][:labels])
        if not shown:
            sentences.append(
                f"{table['caption']}: every {what}'s figures are withheld under the "
                f"small-number rule (fewer than {_limit(env)} people, or figures from which "
                "such a number could be worked out), so they are not shown.")
            continue
        note = (f"{hidden} {what} row{'s' if hidden != 1 else ''} not shown: every figure "
                f"in {'them' if hidden != 1 else 'it'} is withheld.")
        kept.append({**table, "rows": shown, "notes": [note, *table["notes"]]})
    return kept, sentences


def _no_data(indicator: str, env: _Env) -> dict[str, Any]:
    d = env.definitions.get(indicator)
    supplied = set((env.meta.get("inputs") or {}).keys())
    missing = [e for e in (d.extracts if d is not None else ()) if e not in supplied]
    what = (f"The {' and '.join(m.replace('_', ' ') for m in missing)} extract was not supplied"
            if missing else "Its extract was not supplied")
    text = f"{what}, so this indicator could not be calculated."
    return {"no_data": True, "kind": "no data", "sentence": text, "status": "No data",
            "status_class": "nodata"}


def _no_data_section(missing: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """One section listing every indicator that could not be calculated."""
    if not missing:
        return None
    return {"anchor": "no-data", "title": "Indicators without data",
            "items": [{"id": s["id"], "anchor": s["anchor"], "title": s["title"],
                       "sentence": s["sentence"]} for s in missing]}


# ---- rate indicators (2-8): rates, relative likelihoods, breakdowns


def _rate_section(indicator: str, rows: list[Row], env: _Env) -> dict[str, Any]:
    gap = _gap_row(rows)
    if gap is not None:
        return _gap_section(indicator, rows, gap, env)
    ratios = [r for r in rows if r.get("measure") == "relative_likelihood"]
    overall_ratios = [r for r in ratios if r.get("breakdown") == "overall"]
    head = headline_row(overall_ratios)
    focal, reference = ((head["group"], head["reference"]) if head is not None
                        else ("minority", "white"))
    sentence = (ratio_sentence(head, env.comparison(indicator, head),
                               _overall_rates(rows, focal, reference)) if head is not None
                else "No relative likelihood was written for this indicator.")
    tables = [_rates_table(indicator, rows, env), _ratios_table(indicator, overall_ratios, env)]
    for breakdown in _breakdowns(rows, env.named_breakdowns(indicator)):
        tables.append(_breakdown_table(indicator, rows, breakdown, focal, reference, env))
    return {"kind": "rate", "sentence": sentence, "headline": head,
            "focal": focal, "reference": reference,
            "comparison": f"{env.label(focal)} ÷ {env.label(reference)}",
            "status": _assessment(head) if head is not None else "",
            "status_class": _row_css(head) if head is not None else "",
            "chart": _ratio_chart(indicator, overall_ratios, ratios, focal, reference, env),
            "tables": [t for t in tables if t["rows"]]}


# ---- rate indicators published as two percentages (NHS 5-8): the gap leads


def _gap_row(rows: Sequence[Row]) -> Row | None:
    """The overall difference of two rates (a rate indicator's ``difference`` row)."""
    for row in rows:
        if row.get("measure") == "difference" and row.get("breakdown") == "overall":
            return row
    return None


def _gap_section(indicator: str, rows: list[Row], gap: Row, env: _Env) -> dict[str, Any]:
    """Two percentages and the gap in points, then where the figures come from; the
    ratio is in a table, not judged against a range (methodology section 3)."""
    rates = {r.get("group"): r for r in rows
             if r.get("measure") == "rate" and r.get("breakdown") == "overall"}
    focal, reference = str(gap.get("group")), str(gap.get("reference"))
    sentence = gap_sentence(rates.get(focal), rates.get(reference), gap,
                            env.comparison(indicator, gap))
    source = _survey_source(indicator, env)
    if source:
        sentence = f"{sentence} {source}"
    ratios = [r for r in rows if r.get("measure") == "relative_likelihood"]
    overall_ratios = [r for r in ratios if r.get("breakdown") == "overall"]
    tables = [_rates_table(indicator, rows, env), _gap_table(rows, env),
              _unjudged_ratios_table(overall_ratios, env)]
    for breakdown in _breakdowns(rows, env.named_breakdowns(indicator)):
        tables.append(_breakdown_table(indicator, rows, breakdown, focal, reference, env))
    status = str(gap.get("assessment") or "")
    return {"kind": "gap", "sentence": sentence, "headline": None, "gap": gap,
            "focal": focal, "reference": reference,
            "comparison": f"{env.label(focal)} − {env.label(reference)}",
            "status": ASSESSMENT_NAMES.get(status, ""), "status_class": _css(status),
            "chart": None, "tables": [t for t in tables if t["rows"]]}


def _survey_source(indicator: str, env: _Env) -> str:
    """Where a survey indicator's figures come from, when it is the published
    breakdown (its definition names a summary question and one was given)."""
    d = env.definitions.get(indicator)
    population = getattr(d, "population", None)
    summary = ((env.quality.get("extracts") or {}).get("survey_summary")
               if isinstance(env.quality, Mapping) else None)
    if getattr(population, "summary", None) is None or summary is None:
        return ""
    year = summary.get("survey_year")
    survey = f"the {fmt.plain(year)} NHS Staff Survey" if year else "the NHS Staff Survey"
    return (f"These figures come from the trust's staff survey breakdown ({survey}), as "
            "percentages and numbers of respondents; they are not broken down further.")


def _gap_table(rows: Sequence[Row], env: _Env) -> Table:
    gaps = [r for r in rows if r.get("measure") == "difference"]

    def where(row: Row) -> str:
        if row.get("breakdown") == "overall":
            return "All respondents"
        return f"{_breakdown_name(str(row.get('breakdown')))}: {fmt.plain(row.get('level'))}"

    body = [[where(r), f"{env.label(r['group'])} − {env.label(r['reference'])}",
             _value(r, fmt.points, env),
             fmt.interval(r.get("ci_low"), r.get("ci_high"),
                          lambda v: fmt.points(v).removesuffix(" points")),
             _assessment(r), _note(r)] for r in gaps]
    return _table("Gap in percentage points, with its 95% confidence interval (Newcombe)",
                  ["Respondents", "Comparison", "Gap", "95% CI", "Assessment", "Note"], body,
                  [False, False, True, True, False, False], env, gaps)


def _unjudged_ratios_table(rows: Sequence[Row], env: _Env) -> Table:
    body = [[f"{env.label(r['group'])} ÷ {env.label(r['reference'])}",
             _value(r, fmt.ratio, env), fmt.interval(r.get("ci_low"), r.get("ci_high")),
             fmt.p_value(r.get("p_value")), _note(r)] for r in rows]
    return _table("Relative likelihood by broad ethnic group (for reference: not judged "
                  "against a range)",
                  ["Comparison", "Relative likelihood", "95% CI", "p-value", "Note"], body,
                  [False, True, True, True, False], env, rows)


def _overall_rates(rows: Sequence[Row], focal: str, reference: str
                   ) -> tuple[Row | None, Row | None]:
    """The overall rate rows of the focal and reference groups."""
    rates = {r.get("group"): r for r in rows
             if r.get("measure") == "rate" and r.get("breakdown") == "overall"}
    return rates.get(focal), rates.get(reference)


def headline_row(overall_ratios: Sequence[Row]) -> Row | None:
    """The overall minority-vs-White (or White-vs-minority) relative likelihood."""
    for row in overall_ratios:
        if {row.get("group"), row.get("reference")} == {"minority", "white"}:
            return row
    return None


def _breakdowns(rows: Sequence[Row], named: Sequence[str]) -> list[str]:
    """The breakdowns of ``rows`` besides overall and the ``named`` ones."""
    seen = dict.fromkeys(str(r.get("breakdown")) for r in rows)
    return [b for b in seen if b not in ("overall", *named)]


def _rates_table(indicator: str, rows: Sequence[Row], env: _Env) -> Table:
    phrase = env.phrase(indicator)
    overall = _ordered(r for r in rows if r.get("measure") == "rate"
                       and r.get("breakdown") == "overall")
    body = [[env.label(row["group"]), *_count_cells(row, env),
             _value(row, fmt.percent, env, counted=True),
             fmt.interval(row.get("ci_low"), row.get("ci_high"), fmt.percent)]
            for row in overall]
    return _table(f"Rates by ethnic group: {phrase.noun} who {phrase.past}",
                  ["Ethnic group", "Number", "Out of", "Rate", "95% CI"], body,
                  [False, True, True, True, True], env, overall)


def _ratios_table(indicator: str, rows: Sequence[Row], env: _Env) -> Table:
    low, high = env.range(indicator)
    body = [[f"{env.label(r['group'])} ÷ {env.label(r['reference'])}",
             _value(r, fmt.ratio, env), fmt.interval(r.get("ci_low"), r.get("ci_high")),
             fmt.p_value(r.get("p_value")), _assessment(r), _note(r)] for r in rows]
    return _table(f"Relative likelihood by broad ethnic group (non-adverse range "
                  f"{fmt.ratio(low)} to {fmt.ratio(high)})",
                  ["Comparison", "Relative likelihood", "95% CI", "p-value", "Assessment",
                   "Note"], body, [False, True, True, True, False, False], env, rows)


#: What a breakdown table says about many comparisons (methodology §3).
EXPLORING_NOTE = ("Breakdowns are for exploring, not for verdicts: with many levels compared, "
                  "some differ by chance. A level is called significant only when its "
                  "Holm-adjusted p-value, over the levels of this table, is below 0.05.")


def _breakdown_table(indicator: str, rows: Sequence[Row], breakdown: str, focal: str,
                     reference: str, env: _Env) -> Table:
    rates = {(r.get("level"), r.get("group")): r for r in rows
             if r.get("breakdown") == breakdown and r.get("measure") == "rate"}
    ratios = {r.get("level"): r for r in rows
              if r.get("breakdown") == breakdown and r.get("measure") == "relative_likelihood"
              and r.get("group") == focal and r.get("reference") == reference}
    levels = list(dict.fromkeys(level for level, _ in rates))
    body = []
    for level in levels:
        ratio = ratios.get(level)
        body.append([*_level_cells(breakdown, level),
                     _rate_cell(rates.get((level, focal)), env),
                     _rate_cell(rates.get((level, reference)), env),
                     _value(ratio, fmt.ratio, env) if ratio else "",
                     fmt.p_value(ratio.get("p_adjusted")) if ratio else "",
                     _adjusted_significance(ratio)])
    heads = _level_heads(breakdown)
    used = [r for r in rows if r.get("breakdown") == breakdown]
    table = _table(f"By {_breakdown_name(breakdown).lower()}: {env.label(focal)} compared with "
                   f"{env.label(reference)}",
                   [*heads, env.label(focal), env.label(reference), "Relative likelihood",
                    "Adjusted p", "Assessment"], body,
                   [False] * len(heads) + [True, True, True, True, False], env, used)
    return {**table, "levels": True, "exploring": bool(ratios)}


def _adjusted_significance(ratio: Row | None) -> str:
    """A breakdown level's assessment, with significance read from ``p_adjusted``."""
    if ratio is None:
        return ""
    code = str(ratio.get("assessment") or "")
    name = ASSESSMENT_NAMES.get(code, "")
    adjusted = ratio.get("p_adjusted")
    if code not in ("adverse", "within range", "favourable") or fmt.missing(adjusted):
        return name
    if float(adjusted) < 0.05:
        return f"{name}, significant"
    return f"{name}, not significant" if code != "within range" else name


def _chart_breakdown(rows: Sequence[Row]) -> str:
    """Charts use bands when ``[grades.bands]`` gave them (fewer, larger levels), else grades."""
    breakdowns = {r.get("breakdown") for r in rows}
    return "band" if "band" in breakdowns else "grade"


def _left_out(hidden: int, what: str) -> str:
    return (f" {hidden} {what}{'s' if hidden != 1 else ''} with every figure withheld "
            f"{'are' if hidden != 1 else 'is'} left out." if hidden else "")


def _ratio_chart(indicator: str, overall: Sequence[Row], ratios: Sequence[Row], focal: str,
                 reference: str, env: _Env) -> dict[str, Any] | None:
    items = [_ratio_point(f"{env.label(r['group'])} ÷ {env.label(r['reference'])}", r, env)
             for r in overall if not _withheld(r)]
    breakdown = _chart_breakdown(ratios)
    levels = [r for r in ratios if r.get("breakdown") == breakdown
              and r.get("group") == focal and r.get("reference") == reference]
    shown = [r for r in levels if not _withheld(r)]
    hidden = len(overall) - len(items) + len(levels) - len(shown)
    # A level is drawn only with a figure (a value, or a published "not calculable").
    if any(not fmt.missing(r.get("value")) for r in shown):
        items.append({"label": f"By {breakdown} ({env.label(focal)} ÷ {env.label(reference)})",
                      "header": True})
        items.extend(_ratio_point(str(r.get("level")), r, env) for r in shown)
    if not any(not fmt.missing(i.get("value")) for i in items if not i.get("header")):
        return None  # nothing but withheld or not calculable: the tables say so
    low, high = env.range(indicator)
    graded = any(item.get("header") for item in items)
    title = (f"Indicator {indicator}, {env.short(indicator)}: relative likelihood by ethnic "
             f"group{f' and by {breakdown}' if graded else ''}, with 95% confidence intervals, "
             f"on a log scale; the non-adverse range {fmt.ratio(low)} to {fmt.ratio(high)} is "
             f"shaded.{_left_out(hidden, 'comparison')}")
    return {"name": f"indicator-{indicator}", "kind": "ratios", "title": title,
            "data": items, "range": [low, high]}


def _withheld(row: Row | None) -> bool:
    return row is not None and bool(row.get("suppressed") or row.get("assessment") == "suppressed")


def _ratio_point(label: str, row: Row, env: _Env) -> dict[str, Any]:
    value = row.get("value")
    if row.get("suppressed") or row.get("assessment") == "suppressed":
        text = "withheld (small numbers)"
    elif fmt.missing(value):
        text = "not calculable"
    else:
        text = fmt.ratio(value)
        low, high = row.get("ci_low"), row.get("ci_high")
        if not fmt.missing(low) and not fmt.missing(high):
            text += f" ({fmt.ratio(low)}{fmt.DASH}{fmt.ratio(high)})"
        if row.get("assessment"):
            text += f" {row['assessment']}"
    return {"label": label, "value": None if fmt.missing(value) else float(value),
            "low": _float(row.get("ci_low")), "high": _float(row.get("ci_high")),
            "assessment": row.get("assessment") or "", "text": text, "header": False}


# ---- indicator 1: composition by grade


def _composition_section(indicator: str, rows: list[Row], env: _Env) -> dict[str, Any]:
    shares = [r for r in rows if r.get("measure") == "share"]
    overall = {r.get("group"): r for r in shares if r.get("breakdown") == "overall"}
    by_grade = [r for r in shares if r.get("breakdown") == "grade"]
    diffs = {r.get("level"): r for r in rows if r.get("measure") == "difference"
             and r.get("breakdown") == "grade"}
    tables = [_composition_table(by_grade, overall, diffs, env),
              _group_share_table(overall, env)]
    for breakdown in _breakdowns(shares, env.named_breakdowns(indicator)):
        if breakdown != "grade":
            tables.append(_compound_share_table(shares, breakdown, env))
    return {"kind": "composition", "sentence": _composition_sentence(overall, diffs, env),
            "status": "", "status_class": "",
            "chart": _composition_chart(indicator, overall, shares, env),
            "tables": [t for t in tables if t["rows"]]}


def _composition_sentence(overall: Mapping[Any, Row], diffs: Mapping[Any, Row],
                          env: _Env) -> str:
    minority = overall.get("minority")
    end = fmt.long_date(env.meta.get("period", {}).get("end"))
    if minority is None or fmt.missing(minority.get("value")):
        return withheld_sentence(f"The {env.minority} share of the workforce", env.threshold)
    text = (f"{fmt.sentence_start(env.minority)} staff made up "
            f"{fmt.percent(minority['value'])} of the workforce in post on {end} "
            f"({fmt.count(minority.get('numerator'))} of "
            f"{fmt.count(minority.get('denominator'))})")
    unknown = overall.get("unknown")
    if unknown is not None and not fmt.missing(unknown.get("value")):
        text += f"; ethnicity was unknown for {fmt.percent(unknown['value'])}"
    text += "."
    published = [d for d in diffs.values() if not fmt.missing(d.get("value"))]
    if diffs:
        below = sum(1 for d in published if float(d["value"]) < 0)
        text += (f" Their share was below the whole-workforce share in {below} of the "
                 f"{len(published)} grades with published figures")
        hidden = len(diffs) - len(published)
        text += f" ({hidden} grades withheld)." if hidden else "."
    return text


def _composition_table(by_grade: Sequence[Row], overall: Mapping[Any, Row],
                       diffs: Mapping[Any, Row], env: _Env) -> Table:
    cells = {(r.get("level"), r.get("group")): r for r in by_grade}
    levels = list(dict.fromkeys(r.get("level") for r in by_grade))
    body = []
    if overall:
        body.append(["Whole workforce", _headcount(overall.values()),
                     *(_share_cell(overall.get(g), env) for g in ("white", "minority", "unknown")),
                     ""])
    for level in levels:
        group_rows = [cells[k] for k in cells if k[0] == level]
        diff = diffs.get(level)
        body.append([str(level), _headcount(group_rows),
                     *(_share_cell(cells.get((level, g)), env)
                       for g in ("white", "minority", "unknown")),
                     _value(diff, fmt.points, env) if diff else ""])
    return {**_table("Workforce by grade: share of each grade's headcount",
                     ["Grade", "Headcount", env.label("white"), env.label("minority"),
                      env.label("unknown"),
                      f"{env.label('minority')} share minus whole workforce"],
                     body, [False, True, True, True, True, True], env,
                     [*by_grade, *overall.values(), *diffs.values()]), "levels": True}


def _group_share_table(overall: Mapping[Any, Row], env: _Env) -> Table:
    body = [[env.label(g), *_count_cells(overall[g], env),
             _value(overall[g], fmt.percent, env, counted=True),
             fmt.interval(overall[g].get("ci_low"), overall[g].get("ci_high"), fmt.percent)]
            for g in GROUPS if g in overall]
    return _table("Whole workforce by broad ethnic group",
                  ["Ethnic group", "Headcount", "Out of", "Share", "95% CI"], body,
                  [False, True, True, True, True], env, list(overall.values()))


def _compound_share_table(shares: Sequence[Row], breakdown: str, env: _Env) -> Table:
    cells = {(r.get("level"), r.get("group")): r for r in shares if r.get("breakdown") == breakdown}
    levels = list(dict.fromkeys(level for level, _ in cells))
    body = [[*_level_cells(breakdown, level),
             _headcount([cells[k] for k in cells if k[0] == level]),
             *(_share_cell(cells.get((level, g)), env) for g in ("white", "minority", "unknown"))]
            for level in levels]
    heads = _level_heads(breakdown)
    return {**_table(f"Workforce by {_breakdown_name(breakdown).lower()}",
                     [*heads, "Headcount", env.label("white"), env.label("minority"),
                      env.label("unknown")], body, [False] * len(heads) + [True] * 4, env,
                     [cells[k] for k in cells]), "levels": True}


def _composition_chart(indicator: str, overall: Mapping[Any, Row], shares: Sequence[Row],
                       env: _Env) -> dict[str, Any] | None:
    breakdown = _chart_breakdown(shares)
    by_level = [r for r in shares if r.get("breakdown") == breakdown]
    cells = {(r.get("level"), r.get("group")): r for r in by_level}
    bars = ([_composition_bar("Whole workforce", overall, env)]
            if any(not _withheld(r) for r in overall.values()) else [])
    hidden = 0
    for level in dict.fromkeys(r.get("level") for r in by_level):
        groups = {g: cells.get((level, g)) for g in ("white", "minority", "unknown")}
        if all(r is None or _withheld(r) for r in groups.values()):
            hidden += 1
            continue
        bars.append(_composition_bar(str(level), groups, env))
    if not bars:
        return None
    title = (f"Indicator {indicator}, {env.short(indicator)}: share of {env.label('white')}, "
             f"{env.label('minority')} and {env.label('unknown')} staff in each {breakdown} and "
             "in the whole workforce, as stacked bars; withheld shares are hatched."
             f"{_left_out(hidden, breakdown)}")
    return {"name": f"indicator-{indicator}", "kind": "composition", "title": title,
            "data": bars, "minority_label": env.label("minority")}


def _composition_bar(label: str, groups: Mapping[Any, Row | None], env: _Env) -> dict[str, Any]:
    segments = []
    for g in ("white", "minority", "unknown"):
        row = groups.get(g)
        value = None if row is None or fmt.missing(row.get("value")) else float(row["value"])
        segments.append({"group": g, "label": env.label(g), "value": value})
    minority = groups.get("minority")
    text = (fmt.percent(minority["value"]) if minority is not None
            and not fmt.missing(minority.get("value"))
            else (env.withheld(minority) if minority is not None else ""))
    return {"label": label, "segments": segments, "text": text}


# ---- indicator 9 / 9a / 9b: representation at the top


def _representation_section(indicator: str, rows: list[Row], env: _Env) -> dict[str, Any]:
    shares = [r for r in rows if r.get("measure") == "share"
              and r.get("breakdown") in env.named_breakdowns(indicator)]
    levels = list(dict.fromkeys(str(r.get("level")) for r in shares))
    cells = {(str(r.get("level")), r.get("group")): r for r in shares}
    diffs = {str(r.get("reference")): r for r in rows if r.get("measure") == "difference"}
    focal_level = next((lv for lv in levels if lv != "workforce"), levels[0] if levels else "")
    focal, workforce = cells.get((focal_level, "minority")), cells.get(("workforce", "minority"))
    # Only an indicator that compares with the population (9, not NHS 9a/9b) shows it.
    population = (population_share(env.population, focal, diffs["population"])
                  if "population" in diffs else None)
    sentence = share_sentence(focal, workforce, diffs.get("workforce"), minority=env.minority,
                              focal_place=env.level(indicator, focal_level)[1],
                              against_place=env.level(indicator, "workforce")[1],
                              threshold=env.threshold)
    if population is not None:
        sentence += (f" The local population's {env.minority} share is "
                     f"{fmt.percent(population)}.")
    worst = diffs.get("workforce") or next(iter(diffs.values()), None)
    status = (worst.get("assessment") if worst is not None else None) or ""
    return {"kind": "representation", "sentence": sentence,
            "status": ASSESSMENT_NAMES.get(status, ""), "status_class": _css(status),
            "chart": _representation_chart(indicator, levels, cells,
                                           "population" in diffs, population, env),
            "tables": [t for t in (_representation_table(indicator, levels, cells, env),
                                   _difference_table(indicator, diffs, levels, env))
                       if t["rows"]]}


def population_share(benchmark: Any, senior: Row | None,
                     difference: Row | None) -> float | None:
    """The population's minority share: 1 − the benchmark's White share when there is
    a benchmark, else worked back from the published share and difference."""
    if isinstance(benchmark, Mapping) and benchmark.get("white") is not None:
        return 1.0 - float(benchmark["white"])
    if senior is None or difference is None:
        return None
    if fmt.missing(senior.get("value")) or fmt.missing(difference.get("value")):
        return None
    return float(senior["value"]) - float(difference["value"])


def _representation_table(indicator: str, levels: Sequence[str],
                          cells: Mapping[tuple[str, Any], Row], env: _Env) -> Table:
    body = [[env.label(g), *(_share_cell(cells.get((lv, g)), env) for lv in levels)]
            for g in GROUPS if any((lv, g) in cells for lv in levels)]
    body.append(["Headcount", *(_headcount([cells[k] for k in cells if k[0] == lv])
                                for lv in levels)])
    columns = ["Ethnic group", *(env.level(indicator, lv)[0] for lv in levels)]
    return _table("Share of each group", columns, body, [False] + [True] * len(levels), env,
                  list(cells.values()))


def _difference_table(indicator: str, diffs: Mapping[str, Row], levels: Sequence[str],
                      env: _Env) -> Table:
    focal = next((lv for lv in levels if lv != "workforce"), "")
    body = [[f"{env.label(r.get('group'))} share: {env.level(indicator, focal)[1]} minus "
             f"{env.level(indicator, reference)[1]}", _value(r, fmt.points, env),
             _assessment(r), _note(r)]
            for reference, r in diffs.items()]
    return _table("Differences (a negative difference means under-representation)",
                  ["Comparison", "Difference", "Assessment", "Note"], body,
                  [False, True, False, False], env, list(diffs.values()))


def _representation_chart(indicator: str, levels: Sequence[str],
                          cells: Mapping[tuple[str, Any], Row], with_population: bool,
                          population: float | None, env: _Env) -> dict[str, Any]:
    bars = []
    for level in levels:
        row = cells.get((level, "minority"))
        value = None if row is None or fmt.missing(row.get("value")) else float(row["value"])
        text = fmt.percent(value) if value is not None else (env.withheld(row) if row else "")
        bars.append({"label": env.level(indicator, level)[0], "value": value, "text": text})
    if with_population:
        bars.append({"label": POPULATION_NAMES[0], "value": population,
                     "text": fmt.percent(population) if population is not None
                     else "not available"})
    places = ", ".join(b["label"].lower() for b in bars)
    title = (f"Indicator {indicator}, {env.short(indicator)}: {env.minority} share of "
             f"{places}, as bars with the percentage written beside each.")
    return {"name": f"indicator-{indicator}", "kind": "representation", "title": title,
            "data": bars, "group_label": env.minority}


# --------------------------------------------------------------------------- summary, headline


def _summary(sections: Sequence[Mapping[str, Any]], quality: Mapping[str, Any],
             env: _Env) -> dict[str, Any]:
    findings = [{"id": s["id"], "anchor": s["anchor"], "short": s["short"], "nav": s.get("nav"),
                 "status": s["status"], "status_class": s["status_class"],
                 "text": s["sentence"]} for s in sections if not s["no_data"]]
    missing = [s for s in sections if s["no_data"]]
    if missing:
        ids = ", ".join(s["id"] for s in missing)
        findings.append({"id": ids, "anchor": "no-data", "short": "", "status": "No data",
                         "nav": f"Indicator{'s' if len(missing) > 1 else ''} {ids}: no data",
                         "status_class": "nodata",
                         "text": "Not calculated: the extract each needs was not supplied."})
    heads = [s["headline"] for s in sections if s["kind"] == "rate" and s.get("headline")]
    counts = {name: sum(1 for h in heads if h.get("assessment") == code)
              for code, name in ASSESSMENT_NAMES.items()}
    assessed = counts["Adverse"] + counts["Within range"] + counts["Favourable"]
    intro = (f"This report sets out the {STANDARD_NAMES.get(env.standard, env.standard)} "
             f"indicators for {fmt.plain(env.meta.get('organisation')) or 'the organisation'} "
             f"for {fmt.period_text(env.meta.get('period') or {})}. Of the {len(heads)} "
             f"headline relative likelihoods comparing {env.minority} and "
             f"{env.label('white')} staff, {assessed} could be assessed: "
             f"{counts['Adverse']} adverse, {counts['Within range']} within the non-adverse "
             f"range and {counts['Favourable']} favourable.")
    unassessed = ((counts["Withheld"], "withheld because of small numbers"),
                  (counts["Not calculable"], "not calculable"))
    others = [f"{n} {text}" for n, text in unassessed if n]
    if others:
        intro += f" The rest ({' and '.join(others)}) cannot be assessed."
    gaps = [s["gap"] for s in sections if s["kind"] == "gap"]
    if gaps:
        adverse = sum(1 for g in gaps if g.get("assessment") == "adverse")
        intro += (f" Of the {len(gaps)} staff survey indicators published as two percentages, "
                  f"{adverse} show{'s' if adverse == 1 else ''} a gap adverse to "
                  f"{env.minority} staff that chance alone is unlikely to explain.")
    workforce = (quality.get("extracts") or {}).get("workforce") or {}
    declared = workforce.get("declaration_rate")
    if declared is not None:
        intro += (f" Ethnicity was recorded for {fmt.percent(declared)} of the workforce in "
                  "the period.")
    return {"intro": intro, "findings": findings}


def _headline(sections: Sequence[Mapping[str, Any]], env: _Env) -> dict[str, Any]:
    items, body = [], []
    for s in sections:
        head = s.get("headline") if s["kind"] == "rate" else None
        if head is None:
            continue
        label = f"{s['id']} {s['short']}"
        point = _ratio_point(f"{label}\n{s['comparison']}", head, env)
        items.append(point)
        body.append([label, s["comparison"], _value(head, fmt.ratio, env),
                     fmt.interval(head.get("ci_low"), head.get("ci_high")), _assessment(head)])
    heads = [s["headline"] for s in sections if s["kind"] == "rate" and s.get("headline")]
    table = _table("Headline relative likelihoods (the data of the chart above)",
                   ["Indicator", "Comparison", "Relative likelihood", "95% CI", "Assessment"],
                   body, [False, False, True, True, False], env, heads)
    chart = None
    if items:
        chart = {"name": "headline", "kind": "ratios", "data": items,
                 "range": list(DEFAULT_RANGE),
                 "title": (f"Headline relative likelihoods of {env.minority} and "
                           f"{env.label('white')} staff for {len(items)} indicators, with 95% "
                           "confidence intervals, on a log scale; the non-adverse range "
                           f"{fmt.ratio(DEFAULT_RANGE[0])} to {fmt.ratio(DEFAULT_RANGE[1])} is "
                           "shaded.")}
    return {"chart": chart, "table": table}


# --------------------------------------------------------------------------- data quality


def _quality(meta: Mapping[str, Any], quality: Mapping[str, Any], env: _Env) -> dict[str, Any]:
    extracts = quality.get("extracts") or {}
    inputs = meta.get("inputs") or {}
    overview, excluded, unknown, blanks = [], [], [], []
    coarsened = False
    for name, entry in extracts.items():
        rate = entry.get("declaration_rate")
        has_rate = "declaration_rate" in entry
        figures = [entry.get("rows_read"), entry.get("rows_in_scope")]
        coarsened |= any(v is None for v in figures) or (has_rate and rate is None)
        overview.append([_extract_name(name), str((inputs.get(name) or {}).get("file") or ""),
                         *(WITHHELD if v is None else fmt.count(v) for v in figures),
                         fmt.percent(rate) if rate is not None
                         else (WITHHELD if has_rate else "not applicable")])
        if entry.get("excluded") is None:
            excluded.append([_extract_name(name), "(every reason)", WITHHELD])
            coarsened = True
        excluded.extend([_extract_name(name), fmt.plain(reason), fmt.count(n)]
                        for reason, n in (entry.get("excluded") or {}).items())
        spellings = [f"{fmt.plain(value) or '(blank)'}: {_small_count(n, env)}"
                     for value, n in (entry.get("unknown_values") or {}).items()]
        if spellings:  # one row per extract, so the list stays short on paper
            unknown.append([_extract_name(name), "; ".join(spellings)])
        blanks.extend([_extract_name(name), str(column), fmt.count(n)]
                      for column, n in (entry.get("blank_booleans") or {}).items())
    by_grade = [[str(grade), fmt.percent(rate) if rate is not None else WITHHELD]
                for grade, rate in (quality.get("declaration_rate_by_grade") or {}).items()]
    tables = [
        _plain_table("Extracts read", ["Extract", "File", "Rows read", "Rows in scope",
                                       "Ethnicity declared"], overview,
                     [False, False, True, True, True],
                     [withheld_footnote(_limit(env))] if coarsened else []),
        # Grades across, so the board paper's data quality fits on a page.
        _plain_table("Declaration rate by grade (workforce in post in the period)",
                     ["Grade", *(r[0] for r in by_grade)],
                     [["Ethnicity declared", *(r[1] for r in by_grade)]] if by_grade else [],
                     [False] + [True] * len(by_grade),
                     [withheld_footnote(_limit(env))] if any(r[1] == WITHHELD for r in by_grade)
                     else []),
        _plain_table("Records left out, and why", ["Extract", "Reason", "Rows"], excluded,
                     [False, False, True]),
        _plain_table("Blank yes/no values read as no", ["Extract", "Column", "Rows"], blanks,
                     [False, False, True]),
    ]
    # The spellings read as unknown are detail for the appendix, not the board paper.
    details = [_plain_table("Ethnicity values read as unknown (value as written: rows)",
                            ["Extract", "Values"], unknown, [False, False])]
    no_data = [f"Indicator {i}: no data (its extract was not supplied)."
               for i in quality.get("no_data") or []]
    return {"tables": [t for t in tables if t["rows"]],
            "details": [t for t in details if t["rows"]],
            "warnings": [fmt.plain(w) for w in quality.get("warnings") or []],
            "no_data": no_data}


def _extract_name(name: str) -> str:
    return fmt.sentence_start(str(name).replace("_", " "))


def _small_count(n: Any, env: _Env) -> str:
    return WITHHELD if n is None else fmt.count(n)


def _limit(env: _Env) -> int:
    """The small-number threshold (10 when a report is unsuppressed: nothing is withheld
    then, but a sentence about the rule still needs a number)."""
    return env.threshold if env.threshold is not None else 10


# --------------------------------------------------------------------------- appendix


def _appendix(sections: Sequence[Mapping[str, Any]], env: _Env) -> dict[str, Any]:
    directions = []
    for s in sections:
        if s["kind"] != "rate":
            continue
        side = env.adverse_side(s["id"])
        low, high = env.range(s["id"])
        adverse = {"high": f"above {fmt.ratio(high)}", "low": f"below {fmt.ratio(low)}"}
        directions.append([f"{s['id']} {s['short']}", s["comparison"],
                           adverse.get(side or "", "outside the range")])
    threshold = env.threshold
    small = (f"Any count of people from 1 to {threshold - 1} behind a rate or share is "
             "withheld, together with every figure that would let it be worked out (by "
             "subtraction, or from other tables and the data quality figures), and any ratio "
             "or difference built on a withheld figure. Every withheld figure is shown the "
             "same way, as “withheld”, whatever the reason, so a reader cannot tell which "
             "one was small. Zero is not withheld. How many people did not declare their "
             "ethnicity is published, and board members' figures, which the organisation "
             "publishes anyway, are not withheld." if threshold is not None else
             "This report was made without the small-number rule (--no-suppress): it shows "
             "small counts and is for internal analysis only. Do not publish it.")
    return {
        "directions": _plain_table("Direction of each relative likelihood",
                                   ["Indicator", "Comparison", "Adverse when"], directions,
                                   [False, False, False]),
        "method": _method(env),
        "range": _range_text(),
        "small_numbers": small,
        "glossary": _glossary(env),
        "inputs": _inputs_table(env.meta),
    }


def _method(env: _Env) -> list[str]:
    minority, white = env.minority, env.label("white")
    return [
        f"Each indicator compares groups of staff by ethnicity, as recorded in the HR system "
        f"or the staff survey and classified into the ONS 2021 broad groups. “{minority}” "
        f"means every known ethnic group other than {white} (White minorities such as Irish, "
        "Gypsy or Irish Traveller and Roma count as White, as in the WRES). People whose "
        "ethnicity is unknown are shown separately and never merged into another group: they "
        "are left out of rates and relative likelihoods and counted in the denominators of "
        "shares, so a low declaration rate cannot flatter the figures.",
        "A rate is the number of people with the outcome divided by the number in the group, "
        "with a 95% Wilson confidence interval. A relative likelihood divides one group's rate "
        "by another's: 1 means equally likely, 2 twice as likely, 0.5 half as likely. Its 95% "
        "confidence interval uses the Katz log method and its p-value Fisher's exact test. It "
        "cannot be calculated when either group is empty or nobody in it had the outcome.",
        "A share is a group's headcount divided by the whole headcount, unknown ethnicity "
        "included. Differences between shares are given in percentage points.",
        "Every figure is calculated from unrounded counts; this report rounds ratios to 2 "
        "decimal places and percentages to 1.",
    ]


def _range_text() -> str:
    low, high = (fmt.ratio(v) for v in DEFAULT_RANGE)
    return (f"A relative likelihood from {low} to {high} is within the non-adverse range: the "
            "four-fifths rule used by NHS England and Skills for Care (1.25 is 1 ÷ 0.80). "
            "Outside it, the direction decides: being less likely to be appointed or to get "
            "training is adverse; being more likely to enter a disciplinary process, to be "
            "harassed or to leave is adverse. The range is applied to the unrounded value. "
            "Whether a difference may be due to chance is judged from the 95% confidence "
            "interval: if it includes 1, chance cannot be ruled out.")


def _glossary(env: _Env) -> list[list[str]]:
    limit = _limit(env)
    return [
        ["Relative likelihood", "One group's rate divided by another's. 1 means equally "
         "likely; above 1, the first group is more likely."],
        ["95% confidence interval (CI)", "The range of values consistent with the data: "
         "with small groups it is wide."],
        ["Non-adverse range", f"{fmt.ratio(DEFAULT_RANGE[0])} to {fmt.ratio(DEFAULT_RANGE[1])}; "
         "a relative likelihood inside it is not treated as a disparity."],
        ["Adverse, favourable", f"Outside the non-adverse range, to the disadvantage (adverse) "
         f"or the advantage (favourable) of {env.minority} staff."],
        ["May be due to chance", "The 95% confidence interval includes 1: the data cannot rule "
         "out that the groups are equally likely."],
        ["Not calculable", "A relative likelihood cannot be calculated because a group is "
         "empty or nobody in it had the outcome."],
        ["Declaration rate", "The share of records whose ethnicity is known."],
        ["Withheld", f"Not published, to protect small numbers: a figure about fewer than "
         f"{limit} people, a figure from which one could be worked out, or a figure built on "
         "either. All are marked the same way."],
        ["Percentage point", "The difference between two percentages: 20% is 5 points above "
         "15%."],
        [env.minority, f"Every known ethnic group other than {env.label('white')}."],
    ]


def _inputs_table(meta: Mapping[str, Any]) -> Table:
    body = [[_extract_name(name), str(entry.get("file") or ""),
             WITHHELD if entry.get("rows") is None else fmt.count(entry.get("rows")),
             str(entry.get("sha256") or "")[:16]]
            for name, entry in (meta.get("inputs") or {}).items()]
    return _plain_table("Input files", ["Extract", "File", "Rows", "SHA-256 (first 16)"], body,
                        [False, False, True, False])


# --------------------------------------------------------------------------- cells and tables


def _table(caption: str, columns: list[str], rows: list[list[str]], numeric: list[bool],
           env: _Env, source: Sequence[Row | None]) -> Table:
    """A table and the footnotes its withheld cells need."""
    notes = []
    if any(r is not None and r.get("suppressed") for r in source):
        notes.append(withheld_footnote(_limit(env)))
    return _plain_table(caption, columns, rows, numeric, notes)


def _plain_table(caption: str, columns: list[str], rows: list[list[str]], numeric: list[bool],
                 notes: list[str] | None = None) -> Table:
    return {"caption": caption, "columns": columns, "rows": rows, "numeric": numeric,
            "notes": notes or []}


def _ordered(rows: Iterator[Row] | Sequence[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: GROUPS.index(r["group"]) if r.get("group") in GROUPS
                  else len(GROUPS))


def _count_cells(row: Row, env: _Env) -> list[str]:
    if row.get("suppressed"):
        return [env.withheld(row), fmt.DASH]
    return [fmt.count(row.get("numerator")), fmt.count(row.get("denominator"))]


def _value(row: Row | None, formatter: Any, env: _Env, *, counted: bool = False) -> str:
    """The row's value for display; ``counted``: the row's count cell already says
    why it is withheld, so the value cell only needs a dash."""
    if row is None:
        return ""
    if row.get("suppressed"):
        return fmt.DASH if counted else env.withheld(row)
    if fmt.missing(row.get("value")):
        return "not calculable" if row.get("assessment") == "not calculable" else fmt.DASH
    return formatter(row["value"])


def _rate_cell(row: Row | None, env: _Env) -> str:
    """``29.8% (196 of 657)``: the rate with the counts behind it."""
    if row is None:
        return ""
    if row.get("suppressed"):
        return env.withheld(row)
    if fmt.missing(row.get("value")):
        return "no one"
    return (f"{fmt.percent(row['value'])} ({fmt.count(row.get('numerator'))} of "
            f"{fmt.count(row.get('denominator'))})")


def _share_cell(row: Row | None, env: _Env) -> str:
    """``17.9% (627)``: the share with its headcount (the denominator is in its own column)."""
    if row is None:
        return ""
    if row.get("suppressed"):
        return env.withheld(row)
    if fmt.missing(row.get("value")):
        return fmt.DASH
    return f"{fmt.percent(row['value'])} ({fmt.count(row.get('numerator'))})"


def _headcount(rows: Any) -> str:
    """The level's denominator, from any of its published rows (they share it)."""
    for row in rows:
        if row is not None and not fmt.missing(row.get("denominator")):
            return fmt.count(row["denominator"])
    return "withheld"


#: The badge of an adverse ratio whose interval includes 1 (methodology §3).
ADVERSE_NOT_SIGNIFICANT = "Adverse, not significant"


def _assessment(row: Row) -> str:
    """The assessment's display name; an adverse ratio whose interval includes 1 gets
    its own badge, so a board does not read chance as a finding."""
    code = str(row.get("assessment") or "")
    if code == "adverse" and row.get("measure") == "relative_likelihood" \
            and interval_excludes_one(row) is False:
        return ADVERSE_NOT_SIGNIFICANT
    return ASSESSMENT_NAMES.get(code, "")


def _row_css(row: Row) -> str:
    css = _css(str(row.get("assessment") or ""))
    return f"{css} notsig" if _assessment(row) == ADVERSE_NOT_SIGNIFICANT else css


def _note(row: Row) -> str:
    return fmt.plain(row.get("note"))


def _css(assessment: str) -> str:
    return {"adverse": "adverse", "within range": "within", "favourable": "favourable",
            "not calculable": "nocalc", "suppressed": "withheld",
            "no significant difference": "within"}.get(assessment, "")


def _breakdown_name(breakdown: str) -> str:
    return " and ".join(BREAKDOWN_NAMES.get(p, p.replace("_", " ")).lower()
                        for p in breakdown.split("+")).capitalize()


def _level_heads(breakdown: str) -> list[str]:
    return [BREAKDOWN_NAMES.get(p, fmt.sentence_start(p.replace("_", " ")))
            for p in breakdown.split("+")]


def _level_cells(breakdown: str, level: Any) -> list[str]:
    parts = breakdown.split("+")
    values = str(level).split("+", len(parts) - 1) if len(parts) > 1 else [str(level)]
    return values + [""] * (len(parts) - len(values))


def _float(value: Any) -> float | None:
    return None if fmt.missing(value) else float(value)
