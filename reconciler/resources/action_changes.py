"""What the post-login Action's plan rows show of a change: code (by digest, and of the routing
table the leaves that differ), runtime, dependencies and secret names."""

import hashlib
from typing import Any

from reconciler.engine.plan import FieldChange
from reconciler.model.live import ActionVersion
from reconciler.routing.action import split_code


def version_changes(before: ActionVersion, want: ActionVersion) -> tuple[FieldChange, ...]:
    """What changes in what the Action runs, as people review it."""
    fields: list[FieldChange] = []
    if before.runtime != want.runtime:
        fields.append(FieldChange("runtime", before.runtime, want.runtime))
    if before.dependencies != want.dependencies:
        fields.append(
            FieldChange("dependencies", packages(before.dependencies), packages(want.dependencies))
        )
    if not want.secret_names <= before.secret_names:
        fields.append(
            FieldChange("secrets", sorted(before.secret_names), sorted(want.secret_names))
        )
    if before.code != want.code:
        fields.extend(_code_changes(before.code, want.code))
    return tuple(fields)


def _code_changes(before: str, after: str) -> list[FieldChange]:
    """Changes of the routing table, entry by entry, and of the fixed template (by digest);
    the digest of the whole code when the deployed code holds no routing table."""
    old, new = split_code(before), split_code(after)
    if old is None or new is None:
        return [FieldChange("code", _digest(before), _digest(after))]
    fields = []
    if old[0] != new[0]:
        fields.append(FieldChange("template", _digest(old[0]), _digest(new[0])))
    fields.extend(_leaf_changes("routes", _settings(old[1]), _settings(new[1])))
    fields.extend(_leaf_changes("routes", _by_name(old[1]), _by_name(new[1])))
    return fields or [FieldChange("code", _digest(before), _digest(after))]


def _settings(table: dict[str, Any]) -> dict[str, Any]:
    """The routing table's own settings: the claims' namespace, the secrets' names."""
    return {k: v for k, v in table.items() if k != "organizations"}


def _by_name(table: dict[str, Any]) -> dict[str, Any]:
    """The routing table's organizations keyed by name, so that each change names one."""
    return {
        str(org["name"]): {k: v for k, v in org.items() if k != "name"}
        for org in _organizations(table)
    }


def routed_names(code: str) -> list[Any]:
    """The names of the organizations the code's routing table routes to."""
    table = split_code(code)
    return [org.get("name") for org in _organizations(table[1])] if table else []


def _organizations(table: dict[str, Any]) -> list[dict[str, Any]]:
    found = table.get("organizations")
    items = found if isinstance(found, list) else []
    return [org for org in items if isinstance(org, dict) and isinstance(org.get("name"), str)]


def _leaf_changes(prefix: str, before: Any, after: Any) -> list[FieldChange]:
    """One change per differing leaf; objects are walked into, other values compared whole."""
    if before == after:
        return []
    if isinstance(before, dict | None) and isinstance(after, dict | None):
        old, new = before or {}, after or {}
        return [
            change
            for key in sorted(old.keys() | new.keys())
            for change in _leaf_changes(f"{prefix}.{key}", old.get(key), new.get(key))
        ]
    return [FieldChange(prefix, before, after)]


def packages(dependencies: frozenset[tuple[str, str]]) -> list[str]:
    """`name@version` of each dependency, sorted."""
    return [f"{name}@{version}" for name, version in sorted(dependencies)]


def _digest(code: str) -> str:
    return "sha256:" + hashlib.sha256(code.encode()).hexdigest()[:12]
