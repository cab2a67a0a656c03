"""Shared fixtures: a small, hand-made HR-style data folder and ways to break it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import HR_CONFIG, HR_DISCIPLINARY, HR_RECRUITMENT, HR_WORKFORCE


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
