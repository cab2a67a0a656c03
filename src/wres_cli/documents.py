"""The shapes of the documents ``wres compute`` writes (contracts section 3), as
TypedDicts for the stage seams: ``meta``, ``data_quality`` and the results
document of ``results.json``. Types only, and ``generated_at`` (the one field
that varies between runs), shared by compute and benchmark.

Figures that disclosure may withhold (rows read, rows in scope, excluded
counts) are ``int | None``: a withheld figure is written as ``null``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NotRequired, TypedDict


class PeriodText(TypedDict):
    start: str  # ISO dates
    end: str


class InputEntry(TypedDict):
    """``meta.inputs.<extract>``: the file read (``<frames:X>`` for a frame)."""

    file: str
    sha256: str
    rows: int | None


class Meta(TypedDict):
    schema_version: int
    tool_version: str
    generated_at: str
    standard: str
    organisation: str | None
    period: PeriodText
    reporting_period: PeriodText
    inputs: dict[str, InputEntry]
    suppression_threshold: int | None
    chinese: str
    labels: dict[str, str]
    population: dict[str, float] | None
    #: id -> the file and its text of the organisation's own definitions
    local_indicators: NotRequired[dict[str, dict[str, str]]]
    #: threshold, protected counts, withheld rows, audit verdict (methodology section 5)
    disclosure: NotRequired[dict[str, Any]]
    #: ``{"snapshot": ISO date}`` when a pay extract was given
    pay: NotRequired[dict[str, str]]


class ExtractQuality(TypedDict, total=False):
    """``data_quality.extracts.<extract>``; invalid data may leave some out."""

    rows_read: int | None
    rows_in_scope: int | None
    #: reason -> rows left out (contract types, not in post in the period, ...)
    excluded: Mapping[str, int | None]
    declaration_rate: float | None
    #: raw value ('' for blank) -> rows classified as unknown
    unknown_values: dict[str, int] | None
    #: boolean column -> blanks read as false
    blank_booleans: dict[str, int]
    #: survey_summary: the counts worked out from a percent
    derived_counts: list[dict[str, Any]]
    survey_year: str | None


class DataQuality(TypedDict):
    extracts: dict[str, ExtractQuality]
    declaration_rate_by_grade: dict[str, float | None]
    #: ids of indicators whose extract (or a column they need) is missing
    no_data: list[str]
    warnings: list[str]


class ResultsDocument(TypedDict):
    """``results.json``: meta, data quality and the result rows (contracts section 3)."""

    meta: Meta
    data_quality: DataQuality
    results: list[dict[str, Any]]


def generated_at() -> str:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), tz=UTC) if epoch and epoch.isdigit()
              else datetime.now(tz=UTC))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
