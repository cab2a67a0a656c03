"""The load stage: a data folder of extracts -> frames with canonical columns.

Each extract is one file named after it (contracts section 1). A format reader
(CSV, XLSX, Parquet) gives the headers and, on request, the raw columns wres
needs, indexed by the row number a user sees (CSV/XLSX: header = row 1, so the
first data row is 2; Parquet: the record number from 1). The shared code maps
headers onto canonical names and converts each column by its kind.

Nothing here raises for bad data: every problem becomes a row of the problem
table, and any library exception that is not a ``WresError`` (including Rust
panics from calamine, which derive from ``BaseException``) is caught at
``read_extract`` and reported as a problem naming the file.

Decisions worth knowing:

* Blank rows (no value in any column wres reads) are skipped, and the rows
  after them keep their true row numbers. ``rows_read`` counts the rows kept.
* CSV row numbers count records as a spreadsheet shows them: a quoted field
  with a line break inside stays in one row; blank lines count.
* CSV encoding: UTF-8 (with or without BOM), else Windows-1252; delimiter: the
  most frequent of ``,`` ``;`` tab on the header line, outside quotes.
"""

from __future__ import annotations

import codecs
import collections
import csv
import datetime as dt
import difflib
import hashlib
import io
import itertools
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wres_cli.config import HEADER_SEARCH_ROWS, Config, FileHints
from wres_cli.contract import (
    EVENT_EXTRACTS,
    EXTRACTS,
    WORKBOOK_SUFFIXES,
    Column,
    ExtractSpec,
    Kind,
    extract_spec,
)
from wres_cli.errors import ConfigError, WresError
from wres_cli.io.discover import (
    HeaderWanted,
    choose_sheet,
    extract_files,
    find_header,
    footer_positions,
    given_header,
    header_key,
    headers_wanted,
    names_text,
    sheet_text,
    skipped_files_hint,
)
from wres_cli.io.workbook_scan import scan_sheet, stray_cells_message, uncached_problems
from wres_cli.parsing import parse_booleans, parse_dates
from wres_cli.problems import Problems, problem_frame

log = logging.getLogger(__name__)

#: Raw columns by position, indexed by user-visible row number.
RawColumns = dict[int, pd.Series]

#: pandas' default text dtype (Arrow-backed ``str``).
_STR = pd.StringDtype("pyarrow", na_value=np.nan)

_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
_MAX_HEADERS_SHOWN = 40
_MAX_VALUE_CHARS = 200
_WORKFORCE_NEEDED = ("an extract of everyone employed at any time in the period "
                     "(leavers included) is required")


@dataclass
class Extract:
    name: str
    path: Path
    file: str
    frame: pd.DataFrame
    rows_read: int
    columns_found: dict[str, str] = field(default_factory=dict)
    sha256: str = ""
    #: where the table was found: the sheet (workbooks) and the header's row
    sheet: str | None = None
    header_row: int | None = None


# ---------------------------------------------------------------------------
# finding the files


def find_extract_files(data_dir: Path,
                       config: Config | None = None) -> tuple[dict[str, Path], Problems]:
    """Each extract's file (``io.discover.extract_files``): ``[files.<extract>] path``
    when given, else ``<extract>.<suffix>`` matched case-insensitively. Two files
    for one extract are a problem and neither is returned."""
    found, problems = extract_files(data_dir, config)
    return found.files, problems


#: progress(step, done, total): see ``wres_cli.api.Progress``.
Progress = Callable[[str, int, int], None]


