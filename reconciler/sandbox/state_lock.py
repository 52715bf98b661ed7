"""One process at a time loads, changes and saves a sandbox's state file."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT = 10.0
"""Seconds to wait for another process to finish with the state before giving up."""


class StateBusy(Exception):
    """Another process holds the state file."""


@contextmanager
def state_lock(state_file: Path, wait: float = WAIT) -> Iterator[None]:
    """Hold the lock beside `state_file` (``<name>.lock``) while the block runs."""
    state_file.parent.mkdir(parents=True, exist_ok=True)
    path = state_file.with_name(state_file.name + ".lock")
    deadline = time.monotonic() + wait
    with path.open("a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise StateBusy(
                        f"the sandbox state {state_file} is in use ({holder}); "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
