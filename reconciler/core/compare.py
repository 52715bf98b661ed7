"""`reconciler compare FROM TO`: how two tenants' desired states differ, from their files
alone, as the rows apply to TO would make if TO's files said what FROM's say."""

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from reconciler.engine.kinds import Kind
from reconciler.engine.plan import Action, FieldChange, Row
from reconciler.model.desired import Desired

OWN_SETTINGS = frozenset({"domain", "credentials", "extends", "values"})
"""tenant.yaml keys that are each environment's own (where and how to reach it, and its
values), never promoted."""


def compare(source: Desired, target: Desired) -> list[Row]:
    """The rows that would make `target`'s desired state `source`'s: tenant settings, roles
    and applications first, then each organization, by name."""
    rows = _rows(None, Kind.TENANT, {"settings": source.tenant}, {"settings": target.tenant})
    rows += _rows(None, Kind.ROLE, source.roles, target.roles)
    rows += _rows(None, Kind.APPLICATION, source.applications, target.applications)
    return rows + [
        row
        for name in sorted(source.organizations.keys() | target.organizations.keys())
        for row in _rows(
            name,
            Kind.ORGANIZATION,
            {k: v for k, v in source.organizations.items() if k == name},
            {k: v for k, v in target.organizations.items() if k == name},
        )
    ]


def _rows(
    org: str | None,
    kind: Kind,
    source: Mapping[str, BaseModel],
    target: Mapping[str, BaseModel],
) -> list[Row]:
    rows = []
    for name in sorted(source.keys() | target.keys()):
        after = _fields(source[name], kind) if name in source else None
        before = _fields(target[name], kind) if name in target else None
        if after == before:
            continue
        action = Action.CREATE if before is None else Action.DELETE if after is None else None
        old, new = before or {}, after or {}
        changes = tuple(
            FieldChange(key, old.get(key), new.get(key))
            for key in sorted(old.keys() | new.keys())
            if old.get(key) != new.get(key) and after is not None
        )
        rows.append(Row(org, action or Action.UPDATE, kind, name, changes))
    return rows


def _fields(model: BaseModel, kind: Kind) -> dict[str, Any]:
    fields: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    if kind is Kind.TENANT:
        fields = {k: v for k, v in fields.items() if k not in OWN_SETTINGS}
    return fields
