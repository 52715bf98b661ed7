"""Routes of the Management API: templates, required scopes and handlers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ApiError
from .settings import SandboxSettings
from .validation import Query

if TYPE_CHECKING:
    from .store import Store


@dataclass(slots=True)
class Reply:
    """A handler's answer; ``body=None`` sends no content."""

    status: int
    body: Any = None


@dataclass(slots=True)
class Context:
    """Everything a handler may look at."""

    store: Store
    settings: SandboxSettings
    params: dict[str, str]
    query: Query
    raw_body: bytes
    scopes: frozenset[str]
    _body: Any = field(default=None, init=False)
    _parsed: bool = field(default=False, init=False)

    def body(self) -> Any:
        """The decoded JSON body (``None`` when empty); 400 if it is not JSON."""
        if not self._parsed:
            self._parsed = True
            if self.raw_body.strip():
                try:
                    self._body = json.loads(self.raw_body)
                except ValueError:
                    raise ApiError(400, "Invalid request payload JSON format") from None
        return self._body

    def require_scope(self, *scopes: str) -> None:
        """403 unless the token has one of ``scopes``."""
        if self.scopes.isdisjoint(scopes):
            raise insufficient_scope(scopes)


def insufficient_scope(scopes: Iterable[str]) -> ApiError:
    """403 as Auth0 words it."""
    return ApiError(
        403,
        f"Insufficient scope, expected any of: {','.join(scopes)}",
        "insufficient_scope",
    )


Handler = Callable[[Context], Reply]


@dataclass(frozen=True, slots=True)
class Route:
    """One operation: ``template`` is relative to ``/api/v2`` (``/organizations/{id}``)."""

    method: str
    template: str
    scopes: tuple[str, ...]
    summary: str
    handler: Handler
    segments: tuple[str | None, ...]
    names: tuple[str, ...]
    greedy: bool = False
    """Whether the last parameter takes the rest of the path, slashes included (an API's
    identifier is often a URL)."""

    @property
    def mutating(self) -> bool:
        """Whether the operation writes."""
        return self.method != "GET"


class RouteTable:
    """Routes declared with decorators: ``@routes.get(template, scopes, summary)``."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(
        self, method: str, template: str, scopes: str, summary: str, greedy: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register a handler; ``greedy``: the last parameter takes the rest of the path."""

        def register(handler: Handler) -> Handler:
            parts = template.strip("/").split("/")
            segments = tuple(None if p.startswith("{") else p for p in parts)
            names = tuple(p[1:-1] for p in parts if p.startswith("{"))
            self.routes.append(
                Route(
                    method,
                    template,
                    tuple(scopes.split()),
                    summary,
                    handler,
                    segments,
                    names,
                    greedy and segments[-1] is None,
                )
            )
            return handler

        return register

    def get(
        self, template: str, scopes: str, summary: str, greedy: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register a GET handler."""
        return self.add("GET", template, scopes, summary, greedy)

    def post(self, template: str, scopes: str, summary: str) -> Callable[[Handler], Handler]:
        """Register a POST handler."""
        return self.add("POST", template, scopes, summary)

    def patch(
        self, template: str, scopes: str, summary: str, greedy: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register a PATCH handler."""
        return self.add("PATCH", template, scopes, summary, greedy)

    def delete(
        self, template: str, scopes: str, summary: str, greedy: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register a DELETE handler."""
        return self.add("DELETE", template, scopes, summary, greedy)


class Router:
    """Finds the route for a method and decoded path segments. Literal segments win over
    parameters, earlier ones first (``/organizations/name/x`` is a look-up by name)."""

    def __init__(self, tables: Iterable[RouteTable]) -> None:
        self._by_shape: dict[tuple[str, int], list[Route]] = {}
        self._greedy: list[Route] = []
        for table in tables:
            for route in table.routes:
                self._by_shape.setdefault((route.method, len(route.segments)), []).append(route)
                if route.greedy:
                    self._greedy.append(route)
        for routes in self._by_shape.values():
            routes.sort(key=lambda r: tuple(s is None for s in r.segments))

    @property
    def scopes(self) -> frozenset[str]:
        """Every scope any route accepts."""
        return frozenset(s for rs in self._by_shape.values() for r in rs for s in r.scopes)

    def match(self, method: str, segments: list[str]) -> tuple[Route, dict[str, str]] | None:
        """The route and its path parameters, or None."""
        for route in self._by_shape.get((method, len(segments)), ()):
            if all(
                lit is None or lit == seg for lit, seg in zip(route.segments, segments, strict=True)
            ):
                values = [
                    seg for lit, seg in zip(route.segments, segments, strict=True) if lit is None
                ]
                return route, dict(zip(route.names, values, strict=True))
        for route in self._greedy:
            head = len(route.segments) - 1
            if route.method == method and len(segments) > head + 1:
                folded = [*segments[:head], "/".join(segments[head:])]
                if all(
                    lit is None or lit == seg
                    for lit, seg in zip(route.segments, folded, strict=True)
                ):
                    values = [
                        seg for lit, seg in zip(route.segments, folded, strict=True) if lit is None
                    ]
                    return route, dict(zip(route.names, values, strict=True))
        return None
