"""A streaming look at an .xlsx sheet's cells before the workbook reader builds it.

calamine (the fast reader) lays a sheet out as one dense grid from its first
to its last cell. One stray value far from the data - a space typed at
XFD1048576 - makes that grid 17 billion cells: the process dies of a failed
allocation (a Rust abort, which no ``except`` can catch), and a stray cell at
AD400000 costs seconds and hundreds of megabytes. Memory must follow the data
actually present, never the range a stray cell implies (contracts section 4).

So the sheet's XML is first streamed through a few byte searches, a block at a
time (memory: one block), counting the cells that are there and finding how
far they reach. A sheet whose reach is many times the cells it holds is named
as a problem (the stray cells by reference) instead of being laid out.

The same pass finds formula cells with no cached value (a workbook written by a
program and never opened and saved in Excel): calamine reads those as blank,
which turned every leaver into "still employed". They are listed here so the
reader can report each one in a column wres reads as an error naming the cell.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from wres_cli import problem_rules as rules

#: A sheet may reach this many cells whatever it holds (a small table with a
#: note a few columns over is fine): about 60 MB of grid for calamine.
ALWAYS_ALLOWED_CELLS = 2_000_000
#: Beyond that, the grid may be at most this many times the cells present (real
#: extracts are mostly full: a blank leaving date, a blank optional column).
ALLOWED_SPARSENESS = 4
#: Uncached formulas listed at most (each becomes a problem row).
MAX_UNCACHED = 1000

_BLOCK = 1 << 22
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"([0-9]+)\"")
_PREFIX = re.compile(rb"<(\w+:)?sheetData\b")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_REF = re.compile(rb"\br=\"([A-Z]{1,3})([0-9]+)\"")
_TYPE = re.compile(rb"\bt=\"(\w+)\"")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?v>)")
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)")

_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class SheetScan:
    """What a sheet holds and how far it reaches (rows 1-based, columns 0-based)."""

    cells: int = 0
    max_row: int = 0
    max_column: int = -1
    last_row_refs: list[str] = field(default_factory=list)
    widest_ref: str = ""
    #: (row, column) -> the formula text, for formula cells with no cached value
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)
    uncached_total: int = 0

    @property
    def reach(self) -> int:
        """Cells in the grid from A1 to the farthest cell."""
        return self.max_row * (self.max_column + 1)


def column_index(letters: str | bytes) -> int:
    """``A`` -> 0, ``Z`` -> 25, ``AA`` -> 26, ``XFD`` -> 16383."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    index = 0
    for char in text:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def scan_sheet(data: Any, sheet: str) -> SheetScan | None:
    """Scan sheet ``sheet`` of the .xlsx in ``data`` (bytes or a bytes-like array);
    None when the file is not a zip of that layout (the reader then says why).

    A quick pass counts every cell element and how far they reach. Only when that
    reach is too far is the sheet read again, counting just the cells that hold
    something: calamine leaves out formatted empty cells, so a far cell that is
    only formatted is no problem."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(memoryview(data)))
        member = _sheet_member(archive, sheet)
        if member is None:
            return None
        with archive.open(member) as stream:
            scan = _quick_scan(_row_blocks(stream))
        if stray_cells_message(scan, "", "") is not None:
            with archive.open(member) as stream:
                _exact_reach(_row_blocks(stream), scan)
        return scan
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError, ValueError,
            EOFError, RuntimeError, NotImplementedError):
        return None


def stray_cells_message(scan: SheetScan, file: str, sheet: str) -> str | None:
    """Why the sheet is refused, naming the far cells; None when its reach is fine."""
    allowed = max(ALWAYS_ALLOWED_CELLS, ALLOWED_SPARSENESS * scan.cells)
    if scan.reach <= allowed:
        return None
    far = list(dict.fromkeys([*scan.last_row_refs[:5], scan.widest_ref]))
    named = ", ".join(r for r in far if r)
    return rules.STRAY_CELLS.message(file=file, sheet=sheet, cells=named, rows=scan.max_row,
                                     columns=scan.max_column + 1, reach=scan.reach,
                                     held=scan.cells)


def _sheet_member(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the sheet named ``sheet``, from the workbook's own index."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_RELS}Relationship")}
    for element in workbook.iter(f"{_MAIN}sheet"):
        if element.get("name") == sheet:
            target = targets.get(element.get(_DOC_REL))
            if not target:
                return None
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            return path if path in archive.namelist() else None
    return None


def _row_blocks(stream: Any) -> Iterator[bytes]:
    """The sheet's XML in blocks that end after a ``</row>``, so no cell is cut."""
    carry = b""
    while block := stream.read(_BLOCK):
        block = carry + block
        end = max(block.rfind(b"</row>"), block.rfind(b":row>"))
        cut = block.find(b">", end) + 1 if end >= 0 else 0
        if cut == 0 and len(block) < 16 * _BLOCK:
            carry = block  # no row end yet: read on (a very long row)
            continue
        cut = cut or len(block)
        yield block[:cut]
        carry = block[cut:]
    if carry:
        yield carry


