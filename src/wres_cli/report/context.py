"""The report context: a plain dict built from a results document.

Everything a template shows is decided here and in the section modules
(``rate_section``, ``share_sections``, ``pay_section``, ``summary``,
``appendix``), as text already formatted for display (the templates only lay it
out and escape it). Chart specifications sit in the context too — a name, a
text alternative, a kind and the data points — and ``wres_cli.charts`` draws
them. Tables are the dicts of ``cells``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from wres_cli.indicators import indicator_sort_key
from wres_cli.report import format as fmt
from wres_cli.report.appendix import appendix_section, quality_section
from wres_cli.report.cells import Row, Table, small_number_limit
from wres_cli.report.env import STANDARD_NAMES, Env
from wres_cli.report.pay_section import is_pay_section, pay_section
from wres_cli.report.rate_section import EXPLORING_NOTE, rate_section
from wres_cli.report.share_sections import composition_section, representation_section
from wres_cli.report.summary import headline_section, summary_section

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
    env = Env(meta, definitions, population)
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
        "summary": summary_section(every, quality, env),
        "headline": headline_section(sections, env),
        "indicators": sections,
        "no_data": _no_data_section(missing),
        "benchmark": None,  # render_report adds the funnels of benchmark output
        "trend": dict(trend) if trend else None,
        "quality": quality_section(meta, quality, env),
        "appendix": appendix_section(sections, env),
    }


LOCAL_INTRO = ("These measures are the organisation's own, declared in its own indicator "
               "files rather than by the standard (methodology section 8). They are counted, "
               "compared and protected exactly like the standard's indicators.")


def _with_local_last(sections: list[dict[str, Any]], env: Env) -> list[dict[str, Any]]:
    """The standard's sections, then the local measures under their own heading
    ("Local measures"): the first of them carries ``local_first``."""
    def is_local(section: Mapping[str, Any]) -> bool:
        d = env.definitions.get(section["id"])
        return bool(getattr(d, "local", False))

    standard = [s for s in sections if not is_local(s)]
    local: list[dict[str, Any]] = []
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


def _group_rows(rows: Sequence[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for row in rows:
        out.setdefault(str(row.get("indicator")), []).append(row)
    return out


# --------------------------------------------------------------------------- cover


def _cover(meta: Mapping[str, Any], env: Env) -> dict[str, Any]:
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


def _section(indicator: str, rows: list[Row], env: Env, no_data: bool) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": indicator, "anchor": f"indicator-{indicator}", "title": env.title(indicator),
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


def _section_body(indicator: str, rows: list[Row], env: Env) -> dict[str, Any]:
    if is_pay_section(rows):
        return pay_section(indicator, rows, env)
    measures = {r.get("measure") for r in rows}
    if "relative_likelihood" in measures or "rate" in measures:
        return rate_section(indicator, rows, env)
    if any(r.get("breakdown") in env.named_breakdowns(indicator) for r in rows):
        return representation_section(indicator, rows, env)
    return composition_section(indicator, rows, env)


def _is_withheld_cell(cell: str) -> bool:
    text = str(cell).strip().lower()
    return text in ("", fmt.DASH, "-", "withheld") or text.startswith("withheld")


def _without_withheld_rows(tables: Sequence[Table], env: Env) -> tuple[list[Table], list[str]]:
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
                f"small-number rule (fewer than {small_number_limit(env)} people, or figures "
                "from which such a number could be worked out), so they are not shown.")
            continue
        note = (f"{hidden} {what} row{'s' if hidden != 1 else ''} not shown: every figure "
                f"in {'them' if hidden != 1 else 'it'} is withheld.")
        kept.append({**table, "rows": shown, "notes": [note, *table["notes"]]})
    return kept, sentences


def _no_data(indicator: str, env: Env) -> dict[str, Any]:
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
