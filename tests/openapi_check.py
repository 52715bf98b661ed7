"""Check Management API responses against the vendored OpenAPI document (tests/openapi/).

Response schemas are resolved (``$ref`` inlined), ``oneOf`` is read as "at least one"
(a last checkpoint page fits two list shapes) and roles may carry ``type``/``owner_id``
(the document predates organization roles). Validators are compiled once per
(path template, method, status)."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from reconciler.sandbox import ResponseSample

SPEC_PATH = Path(__file__).resolve().parent / "openapi" / "management-api.openapi.json"
API_PREFIX = "/api/v2"
ROLE_SCHEMAS = (
    "Role",
    "CreateRoleResponseContent",
    "GetRoleResponseContent",
    "UpdateRoleResponseContent",
)
ROLE_EXTENSIONS = {
    "type": {"type": "string", "enum": ["tenant", "organization"]},
    "owner_id": {"type": "string"},
}
IDENTIFIER_PATHS = frozenset({"/resource-servers/{id}"})
"""Templates whose last parameter may hold slashes: Auth0 finds an API by its identifier, often
a URL, in the path."""
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["statusCode", "error", "message"],
    "properties": {
        "statusCode": {"type": "integer"},
        "error": {"type": "string"},
        "message": {"type": "string"},
        "errorCode": {"type": "string"},
    },
}
ANNOTATIONS = frozenset({"description", "default", "examples", "example", "format", "title"})
_NOT_JSON = object()
_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


def _may_match(instance: Any, schema: dict[str, Any]) -> bool:
    """A cheap pre-check of an ``anyOf`` branch: its type, and for closed objects, keys."""
    expected = schema.get("type")
    if expected is not None:
        found = _JSON_TYPES.get(type(instance))
        if found is None:
            found = "integer" if isinstance(instance, int) else "number"
        allowed = expected if isinstance(expected, list) else [expected]
        if found not in allowed and not (found == "integer" and "number" in allowed):
            return False
    if isinstance(instance, dict) and schema.get("additionalProperties") is False:
        return set(instance) <= set(schema.get("properties", {}))
    return True


def _any_of(
    validator: Any, branches: list[dict[str, Any]], instance: Any, schema: dict[str, Any]
) -> Iterable[ValidationError]:
    """``anyOf`` that skips branches which cannot match before validating the others (the
    list responses have three branches, each holding a whole page of items)."""
    candidates = [b for b in branches if _may_match(instance, b)] or branches
    errors: list[ValidationError] = []
    for branch in candidates:
        found = list(validator.descend(instance, branch))
        if not found:
            return
        errors.extend(found)
    yield ValidationError(
        f"{instance!r:.80} is not valid under any of the given schemas", context=errors
    )


_Validator = validators.extend(Draft202012Validator, {"anyOf": _any_of})


def _inline(node: Any, schemas: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """A copy of ``node`` with ``$ref``s replaced by their targets and ``oneOf`` as
    ``anyOf``."""
    if isinstance(node, list):
        return [_inline(item, schemas, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            raise ValueError(f"recursive schema {name}")
        return _inline(schemas[name], schemas, (*seen, name))
    return {
        ("anyOf" if key == "oneOf" else key): _inline(value, schemas, seen)
        for key, value in node.items()
        if not (key in ANNOTATIONS and not isinstance(value, dict)) and not key.startswith("x-")
    }


def _segments(path: str) -> list[str]:
    return [unquote(part) for part in path.strip("/").split("/")]


class OpenApiChecker:
    """Finds the operation of a concrete request and validates the response body."""

    def __init__(self, spec: dict[str, Any]) -> None:
        schemas = copy.deepcopy(spec["components"]["schemas"])
        for name in ROLE_SCHEMAS:
            if name in schemas:
                props = schemas[name].setdefault("properties", {})
                for key, value in ROLE_EXTENSIONS.items():
                    props.setdefault(key, value)
        self._schemas = schemas
        self._templates: list[tuple[list[str | None], str, dict[str, Any]]] = []
        for template, operations in spec["paths"].items():
            parts = [None if p.startswith("{") else p for p in template.strip("/").split("/")]
            self._templates.append((parts, template, operations))
        self._templates.sort(key=lambda t: [part is None for part in t[0]])
        self._validators: dict[tuple[str, str, int], Any] = {}
        self._error_validator = _Validator(ERROR_SCHEMA)
        self._passed: set[tuple[str, str, int, bytes]] = set()

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> OpenApiChecker:
        """A checker for the vendored document; a missing document is an error, never a skip."""
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} is missing: every sandbox response is checked against it"
            )
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def operation(self, path: str) -> tuple[str, dict[str, Any]] | None:
        """The path template and its operations for a concrete ``/api/v2/...`` path."""
        if not path.startswith(API_PREFIX + "/"):
            return None
        segments = _segments(path[len(API_PREFIX) :])
        for parts, template, operations in self._templates:
            if template in IDENTIFIER_PATHS and len(segments) > len(parts):
                head = len(parts) - 1
                folded = [*segments[:head], "/".join(segments[head:])]
            else:
                folded = segments
            if len(parts) == len(folded) and all(
                part is None or part == seg for part, seg in zip(parts, folded, strict=True)
            ):
                return template, operations
        return None

    def _validator(self, template: str, method: str, status: int, response: dict[str, Any]) -> Any:
        key = (template, method, status)
        if key not in self._validators:
            content = response.get("content", {}).get("application/json")
            self._validators[key] = (
                _Validator(_inline(content["schema"], self._schemas))
                if content and "schema" in content
                else None
            )
        return self._validators[key]

    def problems(self, method: str, path: str, status: int, body: bytes) -> list[str]:
        """What is wrong with one response (empty when it conforms)."""
        where = f"{method} {path} -> {status}"
        data: Any = _NOT_JSON
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                return [f"{where}: body is not JSON"]
        if status >= 400:
            if data is _NOT_JSON:
                return [f"{where}: error without a body"]
            return [f"{where}: {e.message}" for e in self._error_validator.iter_errors(data)]
        found = self.operation(path)
        if found is None:
            return [f"{where}: no such path in the OpenAPI document"]
        template, operations = found
        operation = operations.get(method.lower())
        if operation is None:
            return [f"{where}: {template} has no {method} operation"]
        response = operation.get("responses", {}).get(str(status))
        if response is None:
            declared = ", ".join(sorted(operation.get("responses", {})))
            return [f"{where}: status not declared for {template} (declared: {declared})"]
        validator = self._validator(template, method, status, response)
        if validator is None:
            return [] if data is _NOT_JSON else [f"{where}: expected no body"]
        if data is _NOT_JSON:
            return [f"{where}: expected a JSON body"]
        return [
            f"{where}: {'/'.join(map(str, e.absolute_path)) or '<body>'}: {e.message}"
            for e in validator.iter_errors(data)
        ]

    def check_all(self, samples: Iterable[ResponseSample]) -> list[str]:
        """Problems of every response. A body that passed once for the same operation and
        status is not validated again (plans read the same pages over and over)."""
        found: list[str] = []
        for sample in samples:
            operation = self.operation(sample.path)
            template = operation[0] if operation else sample.path
            digest = hashlib.blake2b(sample.body, digest_size=16).digest()
            key = (sample.method, template, sample.status, digest)
            if key in self._passed:
                continue
            problems = self.problems(sample.method, sample.path, sample.status, sample.body)
            if problems:
                found.extend(problems)
            else:
                self._passed.add(key)
        return found
