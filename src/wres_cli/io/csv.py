"""CSV extracts: encoding, delimiter, header row, and the columns via pyarrow.

* Row numbers count records as a spreadsheet shows them: a quoted field with a
  line break inside stays in one row; blank lines count.
* Encoding: UTF-8 (with or without BOM), else Windows-1252, unless
  ``[files.<extract>] encoding`` says otherwise.
* Delimiter: ``[files.<extract>] delimiter``, else the one of ``,`` ``;`` tab
  under which the header is found, else the one that splits the header line into
  the most named columns, outside quotes.
* A plain UTF-8 file (``plain_text``) is parsed from the disk in blocks, never
  held in memory whole; anything else is read into memory and re-encoded.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from wres_cli import problem_rules as rules
from wres_cli.config import HEADER_SEARCH_ROWS, FileHints
from wres_cli.contract import Kind
from wres_cli.errors import ConfigError
from wres_cli.io.convert import MAX_VALUE_CHARS, TEXT_DTYPE, shorten
from wres_cli.io.discover import HeaderWanted, find_header, given_header
from wres_cli.io.source import (
    Bytes,
    RawColumns,
    Reported,
    Source,
    as_bytes,
    chunks,
    empty_message,
)
from wres_cli.problems import Problems, problem_frame

_DELIMITERS = (",", ";", "\t")


def plain_text(path: Path) -> bool:
    """Whether a CSV file can be parsed from the disk as it is: not empty, UTF-8
    (ASCII included), no NUL byte, and a line break at the end.

    Such a file (most exports) is never held in memory whole: pyarrow reads it
    in blocks, as its own reader does, and this check and the hash stream it
    through one small buffer. Anything else is read into memory and handled
    there (re-encoded, or reported)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    size, ascii_so_far, last = 0, True, 0
    try:
        for chunk in chunks(path):
            values = np.frombuffer(chunk, dtype=np.uint8)
            size, last = size + len(chunk), int(values[-1])
            if values.min() == 0:
                return False
            ascii_so_far = ascii_so_far and int(values.max()) < 0x80
            if not ascii_so_far:  # ASCII chunks before leave the decoder at a boundary
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except (UnicodeDecodeError, OSError):
        return False
    return size > 0 and last in b"\n\r"


class _CsvSource(Source):
    def __init__(self, utf8: Bytes | Path, delimiter: str, skip: int, headers: list[str],
                 file: str, problems: Problems):
        # The UTF-8 text in memory, or the file to read it from (see plain_text).
        # ``skip``: the lines above the header (blank lines, title rows).
        self.utf8, self.delimiter, self.skip = utf8, delimiter, skip
        self.headers, self.file, self.problems = headers, file, problems
        self.place, self.header_row = file, skip + 1

    def read(self, kinds: Mapping[int, Kind | None]) -> tuple[pd.Index, RawColumns]:
        # On all the cores first: dictionary-encoding the columns while parsing is
        # work worth sharing out (a national file reads in half the time). pyarrow
        # numbers a ragged row only when reading on one thread, so a file that has
        # one is read again that way - slower, but only when there is a problem.
        try:
            table, ragged = self._parse(kinds, threads=True)
        except pa.ArrowInvalid as exc:
            if "straddl" not in str(exc) or not self._report_long_cells():
                raise
            raise Reported from None
        if ragged:
            table, ragged = self._parse(kinds, threads=False)
        index = self._row_numbers(table.num_rows, ragged)[1:]  # [0] is the header
        self._report_ragged(ragged)
        data = table.slice(1)
        return index, {i: _arrow_to_series(data.column(f"f{i}"), index) for i in kinds}

    def _parse(self, kinds: Mapping[int, Kind | None],
               threads: bool) -> tuple[Any, list[tuple[int | None, int, str]]]:
        import pyarrow.csv as pacsv

        wanted = sorted(kinds) or [0]  # column 0 at least, to count the rows
        ragged: list[tuple[int | None, int, str]] = []

        def on_ragged(row: pacsv.InvalidRow) -> str:
            ragged.append((row.number, row.actual_columns, row.text))
            return "skip"

        text = self.utf8
        table = pacsv.read_csv(
            pa.OSFile(str(text)) if isinstance(text, Path) else pa.BufferReader(pa.py_buffer(text)),
            read_options=pacsv.ReadOptions(use_threads=threads, skip_rows=self.skip,
                                           autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True,
                                             ignore_empty_lines=False,
                                             invalid_row_handler=on_ragged),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": _csv_type(kinds.get(i)) for i in wanted},
                include_columns=[f"f{i}" for i in wanted],
                strings_can_be_null=False, quoted_strings_can_be_null=False))
        return table, ragged

    def _report_long_cells(self) -> bool:
        """Name the cells too long to parse (pyarrow gives up on a field longer than
        its block, without a row or column); whether any was found."""
        found = long_csv_cells(self.utf8, self.delimiter, self.skip, LONGEST_CELL)
        for row, column, length, start in found:
            header = self.headers[column] if column < len(self.headers) else f"column {column + 1}"
            self.problems.add(problem_frame(
                self.file, [row], header.strip() or f"column {column + 1}", [shorten(start)],
                rules.VALUE_TOO_LONG,
                rules.VALUE_TOO_LONG.message(length=length, number=column + 1,
                                             header=header.strip(), limit=LONGEST_CELL)))
        return bool(found)

    def _row_numbers(self, kept: int, ragged: list[tuple[int | None, int, str]]) -> pd.Index:
        """Record numbers (header = first record after the skipped blank lines) of
        the rows pyarrow kept: every record except the ragged ones it skipped."""
        first = self.skip + 1
        if not ragged:  # the usual case: every record, in order (a range: no array)
            return pd.RangeIndex(first, first + kept, name="row")
        skipped = np.array([r[0] for r in ragged if r[0] is not None], dtype=np.int64)
        every = np.arange(first, first + kept + len(ragged), dtype=np.int64)
        rows = np.setdiff1d(every, skipped, assume_unique=True)
        return pd.Index(rows[:kept], name="row")

    def _report_ragged(self, ragged: list[tuple[int | None, int, str]]) -> None:
        """One problem per ragged row; one message per field count seen."""
        frame = pd.DataFrame(ragged, columns=["row", "fields", "text"])
        for fields, group in frame.groupby("fields", sort=True):
            self.problems.add(problem_frame(
                self.file, group["row"].astype("Int64"), None, group["text"].map(shorten),
                rules.RAGGED_ROW,
                rules.RAGGED_ROW.message(fields=fields, headers=len(self.headers),
                                         delimiter=self.delimiter)))


