"""The drift checkpoint: where the tenant log was read up to, and what the check knew then.

A versioned JSON file, written (atomically) only after a successful check. Besides the tenant
and target it was made for, the last log event read and when, it keeps what lets the next
check place the changes it reads: the id and name of every organization in Auth0 (log paths
name organizations by id), the roles by id, a digest of each file's desired state (a file that
changed is read again), and the organizations and roles that still differed from Git (they
are read again until they match), and the live state the check ended with (`live_state`:
the snapshot a plan can be made from, None when the check did not hold one whole).

It is sealed with a checksum: the SHA-256 of its content as canonical JSON (sorted keys, no
spaces), so that an edit by hand or a damaged file is told from a checkpoint as it was
written. Without a secret this is no signature: whoever can write the file can compute it.
It is read strictly: numbers finite, the last full read not after the log read.
"""

import hashlib
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from reconciler.drift.live_state import live_document, live_from
from reconciler.model.desired import Desired
from reconciler.model.live import Snapshot

VERSION = 3
CHECKSUM = "checksum"
"""The key of the seal, which covers every other key."""


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
    live: Snapshot | None = None
    """Everything the files manage as it was at `log_id` (None: not kept)."""


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
    """The checkpoint in `path`; CheckpointUnusable when there is none, when it is not one of
    this version, or when it is not as it was written (its checksum)."""
    try:
        data = json.loads(
            path.read_text(encoding="utf-8"), parse_constant=_refused, parse_float=_finite
        )
    except FileNotFoundError:
        raise CheckpointUnusable(f"no checkpoint in {path} yet") from None
    except RecursionError:
        raise CheckpointUnusable(f"{path} cannot be read (JSON nested too deeply)") from None
    except (OSError, ValueError) as error:
        raise CheckpointUnusable(f"{path} cannot be read ({error})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise CheckpointUnusable(f"{path} is not a checkpoint of version {VERSION}")
    sealed = data.pop(CHECKSUM, None)
    try:
        intact = sealed == checksum(data)
    except (RecursionError, ValueError):
        intact = False
    if not intact:
        raise CheckpointUnusable(
            f"{path} is not as it was written (its checksum does not match its content)"
        )
    try:
        return _parse(data)
    except KeyError as error:
        raise CheckpointUnusable(f"{path} is not a valid checkpoint (no {error})") from None
    except (AttributeError, TypeError, ValueError) as error:
        raise CheckpointUnusable(f"{path} is not a valid checkpoint ({error})") from None


def write_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Write the checkpoint, sealed, atomically (a temporary file, then a rename)."""
    document = _document(checkpoint)
    document[CHECKSUM] = checksum(document)
    text = json.dumps(document, indent=1, allow_nan=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def checksum(document: Mapping[str, Any]) -> str:
    """The seal of a checkpoint's document: `sha256:` and the digest of its canonical JSON."""
    canonical = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )
    return f"sha256:{_digest(canonical)}"


def _refused(constant: str) -> NoReturn:
    raise ValueError(f"{constant} is not a finite number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is not a finite number")
    return number


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
        "live": None if checkpoint.live is None else live_document(checkpoint.live),
    }


def _parse(data: dict[str, Any]) -> Checkpoint:
    log, files, drift = _object(data["log"]), _object(data["files"]), _object(data["drift"])
    read_at, full_scan_at = _time(log["read_at"]), _time(data["full_scan_at"])
    if full_scan_at > read_at:
        raise ValueError("the last full read is dated after the log read")
    return Checkpoint(
        tenant=_text(data["tenant"]),
        target=_text(data["target"]),
        log_id=None if log["id"] is None else _text(log["id"]),
        read_at=read_at,
        full_scan_at=full_scan_at,
        organizations=_texts(data["organizations"]),
        roles={
            _text(k): (_text(v["name"]), None if v["owner"] is None else _text(v["owner"]))
            for k, v in _object(data["roles"]).items()
        },
        digests=Digests(
            tenant=_text(files["tenant"]),
            roles=_texts(files["roles"]),
            organizations=_texts(files["organizations"]),
        ),
        drifted_organizations=_names(drift["organizations"]),
        drifted_roles=_names(drift["roles"]),
        live=None if data["live"] is None else live_from(data["live"]),
    )


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, got {_shown(value)}")
    return value


def _texts(value: Any) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in _object(value).items()}


def _names(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {_shown(value)}")
    return frozenset(_text(name) for name in value)


def _time(value: Any) -> float:
    """Seconds since the epoch: a number (floats are finite already) a float can hold."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) >= 1e300:
        raise ValueError(f"expected a time, got {_shown(value)}")
    return float(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    """A value in a message, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."