def read_extracts(data_dir: Path, config: Config,
                  progress: Progress | None = None) -> tuple[dict[str, Extract], Problems]:
    """Every extract in the folder; a missing ``workforce`` is a problem.

    Files are read on up to as many threads as there are cores, biggest first:
    parsing (Arrow) and hashing let go of the GIL, so a national workforce and
    its applications are read side by side. Results come back in the contract's
    order whatever finishes first, so problems and extracts are in the same
    order as when read one at a time.
    """
    found, problems = extract_files(data_dir, config)
    files = found.files
    wanted = [name for name in EXTRACTS if name in files]
    sizes = {name: _file_size(files[name]) for name in wanted}

    def read(name: str) -> tuple[Extract | None, Problems]:
        _report_progress(progress, files[name], 0, sizes[name])
        result = read_extract(name, files[name], config)
        _report_progress(progress, files[name], sizes[name], sizes[name])
        return result

    workers = min(len(wanted), os.cpu_count() or 1, _MAX_READERS)
    if workers <= 1:
        results = {name: read(name) for name in wanted}  # stops at the first exception
    else:
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wres-read")
        try:
            futures = {name: pool.submit(read, name)
                       for name in sorted(wanted, key=lambda n: -sizes[n])}
        finally:
            pool.shutdown(wait=False)  # what was submitted still runs to the end
        results = {name: futures[name].result() for name in wanted}
    extracts = {}
    for name in wanted:
        extract, extract_problems = results[name]
        problems.extend(extract_problems)
        if extract is not None:
            extracts[name] = extract
    if "workforce" not in files and "workforce" not in found.troubled:
        problems.file_problem("workforce", "workforce required",
                              f"no workforce file (workforce.csv, .xlsx, .xls, .ods or "
                              f".parquet) in {data_dir}: {_WORKFORCE_NEEDED}"
                              + skipped_files_hint("workforce", found.skipped))
    return extracts, problems


#: Extracts with a ``staff_id``: the workforce, and the events that refer to it.
STAFF_EXTRACTS = ("workforce", *EVENT_EXTRACTS)


def share_staff_ids(extracts: Mapping[str, Extract]) -> None:
    """``staff_id`` of the workforce and of every event extract as categoricals over
    one shared set of ids (the same categories object). The ids are hashed once
    here; checking they are unique, that every event's person is in the
    workforce and linking events to people for counting then compare small
    integer codes (at national scale each of those hashed millions of strings)."""
    present = [extracts[name] for name in STAFF_EXTRACTS
               if name in extracts and "staff_id" in extracts[name].frame.columns]
    if len(present) < 2 or present[0].name != "workforce":
        return
    columns = [e.frame["staff_id"] for e in present]
    codes, ids = _staff_codes(columns)
    dtype = pd.CategoricalDtype(ids)  # one dtype object, shared
    for extract, column, part in zip(present, columns, codes, strict=True):
        shared = pd.Categorical.from_codes(part, dtype=dtype, validate=False)
        extract.frame = extract.frame.assign(
            staff_id=pd.Series(shared, index=column.index, copy=False))


def _staff_codes(columns: list[pd.Series]) -> tuple[list[np.ndarray], pd.Index]:
    """Each column's codes into the ids of all, numbered as ``pd.factorize`` numbers
    the columns one after the other (-1: blank), and those ids.

    Short ids that are unique in the workforce (the usual case) are matched as
    packed integers (``wres_cli.ids``); hashing three million strings was most
    of the time linking took."""
    from wres_cli.ids import all_distinct, id_keys, link_codes

    keys = id_keys(*columns)
    if keys is not None and all_distinct(keys[0]):
        first, linked = link_codes(keys[0], keys[1:])
        # The workforce's ids, then the ids it lacks, where each first appears.
        bounds = np.cumsum([0, *(len(c) for c in columns)])
        new = first[len(columns[0]):]
        column_of = np.searchsorted(bounds, new, side="right") - 1
        extra = np.empty(len(new), dtype=object)
        for j in np.unique(column_of):
            here = column_of == j
            extra[here] = columns[j].iloc[new[here] - bounds[j]].to_numpy(dtype=object)
        ids = pd.Index(columns[0]).append(pd.Index(extra, dtype="str"))
        return [np.arange(len(columns[0])), *linked], ids
    codes, ids = pd.factorize(pd.concat(columns, ignore_index=True), use_na_sentinel=True)
    bounds = np.cumsum([0, *(len(c) for c in columns)])
    return ([codes[lo:hi] for lo, hi in itertools.pairwise(bounds)],
            pd.Index(ids, dtype="str"))


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read_extract reports why it cannot be read


def _report_progress(progress: Progress | None, path: Path, done: int, total: int) -> None:
    if progress is not None:
        progress(f"reading {path.name}", done, total)


#: More reading threads than this gains nothing: the big extracts are two or three.
_MAX_READERS = 4


