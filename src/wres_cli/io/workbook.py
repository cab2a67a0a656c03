"""Workbook extracts (.xlsx, .xlsm, .xlsb, .xls, .ods), read with calamine.

The sheet is the one ``[files.<extract>] sheet`` names, else the first whose
first rows hold the extract's headers (``io.discover.choose_sheet``). Before
calamine lays a sheet out, ``io.workbook_scan`` streams its XML to refuse a
sheet stretched by a stray far cell, and to find formulas with no saved value.
Row numbers are the sheet's own (header = the row it is in).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wres_cli import problem_rules as rules
from wres_cli.config import HEADER_SEARCH_ROWS, FileHints
from wres_cli.contract import Kind
from wres_cli.io.convert import cell_text
from wres_cli.io.discover import HeaderWanted, choose_sheet, sheet_text
from wres_cli.io.source import Bytes, RawColumns, Source, describe, empty_message
from wres_cli.io.workbook_scan import scan_sheet, stray_cells_message
from wres_cli.problems import Problems


class WorkbookSource(Source):
    def __init__(self, headers: list[str], rows: np.ndarray, columns: list[tuple[object, ...]],
                 place: str, sheet: str, header_row: int, sheets: tuple[str, ...]):
        self.headers, self.rows, self.columns = headers, rows, columns
        self.place, self.sheet, self.header_row, self.sheets = place, sheet, header_row, sheets
        #: (row, column) -> formula, of formula cells with no saved value (workbook_scan)
        self.uncached: dict[tuple[int, int], str] = {}
        self.uncached_total = 0

    def read(self, kinds: Mapping[int, Kind | None]) -> tuple[pd.Index, RawColumns]:
        index = pd.Index(self.rows, name="row")
        raw = {}
        for i in kinds:
            values = np.empty(len(index), dtype=object)
            values[:] = self.columns[i] if self.columns else []
            raw[i] = pd.Series(values, index=index, dtype=object)
        return index, raw


def workbook_source(data: Bytes, hints: FileHints, file: str, name: str,
                    problems: Problems, wanted: HeaderWanted) -> Source | None:
    """A workbook (.xlsx, .xlsm, .xlsb, .xls, .ods): the sheet named, else the
    first whose first rows hold the headers; the header row given, else found."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data.data))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine panics derive from BaseException
        kind = Path(file).suffix.casefold() or "workbook"
        problems.file_problem(file, rules.NOT_A_WORKBOOK, rules.NOT_A_WORKBOOK.message(
            file=file, kind=kind, error=describe(exc)))
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
        return [[cell_text(v) for v in row] for row in cells]

    found = choose_sheet(names, first_rows, hints, wanted, name, file, problems)
    if found is None:
        if stray:  # perhaps why no sheet showed its headers
            problems.file_problem(file, rules.STRAY_CELLS, stray[0])
        return None
    scan = scans[found.sheet] if found.sheet in scans else scan_sheet(data, found.sheet)
    if scan is not None and (message := stray_cells_message(scan, file, found.sheet)):
        problems.file_problem(file, rules.STRAY_CELLS, message)
        return None
    cells = workbook.get_sheet_by_name(found.sheet).to_python(skip_empty_area=False)
    source = _sheet_source(cells, found.sheet, found.header_index, file, name, problems,
                           tuple(names))
    if scan is not None and isinstance(source, WorkbookSource):
        source.uncached, source.uncached_total = scan.uncached, scan.uncached_total
    return source


def _sheet_source(cells: Sequence[Sequence[object]], sheet: str, header: int, file: str, name: str,
                  problems: Problems, sheets: tuple[str, ...] = ()) -> Source | None:
    """The table whose headers are in row ``header`` (0-based); row numbers are the
    sheet's own (list index 0 is spreadsheet row 1)."""
    place = sheet_text(sheet, file, len(sheets))
    if header >= len(cells) or not any(v != "" for v in cells[header]):
        problems.file_problem(file, rules.EMPTY_EXTRACT, empty_message(
            name, file, f"sheet {sheet!r} is empty" if not cells else f"{place} has no header row"))
        return None
    headers = [cell_text(v) for v in cells[header]]
    body = cells[header + 1:]
    rows = np.arange(header + 2, header + 2 + len(body))
    columns = list(zip(*body, strict=True)) if body else []
    return WorkbookSource(headers, rows, columns, place, sheet, header + 1, sheets)
