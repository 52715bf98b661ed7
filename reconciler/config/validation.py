"""Validating a YAML document against a model, with pydantic's errors rewritten for people."""

import datetime
import re
import types
from collections.abc import Mapping, Sized
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, StringConstraints, ValidationError
from pydantic.dataclasses import is_pydantic_dataclass
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from reconciler.config.errors import ConfigError, ConfigErrors, quoted
from reconciler.config.yaml_source import YamlDocument, YamlSource
from reconciler.model.applications import ApplicationName
from reconciler.model.common import DomainName, EmailAddress, OrgName
from reconciler.model.desired import KeyPath
from reconciler.model.organization import HexColour, HttpsUrl
from reconciler.model.tenant import Claims, EnvName, ValueName

M = TypeVar("M", bound=BaseModel)


def _pattern(annotation: object) -> str:
    metadata = get_args(annotation)[1:] or getattr(annotation, "metadata", [])
    return next(str(m.pattern) for m in metadata if isinstance(m, StringConstraints) and m.pattern)


_PATTERNS = {
    _pattern(OrgName): '1..50 lowercase letters, digits, "-" or "_"',
    _pattern(ApplicationName): 'a name without "<" or ">"',
    _pattern(EmailAddress): "an email address",
    _pattern(DomainName): "a domain name such as example.com",
    _pattern(HexColour): 'a hex colour such as "#0059d6"',
    _pattern(HttpsUrl): "an https:// URL",
    _pattern(EnvName): 'an environment variable name (letters, digits and "_")',
    _pattern(ValueName): 'a name of at most 64 letters, digits and "_"',
    _pattern(Claims.model_fields["namespace"]): "an https:// URL",
}
"""What each pattern of the models means, in words."""

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Validated(Generic[M]):
    """A file's model, and where its values are written."""

    source: YamlSource
    model: M

    def error(self, path: KeyPath, message: str) -> ConfigError:
        """An error at the value at `path`, its message prefixed with that path."""
        return ConfigError(self.source.value_at(path), f"{format_path(path)}: {message}")


def validate(model: type[M], document: YamlDocument) -> Validated[M]:
    """`document` as a `model`; raise `ConfigErrors` pointing into the file for each problem."""
    try:
        return Validated(document.source, model.model_validate(document.data))  # strict models
    except ValidationError as error:
        details = error.errors(include_url=False)
        raise ConfigErrors(_config_error(model, document, detail) for detail in details) from None


def format_path(path: KeyPath) -> str:
    """A key path as a person reads it: `members[0].roles[1]`, `permissions["https://..."]`."""
    text = ""
    for part in path:
        if isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        elif isinstance(part, str):
            text += f"[{quoted(part)}]"
        else:
            text += f"[{part}]"
    return text


def describe(value: object) -> str:
    """A short rendering of a YAML value for `(got ...)` in messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quoted(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _config_error(
    model: type[BaseModel], document: YamlDocument, detail: ErrorDetails
) -> ConfigError:
    loc: KeyPath = tuple(detail["loc"])
    kind = detail["type"]
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        allowed = ", ".join(_fields_at(model, loc[:-1]))
        message = f"unknown key {quoted(str(loc[-1]))} (allowed: {allowed})"
        return ConfigError(document.source.key_at(loc), _prefixed(loc[:-1], message))
    if kind == "missing":
        message = f"missing required key {quoted(str(loc[-1]))}"
        return ConfigError(document.source.value_at(loc[:-1]), _prefixed(loc[:-1], message))
    if kind == "invalid_key" or (loc and loc[-1] == "[key]"):
        key = detail["input"]
        parent = loc[:-2] if loc[-1] == "[key]" else loc[:-1]
        if kind in ("invalid_key", "string_type"):
            problem = "must be a string" + (": put it in quotes" if key is not None else "")
        else:
            problem = _problem(detail, loc)
        message = f"key {describe(key)} {problem}"
        return ConfigError(document.source.key_at((*parent, key)), _prefixed(parent, message))
    return ConfigError(document.source.value_at(loc), _prefixed(loc, _problem(detail, loc)))


def _prefixed(path: KeyPath, message: str) -> str:
    return f"{format_path(path)}: {message}" if path else message


def _problem(detail: ErrorDetails, loc: KeyPath) -> str:
    kind = detail["type"]
    value = detail["input"]
    ctx: dict[str, Any] = dict(detail.get("ctx", {}))
    got = f"(got {describe(value)})"
    size = len(value) if isinstance(value, Sized) else 0
    if kind == "string_type" and isinstance(value, int | float | datetime.date):
        return f"must be a string: put {describe(value)} in quotes"
    if kind == "string_pattern_mismatch":
        meaning = _PATTERNS.get(ctx["pattern"], f"text matching {ctx['pattern']}")
        return f"must be {meaning} {got}"
    if kind == "string_too_short":
        return (
            "must not be empty"
            if ctx["min_length"] == 1
            else f"must be {ctx['min_length']} or more characters {got}"
        )
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters, found {size}"
    if kind in ("too_long", "too_short"):
        noun = "keys" if isinstance(value, Mapping) else _noun(loc)
        bound = "at most" if kind == "too_long" else "at least"
        limit = ctx["max_length"] if kind == "too_long" else ctx["min_length"]
        return f"{bound} {limit} {noun}, found {size}"
    if kind in ("value_error", "assertion_error"):
        return str(ctx["error"])
    if kind == "literal_error":
        options = str(ctx["expected"]).replace("'", '"')
        return f"must be {options} {got}"
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        return f"must be {word} {_number(ctx[key])} {got}"
    expected = _EXPECTED.get(kind)
    if expected is not None:
        return f"must be {expected} {got}"
    return f"{detail['msg']} {got}"


_EXPECTED = {
    "string_type": "a string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "dataclass_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "list_type": "a list",
}

_BOUNDS = {
    "greater_than": ("greater than", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("at most", "le"),
}


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_NOUNS = {"api_access": "api_access entries"}


def _noun(loc: KeyPath) -> str:
    if loc and isinstance(loc[-1], str):
        return _NOUNS.get(loc[-1], loc[-1])
    return "entries"


def _fields_at(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys allowed in the mapping at `loc` of a `model` document."""
    annotation: object = model
    for part in loc:
        annotation = _unwrap(annotation)
        fields = _fields(annotation)
        if fields is not None:
            field = fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif get_origin(annotation) in (list, dict):
            annotation = get_args(annotation)[-1]
        else:
            return []
    return list(_fields(_unwrap(annotation)) or ())


def _fields(annotation: object) -> dict[str, FieldInfo] | None:
    """The fields of a model or of a validated dataclass; None for any other type."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.model_fields
    if isinstance(annotation, type) and is_pydantic_dataclass(annotation):
        return annotation.__pydantic_fields__
    return None


def _unwrap(annotation: object) -> object:
    """`X` from `Annotated[X, ...]` and from `X | None`."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation
