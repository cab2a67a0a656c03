"""Parquet extracts: typed columns read as they are stored.

Rows are numbered from 1 (the record number); there is no header row to find.
Dates come as datetime64, yes/no as nullable booleans, integers as nullable
integers, and dictionary-encoded text as categoricals (few distinct values:
no string is built per row).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa

from wres_cli import problem_rules as rules
from wres_cli.config import FileHints
from wres_cli.contract import Kind
from wres_cli.io.convert import TEXT_DTYPE
from wres_cli.io.discover import HeaderWanted
from wres_cli.io.source import Bytes, RawColumns, Source, describe
from wres_cli.problems import Problems


class _ParquetSource(Source):
    def __init__(self, data: Bytes, parquet: Any, headers: list[str]):
        self.data, self.parquet, self.headers = data, parquet, headers

    def read(self, kinds: Mapping[int, Kind | None]) -> tuple[pd.Index, RawColumns]:
        import pyarrow.parquet as pq

        schema = self.parquet.schema_arrow
        # Text columns of few distinct values are stored dictionary-encoded; read
        # that way they come out categorical without a string per row being built.
        dictionary = [self.headers[i] for i, kind in kinds.items()
                      if kind != "id" and _is_text(schema.field(i).type)]
        parquet = (pq.ParquetFile(pa.BufferReader(pa.py_buffer(self.data)),
                                  metadata=self.parquet.metadata,
                                  read_dictionary=dictionary)
                   if dictionary else self.parquet)
        table = parquet.read(columns=[self.headers[i] for i in sorted(kinds)])
        index = pd.RangeIndex(1, table.num_rows + 1, name="row")
        return index, {i: _parquet_column(table.column(self.headers[i]), index)
                       for i in kinds}


def _is_text(arrow_type: Any) -> bool:
    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)


def _parquet_column(column: Any, index: pd.Index) -> pd.Series:
    """Typed Parquet values as pandas: dates as datetime64, bools as "boolean",
    integers as nullable integers (no float detour), strings as str, and
    dictionary-encoded strings as categoricals."""
    if pa.types.is_dictionary(column.type) and not _is_text(column.type.value_type):
        column = column.cast(column.type.value_type)
    series = column.to_pandas(types_mapper=_pandas_type, date_as_object=False)
    series.index = index
    return series


def _pandas_type(arrow_type: Any) -> Any:
    """The pandas dtype for an Arrow type, or None for pyarrow's default."""
    if _is_text(arrow_type):
        return TEXT_DTYPE  # the default str dtype, no copy
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    if pa.types.is_integer(arrow_type):
        return _NULLABLE_INTEGERS[str(arrow_type)]
    return None


_NULLABLE_INTEGERS = {
    "int8": pd.Int8Dtype(), "int16": pd.Int16Dtype(), "int32": pd.Int32Dtype(),
    "int64": pd.Int64Dtype(), "uint8": pd.UInt8Dtype(), "uint16": pd.UInt16Dtype(),
    "uint32": pd.UInt32Dtype(), "uint64": pd.UInt64Dtype(),
}


def parquet_source(data: Bytes, hints: FileHints, file: str, name: str,
                   problems: Problems, wanted: HeaderWanted) -> Source | None:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(pa.BufferReader(pa.py_buffer(data)))
        headers = list(parquet.schema_arrow.names)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # corrupt file: a problem, not a crash
        problems.file_problem(file, rules.NOT_PARQUET,
                              rules.NOT_PARQUET.message(file=file, error=describe(exc)))
        return None
    return _ParquetSource(data, parquet, headers)

