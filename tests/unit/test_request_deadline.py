"""Every request has an overall deadline: an answer that trickles in a byte at a time, each
read well within httpx's per-read timeout, still ends with a clear error."""

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from reconciler.auth0.credentials import ClientCredentials
from reconciler.auth0.errors import ApiCallError
from reconciler.auth0.retry import RetryPolicy
from reconciler.auth0.session import open_session
from reconciler.auth0.target import TargetUnreachable, resolve_target
from reconciler.clock import VirtualClock
from reconciler.config.loader import load_tenant
from reconciler.sandbox import Sandbox
from reconciler.sandbox.transport import AsyncSandboxTransport

EXAMPLE = Path(__file__).resolve().parents[2] / "tenants" / "example"
DEADLINE = 0.3
BYTE_EVERY = 0.02
"""The trickle: a byte this often, so that the whole answer takes far longer than DEADLINE."""
ROLES = json.dumps({"roles": [], "start": 0, "limit": 100, "total": 0}).encode()


class Trickle(httpx.AsyncByteStream):
    def __init__(self, body: bytes) -> None:
        self.body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for byte in self.body:
            await asyncio.sleep(BYTE_EVERY)
            yield bytes([byte])


class TricklingFront(httpx.AsyncBaseTransport):
    """The sandbox, except that the answers to `slow` paths trickle in."""

    def __init__(self, sandbox: Sandbox, slow: str) -> None:
        self.inner = AsyncSandboxTransport(sandbox.app)
        self.slow = slow
        self.sent: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(f"{request.method} {request.url.path}")
        if request.url.path != self.slow:
            return await self.inner.handle_async_request(request)
        body = ROLES if self.slow.endswith("/roles") else b'{"access_token": "t"}'
        headers = {"content-type": "application/json", "content-length": str(len(body))}
        return httpx.Response(200, headers=headers, stream=Trickle(body))


def session_through(front: TricklingFront):
    desired = load_tenant(EXAMPLE)
    client = Sandbox.from_world_file(EXAMPLE / "sandbox.yaml").management_client
    login = ClientCredentials(client.client_id, client.client_secret)
    target = resolve_target("http://127.0.0.1:4010")
    return open_session(
        desired.tenant, target, front, login, clock=VirtualClock(), deadline=DEADLINE
    )


async def test_an_api_answer_that_trickles_in_fails_at_the_deadline_of_each_attempt():
    front = TricklingFront(Sandbox.from_world_file(EXAMPLE / "sandbox.yaml"), "/api/v2/roles")
    async with session_through(front) as session:
        session.policy = RetryPolicy(max_attempts=2)
        with pytest.raises(ApiCallError) as failed:
            await session.read(
                lambda: session.client.roles.list(page=0, per_page=100), what="GET /roles"
            )
    assert str(failed.value) == (
        "GET /roles: gave up after 2 attempts; last: DeadlineExceeded: "
        f"no complete answer within {DEADLINE:g} s"
    )
    assert front.sent == ["POST /oauth/token", "GET /api/v2/roles", "GET /api/v2/roles"]


async def test_a_token_answer_that_trickles_in_is_a_target_that_did_not_answer_in_time():
    front = TricklingFront(Sandbox.from_world_file(EXAMPLE / "sandbox.yaml"), "/oauth/token")
    with pytest.raises(TargetUnreachable) as failed:
        async with session_through(front):
            pass
    assert str(failed.value) == (
        f"http://127.0.0.1:4010 did not answer in time: no complete answer within {DEADLINE:g} s"
    )
    assert front.sent == ["POST /oauth/token"]
