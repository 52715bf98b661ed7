"""The drift checkpoint: where the tenant log was read up to, and what the check knew then.

A versioned JSON file, written (atomically) only after a successful check. Besides the last
log event read and when, it keeps what lets the next check place the changes it reads: the
id and name of every organization in Auth0 (log paths name organizations by id), the roles
by id, a digest of each file's desired state (a file that changed is read again), and the
organizations and roles that still differed from Git (they are read again until they match).
"""

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.model.desired import Desired

VERSION = 1


class CheckpointUnusable(Exception):
    """The checkpoint file cannot be used; the message says why."""


@dataclass(frozen=True)
class Digests:
    """A digest of each part of the desired state, to tell which changed since."""

    tenant: str
    roles: dict[str, str] = field(default_factory=dict)
    organizations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Checkpoint:
    """What a drift check leaves for the next one."""

    tenant: str
    target: str
    log_id: str | None
    """The last log event read (None: the log was empty)."""
    read_at: float
    """When the log had been read up to `log_id` (seconds since the epoch)."""
    full_scan_at: float
    """When every organization was last read."""
    organizations: dict[str, str]
    """Organization id -> name, of every organization in Auth0."""
    roles: dict[str, tuple[str, str | None]]
    """Role id -> (name, owner organization's name or None for a tenant role)."""
    digests: Digests
    drifted_organizations: frozenset[str] = frozenset()
    drifted_roles: frozenset[str] = frozenset()
    """Tenant roles that differed from Git."""


def digests_of(desired: Desired) -> Digests:
    """The digests of a desired state: tenant settings, each role, each organization."""
    return Digests(
        tenant=_digest(desired.tenant.model_dump_json()),
        roles={name: _digest(role.model_dump_json()) for name, role in desired.roles.items()},
        organizations={
            name: _digest(org.model_dump_json()) for name, org in desired.organizations.items()
        },
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def read_checkpoint(path: Path) -> Checkpoint:
    """The checkpoint in `path`; CheckpointUnusable when there is none or it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CheckpointUnusable(f"no checkpoint in {path} yet") from None
    except (OSError, ValueError) as error:
        raise CheckpointUnusable(f"{path} cannot be read ({error})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise CheckpointUnusable(f"{path} is not a checkpoint of version {VERSION}")
    try:
        return _parse(data)
    except KeyError as error:
        raise CheckpointUnusable(f"{path} is not a valid checkpoint (no {error})") from None
    except (AttributeError, TypeError, ValueError) as error:
        raise CheckpointUnusable(f"{path} is not a valid checkpoint ({error})") from None


def write_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Write the checkpoint atomically (a temporary file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(json.dumps(_document(checkpoint), indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _document(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "version": VERSION,
        "tenant": checkpoint.tenant,
        "target": checkpoint.target,
        "log": {"id": checkpoint.log_id, "read_at": checkpoint.read_at},
        "full_scan_at": checkpoint.full_scan_at,
        "organizations": dict(sorted(checkpoint.organizations.items())),
        "roles": {
            role_id: {"name": name, "owner": owner}
            for role_id, (name, owner) in sorted(checkpoint.roles.items())
        },
        "files": {
            "tenant": checkpoint.digests.tenant,
            "roles": dict(sorted(checkpoint.digests.roles.items())),
            "organizations": dict(sorted(checkpoint.digests.organizations.items())),
        },
        "drift": {
            "organizations": sorted(checkpoint.drifted_organizations),
            "roles": sorted(checkpoint.drifted_roles),
        },
    }


def _parse(data: dict[str, Any]) -> Checkpoint:
    log, files, drift = data["log"], data["files"], data["drift"]
    return Checkpoint(
        tenant=_text(data["tenant"]),
        target=_text(data["target"]),
        log_id=None if log["id"] is None else _text(log["id"]),
        read_at=float(log["read_at"]),
        full_scan_at=float(data["full_scan_at"]),
        organizations={_text(k): _text(v) for k, v in data["organizations"].items()},
        roles={
            _text(k): (_text(v["name"]), None if v["owner"] is None else _text(v["owner"]))
            for k, v in data["roles"].items()
        },
        digests=Digests(
            tenant=_text(files["tenant"]),
            roles={_text(k): _text(v) for k, v in files["roles"].items()},
            organizations={_text(k): _text(v) for k, v in files["organizations"].items()},
        ),
        drifted_organizations=frozenset(_text(n) for n in drift["organizations"]),
        drifted_roles=frozenset(_text(n) for n in drift["roles"]),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value