# ---------------------------------------------------------------------------
# one extract


def read_extract(name: str, path: Path, config: Config) -> tuple[Extract | None, Problems]:
    """Read one extract file. Returns ``None`` when the file cannot be read at
    all; otherwise the extract (with the columns that were found) and its
    problems. Never raises for bad data."""
    problems = Problems()
    try:
        return _read_extract(name, path, config, problems), problems
    except (KeyboardInterrupt, SystemExit, GeneratorExit, WresError):
        raise
    except _Reported:
        return None, problems
    except BaseException as exc:  # the reader boundary (contracts section 4)
        log.debug("reading %s failed", path, exc_info=True)
        problems.file_problem(path.name, "unreadable",
                              f"cannot read {path.name}: {_describe(exc)}")
        return None, problems


def _read_extract(name: str, path: Path, config: Config, problems: Problems) -> Extract | None:
    spec, file = extract_spec(name, config.extra_columns), path.name
    hints = config.files.get(name) or FileHints()
    wanted = headers_wanted(name, config)
    suffix = path.suffix.casefold()
    if suffix == ".csv" and hints.encoding is None and _plain_text(path):
        digest = _sha256_of_file(path)
        source = _csv_file_source(path, hints, file, name, problems, wanted)
    else:
        data = _read_file(path)
        if not len(data):
            problems.file_problem(file, "empty", _empty_message(name, file, "the file is empty"))
            return None
        digest = _sha256(data)
        read_source = _xlsx_source if suffix in WORKBOOK_SUFFIXES else _SOURCES[suffix]
        source = read_source(data, hints, file, name, problems, wanted)
    if source is None:
        return None
    positions = _map_headers(spec, source.headers, config.columns.get(name, {}), file, problems,
                             source.where)
    frame = _build_frame(spec, source, positions, file, problems, hints.skip_footer, name)
    if isinstance(source, _XlsxSource) and source.uncached:
        for found in uncached_problems(source.uncached, source.uncached_total, source.rows,
                                       positions, file):
            problems.add(found)
    if name == "workforce" and len(frame) == 0:
        problems.file_problem(file, "empty", _empty_message(name, file, "it has no data rows"))
    return Extract(name=name, path=path, file=file, frame=frame, rows_read=len(frame),
                   columns_found={c: source.headers[p] for c, p in positions.items()},
                   sha256=digest(), sheet=source.sheet, header_row=source.header_row)


#: A file's bytes, as a numpy array: see ``_read_file``.
Bytes = np.ndarray


def _read_file(path: Path) -> Bytes:
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


def _as_bytes(data: Bytes | bytes) -> Bytes:
    return np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes) else data


#: How much of a file is read at a time when it is scanned or hashed.
_CHUNK = 1 << 23


def _chunks(path: Path) -> Iterator[memoryview]:
    """The file, a chunk at a time, in one reused buffer."""
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as handle:
        while n := handle.readinto(buffer):
            yield view[:n]


