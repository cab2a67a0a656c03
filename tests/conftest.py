"""Shared fixtures: a small, hand-made HR-style data folder and ways to break it, and
the sample council computed once per session (with the default options).

The session's computed sample is shared by every module: tests get a deep copy of
each object (``sample_results``, ``sample_unsuppressed``, ``sample_document``) and
read-only folders (``sample_out``, ``sample_folder_report``), which are checked
unchanged at the end of the session."""

from __future__ import annotations

import copy
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.helpers import (
    EPOCH,
    HR_CONFIG,
    HR_DISCIPLINARY,
    HR_RECRUITMENT,
    HR_WORKFORCE,
    ROLLING_ENDS,
    ROOT,
    SAMPLE,
    compute_sample_document,
    snapshot,
)


@pytest.fixture
def hr_folder(tmp_path: Path) -> Callable[..., Path]:
    """Build the HR-style folder; keyword arguments replace a file's text (None drops it)."""

    def build(**files: str | bytes | None) -> Path:
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        contents: dict[str, str | bytes | None] = {
            "wres.toml": HR_CONFIG,
            "workforce.csv": HR_WORKFORCE,
            "recruitment.csv": HR_RECRUITMENT,
            "disciplinary.csv": HR_DISCIPLINARY,
        }
        contents.update({k.replace("__", "."): v for k, v in files.items()})
        for name, text in contents.items():
            if text is None:
                continue
            path = folder / name
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return folder

    return build


# --------------------------------------------------------------------------- the sample, once


def _shared_folder(factory: pytest.TempPathFactory, name: str,
                   build: Callable[[Path], None]) -> Path:
    """A folder ``name`` filled by ``build(folder)`` once for the whole run: under
    pytest-xdist the first worker to get here builds it, under a lock, and the others
    use what it built (the same path, so the same bytes). Without workers, or without
    ``fcntl`` (not POSIX), it is this process's own folder."""
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if os.environ.get("PYTEST_XDIST_WORKER") is None or fcntl is None:
        folder = factory.mktemp(name)
        build(folder)
        return folder
    root = factory.getbasetemp().parent / "shared"  # the run's temp root, above each worker's
    root.mkdir(exist_ok=True)
    folder, built = root / name, root / f"{name}.built"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not built.exists():
                shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
                folder.mkdir()
                build(folder)
                built.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def _computed_once(factory: pytest.TempPathFactory, name: str,
                   compute: Callable[[], Any]) -> Any:
    """``compute()``, run once for the whole run and read back (pickled) elsewhere."""
    def build(folder: Path) -> None:
        (folder / "value.pickle").write_bytes(pickle.dumps(compute()))

    folder = _shared_folder(factory, name, build)
    return pickle.loads((folder / "value.pickle").read_bytes())


def _compute_sample(**options: Any) -> Any:
    import wres_cli

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return wres_cli.compute(SAMPLE, **options)


@pytest.fixture(scope="session")
def _sample_computed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _computed_once(tmp_path_factory, "sample-computed", _compute_sample)


@pytest.fixture(scope="session")
def _sample_computed_unsuppressed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _computed_once(tmp_path_factory, "sample-unsuppressed",
                          lambda: _compute_sample(suppress=False))


@pytest.fixture(scope="session")
def _sample_document(_sample_computed: Any) -> dict[str, Any]:
    from wres_cli.io.writers import json_text
    from wres_cli.output import results_document

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return json.loads(json_text(results_document(_sample_computed)))


@pytest.fixture(scope="session")
def sample_rolling_results(_sample_document: dict[str, Any],
                           tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Path]]:
    """results.json of the sample for the rolling years to each of ``ROLLING_ENDS``, as
    ``<end>/results.json`` in one read-only folder. The last is the reporting year, whose
    document the default options give (the same bytes)."""
    from wres_cli.io.writers import json_text

    root = tmp_path_factory.mktemp("rolling")
    paths = []
    for end in ROLLING_ENDS:
        document = (_sample_document if end == ROLLING_ENDS[-1] else _computed_once(
            tmp_path_factory, f"rolling-{end}",
            lambda end=end: compute_sample_document(period=(None, end))))
        (root / end).mkdir()
        (root / end / "results.json").write_text(json_text(document), encoding="utf-8")
        paths.append(root / end / "results.json")
    for _ in _read_only(root):
        yield paths


