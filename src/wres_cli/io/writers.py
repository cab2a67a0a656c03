"""Writing outputs: atomically, deterministically and safely for spreadsheets.

Every file goes to a staging folder beside the output folder and is moved into
place only when all of a command's files were written, so a failure or a stop
signal leaves the folder as it was. CSV cells that a spreadsheet would run as a formula are
neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    """Collects a command's output files in a staging folder and commits them together.

    Files are written to a temporary folder beside the output folder (inside it
    when its parent cannot be written), never to the output folder itself; the
    commit moves them all into place with the clean-up of ``output_folder``
    around it, so an error or a stop signal leaves the output folder as it was.
    """

    def __init__(self, directory: Path, inputs: Iterable[Path] = ()):
        self.directory = directory
        self._inputs = [Path(p) for p in inputs]
        self._stage: Path | None = None
        self._names: list[str] = []
        self._created: list[Path] = []  # folders made for the output, newest last
        self.committed = False

    # --- writing

    def write_text(self, name: str, text: str) -> Path:
        return self.write_bytes(name, text.encode("utf-8"))

    def write_bytes(self, name: str, data: bytes) -> Path:
        return self.write_with(name, lambda path: path.write_bytes(data))

    def write_with(self, name: str, writer: Callable[[Path], Any]) -> Path:
        """Write a file through ``writer(staged_path)`` (for Parquet, Excel, charts)."""
        target = self.directory / name
        self._refuse_input(target)
        staged = self._new / name
        try:
            staged.parent.mkdir(parents=True, exist_ok=True)
            writer(staged)
        except OSError as exc:
            raise environment_error(target, exc) from exc
        if name not in self._names:
            self._names.append(name)
        return target

    @property
    def _new(self) -> Path:
        if self._stage is None:
            raise RuntimeError("output_folder: write inside the with block")
        return self._stage / "new"

    def _refuse_input(self, target: Path) -> None:
        for source in self._inputs:
            if _same_file(source, target):
                raise UsageError(f"{target} is one of the inputs: wres never overwrites an "
                                 "input; write the output somewhere else")

    # --- the steps output_folder takes

    def open(self) -> None:
        """Create the output folder's missing parents and the staging folder."""
        directory = self.directory
        try:
            if directory.exists() and not directory.is_dir():
                raise UsageError(f"--out {directory}: exists and is not a folder")
            parent = directory.absolute().parent
            self._created = _make_parents(parent)
            try:
                stage = tempfile.mkdtemp(prefix=f".wres-{directory.absolute().name[:40]}-",
                                         suffix=".staging", dir=parent)
            except OSError:
                if not directory.is_dir():
                    raise
                stage = tempfile.mkdtemp(prefix=".wres-", suffix=".staging", dir=directory)
            self._stage = Path(stage)
            self._new.mkdir()
        except OSError as exc:
            raise environment_error(directory, exc) from exc

    def commit(self) -> list[Path]:
        """Move every staged file into place: all of them, or (on an error) none."""
        written = [self.directory / name for name in self._names]
        if not self.directory.exists():
            # Nothing to merge with: the staged folder becomes the output in one rename.
            try:
                os.replace(self._new, self.directory)
            except OSError as exc:
                raise environment_error(self.directory, exc) from exc
        else:
            self._check_targets()
            self._merge()
        self.committed = True
        self._remove_stage()
        return written

    def abandon(self) -> None:
        """Remove the staging folder and the folders made for an output never committed."""
        if self.committed:
            return
        self._remove_stage()
        for folder in reversed(self._created):
            with suppress(OSError):
                folder.rmdir()
        self._created = []

    # --- internals

    def _check_targets(self) -> None:
        """Refuse before moving anything: a folder where a file goes, a file where a folder goes."""
        for name in self._names:
            target = self.directory / name
            for ancestor in reversed(target.relative_to(self.directory).parents[:-1]):
                where = self.directory / ancestor
                if where.exists() and not where.is_dir():
                    raise UsageError(f"{where} is a file, but wres writes the folder "
                                     f"{ancestor.as_posix()}/ there: move it away")
            if target.is_dir() and not target.is_symlink():
                raise UsageError(f"{target} is a folder, but wres writes a file of that name: "
                                 "move it away (nothing was written)")

    def _merge(self) -> None:
        assert self._stage is not None
        old = self._stage / "old"
        moved: list[tuple[str, bool]] = []  # name, whether a previous file was kept aside
        made: list[Path] = []
        try:
            for name in self._names:
                target = self.directory / name
                made += _make_parents(target.parent)
                kept = target.exists() or target.is_symlink()
                if kept:
                    (old / name).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(target, old / name)
                moved.append((name, kept))
                os.replace(self._new / name, target)
        except OSError as exc:
            self._roll_back(moved, made, old)
            raise environment_error(self.directory, exc) from exc

    def _roll_back(self, moved: list[tuple[str, bool]], made: list[Path], old: Path) -> None:
        for name, kept in reversed(moved):
            target = self.directory / name
            with suppress(OSError):
                if (self._new / name).exists():
                    # The failure came before this file moved: only the old one is aside.
                    pass
                else:
                    os.replace(target, self._new / name)
                if kept:
                    os.replace(old / name, target)
        for folder in reversed(made):
            with suppress(OSError):
                folder.rmdir()

    def _remove_stage(self) -> None:
        if self._stage is not None:
            shutil.rmtree(self._stage, ignore_errors=True)
            self._stage = None


def environment_error(path: Path, exc: OSError) -> UsageError:
    """An operating-system error on an output as a usage error (exit 2) naming the path."""
    reason = exc.strerror or type(exc).__name__
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        reason += " (the disk is full)"
    elif exc.errno == errno.ENAMETOOLONG:
        reason += " (choose a shorter path)"
    shown = str(path)
    if len(shown) > 120:
        shown = shown[:60] + "…" + shown[-40:]
    return UsageError(f"cannot write {shown}: {reason}; nothing was written")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _make_parents(folder: Path) -> list[Path]:
    """``mkdir -p folder``; the folders it made, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    made = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            if not path.is_dir():
                raise
            continue
        made.append(path)
    return made


@contextmanager
def output_folder(directory: Path, inputs: Iterable[Path] = ()) -> Iterator[OutputFolder]:
    """Stage a command's files beside ``directory`` and move them in on success.

    On any error, or a stop signal (see ``wres_cli.interrupts``), the staging
    folder and any folder made for the output are removed: ``directory`` is left
    as it was. ``inputs``: files that must never be overwritten.
    """
    from wres_cli.interrupts import deferred

    folder = OutputFolder(Path(directory), inputs)
    try:
        with deferred():
            folder.open()
        yield folder
        with deferred():
            folder.commit()
    except BaseException:
        with deferred():
            folder.abandon()
        raise


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


def write_json(folder: OutputFolder, name: str, document: Mapping[str, Any]) -> Path:
    return folder.write_text(name, json_text(document))
