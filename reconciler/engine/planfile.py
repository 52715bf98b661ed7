"""Saved plans: the operations, the tenant and target they were made for, a fingerprint of
every live object they depend on, and a checksum that reveals edits by hand."""

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.engine.identity import (
    ObjectKey,
    OpKey,
    Ref,
    SecretRef,
    is_ref_json,
    is_secret_json,
)
from reconciler.engine.kinds import Kind, Verb
from reconciler.engine.plan import JSON, Action, FieldChange, Operation, Phase, Plan, Row, Settle
from reconciler.safe_text import inert

FORMAT_FAMILY = "auth0-org-reconciler/plan@"
FORMAT = FORMAT_FAMILY + "5"
MAX_PLAN_BYTES = 256 * 1024 * 1024
"""The largest plan file read (a plan that creates about 1,500 organizations of 100 members
each); a larger one is refused before it is read."""
ABSENT = "absent"
_LITERAL = "$literal"
_MARKERS = ({"$ref"}, {"$secret"}, {_LITERAL})
"""Objects of these keys alone are references or escapes: a body's own such object is
stored escaped."""


class PlanFileError(Exception):
    """A plan file that cannot be used."""


@dataclass(frozen=True)
class SavedPlan:
    """What a plan file holds."""

    tenant: str
    target: str
    files: str
    """Digest of the tenant's files the plan was made from."""
    plan: Plan
    fingerprints: dict[ObjectKey, str]
    organizations: int | None = None
    """How many organizations the tenant had when they were all listed (None: not listed)."""


def save_plan_file(path: Path, saved: SavedPlan) -> None:
    """Save a plan for a later `apply`; it holds ids and names, never credentials."""
    plan = saved.plan
    content = {
        "tenant": saved.tenant,
        "target": saved.target,
        "files": saved.files,
        "organizations": saved.organizations,
        "fingerprints": [
            {"object": key.to_json(), "digest": value} for key, value in saved.fingerprints.items()
        ],
        "unmanaged_organizations": list(plan.unmanaged_organizations),
        "rows": [_row_json(row) for row in plan.rows],
        "operations": [operation_json(op) for op in plan.operations],
    }
    document = {"format": FORMAT, "checksum": _checksum(content), **content}
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_plan_file(path: Path) -> SavedPlan:
    """Load a saved plan; refuse anything but a regular file of at most `MAX_PLAN_BYTES`,
    other formats, malformed files (JSON nested too deeply among them) and files whose checksum
    shows an edit by hand."""
    shown = inert(str(path))
    try:
        return _saved_plan(shown, _plan_bytes(path, shown))
    except RecursionError:
        raise PlanFileError(f"{shown}: malformed plan file: nested too deeply") from None


