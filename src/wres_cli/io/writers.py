"""Writing outputs: atomically, deterministically and safely for spreadsheets.

Every file goes to a temporary name in the output folder and is renamed into
place only when all of a command's files were written, so a failure leaves the
folder as it was. CSV cells that a spreadsheet would run as a formula are
neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from wres_cli.errors import UsageError

#: A text cell starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a formula-like text cell with an apostrophe (numbers are never passed here)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_cell(value: Any) -> str:
    """One cell as contracts §3 serialises it: empty for missing, true/false,
    integers as integers, floats as Python's repr, text neutralised."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return csv_cell(value.item())
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return neutralise(str(value))


def frame_to_csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns])
    columns = [frame[c].astype(object).tolist() for c in frame.columns]
    for row in zip(*columns, strict=True):
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def json_value(value: Any) -> Any:
    """A JSON-safe scalar: NaN/NA become null, numpy scalars plain Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = list(frame.columns)
    values = [frame[c].astype(object).tolist() for c in columns]
    return [
        {c: json_value(v) for c, v in zip(columns, row, strict=True)}
        for row in zip(*values, strict=True)
    ]


def json_text(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


class OutputFolder:
    """Collects a command's output files and commits them together."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._pending: list[tuple[Path, Path]] = []

    def write_text(self, name: str, text: str) -> Path:
        return self.write_bytes(name, text.encode("utf-8"))

    def write_bytes(self, name: str, data: bytes) -> Path:
        return self.write_with(name, lambda path: path.write_bytes(data))

    def write_with(self, name: str, writer: Callable[[Path], Any]) -> Path:
        """Write a file through ``writer(temporary_path)`` (for Parquet, Excel, charts)."""
        target = self.directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
        os.close(fd)
        self._pending.append((Path(temporary), target))
        writer(Path(temporary))
        # mkstemp makes files private (0600); outputs get the user's usual permissions.
        os.chmod(temporary, 0o666 & ~_umask())
        return target

    def commit(self) -> list[Path]:
        for temporary, target in self._pending:
            os.replace(temporary, target)
        written = [target for _, target in self._pending]
        self._pending = []
        return written

    def discard(self) -> None:
        for temporary, _ in self._pending:
            temporary.unlink(missing_ok=True)
        self._pending = []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def output_folder(directory: Path) -> Iterator[OutputFolder]:
    """Create ``directory`` if needed; commit the files on success, remove them on error.

    A folder this call created is removed again when nothing was committed.
    """
    created = _make_folder(directory)
    folder = OutputFolder(directory)
    try:
        yield folder
        folder.commit()
    except BaseException:
        folder.discard()
        if created:
            _remove_empty_tree(directory)
        raise


def _make_folder(directory: Path) -> bool:
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--out {directory}: exists and is not a folder")
    created = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".wres-probe-"):
            pass
    except OSError as exc:
        raise UsageError(f"--out {directory}: cannot write there ({exc.strerror})") from exc
    return created


def _remove_empty_tree(directory: Path) -> None:
    for path in sorted(directory.rglob("*"), reverse=True):
        if path.is_dir():
            try:
                path.rmdir()
            except OSError:
                return
    with suppress(OSError):
        directory.rmdir()


def write_table(folder: OutputFolder, name: str, frame: pd.DataFrame, fmt: str) -> Path:
    """``frame`` as ``name.<fmt>`` for fmt in csv, parquet, xlsx."""
    if fmt == "csv":
        return folder.write_text(f"{name}.csv", frame_to_csv_text(frame))
    if fmt == "parquet":
        return folder.write_with(f"{name}.parquet", lambda p: _write_parquet(frame, p))
    if fmt == "xlsx":
        return folder.write_with(f"{name}.xlsx", lambda p: _write_xlsx(frame, p, name))
    raise UsageError(f"unknown output format {fmt!r} (choose from json, csv, parquet, xlsx)")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    # Drop pandas metadata so the bytes do not depend on the pandas version.
    table = table.replace_schema_metadata(None)
    pq.write_table(table, path)


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    import zipfile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    sheet_ = workbook.active
    sheet_.title = sheet[:31]
    sheet_.append([str(c) for c in frame.columns])
    columns = [frame[c].astype(object).tolist() for c in frame.columns]
    for row in zip(*columns, strict=True):
        sheet_.append([_xlsx_cell(v) for v in row])
    fixed = datetime(2000, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    buffer = io.BytesIO()
    # Workbook.save() would stamp "modified" with the current time; ExcelWriter does not.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    path.write_bytes(fixed_zip_times(buffer.getvalue(), fixed))


def fixed_zip_times(data: bytes, moment: datetime) -> bytes:
    """A zip (xlsx) with every entry stamped ``moment``: openpyxl stamps the save
    time into each entry, which would make the same data give different bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    value = json_value(value)
    if isinstance(value, str):
        return neutralise(value)
    return value


def problems_csv_text(problems: pd.DataFrame) -> str:
    """The ``--errors-out`` file: headed by a line saying it holds personal data."""
    return frame_to_csv_text(problems)


def write_json(folder: OutputFolder, name: str, document: Mapping[str, Any]) -> Path:
    return folder.write_text(name, json_text(document))