def _plain_text(path: Path) -> bool:
    """Whether a CSV file can be parsed from the disk as it is: not empty, UTF-8
    (ASCII included), no NUL byte, and a line break at the end.

    Such a file (most exports) is never held in memory whole: pyarrow reads it
    in blocks, as its own reader does, and this check and the hash stream it
    through one small buffer. Anything else is read into memory and handled
    there (re-encoded, or reported)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    size, ascii_so_far, last = 0, True, 0
    try:
        for chunk in _chunks(path):
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


def _sha256_of_file(path: Path) -> Callable[[], str]:
    """``_sha256`` of a file streamed from the disk on another thread."""
    result: list[str] = []

    def digest() -> None:
        sha = hashlib.sha256()
        for chunk in _chunks(path):
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


def _sha256(data: Bytes) -> Callable[[], str]:
    """The file's SHA-256, as a function that waits for it. hashlib releases the
    GIL on large buffers, so a big file is hashed on another core while it is
    parsed (a second or more for a national CSV) instead of before."""
    if len(data) < _HASH_IN_BACKGROUND:
        hexdigest = hashlib.sha256(data).hexdigest()
        return lambda: hexdigest
    result: list[str] = []
    return _in_background(lambda: result.append(hashlib.sha256(data).hexdigest()), result)


def _empty_message(name: str, file: str, what: str) -> str:
    if name == "workforce":
        return f"{file}: {what}: {_WORKFORCE_NEEDED}"
    return f"{file}: {what}: expected at least a header row"


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


# ---------------------------------------------------------------------------
# headers


_header_key = header_key


def _map_headers(spec: ExtractSpec, headers: list[str], mapping: dict[str, str], file: str,
                 problems: Problems, where: str = "") -> dict[str, int]:
    """Canonical column -> position in the file, matching case- and space-insensitively."""
    positions: dict[str, list[int]] = {}
    for i, header in enumerate(headers):
        if key := _header_key(header):
            positions.setdefault(key, []).append(i)
    found = {}
    for column in spec.columns:
        wanted = mapping.get(column.name, column.name)
        hits = positions.get(_header_key(wanted), [])
        if len(hits) == 1:
            found[column.name] = hits[0]
        elif hits:
            shown = " and ".join(f"{headers[i]!r} (column {i + 1})" for i in hits)
            problems.file_problem(file, "duplicate column",
                                  f"{len(hits)} columns match {column.name}: {shown}; keep one",
                                  column=column.name)
        elif column.required or column.name in mapping:
            rule = "required column" if column.required else "mapped column"
            problems.file_problem(file, rule, _missing_column_message(
                spec.name, column, wanted, column.name in mapping, headers) + where,
                column=column.name)
    return found


def _missing_column_message(extract: str, column: Column, wanted: str, mapped: bool,
                            headers: list[str]) -> str:
    what = "required column" if column.required else "column"
    where = f" (set in [columns.{extract}] {column.name})" if mapped else ""
    shown = [h for h in headers if h.strip()]
    listed = ", ".join(repr(h) for h in shown[:_MAX_HEADERS_SHOWN])
    if len(shown) > _MAX_HEADERS_SHOWN:
        listed += f" and {len(shown) - _MAX_HEADERS_SHOWN} more"
    close = difflib.get_close_matches(wanted.strip().casefold(),
                                      [h.strip().casefold() for h in shown], n=1)
    hint = ""
    if close:
        original = next(h for h in shown if h.strip().casefold() == close[0])
        hint = f"; did you mean {original!r}? (map it in [columns.{extract}])"
    return (f"{what} {column.name} not found: looked for a header {wanted!r}{where}; "
            f"headers found: {listed or '(none)'}{hint}")


# ---------------------------------------------------------------------------
# columns by kind


def _build_frame(spec: ExtractSpec, source: _Source, positions: dict[str, int], file: str,
                 problems: Problems, skip_footer: int = 0, name: str = "") -> pd.DataFrame:
    """The canonical columns found, converted by kind, without blank rows (nor the
    footer rows ``skip_footer`` names)."""
    kinds = {positions[c.name]: c.kind for c in spec.columns if c.name in positions}
    if skip_footer:
        rows, raw = _without_footer(spec, source, positions, kinds, skip_footer, file, name,
                                    problems)
    else:
        rows, raw = source.read(kinds)
    # The last rows' raw text, to recognise a totals line left in (see _footer_hint).
    tail = {p: values.iloc[-_TAIL:] for p, values in raw.items()}
    columns: dict[str, pd.Series] = {}
    # A row with nothing in any column read (a blank line, a row of empty
    # cells) is not a record. A row whose only value failed to parse is kept.
    blank = np.ones(len(rows), dtype=bool)
    uses = collections.Counter(positions.values())  # a header may be mapped twice
    for column in spec.columns:
        if column.name in positions:
            position = positions[column.name]
            uses[position] -= 1
            # Let a raw column go once converted: a national file's raw text is big.
            values = raw[position] if uses[position] else raw.pop(position)
            converted, failed = _convert(column.kind, column.name, values, file, problems)
            columns[column.name] = converted
            blank &= converted.isna().to_numpy(dtype=bool) & ~failed.to_numpy(dtype=bool)
    frame = pd.DataFrame(columns, index=rows, copy=False)
    frame.index.name = "row"
    if columns and blank.any():  # else nothing to tell a blank row by, or none blank
        frame = frame.loc[~blank]
    if not skip_footer:
        _footer_hint(spec, frame, tail, source, file, name, problems)
    return frame


#: How many of the last rows are looked at for a totals line.
_TAIL = 3
_TOTALS = re.compile(r"\b(?:grand )?totals?\b|\bcount\b|\bend of report\b", re.IGNORECASE)


def _footer_hint(spec: ExtractSpec, frame: pd.DataFrame, tail: RawColumns, source: _Source,
                 file: str, name: str, problems: Problems) -> None:
    """The last row, when it is a totals line ("Total Assignments: 40") with a required
    value blank: say how to leave it out, beside the problems its blanks cause."""
    if not len(frame):
        return
    row = frame.index[-1]
    last = frame.iloc[-1]
    incomplete = any(pd.isna(last[c.name]) for c in spec.columns
                     if c.required and c.kind != "ethnicity" and c.name in frame.columns)
    texts = [str(v.loc[row]) for v in tail.values() if row in v.index and pd.notna(v.loc[row])]
    if incomplete and any(_TOTALS.search(t) for t in texts):
        shown = next(t for t in texts if _TOTALS.search(t))
        problems.add(problem_frame(
            file, [int(row)], None, [_shorten(shown)], "footer",
            f"row {row} of {source.place} looks like a totals line, not a record: leave it "
            f"out with [files.{name}] skip_footer = 1 in wres.toml"))


def _without_footer(spec: ExtractSpec, source: _Source, positions: dict[str, int],
                    kinds: dict[int, Kind], skip: int, file: str, name: str,
                    problems: Problems) -> tuple[pd.Index, RawColumns]:
    """The rows less the last ``skip`` that hold anything in any column (a totals
    line may be in a column wres does not read, so every column is read here). A
    footer row holding every required value looks like data, not a totals line:
    that is a problem, since dropping it would lose a record."""
    every = {i: kinds.get(i) for i in range(len(source.headers))}
    rows, raw = source.read(every)
    filled = np.zeros(len(rows), dtype=bool)
    for values in raw.values():
        filled |= _to_text(values).notna().to_numpy(dtype=bool)
    footer = footer_positions(filled.tolist(), skip)
    required = [positions[c.name] for c in spec.columns if c.required and c.name in positions]
    for position in footer:
        if required and all(pd.notna(_to_text(raw[i].iloc[[position]]).iloc[0])
                            for i in required):
            shown = ", ".join(f"{c.name} {_cell_text(raw[positions[c.name]].iloc[position])!r}"
                              for c in spec.columns if c.required and c.name in positions)
            problems.add(problem_frame(
                file, [int(rows[position])], None, None, "footer holds data",
                f"row {rows[position]} of {source.place} is "
                f"skipped as a footer ([files.{name}] skip_footer = {skip}) but it is a full "
                f"record ({shown}), not a totals line: check skip_footer"))
    keep = np.ones(len(rows), dtype=bool)
    keep[footer] = False
    return rows[keep], {i: raw[i][keep] for i in kinds}


def _convert(kind: Kind, name: str, values: pd.Series, file: str,
             problems: Problems) -> tuple[pd.Series, pd.Series]:
    """A column of the given kind, and a mask of the rows whose value failed."""
    if kind == "date":
        parsed, errors = parse_dates(values)
        rule = "date"
    elif kind == "boolean":
        parsed, errors = parse_booleans(values)
        rule = "boolean"
    elif kind == "number":
        from wres_cli.numbers import parse_amounts

        parsed, errors = parse_amounts(values)
        rule = "amount"
    elif kind in _CATEGORICAL_KINDS:
        return _to_categorical_text(values), pd.Series(False, index=values.index)
    else:
        return _to_text(values), pd.Series(False, index=values.index)
    _report(errors, values, name, rule, file, problems)
    return parsed, errors.notna()


#: Kinds whose columns hold a few distinct values repeated on every row (grades,
#: services, ethnicity spellings): kept categorical, so that stripping, classifying,
#: checking and counting work on each distinct value once. Ids stay plain text.
_CATEGORICAL_KINDS = frozenset({"text", "ethnicity"})


def _report(errors: pd.Series, raw: pd.Series, name: str, rule: str, file: str,
            problems: Problems) -> None:
    """One problem row per failed value, built per distinct message."""
    codes = errors.cat.codes.to_numpy()
    for code, message in enumerate(errors.cat.categories):
        failed = codes == code
        problems.add(problem_frame(file, raw.index[failed], name,
                                   raw[failed].map(_shorten), rule, message))


def _shorten(value: object) -> object:
    if isinstance(value, str) and len(value) > _MAX_VALUE_CHARS:
        return value[:_MAX_VALUE_CHARS] + "…"
    return value


def _to_text(values: pd.Series) -> pd.Series:
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
    return pd.Series(_STR.__from_arrow__(text), index=values.index, name=values.name)


def _arrow_strings(values: pd.Series) -> Any:
    """The Arrow array behind an Arrow-backed text column, else None."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return values.array.__arrow_array__()
    return None


