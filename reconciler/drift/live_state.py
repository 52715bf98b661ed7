"""The live state a plan was made against (`model.live.Snapshot`), as plain JSON and back.

The types are walked by their annotations, so a field added to them is kept without a change
here. Reading is strict: every value must have its field's type, and a field missing or
unknown is an error (ValueError, naming where). The model holds no secret (connection options
and applications are read without theirs, an Action's secrets by name only); how many calls
the read took is not kept.
"""

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any, Union

from reconciler.model.live import Snapshot

NOT_KEPT = frozenset({"read_calls"})
"""Fields of a Snapshot that describe the read, not the tenant."""


def live_document(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as JSON values (keys sorted where the model has sets)."""
    document = _encode(snapshot, Snapshot)
    assert isinstance(document, dict)
    return document


def live_from(document: Any) -> Snapshot:
    """The snapshot `live_document` wrote; ValueError when `document` is not one."""
    snapshot = _decode(document, Snapshot, "live")
    assert isinstance(snapshot, Snapshot)
    return snapshot


@cache
def _hints(kind: type) -> dict[str, Any]:
    return {
        f.name: hint
        for f in dataclasses.fields(kind)
        if f.name not in NOT_KEPT
        for hint in [typing.get_type_hints(kind)[f.name]]
    }


def _encode(value: Any, hint: Any) -> Any:
    if value is None or hint is Any:
        return value
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        return _encode(value, next(a for a in args if a is not type(None)))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return {name: _encode(getattr(value, name), h) for name, h in _hints(hint).items()}
    if origin is dict:
        key, item = args
        if key is str:
            return {k: _encode(v, item) for k, v in sorted(value.items())}
        return [[_encode(k, key), _encode(v, item)] for k, v in sorted(value.items())]
    if origin is frozenset:
        return sorted((_encode(v, args[0]) for v in value), key=json.dumps)
    if origin is tuple:
        each = args[0] if len(args) == 2 and args[1] is Ellipsis else None
        return [_encode(v, each or args[i]) for i, v in enumerate(value)]
    return value


def _decode(value: Any, hint: Any, where: str) -> Any:
    if hint is Any:
        return value
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        return _decode(value, next(a for a in args if a is not type(None)), where)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        fields = _hints(hint)
        if not isinstance(value, dict) or set(value) != set(fields):
            raise ValueError(f"{where} is not a {hint.__name__} of this version")
        decoded = {n: _decode(value[n], h, f"{where}.{n}") for n, h in fields.items()}
        return hint(**decoded)
    if origin is dict:
        key, item = args
        if key is str:
            return {
                _decode(k, str, where): _decode(v, item, f"{where}.{k}")
                for k, v in _typed(value, dict, where).items()
            }
        return dict(_pair(entry, key, item, where) for entry in _typed(value, list, where))
    if origin is frozenset:
        return frozenset(_decode(v, args[0], where) for v in _typed(value, list, where))
    if origin is tuple:
        items = _typed(value, list, where)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(v, args[0], where) for v in items)
        if len(items) != len(args):
            raise ValueError(f"{where}: expected {len(args)} values, got {len(items)}")
        return tuple(_decode(v, a, where) for v, a in zip(items, args, strict=True))
    if hint is int and isinstance(value, bool):
        raise ValueError(f"{where}: expected a number, got a boolean")
    return _typed(value, hint, where)


def _pair(entry: Any, key: Any, item: Any, where: str) -> tuple[Any, Any]:
    pair = _typed(entry, list, where)
    if len(pair) != 2:
        raise ValueError(f"{where}: expected a [key, value] pair")
    return _decode(pair[0], key, where), _decode(pair[1], item, where)


def _typed(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind):
        raise ValueError(f"{where}: expected {kind.__name__}, got {type(value).__name__}")
    return value
