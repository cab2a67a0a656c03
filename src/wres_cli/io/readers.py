"""The load stage: a data folder of extracts -> frames with canonical columns.

Each extract is one file named after it (contracts section 1), found by
``io.discover``. A format module (``io.csv``, ``io.workbook``, ``io.parquet``)
gives its headers and, on request, the raw columns wres needs, indexed by the
row number a user sees (CSV/XLSX: header = row 1, so the first data row is 2;
Parquet: the record number from 1); ``io.columns`` maps the headers onto
canonical names and converts each column by its kind (``io.convert``).

Nothing here raises for bad data: every problem becomes a row of the problem
table, and any library exception that is not a ``WresError`` (including Rust
panics from calamine, which derive from ``BaseException``) is caught at
``read_extract`` and reported as a problem naming the file. ``rows_read``
counts the rows kept (blank rows and footers left out).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wres_cli import problem_rules as rules
from wres_cli.config import Config, FileHints
from wres_cli.contract import EXTRACTS, WORKBOOK_SUFFIXES, extract_spec
from wres_cli.errors import WresError
from wres_cli.io.columns import build_frame, map_headers
from wres_cli.io.csv import csv_file_source, csv_source, plain_text
from wres_cli.io.discover import HeaderWanted, extract_files, headers_wanted, skipped_files_hint
from wres_cli.io.parquet import parquet_source
from wres_cli.io.source import (
    WORKFORCE_NEEDED,
    Bytes,
    Reported,
    Source,
    describe,
    digest_of_bytes,
    digest_of_file,
    empty_message,
    read_file,
)
from wres_cli.io.workbook import WorkbookSource, workbook_source
from wres_cli.io.workbook_scan import uncached_problems
from wres_cli.problems import Problems

log = logging.getLogger(__name__)


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
        problems.file_problem("workforce", rules.MISSING_WORKFORCE,
                              rules.MISSING_WORKFORCE.message(
                                  folder=data_dir, needed=WORKFORCE_NEEDED,
                                  hint=skipped_files_hint("workforce", found.skipped)))
    return extracts, problems


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
    except Reported:
        return None, problems
    except BaseException as exc:  # the reader boundary (contracts section 4)
        log.debug("reading %s failed", path, exc_info=True)
        problems.file_problem(path.name, rules.UNREADABLE_FILE,
                              rules.UNREADABLE_FILE.message(file=path.name, error=describe(exc)))
        return None, problems


def _read_extract(name: str, path: Path, config: Config, problems: Problems) -> Extract | None:
    spec, file = extract_spec(name, config.extra_columns), path.name
    hints = config.files.get(name) or FileHints()
    wanted = headers_wanted(name, config)
    suffix = path.suffix.casefold()
    if suffix == ".csv" and hints.encoding is None and plain_text(path):
        digest = digest_of_file(path)
        source = csv_file_source(path, hints, file, name, problems, wanted)
    else:
        data = read_file(path)
        if not len(data):
            problems.file_problem(file, rules.EMPTY_EXTRACT,
                                  empty_message(name, file, "the file is empty"))
            return None
        digest = digest_of_bytes(data)
        read_source = _SOURCES[suffix]
        source = read_source(data, hints, file, name, problems, wanted)
    if source is None:
        return None
    positions = map_headers(spec, source.headers, config.columns.get(name, {}), file, problems,
                            source.where)
    frame = build_frame(spec, source, positions, file, problems, hints.skip_footer, name)
    if isinstance(source, WorkbookSource) and source.uncached:
        for found in uncached_problems(source.uncached, source.uncached_total, source.rows,
                                       positions, file):
            problems.add(found)
    if name == "workforce" and len(frame) == 0:
        problems.file_problem(file, rules.EMPTY_EXTRACT,
                              empty_message(name, file, "it has no data rows"))
    return Extract(name=name, path=path, file=file, frame=frame, rows_read=len(frame),
                   columns_found={c: source.headers[p] for c, p in positions.items()},
                   sha256=digest(), sheet=source.sheet, header_row=source.header_row)


#: A format's reader: a file's bytes -> its ``Source``, or None (with a problem).
SourceReader = Callable[[Bytes, FileHints, str, str, Problems, HeaderWanted], Source | None]

_SOURCES: dict[str, SourceReader] = {
    ".csv": csv_source,
    ".parquet": parquet_source,
    **{suffix: workbook_source for suffix in WORKBOOK_SUFFIXES},
}
