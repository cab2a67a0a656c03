"""National-size extracts for the performance benchmark (issue 6).

    python benchmarks/generate.py                 # both sizes, Parquet and CSV
    python benchmarks/generate.py --scale 0.1     # one size only

Writes ``benchmarks/data/<size>/{parquet,csv}/`` (git-ignored), each folder a
complete data folder in the documented contract (contracts.md section 1) with
HR-system headers and a ``wres.toml`` mapping them:

=====================  ===========  ==========
extract                national     10 %
=====================  ===========  ==========
workforce              1,500,000    150,000
recruitment            4,000,000    400,000
disciplinary              40,000      4,000
fitness_to_practise       15,000      1,500
training               1,500,000    150,000
survey                   600,000     60,000
=====================  ===========  ==========

Staff are spread over a few organisations (an ``Organisation`` column in
workforce, recruitment and survey), as in a regional or national return.

The people come from ``wres_cli.sample.generate_council`` (called, never
edited): its workforce is exactly the size asked for, but its other extracts
follow one council's proportions, so they are resized here with numpy -
applications drawn again with replacement (a national year has more applicants
per post than one council's), disciplinary cases and survey responses
subsampled, CPD records topped up and fitness-to-practise referrals drawn
afresh among registered professionals. Everything is seeded: the same command
gives the same files.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from wres_cli.ethnicity import classify
from wres_cli.sample import generate_council
from wres_cli.sample.people import HEADERS
from wres_cli.sample.writing import config_text as sample_config_text

DATA = Path(__file__).resolve().parent / "data"
PERIOD_START, PERIOD_END = date(2025, 4, 1), date(2026, 3, 31)  # generate_council's default
SEED = 20260406

#: Rows per extract at national size (scale 1.0).
NATIONAL_ROWS = {
    "workforce": 1_500_000,
    "recruitment": 4_000_000,
    "disciplinary": 40_000,
    "fitness_to_practise": 15_000,
    "training": 1_500_000,
    "survey": 600_000,
}
SIZES = {"national": 1.0, "national-10pct": 0.1}

#: A region's worth of employers, with uneven sizes as real ones have.
ORGANISATIONS = (
    ("Northmoor Borough Council", 0.22), ("Eastfield County Council", 0.18),
    ("Riverside City Council", 0.15), ("Westdale District Council", 0.12),
    ("Southport Metropolitan Borough", 0.11), ("Highcliffe Unitary Authority", 0.09),
    ("Lowmarsh Borough Council", 0.08), ("Greyholm Council", 0.05),
)
ORGANISATION_HEADER = "Organisation"
WITH_ORGANISATION = ("workforce", "recruitment", "survey")

#: How the CSV export spells yes and no (each HR system has its own habit).
BOOL_TEXT = {"workforce": ("Y", "N"), "recruitment": ("Yes", "No"), "survey": ("Yes", "No")}


# --------------------------------------------------------------------------- frames


def national_frames(scale: float, seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Canonical-column frames of a national data set at ``scale`` (1.0 = national)."""
    rows = {name: max(1, round(n * scale)) for name, n in NATIONAL_ROWS.items()}
    rng = np.random.default_rng(seed)
    council = generate_council(staff=rows["workforce"], seed=seed, period_end=PERIOD_END)
    workforce = council["workforce"]
    return {
        "workforce": _with_organisation(rng, workforce),
        "recruitment": _with_organisation(rng, _resample(
            rng, council["recruitment"], rows["recruitment"], "application_id", "APP",
            sort_by="application_date")),
        "disciplinary": _subsample(rng, council["disciplinary"], rows["disciplinary"]),
        "fitness_to_practise": _referrals(rng, workforce, rows["fitness_to_practise"]),
        "training": _top_up(rng, council["training"], rows["training"]),
        "survey": _with_organisation(rng, _subsample(rng, council["survey"], rows["survey"])),
    }


def _organisations(rng: np.random.Generator, n: int) -> pd.api.extensions.ExtensionArray:
    names = [name for name, _ in ORGANISATIONS]
    weights = np.array([w for _, w in ORGANISATIONS])
    codes = rng.choice(len(names), size=n, p=weights / weights.sum())
    # Built in Arrow: millions of Python strings would dominate the generator's time.
    return pd.array(pa.array(names, pa.string()).take(pa.array(codes)), dtype="str")


def _with_organisation(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(organisation=_organisations(rng, len(frame)))


def _ids(prefix: str, n: int) -> pd.api.extensions.ExtensionArray:
    width = max(6, len(str(n)))
    digits = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), width=width,
                          padding="0")
    return pd.array(pc.binary_join_element_wise(f"{prefix}-", digits, ""), dtype="str")


def _resample(rng: np.random.Generator, frame: pd.DataFrame, n: int, id_column: str,
              prefix: str, sort_by: str) -> pd.DataFrame:
    """``n`` rows drawn with replacement, renumbered so ids stay unique."""
    picked = frame.iloc[rng.integers(0, len(frame), n)]
    picked = picked.sort_values(sort_by, kind="stable").reset_index(drop=True)
    return picked.assign(**{id_column: _ids(prefix, n)})


