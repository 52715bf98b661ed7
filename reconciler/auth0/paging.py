"""Reading every item of a paged list, as the endpoint table says it is paged.

Lists are read with the widest page Auth0 allows (100). Numbered pages (`page`, `per_page`)
stop on a short page, or when the total Auth0 reports has been read (so an empty last page is
never asked for); Auth0 serves them only up to the 1,000th record, so a list that may go on
past it is an error (`PastOffsetWindow`), never a silently shortened list. Checkpoint pages
(`take`, then `next`) stop on a short page or a missing `next`.
"""

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from auth0.management.core.pagination import AsyncPager

from reconciler.engine.endpoint import Paging
from reconciler.resources.reads import PAGE, PageFetch

Pager = AsyncPager[Any, Any]
ReadPage = Callable[[Callable[[], Awaitable[Pager]]], Awaitable[Pager]]
"""One read of one page under the session's retry policy."""


OFFSET_WINDOW = 1000
"""The records numbered pages reach: Auth0 refuses a page that starts at or past this one."""


class PastOffsetWindow(Exception):
    """A list read with numbered pages has `OFFSET_WINDOW` records and may have more, which
    Auth0 does not serve."""


async def read_pages(paging: Paging, fetch: PageFetch, read: ReadPage) -> list[Any]:
    """All items of a list paged the way `paging` says."""
    if paging is Paging.OFFSET:
        return await _offset(fetch, read)
    if paging is Paging.CHECKPOINT:
        return await _checkpoint(fetch, read)
    raise ValueError(f"not a paged list: {paging}")


async def _checkpoint(fetch: PageFetch, read: ReadPage) -> list[Any]:
    """Stop on a short page or no `next`."""
    page = await read(lambda: fetch(0))
    items = list(page.items or [])
    while page.has_next and len(page.items or []) >= PAGE:
        page = await read(_next(page))
        items.extend(page.items or [])
    return items


def _next(page: Pager) -> Callable[[], Awaitable[Pager]]:
    async def fetch() -> Pager:
        following = await page.next_page()
        assert following is not None
        return following

    return fetch


async def _offset(fetch: PageFetch, read: ReadPage) -> list[Any]:
    """Stop on a short page, or when the total has been read (no empty last page); a full
    page that ends at the window's end, with no total saying it is the last, is an error."""
    items: list[Any] = []
    page_number = 0
    while True:
        page = await read(partial(fetch, page_number))
        batch = list(page.items or [])
        items.extend(batch)
        total = getattr(page.response, "total", None)
        if len(batch) < PAGE or (total is not None and len(items) >= total):
            return items
        page_number += 1
        if page_number * PAGE >= OFFSET_WINDOW:
            raise PastOffsetWindow
