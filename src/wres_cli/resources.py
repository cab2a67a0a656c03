"""Where the shipped indicator definitions and report templates live.

In a wheel they are packaged under ``wres_cli/_resources``; in a checkout (or an
editable install) they are the top-level ``indicators/`` and ``templates/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    packaged = _PACKAGE / "_resources" / name
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"wres cannot find its {name}/ folder (looked in {packaged} and {checkout})")


def data_file(name: str) -> Path:
    """A data file shipped inside the package (``wres_cli/data``)."""
    return _PACKAGE / "data" / name
