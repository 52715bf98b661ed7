"""Saved plans: the operations plus a fingerprint of every live object they depend on."""

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reconciler.engine.plan import Action, FieldChange, Operation, Phase, Plan, Row
from reconciler.engine.safety import existing_objects
from reconciler.model.live import LiveOrganization, LiveRole, Snapshot

FORMAT = "auth0-org-reconciler/plan@1"
ABSENT = "absent"


class PlanFileError(Exception):
    """A plan file that cannot be used."""


@dataclass(frozen=True)
class SavedPlan:
    """What a plan file holds."""

    tenant: str
    target: str
    plan: Plan
    existing: int
    """Managed objects that existed when the plan was made (for the change-share rail)."""
    fingerprints: dict[str, str]


def fingerprints(plan: Plan, live: Snapshot) -> dict[str, str]:
    """`organization:NAME` / `role:LABEL` -> digest of the live object, or `absent`."""
    found: dict[str, str] = {}
    for name in plan.touched.get("organization", ()):
        found[f"organization:{name}"] = digest_org(live.organizations.get(name))
    for label in plan.touched.get("role", ()):
        owner, _, role = label.rpartition("/")
        current = live.org_roles.get((owner, role)) if owner else live.roles.get(role)
        found[f"role:{label}"] = digest_role(current)
    return found


def digest_org(live: LiveOrganization | None) -> str:
    """A digest of everything read of one organization."""
    if live is None:
        return ABSENT
    data = {
        "id": live.id,
        "org": live.org.model_dump(mode="json"),
        "domains": {k: asdict(v) for k, v in sorted((live.domains or {}).items())},
        "invitations": sorted((live.invitations or {}).keys()),
        "member_roles": live.member_role_ids,
    }
    return _digest(data)


def digest_role(live: LiveRole | None) -> str:
    """A digest of a role and, when read, its permissions."""
    if live is None:
        return ABSENT
    perms = sorted(live.permissions) if live.permissions is not None else None
    return _digest({"id": live.id, "description": live.description, "permissions": perms})


def write_plan_file(path: Path, tenant: str, target: str, plan: Plan, live: Snapshot) -> None:
    """Save a plan for a later `apply`; it holds ids and names, never credentials."""
    document = {
        "format": FORMAT,
        "tenant": tenant,
        "target": target,
        "fingerprints": fingerprints(plan, live),
        "existing": existing_objects(live),
        "unmanaged_organizations": list(plan.unmanaged_organizations),
        "rows": [asdict(row) for row in plan.rows],
        "operations": [
            {**asdict(op), "phase": op.phase.name, "depends_on": list(op.depends_on)}
            for op in plan.operations
        ],
    }
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_plan_file(path: Path) -> SavedPlan:
    """Load a saved plan, refusing other formats with a clear message."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PlanFileError(f"{path}: cannot read plan file: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PlanFileError(f"{path}: not a plan file of format {FORMAT}")
    try:
        plan = Plan(
            rows=tuple(_row(row) for row in document["rows"]),
            operations=tuple(_operation(op) for op in document["operations"]),
            unmanaged_organizations=tuple(document["unmanaged_organizations"]),
        )
        return SavedPlan(
            tenant=str(document["tenant"]),
            target=str(document["target"]),
            plan=plan,
            existing=int(document["existing"]),
            fingerprints={str(k): str(v) for k, v in document["fingerprints"].items()},
        )
    except (KeyError, TypeError, ValueError) as error:
        raise PlanFileError(f"{path}: malformed plan file: {error}") from None


def _row(data: dict[str, Any]) -> Row:
    return Row(
        org=data["org"],
        action=Action(data["action"]),
        kind=data["kind"],
        name=data["name"],
        fields=tuple(FieldChange(f["field"], f["before"], f["after"]) for f in data["fields"]),
        note=data["note"],
    )


def _operation(data: dict[str, Any]) -> Operation:
    return Operation(
        key=data["key"],
        phase=Phase[data["phase"]],
        method=data["method"],
        path=data["path"],
        body=data["body"],
        org=data["org"],
        depends_on=tuple(data["depends_on"]),
        creates=data["creates"],
    )


def _digest(data: object) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def stale_objects(saved: SavedPlan, live: Snapshot) -> list[str]:
    """The objects whose live state differs from when the plan was made."""
    changed = []
    for key, expected in sorted(saved.fingerprints.items()):
        kind, _, name = key.partition(":")
        if kind == "organization":
            now = digest_org(live.organizations.get(name))
        else:
            owner, _, role = name.rpartition("/")
            now = digest_role(live.org_roles.get((owner, role)) if owner else live.roles.get(role))
        if now != expected:
            changed.append(f"{kind} {name}")
    return changed
