"""What this machine knows about applies of a tenant: one at a time (a lock), and which files
an interrupted apply was carrying out (so running it again is resuming, not a new change)."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reconciler.sandbox.file_lock import Busy, exclusive


class ApplyLocked(Exception):
    """Another apply of the same tenant and target is running."""


def file_stem(tenant: str, target: str) -> str:
    """`tenant@target` with the target made safe as part of a file name."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in target)
    return f"{tenant}@{safe}"


@dataclass(frozen=True)
class Journal:
    """Lock and journal files of one tenant and target under `folder` (e.g. `.reconciler`)."""

    folder: Path
    tenant: str
    target: str

    @property
    def _stem(self) -> str:
        return file_stem(self.tenant, self.target)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the tenant's apply lock; refuse at once when another process holds it."""
        try:
            with exclusive(self.folder / f"{self._stem}.lock"):
                yield
        except Busy as busy:
            raise ApplyLocked(
                f"another apply of tenant {self.tenant} on {self.target} is running "
                f"({busy.holder}); wait for it to finish"
            ) from None

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
