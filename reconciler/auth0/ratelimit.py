"""Client-side limiters that keep part of each rate-limit bucket free for user logins.

Auth0 limits the Management API per endpoint group on top of a tenant-wide bucket (see
`reconciler.engine.rate_limits`). There is one `RateLimiter` per bucket of the tenant's
subscription: it starts from the published bucket and learns the live one from the
`x-ratelimit-limit/remaining/reset` headers of its group's responses. It sends a request only
while the bucket, less the requests still in flight, stays above the reserved part
`(1 - share) * limit`: that part is always left to others (user logins), and when they spend
it the reconciler waits. When it has to wait, it assumes the bucket refills evenly until the
reset and waits for just the tokens it needs. Groups are paced apart, so reads of different
groups proceed at once, and a 429 holds back only its own group.
"""

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from urllib.parse import unquote

from reconciler.clock import Clock, SystemClock
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.kinds import Verb
from reconciler.engine.rate_limits import Bucket, Limits, RateGroup

MAX_WAIT = 60.0
API_PREFIX = "/api/v2/"


class Turns:
    """One holder at a time; those waiting go in order of `priority` (lowest first), then of
    arrival."""

    def __init__(self) -> None:
        self._busy = False
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    @asynccontextmanager
    async def turn(self, priority: float = 0.0) -> AsyncIterator[None]:
        """Hold the turn for the body of the `async with`."""
        if self._busy:
            given: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (priority, next(self._arrivals), given))
            try:
                await given
            except asyncio.CancelledError:
                if given.done() and not given.cancelled():
                    self._pass_on()  # given the turn just as it was cancelled
                raise
        self._busy = True
        try:
            yield
        finally:
            self._pass_on()

    def _pass_on(self) -> None:
        while self._waiting:
            _, _, given = heapq.heappop(self._waiting)
            if not given.done():
                given.set_result(None)
                return
        self._busy = False


class RateLimiter:
    """Spends at most `share` of one bucket."""

    def __init__(self, share: float, clock: Clock | None = None, bucket: Bucket | None = None):
        self.share = share
        self.clock = clock or SystemClock()
        self._changed = asyncio.Condition()
        self._turns = Turns()
        self.limit: int | None = None
        self.remaining: float = 1
        self.reset = 0.0
        self.in_flight = 0
        self.refill = 0.0
        """Tokens per second the bucket regains (the highest estimate seen)."""
        self._stamp = self.clock.now()
        if bucket is not None:
            self.limit = self.remaining = bucket.burst
            self.refill = bucket.per_second
            self.reset = self._stamp

    @property
    def reserve(self) -> float:
        """Requests of the bucket left for others."""
        return 0.0 if self.limit is None else (1 - self.share) * self.limit

    def _fits(self) -> bool:
        return self.remaining - self.in_flight - 1 >= self.reserve

    def _regain(self) -> None:
        """Credit the tokens the bucket regained since the last reading."""
        now = self.clock.now()
        if self.limit is not None and self.refill > 0:
            self.remaining = min(self.limit, self.remaining + (now - self._stamp) * self.refill)
        self._stamp = now

    async def acquire(self, priority: float = 0.0) -> float:
        """Wait until one more request fits our share of the bucket; the time it may go.
        Requests wait in turn, the lowest `priority` first: only the first is woken by each
        answer."""
        async with self._turns.turn(priority), self._changed:
            self._regain()
            while not self._fits():
                if self.in_flight:
                    await self._changed.wait()
                    continue
                await self._refill()
            self.in_flight += 1
            return self.clock.now()

    async def _refill(self) -> None:
        """Wait until enough of the bucket is back to send one more request."""
        until_reset = self.reset - self.clock.now()
        needed = self.reserve + 1 - self.remaining
        if until_reset <= 0 or self.refill <= 0:
            if until_reset > 0:
                await self._pause(until_reset)
            self.remaining = self.limit or 1
            self._stamp = self.clock.now()
            return
        delay = min(until_reset, needed / self.refill)
        await self._pause(delay)
        self.remaining = min(self.limit or 1, self.remaining + delay * self.refill)
        self._stamp = self.clock.now()

    async def release(
        self,
        headers: Mapping[str, str] | None,
        status: int | None = None,
        sent: float | None = None,
    ) -> None:
        """A request sent at `sent` finished; learn from its headers (None when it got no
        response or the headers describe another bucket, of which this one also spent a
        token)."""
        async with self._changed:
            self.in_flight -= 1
            if headers is None:
                self._spend()
            else:
                self.observe(headers, sent)
                if status == 429:
                    # Refused: nothing is left until the reset, at least a moment away.
                    self.remaining = min(self.remaining, 0)
                    self.reset = max(self.reset, self.clock.now() + 0.05)
            self._changed.notify_all()

    def _spend(self) -> None:
        """One token spent that no header accounts for: the bucket is full a token later."""
        self._regain()
        self.remaining -= 1
        if self.refill > 0:
            self.reset = max(self.reset, self.clock.now()) + 1 / self.refill

    def observe(self, headers: Mapping[str, str], sent: float | None = None) -> None:
        """Take the bucket's state from the rate-limit headers of a response to a request
        sent at `sent` (default: now)."""
        try:
            limit = int(headers["x-ratelimit-limit"])
            remaining = int(headers["x-ratelimit-remaining"])
            reset = float(headers["x-ratelimit-reset"])
        except (KeyError, ValueError):
            return
        self.limit = max(limit, 1)
        self.remaining = remaining
        self.reset = reset
        self._stamp = self.clock.now()
        # The headers were written at some moment since the request was sent: counting from
        # then, the time left until the reset is not underestimated, nor the rate over.
        until_reset = reset - (self._stamp if sent is None else sent)
        if until_reset > 0 and remaining < self.limit - 1:
            # The reset is rounded up and `remaining` down, so the bucket lacks more than
            # `limit - remaining - 1` tokens and regains them by the reset: a rate no faster
            # than the bucket's (a reading just before a rounded reset would otherwise seem
            # to refill the bucket at once). Each reading underestimates: keep the best one.
            self.refill = max(self.refill, (self.limit - remaining - 1) / until_reset)

    async def _pause(self, seconds: float) -> None:
        seconds = min(seconds, MAX_WAIT)
        await self.clock.sleep(seconds)