#: The longest cell value named when a CSV cannot be parsed for one (Excel's limit).
LONGEST_CELL = 32_767


def long_csv_cells(text: Bytes | Path, delimiter: str, skip: int,
                   limit: int) -> list[tuple[int, int, int, str]]:
    """(row, column index, length, first characters) of up to 10 cells longer than
    ``limit``, rows numbered as a spreadsheet shows them. Python's csv module, a
    record at a time: slow, so only used once pyarrow has failed."""
    previous = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    found = []
    try:
        if isinstance(text, Path):
            handle: Any = text.open(encoding="utf-8", errors="replace", newline="")
        else:
            handle = io.TextIOWrapper(io.BytesIO(text.data), encoding="utf-8",
                                      errors="replace", newline="")
        with handle:
            for _ in range(skip):
                handle.readline()
            for row, record in enumerate(csv.reader(handle, delimiter=delimiter), start=skip + 1):
                for column, value in enumerate(record):
                    if len(value) > limit:
                        found.append((row, column, len(value), value[:MAX_VALUE_CHARS + 1]))
                if len(found) >= 10:
                    break
    except csv.Error:
        pass  # what was found before the csv module gave up is still named
    finally:
        csv.field_size_limit(previous)
    return found


def _csv_type(kind: Kind | None) -> Any:
    """How pyarrow should hand over a CSV column. Ids are text (large_string: what
    pandas keeps, so no conversion). Every other kind holds few distinct values
    (grades, spellings, dates, yes/no), so pyarrow dictionary-encodes it while
    parsing: no million-row string column is built, and everything after works
    on the distinct values."""
    if kind == "id" or kind is None:
        return pa.large_string()
    return pa.dictionary(pa.int32(), pa.string())


def _arrow_to_series(column: Any, index: pd.Index) -> pd.Series:
    if pa.types.is_large_string(column.type):
        series = pd.Series(TEXT_DTYPE.__from_arrow__(column))
    else:
        # Chunks of a dictionary column have dictionaries of their own; to_pandas
        # unifies them into one set of categories.
        series = column.to_pandas()
    series.index = index
    return series


def csv_source(data: Bytes, hints: FileHints, file: str, name: str,
                problems: Problems, wanted: HeaderWanted) -> Source | None:
    utf8 = _to_utf8(data, hints.encoding, file, name, problems)
    if utf8 is None:
        return None
    if utf8.min() == 0:  # a NUL byte
        utf16 = data[:2].tobytes() in (b"\xff\xfe", b"\xfe\xff")
        problems.file_problem(file, rules.NOT_TEXT, rules.NOT_TEXT.message(
            file=file, hint=" (it looks like UTF-16: save it as CSV UTF-8)" if utf16 else ""))
        return None
    return _csv_text_source(_with_final_newline(utf8), utf8[:_PREFIX].tobytes(), hints, file,
                            name, problems, wanted)


def csv_file_source(path: Path, hints: FileHints, file: str, name: str,
                     problems: Problems, wanted: HeaderWanted) -> Source | None:
    """A plain UTF-8 file (``plain_text``), parsed from the disk."""
    with path.open("rb") as handle:
        prefix = handle.read(_PREFIX)
    return _csv_text_source(path, prefix, hints, file, name, problems, wanted)


#: How much of the start of a CSV file is read to find its header and delimiter.
_PREFIX = 1 << 20


