"""Converting raw columns by their kind, the same for every format.

A reader hands over each column as it found it: Arrow text from a CSV, cells
(numbers, dates, text) from a workbook, typed values from Parquet. Here each
becomes what the contract says its kind is: dates and yes/no values parsed
(``wres_cli.parsing``), amounts (``wres_cli.numbers``), text stripped with
blank as missing. A value that fails becomes a problem row; nothing raises.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wres_cli import problem_rules as rules
from wres_cli.contract import Kind
from wres_cli.parsing import parse_booleans, parse_dates
from wres_cli.problems import Problems, problem_frame

#: pandas' default text dtype (Arrow-backed ``str``).
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)

#: Longer values are cut short when a problem quotes them.
MAX_VALUE_CHARS = 200


def convert_column(kind: Kind, name: str, values: pd.Series, file: str,
                   problems: Problems) -> tuple[pd.Series, pd.Series]:
    """A column of the given kind, and a mask of the rows whose value failed."""
    if kind == "date":
        parsed, errors = parse_dates(values)
        rule = rules.BAD_DATE
    elif kind == "boolean":
        parsed, errors = parse_booleans(values)
        rule = rules.BAD_YES_NO
    elif kind == "number":
        from wres_cli.numbers import parse_amounts

        parsed, errors = parse_amounts(values)
        rule = rules.BAD_AMOUNT
    elif kind in _CATEGORICAL_KINDS:
        return _to_categorical_text(values), pd.Series(False, index=values.index)
    else:
        return to_text(values), pd.Series(False, index=values.index)
    _report(errors, values, name, rule, file, problems)
    return parsed, errors.notna()


#: Kinds whose columns hold a few distinct values repeated on every row (grades,
#: services, ethnicity spellings): kept categorical, so that stripping, classifying,
#: checking and counting work on each distinct value once. Ids stay plain text.
_CATEGORICAL_KINDS = frozenset({"text", "ethnicity"})


def _report(errors: pd.Series, raw: pd.Series, name: str, rule: rules.Rule, file: str,
            problems: Problems) -> None:
    """One problem row per failed value, built per distinct message."""
    codes = errors.cat.codes.to_numpy()
    for code, message in enumerate(errors.cat.categories):
        failed = codes == code
        problems.add(problem_frame(file, raw.index[failed], name,
                                   raw[failed].map(shorten), rule,
                                   rule.message(reason=message)))


def shorten(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        return value[:MAX_VALUE_CHARS] + "…"
    return value


def to_text(values: pd.Series) -> pd.Series:
    """Text with surrounding spaces stripped and blank as NA (str dtype)."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _to_categorical_text(values).astype("str")
    if pd.api.types.is_float_dtype(dtype):
        values = _floats_to_text(values)
    elif pd.api.types.is_integer_dtype(dtype):
        values = values.astype("str").where(values.notna())
    elif not isinstance(dtype, pd.StringDtype):
        values = _cells_to_text(values)
    arrow = _arrow_strings(values)
    if arrow is None:
        text = values.str.strip()
        return text.where(text != "")
    # The same kernel pandas' str.strip uses, with blank -> NA done in Arrow too:
    # one pass and no intermediate pandas objects over millions of ids.
    text = pc.utf8_trim_whitespace(arrow)
    blank = pc.equal(text, "")
    if pc.any(blank).as_py():
        text = pc.if_else(blank, pa.scalar(None, text.type), text)
    return pd.Series(TEXT_DTYPE.__from_arrow__(text), index=values.index, name=values.name)


def _arrow_strings(values: pd.Series) -> Any:
    """The Arrow array behind an Arrow-backed text column, else None."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return values.array.__arrow_array__()
    return None


def _to_categorical_text(values: pd.Series) -> pd.Series:
    """``to_text`` for a column of few distinct values, as a categorical: each
    distinct value is converted once and the row codes are only remapped
    (spellings that differ by surrounding spaces become one category)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        distinct = pd.Series(values.cat.categories, dtype=values.cat.categories.dtype)
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        distinct = pd.Series(uniques)
    texts = to_text(distinct)
    new_codes, categories = pd.factorize(texts.to_numpy(dtype=object, na_value=None),
                                         use_na_sentinel=True)
    used = np.bincount(codes[codes >= 0], minlength=len(distinct)) > 0
    if (isinstance(values.dtype, pd.CategoricalDtype) and used.all()
            and np.array_equal(new_codes, np.arange(len(distinct)))):
        # Already clean text categories, each on some row: keep the codes as they
        # are (the usual case for a Parquet or CSV column read as a dictionary).
        return pd.Series(pd.Categorical.from_codes(
            codes, categories=pd.Index(categories, dtype="str"), validate=False),
            index=values.index, name=values.name, copy=False)
    # Row code -1 (NA) picks the appended -1: still NA. Categories no row has
    # (a CSV header read as a value) are dropped.
    new_codes = np.where(used, new_codes, -1)
    kept = np.unique(new_codes[new_codes >= 0])
    renumber = np.full(len(categories) + 1, -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    row_codes = np.append(renumber[new_codes], -1)[codes]
    return pd.Series(pd.Categorical.from_codes(
        row_codes, categories=pd.Index(categories[kept], dtype="str")), index=values.index,
        name=values.name, copy=False)


def _floats_to_text(values: pd.Series) -> pd.Series:
    """Numbers stored as floats (a Parquet id column with gaps): 1234.0 -> '1234'."""
    whole = values.notna() & (values == np.floor(values)) & (values.abs() < 2**53)
    text = values.astype("str").where(values.notna())
    text[whole] = values[whole].astype("int64").astype("str")
    return text


def _cells_to_text(values: pd.Series) -> pd.Series:
    """Excel or Parquet cells as text, per distinct value: 1234.0 -> '1234'."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = np.array([cell_text(v) for v in np.asarray(uniques, dtype=object)] + [None],
                     dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype="str")


def cell_text(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"  # as Excel shows it
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
