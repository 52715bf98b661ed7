"""Safe reading of one YAML file into plain values, remembering where each key and value is.

Only plain YAML is accepted: mappings, lists and scalars (strings, numbers, booleans, null,
timestamps). Duplicate keys, custom tags and merge keys (`<<`, a YAML 1.1 feature) are errors.
Anchors and aliases are allowed, but the values they repeat count against a budget of
`MAX_ALIAS_NODES` per file, so a file cannot expand into billions of values ("alias bomb").
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from reconciler.config.errors import ConfigError, ConfigErrors, quoted
from reconciler.model.desired import KeyPath, Location

MAX_ALIAS_NODES = 10_000
"""How many values anchors and aliases may repeat in one file."""

_TAG = "tag:yaml.org,2002:"
_STR_TAG = _TAG + "str"
_MAP_TAG = _TAG + "map"
_SEQ_TAG = _TAG + "seq"
_SCALAR_TAGS = frozenset(_TAG + name for name in ("null", "bool", "int", "float", "timestamp"))
_MERGE_TAG = _TAG + "merge"
_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)


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


@dataclass(frozen=True)
class YamlDocument:
    """A YAML file whose top level is a mapping, with the marks of every key path in it."""

    path: str
    data: dict[Any, Any]
    marks: dict[KeyPath, Marks]

    def value_at(self, path: KeyPath) -> Location:
        """The start of the value at `path`, or of its nearest ancestor that exists."""
        for end in range(len(path), -1, -1):
            found = self.marks.get(path[:end])
            if found is not None:
                return found.value
        return Location(self.path, 1, 1)

    def key_at(self, path: KeyPath) -> Location:
        """The key of the mapping entry at `path`; the value's start when it has no key."""
        found = self.marks.get(path)
        if found is not None and found.key is not None:
            return found.key
        return self.value_at(path)


def display_path(path: Path) -> str:
    """`path` relative to the current directory when it lies under it, else as given."""
    if not path.is_absolute():
        return str(path)
    cwd = Path.cwd()
    for candidate, base in ((path, cwd), (path.resolve(), cwd.resolve())):
        if candidate.is_relative_to(base):
            return str(candidate.relative_to(base))
    return str(path)


def read_yaml(path: Path) -> YamlDocument:
    """Read the YAML mapping in `path`; raise `ConfigErrors` for anything else."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise _failure(shown, 1, 1, f"cannot read the file: {error.strerror}") from None
    text = _decode(raw, shown)
    node = _compose(text, shown)
    if node is None or (
        isinstance(node, ScalarNode) and node.tag == _TAG + "null" and not node.value
    ):
        raise _failure(shown, 1, 1, "file is empty")
    if not isinstance(node, MappingNode):
        kind = "a list" if isinstance(node, SequenceNode) else "a single value"
        where = _location(shown, node.start_mark)
        raise _failure(shown, where.line, where.column, f"expected a mapping of keys, found {kind}")
    builder = _Builder(shown)
    data = builder.build(node)
    if builder.errors:
        raise ConfigErrors(dict.fromkeys(builder.errors))
    return YamlDocument(shown, data, builder.marks)


def _failure(path: str, line: int, column: int, message: str) -> ConfigErrors:
    return ConfigErrors([ConfigError(Location(path, line, column), message)])


def _location(path: str, mark: yaml.Mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8-sig")) + 1
        message = f"not valid UTF-8 (byte 0x{raw[error.start]:02x}): save the file as UTF-8"
        raise _failure(shown, before.count(b"\n") + 1, column, message) from None


def _compose(text: str, shown: str) -> Node | None:
    """The document's node tree: libyaml's fast parser when it is installed and accepts the
    text; otherwise (and for every error) PyYAML's own, whose messages and marks we report."""
    if _FAST_LOADER is not None:
        try:
            return _single_node(_FAST_LOADER, text)
        except (yaml.YAMLError, RecursionError):
            pass
    try:
        return _single_node(yaml.SafeLoader, text)
    except yaml.MarkedYAMLError as error:
        raise ConfigErrors([_syntax_error(error, text, shown)]) from None
    except yaml.reader.ReaderError as error:
        line_start = text.rfind("\n", 0, error.position) + 1
        line = text.count("\n", 0, error.position) + 1
        message = f"special character U+{error.character:04X} is not allowed"
        raise _failure(shown, line, error.position - line_start + 1, message) from None
    except RecursionError:
        raise _failure(shown, 1, 1, "values are nested too deeply") from None


def _single_node(loader_class: type[yaml.SafeLoader], text: str) -> Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _syntax_error(error: yaml.MarkedYAMLError, text: str, shown: str) -> ConfigError:
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return ConfigError(Location(shown, 1, 1), f"YAML syntax error: {error.problem}")
    if text[mark.index : mark.index + 1] == "\t":
        indentation = not text[mark.index - mark.column : mark.index].strip()
        message = "in indentation: indent" if indentation else "not allowed here: separate"
        return ConfigError(_location(shown, mark), f"tab character {message} with spaces")
    if error.context == "expected a single document in the stream":
        return ConfigError(_location(shown, mark), "a file holds one YAML document, found a second")
    message = f"YAML syntax error: {error.problem}"
    if error.context and error.context_mark is not None:
        message += f" ({error.context} at line {error.context_mark.line + 1})"
    return ConfigError(_location(shown, mark), message)


def _short(tag: str) -> str:
    """`!!int` for `tag:yaml.org,2002:int`; other tags as written."""
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


class _AliasBudgetSpent(Exception):
    """Raised inside the builder when aliases expand past `MAX_ALIAS_NODES`."""


class _Builder:
    """Turns composed nodes into values, recording marks and collecting errors."""

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
        return _location(self.path, node.start_mark)

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