def _to_categorical_text(values: pd.Series) -> pd.Series:
    """``_to_text`` for a column of few distinct values, as a categorical: each
    distinct value is converted once and the row codes are only remapped
    (spellings that differ by surrounding spaces become one category)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        distinct = pd.Series(values.cat.categories, dtype=values.cat.categories.dtype)
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        distinct = pd.Series(uniques)
    texts = _to_text(distinct)
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
    texts = np.array([_cell_text(v) for v in np.asarray(uniques, dtype=object)] + [None],
                     dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype="str")


def _cell_text(value: object) -> str:
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


# ---------------------------------------------------------------------------
# sources: one per file format


class _Source:
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

    def read(self, kinds: dict[int, Kind]) -> tuple[pd.Index, RawColumns]:
        raise NotImplementedError


# --- CSV ---------------------------------------------------------------------


class _CsvSource(_Source):
    def __init__(self, utf8: Bytes | Path, delimiter: str, skip: int, headers: list[str],
                 file: str, problems: Problems):
        # The UTF-8 text in memory, or the file to read it from (see _plain_text).
        # ``skip``: the lines above the header (blank lines, title rows).
        self.utf8, self.delimiter, self.skip = utf8, delimiter, skip
        self.headers, self.file, self.problems = headers, file, problems
        self.place, self.header_row = file, skip + 1

    def read(self, kinds: dict[int, Kind]) -> tuple[pd.Index, RawColumns]:
        # On all the cores first: dictionary-encoding the columns while parsing is
        # work worth sharing out (a national file reads in half the time). pyarrow
        # numbers a ragged row only when reading on one thread, so a file that has
        # one is read again that way - slower, but only when there is a problem.
        try:
            table, ragged = self._parse(kinds, threads=True)
        except pa.ArrowInvalid as exc:
            if "straddl" not in str(exc) or not self._report_long_cells():
                raise
            raise _Reported from None
        if ragged:
            table, ragged = self._parse(kinds, threads=False)
        index = self._row_numbers(table.num_rows, ragged)[1:]  # [0] is the header
        self._report_ragged(ragged)
        data = table.slice(1)
        return index, {i: _arrow_to_series(data.column(f"f{i}"), index) for i in kinds}

    def _parse(self, kinds: dict[int, Kind],
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
                self.file, [row], header.strip() or f"column {column + 1}", [_shorten(start)],
                "value too long",
                f"a value of {length:,} characters in column {column + 1} ({header.strip()!r}); "
                f"wres reads values of up to {LONGEST_CELL:,} characters (Excel's limit): "
                "check for a quote that opens a value and is never closed"))
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
                self.file, group["row"].astype("Int64"), None, group["text"].map(_shorten),
                "ragged row",
                f"this row has {fields} field(s) but the header has {len(self.headers)}; "
                f"check quotes and the delimiter {self.delimiter!r}"))


#: The longest cell value named when a CSV cannot be parsed for one (Excel's limit).
LONGEST_CELL = 32_767


class _Reported(Exception):
    """A file's problems are already in the problem table: read no further."""


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
            handle = io.TextIOWrapper(io.BytesIO(memoryview(text)), encoding="utf-8",
                                      errors="replace", newline="")
        with handle:
            for _ in range(skip):
                handle.readline()
            for row, record in enumerate(csv.reader(handle, delimiter=delimiter), start=skip + 1):
                for column, value in enumerate(record):
                    if len(value) > limit:
                        found.append((row, column, len(value), value[:_MAX_VALUE_CHARS + 1]))
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
        series = pd.Series(_STR.__from_arrow__(column))
    else:
        # Chunks of a dictionary column have dictionaries of their own; to_pandas
        # unifies them into one set of categories.
        series = column.to_pandas()
    series.index = index
    return series