@pytest.fixture
def sample_results(_sample_computed: Any) -> Any:
    """``wres_cli.compute(SAMPLE)`` (SOURCE_DATE_EPOCH = helpers.EPOCH): a copy."""
    return copy.deepcopy(_sample_computed)


@pytest.fixture
def sample_unsuppressed(_sample_computed_unsuppressed: Any) -> Any:
    """``wres_cli.compute(SAMPLE, suppress=False)``: a copy."""
    return copy.deepcopy(_sample_computed_unsuppressed)


@pytest.fixture
def sample_document(_sample_document: dict[str, Any]) -> dict[str, Any]:
    """The sample's results.json document, as read back from the file: a copy."""
    return copy.deepcopy(_sample_document)


def _read_only(folder: Path) -> Iterator[Path]:
    """Hand out ``folder``; at the end of the session it must be as it was."""
    before = snapshot(folder)
    yield folder
    assert snapshot(folder) == before, f"a test changed the shared {folder}"


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``wres compute SAMPLE --format json,csv,parquet,xlsx`` (SOURCE_DATE_EPOCH =
    helpers.EPOCH): a read-only folder."""
    from wres_cli.cli import app

    def build(folder: Path) -> None:
        result = CliRunner().invoke(app, ["compute", str(SAMPLE), "--out", str(folder),
                                          "--format", "json,csv,parquet,xlsx"],
                                    env={"SOURCE_DATE_EPOCH": EPOCH})
        assert result.exit_code == 0, result.stderr

    yield from _read_only(_shared_folder(tmp_path_factory, "sample-out", build))


@pytest.fixture(scope="session")
def sample_with_local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample council with the shipped example local measures switched on
    (examples/local-indicators as its ``[indicators] local``): a read-only folder."""
    def build(root: Path) -> None:
        folder = root / "northmoor"
        shutil.copytree(SAMPLE, folder)
        shutil.copytree(ROOT / "examples" / "local-indicators", folder / "local-indicators")
        with (folder / "wres.toml").open("a", encoding="utf-8") as handle:
            handle.write('\n[indicators]\nlocal = "local-indicators"\n')

    root = _shared_folder(tmp_path_factory, "northmoor-local", build)
    yield from _read_only(root / "northmoor")


@pytest.fixture(scope="session")
def _sample_with_local_unsuppressed(sample_with_local: Path,
                                    tmp_path_factory: pytest.TempPathFactory) -> Any:
    import wres_cli

    return _computed_once(tmp_path_factory, "sample-local-unsuppressed",
                          lambda: wres_cli.compute(sample_with_local, suppress=False))


@pytest.fixture
def sample_with_local_unsuppressed(_sample_with_local_unsuppressed: Any) -> Any:
    """``wres_cli.compute(sample_with_local, suppress=False)``: a copy."""
    return copy.deepcopy(_sample_with_local_unsuppressed)


@pytest.fixture(scope="session")
def sample_folder_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``write_report([SAMPLE])``, the report computed from the data folder
    (SOURCE_DATE_EPOCH = helpers.EPOCH): a read-only folder."""
    from wres_cli.reporting import write_report

    def build(folder: Path) -> None:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
            write_report([SAMPLE], folder)

    yield from _read_only(_shared_folder(tmp_path_factory, "sample-report", build))


#: The costliest test files (seconds of CPU, measured with ``--durations=0``), run first:
#: pytest-xdist hands each worker a whole file as it frees up, so the long files start
#: early and the short ones fill in at the end instead of one long file finishing alone.
COSTLIEST_FIRST = ("test_report", "test_disclosure_audit", "test_local_measures",
                   "test_nhs_trust", "test_outputs", "test_hardening", "test_benchmark",
                   "test_compute", "test_interrupts", "test_pay", "test_trend",
                   "test_properties", "test_disclosure", "test_packaging",
                   "test_report_browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(COSTLIEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))
