"""wres: Workforce Race Equality Standard indicators from HR extracts.

The library API (docs/library.md): ``compute`` and ``validate``, the ``Results``
and ``ValidationReport`` they return, and the errors they raise. The functions
and result types are imported lazily, so that ``import wres_cli`` (and
``wres --help``) stays fast: pandas is loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wres_cli.errors import ConfigError, InputError, UsageError, WresError

if TYPE_CHECKING:
    from wres_cli.api import Results, ValidationReport, compute, validate

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "InputError",
    "Results",
    "UsageError",
    "ValidationReport",
    "WresError",
    "__version__",
    "compute",
    "validate",
]

_LAZY = ("Results", "ValidationReport", "compute", "validate")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from wres_cli import api

        return getattr(api, name)
    raise AttributeError(f"module 'wres_cli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
