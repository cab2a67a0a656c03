"""Dates and booleans from the values an extract holds (contracts section 1).

Both parsers work per DISTINCT value and map the answers back with the
factorize codes, so a 1.5-million-row column with a few thousand distinct
dates costs a few thousand parses, not 1.5 million. Nothing here raises for a
bad value: each parser returns the parsed column and an aligned column of error
messages (NA where the value is fine or blank), and the caller decides what a
blank means and how to report an error.
"""

from __future__ import annotations

import datetime as dt
import numbers
from typing import Any

import numpy as np
import pandas as pd

NOT_A_DATE = "not a date (expected YYYY-MM-DD or DD/MM/YYYY)"
IMPOSSIBLE_DATE = "impossible date"
IMPOSSIBLE_UK_DATE = "impossible date (dates are read as DD/MM/YYYY, never month-first)"
TWO_DIGIT_YEAR = "two-digit year (write the year in full: DD/MM/YYYY)"
NOT_A_TIME = "not a date: the time of day after it is not a time (expected hh:mm or hh:mm:ss)"
OUT_OF_RANGE = "date out of range (years 1678 to 2261 can be read)"
NOT_A_BOOLEAN = "not a yes/no value (expected true/false, yes/no, y/n or 1/0)"

# An optional time part (a date-time export); the time is ignored once checked to be a time.
_TIME = (r"(?:[ T](?P<hh>[0-9]{1,2}):(?P<mi>[0-9]{2})"
         r"(?::(?P<ss>[0-9]{2})(?:\.(?P<frac>[0-9]+))?)?)?")
_ISO = r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})" + _TIME
_UK = r"(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})" + _TIME
_TWO_DIGIT_YEAR = r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}(?:[ T].*)?"

# datetime64[ns] can hold 1677-09-21 .. 2262-04-11; whole years inside that.
_MIN_YEAR, _MAX_YEAR = 1678, 2261

_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


# ---------------------------------------------------------------------------
# shared: factorize, parse the distinct values, map back


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for NA) and the distinct non-NA values as an object array.

    A categorical column (what the readers give for dates and yes/no text) is
    coded already: its codes and categories serve as they are, rather than
    hashing millions of rows again. Its categories may include values no row
    has (a CSV header); ``_messages`` leaves those out."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return (values.cat.codes.to_numpy(),
                np.asarray(values.cat.categories.to_numpy(), dtype=object))
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes), np.asarray(uniques, dtype=object)


def _messages(codes: np.ndarray, unique_errors: np.ndarray, index: pd.Index) -> pd.Series:
    """Error messages aligned to the rows, as a categorical (few distinct messages):
    only those of values some row has."""
    errors = pd.Series(unique_errors, dtype=object)
    if errors.isna().all():  # the usual case: nothing to map to the rows
        return _no_messages(index)
    used = np.bincount(codes[codes >= 0], minlength=len(errors)) > 0
    errors = errors.where(used, None)
    if errors.isna().all():
        return _no_messages(index)
    categories = pd.unique(errors.dropna())
    per_unique = pd.Categorical(errors, categories=categories).codes
    # Index -1 (an NA input) picks the appended -1: no message.
    row_codes = np.append(per_unique, -1)[codes]
    # copy=False throughout: pandas 3 copies a new array into a Series otherwise.
    return pd.Series(pd.Categorical.from_codes(row_codes, categories=categories), index=index,
                     copy=False)


def _no_messages(index: pd.Index) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(np.full(len(index), -1, dtype=np.int8),
                                               categories=[]), index=index, copy=False)


# ---------------------------------------------------------------------------
# dates


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from strings, Excel date cells or a datetime column.

    Returns ``(dates, errors)``: ``dates`` is datetime64[ns] aligned with
    ``values`` (NaT for blank or bad), ``errors`` the message for each bad value
    (NA where the value is fine or blank). Accepted: ``YYYY-MM-DD`` and
    ``DD/MM/YYYY`` (1- or 2-digit day and month), either followed by a time of
    day, and date/datetime objects; the time of day is ignored (contracts
    section 1: HR systems export date-times). Never month-first.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
            values.dtype):
        return _from_datetime_column(values)
    codes, uniques = _factorize(values)
    parsed, errors = _parse_unique_dates(uniques)
    dates = np.append(parsed, np.datetime64("NaT", "ns"))[codes]
    return (pd.Series(dates, index=values.index, dtype="datetime64[ns]", copy=False),
            _messages(codes, errors, values.index))


def _from_datetime_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A column already typed as datetimes (Parquet): check the range, drop the time.

    Worked in numpy on the column's own unit (a year-9999 date32 cannot be held in
    nanoseconds, so the range is checked before converting); pandas' ``.dt``
    accessors cost a second or so per million rows here."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)  # the wall-clock date where it was recorded
    raw = values.to_numpy()
    present = ~np.isnat(raw)
    in_range = present & (raw >= np.datetime64(f"{_MIN_YEAR}-01-01")) & (
        raw < np.datetime64(f"{_MAX_YEAR + 1}-01-01"))
    dates = np.where(in_range, raw, np.datetime64("NaT")).astype("datetime64[D]")
    dates = dates.astype("datetime64[ns]")  # the day, its time of day dropped
    codes = np.full(len(values), -1, dtype=np.int8)
    codes[present & ~in_range] = 0
    # Only the messages that occur are categories (the reporter makes one problem
    # group per category); code -1 (no error) picks the appended -1.
    categories = [OUT_OF_RANGE]
    used = [c for i, c in enumerate(categories) if (codes == i).any()]
    renumber = np.array([used.index(c) if c in used else -1 for c in categories] + [-1])
    errors = pd.Categorical.from_codes(renumber[codes], categories=used)
    return (pd.Series(dates, index=values.index, name=values.name, copy=False),
            pd.Series(errors, index=values.index, copy=False))


