"""Stopping a run with SIGTERM or SIGHUP at any moment leaves the output folder as
it was or complete: never a temporary file, never a partly committed set
(contracts section 5).

Kill points are chosen, not timed: in this process a signal is raised at chosen
steps of the output folder (while files are staged, while they are moved in); the
installed command is killed from outside at chosen phases (its handlers installed,
its staging folder present)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from typer.testing import CliRunner

from tests.helpers import HR_CONFIG, HR_DISCIPLINARY, HR_RECRUITMENT, HR_WORKFORCE
from wres_cli.cli import app
from wres_cli.interrupts import Interrupted, deferred, handled
from wres_cli.io.writers import OutputFolder

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")

#: The period end of the set already in the output folder (the new one: the config's).
OLD_END = "2025-03-31"
ENV = {"SOURCE_DATE_EPOCH": "1775116800", "NO_COLOR": "1"}
runner = CliRunner()


def _wres(*args: str) -> list[str]:
    return [sys.executable, "-m", "wres_cli", *args]


def _env() -> dict[str, str]:
    return {**os.environ, **ENV}


def _leftovers(folder: Path) -> list[str]:
    """Anything wres stages or names as temporary, anywhere under ``folder``."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if ".staging" in p.name or p.name.endswith(".tmp")
                  or p.name.startswith(".wres-"))


def _tree(folder: Path) -> dict[str, bytes] | None:
    """Every file under ``folder`` and its bytes; None when there is no folder."""
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _set_up(out: Path, tree: dict[str, bytes] | None) -> None:
    """Make ``out`` hold exactly ``tree`` (None: no folder)."""
    if out.exists():
        shutil.rmtree(out)
    for name, data in (tree or {}).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    if tree is not None:
        out.mkdir(exist_ok=True)


