"""Time ``wres`` at national scale beside a bare pyarrow read of the same files.

    python benchmarks/generate.py          # once: writes benchmarks/data/ (about 1 GB)
    python benchmarks/run.py               # both sizes, Parquet and CSV
    python benchmarks/run.py --sizes national --formats parquet --repeat 3

Every command runs as a fresh process (the ``wres`` console script beside this
Python), so a figure includes start-up and imports, as a user sees it. Wall
time is ``time.perf_counter`` around the process; peak memory is that child's
own ``ru_maxrss`` from ``os.wait4``. The floor is a process that imports
pyarrow and reads every extract (``pyarrow.parquet.read_table``, or
``pyarrow.csv.read_csv`` with its default, multi-threaded options); its own
read time, without start-up, is shown too. With ``--repeat N`` the commands
run in N rounds (floor, validate, compute, report, floor again; then again), and
each figure is the fastest of its runs with the highest peak memory of them:
the usual way to take noise out of a wall time; rounds keep a drifting machine
from favouring one command over another, and the floor's extra runs make the
ratios conservative.

Not part of the pytest run: it needs the generated data and minutes of time.
Prints a Markdown table (pasted into docs/performance.md) and the verdict on
each target of issue 6; ``--json FILE`` keeps the raw figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SIZES = ("national-10pct", "national")
FORMATS = ("parquet", "csv")
WRES = Path(sys.executable).with_name("wres")

#: Targets of issue 6.
COMPUTE_VS_FLOOR = 8.0
PEAK_MB = 3 * 1024
REPORT_SECONDS = 10.0
STARTUP_SECONDS = 0.3
GROWTH = 12.0  # 10x the data, at most 12x the time

_FLOOR = r"""
import sys, time
from pathlib import Path
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

folder, fmt = Path(sys.argv[1]), sys.argv[2]
started = time.perf_counter()
rows = 0
for path in sorted(folder.glob(f"*.{fmt}")):
    table = pq.read_table(path) if fmt == "parquet" else pacsv.read_csv(path)
    rows += table.num_rows
print(time.perf_counter() - started, rows)
"""


@dataclass
class Run:
    size: str
    fmt: str
    command: str
    seconds: float
    peak_mb: float
    exit_code: int
    inner_seconds: float | None = None  # the floor's own read time, start-up excluded
    note: str = ""


@dataclass
class Figures:
    machine: dict[str, str] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def get(self, size: str, fmt: str, command: str) -> Run | None:
        return next((r for r in self.runs
                     if (r.size, r.fmt, r.command) == (size, fmt, command)), None)


# --------------------------------------------------------------------------- running


def timed(argv: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[float, float, int,
                                                                             str]:
    """(wall seconds, peak RSS in MB, exit code, stdout) of one fresh process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env)
        # wait4 rather than Popen.wait: it gives this child's own resource usage,
        # where RUSAGE_CHILDREN would be the maximum over every child so far.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if child.returncode:
            sys.stderr.write(err.read().decode("utf-8", "replace")[-2000:])
    return seconds, usage.ru_maxrss / 1024, child.returncode, stdout


def once(argv: Sequence[str], size: str, fmt: str, command: str,
         env: dict[str, str] | None = None) -> Run:
    seconds, peak, code, stdout = timed(argv, env=env)
    inner = float(stdout.split()[0]) if command == "pyarrow read" and not code else None
    return Run(size, fmt, command, seconds, peak, code, inner)


def best(runs: list[Run]) -> Run:
    """The fastest run, with the highest peak memory of them all."""
    fastest = min(runs, key=lambda r: r.seconds)
    fastest.peak_mb = max(r.peak_mb for r in runs)  # memory: the worst, not the best
    if fastest.inner_seconds is not None:
        fastest.inner_seconds = min(r.inner_seconds or fastest.inner_seconds for r in runs)
    status = "" if fastest.exit_code == 0 else f" EXIT {fastest.exit_code}"
    print(f"  {fastest.size:15} {fastest.fmt:8} {fastest.command:16} {fastest.seconds:7.2f} s "
          f"{fastest.peak_mb:8.0f} MB{status}  (of {', '.join(f'{r.seconds:.2f}' for r in runs)})",
          file=sys.stderr)
    return fastest


def report_available() -> str | None:
    """None when ``wres report`` can run, else why not."""
    if importlib.util.find_spec("wres_cli.report") is None:
        return "wres_cli.report is not there yet (the report is being built)"
    _, _, code, _ = timed([str(WRES), "report", "--help"])
    return None if code == 0 else f"`wres report --help` exited {code}"


