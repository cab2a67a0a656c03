"""The exceptions the library raises. The CLI maps them to exit codes:
``InputError`` -> 1 (the data is invalid), ``ConfigError`` and ``UsageError`` -> 2."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class WresError(Exception):
    """Base class for every error wres raises on purpose."""

    exit_code = 1


class InputError(WresError):
    """The data is invalid or unreadable. ``problems`` lists every problem found
    (columns of ``wres_cli.problems.PROBLEM_COLUMNS``), when there is a table."""

    exit_code = 1

    def __init__(self, message: str, problems: pd.DataFrame | None = None):
        super().__init__(message)
        self.problems = problems


class ConfigError(WresError):
    """``wres.toml`` (or an indicator definition) cannot be read or is invalid."""

    exit_code = 2


class UsageError(WresError):
    """The command or library call was used wrongly (bad option, missing path...)."""

    exit_code = 2


def raise_config_errors(where: str, errors: list[str]) -> None:
    """Raise one ``ConfigError`` listing every problem found in ``where`` (if any)."""
    if len(errors) == 1:
        raise ConfigError(errors[0])
    if errors:
        lines = "\n".join(f"  - {e}" for e in errors)
        raise ConfigError(f"{where} has {len(errors)} problems:\n{lines}")