def _invoke(args: list[str], kill_at: int | None = None,
            signum: int = signal.SIGTERM) -> tuple[int, list[str]]:
    """Run wres in this process; the steps its output folder took (each file staged,
    each move of a staged or replaced file), and a stop signal raised just before step
    ``kill_at``: a deterministic kill point, where a real kill lands only by chance."""
    steps: list[str] = []

    def step(what: str) -> None:
        if len(steps) == kill_at:
            signal.raise_signal(signum)  # the handler runs here, on the main thread
        steps.append(what)

    write_with, replace = OutputFolder.write_with, os.replace

    def staged_write(folder: OutputFolder, name: str, writer: Any) -> Path:
        step("write " + name)
        return write_with(folder, name, writer)

    def move(source: Any, target: Any) -> None:
        if ".staging" in f"{source} {target}":
            step("move")
        replace(source, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(OutputFolder, "write_with", staged_write)
        patch.setattr(os, "replace", move)
        result = runner.invoke(app, args, env=ENV)
    return result.exit_code, steps


class Case(NamedTuple):
    work: Path
    out: Path
    new: list[str]  # the command's arguments, writing the new set to ``out``
    data: Path
    old: dict[str, bytes]  # the set for another period
    fresh: dict[str, bytes]  # the new set written where there was no folder
    over_old: dict[str, bytes]  # the new set written over the old one
    steps: dict[str, list[str]]  # "fresh" / "over old" -> the steps of the run


@pytest.fixture(scope="module", params=["compute", "report"])
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Case:
    """A command whose stop is tested, writing into ``work/<command>``, and the sets it
    leaves there when not stopped. ``report`` renders results files, which gives the
    bytes ``report DATA`` gives (the killed real runs check it), without computing again."""
    root = tmp_path_factory.mktemp(request.param)
    data = root / "data"
    data.mkdir()
    for name, text in {"wres.toml": HR_CONFIG, "workforce.csv": HR_WORKFORCE,
                       "recruitment.csv": HR_RECRUITMENT,
                       "disciplinary.csv": HR_DISCIPLINARY}.items():
        (data / name).write_text(text, encoding="utf-8")
    work = root / "work"
    work.mkdir()
    out = work / request.param
    if request.param == "compute":
        old = ["compute", str(data), "--out", str(out), "--period-end", OLD_END, "-q"]
        new = ["compute", str(data), "--out", str(out), "-q"]
    else:
        for name, end in (("old", ["--period-end", OLD_END]), ("new", [])):
            code, _ = _invoke(["compute", str(data), "--out", str(root / name), *end, "-q"])
            assert code == 0
        old = ["report", str(root / "old" / "results.json"), "--out", str(out), "-q"]
        new = ["report", str(root / "new" / "results.json"), "--out", str(out), "-q"]
    assert _invoke(old)[0] == 0
    old_tree = _tree(out)
    code, over_old_steps = _invoke(new)
    assert code == 0
    over_old = _tree(out)
    shutil.rmtree(out)
    code, fresh_steps = _invoke(new)
    assert code == 0
    fresh = _tree(out)
    assert old_tree and fresh and over_old and old_tree != fresh
    # Over the old set, a file the new run does not write is left as it was.
    assert set(over_old) == set(old_tree) | set(fresh)
    return Case(work, out, new, data, old_tree, fresh, over_old,
                {"fresh": fresh_steps, "over old": over_old_steps})


def _kill_points(steps: list[str], kind: str) -> list[int]:
    """The first, a middle and the last of the steps of one kind ("write", "move")."""
    where = [i for i, s in enumerate(steps) if s.startswith(kind)]
    assert where, (kind, steps)
    return sorted({where[0], where[len(where) // 2], where[-1]})


@pytest.mark.parametrize("start", ["over old", "fresh"])
def test_a_stop_while_files_are_staged_leaves_the_folder_as_it_was(case: Case,
                                                                  start: str) -> None:
    before = case.old if start == "over old" else None
    for n, kill_at in enumerate(_kill_points(case.steps[start], "write")):
        _set_up(case.out, before)
        signum = (signal.SIGTERM, signal.SIGHUP)[n % 2]
        code, _ = _invoke(case.new, kill_at, signum)
        assert code == 128 + signum, (start, kill_at)
        assert _leftovers(case.work) == [], (start, kill_at)
        assert _tree(case.out) == before, (start, kill_at)


@pytest.mark.parametrize("start", ["over old", "fresh"])
def test_a_stop_while_files_are_moved_in_is_held_until_the_set_is_whole(case: Case,
                                                                       start: str) -> None:
    before, after = (case.old, case.over_old) if start == "over old" else (None, case.fresh)
    for n, kill_at in enumerate(_kill_points(case.steps[start], "move")):
        _set_up(case.out, before)
        signum = (signal.SIGHUP, signal.SIGTERM)[n % 2]
        code, _ = _invoke(case.new, kill_at, signum)
        assert code == 128 + signum, (start, kill_at)  # stopped, once the set was in
        assert _leftovers(case.work) == [], (start, kill_at)
        assert _tree(case.out) == after, (start, kill_at)


def _handlers_installed(pid: int) -> bool:
    """Whether the process catches SIGTERM: wres's handlers are in place (Python's own
    start-up catches only SIGINT). Without /proc, from the staging folder instead."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return False
    mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(mask, 16) >> (signal.SIGTERM - 1) & 1)


def _staging(work: Path) -> bool:
    return any(".staging" in name for name in os.listdir(work))


def _kill_when(command: list[str], ready: Callable[[int], bool], signum: int) -> int:
    """Run the installed command and send it ``signum`` as soon as ``ready(pid)``."""
    process = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline and not ready(process.pid):
        time.sleep(0.0005)
    if process.poll() is None:
        process.send_signal(signum)
    return process.wait(timeout=120)


@pytest.mark.slow
def test_killing_the_real_command_never_leaves_a_temporary_file_or_a_partial_set(
        case: Case) -> None:
    """Real signals from outside, to the command as a scheduler runs it (its reading
    threads alive): once its handlers are in place, and once its staging folder appears."""
    command = _wres(*case.new)
    if command[3] == "report":  # from the data folder: the same bytes, computed first
        command[4] = str(case.data)
    has_proc = Path("/proc/self/status").exists()
    phases = [(case.old, signal.SIGTERM, _handlers_installed if has_proc else
               lambda pid: _staging(case.work)),
              (None, signal.SIGHUP, lambda pid: _staging(case.work))]
    for before, signum, ready in phases:
        after = case.over_old if before else case.fresh
        for _attempt in range(3):  # the rare run that ends before the kill lands: again
            _set_up(case.out, before)
            code = _kill_when(command, ready, signum)
            assert code in (0, 128 + signum), code
            assert _leftovers(case.work) == [], code
            assert _tree(case.out) in (before, after), code  # as it was, or whole
            if code:
                break
        assert code == 128 + signum  # stopped by wres's own handler: its clean-up ran


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