@dataclass
class _Patterns:
    """Searches for one sheet's tags. ``r`` comes first in the cell and row tags of
    every writer seen; a row tag that does not match the quick search is found by
    the general one."""

    cell: bytes
    columns: re.Pattern[bytes]
    row: bytes
    rows: re.Pattern[bytes]
    formula: bytes


def _patterns(block: bytes) -> _Patterns:
    """The tags of a sheet: ``<c ``, or ``<x:c `` in some .NET exports."""
    match = _PREFIX.search(block)
    prefix = (match.group(1) or b"") if match else b""
    cell, row = b"<" + prefix + b"c ", b"<" + prefix + b"row"
    return _Patterns(cell=cell, columns=re.compile(re.escape(cell) + rb"r=\"([A-Z]{1,3})[0-9]"),
                     row=row, rows=re.compile(re.escape(row) + rb" r=\"([0-9]+)\""),
                     formula=b"<" + prefix + b"f")


def _quick_scan(blocks: Iterator[bytes]) -> SheetScan:
    scan = SheetScan()
    patterns = _patterns(b"")
    for number, block in enumerate(blocks):
        if number == 0:
            patterns = _patterns(block)
        scan.cells += block.count(patterns.cell)
        rows = patterns.rows.findall(block)
        if len(rows) < block.count(patterns.row + b" ") + block.count(patterns.row + b">"):
            rows = _ROW_NUMBER.findall(block)
        if rows:
            scan.max_row = max(scan.max_row, max(int(r) for r in rows))
        letters = set(patterns.columns.findall(block))
        if letters:
            scan.max_column = max(scan.max_column,
                                  column_index(max(letters, key=lambda b: (len(b), b))))
        if block.find(patterns.formula) >= 0 and _FORMULA.search(block):
            _find_uncached(block, scan)
    return scan


def _exact_reach(blocks: Iterator[bytes], scan: SheetScan) -> None:
    """The reach of the cells that hold a value (not self-closing), and the farthest ones."""
    cells, max_row, max_column = 0, 0, -1
    by_row: dict[int, list[str]] = {}
    widest = ""
    content = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
    for block in blocks:
        for match in content.finditer(block):
            attributes = match.group(1)
            ref = _REF.search(attributes)
            if attributes.endswith(b"/") or ref is None:
                continue
            cells += 1
            row, column = int(ref.group(2)), column_index(ref.group(1))
            text = (ref.group(1) + ref.group(2)).decode()
            if row > max_row:
                max_row, by_row = row, {row: [text]}
            elif row == max_row:
                by_row[row].append(text)
            if column > max_column:
                max_column, widest = column, text
    scan.cells, scan.max_row, scan.max_column = cells, max_row, max_column
    scan.last_row_refs, scan.widest_ref = by_row.get(max_row, []), widest


def _find_uncached(block: bytes, scan: SheetScan) -> None:
    """Formula cells with no value, or an empty one that is not a text result."""
    for match in _FORMULA.finditer(block):
        start = max(block.rfind(b"<c ", 0, match.start()), block.rfind(b":c ", 0, match.start()))
        end = _CELL_END.search(block, match.end())
        if start < 0 or end is None:
            continue
        cell = block[start:end.end()]
        head = cell[:cell.find(b">") + 1]
        value = _VALUE.search(cell)
        kind = _TYPE.search(head)
        cached = value is not None and (bool(value.group(1)) or (
            kind is not None and kind.group(1) in (b"str", b"s", b"inlineStr")))
        ref = _REF.search(head)
        if cached or ref is None:
            continue
        scan.uncached_total += 1
        if len(scan.uncached) < MAX_UNCACHED:
            formula = _FORMULA_TEXT.search(cell)
            text = formula.group(1) if formula is not None and formula.group(1) else b""
            key = (int(ref.group(2)), column_index(ref.group(1)))
            scan.uncached[key] = "=" + _unescape(text.decode("utf-8", errors="replace"))


def _unescape(text: str) -> str:
    from html import unescape

    return unescape(text)


def uncached_problems(uncached: dict[tuple[int, int], str], total: int, rows: Any,
                      positions: dict[str, int], file: str) -> list[Any]:
    """Problem frames for the uncached formulas in the columns wres reads, on data rows."""
    from wres_cli.problems import problem_frame

    data_rows = set(int(r) for r in rows)
    names = {position: name for name, position in positions.items()}
    frames = []
    for (row, column), formula in sorted(uncached.items()):
        if column in names and row in data_rows:
            cell = f"{column_letters(column)}{row}"
            frames.append(problem_frame(
                file, [row], names[column], [formula], rules.UNCACHED_FORMULA,
                rules.UNCACHED_FORMULA.message(cell=cell)))
    if total > len(uncached) and frames:
        frames.append(problem_frame(
            file, None, None, None, rules.MORE_UNCACHED_FORMULAS,
            rules.MORE_UNCACHED_FORMULAS.message(file=file, total=total, listed=len(uncached))))
    return frames
