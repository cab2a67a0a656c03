"""The load stage for data already in memory: ``compute(frames=...)``.

Each DataFrame is read as a file of that extract would be: its column names are
the headers (canonical names, or the headers ``[columns.<extract>]`` maps, matched
ignoring case and spaces), and each column is converted by its kind with the
file readers' own code, so dates, booleans and text are parsed and checked
alike. A frame is named ``<frames:workforce>`` in problems, and its rows are
numbered from 1 as Parquet records are (the frame's own index is not used).

``[files.<extract>]`` hints (path, sheet, encoding, header row, footer) are
about files and do not apply.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wres_cli import problem_rules as rules
from wres_cli.config import Config
from wres_cli.contract import EXTRACTS, Kind, extract_spec
from wres_cli.errors import UsageError
from wres_cli.io.columns import build_frame, map_headers
from wres_cli.io.readers import Extract
from wres_cli.io.source import RawColumns, Source
from wres_cli.problems import Problems


def frame_name(extract: str) -> str:
    """How problems and ``meta.inputs`` name an extract given as a frame."""
    return f"<frames:{extract}>"


class _FrameSource(Source):
    """A DataFrame as a source: its column names are the headers."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.headers = [str(c) for c in frame.columns]

    def read(self, kinds: Mapping[int, Kind | None]) -> tuple[pd.Index, RawColumns]:
        index = pd.RangeIndex(1, len(self.frame) + 1, name="row")
        return index, {i: self.frame.iloc[:, i].set_axis(index) for i in kinds}


def read_frames(frames: Mapping[str, pd.DataFrame],
                config: Config) -> tuple[dict[str, Extract], Problems]:
    """Every frame as an extract, in the contract's order; a missing ``workforce``
    is a problem, as a folder without one is. A key that is not an extract's
    name, or a value that is not a DataFrame, is a usage error."""
    _check_keys(frames)
    problems = Problems()
    extracts = {}
    for name in EXTRACTS:
        if name in frames:
            extracts[name] = _read_frame(name, frames[name], config, problems)
    if "workforce" not in frames:
        problems.file_problem(frame_name("workforce"), rules.MISSING_WORKFORCE,
                              "no workforce frame in frames: an extract of everyone employed "
                              "at any time in the period (leavers included) is required")
    return extracts, problems


def _check_keys(frames: Mapping[str, pd.DataFrame]) -> None:
    import difflib

    for name, frame in frames.items():
        if name not in EXTRACTS:
            close = difflib.get_close_matches(str(name), EXTRACTS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UsageError(f"frames: {name!r} is not an extract (the extracts are "
                             f"{', '.join(EXTRACTS)}){hint}")
        if not isinstance(frame, pd.DataFrame):
            raise UsageError(f"frames[{name!r}] is a {type(frame).__name__}, not a DataFrame")


def _read_frame(name: str, frame: pd.DataFrame, config: Config, problems: Problems) -> Extract:
    spec, file = extract_spec(name, config.extra_columns), frame_name(name)
    source = _FrameSource(frame)
    positions = map_headers(spec, source.headers, config.columns.get(name, {}), file, problems)
    built = build_frame(spec, source, positions, file, problems, name=name)
    if name == "workforce" and len(built) == 0:
        problems.file_problem(file, rules.EMPTY_EXTRACT,
                              f"the {name} frame ({file}) has no data rows")
    return Extract(name=name, path=Path(file), file=file, frame=built, rows_read=len(built),
                   columns_found={c: source.headers[p] for c, p in positions.items()},
                   sha256=content_digest(frame))


def content_digest(frame: pd.DataFrame) -> str:
    """A SHA-256 of the frame's column names and values (pandas' row hashes), as a
    file's digest is of its bytes: the same data gives the same digest."""
    digest = hashlib.sha256("\x1f".join(map(str, frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()
