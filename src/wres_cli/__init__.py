"""wres: Workforce Race Equality Standard indicators from HR extracts.

The library API is ``compute`` and ``validate``; both are imported lazily so
that ``import wres_cli`` (and ``wres --help``) stays fast.
"""

from __future__ import annotations

from typing import Any

from wres_cli.errors import ConfigError, InputError, UsageError, WresError

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "InputError",
    "UsageError",
    "WresError",
    "__version__",
    "compute",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in ("compute", "validate"):
        from wres_cli import api

        return getattr(api, name)
    raise AttributeError(f"module 'wres_cli' has no attribute {name!r}")
