"""An httpx transport that meters Management API requests: counts them and rate-limits them."""

import httpx

from reconciler.auth0.calls import CallCounter
from reconciler.auth0.ratelimit import RateLimiter


class MeteredTransport(httpx.AsyncBaseTransport):
    """Wraps another transport; every `/api/v2/` request is counted and waits for the limiter."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, counter: CallCounter, limiter: RateLimiter
    ) -> None:
        self._inner = inner
        self._counter = counter
        self._limiter = limiter

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request through the inner transport."""
        if "/api/v2/" not in request.url.path:
            response = await self._inner.handle_async_request(request)
            self._counter.reached = True
            return response
        await self._limiter.acquire()
        self._counter.count(request)
        headers = None
        try:
            response = await self._inner.handle_async_request(request)
            self._counter.reached = True
            headers = dict(response.headers)
            return response
        finally:
            await self._limiter.release(headers)

    async def aclose(self) -> None:
        """Close the inner transport."""
        await self._inner.aclose()