def group_of(method: str, raw_path: str) -> RateGroup:
    """The endpoint group of a Management API request (`OTHER` for one not in the table)."""
    path = raw_path.split("?", 1)[0]
    if API_PREFIX not in path:
        return RateGroup.OTHER
    segments = [unquote(s) for s in path.split(API_PREFIX, 1)[1].split("/")]
    try:
        found = ENDPOINTS.at(Verb(method), segments)
    except ValueError:
        return RateGroup.OTHER
    return RateGroup.OTHER if found is None else found[0].group


class Limiters:
    """The limiters of one tenant: one per bucket its subscription has, each spending at most
    `share` of it; a request takes from its group's bucket and from the tenant-wide one."""

    def __init__(self, share: float, limits: Limits, clock: Clock | None = None) -> None:
        self.share = share
        self.limits = limits
        self.clock = clock or SystemClock()
        self.tenant = RateLimiter(share, self.clock, limits.tenant)
        """The tenant-wide bucket, and the one of groups without a bucket of their own."""
        self._groups: dict[RateGroup, RateLimiter] = {}

    def limiter(self, group: RateGroup) -> RateLimiter:
        """The limiter whose bucket a request of `group` reports in its headers."""
        key = self.limits.bucket_of(group)
        if key is None:
            return self.tenant
        if key not in self._groups:
            self._groups[key] = RateLimiter(self.share, self.clock, self.limits.groups[key])
        return self._groups[key]

    def _also_tenant(self, own: RateLimiter) -> bool:
        return own is not self.tenant and self.limits.tenant is not None

    async def acquire(self, group: RateGroup) -> float:
        """Wait until a request of `group` fits its buckets; the time it may go. Of the
        requests waiting for the tenant-wide bucket, those of the slowest group go first:
        its bucket sets how long the work takes, and the faster ones catch up."""
        own = self.limiter(group)
        if own is self.tenant:
            return await own.acquire(priority=own.refill)
        sent = await own.acquire()
        if self._also_tenant(own):
            sent = await self.tenant.acquire(priority=own.refill)
        return sent

    async def release(
        self,
        group: RateGroup,
        headers: Mapping[str, str] | None,
        status: int | None,
        sent: float | None = None,
    ) -> None:
        """A request of `group` sent at `sent` finished with these headers (None: no
        response)."""
        own = self.limiter(group)
        await own.release(headers, status, sent)
        if self._also_tenant(own):
            await self.tenant.release(None)
