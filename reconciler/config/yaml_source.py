"""Safe reading of one YAML file into plain values, and where each key and value is written.

Only plain YAML is accepted: mappings, lists and scalars (strings, numbers, booleans, null,
timestamps). Duplicate keys, custom tags and merge keys (`<<`, a YAML 1.1 feature) are errors.
Anchors and aliases are allowed, but the values they repeat count against a budget of
`MAX_ALIAS_NODES` per file, so a file cannot expand into billions of values ("alias bomb").
Where things are written is worked out from the file's text when first asked for. A plain file
is read by yaml_rs when it cannot read differently under PyYAML (`yaml_fast`); PyYAML reads
every other file, and gives every error and mark.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.config.errors import ConfigError, ConfigErrors
from reconciler.config.yaml_fast import Read, fast_mapping
from reconciler.config.yaml_tree import TAG, MarkedBuilder, Marks, location, plain_mapping
from reconciler.model.desired import KeyPath, Location

_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
_CHUNK = 64 * 1024
"""Bytes read at a time: a whole usual file, and under the size malloc maps on its own."""
_ANCHOR = "&"
"""Without this character a file has no anchors, so no aliases: the fast path may read it."""


@dataclass(frozen=True)
class YamlSource:
    """Where the values of a YAML file are written: its text, from which the marks of every key
    path are worked out the first time one is needed (for a message), not for every file read."""

    path: str
    text: str = field(default="", repr=False)

    @cached_property
    def marks(self) -> dict[KeyPath, Marks]:
        """The marks of every key path (the root is `()`); empty for a file without text."""
        node = _compose(self.text, self.path) if self.text else None
        if not isinstance(node, MappingNode):
            return {}
        builder = MarkedBuilder(self.path)
        builder.build(node)
        return builder.marks

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


@dataclass(frozen=True)
class YamlDocument:
    """A YAML file whose top level is a mapping: its values and where they are written."""

    source: YamlSource
    data: dict[Any, Any]
    nulls: bool = True
    """Whether a value in it may be null (False only when reading it showed none is)."""


def resolve_or_none(path: Path) -> Path | None:
    """`path` with every link resolved; None when a link loops (or cannot be followed)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return None


def display_path(path: Path) -> str:
    """`path` relative to the current directory when it lies under it, else as given."""
    if not path.is_absolute():
        return str(path)
    cwd = Path.cwd()
    resolved = resolve_or_none(path) or path
    for candidate, base in ((path, cwd), (resolved, cwd.resolve())):
        if candidate.is_relative_to(base):
            return str(candidate.relative_to(base))
    return str(path)


FastRead = Callable[[str, bytes], Read | None]
"""How a plain file's values are read from its text and bytes (`yaml_fast.fast_mapping`, or
a cache of what it read), None to leave the file to PyYAML."""


def read_yaml(
    path: Path, shown: str | None = None, fast_read: FastRead = fast_mapping
) -> YamlDocument:
    """Read the YAML mapping in `path`, named `shown` in messages (by default as
    `display_path` shows it), a plain file by `fast_read`; raise `ConfigErrors` for anything
    else."""
    shown = display_path(path) if shown is None else shown
    try:
        raw = _read_bytes(path)
    except OSError as error:
        raise _failure(shown, 1, 1, f"cannot read the file: {error.strerror}") from None
    text = _decode(raw, shown)
    fast = fast_read(text, raw)
    if fast is not None:
        return YamlDocument(YamlSource(shown, text), *fast)
    node = _compose(text, shown)
    if node is None or (
        isinstance(node, ScalarNode) and node.tag == TAG + "null" and not node.value
    ):
        raise _failure(shown, 1, 1, "file is empty")
    if not isinstance(node, MappingNode):
        kind = "a list" if isinstance(node, SequenceNode) else "a single value"
        where = location(shown, node.start_mark)
        raise _failure(shown, where.line, where.column, f"expected a mapping of keys, found {kind}")
    data = plain_mapping(node) if _ANCHOR not in text else None
    if data is None:
        builder = MarkedBuilder(shown)
        data = builder.build(node)
        if builder.errors:
            raise ConfigErrors(dict.fromkeys(builder.errors))
    return YamlDocument(YamlSource(shown, text), data)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes in few system calls (`Path.read_bytes` makes several more, which
    counts at 10,000 files)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _failure(path: str, line: int, column: int, message: str) -> ConfigErrors:
    return ConfigErrors([ConfigError(Location(path, line, column), message)])


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
        return ConfigError(location(shown, mark), f"tab character {message} with spaces")
    if error.context == "expected a single document in the stream":
        return ConfigError(location(shown, mark), "a file holds one YAML document, found a second")
    friendly = _indentation_error(error, text, mark)
    if friendly is not None:
        message, column = friendly
        return ConfigError(Location(shown, mark.line + 1, column + 1), message)
    message = f"YAML syntax error: {error.problem}"
    if error.context and error.context_mark is not None:
        message += f" ({error.context} at line {error.context_mark.line + 1})"
    return ConfigError(location(shown, mark), message)


def _indentation_error(
    error: yaml.MarkedYAMLError, text: str, mark: Mark
) -> tuple[str, int] | None:
    """PyYAML's messages for a line indented wrongly, said in the file's terms, with the
    column (from 0) to point at; None for other errors."""
    problem = error.problem or ""
    start = text.rfind("\n", 0, mark.index) + 1
    before = text[start : mark.index]
    spaces = len(before) - len(before.lstrip(" "))
    if problem.startswith("expected <block end>") and error.context_mark is not None:
        block = "list" if "collection" in (error.context or "") else "mapping"
        return (
            f"indentation: {spaces} spaces here line up with no key or list item above (in "
            f"the {block} that starts at line {error.context_mark.line + 1}, column "
            f"{error.context_mark.column + 1}); indent it as the keys it belongs with",
            mark.column,
        )
    if problem == "mapping values are not allowed here":
        if ": " in before.strip():
            return 'a value that holds ": " must be quoted, e.g. "Acme: Corp"', mark.column
        return (
            "indentation: this key is indented under a key that already has a value; "
            "indent it as that key, or give that key no value to nest under it",
            spaces,
        )
    return None
