"""`${values.NAME}` in the string fields of a tenant's files: the tenant's typed values put in
before the files are validated, every problem reported at the place of the use.

A reference that is a whole string takes the value as it is (a number stays a number, a list
stays a list, and a list inside a list is spliced into it); inside longer text the value must
be a string or a number. `$${` writes a literal `${`. Values may use other values; fields that
name a secret's environment variable (`*_env`) may not use any.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.config.errors import ConfigError, quoted
from reconciler.config.layers import LayeredSource
from reconciler.config.validation import format_path
from reconciler.config.yaml_source import YamlDocument
from reconciler.model.desired import KeyPath, ValueUse

REFERENCE = re.compile(r"\$(\$?)\{([^{}]*)\}")
PREFIX = "values."
MARKER = "${"
SECRET_SUFFIX = "_env"
"""Fields ending so name the environment variable of a secret."""


@dataclass
class Interpolation:
    """Values put into documents: the errors at their uses, and which values each key path
    (of the documents given to `into`) uses."""

    values: Mapping[str, Any]
    errors: list[ConfigError] = field(default_factory=list)
    uses: dict[KeyPath, tuple[ValueUse, ...]] = field(default_factory=dict)

    def into(
        self, document: YamlDocument, prefix: KeyPath, skip: frozenset[str] = frozenset()
    ) -> YamlDocument | None:
        """`document` with its references replaced (unchanged when it has none), or None when
        one of them is an error (or uses a value that is); the top-level keys in `skip` are
        left as written. Uses are recorded under `prefix` + their path."""
        texts = _texts(document)
        if not any(MARKER in text for text in texts):
            return document
        walk = _Walk(self.values, document, self.errors)
        holding = _holding_markers(document.data, skip, texts)
        data = {
            key: walk.value(value, (key,)) if key in holding else value
            for key, value in document.data.items()
        }
        self.uses.update({(*prefix, *path): used for path, used in walk.uses.items()})
        if walk.failed:
            return None
        put = (use.value for used in walk.uses.values() for use in used)
        nulls = document.nulls or any(map(_holds_null, put))
        return YamlDocument(document.source, data, nulls)


def resolve_values(document: YamlDocument, key: str) -> tuple[dict[str, Any], list[ConfigError]]:
    """The values at `key` of `document` (tenant.yaml) with the references between them put
    in; a cycle is an error at the use that closes it."""
    path: KeyPath = (key,)
    written = document.data.get(key)
    if not isinstance(written, dict):
        return {}, []
    errors: list[ConfigError] = []
    done: dict[str, Any] = {}
    for name in written:
        if isinstance(name, str):
            _resolve(name, written, done, (), document, path, errors)
    return done, errors


def _resolve(
    name: str,
    written: Mapping[Any, Any],
    done: dict[str, Any],
    open_: tuple[str, ...],
    document: YamlDocument,
    path: KeyPath,
    errors: list[ConfigError],
) -> Any:
    if name in done:
        return done[name]
    chain = (*open_, name)

    def lookup(other: str, where: KeyPath) -> Any:
        if other in chain:
            cycle = " -> ".join(f"values.{n}" for n in (*chain[chain.index(other) :], other))
            message = f"values refer to each other in a cycle: {cycle}"
            errors.append(_error(document, where, message))
            return FAILED
        if other not in written:
            return _MISSING
        return _resolve(other, written, done, chain, document, path, errors)

    walk = _Walk(written, document, errors, lookup)
    found = walk.value(written[name], (*path, name))
    done[name] = FAILED if walk.failed else found
    return done[name]


_MISSING = object()
FAILED = object()
"""A value whose references are an error (reported where they are written)."""


class _Walk:
    """Replaces the references under one document's values, recording the uses."""

    def __init__(
        self,
        values: Mapping[str, Any],
        document: YamlDocument,
        errors: list[ConfigError],
        lookup: Callable[[str, KeyPath], Any] | None = None,
    ) -> None:
        self.values = values
        self.document = document
        self.errors = errors
        self.lookup = lookup or (lambda name, _: values.get(name, _MISSING))
        self.uses: dict[KeyPath, tuple[ValueUse, ...]] = {}
        self.failed = False

    def value(self, value: Any, path: KeyPath) -> Any:
        if isinstance(value, str):
            return self.text(value, path) if MARKER in value else value
        if isinstance(value, dict):
            return {k: self.value(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            items: list[Any] = []
            for index, item in enumerate(value):
                new = self.value(item, (*path, index))
                whole = isinstance(item, str) and _whole(item) is not None
                if whole and isinstance(new, list):
                    items.extend(new)
                else:
                    items.append(new)
            return items
        return value

    def text(self, text: str, path: KeyPath) -> Any:
        key = path[-1]
        if isinstance(key, str) and key.endswith(SECRET_SUFFIX):
            if any(not match.group(1) for match in REFERENCE.finditer(text)):
                self.fail(
                    path,
                    "names the environment variable of a secret: write the variable's name "
                    "itself, not a value",
                )
            return text
        whole = _whole(text)
        if whole is not None:
            found = self.named(whole, path)
            return text if found is FAILED else found
        parts: list[str] = []
        at = 0
        for match in REFERENCE.finditer(text):
            parts.append(text[at : match.start()])
            at = match.end()
            if match.group(1):
                parts.append(match.group(0)[1:])
                continue
            found = self.named(match.group(2), path)
            if found is FAILED:
                return text
            if isinstance(found, list):
                name = _name(match.group(2))
                message = f"values.{name} is a list: a list can only be a whole value"
                self.fail(path, f'{message} ("${{values.{name}}}" alone)')
                return text
            parts.append(str(found))
        parts.append(text[at:])
        return "".join(parts)

    def named(self, reference: str, path: KeyPath) -> Any:
        """The value `reference` (`values.NAME`) stands for, or `FAILED` after an error."""
        if not reference.startswith(PREFIX):
            written = quoted(MARKER + reference + "}")
            return self.fail(path, f"unknown reference {written}: write ${{values.NAME}}")
        name = reference[len(PREFIX) :]
        found = self.lookup(name, path)
        if found is _MISSING:
            known = ", ".join(sorted(self.values)) or "none"
            return self.fail(path, f"unknown value {quoted(name)} (values: {known})")
        if found is FAILED:
            self.failed = True
        else:
            self.uses[path] = (*self.uses.get(path, ()), ValueUse(name, found))
        return found

    def fail(self, path: KeyPath, message: str) -> Any:
        self.errors.append(_error(self.document, path, message))
        self.failed = True
        return FAILED


def _whole(text: str) -> str | None:
    """The reference of a string that is one reference and nothing else."""
    match = REFERENCE.fullmatch(text)
    return match.group(2) if match and not match.group(1) else None


def _name(reference: str) -> str:
    return reference.removeprefix(PREFIX)


def _error(document: YamlDocument, path: KeyPath, message: str) -> ConfigError:
    return ConfigError(document.source.value_at(path), f"{format_path(path)}: {message}")


def _holds_null(value: Any) -> bool:
    """Whether a value put in is or holds a null (a list may)."""
    return value is None or (isinstance(value, list) and any(map(_holds_null, value)))


def _holding_markers(data: dict[Any, Any], skip: frozenset[str], texts: list[str]) -> set[Any]:
    """The top-level keys whose values hold `${`, so that only they are walked (the 50
    members of a file with a reference in its routing are not). Values are looked at smallest
    first, and once they hold as many `${` as the files' texts, the others cannot hold any;
    unless escapes or aliases can write `${` that the text does not show."""
    left = None
    if not any("\\" in text or "*" in text for text in texts):
        left = sum(text.count(MARKER) for text in texts)
    found = set()
    for key, value in sorted(data.items(), key=lambda item: _size(item[1])):
        if left is not None and left <= 0:
            break
        count = _markers(value)
        if count and key not in skip:
            found.add(key)
        if left is not None:
            left -= count
    return found


def _size(value: Any) -> int:
    return len(value) if isinstance(value, dict | list) else 0


def _markers(value: Any) -> int:
    """How many times `${` is written in the strings under `value`."""
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            count += item.count(MARKER)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _texts(document: YamlDocument) -> list[str]:
    """The texts of the files a document's values come from (a merged one: two)."""
    source = document.source
    base = source.base if isinstance(source, LayeredSource) else None
    return [source.text, base.text] if base is not None else [source.text]
