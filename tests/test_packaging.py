"""The wheel carries indicators/ and templates/, and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a wheel built and installed

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (built,) = out.glob("wres_cli-*.whl")
    return built


def test_wheel_holds_definitions_and_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped_indicators = sorted(p.relative_to(ROOT).as_posix()
                                for p in (ROOT / "indicators").rglob("*.toml"))
    assert shipped_indicators, "no indicator definitions in the checkout"
    for rel in shipped_indicators:
        assert f"wres_cli/_resources/{rel}" in names
    assert "wres_cli/data/ethnicity_forms.csv" in names
    assert "wres_cli/py.typed" in names  # the library's type hints are for its users too
    assert any(n.startswith("wres_cli/_resources/templates/") for n in names)


def test_installed_wheel_validates_sample_outside_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [sys.executable, "-c",
         "import wres_cli, wres_cli.resources as r; print(wres_cli.__file__); "
         "print(r.resource_dir('indicators'))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    module_file, indicators_dir = probe.stdout.split()
    assert module_file.startswith(str(target))
    assert indicators_dir.startswith(str(target))
    run = subprocess.run(
        [sys.executable, "-m", "wres_cli", "validate", str(ROOT / "sample_data" / "northmoor")],
        cwd=elsewhere, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    report = subprocess.run(
        [sys.executable, "-m", "wres_cli", "report", str(ROOT / "sample_data" / "northmoor"),
         "--out", str(tmp_path / "report")],
        cwd=elsewhere, env=env, capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report" / "report.html").read_text(encoding="utf-8").count("<svg") >= 10
