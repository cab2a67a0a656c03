# Regenerate the committed sample, from the repository root:
# python -c "from pathlib import Path; from wres_cli.sample import write_sample; write_sample(Path('sample_data/northmoor'))"  # noqa: E501
"""A synthetic council for trying ``wres`` out: "Northmoor Borough Council".

Everything here is invented: no person, name or record is real. The generator is
deterministic (same arguments, same bytes) and vectorised (numpy draws whole
arrays; the only Python loops run over categories such as staff groups, never
over people): 1.5 million staff are generated in a few seconds, and written as
CSV or Parquet in seconds more. xlsx goes cell by cell through openpyxl, so it
is the slow format, and one sheet stops at 1,048,576 rows.

The committed sample ``sample_data/northmoor/`` is regenerated with the command
in the comment at the top of this file (``tests/test_sample.py`` fails when the
committed files differ from what it writes).

Planted patterns, so the indicators have something to find (methodology.md):
appointment from shortlisting for minority ethnic applicants about 0.6 x White;
disciplinary about 1.6 x; CPD about 0.85 x; leaving about 1.17 x; minority
ethnic staff fewer in grades G10 and above; survey harassment and discrimination
higher and equal opportunities lower for minority ethnic respondents; a handful
of fitness-to-practise referrals (the minority count stays under 10, withheld).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from wres_cli.errors import UsageError
from wres_cli.sample.events import (
    _disciplinary,
    _fitness_to_practise,
    _local_survey_answers,
    _pay,
    _programmes,
    _promotions,
    _recruitment,
    _survey,
    _training,
)
from wres_cli.sample.people import (
    FORMATS,
    HEADERS,
    MIN_STAFF,
    SAMPLE_EXTRACTS,
    _day,
    _make_staff,
    _workforce_frame,
    period_start_for,
)
from wres_cli.sample.writing import (
    _WRITERS,
    _arrow_table,
    sample_config,
)

#: The local measures' records come from a random stream of their own (seed, this
#: number), so adding them left every other extract's existing columns as they were.
_LOCAL_STREAM = 11

#: Rows on one Excel sheet, header included.
_EXCEL_MAX_ROWS = 1_048_576


# --------------------------------------------------------------------------- public API

def generate_council(*, staff: int = 4000, seed: int = 2026,
                     period_end: date = date(2026, 3, 31)) -> dict[str, pd.DataFrame]:
    """The sample council's extracts as canonical-column frames (text as
    ``str``, dates as datetime64, flags as bool; survey answers as nullable
    boolean, NA = not answered). ``staff`` is the number of rows in ``workforce``."""
    if staff < MIN_STAFF:
        raise UsageError(f"--staff must be at least {MIN_STAFF} (got {staff})")
    rng = np.random.default_rng(seed)
    ps, pe = _day(period_start_for(period_end)), _day(period_end)
    people = _make_staff(rng, staff, ps, pe)
    frames = {
        "workforce": _workforce_frame(rng, people),
        "recruitment": _recruitment(rng, staff, ps, pe),
        "disciplinary": _disciplinary(rng, people, ps, pe),
        "fitness_to_practise": _fitness_to_practise(rng, people, ps, pe),
        "training": _training(rng, people, ps, pe),
    }
    survey, respondents = _survey(rng, people, ps, pe)
    local = np.random.default_rng([seed, _LOCAL_STREAM])
    frames["survey"] = _local_survey_answers(local, survey, respondents)
    frames["pay"] = _pay(seed, people, ps, pe)
    frames["promotions"] = _promotions(local, people, ps, pe)
    frames["programmes"] = _programmes(local, people, ps, pe)
    return frames


def write_sample(out_dir: Path, *, staff: int = 4000, seed: int = 2026, fmt: str = "csv",
                 period_end: date = date(2026, 3, 31)) -> list[Path]:
    """Write the sample council to ``out_dir`` as ``<extract>.<fmt>`` files with
    HR-system headers, plus a ``wres.toml`` that maps them. Same arguments give
    byte-identical files. Returns the paths written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    _refuse_other_formats(out_dir, fmt)
    frames = generate_council(staff=staff, seed=seed, period_end=period_end)
    if fmt == "xlsx":
        _check_fits_excel(frames)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        path = out_dir / f"{name}.{fmt}"
        _WRITERS[fmt](_arrow_table(frame.rename(columns=HEADERS[name])), path, name)
        written.append(path)
    config = out_dir / "wres.toml"
    config.write_text(sample_config(period_end), encoding="utf-8", newline="\n")
    return [*written, config]


def _check_fits_excel(frames: Mapping[str, pd.DataFrame]) -> None:
    too_long = [name for name, frame in frames.items() if len(frame) >= _EXCEL_MAX_ROWS]
    if too_long:
        raise UsageError(f"{', '.join(too_long)} would not fit on one Excel sheet "
                         f"({_EXCEL_MAX_ROWS:,} rows including the header): use csv or parquet")


def _refuse_other_formats(out_dir: Path, fmt: str) -> None:
    """Writing workforce.csv next to an old workforce.xlsx would leave a folder
    wres rejects (two files for one extract), and deleting a user's file is not
    ours to do: say so instead."""
    if not out_dir.is_dir():
        return
    others = {f".{f}" for f in FORMATS if f != fmt}
    clashes = sorted(p.name for p in out_dir.iterdir()
                     if p.stem.lower() in SAMPLE_EXTRACTS and p.suffix.lower() in others)
    if clashes:
        raise UsageError(f"{out_dir} already holds {', '.join(clashes)}; writing .{fmt} files "
                         "beside them would give two files for one extract. Use an empty "
                         "folder or remove them.")


