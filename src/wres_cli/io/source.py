"""What every format reader shares: the ``Source`` a reader gives (headers,
then raw columns on request), a file's bytes, and its SHA-256.

A format module (``io.csv``, ``io.workbook``, ``io.parquet``) turns a file into
a ``Source``; ``io.columns`` maps its headers and converts its columns;
``io.readers`` puts the two together for each extract of a folder.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from wres_cli import problem_rules as rules
from wres_cli.contract import Kind
from wres_cli.io.discover import names_text

#: Raw columns by position, indexed by user-visible row number.
RawColumns = dict[int, pd.Series]

#: What the workforce extract is, said whenever it is missing or empty.
WORKFORCE_NEEDED = ("an extract of everyone employed at any time in the period "
                    "(leavers included) is required")


#: A file's bytes, as a numpy array: see ``read_file``.
Bytes = np.ndarray


def read_file(path: Path) -> Bytes:
    """The whole file, as a numpy array of bytes.

    Read into memory from Arrow's allocator, which takes it from the system in
    large pieces: a national CSV arrives with a few hundred page faults instead
    of the hundred thousand a ``bytes`` object of the same size takes, each of
    them dear on a virtual machine. pyarrow and hashlib read the array in place.
    (A memory map would be cheaper still, but a file cut short while mapped
    kills the process with SIGBUS instead of giving an error.)"""
    with path.open("rb"):  # Python's own error for a missing or locked file
        pass
    with pa.OSFile(str(path)) as source:
        return np.frombuffer(source.read_buffer(), dtype=np.uint8)


def as_bytes(data: Bytes | bytes) -> Bytes:
    return np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes) else data


#: How much of a file is read at a time when it is scanned or hashed.
_CHUNK = 1 << 23


def chunks(path: Path) -> Iterator[memoryview]:
    """The file, a chunk at a time, in one reused buffer."""
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as handle:
        while n := handle.readinto(buffer):
            yield view[:n]


def digest_of_file(path: Path) -> Callable[[], str]:
    """``digest_of_bytes`` of a file streamed from the disk on another thread."""
    result: list[str] = []

    def digest() -> None:
        sha = hashlib.sha256()
        for chunk in chunks(path):
            sha.update(chunk)
        result.append(sha.hexdigest())

    return _in_background(digest, result)


def _in_background(work: Callable[[], None], result: list[str]) -> Callable[[], str]:
    worker = threading.Thread(target=work, name="wres-sha256", daemon=True)
    worker.start()

    def wait() -> str:
        worker.join()
        if not result:
            raise OSError("the file could not be read again to hash it")
        return result[0]

    return wait


#: Files at least this big are hashed on a second thread while they are parsed.
_HASH_IN_BACKGROUND = 1 << 22


def digest_of_bytes(data: Bytes) -> Callable[[], str]:
    """The file's SHA-256, as a function that waits for it. hashlib releases the
    GIL on large buffers, so a big file is hashed on another core while it is
    parsed (a second or more for a national CSV) instead of before."""
    if len(data) < _HASH_IN_BACKGROUND:
        hexdigest = hashlib.sha256(data.data).hexdigest()
        return lambda: hexdigest
    result: list[str] = []
    return _in_background(lambda: result.append(hashlib.sha256(data.data).hexdigest()), result)


def empty_message(name: str, file: str, what: str) -> str:
    """The ``empty-extract`` message: what is empty, and what was expected."""
    expected = WORKFORCE_NEEDED if name == "workforce" else "expected at least a header row"
    return rules.EMPTY_EXTRACT.message(file=file, what=what, expected=expected)


def describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class Source:
    """Headers of a file, and its raw columns on request; where the headers are."""

    headers: list[str]
    #: "ESR.csv", "sheet 'Staff' of ESR.xlsx": for messages
    place: str = ""
    sheet: str | None = None
    #: the row the headers are in, as the user sees it (None: Parquet)
    header_row: int | None = None
    #: the other sheets of the workbook, for messages
    sheets: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """Said after a missing column: where wres read the headers from."""
        if self.header_row is None:
            return ""
        text = f" (headers read from row {self.header_row} of {self.place}"
        if len(self.sheets) > 1:
            text += f"; the workbook's sheets: {names_text(list(self.sheets))}"
        return text + ")"

    def read(self, kinds: Mapping[int, Kind | None]) -> tuple[pd.Index, RawColumns]:
        """The row numbers, and the raw columns at ``kinds``' positions; a kind of
        None is a column read only to see whether it holds anything (footers)."""
        raise NotImplementedError


class Reported(Exception):
    """A file's problems are already in the problem table: read no further."""
