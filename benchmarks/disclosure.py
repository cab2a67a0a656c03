"""What the small-number rule and its audit cost, beside the rest of ``compute``.

    python benchmarks/disclosure.py                       # the sample council
    python benchmarks/disclosure.py benchmarks/data/national-10pct/parquet ...

For each data folder: ``compute`` without suppression (reading, checking,
counting, measuring), then the disclose stage alone on its rows and data
quality, best of ``--repeat`` runs each, in this process (imports warm). Prints
a Markdown table: the disclose stage's time, as seconds and as a share of the
unsuppressed compute, with the protected counts and withheld rows.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample_data" / "northmoor"


def measure(folder: Path, repeat: int) -> dict[str, object]:
    from wres_cli import api
    from wres_cli.counts import count
    from wres_cli.disclosure import disclose
    from wres_cli.indicator_files import load_indicators

    compute_times, disclose_times = [], []
    outcome: dict[str, object] = {}
    for _ in range(repeat):
        start = time.perf_counter()
        report = api.validate(folder)
        results = api.compute_from_report(report, suppress=False)
        compute_times.append(time.perf_counter() - start)
        indicators = load_indicators(report.standard)
        counted = count(report._prepared.frames, indicators, report.period, report.config)
        quality = api._data_quality(report, counted)
        rows = results.results[results.results["indicator"] != "pay"]
        start = time.perf_counter()
        published = disclose(rows, report.config.suppression_threshold, indicators,
                             data_quality=quality, inputs=report.inputs,
                             public=report.config.suppression_public)
        disclose_times.append(time.perf_counter() - start)
        outcome = {**published.outcome, "rows": len(rows)}
    return {"folder": folder, "compute": min(compute_times),
            "disclose": min(disclose_times), **outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[SAMPLE])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| data | result rows | protected | withheld | compute unsuppressed (s) "
          "| disclose + audit (s) | share |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for folder in args.folders:
        m = measure(folder, args.repeat)
        print(f"| {folder.name if folder != SAMPLE else 'sample'} | {m['rows']:,} "
              f"| {m['protected']:,} | {m['withheld']:,} | {m['compute']:.2f} "
              f"| {m['disclose']:.2f} | {m['disclose'] / m['compute']:.0%} |")


if __name__ == "__main__":
    main()
