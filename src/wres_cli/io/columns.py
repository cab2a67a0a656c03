"""From a format's ``Source`` to an extract's frame: headers mapped onto the
canonical columns, each column converted by its kind (``io.convert``), blank
rows and footers left out.

Decisions worth knowing:

* Headers match ignoring case and surrounding spaces (``io.discover.header_key``);
  ``[columns.<extract>]`` maps a header onto a canonical name.
* Blank rows (no value in any column wres reads) are skipped, and the rows
  after them keep their true row numbers.
* A last row that looks like a totals line is named, with the
  ``skip_footer`` that leaves it out.
"""

from __future__ import annotations

import collections
import difflib
import re

import numpy as np
import pandas as pd

from wres_cli import problem_rules as rules
from wres_cli.contract import Column, ExtractSpec, Kind
from wres_cli.io.convert import cell_text, convert_column, shorten, to_text
from wres_cli.io.discover import footer_positions, header_key
from wres_cli.io.source import RawColumns, Source
from wres_cli.problems import Problems, problem_frame

_MAX_HEADERS_SHOWN = 40


def map_headers(spec: ExtractSpec, headers: list[str], mapping: dict[str, str], file: str,
                problems: Problems, where: str = "") -> dict[str, int]:
    """Canonical column -> position in the file, matching case- and space-insensitively."""
    positions: dict[str, list[int]] = {}
    for i, header in enumerate(headers):
        if key := header_key(header):
            positions.setdefault(key, []).append(i)
    found = {}
    for column in spec.columns:
        wanted = mapping.get(column.name, column.name)
        hits = positions.get(header_key(wanted), [])
        if len(hits) == 1:
            found[column.name] = hits[0]
        elif hits:
            shown = " and ".join(f"{headers[i]!r} (column {i + 1})" for i in hits)
            problems.file_problem(file, rules.DUPLICATE_COLUMN, rules.DUPLICATE_COLUMN.message(
                count=len(hits), column=column.name, shown=shown), column=column.name)
        elif column.required or column.name in mapping:
            rule = rules.MISSING_COLUMN if column.required else rules.MISSING_MAPPED_COLUMN
            problems.file_problem(file, rule, _missing_column_message(
                rule, spec.name, column, wanted, column.name in mapping, headers, where),
                column=column.name)
    return found


def _missing_column_message(rule: rules.Rule, extract: str, column: Column, wanted: str,
                            mapped: bool, headers: list[str], where: str) -> str:
    """The message of ``missing-column``: the headers there are, and the likeliest."""
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
    return rule.message(column=column.name, wanted=wanted,
                        mapped=f" (set in [columns.{extract}] {column.name})" if mapped else "",
                        headers=listed or "(none)", hint=hint, where=where)


# ---------------------------------------------------------------------------
# the frame


def build_frame(spec: ExtractSpec, source: Source, positions: dict[str, int], file: str,
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
            converted, failed = convert_column(column.kind, column.name, values, file, problems)
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


def _footer_hint(spec: ExtractSpec, frame: pd.DataFrame, tail: RawColumns, source: Source,
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
            file, [int(row)], None, [shorten(shown)], rules.TOTALS_LINE,
            rules.TOTALS_LINE.message(row=row, place=source.place, name=name)))


def _without_footer(spec: ExtractSpec, source: Source, positions: dict[str, int],
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
        filled |= to_text(values).notna().to_numpy(dtype=bool)
    footer = footer_positions(filled.tolist(), skip)
    required = [positions[c.name] for c in spec.columns if c.required and c.name in positions]
    for position in footer:
        if required and all(pd.notna(to_text(raw[i].iloc[[position]]).iloc[0])
                            for i in required):
            shown = ", ".join(f"{c.name} {cell_text(raw[positions[c.name]].iloc[position])!r}"
                              for c in spec.columns if c.required and c.name in positions)
            problems.add(problem_frame(
                file, [int(rows[position])], None, None, rules.FOOTER_HOLDS_DATA,
                rules.FOOTER_HOLDS_DATA.message(row=rows[position], place=source.place,
                                                name=name, skip=skip, shown=shown)))
    keep = np.ones(len(rows), dtype=bool)
    keep[footer] = False
    return rows[keep], {i: raw[i][keep] for i in kinds}
