"""Per-path changes between two nested JSON values (branding today), one row field per leaf."""

from typing import Any

from deepdiff import DeepDiff
from deepdiff.helper import NotPresent

from reconciler.engine.plan import FieldChange


def nested_changes(prefix: str, before: Any, after: Any) -> list[FieldChange]:
    """Leaf-level changes from `before` to `after`, named `prefix.key.key`, sorted by name.

    deepdiff finds what differs; an object added or removed whole is spread into its leaves
    so that every line of the plan shows one value.
    """
    found: dict[str, tuple[Any, Any]] = {}
    for items in DeepDiff(before, after, view="tree").values():
        for item in items:
            path = ".".join([prefix, *(str(p) for p in item.path(output_format="list"))])
            old = _leaves(path, item.t1)
            new = _leaves(path, item.t2)
            for name in old.keys() | new.keys():
                if old.get(name) != new.get(name):
                    found[name] = (old.get(name), new.get(name))
    return [FieldChange(name, *found[name]) for name in sorted(found)]


def _leaves(path: str, value: Any) -> dict[str, Any]:
    if isinstance(value, NotPresent):
        return {}
    if isinstance(value, dict):
        leaves: dict[str, Any] = {}
        for key, item in value.items():
            leaves.update(_leaves(f"{path}.{key}", item))
        return leaves
    return {path: value}
