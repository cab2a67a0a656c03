"""Date and boolean parsing (contracts section 1, methodology section 2)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wres_cli.parsing import parse_booleans, parse_dates

OK_DATES = [
    ("2025-04-01", "2025-04-01"),
    ("2025-04-01 00:00:00", "2025-04-01"),
    ("2025-04-01T00:00:00", "2025-04-01"),
    ("01/04/2025", "2025-04-01"),  # day first: 1 April
    ("1/4/2025", "2025-04-01"),
    (" 12/01/2024 ", "2024-01-12"),  # 12 January, never 1 December
    ("29/02/2024", "2024-02-29"),  # a leap day
    ("2025-04-01T00:00:00.000", "2025-04-01"),
    ("01/04/2025 00:00", "2025-04-01"),  # a UK timestamp at midnight is still a date
    # Date-times as HR systems export them: the time of day is ignored (contracts §1).
    ("2025-04-01 09:30:00", "2025-04-01"),
    ("01/04/2025 09:30", "2025-04-01"),
    ("31/03/2026 23:59:59", "2026-03-31"),
    ("2025-04-01T17:05:00.250", "2025-04-01"),
]

BAD_DATES = [
    ("31/02/2025", "impossible date"),
    ("13/13/2024", "impossible date"),
    ("01/13/2024", "impossible date"),  # month 13: never read month-first
    ("2025-13-01", "impossible date"),
    ("29/02/2025", "impossible date"),
    ("01/02/25", "two-digit year"),
    ("2025-04-01 25:30:00", "not a time"),
    ("01/04/2025 09:75", "not a time"),
    ("yesterday", "not a date"),
    ("2025/04/01", "not a date"),
    ("01-04-2025", "not a date"),
    ("45000", "not a date"),
    ("01/01/1500", "out of range"),
]


def _dates(values: list[object], dtype: str | None = None) -> tuple[pd.Series, pd.Series]:
    return parse_dates(pd.Series(values, dtype=dtype or "str"))


@pytest.mark.parametrize(("text", "expected"), OK_DATES)
def test_parse_dates_accepts_iso_and_uk_day_first(text: str, expected: str) -> None:
    dates, errors = _dates([text])
    assert dates.iloc[0] == pd.Timestamp(expected)
    assert pd.isna(errors.iloc[0])


@pytest.mark.parametrize(("text", "fragment"), BAD_DATES)
def test_parse_dates_reports_each_kind_of_bad_date(text: str, fragment: str) -> None:
    dates, errors = _dates([text])
    assert pd.isna(dates.iloc[0])
    assert fragment in errors.iloc[0]


def test_parse_dates_messages_name_the_expected_forms() -> None:
    _, errors = _dates(["yesterday", "13/13/2024"])
    assert errors.iloc[0] == "not a date (expected YYYY-MM-DD or DD/MM/YYYY)"
    assert "never month-first" in errors.iloc[1]


def test_parse_dates_blank_is_missing_not_an_error() -> None:
    dates, errors = _dates(["", "   ", None])
    assert dates.isna().all()
    assert errors.isna().all()


def test_parse_dates_keeps_index_dtype_and_alignment() -> None:
    values = pd.Series(["01/04/2025", "bad", "", "01/04/2025", "2025-04-02"],
                       index=[10, 11, 12, 13, 14], dtype="str")
    dates, errors = parse_dates(values)
    assert str(dates.dtype) == "datetime64[ns]"
    assert list(dates.index) == [10, 11, 12, 13, 14]
    assert list(errors.index) == [10, 11, 12, 13, 14]
    expected = [pd.Timestamp("2025-04-01"), pd.NaT, pd.NaT, pd.Timestamp("2025-04-01"),
                pd.Timestamp("2025-04-02")]
    assert dates.tolist() == expected
    assert errors.notna().tolist() == [False, True, False, False, False]


def test_parse_dates_excel_cell_objects() -> None:
    values = pd.Series([dt.date(2025, 4, 1), dt.datetime(2025, 4, 2), pd.Timestamp("2025-04-03"),
                        dt.datetime(2025, 4, 4, 9, 30), 45000.0, True, None, "05/04/2025"],
                       dtype=object)
    dates, errors = parse_dates(values)
    assert dates.iloc[:3].tolist() == [pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-02"),
                                       pd.Timestamp("2025-04-03")]
    assert dates.iloc[3] == pd.Timestamp("2025-04-04")  # a date-time cell: its day
    assert "not a date" in errors.iloc[4]  # an Excel serial number not formatted as a date
    assert "not a date" in errors.iloc[5]
    assert pd.isna(dates.iloc[6]) and pd.isna(errors.iloc[6])
    assert dates.iloc[7] == pd.Timestamp("2025-04-05")


def test_parse_dates_datetime_column_drops_the_time_and_checks_range() -> None:
    values = pd.Series(pd.to_datetime(["2025-04-01", "2025-04-01 08:00", None], format="mixed"))
    dates, errors = parse_dates(values)
    assert dates.iloc[0] == pd.Timestamp("2025-04-01")
    assert dates.iloc[1] == pd.Timestamp("2025-04-01") and pd.isna(errors.iloc[1])
    assert pd.isna(dates.iloc[2]) and pd.isna(errors.iloc[2])
    far = pd.Series(np.array(["9999-12-31", "2025-01-01"], dtype="datetime64[s]"))
    dates, errors = parse_dates(far)
    assert "out of range" in errors.iloc[0]
    assert dates.iloc[1] == pd.Timestamp("2025-01-01")


def test_parse_dates_timezone_aware_keeps_the_local_date() -> None:
    values = pd.Series(pd.to_datetime(["2025-07-01"]).tz_localize("Europe/London"))
    dates, errors = parse_dates(values)
    assert dates.iloc[0] == pd.Timestamp("2025-07-01")
    assert errors.isna().all()


def test_parse_dates_empty_series() -> None:
    dates, errors = _dates([])
    assert len(dates) == 0 and len(errors) == 0
    assert str(dates.dtype) == "datetime64[ns]"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_parse_dates_round_trips_both_text_forms(day: dt.date) -> None:
    uk = f"{day.day}/{day.month}/{day.year}"
    dates, errors = _dates([day.isoformat(), uk, day.strftime("%d/%m/%Y")])
    assert dates.tolist() == [pd.Timestamp(day)] * 3
    assert errors.isna().all()


@given(st.lists(st.text(max_size=12), max_size=20))
def test_parse_dates_never_raises_on_any_text(values: list[str]) -> None:
    dates, errors = _dates(values)
    assert len(dates) == len(values) == len(errors)
    # Every value is exactly one of: parsed, blank, or an error.
    blank = np.array([not v.strip() for v in values], dtype=bool)
    outcomes = dates.notna().to_numpy().astype(int) + errors.notna().to_numpy() + blank
    assert (outcomes == 1).all()


BOOLEANS = [
    ("true", True), ("TRUE", True), ("False", False), (" yes ", True), ("No", False),
    ("y", True), ("N", False), ("1", True), ("0", False),
]


@pytest.mark.parametrize(("text", "expected"), BOOLEANS)
def test_parse_booleans_accepts_each_spelling(text: str, expected: bool) -> None:
    flags, errors = parse_booleans(pd.Series([text], dtype="str"))
    assert bool(flags.iloc[0]) is expected
    assert pd.isna(errors.iloc[0])


def test_parse_booleans_blank_is_missing_and_bad_is_an_error() -> None:
    flags, errors = parse_booleans(pd.Series(["", " ", None, "maybe", "2", "yes please"],
                                             dtype="str"))
    assert str(flags.dtype) == "boolean"
    assert flags.isna().all()
    assert errors.isna().tolist() == [True, True, True, False, False, False]
    assert errors.iloc[3] == "not a yes/no value (expected true/false, yes/no, y/n or 1/0)"


def test_parse_booleans_native_and_numeric_values() -> None:
    values = pd.Series([True, False, 1.0, 0.0, 1, 0, 2.0, float("nan"), None, "Y"],
                       index=range(2, 12), dtype=object)
    flags, errors = parse_booleans(values)
    expected = [True, False, True, False, True, False, None, None, None, True]
    assert [None if pd.isna(f) else bool(f) for f in flags] == expected
    assert errors.notna().tolist() == [False] * 6 + [True] + [False] * 3
    assert list(flags.index) == list(range(2, 12))


def test_parse_booleans_bool_column_passes_through() -> None:
    flags, errors = parse_booleans(pd.Series([True, False]))
    assert flags.tolist() == [True, False]
    assert str(flags.dtype) == "boolean"
    assert errors.isna().all()


def test_parse_booleans_is_per_distinct_value() -> None:
    values = pd.Series(["Yes", "No"] * 50_000 + ["bad"], dtype="str")
    flags, errors = parse_booleans(values)
    assert int(flags.sum()) == 50_000
    assert int(errors.notna().sum()) == 1
    assert errors.iloc[-1].startswith("not a yes/no value")
