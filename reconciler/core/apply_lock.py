"""One apply per tenant and target on a machine: a lock file in one place per user account,
named from the tenant and the target, whichever directory the apply runs in."""

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reconciler.auth0.target import Target, TargetKind
from reconciler.config.layout import SANDBOX_STATE_DIR, sandbox_state_file
from reconciler.config.tenant_id import TenantId
from reconciler.sandbox.file_lock import Busy, exclusive

FOLDER = "auth0-org-reconciler"


class ApplyLocked(Exception):
    """Another apply of the same tenant and target is running."""


class LockFolderUnsafe(Exception):
    """The lock folder is not a private folder of this user."""


def lock_folder() -> Path:
    """Where apply locks live: `$XDG_RUNTIME_DIR/auth0-org-reconciler` when that is set (an
    absolute path), else `auth0-org-reconciler-<uid>` in the system's temporary directory."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_absolute():
        return Path(runtime) / FOLDER
    return Path(tempfile.gettempdir()) / f"{FOLDER}-{os.getuid()}"


def safe_name(text: str) -> str:
    """`text` made safe as part of a file name."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def target_key(target: Target, sandbox_state: Path) -> str:
    """What a target is on this machine: a tenant's or a served sandbox's origin; the embedded
    sandbox is the state file of its directory (each checkout has its own)."""
    if target.kind is not TargetKind.SANDBOX:
        return target.origin
    where = str(sandbox_state.resolve()).encode()
    return f"embedded-sandbox-{hashlib.sha256(where).hexdigest()[:16]}"


@dataclass(frozen=True)
class ApplyLock:
    """The apply lock of one tenant on one target (`key`, see `target_key`); `label` names
    the target in messages."""

    tenant: TenantId
    key: str
    label: str

    @property
    def path(self) -> Path:
        """The lock file: `<tenant>@<target>.lock` in the lock folder."""
        return lock_folder() / f"{safe_name(self.tenant.name)}@{safe_name(self.key)}.lock"

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock while the block runs; refuse at once when another process holds it
        (the lock goes with the process that holds it, also when it is killed)."""
        path = self.path
        _private_folder(path.parent)
        try:
            with exclusive(path):
                yield
        except Busy as busy:
            raise ApplyLocked(
                f"another apply of tenant {self.tenant.name} on {self.label} is running on this "
                f"machine ({busy.holder}, lock {path}); wait for it to finish"
            ) from None


def apply_lock(tenant: TenantId, target: Target, state_dir: Path = SANDBOX_STATE_DIR) -> ApplyLock:
    """The apply lock of a tenant on a target (the embedded sandbox of `state_dir`)."""
    key = target_key(target, sandbox_state_file(state_dir, tenant))
    return ApplyLock(tenant, key, target.label)


def _private_folder(folder: Path) -> None:
    """Make the folder (only this user may use it) or check that it is such a folder, so that
    nobody else can plant a link or hold the lock file."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if (
        not stat.S_ISDIR(info.st_mode)
        or info.st_uid != os.getuid()
        or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    ):
        raise LockFolderUnsafe(
            f"the apply lock folder {folder} is not a folder of this user that only it may "
            "write to (a link, another user's, or writable by others); remove it"
        )
