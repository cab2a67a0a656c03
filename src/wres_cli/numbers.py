"""Amounts of money (hourly pay, bonus) from the values an extract holds.

Like the date and yes/no parsers (``wres_cli.parsing``), this works per
DISTINCT value and maps the answers back with the factorize codes: a
national pay extract has a few thousand pay points, not 1.5 million. Nothing
here raises for a bad value: the parser returns the amounts (NaN for blank or
bad) and an aligned column of error messages (NA where the value is fine or
blank).

Accepted: a number (``12.5``, ``1234``), optionally with a leading ``£`` and
thousands separators in groups of three (``£1,234.56``), and numeric
spreadsheet or Parquet cells. Not accepted: negative amounts, ``nan`` or
infinities, decimal commas (``12,50`` is ambiguous), anything else.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

import numpy as np
import pandas as pd

from wres_cli.parsing import _factorize, _messages

NOT_A_NUMBER = "not an amount (expected a number such as 14.25, without text)"
NEGATIVE = "negative amount (pay cannot be below 0)"
NOT_FINITE = "not a finite amount"

_AMOUNT = re.compile(r"£?\s*(?P<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]*\.?[0-9]+)")
_NEGATIVE = re.compile(r"[-−]\s*£?\s*[0-9.,]+|£\s*[-−]\s*[0-9.,]+|\([0-9.,£\s]+\)")


def parse_amounts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Non-negative amounts from text, numbers or a numeric column.

    Returns ``(amounts, errors)``: ``amounts`` is float64 aligned with ``values``
    (NaN for blank or bad), ``errors`` the message for each bad value (NA where
    the value is fine or blank)."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
            values.dtype):
        return _from_numeric_column(values)
    codes, uniques = _factorize(values)
    answers = [_parse_amount(v) for v in uniques]
    parsed = np.array([a if isinstance(a, float) else np.nan for a in answers] + [np.nan],
                      dtype=np.float64)
    errors = np.array([a if isinstance(a, str) else None for a in answers], dtype=object)
    return (pd.Series(parsed[codes], index=values.index, dtype="float64", copy=False),
            _messages(codes, errors, values.index))


def _from_numeric_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    amounts = values.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    present = ~np.isnan(amounts)
    # An infinity is "present" but not finite; NaN in a float column is a blank.
    bad_infinite = np.isinf(amounts)
    bad_negative = present & ~bad_infinite & (amounts < 0)
    codes = np.full(len(values), -1, dtype=np.int64)
    codes[bad_negative] = 0
    codes[bad_infinite] = 1
    amounts = np.where(bad_negative | bad_infinite, np.nan, amounts)
    errors = np.array([NEGATIVE, NOT_FINITE], dtype=object)
    return (pd.Series(amounts, index=values.index, dtype="float64", copy=False),
            _messages(codes, errors, values.index))


def _parse_amount(value: Any) -> float | str | None:
    """The amount, None for blank, or an error message."""
    if isinstance(value, bool | np.bool_):
        return NOT_A_NUMBER
    if isinstance(value, numbers.Number):
        number = float(value)  # type: ignore[arg-type]
        if math.isnan(number):
            return None
        if math.isinf(number):
            return NOT_FINITE
        return NEGATIVE if number < 0 else number
    if not isinstance(value, str):
        return NOT_A_NUMBER
    text = value.strip()
    if not text:
        return None
    match = _AMOUNT.fullmatch(text)
    if match is None:
        return NEGATIVE if _NEGATIVE.fullmatch(text) else NOT_A_NUMBER
    return float(match.group("number").replace(",", ""))
