"""Bounded retries of reads: 429 waits for the bucket's reset, 5xx and dropped links back off."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from auth0.management.core.api_error import ApiError

from reconciler.auth0.errors import ApiCallError, describe
from reconciler.auth0.ratelimit import RateLimiter

T = TypeVar("T")
MAX_ATTEMPTS = 6
MAX_RATE_LIMITED = 30
"""429s wait for the bucket and do not count as attempts, up to this many."""
BACKOFF = 0.1


async def retrying(
    call: Callable[[], Awaitable[T]],
    *,
    what: str,
    limiter: RateLimiter,
    org: str | None = None,
) -> T:
    """Run a read, retrying what may pass on a second try; raise ApiCallError otherwise."""
    last = ""
    attempt = limited = 0
    while attempt < MAX_ATTEMPTS and limited <= MAX_RATE_LIMITED:
        try:
            return await call()
        except ApiError as error:
            last = describe(error)
            if error.status_code == 429:
                limited += 1
                await limiter.wait_for_reset(httpx.Headers(error.headers or {}))
                continue
            if error.status_code is None or error.status_code < 500:
                raise ApiCallError(what, last, org, error.status_code) from None
        except httpx.TransportError as error:
            last = describe(error)
        await asyncio.sleep(BACKOFF * 2**attempt)
        attempt += 1
    raise ApiCallError(what, f"gave up after {attempt + limited} attempts; last: {last}", org)
