"""Reads through a Session: the implementation of the resources' read protocol
(`reconciler.resources.reads.Reads`) with the session's concurrency, retries and counter."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from auth0.management import AsyncAuth0

from reconciler.auth0.errors import ApiCallError
from reconciler.auth0.paging import OFFSET_WINDOW, Pager, PastOffsetWindow, read_pages
from reconciler.auth0.session import Session
from reconciler.engine.endpoint import Endpoint
from reconciler.resources.reads import PageFetch

T = TypeVar("T")

NOT_FOUND = 404


@dataclass(frozen=True)
class SessionReads:
    """Reads through a Session: bounded concurrency, its retry policy, its call counter."""

    session: Session

    @property
    def client(self) -> AsyncAuth0:
        """The session's SDK client."""
        return self.session.client

    async def one(
        self,
        endpoint: Endpoint,
        call: Callable[[], Awaitable[T]],
        *params: str,
        org: str | None = None,
    ) -> T:
        """The answer of one call."""
        return await self.session.read(call, what=endpoint.call(*params), org=org)

    async def one_or_none(
        self,
        endpoint: Endpoint,
        call: Callable[[], Awaitable[T]],
        *params: str,
        org: str | None = None,
    ) -> T | None:
        """The answer of one call, None when the object is not there."""
        return await _or_none(self.one(endpoint, call, *params, org=org))

    async def pages(
        self, endpoint: Endpoint, fetch: PageFetch, *params: str, org: str | None = None
    ) -> list[Any]:
        """Every item of a list."""

        async def read(call: Callable[[], Awaitable[Pager]]) -> Pager:
            return await self.one(endpoint, call, *params, org=org)

        try:
            return await read_pages(endpoint.paging, fetch, read)
        except PastOffsetWindow:
            reason = (
                f"{OFFSET_WINDOW:,} records read and there may be more: Auth0 lists no further "
                f"than the {OFFSET_WINDOW:,}th with page/per_page, and a plan on a partial "
                "list could undo what it does not see"
            )
            raise ApiCallError(endpoint.call(*params), reason, org) from None

    async def pages_or_none(
        self, endpoint: Endpoint, fetch: PageFetch, *params: str, org: str | None = None
    ) -> list[Any] | None:
        """Every item of a list, None when what it lists is not there."""
        return await _or_none(self.pages(endpoint, fetch, *params, org=org))


async def _or_none(read: Awaitable[T]) -> T | None:
    """The answer of a read, or None when Auth0 answers that the object is not there."""
    try:
        return await read
    except ApiCallError as error:
        if error.status == NOT_FOUND:
            return None
        raise
