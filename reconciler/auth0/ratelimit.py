"""A client-side limiter that keeps part of the tenant's rate limit free for user logins."""

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

import httpx

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
MAX_WAIT = 60.0


class RateLimiter:
    """Spends at most `share` of the tenant's bucket, learnt from `x-ratelimit-*` headers.

    Before the first response nothing is known and requests pass; afterwards a request waits
    for the bucket's reset whenever it would dip into the part reserved for others.
    """

    def __init__(self, share: float, clock: Clock = time.time, sleep: Sleep = asyncio.sleep):
        self.share = share
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self.limit: int | None = None
        self.remaining: float = math.inf
        self.reset: float = 0.0
        self.waited: float = 0.0

    @property
    def reserve(self) -> float:
        """Requests of the bucket left for others."""
        return 0.0 if self.limit is None else (1 - self.share) * self.limit

    async def acquire(self) -> None:
        """Wait until a request fits our share of the bucket, then spend one."""
        async with self._lock:
            while self.limit is not None and self.remaining - 1 < self.reserve:
                delay = self.reset - self._clock()
                if delay <= 0:
                    self.remaining = float(self.limit)
                    break
                await self._pause(delay)
                self.remaining = float(self.limit)
            self.remaining -= 1

    def observe(self, headers: httpx.Headers | dict[str, str]) -> None:
        """Correct the bucket from a response's rate-limit headers."""
        try:
            limit = int(headers["x-ratelimit-limit"])
            remaining = int(headers["x-ratelimit-remaining"])
            reset = float(headers["x-ratelimit-reset"])
        except (KeyError, ValueError):
            return
        self.limit = max(limit, 1)
        if reset > self.reset:
            self.reset = reset
            self.remaining = remaining
        else:
            self.remaining = min(self.remaining, remaining)

    async def wait_for_reset(self, headers: httpx.Headers | dict[str, str]) -> None:
        """After a 429: wait until the bucket's reset (at least a moment, at most a minute)."""
        self.observe(headers)
        self.remaining = 0
        await self._pause(max(self.reset - self._clock(), 0.05))

    async def _pause(self, seconds: float) -> None:
        seconds = min(seconds, MAX_WAIT)
        self.waited += seconds
        await self._sleep(seconds)

    async def on_request(self, request: httpx.Request) -> None:
        """httpx request hook."""
        if "/api/v2/" in request.url.path:
            await self.acquire()

    async def on_response(self, response: httpx.Response) -> None:
        """httpx response hook."""
        self.observe(response.headers)
