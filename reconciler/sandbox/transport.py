"""httpx transports that call the sandbox's ASGI app in-process, sync and async. A dropped
connection surfaces as ``httpx.RemoteProtocolError``, as over a real socket."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

from .faults import ConnectionDropped

Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[Message]],
        Callable[[Message], Awaitable[None]],
    ],
    Awaitable[None],
]


async def call_app(app: ASGIApp, request: httpx.Request, body: bytes) -> httpx.Response:
    """Run one request through an ASGI app and collect the whole response."""
    url = request.url
    port = url.port or (443 if url.scheme == "https" else 80)
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": url.scheme,
        "path": url.path,
        "raw_path": url.raw_path.split(b"?", 1)[0],
        "query_string": url.query,
        "root_path": "",
        "headers": [(k.lower(), v) for k, v in request.headers.raw],
        "client": ("127.0.0.1", 0),
        "server": (url.host, port),
    }
    delivered = False
    status = 500
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    try:
        await app(scope, receive, send)
    except ConnectionDropped as dropped:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        ) from dropped
    return httpx.Response(status, headers=headers, content=b"".join(chunks), request=request)


class AsyncSandboxTransport(httpx.AsyncBaseTransport):
    """Runs the app on the caller's event loop."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request."""
        return await call_app(self.app, request, await request.aread())


class _LoopThread:
    """One event loop on a daemon thread, started on first use and shared by all sync
    transports of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=loop.run_forever, name="sandbox-transport", daemon=True
                ).start()
                self._loop = loop
            return self._loop


_LOOP = _LoopThread()


class SyncSandboxTransport(httpx.BaseTransport):
    """Runs the app on a private event loop in a background thread and waits for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request."""
        body = request.read()
        future = asyncio.run_coroutine_threadsafe(call_app(self.app, request, body), _LOOP.loop())
        return future.result()
