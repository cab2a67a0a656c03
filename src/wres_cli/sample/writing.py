"""Writing the sample council: frames to csv, xlsx or parquet files with HR-system
headers, deterministically, and its ``wres.toml``."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from wres_cli.io.writers import fixed_zip_times
from wres_cli.sample.people import (
    GRADES,
    HEADERS,
    ORGANISATION,
    POPULATION,
    SAMPLE_EXTRACTS,
    SENIOR_GRADES,
    period_start_for,
)

#: How each export spells booleans (real systems differ from one to another).
_BOOL_TEXT = {"workforce": ("Y", "N"), "recruitment": ("Yes", "No"), "survey": ("Yes", "No"),
              "pay": ("Y", "N")}

#: A fixed timestamp for xlsx metadata and zip entries, so bytes never change.
_FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- writing

def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The export as Arrow: date32 dates, bool flags (null = not answered),
    blank text as null, and no pandas metadata."""
    columns = {}
    for col in frame.columns:
        array = pa.array(frame[col])
        if pa.types.is_timestamp(array.type):
            array = array.cast(pa.date32())
        elif pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            array = array.cast(pa.string())
            array = pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)
        columns[col] = array
    return pa.table(columns)


def _as_text(name: str, array: pa.Array) -> pa.Array:
    """A column as this system writes it in a text export: DD/MM/YYYY dates,
    its own spelling of yes and no."""
    if pa.types.is_date(array.type):
        # Format each distinct day once: strftime over millions of rows is slow.
        days = pc.dictionary_encode(array)
        return pc.strftime(days.dictionary, format="%d/%m/%Y").take(days.indices)
    if pa.types.is_boolean(array.type):
        yes, no = _BOOL_TEXT[name]
        return pc.if_else(array, yes, no)
    return array


def _csv_field(array: pa.Array) -> pa.Array:
    """Quote a field only when it needs it (comma, quote, line break), as
    spreadsheet software does; null is an empty field. Done once per distinct
    value: most columns hold a few values repeated millions of times."""
    encoded = pc.dictionary_encode(pc.fill_null(array, ""))
    text = encoded.dictionary
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(text, '[",\r\n]'), quoted, text).take(
        encoded.indices)


def _write_csv(table: pa.Table, path: Path, name: str) -> None:
    """UTF-8, ``\\n`` line ends, DD/MM/YYYY dates, blank for missing. Lines are
    joined in Arrow: pandas' CSV writer takes ~10 s for 1.5 million rows."""
    fields = [_csv_field(_as_text(name, table[c].combine_chunks())) for c in table.column_names]
    lines = pc.binary_join_element_wise(*fields, ",") if len(fields) > 1 else fields[0]
    header = ",".join(_csv_field(pa.array(table.column_names)).to_pylist())
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(header + "\n")
        out.writelines(line + "\n" for line in lines.to_pylist())


def _write_parquet(table: pa.Table, path: Path, name: str) -> None:
    pq.write_table(table, path)


def _write_xlsx(table: pa.Table, path: Path, name: str) -> None:
    """One sheet, real Excel date cells shown DD/MM/YYYY, flags as text.
    openpyxl stamps the save time into the properties and the zip entries;
    both are fixed here so the same data gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = _FIXED_TIME
    book.properties.creator = "wres sample"
    sheet = book.create_sheet(name)
    sheet.append(table.column_names)
    is_date = [pa.types.is_date(t) for t in table.schema.types]
    columns = [(_as_text(name, table[c].combine_chunks()) if not d else table[c]).to_pylist()
               for c, d in zip(table.column_names, is_date, strict=True)]
    for row in zip(*columns, strict=True):
        sheet.append([_xlsx_cell(sheet, v, d, WriteOnlyCell)
                      for v, d in zip(row, is_date, strict=True)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    path.write_bytes(fixed_zip_times(buffer.getvalue(), _FIXED_TIME))


def _xlsx_cell(sheet, value, is_date: bool, cell_type):
    if not is_date or value is None:
        return value
    cell = cell_type(sheet, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


_WRITERS: dict[str, Callable[[pa.Table, Path, str], None]] = {
    "csv": _write_csv, "parquet": _write_parquet, "xlsx": _write_xlsx}


# --------------------------------------------------------------------------- wres.toml

def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _toml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_toml_string(v) for v in values) + "]"


def sample_config(period_end: date = date(2026, 3, 31)) -> str:
    """The ``wres.toml`` written beside the sample extracts."""
    return config_text(
        [f"{ORGANISATION}: a synthetic council written by `wres sample`."], ORGANISATION,
        period_start_for(period_end), period_end,
        {extract: HEADERS[extract] for extract in SAMPLE_EXTRACTS})


def config_text(about: Sequence[str], organisation: str | None, start: date, end: date,
                headers: Mapping[str, Mapping[str, str]]) -> str:
    """A ``wres.toml`` for synthetic extracts: the sample council's grades and the
    Census population, the period, and each extract's headers. Also written by
    ``benchmarks/generate.py`` for its national folders (no ``organisation``:
    the data has several)."""
    lines = [
        *(f"# {line}" for line in about),
        "# Every person, identifier and value in these files is invented.",
        *([f"organisation = {_toml_string(organisation)}"] if organisation else []),
        'standard = "social-care"',
        "",
        "[period]",
        f"start = {start.isoformat()}",
        f"end = {end.isoformat()}",
        "",
        "[grades]",
        f"order = {_toml_list(GRADES)}",
        f"senior = {_toml_list(SENIOR_GRADES)}",
        "",
        "[population]  # Census 2021, England and Wales",
        *(f"{group} = {share:.3f}" for group, share in POPULATION.items()),
    ]
    for extract, columns in headers.items():
        lines += ["", f"[columns.{extract}]",
                  *(f"{canonical} = {_toml_string(header)}"
                    for canonical, header in columns.items())]
    return "\n".join(lines) + "\n"

