"""A connection to one target: the SDK client, its call counter, rate limiters and clock."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
from auth0.management import AsyncAuth0
from auth0.management.core.api_error import ApiError
from auth0.management.core.parse_error import ParsingError

from reconciler.auth0.calls import CallCounter
from reconciler.auth0.credentials import ClientCredentials, Login, fetch_token, token_client
from reconciler.auth0.errors import ApiCallError, describe
from reconciler.auth0.ratelimit import Limiters
from reconciler.auth0.retry import Attempts, RetryPolicy, Verdict, classify
from reconciler.auth0.target import Target, unreachable
from reconciler.auth0.transport import DEADLINE, MeteredTransport
from reconciler.clock import Clock, SystemClock
from reconciler.engine.plan import JSON
from reconciler.engine.rate_limits import limits_of
from reconciler.model import Tenant

T = TypeVar("T")
TIMEOUT = 30.0


@dataclass
class Session:
    """Everything a read or an apply needs to talk to one tenant."""

    target: Target
    client: AsyncAuth0
    http: httpx.AsyncClient
    counter: CallCounter
    limiters: Limiters
    token: str = field(repr=False)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    client_id: str | None = None
    """The application the session authenticates as (None: a given token that does not say);
    the tenant log names it on every write this session makes."""
    ca_file: Path | None = None
    """The CA that `--ca-file` trusts for the target's certificate (None: the system's)."""
    scopes: frozenset[str] | None = None
    """The scopes the token carries (None: it does not say); an apply checks them first."""

    @property
    def clock(self) -> Clock:
        """The clock every wait of this session uses."""
        return self.limiters.clock

    def attempts(self) -> Attempts:
        """A fresh attempt counter under the session's retry policy."""
        return Attempts(self.policy, self.clock)

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
        """Run one SDK read under the retry policy (the transport paces its requests); an
        answer that is not the JSON the API documents is an ApiCallError naming the call."""
        attempts = self.attempts()
        while not attempts.exhausted:
            try:
                return await call()
            except ParsingError:
                raise ApiCallError(what, "the answer is not of the documented shape", org) from None
            except RecursionError:
                raise ApiCallError(what, "the answer is JSON nested too deeply", org) from None
            except ApiError as error:
                if error.status_code is not None and 200 <= error.status_code < 300:
                    raise ApiCallError(what, "the answer is not JSON", org) from None
                verdict = classify(error.status_code)
                if verdict is Verdict.WAIT:
                    # The group's limiter holds the next request until its bucket refills.
                    attempts.rate_limited(describe(error))
                    continue
                if verdict is Verdict.FAIL:
                    raise ApiCallError(what, describe(error), org, error.status_code) from None
                await attempts.back_off(describe(error))
            except httpx.TransportError as error:
                if not self.counter.reached:
                    # Nothing ever answered: a wrong address, port, scheme or CA, not a blip.
                    raise unreachable(self.target, error, self.ca_file) from None
                await attempts.back_off(describe(error))
        raise ApiCallError(what, attempts.gave_up(), org)


@asynccontextmanager
async def open_session(
    tenant: Tenant,
    target: Target,
    transport: httpx.AsyncBaseTransport,
    login: Login,
    *,
    clock: Clock | None = None,
    share: float | None = None,
    ca_file: Path | None = None,
    deadline: float = DEADLINE,
) -> AsyncIterator[Session]:
    """Connect to a target through `transport` (HTTP, or an in-process app) as `login`,
    spending at most `share` of each of its rate-limit buckets (default: the tenant file's);
    each request ends within `deadline` seconds. `ca_file` is the CA the transport trusts,
    for messages."""
    counter = CallCounter()
    limiters = Limiters(
        share or tenant.rate_limit.share,
        limits_of(tenant.rate_limit.subscription),
        clock or SystemClock(),
    )
    http = httpx.AsyncClient(
        transport=MeteredTransport(
            transport, counter, limiters, deadline, tenant.rate_limit.max_concurrency
        ),
        timeout=TIMEOUT,
    )
    async with http:
        try:
            issued = await fetch_token(http, target.origin, login)
        except httpx.TransportError as error:
            raise unreachable(target, error, ca_file) from None
        token = issued.token
        client = AsyncAuth0(base_url=target.api_url, token=token, httpx_client=http, max_retries=0)
        yield Session(
            target=target,
            client=client,
            http=http,
            counter=counter,
            limiters=limiters,
            token=token,
            client_id=login.client_id
            if isinstance(login, ClientCredentials)
            else token_client(token),
            ca_file=ca_file,
            scopes=issued.scopes,
        )
