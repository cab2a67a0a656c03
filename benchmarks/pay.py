"""What the ethnicity pay gap adds to ``wres compute`` for 1.5 million staff (issue 17:
at most 1 s).

    python benchmarks/pay.py                    # stages in-process, then end to end
    python benchmarks/pay.py --staff 150000     # a smaller run
    python benchmarks/pay.py --stages-only

Writes a synthetic national folder to a temporary directory: ``workforce.csv``
(the required columns, 13 grades, the sample's ethnic mix) and ``pay.csv``
(pay points, so ties; 6 % with a bonus; 2 % on reduced pay). Then:

* **stages**: the pay code itself, in this process, on frames as ``compute``
  prepares them: parsing the amounts (``numbers.parse_amounts``), choosing the
  people (``pay.pay_people``), every figure (``pay.pay_rows``) and withholding
  (``pay.withhold``). Fastest of ``--repeat`` runs.
* **end to end**: ``wres compute`` as a fresh process on the folder with and
  without ``pay.csv``, taking turns (the difference is what pay adds: reading,
  checking and linking the pay file besides the figures). Fastest of
  ``--repeat`` rounds each. The folder has no event extracts, so linking staff
  ids is counted against pay here; in a full national folder it is shared.

Everything is seeded; not part of the pytest run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

WRES = Path(sys.executable).with_name("wres")
GRADES = [f"G{i}" for i in range(1, 13)] + ["Director"]
ETHNICITY = ["White British", "Indian", "African", "White and Asian", "Arab", "Not stated"]
SHARES = [0.78, 0.08, 0.07, 0.025, 0.02, 0.025]


def write_folder(folder: Path, staff: int, seed: int = 17) -> None:
    rng = np.random.default_rng(seed)
    grade = np.minimum(rng.geometric(0.22, staff) - 1, len(GRADES) - 1)
    group = rng.choice(len(ETHNICITY), size=staff, p=SHARES)
    start_year = rng.integers(1990, 2026, staff)
    left = rng.random(staff) < 0.1
    ids = np.char.add("EMP-", np.char.zfill(np.arange(1, staff + 1).astype(str), 7))
    workforce = pd.DataFrame({
        "staff_id": ids,
        "ethnicity": np.array(ETHNICITY)[group],
        "grade": np.array(GRADES)[grade],
        "start_date": np.char.add(start_year.astype(str), "-04-01"),
        "end_date": np.where(left, "2025-12-31", ""),
    })
    workforce.to_csv(folder / "workforce.csv", index=False)
    point = np.minimum((2026 - start_year) // 2, 3)
    hourly = np.round(12.21 * 1.08 ** grade * 1.025 ** point, 2)
    bonus = np.where(rng.random(staff) < 0.06, rng.choice([250, 500, 1000], staff), 0)
    pay = pd.DataFrame({
        "staff_id": ids,
        "hourly_pay": [f"{v:.2f}" for v in hourly],
        "bonus_pay": np.where(bonus > 0, bonus.astype(str), ""),
        "full_pay": np.where(rng.random(staff) < 0.02, "N", "Y"),
    })
    pay.to_csv(folder / "pay.csv", index=False)
    (folder / "wres.toml").write_text(
        "[period]\nstart = 2025-04-01\nend = 2026-03-31\n[grades]\norder = ["
        + ", ".join(f'"{g}"' for g in GRADES) + "]\n", encoding="utf-8")


def stages(folder: Path, repeat: int) -> dict[str, float]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    import wres_cli.stats  # noqa: F401  (compute has imported it, with scipy, by now)
    from wres_cli.ethnicity import classify
    from wres_cli.numbers import parse_amounts
    from wres_cli.pay import pay_people, pay_rows, withhold

    text = pa.dictionary(pa.int32(), pa.string())
    raw = pacsv.read_csv(folder / "pay.csv", convert_options=pacsv.ConvertOptions(
        column_types={"staff_id": pa.large_string(), "hourly_pay": text, "bonus_pay": text,
                      "full_pay": text})).to_pandas()
    wf = pd.read_csv(folder / "workforce.csv", dtype=str, keep_default_na=False)
    ids = pd.CategoricalDtype(pd.Index(wf["staff_id"]))
    workforce = pd.DataFrame({
        "staff_id": pd.Categorical(wf["staff_id"], dtype=ids),
        "ethnic_group": classify(wf["ethnicity"].astype("category")).group,
        "grade": wf["grade"].astype("category"),
        "start_date": pd.to_datetime(wf["start_date"]),
        "end_date": pd.to_datetime(wf["end_date"].replace("", None)),
    })
    timings: dict[str, float] = {}

    def best(name: str, work):  # type: ignore[no-untyped-def]
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            out = work()
            times.append(time.perf_counter() - started)
        timings[name] = min(times)
        return out

    hourly = best("parse hourly_pay", lambda: parse_amounts(raw["hourly_pay"])[0])
    bonus = best("parse bonus_pay", lambda: parse_amounts(raw["bonus_pay"])[0])
    pay = pd.DataFrame({"staff_id": pd.Categorical(raw["staff_id"], dtype=ids),
                        "hourly_pay": hourly, "bonus_pay": bonus,
                        "full_pay": raw["full_pay"].astype(str) == "Y"})
    people = best("choose the people", lambda: pay_people(
        workforce, pay, date(2026, 3, 31), ("grade",), GRADES))
    rows = best("every figure", lambda: pay_rows(
        people, indicator="pay", organisation="X", period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31), standard="social-care"))
    best("withholding", lambda: withhold(rows, 10))
    timings["total"] = sum(timings.values())
    return timings


def end_to_end(folder: Path, repeat: int) -> dict[str, float]:
    """Fastest of ``repeat`` rounds each, with and without pay.csv taking turns so
    that a drifting machine favours neither."""
    def once(out: Path) -> float:
        started = time.perf_counter()
        subprocess.run([str(WRES), "compute", str(folder), "--out", str(out), "-q"],
                       check=True)
        return time.perf_counter() - started

    with_pay, without = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(repeat):
            with_pay.append(once(Path(scratch) / "a"))
            (folder / "pay.csv").rename(folder / "pay.csv.off")
            try:
                without.append(once(Path(scratch) / "b"))
            finally:
                (folder / "pay.csv.off").rename(folder / "pay.csv")
    return {"compute with pay.csv": min(with_pay), "compute without": min(without),
            "pay adds": min(with_pay) - min(without)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=1_500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stages-only", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        write_folder(folder, args.staff)
        print(f"wrote {args.staff:,} staff in {time.perf_counter() - started:.1f} s")
        print("| stage | seconds |\n|---|---:|")
        for name, seconds in stages(folder, args.repeat).items():
            print(f"| {name} | {seconds:.3f} |")
        if not args.stages_only:
            print("| end to end | seconds |\n|---|---:|")
            for name, seconds in end_to_end(folder, args.repeat).items():
                print(f"| {name} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
