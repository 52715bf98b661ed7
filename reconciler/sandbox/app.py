"""The ASGI application: ``/api/v2``, ``/oauth/token`` and the ``/_sandbox`` controls."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from .auth import token_endpoint
from .calllog import API_PREFIX, CALL_LOG_LIMIT, CallRecord, ResponseSample, observing, publish
from .errors import ApiError
from .faults import ConnectionDropped
from .limits import OTHER, group_of, limit_reached
from .router import Context, Route, insufficient_scope
from .validation import Query

_TICKET_COMPLETION = re.compile(r"/_sandbox/sso-tickets/([A-Za-z0-9]+)/complete")
"""The control that completes a self-service SSO ticket."""

if TYPE_CHECKING:
    from .sandbox import Sandbox

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

JSON_TYPE = (b"content-type", b"application/json; charset=utf-8")


@dataclass(slots=True)
class Response:
    """A complete HTTP response."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None


def dump(payload: Any) -> bytes:
    """Compact JSON, as the API sends it."""
    return json.dumps(payload, separators=(",", ":")).encode()


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON response (no body for ``None``)."""
    return Response(status, b"" if payload is None else dump(payload), headers or {})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


class SandboxApp:
    """Serves one :class:`Sandbox`; every request is logged in ``sandbox.calls``."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        method: str = scope["method"]
        path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        body = await _read_body(receive)
        try:
            response = await self._respond(method, path, query, headers, body)
        except ConnectionDropped as dropped:
            self._log(method, path, query, dropped.status, started, dropped.fault)
            raise
        self._log(method, path, query, response.status, started, response.fault)
        raw_headers = [(k.encode(), v.encode()) for k, v in response.headers.items()]
        raw_headers.append((b"content-length", str(len(response.body)).encode()))
        if response.body:
            raw_headers.append(JSON_TYPE)
        await send(
            {"type": "http.response.start", "status": response.status, "headers": raw_headers}
        )
        await send({"type": "http.response.body", "body": response.body})

    def _log(
        self, method: str, path: str, query: str, status: int, started: float, fault: str | None
    ) -> None:
        elapsed = time.perf_counter() - started
        calls = self.sandbox.calls
        arrived = self.sandbox.clock() - elapsed
        calls.append(
            CallRecord(method, path, query, status, round(elapsed * 1000, 3), fault, arrived)
        )
        if len(calls) > CALL_LOG_LIMIT:
            del calls[: CALL_LOG_LIMIT // 10]

    async def _respond(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Response:
        if path.startswith(API_PREFIX):
            return await self._api(method, path, query, headers, body)
        if path == "/oauth/token" and method == "POST":
            sandbox = self.sandbox
            status, payload = token_endpoint(
                sandbox.tokens,
                sandbox.world.management_client,
                sandbox.all_scopes,
                body,
                headers.get("content-type", ""),
            )
            return json_response(status, payload)
        if path.startswith("/_sandbox/"):
            refused = self._control_refused(headers)
            if refused is not None:
                return refused
            return self._control(method, path, Query(query), body)
        return json_response(404, ApiError(404, "Not Found").body())

    async def _api(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Response:
        sandbox = self.sandbox
        settings = sandbox.settings
        if settings.latency_ms:
            await asyncio.sleep(settings.latency_ms / 1000)
        segments = [unquote(s) for s in path[len(API_PREFIX) :].split("/")]
        match = sandbox.router.match(method, segments)
        group = OTHER if match is None else group_of(method, match[0].template)
        taken = sandbox.limiter.take(
            sandbox.clock(),
            settings.limits,
            group,
            settings.rate_limit_rps,
            settings.rate_limit_burst,
            settings.limits_speedup,
        )
        limits = taken.headers
        if taken.refused_by is not None:
            error = ApiError(429, limit_reached(taken.refused_by), "too_many_requests")
            return self._api_response(method, path, 429, error.body(), limits, "rate_limited")
        fault = sandbox.faults.before_request(settings)
        if fault == "drop":
            raise ConnectionDropped("drop")
        if fault == "server_error":
            error = ApiError(settings.fail_status, "Service temporarily unavailable")
            return self._api_response(
                method, path, error.status, error.body(), limits, "server_error"
            )
        route: Route | None = None
        with sandbox.lock:
            try:
                grant = sandbox.tokens.check(headers.get("authorization"))
                if match is None:
                    raise ApiError(404, "Not Found")
                route, params = match
                if grant.scopes.isdisjoint(route.scopes):
                    raise insufficient_scope(route.scopes)
                ctx = Context(sandbox.store, settings, params, Query(query), body, grant.scopes)
                reply = route.handler(ctx)
                status, payload = reply.status, reply.body
                if route.mutating:
                    sandbox.record_write(
                        route, method, path, status, grant.client_id, body, query, payload
                    )
            except ApiError as error:
                status, payload = error.status, error.body()
            encoded = b"" if payload is None else dump(payload)
        written = route is not None and route.mutating and status < 300
        if written and sandbox.faults.lose_response(settings):
            raise ConnectionDropped("lost_response", status)
        return self._api_response(method, path, status, encoded, limits)

    @staticmethod
    def _api_response(
        method: str,
        path: str,
        status: int,
        payload: Any,
        headers: dict[str, str],
        fault: str | None = None,
    ) -> Response:
        body = payload if isinstance(payload, bytes) else dump(payload)
        if observing():
            publish(ResponseSample(method, path, status, body))
        return Response(status, body, headers, fault)

    def _control_refused(self, headers: dict[str, str]) -> Response | None:
        """The controls answer only a client holding a token of this sandbox, and never a
        page of another site (a browser sends `Origin` with its cross-site requests)."""
        origin = headers.get("origin")
        if origin is not None and urlsplit(origin).netloc != headers.get("host", ""):
            return json_response(403, ApiError(403, "Cross-site request refused").body())
        try:
            self.sandbox.tokens.check(headers.get("authorization"))
        except ApiError as error:
            return json_response(error.status, error.body())
        return None

    def _complete_ticket(self, ticket_id: str, body: bytes) -> Response:
        """What a customer's admin does with a self-service SSO ticket: the connection it asks
        for, made with `{"strategy", "options"}`, with its applications and organizations."""
        try:
            data = json.loads(body or b"{}")
            if not isinstance(data, dict):
                raise ValueError("expected a JSON object")
            strategy, options = data.get("strategy"), data.get("options", {})
            if not isinstance(strategy, str) or not isinstance(options, dict):
                raise ValueError("strategy (text) and options (an object) are required")
        except ValueError as error:
            return json_response(400, ApiError(400, str(error), "invalid_body").body())
        try:
            with self.sandbox.lock:
                made = self.sandbox.store.complete_sso_ticket(ticket_id, strategy, options)
        except ApiError as error:
            return json_response(error.status, error.body())
        return json_response(201, {"id": made["id"], "name": made["name"]})

    def _control(self, method: str, path: str, query: Query, body: bytes) -> Response:
        sandbox = self.sandbox
        if path == "/_sandbox/calls" and method == "GET":
            calls = sandbox.api_calls() if query.string("api") in ("1", "true") else sandbox.calls
            return json_response(200, {"calls": [c.to_json() for c in calls]})
        if path == "/_sandbox/reset" and method == "POST":
            sandbox.reset_calls()
            if query.string("state") in ("1", "true"):
                sandbox.reset_state()
            return json_response(204, None)
        if path == "/_sandbox/token" and method == "POST":
            try:
                client_id = json.loads(body or b"{}").get("client_id")
            except (ValueError, AttributeError):
                client_id = None
            if not isinstance(client_id, str) or not client_id:
                return json_response(400, ApiError(400, "client_id is required").body())
            return json_response(200, {"access_token": sandbox.issue_token(client_id=client_id)})
        ticket = _TICKET_COMPLETION.fullmatch(path)
        if ticket is not None and method == "POST":
            return self._complete_ticket(ticket.group(1), body)
        if path == "/_sandbox/settings" and method == "GET":
            return json_response(200, sandbox.settings.model_dump())
        if path == "/_sandbox/settings" and method == "PATCH":
            try:
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("expected a JSON object")
                return json_response(200, sandbox.update_settings(**changes).model_dump())
            except (ValueError, ValidationError) as error:
                return json_response(400, ApiError(400, str(error), "invalid_body").body())
        return json_response(404, ApiError(404, "Not Found").body())
