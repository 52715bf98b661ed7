"""A served sandbox behind a hostile front: the answers a test picks are replaced, as a broken
or compromised server (or one in the middle) would send them; every other request reaches the
sandbox."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from reconciler.sandbox import Sandbox, serving


@dataclass(frozen=True)
class Request:
    """What the client sent."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Answer:
    """What the front sends instead of the sandbox's answer."""

    status: int
    body: bytes
    headers: dict[str, str] = field(
        default_factory=lambda: {"content-type": "application/json; charset=utf-8"}
    )


Rewrite = Callable[[Request], Answer | None]
"""An answer for the request, or None to let the sandbox answer it."""


class HostileFront:
    """Serves like a sandbox (`app`, `flush`), answering some requests itself."""

    def __init__(self, sandbox: Sandbox, rewrite: Rewrite) -> None:
        self.sandbox = sandbox
        self.rewrite = rewrite

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        answer = self.rewrite(Request(scope["method"], scope["path"], headers, body))
        if answer is None:
            replayed = False

            async def replay() -> dict[str, Any]:
                nonlocal replayed
                if replayed:
                    return {"type": "http.disconnect"}
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}

            await self.sandbox.app(scope, replay, send)
            return
        raw = [(k.encode(), v.encode()) for k, v in answer.headers.items()]
        raw.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": raw})
        await send({"type": "http.response.body", "body": answer.body})

    def flush(self) -> None:
        self.sandbox.flush()


@contextmanager
def hostile(sandbox: Sandbox, rewrite: Rewrite, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Serve `sandbox` behind a front answering with `rewrite`; yields the base URL, with the
    sandbox's management credentials in AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET."""
    client = sandbox.management_client
    monkeypatch.setenv("AUTH0_CLIENT_ID", client.client_id)
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", client.client_secret)
    with serving(HostileFront(sandbox, rewrite)) as base_url:  # a Sandbox as serving uses one
        yield base_url
