"""Reading ``results.json``: the one reader, used by ``report``, ``trend`` and ``benchmark``.

A file is accepted only when it is a results document of this schema version and,
when its ``meta`` claims the small-number rule, shows no small count it should have
withheld (methodology section 5, rule 7): wres will not publish from a file that
was edited after ``wres compute`` wrote it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from wres_cli.contract import OPTIONAL_RESULT_COLUMNS, RESULT_COLUMNS
from wres_cli.errors import InputError, UsageError

SCHEMA_VERSION = 1

def read_results(path: Path) -> dict[str, Any]:
    """A ``results.json`` written by ``wres compute`` (schema version 1), checked.

    A missing path is a ``UsageError``; a file that is not such a document is an
    ``InputError`` naming it.
    """
    path = Path(path)
    if not path.exists():
        raise UsageError(f"results file {path} does not exist")
    if path.is_dir():
        raise UsageError(f"{path} is a folder: give the results.json files written by "
                         "wres compute")
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not a JSON file ({exc.msg} at line {exc.lineno})") from exc
    except ValueError as exc:  # NaN or Infinity: not JSON, and never written by wres
        raise InputError(f"{path}: not a wres results.json: {exc}") from exc
    except RecursionError:
        raise InputError(f"{path}: not a wres results.json: nested too deeply") from None
    problem = _document_problem(document)
    if problem:
        raise InputError(f"{path}: not a wres results.json: {problem}")
    unprotected = unprotected_row(document)
    if unprotected:
        raise InputError(f"{path}: {unprotected}: the file claims the small-number rule "
                         f"(threshold {document['meta']['suppression_threshold']}) but shows "
                         "a small count; it was edited or not made by wres compute, and "
                         "wres will not publish from it")
    return document


def unprotected_row(document: Mapping[str, Any]) -> str | None:
    """The first result row that shows a protected count although ``meta`` claims
    a threshold (methodology section 5, rule 7), named; None when there is none.
    Unknown headcounts in shares and rows of public indicators may be small."""
    meta = document["meta"]
    threshold = meta.get("suppression_threshold")
    if threshold is None:
        return None
    if not isinstance(threshold, int) or isinstance(threshold, bool):
        return f"meta.suppression_threshold is {threshold!r}, not a whole number"
    public = set((meta.get("disclosure") or {}).get("public") or ())
    for number, row in enumerate(document["results"], start=1):
        if row.get("suppressed") is True or row.get("measure") not in ("share", "rate"):
            continue
        if str(row.get("indicator")) in public:
            continue
        for column in ("numerator", "denominator"):
            value = row.get(column)
            if column == "numerator" and row.get("measure") == "share" \
                    and row.get("group") == "unknown":
                continue
            if isinstance(value, int | float) and not isinstance(value, bool) \
                    and 1 <= value < threshold:
                return (f"result {number} (indicator {row.get('indicator')}, "
                        f"{row.get('measure')}, {row.get('breakdown')} {row.get('level')}, "
                        f"{row.get('group')}) has {column} {value}")
    return None


#: Said wherever results of overlapping periods are shown together.
DIFFERENCING_NOTICE = (
    "periods {first} and {second} overlap: publishing both lets small numbers be found by "
    "subtracting one period's figures from the other's. Publish one reporting year; keep "
    "rolling periods for internal monitoring.")


def overlap_notices(documents: Sequence[Mapping[str, Any]]) -> list[str]:
    """One notice per pair of overlapping periods among ``documents``."""
    periods = sorted(period_of(d) for d in documents)
    notices = []
    for i, first in enumerate(periods):
        for second in periods[i + 1:]:
            if second[0] <= first[1]:
                notices.append(DIFFERENCING_NOTICE.format(first=describe_period(first),
                                                          second=describe_period(second)))
    return notices


def _no_constant(name: str) -> Any:
    raise ValueError(f"it holds {name}, which JSON does not allow (wres writes null)")


def _document_problem(document: Any) -> str | None:
    """What is wrong with a parsed results document, or None."""
    if not isinstance(document, dict):
        return "the top level is not an object"
    meta = document.get("meta")
    if not isinstance(meta, dict):
        return "no meta object"
    if meta.get("schema_version") != SCHEMA_VERSION:
        return (f"schema_version is {meta.get('schema_version')!r}; this wres reads "
                f"{SCHEMA_VERSION}")
    if not isinstance(meta.get("standard"), str):
        return "meta.standard is missing"
    period = meta.get("period")
    if not isinstance(period, dict) or _day(period.get("start")) is None \
            or _day(period.get("end")) is None:
        return "meta.period needs start and end dates (YYYY-MM-DD)"
    if _day(period["end"]) < _day(period["start"]):  # type: ignore[operator]
        return "meta.period ends before it starts"
    results = document.get("results")
    if not isinstance(results, list):
        return "no results list"
    for number, row in enumerate(results, start=1):
        if not isinstance(row, dict):
            return f"result {number} is not an object"
        missing = [c for c in RESULT_COLUMNS
                   if c not in row and c not in OPTIONAL_RESULT_COLUMNS]
        if missing:
            return f"result {number} lacks {', '.join(missing)}"
    return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None

def period_of(document: Mapping[str, Any]) -> tuple[date, date]:
    period = document["meta"]["period"]
    return date.fromisoformat(period["start"]), date.fromisoformat(period["end"])


def describe_period(period: tuple[date, date]) -> str:
    return f"{period[0].isoformat()} to {period[1].isoformat()}"


def in_period_order(documents: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The documents by period end (then start), after checking they make one series."""
    for field, what in (("organisation", "organisation"), ("standard", "standard")):
        seen = list(dict.fromkeys(str(d["meta"].get(field)) for d in documents))
        if len(seen) > 1:
            raise InputError(f"trend needs results for one {what}; these are for "
                             f"{', '.join(seen)}")
    ordered = sorted(documents, key=lambda d: (period_of(d)[1], period_of(d)[0]))
    periods = [period_of(d) for d in ordered]
    repeated = sorted({p for p in periods if periods.count(p) > 1})
    if repeated:
        raise InputError("the same period is given more than once: "
                         + ", ".join(describe_period(p) for p in repeated))
    return ordered
