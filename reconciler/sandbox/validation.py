"""Request validation worded like Auth0's: typed readers for JSON bodies and query strings."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any
from urllib.parse import parse_qs

from .errors import invalid_body, invalid_query

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
NAME_WITHOUT_BRACKETS = re.compile(r"^[^<>]+$")
_TYPE_NAMES: dict[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value."""
    return _TYPE_NAMES.get(type(value), "unknown")


def _length_problem(value: str, min_len: int, max_len: int | None) -> str | None:
    if len(value) < min_len:
        return f"String is too short ({len(value)} chars), minimum {min_len}"
    if max_len is not None and len(value) > max_len:
        return f"String is too long ({len(value)} chars), maximum {max_len}"
    return None


class Body:
    """A JSON object from a request body, read field by field. Unknown properties (unless
    ``allowed`` is None), missing required ones and wrong types are 400 ``invalid_body``."""

    def __init__(
        self,
        data: Any,
        allowed: Collection[str] | None,
        required: Iterable[str] = (),
        path: str = "",
    ) -> None:
        where = path or None
        if not isinstance(data, dict):
            raise invalid_body(f"Expected type object but found type {json_type(data)}", where)
        extra = [] if allowed is None else [key for key in data if key not in allowed]
        if extra:
            raise invalid_body(f"Additional properties not allowed: {','.join(extra)}", where)
        for key in required:
            if key not in data:
                raise invalid_body(f"Missing required property: {key}", where)
        self.data: dict[str, Any] = data
        self._path = path

    @property
    def path(self) -> str | None:
        """The dotted name of this object in the request body (None at the top)."""
        return self._path or None

    def where(self, key: str) -> str:
        """The dotted name of a property, for error messages."""
        return f"{self._path}.{key}" if self._path else key

    def has(self, key: str) -> bool:
        """Whether the property is present (even as null)."""
        return key in self.data

    def _get(self, key: str, expected: str, nullable: bool) -> Any:
        value = self.data.get(key)
        if value is None:
            if key in self.data and not nullable:
                raise invalid_body(f"Expected type {expected} but found type null", self.where(key))
            return None
        found = json_type(value)
        if found != expected and not (expected == "number" and found == "integer"):
            raise invalid_body(f"Expected type {expected} but found type {found}", self.where(key))
        return value

    def string(
        self,
        key: str,
        *,
        min_len: int = 0,
        max_len: int | None = None,
        pattern: re.Pattern[str] | None = None,
        nullable: bool = False,
    ) -> str | None:
        """A string property, checked for length and pattern."""
        value: str | None = self._get(key, "string", nullable)
        if value is None:
            return None
        problem = _length_problem(value, min_len, max_len)
        if problem is None and pattern is not None and not pattern.search(value):
            problem = f"String does not match pattern {pattern.pattern}: {value}"
        if problem:
            raise invalid_body(problem, self.where(key))
        return value

    def email(self, key: str, *, nullable: bool = False) -> str | None:
        """A string property in email format."""
        value = self.string(key, nullable=nullable)
        if value is not None and not EMAIL.match(value):
            raise invalid_body(
                f"Object didn't pass validation for format email: {value}", self.where(key)
            )
        return value

    def enum(self, key: str, values: Collection[str], *, nullable: bool = False) -> str | None:
        """A string property that must be one of ``values``."""
        value = self.string(key, nullable=nullable)
        if value is not None and value not in values:
            raise invalid_body(f"No enum match for: {value}", self.where(key))
        return value

    def boolean(self, key: str, *, nullable: bool = False) -> bool | None:
        """A boolean property."""
        value: bool | None = self._get(key, "boolean", nullable)
        return value

    def integer(
        self, key: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """An integer property within bounds."""
        value: int | None = self._get(key, "integer", False)
        if value is None:
            return None
        if minimum is not None and value < minimum:
            raise invalid_body(f"Value {value} is less than minimum {minimum}", self.where(key))
        if maximum is not None and value > maximum:
            raise invalid_body(f"Value {value} is greater than maximum {maximum}", self.where(key))
        return value

    def object(self, key: str, *, nullable: bool = False) -> dict[str, Any] | None:
        """An object property, unchecked inside."""
        value: dict[str, Any] | None = self._get(key, "object", nullable)
        return value

    def nested(
        self,
        key: str,
        allowed: Collection[str] | None,
        required: Iterable[str] = (),
        *,
        nullable: bool = False,
    ) -> Body | None:
        """An object property read as a :class:`Body` of its own."""
        value = self.object(key, nullable=nullable)
        return None if value is None else Body(value, allowed, required, self.where(key))

    def array(
        self,
        key: str,
        *,
        min_items: int = 0,
        max_items: int | None = None,
        nullable: bool = False,
    ) -> list[Any] | None:
        """An array property with a length range."""
        value: list[Any] | None = self._get(key, "array", nullable)
        if value is None:
            return None
        if len(value) < min_items:
            raise invalid_body(
                f"Array is too short ({len(value)}), minimum {min_items}", self.where(key)
            )
        if max_items is not None and len(value) > max_items:
            raise invalid_body(
                f"Array is too long ({len(value)}), maximum {max_items}", self.where(key)
            )
        return value

    def strings(
        self,
        key: str,
        *,
        min_items: int = 0,
        max_items: int | None = None,
        min_len: int = 0,
        nullable: bool = False,
    ) -> list[str] | None:
        """An array of strings."""
        items = self.array(key, min_items=min_items, max_items=max_items, nullable=nullable)
        if items is None:
            return None
        for index, item in enumerate(items):
            where = f"{self.where(key)}[{index}]"
            if not isinstance(item, str):
                raise invalid_body(f"Expected type string but found type {json_type(item)}", where)
            problem = _length_problem(item, min_len, None)
            if problem:
                raise invalid_body(problem, where)
        return items

    def objects(
        self,
        key: str,
        allowed: Collection[str] | None,
        required: Iterable[str] = (),
        *,
        min_items: int = 0,
        max_items: int | None = None,
    ) -> list[Body] | None:
        """An array of objects, each read as a :class:`Body` (any keys when ``allowed`` is
        None)."""
        items = self.array(key, min_items=min_items, max_items=max_items)
        if items is None:
            return None
        required = tuple(required)
        return [
            Body(item, allowed, required, f"{self.where(key)}[{index}]")
            for index, item in enumerate(items)
        ]

    def string_map(self, key: str, *, max_keys: int, max_len: int) -> dict[str, str | None] | None:
        """An object of string (or null) values, such as organization metadata."""
        value = self.object(key)
        if value is None:
            return None
        if len(value) > max_keys:
            raise invalid_body(
                f"Too many properties ({len(value)}), maximum {max_keys}", self.where(key)
            )
        for name, item in value.items():
            where = f"{self.where(key)}.{name}"
            if item is not None and not isinstance(item, str):
                raise invalid_body(
                    f"Expected type string,null but found type {json_type(item)}", where
                )
            if item is not None and len(item) > max_len:
                raise invalid_body(
                    f"String is too long ({len(item)} chars), maximum {max_len}", where
                )
        return value


class Query:
    """The query string of a request, read parameter by parameter. Wrong values are 400
    ``invalid_query_string``; unknown parameters are ignored."""

    def __init__(self, raw: str) -> None:
        self.values: dict[str, list[str]] = parse_qs(raw, keep_blank_values=True) if raw else {}

    def has(self, name: str) -> bool:
        """Whether the parameter is present."""
        return name in self.values

    def string(self, name: str) -> str | None:
        """The parameter's (first) value."""
        values = self.values.get(name)
        return values[0] if values else None

    def strings(self, name: str) -> list[str]:
        """All values of a repeated parameter."""
        return self.values.get(name, [])

    def integer(
        self, name: str, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """An integer parameter within bounds."""
        raw = self.string(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise invalid_query("Expected type integer but found type string", name) from None
        if minimum is not None and value < minimum:
            raise invalid_query(f"Value {value} is less than minimum {minimum}", name)
        if maximum is not None and value > maximum:
            raise invalid_query(f"Value {value} is greater than maximum {maximum}", name)
        return value

    def boolean(self, name: str) -> bool | None:
        """A ``true``/``false`` parameter."""
        raw = self.string(name)
        if raw is None:
            return None
        lowered = raw.lower()
        if lowered not in ("true", "false"):
            raise invalid_query("Expected type boolean but found type string", name)
        return lowered == "true"

    def enum(self, name: str, values: Collection[str]) -> str | None:
        """A parameter that must be one of ``values``."""
        raw = self.string(name)
        if raw is not None and raw not in values:
            raise invalid_query(f"No enum match for: {raw}", name)
        return raw

    def fields(self, allowed: Collection[str] | None = None) -> tuple[list[str] | None, bool]:
        """``fields`` (comma-separated) and ``include_fields`` (default true)."""
        raw = self.string("fields")
        include = self.boolean("include_fields")
        if not raw:
            return None, True
        names = [name for name in raw.split(",") if name]
        if allowed is not None:
            unknown = [name for name in names if name not in allowed]
            if unknown:
                raise invalid_query(f"String does not match pattern: {raw}", "fields")
        return names, include is not False


def select_fields(obj: dict[str, Any], names: list[str] | None, include: bool) -> dict[str, Any]:
    """Keep (``include``) or drop the named top-level fields of a rendered object."""
    if names is None:
        return obj
    if include:
        return {key: value for key, value in obj.items() if key in names}
    return {key: value for key, value in obj.items() if key not in names}
