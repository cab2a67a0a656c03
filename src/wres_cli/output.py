"""Turning a ``Results`` into the files of contracts §3 and the on-screen summary."""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wres_cli.io.writers import (
    frame_records,
    frame_to_csv_text,
    output_folder,
    write_json,
    write_table,
)
from wres_cli.problems import is_missing

if TYPE_CHECKING:
    from rich.table import Table

    from wres_cli.api import Results
    from wres_cli.documents import ResultsDocument


def results_document(results: Results) -> ResultsDocument:
    return {
        "meta": results.meta,
        "data_quality": results.data_quality,
        "results": frame_records(results.results),
    }


def write_results(results: Results, out: Path, formats: Sequence[str],
                  inputs: Iterable[Path] = ()) -> list[Path]:
    """results.json and counts.csv always; results.csv/parquet/xlsx as asked.
    ``inputs``: the files read, which are never overwritten."""
    written = []
    with output_folder(out, inputs) as folder:
        written.append(write_json(folder, "results.json", results_document(results)))
        for fmt in ("csv", "parquet", "xlsx"):
            if fmt in formats:
                written.append(write_table(folder, "results", results.results, fmt))
        written.append(folder.write_text("counts.csv", frame_to_csv_text(results.counts)))
    return written


def headline_table(results: Results) -> Table:
    """Overall minority-vs-White (or White-vs-minority) ratios and differences."""
    from rich.table import Table

    from wres_cli.tables import overall_comparisons

    overall = overall_comparisons(results.results)
    labels = results.meta.get("labels", {})
    table = Table(title=f"{results.meta.get('organisation') or 'Results'}: "
                        f"{results.meta['period']['start']} to {results.meta['period']['end']}",
                  title_justify="left")
    for column in ("indicator", "comparison", "value", "95% CI", "assessment"):
        table.add_column(column)
    for row in overall.itertuples(index=False):
        focal = labels.get(row.group, row.group)
        reference = labels.get(row.reference, row.reference)
        what = " (median pay gap)" if row.measure == "pay_gap_median" else ""
        table.add_row(str(row.indicator), f"{focal} vs {reference}{what}",
                      _number(row.value, row.measure, bool(row.suppressed)),
                      _interval(row.ci_low, row.ci_high),
                      "" if is_missing(row.assessment) else str(row.assessment))
    return table


def withheld_headlines(results: Results) -> list[str]:
    """The indicators whose headline comparison is withheld, in result order."""
    from wres_cli.tables import overall_comparisons

    overall = overall_comparisons(results.results)
    withheld = overall[overall["suppressed"].astype(bool)]
    return list(dict.fromkeys(str(i) for i in withheld["indicator"]))


def _number(value: Any, measure: str, suppressed: bool) -> str:
    # A withheld ratio is not "<10": the count behind it is small, not the ratio.
    if suppressed:
        return "withheld"
    if is_missing(value):
        return "not calculable"
    if measure == "pay_gap_median":  # positive: paid less than White staff
        return f"{value * 100:.1f}%"
    if measure == "difference":
        return f"{value * 100:+.1f} pts"
    return f"{value:.2f}"


def _interval(low: Any, high: Any) -> str:
    if is_missing(low) or is_missing(high):
        return ""
    return f"{low:.2f} to {high:.2f}"


def write_sample_folder(out: Path, *, staff: int, seed: int, fmt: str) -> list[Path]:
    """Generate in a scratch folder, then move into ``out`` atomically."""
    from wres_cli.sample import write_sample

    with tempfile.TemporaryDirectory(prefix="wres-sample-") as scratch:
        paths = write_sample(Path(scratch), staff=staff, seed=seed, fmt=fmt)
        with output_folder(out) as folder:
            return [folder.write_with(p.name, functools.partial(_copy_to, p)) for p in paths]


def _copy_to(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def refuse_data_folder(out: Path) -> None:
    """``wres sample --out`` without ``--force``: a folder that already holds extracts
    or a ``wres.toml`` may be real data, so it is refused, as ``wres init`` refuses."""
    from wres_cli.config import CONFIG_NAME
    from wres_cli.contract import EXTRACTS, FILE_SUFFIXES
    from wres_cli.errors import UsageError

    if not out.is_dir():
        return
    taken = sorted(p.name for p in out.iterdir()
                   if p.name.casefold() == CONFIG_NAME
                   or (p.stem.casefold() in EXTRACTS and p.suffix.casefold() in FILE_SUFFIXES))
    if taken:
        raise UsageError(f"--out {out} already holds {', '.join(taken)}: not overwriting what "
                         "may be real data (use --force to replace them)")