def _csv_text_source(text: Bytes | Path, prefix: bytes, hints: FileHints, file: str,
                     name: str, problems: Problems, wanted: HeaderWanted) -> Source | None:
    """The header: ``header_row``, else found among the first records (title
    rows and blank lines above it are skipped); the delimiter: the hint, else the
    one under which a header is found, else the likeliest on the first line."""
    start = prefix.decode("utf-8", errors="ignore").lstrip("\ufeff")
    _, rest = _skip_blank_lines(start)
    if not rest.strip():
        problems.file_problem(file, rules.EMPTY_EXTRACT,
                              empty_message(name, file, "it has no header row"))
        return None
    delimiter = _delimiter(hints.delimiter, name) or _header_delimiter(start, wanted) \
        or _detect_delimiter(rest)
    records, lines_before = _first_records(start, delimiter, hints.header_row or 0)
    if hints.header_row is not None:
        index = given_header(records, hints.header_row, wanted, file, name, problems, file)
        if index is None:
            return None
    else:
        found = find_header(records, wanted)
        index = found.index if found is not None else 0
    if index >= len(records):
        problems.file_problem(file, rules.EMPTY_EXTRACT,
                              empty_message(name, file, "it has no header row"))
        return None
    return _CsvSource(text, delimiter, lines_before[index], records[index], file, problems)


def _first_records(text: str, delimiter: str,
                   at_least: int = 0) -> tuple[list[list[str]], list[int]]:
    """The first records of a CSV text (20, or ``at_least``), and the physical lines
    before each."""
    # newline=None: a classic-Mac export ends its lines with a lone CR.
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    records: list[list[str]] = []
    before: list[int] = []
    lines = 0
    try:
        for record in reader:
            records.append(record)
            before.append(lines)
            lines = reader.line_num
            if len(records) >= max(HEADER_SEARCH_ROWS, at_least):
                break
    except csv.Error:
        pass  # what was read so far is enough to look for the header in
    return records, before


def _header_delimiter(text: str, wanted: HeaderWanted) -> str | None:
    """The delimiter under which the first records hold the most wanted headers."""
    best, best_hits = None, 0
    for delimiter in _DELIMITERS:
        found = find_header(_first_records(text, delimiter)[0], wanted)
        hits = (found.hits + (1000 if found.complete else 0)) if found is not None else 0
        if hits > best_hits:
            best, best_hits = delimiter, hits
    return best


def _to_utf8(data: Bytes, encoding: str | None, file: str, name: str,
             problems: Problems) -> Bytes | None:
    """The file as UTF-8 bytes for pyarrow, or None (with a problem) if undecodable."""
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ConfigError(f"[files.{name}] encoding: unknown encoding {encoding!r}") from None
        return _decode(data, codec, file, problems, f"the encoding {encoding!r} set in the config")
    if data.max() < 0x80:  # ASCII
        return data
    try:
        codecs.utf_8_decode(data.data, "strict", True)
        return data
    except UnicodeDecodeError:
        pass  # not UTF-8: Excel's "CSV" (not "CSV UTF-8") is Windows-1252
    return _decode(data, "cp1252", file, problems, "UTF-8 or Windows-1252")


def _decode(data: Bytes, codec: str, file: str, problems: Problems, what: str) -> Bytes | None:
    try:
        return as_bytes(codecs.decode(data.data, codec).encode("utf-8"))
    except UnicodeDecodeError as exc:
        line = int(np.count_nonzero(data[:exc.start] == ord("\n"))) + 1
        problems.file_problem(file, rules.BAD_ENCODING, rules.BAD_ENCODING.message(
            file=file, what=what, byte=int(data[exc.start]), line=line))
        return None


def _skip_blank_lines(text: str) -> tuple[int, str]:
    """How many blank lines come before the header, and the text from the header on."""
    skipped = 0
    while match := re.match(r"[ \t]*(?:\r\n|\r|\n)", text):
        text = text[match.end():]
        skipped += 1
    return skipped, text


def _delimiter(hint: str | None, name: str) -> str | None:
    if hint is None:
        return None
    delimiter = hint
    if len(delimiter) != 1 or delimiter in "\r\n\"":
        raise ConfigError(f"[files.{name}] delimiter must be one character, such as ',' ';' "
                          f"or 'tab'; got {hint!r}")
    return delimiter


def _detect_delimiter(text: str) -> str:
    """The one of , ; tab that splits the header line into the most named columns
    (fields with a letter or digit), quotes respected; ties go to , then ; then tab.
    Counting the characters instead let the tabs of a tab-padded CSV header
    ("staff_id\t\t,grade\t\t") outvote its commas."""
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]

    def named(delimiter: str) -> int:
        fields = next(csv.reader([header], delimiter=delimiter), [])
        return sum(1 for f in fields if any(c.isalnum() for c in f))

    return max(_DELIMITERS, key=lambda d: (named(d), -_DELIMITERS.index(d)))


def _with_final_newline(data: Bytes) -> Bytes:
    # pyarrow cannot count the columns of a header-only file without one.
    return data if data[-1] in b"\n\r" else np.append(data, np.uint8(ord("\n")))