def _csv_source(data: Bytes, hints: FileHints, file: str, name: str,
                problems: Problems, wanted: HeaderWanted) -> _Source | None:
    utf8 = _to_utf8(data, hints.encoding, file, name, problems)
    if utf8 is None:
        return None
    if utf8.min() == 0:  # a NUL byte
        utf16 = data[:2].tobytes() in (b"\xff\xfe", b"\xfe\xff")
        problems.file_problem(file, "unreadable", f"{file} contains NUL bytes: not a text CSV" + (
            " (it looks like UTF-16: save it as CSV UTF-8)" if utf16 else ""))
        return None
    return _csv_text_source(_with_final_newline(utf8), utf8[:_PREFIX].tobytes(), hints, file,
                            name, problems, wanted)


def _csv_file_source(path: Path, hints: FileHints, file: str, name: str,
                     problems: Problems, wanted: HeaderWanted) -> _Source | None:
    """A plain UTF-8 file (``_plain_text``), parsed from the disk."""
    with path.open("rb") as handle:
        prefix = handle.read(_PREFIX)
    return _csv_text_source(path, prefix, hints, file, name, problems, wanted)


#: How much of the start of a CSV file is read to find its header and delimiter.
_PREFIX = 1 << 20


def _csv_text_source(text: Bytes | Path, prefix: bytes, hints: FileHints, file: str,
                     name: str, problems: Problems, wanted: HeaderWanted) -> _Source | None:
    """The header: ``header_row``, else found among the first records (title
    rows and blank lines above it are skipped); the delimiter: the hint, else the
    one under which a header is found, else the likeliest on the first line."""
    start = prefix.decode("utf-8", errors="ignore").lstrip("\ufeff")
    _, rest = _skip_blank_lines(start)
    if not rest.strip():
        problems.file_problem(file, "empty", _empty_message(name, file, "it has no header row"))
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
        problems.file_problem(file, "empty", _empty_message(name, file, "it has no header row"))
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
        codecs.utf_8_decode(data, "strict", True)
        return data
    except UnicodeDecodeError:
        pass  # not UTF-8: Excel's "CSV" (not "CSV UTF-8") is Windows-1252
    return _decode(data, "cp1252", file, problems, "UTF-8 or Windows-1252")