def _parse_unique_dates(uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[ns] and error message (or None) for each distinct value."""
    parsed = np.full(len(uniques), np.datetime64("NaT", "ns"))
    errors = np.full(len(uniques), None, dtype=object)
    is_text = np.fromiter((isinstance(v, str) for v in uniques), bool, len(uniques))
    if is_text.any():
        parsed[is_text], errors[is_text] = _parse_date_strings(pd.Series(uniques[is_text],
                                                                         dtype=object))
    for i in np.flatnonzero(~is_text):  # Excel cells: one Python call per distinct value
        parsed[i], errors[i] = _parse_date_object(uniques[i])
    return parsed, errors


def _parse_date_strings(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised over the distinct strings: match the two forms, then build dates."""
    text = text.str.strip()
    errors = np.full(len(text), NOT_A_DATE, dtype=object)
    errors[(text == "").to_numpy()] = None  # blank is not an error here
    errors[text.str.fullmatch(_TWO_DIGIT_YEAR).to_numpy()] = TWO_DIGIT_YEAR
    parsed = np.full(len(text), np.datetime64("NaT", "ns"))
    for pattern, impossible in ((_ISO, IMPOSSIBLE_DATE), (_UK, IMPOSSIBLE_UK_DATE)):
        parts = text.str.extract(f"^{pattern}$")
        matched = parts["y"].notna().to_numpy()
        if matched.any():
            dates, errs = _dates_from_parts(parts.loc[matched], impossible)
            parsed[matched], errors[matched] = dates, errs
    return parsed, errors


def _dates_from_parts(parts: pd.DataFrame, impossible: str) -> tuple[np.ndarray, np.ndarray]:
    """Year/month/day (and time) strings -> dates, with the reason a date fails."""
    ymd = parts[["y", "m", "d"]].astype("int64").set_axis(["year", "month", "day"], axis=1)
    time = parts[["hh", "mi", "ss"]].fillna("0").astype("int64")
    a_time = ((time["hh"] < 24) & (time["mi"] < 60) & (time["ss"] < 60)).to_numpy()
    in_range = ymd["year"].between(_MIN_YEAR, _MAX_YEAR).to_numpy()
    ymd.loc[~in_range] = [2000, 1, 1]  # placeholder: out-of-range years are reported below
    dates = pd.to_datetime(ymd, errors="coerce")
    dates = dates.astype("datetime64[ns]").to_numpy(copy=True)  # writable: blanked below
    errors = np.full(len(parts), None, dtype=object)
    errors[np.isnat(dates)] = impossible
    errors[~in_range] = OUT_OF_RANGE
    errors[~np.isnat(dates) & in_range & ~a_time] = NOT_A_TIME
    dates[~in_range | ~a_time] = np.datetime64("NaT")
    return dates, errors


def _parse_date_object(value: Any) -> tuple[np.datetime64, str | None]:
    """One distinct non-string value: an Excel date cell, a Timestamp, or junk."""
    nat = np.datetime64("NaT", "ns")
    if isinstance(value, float) and np.isnan(value):
        return nat, None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        value = value.date()  # an Excel date-time cell: the day
    if isinstance(value, dt.date):
        if not _MIN_YEAR <= value.year <= _MAX_YEAR:
            return nat, OUT_OF_RANGE
        return np.datetime64(value.isoformat(), "ns"), None
    return nat, NOT_A_DATE


# ---------------------------------------------------------------------------
# booleans


def parse_booleans(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Booleans from yes/no style text, native bools or numeric 1/0.

    Returns ``(flags, errors)``: ``flags`` has the nullable "boolean" dtype (NA
    for blank or bad), ``errors`` the message for each bad value. What a blank
    means (false, not answered, an error) is the schema stage's business.
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean"), _no_messages(values.index)
    codes, uniques = _factorize(values)
    answers = [_parse_boolean(v) for v in uniques]  # per distinct value: a handful
    value = np.array([a is True for a in answers] + [False])
    missing = np.array([a is None or isinstance(a, str) for a in answers] + [True])
    errors = np.array([a if isinstance(a, str) else None for a in answers], dtype=object)
    flags = pd.arrays.BooleanArray(value[codes], missing[codes])
    return (pd.Series(flags, index=values.index, copy=False),
            _messages(codes, errors, values.index))


def _parse_boolean(value: Any) -> bool | str | None:
    """True/False, None for blank, or an error message."""
    if isinstance(value, str):
        word = value.strip().lower()
        if not word:
            return None
        return True if word in _TRUE else False if word in _FALSE else NOT_A_BOOLEAN
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Number):
        return _number_to_boolean(value)
    return NOT_A_BOOLEAN


def _number_to_boolean(value: Any) -> bool | str | None:
    if isinstance(value, float) and np.isnan(value):
        return None
    if value == 1:
        return True
    return False if value == 0 else NOT_A_BOOLEAN
