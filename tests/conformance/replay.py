"""Replays a distilled fixture against a sandbox and lists where the sandbox differs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from tests.conformance.distil import KINDS

PLACEHOLDER = re.compile(r"\{([a-z0-9]+)_(\d+)\}|\{secret\}")
SECRET_VALUE = "Conformance-Replay-1!"
"""What ``{secret}`` stands for in a request (a password the sandbox's policy accepts)."""
KIND_PATTERNS = {**KINDS, "next": r".+", "email": r"[^@\s]+@[^@\s]+"}


@dataclass
class Replay:
    """One fixture's replay: the placeholders bound so far and the differences found."""

    name: str
    ignored: tuple[str, ...] = ()
    newer: tuple[str, ...] = ()
    bound: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def fill(self, value: Any) -> Any:
        """A request value with its placeholders replaced; e-mail addresses are made up."""
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(item) for item in value]
        if not isinstance(value, str):
            return value
        return PLACEHOLDER.sub(self._value_of, value)

    def _value_of(self, match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{secret}":
            return SECRET_VALUE
        if token not in self.bound:
            if match.group(1) != "email":
                raise LookupError(f"{token} is used before the sandbox answered it")
            self.bound[token] = f"{self.name.replace('_', '-')}-{match.group(2)}@example.com"
        return self.bound[token]

    def matches(self, expected: Any, actual: Any) -> bool:
        """Whether ``actual`` is ``expected`` once placeholders are bound; an unbound one is
        bound to what the sandbox answered if that has the format of its kind."""
        if not isinstance(expected, str) or not isinstance(actual, str):
            return bool(expected == actual and type(expected) is type(actual))
        parts: list[str] = []
        names: list[str] = []
        position = 0
        for match in PLACEHOLDER.finditer(expected):
            parts.append(re.escape(expected[position : match.start()]))
            token = match.group(0)
            if token in self.bound:
                parts.append(re.escape(self.bound[token]))
            else:
                names.append(token)
                parts.append(f"({KIND_PATTERNS.get(match.group(1) or '', '.+')})")
            position = match.end()
        parts.append(re.escape(expected[position:]))
        found = re.fullmatch("".join(parts), actual)
        if found is None:
            return False
        for token, value in zip(names, found.groups(), strict=True):
            self.bound[token] = value
        return True

    def _ignored(self, path: str) -> bool:
        return any(re.fullmatch(pattern, path) for pattern in self.ignored)

    def step(self, client: httpx.Client, index: int, step: dict[str, Any]) -> bool:
        """Send one step and compare; False when the replay cannot go on."""
        where = f"step {index} {step['method']} {step['path']}"
        try:
            path = "/".join(quote(part, safe="") for part in self.fill(step["path"]).split("/"))
            query = self.fill(step.get("query", {}))
            body = self.fill(step["body"]) if "body" in step else None
        except LookupError as error:
            self.problems.append(f"{where}: {error}")
            return False
        request = client.build_request(
            step["method"],
            f"/api/v2{path}",
            params=query,
            content=None if body is None else json.dumps(body).encode(),
            headers={"content-type": "application/json"} if body is not None else {},
        )
        response = client.send(request)
        for _ in range(BUILD_READS):
            if not _still_building(step, response):
                break
            response = client.send(request)
        if response.status_code != step["status"]:
            self.problems.append(
                f"{where}: status {response.status_code}, Auth0 {step['status']}"
                f" ({response.text[:160]})"
            )
            return True
        if "values" not in step:
            return True
        actual = response.json() if response.content else None
        for problem in compare_shape(step["shape"], actual) if "shape" in step else ():
            key = problem.split(":")[0]
            newer = problem.endswith(NOT_RECORDED) and any(
                re.fullmatch(pattern, key) for pattern in self.newer
            )
            if not newer and not self._ignored(key):
                self.problems.append(f"{where}: {problem}")
        flat = flatten(actual)
        for key, expected in step["values"].items():
            if self._ignored(key):
                continue
            if key not in flat:
                continue  # reported as a shape difference
            if not self.matches(expected, flat[key]):
                self.problems.append(f"{where}: {key} is {flat[key]!r}, Auth0 {expected!r}")
        for token in step.get("captures", {}).values():
            if isinstance(actual, dict) and isinstance(actual.get("next"), str):
                self.bound[token] = actual["next"]
        return True


BUILD_READS = 10
"""Reads more of an Action that the sandbox still builds where Auth0's was built: a build
takes time, not reads, so how many reads see it `building` depends on the client's pace."""
UNBUILT = ("pending", "building")


def _still_building(step: dict[str, Any], response: httpx.Response) -> bool:
    """Whether a read found an Action still building where Auth0's recording has it built."""
    if step["method"] != "GET" or step.get("values", {}).get("status") != "built":
        return False
    answer = response.json() if response.content else None
    return isinstance(answer, dict) and answer.get("status") in UNBUILT


NOT_RECORDED = "not in Auth0's answer"
JSON_TYPES = {bool: "boolean", int: "number", float: "number", str: "string", type(None): "null"}


def compare_shape(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where ``actual`` has other keys or JSON types than the recorded shape."""
    here = path or "(body)"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{here}: {type(actual).__name__}, Auth0 an object"]
        problems = [f"{path}{'.' if path else ''}{k}: missing" for k in expected if k not in actual]
        problems += [
            f"{path}{'.' if path else ''}{k}: {NOT_RECORDED}" for k in actual if k not in expected
        ]
        for key in expected:
            if key in actual:
                problems += compare_shape(
                    expected[key], actual[key], f"{path}{'.' if path else ''}{key}"
                )
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{here}: {type(actual).__name__}, Auth0 a list"]
        if expected and actual:
            return compare_shape(expected[0], actual[0], f"{path}[0]")
        return []
    kind = JSON_TYPES.get(type(actual), "object")
    return [] if kind == expected else [f"{here}: {kind}, Auth0 {expected}"]


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Every scalar of a JSON value by its path, as the fixtures name them."""
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, item in value.items():
            found.update(flatten(item, f"{path}.{key}" if path else key))
        return found
    if isinstance(value, list):
        found = {}
        for index, item in enumerate(value):
            found.update(flatten(item, f"{path}[{index}]"))
        return found
    return {path: value}


def load(path: Path) -> dict[str, Any]:
    """A fixture."""
    return dict(json.loads(path.read_text()))