def _subsample(rng: np.random.Generator, frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` rows without replacement, in their original order."""
    if n >= len(frame):
        return frame
    keep = np.sort(rng.choice(len(frame), size=n, replace=False))
    return frame.iloc[keep].reset_index(drop=True)


def _top_up(rng: np.random.Generator, training: pd.DataFrame, n: int) -> pd.DataFrame:
    """CPD records up to ``n``: more courses for the people who already take them."""
    if n <= len(training):
        return _subsample(rng, training, n)
    extra = training.iloc[rng.integers(0, len(training), n - len(training))]
    frame = pd.concat([training, extra], ignore_index=True)
    frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    return frame.assign(record_id=_ids("CPD", n))


def _referrals(rng: np.random.Generator, workforce: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` fitness-to-practise referrals of registered professionals in post,
    minority ethnic staff referred about 1.6 x as often (the pattern indicator 4
    looks for), each dated inside the person's employment in the period."""
    start, end = pd.Timestamp(PERIOD_START), pd.Timestamp(PERIOD_END)
    first = workforce["start_date"].to_numpy(dtype="datetime64[D]")
    last = workforce["end_date"].to_numpy(dtype="datetime64[D]")
    in_post = (first <= np.datetime64(end, "D")) & (
        np.isnat(last) | (last >= np.datetime64(start, "D")))
    eligible = np.flatnonzero(in_post & workforce["registered_professional"].to_numpy(bool))
    side = classify(workforce["ethnicity"]).group.to_numpy(dtype=object)[eligible]
    weight = np.where((side != "white") & (side != "unknown"), 1.6, 1.0)
    people = rng.choice(eligible, size=min(n, len(eligible)), replace=False,
                        p=weight / weight.sum())
    lo = np.maximum(first[people], np.datetime64(start, "D")).astype(np.int64)
    hi = np.where(np.isnat(last[people]), np.datetime64(end, "D"),
                  np.minimum(last[people], np.datetime64(end, "D"))).astype(np.int64)
    days = lo + np.floor(rng.random(len(people)) * (hi - lo + 1)).astype(np.int64)
    order = np.argsort(days, kind="stable")
    return pd.DataFrame({
        "referral_id": _ids("FTP", len(people)),
        "staff_id": workforce["staff_id"].to_numpy()[people[order]],
        "referral_date": days[order].astype("datetime64[D]").astype("datetime64[us]"),
    })


# --------------------------------------------------------------------------- writing


def _headers(name: str) -> dict[str, str]:
    headers = dict(HEADERS[name])
    if name in WITH_ORGANISATION:
        headers["organisation"] = ORGANISATION_HEADER
    return headers


def _arrow(frame: pd.DataFrame, name: str) -> pa.Table:
    """The export with HR headers: dates as date32, blank text as null."""
    columns = {}
    for column, header in _headers(name).items():
        array = pa.array(frame[column])
        if pa.types.is_timestamp(array.type):
            array = array.cast(pa.date32())
        elif pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            array = pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)
        columns[header] = array
    return pa.table(columns)


def _csv_text(name: str, array: pa.Array) -> pa.Array:
    """One column as an HR system's CSV export writes it: DD/MM/YYYY dates, the
    system's own yes/no, quotes only where a value needs them (as Excel does).
    Each distinct value is formatted once, then taken back to the rows."""
    if pa.types.is_date(array.type):
        encoded = pc.dictionary_encode(array)
        text = pc.strftime(encoded.dictionary.cast(pa.timestamp("s")), format="%d/%m/%Y")
        array = text.take(encoded.indices)
    elif pa.types.is_boolean(array.type):
        yes, no = BOOL_TEXT[name]
        array = pc.if_else(array, yes, no)
    encoded = pc.dictionary_encode(pc.fill_null(array.cast(pa.string()), ""))
    text = encoded.dictionary
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(text, '[",\r\n]'), quoted, text).take(
        encoded.indices)


def write_csv(table: pa.Table, path: Path, name: str) -> None:
    """UTF-8, ``\\n`` line ends. Lines are joined in Arrow and written as one
    buffer: a Python string per row would take longer than wres takes to read them."""
    fields = [_csv_text(name, table[c].combine_chunks()) for c in table.column_names]
    lines = pc.binary_join_element_wise(*fields, ",")
    lines = pc.binary_join_element_wise(lines, "\n", "")  # each line ends with "\n"
    lines = lines.cast(pa.large_string())
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:
                                                                 lines.offset + len(lines) + 1]
    body = memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]]
    header = ",".join(_csv_text(name, pa.array(table.column_names)).to_pylist()) + "\n"
    with open(path, "wb") as out:
        out.write(header.encode("utf-8"))
        out.write(body)


def config_text(name: str) -> str:
    """``wres.toml`` for the national folder: no ``organisation`` (the data has
    several; each result row broken down by organisation names its own)."""
    return sample_config_text(
        [f"{name}: synthetic national-size extracts written by benchmarks/generate.py."],
        None, PERIOD_START, PERIOD_END, {extract: _headers(extract) for extract in NATIONAL_ROWS})


def write_size(size: str, scale: float, root: Path = DATA,
               formats: Sequence[str] = ("parquet", "csv")) -> dict[str, Path]:
    """Generate one size and write it in each format; returns format -> folder."""
    started = time.perf_counter()
    frames = national_frames(scale)
    tables = {name: _arrow(frame, name) for name, frame in frames.items()}
    del frames
    folders = {}
    for fmt in formats:
        folder = root / size / fmt
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for name, table in tables.items():
            path = folder / f"{name}.{fmt}"
            if fmt == "parquet":
                pq.write_table(table, path)
            else:
                write_csv(table, path, name)
        (folder / "wres.toml").write_text(config_text(size), encoding="utf-8", newline="\n")
        folders[fmt] = folder
    rows = ", ".join(f"{name} {t.num_rows:,}" for name, t in tables.items())
    print(f"{size}: {rows} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return folders


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, action="append",
                        help="1.0 = national, 0.1 = 10 %% (default: both)")
    parser.add_argument("--out", type=Path, default=DATA, help="root folder (default: %(default)s)")
    args = parser.parse_args(argv)
    wanted = args.scale or list(SIZES.values())
    for scale in wanted:
        size = next((s for s, v in SIZES.items() if v == scale), f"scale-{scale:g}")
        write_size(size, scale, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
