"""A connection to one target: the SDK client, its call counter, rate limiter and sandbox."""

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
from auth0.management import AsyncAuth0

from reconciler.auth0.calls import CallCounter
from reconciler.auth0.credentials import TOKEN_ENV, client_credentials, fetch_token
from reconciler.auth0.ratelimit import RateLimiter
from reconciler.auth0.retry import retrying
from reconciler.auth0.target import Target, TargetKind
from reconciler.auth0.transport import MeteredTransport
from reconciler.engine.plan import JSON
from reconciler.model import Tenant
from reconciler.sandbox import Sandbox
from reconciler.sandbox.transport import AsyncSandboxTransport

T = TypeVar("T")
TIMEOUT = 30.0


@dataclass
class Session:
    """Everything a read or an apply needs to talk to one tenant."""

    target: Target
    client: AsyncAuth0
    http: httpx.AsyncClient
    counter: CallCounter
    limiter: RateLimiter
    slots: asyncio.Semaphore
    token: str = field(repr=False)

    async def send(self, method: str, path: str, body: JSON = None) -> httpx.Response:
        """One raw Management API request (`path` below `/api/v2`); no retries."""
        return await self.http.request(
            method,
            f"{self.target.api_url}{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.token}"},
        )

    async def read(
        self, call: Callable[[], Awaitable[T]], *, what: str, org: str | None = None
    ) -> T:
        """Run one read with bounded concurrency and retries."""
        async with self.slots:
            return await retrying(call, what=what, limiter=self.limiter, org=org)


@asynccontextmanager
async def open_session(
    tenant: Tenant,
    target: Target,
    *,
    sandbox: Sandbox | None = None,
    environ: dict[str, str] | None = None,
) -> AsyncIterator[Session]:
    """Connect to the target: the given in-process sandbox, a loopback host or a real tenant.

    For a real tenant the token comes from AUTH0_TOKEN or from the client credentials named
    in tenant.yaml; nothing falls back to the sandbox.
    """
    env = dict(os.environ) if environ is None else environ
    counter = CallCounter()
    limiter = RateLimiter(tenant.rate_limit.share)
    inner: httpx.AsyncBaseTransport
    if target.kind is TargetKind.SANDBOX:
        if sandbox is None:
            raise ValueError("the sandbox target needs a Sandbox")
        inner = AsyncSandboxTransport(sandbox.app)
    else:
        inner = httpx.AsyncHTTPTransport()
    http = httpx.AsyncClient(transport=MeteredTransport(inner, counter, limiter), timeout=TIMEOUT)
    async with http:
        token = env.get(TOKEN_ENV) if target.kind is not TargetKind.SANDBOX else None
        if token is None:
            if sandbox is not None:
                spec = sandbox.management_client
                client_id, secret = spec.client_id, spec.client_secret
            else:
                client_id, secret = client_credentials(tenant.credentials, env)
            token = await fetch_token(http, target.origin, client_id, secret)
        client = AsyncAuth0(base_url=target.api_url, token=token, httpx_client=http, max_retries=0)
        yield Session(
            target=target,
            client=client,
            http=http,
            counter=counter,
            limiter=limiter,
            slots=asyncio.Semaphore(tenant.rate_limit.max_concurrency),
            token=token,
        )


def sandbox_state_file(state_dir: Path, tenant_name: str) -> Path:
    """Where the embedded sandbox of a tenant keeps its state between commands."""
    return state_dir / f"{tenant_name}.json"
