"""Per-path changes between two nested JSON values (branding today), one row field per leaf."""

from typing import Any

from reconciler.engine.plan import FieldChange


def nested_changes(prefix: str, before: Any, after: Any) -> list[FieldChange]:
    """Leaf-level changes from `before` to `after`, named `prefix.key.key`, sorted by name.

    Mappings are compared key by key, all the way down; anything else (a string, a number, a
    list) is one leaf. An object added or removed whole is spread into its leaves, so that
    every line of the plan shows one value.
    """
    old, new = _leaves(prefix, before), _leaves(prefix, after)
    return [
        FieldChange(name, old.get(name), new.get(name))
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]


def _leaves(path: str, value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        leaves: dict[str, Any] = {}
        for key, item in value.items():
            leaves.update(_leaves(f"{path}.{key}", item))
        return leaves
    return {path: value}
