"""Turning a composed YAML node tree into plain values.

`MarkedBuilder` is the authority: it records where every key and value is written and reports
every problem (duplicate keys, tags, merge keys, aliases past a budget). `plain_mapping` is the
fast path for the common file, with no anchors and only plain values: it records nothing and
gives up (returns None) at anything unusual, so such a file goes through `MarkedBuilder`.
Marks are what costs: a tenant of 10,000 files reads them only for files it reports about.
"""

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from reconciler.config.errors import ConfigError, quoted
from reconciler.model.desired import KeyPath, Location

MAX_ALIAS_NODES = 10_000
"""How many values anchors and aliases may repeat in one file."""

TAG = "tag:yaml.org,2002:"
_STR_TAG = TAG + "str"
_MAP_TAG = TAG + "map"
_SEQ_TAG = TAG + "seq"
_SCALAR_TAGS = frozenset(TAG + name for name in ("null", "bool", "int", "float", "timestamp"))
_MERGE_TAG = TAG + "merge"
_SCALARS = SafeConstructor()
"""Constructs scalars without remembering them (its constructors are called directly)."""


@dataclass(frozen=True)
class Marks:
    """Where an entry is written: its key (mapping entries only) and the start of its value."""

    key: Location | None
    value: Location
    collection: bool
    """Whether the value is a mapping or a list."""

    @property
    def source(self) -> Location:
        """Where the entry "is": the key of a mapping or list value, else the value itself."""
        if self.collection and self.key is not None:
            return self.key
        return self.value


def location(path: str, mark: yaml.Mark) -> Location:
    """A 1-based `Location` for a PyYAML mark."""
    return Location(path, mark.line + 1, mark.column + 1)


class _NotPlain(Exception):
    """Raised inside `plain_mapping` at anything the fast path leaves to `MarkedBuilder`."""


def plain_mapping(root: MappingNode) -> dict[Any, Any] | None:
    """The values of a tree without aliases, or None when anything in it needs a closer look
    (a tag, a merge key, a duplicate or non-scalar key, a value that does not construct).
    When it returns values, they equal what `MarkedBuilder` builds from the same tree."""
    try:
        return _plain_mapping(root)
    except (_NotPlain, RecursionError):
        return None


def _plain_mapping(node: MappingNode) -> dict[Any, Any]:
    result = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise _NotPlain
        result[_plain_scalar(key_node)] = _plain(value_node)
    if len(result) != len(node.value):
        raise _NotPlain
    return result


def _plain(node: Node) -> Any:
    if isinstance(node, ScalarNode):
        return _plain_scalar(node)
    if isinstance(node, MappingNode) and node.tag == _MAP_TAG:
        return _plain_mapping(node)
    if isinstance(node, SequenceNode) and node.tag == _SEQ_TAG:
        return [_plain(item) for item in node.value]
    raise _NotPlain


def _plain_scalar(node: ScalarNode) -> Any:
    if node.tag == _STR_TAG:
        return node.value
    if node.tag not in _SCALAR_TAGS:
        raise _NotPlain
    try:
        return SafeConstructor.yaml_constructors[node.tag](_SCALARS, node)
    except (ValueError, KeyError, AttributeError, TypeError, yaml.YAMLError):
        raise _NotPlain from None


def _short(tag: str) -> str:
    """`!!int` for `tag:yaml.org,2002:int`; other tags as written."""
    return "!!" + tag.removeprefix(TAG) if tag.startswith(TAG) else tag


class _AliasBudgetSpent(Exception):
    """Raised inside the builder when aliases expand past `MAX_ALIAS_NODES`."""


class MarkedBuilder:
    """Turns a node tree into values, recording the marks of every entry and collecting every
    problem (the authority on what a file may contain)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.marks: dict[KeyPath, Marks] = {}
        self.errors: list[ConfigError] = []
        self._constructor = SafeConstructor()
        self._seen: set[int] = set()
        self._open: set[int] = set()
        self._repeated = 0
        self._repeat_depth = 0
        self._expansion_start: Location | None = None

    def build(self, root: MappingNode) -> dict[Any, Any]:
        """The mapping at `root`; problems are in `errors` afterwards."""
        self.marks[()] = Marks(None, self._at(root), collection=True)
        try:
            return self._mapping(root, ())
        except _AliasBudgetSpent:
            where = self._expansion_start or self._at(root)
            message = f"anchors and aliases expand to more than {MAX_ALIAS_NODES} values"
            self.errors.append(ConfigError(where, message))
        except RecursionError:
            self.errors.append(ConfigError(self._at(root), "values are nested too deeply"))
        return {}

    def _at(self, node: Node) -> Location:
        return location(self.path, node.start_mark)

    def _value(self, node: Node, path: KeyPath) -> Any:
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in self._open:
            self.errors.append(
                ConfigError(self._at(node), "an alias refers to a value containing it")
            )
            return None
        repeated = id(node) in self._seen
        if repeated:
            self._repeated += 1 + len(node.value)
            if self._repeated > MAX_ALIAS_NODES:
                raise _AliasBudgetSpent
            if self._repeat_depth == 0:
                self._expansion_start = self._where_used(path)
        self._seen.add(id(node))
        self._open.add(id(node))
        self._repeat_depth += repeated
        try:
            if isinstance(node, MappingNode) and node.tag == _MAP_TAG:
                return self._mapping(node, path)
            if isinstance(node, SequenceNode) and node.tag == _SEQ_TAG:
                return self._sequence(node, path)
            return self._unsupported(node)
        finally:
            self._open.discard(id(node))
            self._repeat_depth -= repeated

    def _where_used(self, path: KeyPath) -> Location:
        marks = self.marks.get(path)
        if marks is not None and marks.key is not None:
            return marks.key
        parent = self.marks.get(path[:-1])
        return parent.value if parent is not None else Location(self.path, 1, 1)

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR_TAG:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            return self._unsupported(node)
        try:
            return self._constructor.construct_object(node)
        except (ValueError, KeyError, AttributeError, TypeError, yaml.YAMLError):
            message = f"{quoted(node.value)} is not a valid {_short(node.tag)}"
            self.errors.append(ConfigError(self._at(node), message))
            return None

    def _unsupported(self, node: Node) -> None:
        message = f"unsupported YAML tag {quoted(_short(node.tag))}"
        self.errors.append(ConfigError(self._at(node), message))

    def _mapping(self, node: MappingNode, path: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first: dict[Any, Location] = {}
        for key_node, value_node in node.value:
            where = self._at(key_node)
            if key_node.tag == _MERGE_TAG:
                message = "merge keys (<<) are not supported: write the keys out"
                self.errors.append(ConfigError(where, message))
                continue
            if not isinstance(key_node, ScalarNode):
                self.errors.append(ConfigError(where, "a key must be a single value"))
                continue
            key = self._value(key_node, path)
            if key in first:
                message = (
                    f"duplicate key {quoted(key_node.value)} (first at line {first[key].line})"
                )
                self.errors.append(ConfigError(where, message))
                continue
            first[key] = where
            child = (*path, key)
            collection = isinstance(value_node, CollectionNode)
            self.marks[child] = Marks(where, self._at(value_node), collection)
            result[key] = self._value(value_node, child)
        return result

    def _sequence(self, node: SequenceNode, path: KeyPath) -> list[Any]:
        result: list[Any] = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            self.marks[child] = Marks(None, self._at(item), isinstance(item, CollectionNode))
            result.append(self._value(item, child))
        return result
