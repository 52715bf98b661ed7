"""The record of an apply that started and has not converged: which files it carried out and
which objects its plan, approved by the safety rails, changes. Running those files again is
then finishing that change, not a new one.

The record is a small JSON file (`.reconciler/<tenant>@<target>.apply.json`, or where
`apply --journal` says, e.g. a folder that CI keeps between runs). It names objects by
digests, never by name or email.
"""

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from reconciler.config.tenant_id import TenantId
from reconciler.core.apply_lock import safe_name
from reconciler.engine.plan import Action, Plan, Row

VERSION = 1


def file_stem(tenant: TenantId, target: str) -> str:
    """`tenant@target` with the target made safe as part of a file name."""
    return f"{tenant.name}@{safe_name(target)}"


def changed_objects(plan: Plan) -> frozenset[str]:
    """A digest of each object the plan creates, changes or deletes (its organization, kind
    and name), whatever it does to it: a member created by the first apply is changed by the
    one that finishes it."""
    return frozenset(_object(row) for row in plan.rows if row.action is not Action.KEEP)


def _object(row: Row) -> str:
    text = "\0".join((row.org or "", row.kind, row.name))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Journal:
    """The record file of one tenant and target."""

    path: Path
    tenant: TenantId
    target: str

    @classmethod
    def in_folder(cls, folder: Path, tenant: TenantId, target: str) -> "Journal":
        """The record `<tenant>@<target>.apply.json` in `folder`."""
        return cls(folder / f"{file_stem(tenant, target)}.apply.json", tenant, target)

    def begin(self, files: str, plan: Plan) -> None:
        """Note that an apply of these files started with this (approved) plan; written
        whole or not at all, so a kill leaves the old record or the new one."""
        record = {
            "version": VERSION,
            "tenant": self.tenant.name,
            "target": self.target,
            "files": files,
            "objects": sorted(changed_objects(plan)),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        partial.write_text(json.dumps(record), encoding="utf-8")
        partial.replace(self.path)

    def finish(self) -> None:
        """The apply converged: nothing to resume."""
        self.path.unlink(missing_ok=True)

    def resuming(self, files: str, plan: Plan) -> bool:
        """True when an apply of exactly these files, on this tenant and target, started and
        did not converge, and `plan` changes only objects that its plan changed."""
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return False
        if not isinstance(record, dict) or not isinstance(record.get("objects"), list):
            return False
        expected = (VERSION, self.tenant.name, self.target, files)
        if tuple(record.get(k) for k in ("version", "tenant", "target", "files")) != expected:
            return False
        return changed_objects(plan) <= {o for o in record["objects"] if isinstance(o, str)}
