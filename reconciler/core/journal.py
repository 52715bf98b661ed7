"""What this machine knows about applies of a tenant: one at a time (a lock), and which files
an interrupted apply was carrying out (so running it again is resuming, not a new change)."""

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class ApplyLocked(Exception):
    """Another apply of the same tenant and target is running."""


@dataclass(frozen=True)
class Journal:
    """Lock and journal files of one tenant and target under `folder` (e.g. `.reconciler`)."""

    folder: Path
    tenant: str
    target: str

    @property
    def _stem(self) -> str:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in self.target)
        return f"{self.tenant}@{safe}"

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the tenant's apply lock; refuse at once when another process holds it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self._stem}.lock"
        with path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise ApplyLocked(
                    f"another apply of tenant {self.tenant} on {self.target} is running "
                    f"({holder}); wait for it to finish"
                ) from None
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

    @property
    def _record(self) -> Path:
        return self.folder / f"{self._stem}.apply.json"

    def begin(self, files: str) -> None:
        """Note that an apply of these files started."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._record.write_text(json.dumps({"files": files}), encoding="utf-8")

    def finish(self) -> None:
        """The apply converged: nothing to resume."""
        self._record.unlink(missing_ok=True)

    def resuming(self, files: str) -> bool:
        """True when an apply of exactly these files started here and did not converge."""
        try:
            record = json.loads(self._record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(record, dict) and record.get("files") == files
