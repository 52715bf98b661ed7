"""An httpx transport that meters Management API requests: counts them, rate-limits each by
its endpoint group and gives each one an overall deadline."""

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx

from reconciler.auth0.calls import CallCounter
from reconciler.auth0.ratelimit import Limiters, group_of

DEADLINE = 60.0
"""Seconds a request may take from sending it to the last byte of its answer (httpx's own
timeouts bound each read, so an answer that trickles in would never end)."""


class DeadlineExceeded(httpx.TimeoutException):
    """A request whose complete answer did not arrive within its deadline."""


class MeteredTransport(httpx.AsyncBaseTransport):
    """Wraps another transport; every `/api/v2/` request is counted and waits for the limiters
    of its endpoint group, then for one of `concurrency` slots (so that a request waiting for
    its group's bucket holds none that others need), and every request ends, the last byte
    of its answer read, within `deadline` seconds."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        counter: CallCounter,
        limiters: Limiters,
        deadline: float = DEADLINE,
        concurrency: int = 8,
    ) -> None:
        self._inner = inner
        self._slots = asyncio.Semaphore(concurrency)
        self._counter = counter
        self._limiters = limiters
        self._deadline = deadline

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request through the inner transport."""
        if "/api/v2/" not in request.url.path:
            return await self._send(request)
        group = group_of(request.method, request.url.raw_path.decode("ascii"))
        sent = await self._limiters.acquire(group)
        self._counter.count(request, group)
        headers, status = None, None
        try:
            async with self._slots:
                response = await self._send(request)
            headers, status = dict(response.headers), response.status_code
            return response
        finally:
            await self._limiters.release(group, headers, status, sent)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        """The answer, its body to be read by the deadline too."""
        until = asyncio.get_running_loop().time() + self._deadline
        try:
            async with asyncio.timeout_at(until):
                response = await self._inner.handle_async_request(request)
        except TimeoutError:
            raise self._exceeded(request) from None
        self._counter.reached = True
        body = response.stream
        assert isinstance(body, httpx.AsyncByteStream)  # an async transport's, as httpx asserts
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Deadline(body, until, lambda: self._exceeded(request)),
            extensions=response.extensions,
        )

    def _exceeded(self, request: httpx.Request) -> DeadlineExceeded:
        return DeadlineExceeded(f"no complete answer within {self._deadline:g} s", request=request)

    async def aclose(self) -> None:
        """Close the inner transport."""
        await self._inner.aclose()


class _Deadline(httpx.AsyncByteStream):
    """A response body whose every chunk must arrive before the request's deadline."""

    def __init__(
        self, inner: httpx.AsyncByteStream, until: float, exceeded: Callable[[], Exception]
    ) -> None:
        self._inner = inner
        self._until = until
        self._exceeded = exceeded

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks = aiter(self._inner)
        while True:
            try:
                async with asyncio.timeout_at(self._until):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise self._exceeded() from None
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()