def measure(sizes: Sequence[str], formats: Sequence[str], repeat: int,
            keep: Path | None) -> Figures:
    figures = Figures(machine=machine())
    env = dict(os.environ, SOURCE_DATE_EPOCH="1775433600", COLUMNS="120")
    for command in ("--help", "--version"):
        figures.runs.append(best([once([str(WRES), command], "-", "-", f"wres {command}", env)
                                  for _ in range(max(repeat, 5))]))
    missing_report = report_available()
    if missing_report:
        figures.notes.append(f"wres report not timed: {missing_report}.")
    scratch = Path(tempfile.mkdtemp(prefix="wres-bench-"))
    try:
        for size in sizes:
            for fmt in formats:
                folder = DATA / size / fmt
                if not (folder / f"workforce.{fmt}").exists():
                    figures.notes.append(f"{folder} missing: run benchmarks/generate.py first.")
                    continue
                out = scratch / size / fmt
                report_out = scratch / size / "report"
                steps = [
                    ("pyarrow read", [sys.executable, "-c", _FLOOR, str(folder), fmt], fmt),
                    ("wres validate", [str(WRES), "validate", str(folder), "-q"], fmt),
                    ("wres compute", [str(WRES), "compute", str(folder), "--out", str(out),
                                      "-q"], fmt),
                ]
                if missing_report is None and fmt == formats[0]:
                    steps.append(("wres report", [str(WRES), "report", str(out / "results.json"),
                                                  "--out", str(report_out), "-q"], "results"))
                # Round after round rather than one command's repeats in a row: the
                # machine's speed drifts, and each ratio compares runs made under
                # the same conditions. The floor runs at both ends of each round:
                # twice the samples of its best time, so the ratios err against wres.
                runs: dict[str, list[Run]] = {command: [] for command, _, _ in steps}
                for _ in range(repeat):
                    for command, argv, label in [*steps, steps[0]]:
                        runs[command].append(once(argv, size, label, command, env))
                figures.runs += [best(found) for found in runs.values()]
                if keep is not None and (out / "results.json").exists():
                    target = keep / size / fmt
                    target.mkdir(parents=True, exist_ok=True)
                    for path in out.iterdir():
                        shutil.copy2(path, target / path.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return figures


def machine() -> dict[str, str]:
    # Versions from the installed metadata, not by importing: everything this
    # process holds in memory counts towards a child's ru_maxrss (a forked child
    # starts as a copy of it), so the parent stays small.
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        ram = f"{int(memory) / 1024**2:.0f} GB"
    except (OSError, StopIteration):
        ram = "?"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram,
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(),
            **{name: version(name) for name in ("pandas", "numpy", "pyarrow", "pandera")}}


# --------------------------------------------------------------------------- reporting


def table(figures: Figures) -> str:
    """The Markdown table: each run, its ratio to the floor and its growth from 10 %."""
    lines = ["| size | format | command | wall (s) | peak memory (MB) | x floor process "
             "| x floor read | x time at 10 % |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in figures.runs:
        floor = figures.get(r.size, r.fmt, "pyarrow read")
        vs_process = vs_read = growth = ""
        if floor is not None and r.command.startswith("wres"):
            vs_process = f"{r.seconds / floor.seconds:.1f}"
            if floor.inner_seconds:
                vs_read = f"{r.seconds / floor.inner_seconds:.1f}"
        elif r.command == "pyarrow read" and r.inner_seconds is not None:
            vs_read = f"(read {r.inner_seconds:.2f} s)"
        if r.size == "national":
            small = figures.get("national-10pct", r.fmt, r.command)
            if small is not None:
                growth = f"{r.seconds / small.seconds:.1f}"
        status = "" if r.exit_code == 0 else f" (exit {r.exit_code})"
        lines.append(f"| {r.size} | {r.fmt} | {r.command}{status} | {r.seconds:.2f} | "
                     f"{r.peak_mb:,.0f} | {vs_process} | {vs_read} | {growth} |")
    return "\n".join(lines)


def verdicts(figures: Figures) -> list[str]:
    out = []

    def check(ok: bool, text: str) -> None:
        out.append(f"{'PASS' if ok else 'FAIL'}  {text}")

    for fmt in FORMATS:
        compute = figures.get("national", fmt, "wres compute")
        floor = figures.get("national", fmt, "pyarrow read")
        if compute and floor:
            ratio = compute.seconds / floor.seconds
            inner = compute.seconds / floor.inner_seconds if floor.inner_seconds else ratio
            check(ratio <= COMPUTE_VS_FLOOR and compute.exit_code == 0,
                  f"compute national {fmt}: {compute.seconds:.2f} s = {ratio:.1f}x the pyarrow "
                  f"read process ({inner:.1f}x its read alone); target <= {COMPUTE_VS_FLOOR:g}x")
            if fmt == "parquet":
                check(compute.peak_mb < PEAK_MB,
                      f"compute national parquet peak memory {compute.peak_mb:,.0f} MB; "
                      f"target < {PEAK_MB:,} MB")
        for command in ("wres validate", "wres compute"):
            big = figures.get("national", fmt, command)
            small = figures.get("national-10pct", fmt, command)
            if big and small:
                growth = big.seconds / small.seconds
                check(growth <= GROWTH, f"{command} {fmt}: 10x the data took {growth:.1f}x the "
                      f"time; target <= {GROWTH:g}x")
    report = figures.get("national", "results", "wres report")
    if report:
        check(report.seconds < REPORT_SECONDS and report.exit_code == 0,
              f"report from national results: {report.seconds:.2f} s; "
              f"target < {REPORT_SECONDS:g} s")
    for command in ("wres --help", "wres --version"):
        r = figures.get("-", "-", command)
        if r:
            check(r.seconds < STARTUP_SECONDS, f"{command}: {r.seconds:.3f} s; target < "
                  f"{STARTUP_SECONDS} s")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=SIZES)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs (default 1)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--keep", type=Path, help="copy each compute's outputs here")
    args = parser.parse_args(argv)
    if not WRES.exists():
        parser.error(f"no wres console script at {WRES}: install the package first")
    figures = measure(args.sizes, args.formats, args.repeat, args.keep)
    print("\n".join(f"- {k}: {v}" for k, v in figures.machine.items()))
    print()
    print(table(figures))
    print()
    for line in [*verdicts(figures), *figures.notes]:
        print(line)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": figures.machine, "notes": figures.notes,
                                         "runs": [asdict(r) for r in figures.runs]}, indent=2))
    failed = any(line.startswith("FAIL") for line in verdicts(figures))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
