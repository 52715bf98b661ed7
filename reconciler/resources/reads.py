"""The one way resources read the Management API: one object, one object or None when Auth0
answers 404, and every item of a list, paged as the endpoint table says. Each read is named by
its endpoint, so errors name the call. `reconciler.auth0` implements it over HTTP; resources
never import HTTP code."""

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from reconciler.engine.endpoint import Endpoint

if TYPE_CHECKING:
    from auth0.management import AsyncAuth0
    from auth0.management.core.pagination import AsyncPager

T = TypeVar("T")

PAGE = 100
"""The widest page Auth0 allows."""

PageFetch = Callable[[int], Awaitable["AsyncPager[Any, Any]"]]
"""The SDK call for a page: given the page number (checkpoint lists ignore it)."""


class Reads(Protocol):
    """Reads of one tenant; `params` fill the endpoint's path, `org` labels errors."""

    @property
    def client(self) -> "AsyncAuth0":
        """The SDK client whose calls are read."""
        ...

    async def one(
        self,
        endpoint: Endpoint,
        call: Callable[[], Awaitable[T]],
        *params: str,
        org: str | None = None,
    ) -> T:
        """The answer of one call."""
        ...

    async def one_or_none(
        self,
        endpoint: Endpoint,
        call: Callable[[], Awaitable[T]],
        *params: str,
        org: str | None = None,
    ) -> T | None:
        """The answer of one call, None when the object is not there."""
        ...

    async def pages(
        self, endpoint: Endpoint, fetch: PageFetch, *params: str, org: str | None = None
    ) -> list[Any]:
        """Every item of a list."""
        ...

    async def pages_or_none(
        self, endpoint: Endpoint, fetch: PageFetch, *params: str, org: str | None = None
    ) -> list[Any] | None:
        """Every item of a list, None when what it lists is not there."""
        ...
