"""Reading an export as it comes costs little more than reading a tidy one (issue 13).

    python benchmarks/workbook_title_rows.py              # 100,000 rows, best of 5
    python benchmarks/workbook_title_rows.py --rows 20000 --repeat 3

Writes two .xlsx workbooks of the same rows into a temporary folder:

* **plain**: one sheet, headers in row 1, canonical headers;
* **as exported**: a "Report Parameters" cover sheet first, then the data on a
  second sheet below three title rows, ESR-style headers mapped in the config,
  date-times, and a totals footer skipped with ``skip_footer = 1``, the sheet
  and the header row found by their headers (no ``sheet`` or ``header_row``).

and times ``read_extract`` on each (the load stage: opening the workbook,
finding the sheet and header, converting every column), best of ``--repeat``
runs, alternating. The target: the exported workbook reads within 1.5 times
the plain one. Not part of the pytest run: a benchmark, not a timed test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl

from wres_cli.config import Config, FileHints
from wres_cli.io.readers import read_extract

CANONICAL = ["staff_id", "ethnicity", "grade", "start_date", "end_date", "staff_group"]
EXPORTED = ["Employee Number", "Ethnic Origin", "Grade", "Hire Date", "Termination Date",
            "Staff Group"]
TARGET = 1.5


def _rows(n: int, seed: int = 13) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    ethnicities = ["A White - British", "C3 White - Any other White background",
                   "H Asian or Asian British - Indian", "N Black or Black British - African",
                   "Z Not Stated"]
    grades = ["Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a"]
    groups = ["Nursing and Midwifery Registered", "Admin and Clerical", "Estates and Ancillary"]
    days = rng.integers(0, 9000, n)
    left = rng.random(n) < 0.1
    base = dt.datetime(2000, 1, 1)
    return [[100000 + i, ethnicities[i % 5], grades[i % 7],
             base + dt.timedelta(days=int(days[i]), hours=9),
             base + dt.timedelta(days=int(days[i]) + 400) if left[i] else None,
             groups[i % 3]] for i in range(n)]


def _write(path: Path, headers: list[str], rows: list[list[object]], exported: bool) -> Path:
    book = openpyxl.Workbook(write_only=True)
    if exported:
        cover = book.create_sheet("Report Parameters")
        cover.append(["Report", "Staff In Post"])
        cover.append(["Run date", dt.datetime(2026, 4, 1, 8, 0)])
    sheet = book.create_sheet("Staff In Post" if exported else "Sheet1")
    if exported:
        sheet.append(["Staff In Post - Benchmark Trust"])
        sheet.append(["As at 31/03/2026"])
        sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if exported:
        sheet.append([f"Total Assignments: {len(rows)}"])
    book.save(path)
    return path


def _time(path: Path, config: Config, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        extract, problems = read_extract("workforce", path, config)
        times.append(time.perf_counter() - start)
        assert extract is not None and not problems, problems.to_frame().head()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rows = _rows(args.rows)
    plain_config = Config()
    exported_config = Config(
        columns={"workforce": dict(zip(CANONICAL, EXPORTED, strict=True))},
        files={"workforce": FileHints(skip_footer=1)})
    with tempfile.TemporaryDirectory(prefix="wres-bench-") as scratch:
        plain = _write(Path(scratch) / "plain.xlsx", CANONICAL, rows, exported=False)
        exported = _write(Path(scratch) / "exported.xlsx", EXPORTED, rows, exported=True)
        plain_times, exported_times = [], []
        for _ in range(args.repeat):  # alternate, so a drifting machine favours neither
            plain_times += _time(plain, plain_config, 1)
            exported_times += _time(exported, exported_config, 1)
    best_plain, best_exported = min(plain_times), min(exported_times)
    ratio = best_exported / best_plain
    print(f"| workbook ({args.rows:,} rows) | best of {args.repeat} |")
    print("|---|---|")
    print(f"| plain (headers in row 1) | {best_plain:.2f} s |")
    print(f"| as exported (cover sheet, title rows, mapped headers, footer) | "
          f"{best_exported:.2f} s |")
    print(f"| ratio | {ratio:.2f} (target <= {TARGET}) |")
    print("within target" if ratio <= TARGET else "OVER TARGET")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
