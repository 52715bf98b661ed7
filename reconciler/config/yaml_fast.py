"""The fast way of reading a plain file: yaml_rs, a YAML 1.2 parser, for files that cannot
read differently under PyYAML's YAML 1.1, which stays the authority (every error and every
mark comes from PyYAML, reading the file again when one is needed).

YAML 1.1 and 1.2 differ in what a plain scalar means (`yes`, `on` and `off` are booleans in
1.1; `017` is octal; `12:30` is a number in base 60; `1e3` is a string; `0o17` is a number
in 1.2 only; dates), so a file is read here only when every value in it is a string that
PyYAML would also take for a string (and that starts with no indicator such as `|`, `:` or
`-`), a boolean written as YAML 1.2 writes it (`true`, `False`...), null, a mapping with
string keys or a list. Before parsing, a scan of the text leaves to PyYAML every file with
what the two read differently or PyYAML refuses: tags and directives (`!`, `%`), anchors and
aliases (`&`, `*`), merge keys (`<<`), escapes (`\\`), `?` (which ends a plain scalar in a
flow collection in PyYAML only), block scalars, lines starting with `:`, document markers,
tabs, line breaks of YAML 1.1 only (U+0085, U+2028, U+2029) and characters PyYAML does not
read; and after it, strings longer than a key may be. A duplicate key is an error of yaml_rs,
which leaves the file to PyYAML too. Without yaml_rs installed, every file is read by PyYAML.
"""

import re
from collections.abc import Callable
from itertools import compress
from operator import itemgetter
from typing import Any

from yaml.resolver import Resolver

_loads: Callable[[str], Any] | None
try:
    from yaml_rs import loads as _loads
except ImportError:  # pragma: no cover - yaml_rs is a dependency; the code works without it
    _loads = None

_LEFT_TO_PYYAML = re.compile(
    r"[^\n\r\x20\x22-\x24\x27-\x29\x2b-\x3b\x3d\x3e\x40-\x5b\x5d-\x7e"
    r"\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""Every character but those PyYAML reads as they are, and but `!%&*<\\?` (tags, directives,
anchors, aliases, merge keys, escapes; `?` ends a plain scalar in a flow collection in
PyYAML, not in yaml_rs); also U+0085, U+2028 and U+2029 (line breaks in YAML 1.1 only) and
U+FEFF."""
_LEFT_TO_PYYAML_TEXT = ("\n:", " :", "\n|", "\n>", " |", " >", "\n---", "\n...")
"""Explicit values (`:`), block scalars (`|`, `>`; an empty one reads as a line
break in yaml_rs) and document markers, at the start of a line or after a space."""
_READ_ALIKE_BYTES = bytes(c for c in range(128) if not _LEFT_TO_PYYAML.match(chr(c)))
"""The ASCII characters `_LEFT_TO_PYYAML` lets through, deleted from the bytes of an ASCII
file: what is left is what it would find (deleting costs a tenth of searching)."""
_LEFT_TO_PYYAML_MARKS = re.compile(rb"\n(?:[:|>]|---|\.\.\.)")
"""`_LEFT_TO_PYYAML_TEXT` in bytes whose spaces are line breaks (which finds " ---" and
" ..." too): one search for a line break, where the markers take eight."""
_LEFT_TO_PYYAML_START = (":", "|", ">", "---", "...")
_INDICATORS = frozenset("|>@`?:-%")
"""What a plain scalar may not start with (or only in some places): a string that starts so
was quoted or read by yaml_rs in a way PyYAML may not read."""
MAX_KEY = 1000
"""PyYAML reads a key of at most 1024 characters: a file with a longer one is its to read."""
_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers
"""PyYAML's implicit types of plain scalars, by first character (it has none for any)."""
_CHECKED_FIRST = frozenset(_INDICATORS | {k for k in _RESOLVERS if k is not None})
_FIRST = itemgetter(slice(None, 1))
_NOT_STRINGS = frozenset({True, False, None})
_SCALARS = frozenset({str, bool, type(None)})
_VALUES = _SCALARS | {dict, list}
"""The types of the values a plain file may hold (a number or a date is PyYAML's to read)."""


Read = tuple[dict[str, Any], bool]
"""A plain file's values and whether any of them is null."""


def available() -> bool:
    """Whether yaml_rs is installed, so that plain files take the fast path."""
    return _loads is not None


def fast_mapping(text: str, raw: bytes) -> Read | None:
    """The values of a file (`text`, decoded from `raw`) whose top level is a mapping and that
    reads the same under YAML 1.1 and 1.2, and whether any of them is null; None for any other
    file (and without yaml_rs), for PyYAML to read."""
    if _loads is None or text.startswith(_LEFT_TO_PYYAML_START):
        return None
    if raw.isascii():
        if raw.translate(None, _READ_ALIKE_BYTES) or _LEFT_TO_PYYAML_MARKS.search(
            raw.replace(b" ", b"\n")
        ):
            return None
    elif _LEFT_TO_PYYAML.search(text) or any(m in text for m in _LEFT_TO_PYYAML_TEXT):
        return None
    try:
        data = _loads(text)
    except Exception:  # any refusal of yaml_rs is PyYAML's to report
        return None
    if type(data) is not dict or not data:
        return None
    scalars = _scalars(data)
    return None if scalars is None else (data, None in scalars)


def _scalars(root: dict[Any, Any]) -> set[Any] | None:
    """The scalar values under `root` when every value is one PyYAML reads alike: strings
    (checked below), YAML 1.2 booleans, null, lists and mappings with string keys; else None."""
    keys: set[Any] = set(root)
    scalars: set[Any] = set()
    values: list[Any] = list(root.values())
    while values:  # a level at a time; a level of scalars alone (the last) in one step
        kinds = set(map(type, values))
        if kinds <= _SCALARS:
            scalars.update(values)
            break
        if not kinds <= _VALUES:
            return None
        below: list[Any] = []
        for value in values:
            kind = type(value)
            if kind is dict:
                keys.update(value)
                below += value.values()
            elif kind is list:
                below += value
            else:
                scalars.add(value)
        values = below
    if set(map(type, keys)) != {str} or max(map(len, keys)) > MAX_KEY:
        return None
    strings = keys | scalars
    strings -= _NOT_STRINGS
    checked = compress(strings, map(_CHECKED_FIRST.__contains__, map(_FIRST, strings)))
    return None if any(map(_resolved_otherwise, checked)) else scalars


def _resolved_otherwise(text: str) -> bool:
    """Whether `text` written plain is something else to PyYAML (`yes`, `017`, `12:30`,
    `2024-01-31`, `~`...), or starts with an indicator, so that it was quoted or read by
    yaml_rs in a way PyYAML may not read: then PyYAML must read the file."""
    if text[:1] in _INDICATORS:
        return True
    return any(pattern.match(text) for _, pattern in _RESOLVERS.get(text[:1], ()))