def _decode(data: Bytes, codec: str, file: str, problems: Problems, what: str) -> Bytes | None:
    try:
        return _as_bytes(codecs.decode(data, codec).encode("utf-8"))
    except UnicodeDecodeError as exc:
        line = int(np.count_nonzero(data[:exc.start] == ord("\n"))) + 1
        problems.file_problem(
            file, "bad encoding",
            f"{file} is not text in {what}: byte 0x{data[exc.start]:02x} on line {line} "
            f"cannot be read; save it as CSV UTF-8, or set the encoding in [files]")
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
    delimiter = _DELIMITER_NAMES.get(hint.casefold(), hint)
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


# --- XLSX --------------------------------------------------------------------


class _XlsxSource(_Source):
    def __init__(self, headers: list[str], rows: np.ndarray, columns: list[tuple[object, ...]],
                 place: str, sheet: str, header_row: int, sheets: tuple[str, ...]):
        self.headers, self.rows, self.columns = headers, rows, columns
        self.place, self.sheet, self.header_row, self.sheets = place, sheet, header_row, sheets
        #: (row, column) -> formula, of formula cells with no saved value (workbook_scan)
        self.uncached: dict[tuple[int, int], str] = {}
        self.uncached_total = 0

    def read(self, kinds: dict[int, Kind]) -> tuple[pd.Index, RawColumns]:
        index = pd.Index(self.rows, name="row")
        raw = {}
        for i in kinds:
            values = np.empty(len(index), dtype=object)
            values[:] = self.columns[i] if self.columns else []
            raw[i] = pd.Series(values, index=index, dtype=object)
        return index, raw


