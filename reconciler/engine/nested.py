"""Per-path changes between two nested JSON values (branding today), one row field per leaf."""

from typing import Any

from reconciler.engine.plan import FieldChange


def nested_changes(prefix: str, before: Any, after: Any) -> list[FieldChange]:
    """Leaf-level changes from `before` to `after`, named `prefix.key.key`, sorted by name.

    deepdiff finds what differs; an object added or removed whole is spread into its leaves
    so that every line of the plan shows one value. deepdiff is imported only when the values
    differ, so a plan without such a change never loads it.
    """
    if before == after:
        return []
    if not (before and after and isinstance(before, dict) and isinstance(after, dict)):
        return _spread(prefix, before, after)
    from deepdiff import DeepDiff  # noqa: PLC0415
    from deepdiff.helper import NotPresent  # noqa: PLC0415

    found: dict[str, tuple[Any, Any]] = {}
    for items in DeepDiff(before, after, view="tree").values():
        for item in items:
            path = ".".join([prefix, *(str(p) for p in item.path(output_format="list"))])
            old, new = (None if isinstance(t, NotPresent) else t for t in (item.t1, item.t2))
            for change in _spread(path, old, new):
                found[change.field] = (change.before, change.after)
    return [FieldChange(name, *found[name]) for name in sorted(found)]


def _spread(path: str, before: Any, after: Any) -> list[FieldChange]:
    """The changes of a value added, removed or replaced whole, leaf by leaf."""
    old, new = _leaves(path, before), _leaves(path, after)
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