def _plan_bytes(path: Path, shown: str) -> bytes:
    """The bytes of a plan file, refused unless it is a regular file within the size limit
    (checked on the opened file, which a FIFO does not block)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise PlanFileError(f"{shown}: cannot read plan file: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise PlanFileError(
                f"{shown}: not a regular file (a FIFO, device or directory): refused"
            )
        data = file.read(MAX_PLAN_BYTES + 1)
    if len(data) > MAX_PLAN_BYTES:
        raise PlanFileError(
            f"{shown}: more than the {MAX_PLAN_BYTES:,} bytes a plan file may have: refused"
        )
    return data


def _saved_plan(shown: str, data: bytes) -> SavedPlan:
    try:
        document = json.loads(data.decode("utf-8"))
    except ValueError as error:
        raise PlanFileError(f"{shown}: cannot read plan file: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        if isinstance(found, str) and found.startswith(FORMAT_FAMILY):
            raise PlanFileError(
                f"{shown}: a plan file of an older format ({inert(found)}), which this version "
                f"cannot apply: plan again to make one of format {FORMAT}"
            )
        raise PlanFileError(f"{shown}: not a plan file of format {FORMAT}")
    content = {k: v for k, v in document.items() if k not in ("format", "checksum")}
    if document.get("checksum") != _checksum(content):
        raise PlanFileError(
            f"{shown}: the plan file was changed after it was saved (checksum mismatch); "
            "make a new plan"
        )
    try:
        operations = tuple(_operation(op) for op in content["operations"])
        plan = Plan(
            rows=tuple(_row(row) for row in content["rows"]),
            operations=operations,
            unmanaged_organizations=tuple(str(n) for n in content["unmanaged_organizations"]),
        )
        prints = {
            ObjectKey.from_json(item["object"]): str(item["digest"])
            for item in content["fingerprints"]
        }
        return SavedPlan(
            tenant=str(content["tenant"]),
            target=str(content["target"]),
            files=str(content["files"]),
            plan=Plan(plan.rows, plan.operations, plan.unmanaged_organizations, tuple(prints)),
            fingerprints=prints,
            organizations=_optional_int(content["organizations"]),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise PlanFileError(f"{shown}: malformed plan file: {inert(str(error))}") from None


def canonical(op: Operation) -> str:
    """A text that is equal for equal operations (to compare plans as sets)."""
    return json.dumps(operation_json(op), sort_keys=True, separators=(",", ":"))


def canonical_row(row: Row) -> str:
    """A text that is equal for equal rows (to compare plans' rows as sets)."""
    return json.dumps(_row_json(row), sort_keys=True, separators=(",", ":"))


def _optional_int(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"expected a whole number, found {value!r}")
    return value


def _checksum(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _row_json(row: Row) -> dict[str, Any]:
    return {
        "org": row.org,
        "action": row.action.value,
        "kind": row.kind,
        "name": row.name,
        "fields": [{"field": f.field, "before": f.before, "after": f.after} for f in row.fields],
        "note": row.note,
        "operations": [key.to_json() for key in row.operations],
    }


def _row(data: dict[str, Any]) -> Row:
    return Row(
        org=data["org"],
        action=Action(data["action"]),
        kind=Kind(data["kind"]),
        name=data["name"],
        fields=tuple(FieldChange(f["field"], f["before"], f["after"]) for f in data["fields"]),
        note=data["note"],
        operations=tuple(OpKey.from_json(k) for k in data["operations"]),
    )


def operation_json(op: Operation) -> dict[str, Any]:
    """An operation as plan files store it."""
    return {
        "key": op.key.to_json(),
        "phase": op.phase.name,
        "method": op.method,
        "path": [encode(part) for part in op.path],
        "body": encode(op.body),
        "depends_on": [key.to_json() for key in op.depends_on],
        "creates": op.creates.to_json() if op.creates is not None else None,
        "settle": op.settle.value,
        "batch": op.batch,
    }


def _operation(data: dict[str, Any]) -> Operation:
    path = tuple(decode(part) for part in data["path"])
    if not all(isinstance(part, str | Ref) for part in path):
        raise ValueError(f"a path segment is neither text nor a reference: {data['path']!r}")
    return Operation(
        key=OpKey.from_json(data["key"]),
        phase=Phase[data["phase"]],
        method=Verb(data["method"]),
        path=path,
        body=decode(data["body"]),
        depends_on=tuple(OpKey.from_json(k) for k in data["depends_on"]),
        creates=ObjectKey.from_json(data["creates"]) if data["creates"] is not None else None,
        settle=Settle(data["settle"]),
        batch=None if data["batch"] is None else str(data["batch"]),
    )


def encode(value: JSON) -> JSON:
    """A path segment or body as JSON: Refs as `{"$ref": ...}`, secrets as
    `{"$secret": "ENV_NAME"}` (never a value), look-alike objects escaped."""
    if isinstance(value, Ref | SecretRef):
        return value.to_json()
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        encoded = {key: encode(item) for key, item in value.items()}
        return {_LITERAL: encoded} if set(value) in _MARKERS else encoded
    return value


def decode(value: JSON) -> JSON:
    """The inverse of `encode`."""
    if is_ref_json(value):
        return Ref.from_json(value)
    if is_secret_json(value):
        return SecretRef.from_json(value)
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        inner = value[_LITERAL] if set(value) == {_LITERAL} else value
        return {key: decode(item) for key, item in inner.items()}
    return value


def digest_of(data: object) -> str:
    """A short digest of JSON-like data, the same for equal data."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
