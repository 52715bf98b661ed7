"""A client-side limiter that keeps part of the tenant's rate limit free for user logins.

It learns the bucket from the `x-ratelimit-limit/remaining/reset` headers and sends a request
only while the bucket, less the requests still in flight, stays above the reserved part
`(1 - share) * limit`: that part is always left to others (user logins), and when they spend
it the reconciler waits. Before the first response it sends one request at a time. When it
has to wait, it assumes the bucket refills evenly until the reset and waits for just the
tokens it needs.
"""

import asyncio
from collections.abc import Mapping

from reconciler.clock import Clock, SystemClock

MAX_WAIT = 60.0


class RateLimiter:
    """Spends at most `share` of the tenant's bucket."""

    def __init__(self, share: float, clock: Clock | None = None):
        self.share = share
        self.clock = clock or SystemClock()
        self._changed = asyncio.Condition()
        self.limit: int | None = None
        self.remaining: float = 1
        self.reset = 0.0
        self.in_flight = 0
        self.refill = 0.0
        """Tokens per second the bucket regains (the highest estimate seen)."""

    @property
    def reserve(self) -> float:
        """Requests of the bucket left for others."""
        return 0.0 if self.limit is None else (1 - self.share) * self.limit

    def _fits(self) -> bool:
        return self.remaining - self.in_flight - 1 >= self.reserve

    async def acquire(self) -> None:
        """Wait until one more request fits our share of the bucket."""
        async with self._changed:
            while not self._fits():
                if self.in_flight:
                    await self._changed.wait()
                    continue
                await self._refill()
            self.in_flight += 1

    async def _refill(self) -> None:
        """Wait until enough of the bucket is back to send one more request."""
        until_reset = self.reset - self.clock.now()
        needed = self.reserve + 1 - self.remaining
        if until_reset <= 0 or self.refill <= 0:
            if until_reset > 0:
                await self._pause(until_reset)
            self.remaining = self.limit or 1
            return
        delay = min(until_reset, needed / self.refill)
        await self._pause(delay)
        self.remaining = min(self.limit or 1, self.remaining + delay * self.refill)

    async def release(self, headers: Mapping[str, str] | None) -> None:
        """A request finished; learn from its headers (None when it got no response)."""
        async with self._changed:
            self.in_flight -= 1
            if headers is not None:
                self.observe(headers)
            self._changed.notify_all()

    def observe(self, headers: Mapping[str, str]) -> None:
        """Take the bucket's state from a response's rate-limit headers."""
        try:
            limit = int(headers["x-ratelimit-limit"])
            remaining = int(headers["x-ratelimit-remaining"])
            reset = float(headers["x-ratelimit-reset"])
        except (KeyError, ValueError):
            return
        self.limit = max(limit, 1)
        self.remaining = remaining
        self.reset = reset
        until_reset = reset - self.clock.now()
        if until_reset > 0 and remaining < self.limit:
            # Whole-second resets make one reading an underestimate: keep the best one.
            self.refill = max(self.refill, (self.limit - remaining) / until_reset)

    async def wait_for_reset(self, headers: Mapping[str, str]) -> None:
        """After a 429: wait until the bucket's reset (at least a moment, at most a minute)."""
        self.observe(headers)
        await self._pause(max(self.reset - self.clock.now(), 0.05))

    async def _pause(self, seconds: float) -> None:
        seconds = min(seconds, MAX_WAIT)
        await self.clock.sleep(seconds)
