"""Where the desired side of a plan row came from, when more than the tenant's own file gave
it: a file of the base the tenant extends, or values put into it. Shown after the field (or
the row) it explains, in every renderer that shows rows."""

from collections.abc import Mapping

from reconciler.engine.kinds import Kind
from reconciler.engine.plan import Action, Plan, Row
from reconciler.model.desired import Desired, KeyPath, Origin
from reconciler.render.view import value
from reconciler.safe_text import inert

OriginKey = tuple[str | None, str, str, str | None]
"""A row's organization, kind and name, and one of its fields (None: the row itself)."""
_TENANT_KINDS: Mapping[Kind, str] = {
    Kind.ROLE: "roles",
    Kind.ROLE_DESCRIPTION: "roles",
    Kind.PERMISSIONS: "roles",
    Kind.APPLICATION: "applications",
}


def origins(plan: Plan, desired: Desired) -> dict[OriginKey, str]:
    """`from FILE:LINE` for each created or changed row written in a base file, and `from
    FILE:LINE with values.NAME = VALUE` for each of its fields that values gave (or that a
    file other than the row's gave)."""
    if desired.base is None and not desired.value_uses:
        return {}
    found: dict[OriginKey, str] = {}
    for row in plan.rows:
        path = _object_path(row)
        if path is None or row.action not in (Action.CREATE, Action.UPDATE):
            continue
        key = (row.org, str(row.kind), row.name)
        whole = desired.locate(*path)
        if whole is not None and desired.base is not None and _in(whole.path, desired.base):
            found[(*key, None)] = f"from {inert(whole.path)}:{whole.line}"
        for change in row.fields:
            origin = desired.origin(*path, change.field)
            elsewhere = whole is None or (origin is not None and origin.location.path != whole.path)
            if origin is not None and (origin.values or elsewhere):
                found[(*key, change.field)] = describe(origin)
    return found


def describe(origin: Origin) -> str:
    """`from tenants/_shared/applications.yaml:7 with values.app_url = "https://..."`."""
    text = f"from {inert(origin.location.path)}:{origin.location.line}"
    uses = ", ".join(f"values.{inert(use.name)} = {value(use.value)}" for use in origin.values)
    return f"{text} with {uses}" if uses else text


def _object_path(row: Row) -> KeyPath | None:
    if row.org is not None:
        return ("organizations", row.org) if row.kind is Kind.ORGANIZATION else None
    top = _TENANT_KINDS.get(row.kind)
    return (top, row.name) if top is not None else None


def _in(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")