def _xlsx_source(data: Bytes, hints: FileHints, file: str, name: str,
                 problems: Problems, wanted: HeaderWanted) -> _Source | None:
    """A workbook (.xlsx, .xlsm, .xlsb, .xls, .ods): the sheet named, else the
    first whose first rows hold the headers; the header row given, else found."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine panics derive from BaseException
        kind = Path(file).suffix.casefold() or "workbook"
        problems.file_problem(file, "not a workbook",
                              f"{file} is not a workbook ({kind}): {_describe(exc)}")
        return None
    names = list(workbook.sheet_names)
    probe = max(HEADER_SEARCH_ROWS, hints.header_row or 0)
    scans: dict[str, Any] = {}
    stray: list[str] = []

    def first_rows(sheet: str) -> list[list[str]]:
        # Before calamine lays a sheet out, even its first rows: a stray far cell
        # would make that grid billions of cells (see workbook_scan).
        scans[sheet] = scan = scan_sheet(data, sheet)
        if scan is not None and (message := stray_cells_message(scan, file, sheet)):
            stray.append(message)
            return []
        cells = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False, nrows=probe)
        return [[_cell_text(v) for v in row] for row in cells]

    found = choose_sheet(names, first_rows, hints, wanted, name, file, problems)
    if found is None:
        if stray:  # perhaps why no sheet showed its headers
            problems.file_problem(file, "stray cells", stray[0])
        return None
    scan = scans[found.sheet] if found.sheet in scans else scan_sheet(data, found.sheet)
    if scan is not None and (message := stray_cells_message(scan, file, found.sheet)):
        problems.file_problem(file, "stray cells", message)
        return None
    cells = workbook.get_sheet_by_name(found.sheet).to_python(skip_empty_area=False)
    source = _sheet_source(cells, found.sheet, found.header_index, file, name, problems,
                           tuple(names))
    if scan is not None and isinstance(source, _XlsxSource):
        source.uncached, source.uncached_total = scan.uncached, scan.uncached_total
    return source


def _sheet_source(cells: list[list[object]], sheet: str, header: int, file: str, name: str,
                  problems: Problems, sheets: tuple[str, ...] = ()) -> _Source | None:
    """The table whose headers are in row ``header`` (0-based); row numbers are the
    sheet's own (list index 0 is spreadsheet row 1)."""
    place = sheet_text(sheet, file, len(sheets))
    if header >= len(cells) or not any(v != "" for v in cells[header]):
        problems.file_problem(file, "empty", _empty_message(name, file, f"sheet {sheet!r} is empty"
                                                            if not cells else
                                                            f"{place} has no header row"))
        return None
    headers = [_cell_text(v) for v in cells[header]]
    body = cells[header + 1:]
    rows = np.arange(header + 2, header + 2 + len(body))
    columns = list(zip(*body, strict=True)) if body else []
    return _XlsxSource(headers, rows, columns, place, sheet, header + 1, sheets)


# --- Parquet -----------------------------------------------------------------


class _ParquetSource(_Source):
    def __init__(self, data: Bytes, parquet: Any, headers: list[str]):
        self.data, self.parquet, self.headers = data, parquet, headers

    def read(self, kinds: dict[int, Kind]) -> tuple[pd.Index, RawColumns]:
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
        return _STR  # the default str dtype, no copy
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


def _parquet_source(data: Bytes, hints: FileHints, file: str, name: str,
                    problems: Problems, wanted: HeaderWanted) -> _Source | None:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(pa.BufferReader(pa.py_buffer(data)))
        headers = list(parquet.schema_arrow.names)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # corrupt file: a problem, not a crash
        problems.file_problem(file, "unreadable",
                              f"{file} is not a readable Parquet file: {_describe(exc)}")
        return None
    return _ParquetSource(data, parquet, headers)


_SOURCES: dict[str, Callable[[Bytes, FileHints, str, str, Problems, HeaderWanted],
                             _Source | None]] = {
    ".csv": _csv_source,
    ".xlsx": _xlsx_source,
    ".parquet": _parquet_source,
}
