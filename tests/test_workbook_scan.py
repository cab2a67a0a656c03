"""The streaming look at an .xlsx sheet (io/workbook_scan.py), on hand-written XML."""

from __future__ import annotations

import io
import zipfile

import pytest

from wres_cli.io.workbook_scan import (
    column_index,
    column_letters,
    scan_sheet,
    stray_cells_message,
)

WORKBOOK = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="worksheet"/>'
        '</Relationships>')


def xlsx(rows: str, prefix: str = "") -> bytes:
    ns = (f'xmlns:{prefix[:-1]}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
          if prefix else 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
    sheet = (f"<{prefix}worksheet {ns}><{prefix}sheetData>{rows}</{prefix}sheetData>"
             f"</{prefix}worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'


@pytest.mark.parametrize("letters,index", [("A", 0), ("Z", 25), ("AA", 26), ("AD", 29),
                                           ("XFD", 16383)])
def test_column_letters(letters: str, index: int) -> None:
    # XFD: (24 * 26 + 6) * 26 + 4 = 16384th column, index 16383.
    assert column_index(letters) == index
    assert column_letters(index) == letters


def test_formulas_without_a_saved_value_are_found() -> None:
    rows = HEADER + (
        '<row r="2">'
        '<c r="B2"><f>1+1</f></c>'                      # no value at all
        '<c r="C2"><f>IF(A1>0,1,2)</f><v/></c>'         # an empty value, not text
        '<c r="D2" t="str"><f>""</f><v></v></c>'        # a cached empty text: fine
        '<c r="E2"><f>1+1</f><v>2</v></c>'              # cached: fine
        '<c r="F2"><f t="shared" si="0"/></c>'          # a shared formula, never calculated
        '</row>')
    scan = scan_sheet(xlsx(rows), "Staff")
    assert scan is not None
    assert scan.uncached == {(2, 1): "=1+1", (2, 2): "=IF(A1>0,1,2)", (2, 5): "="}
    assert scan.uncached_total == 3


def test_prefixed_tags_are_read() -> None:
    rows = ('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>id</x:t></x:is></x:c></x:row>'
            '<x:row r="2"><x:c r="A2"><x:f>1+1</x:f></x:c></x:row>')
    scan = scan_sheet(xlsx(rows, prefix="x:"), "Staff")
    assert scan is not None
    assert scan.cells == 2 and scan.max_row == 2 and scan.max_column == 0
    assert scan.uncached == {(2, 0): "=1+1"}


def test_a_far_value_is_named_and_a_far_format_is_not() -> None:
    body = HEADER + '<row r="2"><c r="A2"><v>1</v></c></row>'
    far = body + '<row r="100000"><c r="ZZ100000" t="inlineStr"><is><t> </t></is></c></row>'
    scan = scan_sheet(xlsx(far), "Staff")
    assert scan is not None
    # ZZ is column 702: 100,000 x 702 = 70,200,000 cells for 3 that hold something.
    assert scan.reach == 70_200_000 and scan.cells == 3
    message = stray_cells_message(scan, "workforce.xlsx", "Staff")
    assert message is not None and "ZZ100000" in message and "70,200,000" in message
    formatted = body + '<row r="100000"><c r="ZZ100000" s="1"/></row>'
    scan = scan_sheet(xlsx(formatted), "Staff")
    assert scan is not None and stray_cells_message(scan, "workforce.xlsx", "Staff") is None


def test_a_full_sheet_is_fine() -> None:
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDEFGH")
                   + "</row>" for r in range(1, 3001))
    scan = scan_sheet(xlsx(rows), "Staff")
    assert scan is not None
    assert (scan.cells, scan.max_row, scan.max_column) == (24_000, 3000, 7)
    assert stray_cells_message(scan, "w.xlsx", "Staff") is None


# Named ids: the cut zip holds its build time, so its bytes would differ between the
# pytest-xdist workers that collect it.
@pytest.mark.parametrize("data", [b"", b"not a zip", xlsx(HEADER)[:50]],
                         ids=["empty", "not a zip", "a cut zip"])
def test_what_is_not_a_workbook_is_left_to_the_reader(data: bytes) -> None:
    assert scan_sheet(data, "Staff") is None


def test_an_unknown_sheet_is_left_to_the_reader() -> None:
    assert scan_sheet(xlsx(HEADER), "Other") is None
