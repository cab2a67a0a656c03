"""Stopping a run with SIGTERM or SIGHUP at any moment leaves the output folder as
it was or complete: never a temporary file, never a partly committed set
(contracts section 5)."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from wres_cli.interrupts import Interrupted, deferred, handled

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")

RUNS = 20
#: Of the kills, how many at least must land after wres's handlers are installed (the
#: rest land while Python is still importing: -signal, nothing to clean up). A quarter:
#: on a busy machine start-up is a large part of a short run.
HANDLED_AT_LEAST = RUNS // 4


def _wres(*args: str) -> list[str]:
    return [sys.executable, "-m", "wres_cli", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": "1775116800", "NO_COLOR": "1"}


def _leftovers(folder: Path) -> list[str]:
    """Anything wres stages or names as temporary, anywhere under ``folder``."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if ".staging" in p.name or p.name.endswith(".tmp")
                  or p.name.startswith(".wres-"))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _period_of_compute(out: Path) -> set[str]:
    """The period each output file is for: one value when the set is whole."""
    periods = {json.loads((out / "results.json").read_text())["meta"]["period"]["end"]}
    for name in ("results.csv", "counts.csv"):
        with (out / name).open(newline="", encoding="utf-8") as handle:
            periods |= {row["period_end"] for row in csv.DictReader(handle)}
    return periods


def _kill_at_random(command: list[str], watch: Path, rng: random.Random, runtime: float,
                    signum: int) -> int:
    """Run ``command`` and send it ``signum``: half the time at a random moment of
    the whole run, half the time just after its staging folder appears (the
    window where files are written and moved in)."""
    process = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0, runtime * 1.1))
    else:
        deadline = time.monotonic() + runtime * 3
        while time.monotonic() < deadline and process.poll() is None:
            if any(".staging" in name for name in os.listdir(watch)):
                time.sleep(rng.uniform(0, 0.02))
                break
            time.sleep(0.0005)
    if process.poll() is None:
        process.send_signal(signum)
    return process.wait(timeout=120)


def _restore(out: Path, pristine: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(pristine, out)


def _timed(command: list[str]) -> float:
    start = time.monotonic()
    subprocess.run(command, env=_env(), check=True, capture_output=True)
    return time.monotonic() - start


@pytest.fixture
def data(hr_folder: Callable[..., Path]) -> Path:
    return hr_folder()


def test_killing_compute_never_leaves_a_temporary_file_or_a_partial_set(
        data: Path, tmp_path: Path) -> None:
    rng = random.Random(18)
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    # The folder starts with a whole set for another period: after any kill it holds
    # that set or the new one, each file for one period.
    old = _wres("compute", str(data), "--out", str(out), "--period-end", "2025-03-31", "-q")
    runtime = _timed(old)
    before = _tree(out)
    pristine = tmp_path / "pristine"
    shutil.copytree(out, pristine)
    new = _wres("compute", str(data), "--out", str(out), "-q")
    outcomes, codes = set(), []
    for run in range(RUNS):
        if run % 4 == 3:  # now and then from no output folder at all
            shutil.rmtree(out)
        existed = out.exists()
        signum = signal.SIGHUP if run % 5 == 4 else signal.SIGTERM
        code = _kill_at_random(new, work, rng, runtime, signum)
        codes.append(code)
        # -signum: stopped before wres had started (its handlers not yet installed).
        assert code in (0, 128 + signum, -signum), code
        assert _leftovers(work) == [], (run, code)
        if out.exists():
            periods = _period_of_compute(out)
            assert len(periods) == 1, (run, periods)
            outcomes.add(periods.pop())
        else:
            assert not existed, run
            outcomes.add("none")
        _restore(out, pristine)
        assert _tree(out) == before
    # Runs stopped by wres's own handler (its clean-up ran), not before it started.
    handled = sum(c in (128 + signal.SIGTERM, 128 + signal.SIGHUP) for c in codes)
    assert handled >= HANDLED_AT_LEAST, codes


def test_killing_report_never_leaves_a_temporary_file_or_a_partial_set(
        data: Path, tmp_path: Path) -> None:
    rng = random.Random(1818)
    work = tmp_path / "work"
    work.mkdir()
    out = work / "report"
    old = _wres("report", str(data), "--out", str(out), "--period-end", "2025-03-31", "-q")
    runtime = _timed(old)
    before = _tree(out)
    new = _wres("report", str(data), "--out", str(out), "-q")
    pristine = tmp_path / "pristine"
    shutil.copytree(out, pristine)
    subprocess.run(["rm", "-rf", str(out)], check=True)
    subprocess.run(new, env=_env(), check=True, capture_output=True)
    after = _tree(out)
    assert after != before
    # Over the old set, a chart the new report does not draw is left as it was
    # (files wres does not write are left alone), so the whole new set beside it.
    _restore(out, pristine)
    subprocess.run(new, env=_env(), check=True, capture_output=True)
    after_over_old = _tree(out)
    codes = []
    for run in range(RUNS):
        _restore(out, pristine)
        if run % 4 == 3:
            shutil.rmtree(out)
        existed = out.exists()
        signum = signal.SIGHUP if run % 5 == 4 else signal.SIGTERM
        code = _kill_at_random(new, work, rng, runtime, signum)
        codes.append(code)
        # -signum: stopped before wres had started (its handlers not yet installed).
        assert code in (0, 128 + signum, -signum), code
        assert _leftovers(work) == [], (run, code)
        if out.exists():
            assert _tree(out) in (before, after, after_over_old), run  # a whole set
        else:
            assert not existed, run
    handled = sum(c in (128 + signal.SIGTERM, 128 + signal.SIGHUP) for c in codes)
    assert handled >= HANDLED_AT_LEAST, codes


def test_a_signal_inside_a_deferred_section_is_raised_at_its_end() -> None:
    steps = []
    with handled(), pytest.raises(Interrupted) as info:
        with deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the handler has run by now, and held the signal
            steps.append("section finished")
        steps.append("not reached")
    assert steps == ["section finished"]
    assert info.value.exit_code == 128 + signal.SIGTERM


def test_later_signals_cannot_cut_the_clean_up() -> None:
    cleaned = []
    with handled(), pytest.raises(Interrupted):
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # a second signal during clean-up
            time.sleep(0.05)
            cleaned.append(True)
    assert cleaned == [True]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handlers restored
