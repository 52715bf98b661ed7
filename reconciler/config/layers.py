"""A tenant's file over the base's file of the same name: the merge rules, and where each
merged value is written (in the base's file or the tenant's).

Mappings merge key by key, all the way down; anything else the tenant writes (a string, a
number, a list) replaces the base's value; a key the tenant sets to null removes the base's.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from reconciler.config.yaml_source import YamlDocument, YamlSource
from reconciler.config.yaml_tree import Marks
from reconciler.model.desired import KeyPath


def merged(base: Any, over: Any) -> Any:
    """`over` merged onto `base` by the rules above. A null where the base has no such key
    stays null (and means what it means in a file of its own)."""
    if not isinstance(base, dict) or not isinstance(over, dict):
        return over
    result = dict(base)
    for key, value in over.items():
        if value is None and key in result:
            del result[key]
        elif key in result:
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


@dataclass(frozen=True)
class LayeredSource(YamlSource):
    """Where the values of a merged file are written: each key path in the tenant's file when
    it writes it, else in the base's. Named (and reported at the top) as the tenant's file."""

    base: YamlSource | None = None
    over: Mapping[Any, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)
    """The tenant's own values, which tell which of the base's are overridden."""

    @cached_property
    def marks(self) -> dict[KeyPath, Marks]:
        """The marks of the base's values the tenant keeps, then of the tenant's own."""
        found = {}
        if self.base is not None:
            found = {p: m for p, m in self.base.marks.items() if p and _kept(self.over, p)}
        found.update(YamlSource(self.path, self.text).marks)
        return found


def layered(base: YamlDocument, over: YamlDocument) -> YamlDocument:
    """The tenant's document `over` merged onto the base's."""
    source = LayeredSource(over.source.path, over.source.text, base.source, over.data)
    return YamlDocument(source, merged(base.data, over.data), base.nulls or over.nulls)


def _kept(over: Mapping[Any, Any], path: KeyPath) -> bool:
    """Whether the base's value at `path` survives the tenant's values `over`."""
    node: Any = over
    for part in path:
        if not isinstance(node, dict):
            return False
        if part not in node:
            return True
        node = node[part]
        if node is None:
            return False
    return True
