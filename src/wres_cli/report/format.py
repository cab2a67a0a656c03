"""Display formatting for reports: rounding for people, never for machines.

Machine outputs stay unrounded (methodology §3); the report rounds ratios to 2
decimals and percentages to 1. Every function takes a raw value (None or NaN
for an empty cell) and returns text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash and wraps badly
DASH = "\u2013"

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def missing(value: Any) -> bool:
    """True for an empty cell: None, NaN (or anything pandas would call missing)."""
    if value is None:
        return True
    try:
        return isinstance(value, float) and math.isnan(value)
    except TypeError:
        return False


def ratio(value: Any) -> str:
    return "" if missing(value) else f"{float(value):.2f}"


def percent(value: Any) -> str:
    """A proportion 0–1 as a percentage to 1 decimal place."""
    return "" if missing(value) else _signed(f"{float(value) * 100:.1f}") + "%"


def points(value: Any) -> str:
    """A difference of proportions as signed percentage points."""
    if missing(value):
        return ""
    text = f"{float(value) * 100:+.1f}"
    if float(text) == 0:  # "+0.0" and "-0.0" both mean no difference
        return "0.0 points"
    return text.replace("-", MINUS) + " points"  # keep the "+": the sign is the finding


def count(value: Any) -> str:
    return "" if missing(value) else f"{int(value):,}"


def p_value(value: Any) -> str:
    if missing(value):
        return ""
    value = float(value)
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def interval(low: Any, high: Any, fmt: Any = ratio) -> str:
    if missing(low) or missing(high):
        return ""
    return f"{fmt(low)} to {fmt(high)}"


def long_date(value: str | date | None) -> str:
    """``2026-03-31`` as ``31 March 2026`` without the locale (same bytes everywhere)."""
    if value is None or value == "":
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def period_text(period: Mapping[str, str]) -> str:
    return f"{long_date(period.get('start'))} to {long_date(period.get('end'))}"


def plain(text: Any) -> str:
    """Text from a file (an indicator's ``why``, a note) on one line, spaces collapsed."""
    return "" if text is None else re.sub(r"\s+", " ", str(text)).strip()


def sentence_start(text: str) -> str:
    """Capitalise the first letter only: a label like "global majority" opens a sentence."""
    return text[:1].upper() + text[1:]


def _signed(text: str) -> str:
    if text.startswith("+"):
        text = text[1:]
    return MINUS + text[1:] if text.startswith("-") else text
