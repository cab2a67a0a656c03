"""Ctrl-C, SIGTERM and SIGHUP as an exception, and sections they cannot cut.

A scheduled job is stopped with SIGTERM (or SIGHUP when its terminal goes);
Python's default for those is to die on the spot, leaving whatever was being
written half-written. While ``handled()`` is active (the CLI wraps every
command in it) those signals raise ``Interrupted`` instead, so the clean-up
code of ``wres_cli.io.writers.output_folder`` runs; inside ``deferred()`` (the
few steps that must not be cut: creating the staging folder, moving the staged
files into place, removing them) a signal is held until the section ends.

The Python handler always runs on the main thread, whichever thread the
operating system delivered the signal to, so holding it here works with the
reading threads still alive (``pthread_sigmask`` would not: it is per thread).
After the first signal later ones are ignored, so a second SIGTERM cannot cut
the clean-up the first one started.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

#: The signals that stop a run, where the platform has them (no SIGHUP on Windows).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal; ``exit_code`` is the shell's 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum


class _State:
    depth = 0  # how many deferred() sections are open
    pending: int | None = None  # a signal held by a deferred() section
    stopping = False  # Interrupted has been raised once: ignore the rest


_state = _State()


def _handler(signum: int, frame: FrameType | None) -> None:
    if _state.stopping:
        return
    if _state.depth > 0:
        _state.pending = signum
        return
    _state.stopping = True
    raise Interrupted(signum)


@contextmanager
def handled() -> Iterator[None]:
    """Turn the stop signals into ``Interrupted`` for the duration (main thread only;
    elsewhere, as in a library caller's worker thread, nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}
    for signum in STOP_SIGNALS:
        try:
            previous[signum] = signal.signal(signum, _handler)
        except (OSError, ValueError):  # a signal this process may not handle
            continue
    _state.depth, _state.pending, _state.stopping = 0, None, False
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """A section a stop signal cannot cut: one arriving inside is raised at its end."""
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1
        if _state.depth == 0 and _state.pending is not None and not _state.stopping:
            signum, _state.pending = _state.pending, None
            _state.stopping = True
            raise Interrupted(signum)
