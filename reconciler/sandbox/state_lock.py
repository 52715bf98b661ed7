"""One process at a time loads, changes and saves a sandbox's state file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .file_lock import Busy, exclusive

WAIT = 10.0
"""Seconds to wait for another process to finish with the state before giving up."""


class StateBusy(Exception):
    """Another process holds the state file."""


@contextmanager
def state_lock(state_file: Path, wait: float = WAIT) -> Iterator[None]:
    """Hold the lock beside `state_file` (``<name>.lock``) while the block runs."""
    try:
        with exclusive(state_file.with_name(state_file.name + ".lock"), wait):
            yield
    except Busy as busy:
        raise StateBusy(
            f"the sandbox state {state_file} is in use ({busy.holder}); "
            "try again when it has finished"
        ) from None
