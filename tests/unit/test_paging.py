"""Lists are read to their end and not one page further (see docs/performance.md)."""

from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest

from reconciler.auth0.paging import PAGE, read_pages
from reconciler.engine.endpoint import Paging


class Pages:
    """A list of `count` items served in pages of 100, recording each page asked for."""

    def __init__(self, count: int, *, total: bool = False, next_after_end: bool = True) -> None:
        self.items = list(range(count))
        self.total = count if total else None
        self.next_after_end = next_after_end
        self.asked: list[int] = []

    async def page(self, number: int) -> Any:
        self.asked.append(number)
        batch = self.items[number * PAGE : (number + 1) * PAGE]
        more = (number + 1) * PAGE < len(self.items) or self.next_after_end

        async def next_page() -> Any:
            return await self.page(number + 1)

        return SimpleNamespace(
            items=batch,
            has_next=more,
            next_page=next_page,
            response=SimpleNamespace(total=self.total),
        )


async def read(call: Callable[[], Awaitable[Any]]) -> Any:
    return await call()


@pytest.mark.parametrize("paging", [Paging.OFFSET, Paging.CHECKPOINT])
async def test_a_short_page_ends_the_list(paging: Paging) -> None:
    pages = Pages(250)
    assert await read_pages(paging, pages.page, read) == list(range(250))
    assert pages.asked == [0, 1, 2]


async def test_the_total_spares_the_empty_page_after_a_full_last_offset_page() -> None:
    pages = Pages(200, total=True)
    assert await read_pages(Paging.OFFSET, pages.page, read) == list(range(200))
    assert pages.asked == [0, 1]


async def test_a_missing_next_ends_a_checkpoint_list_after_a_full_page() -> None:
    pages = Pages(200, next_after_end=False)
    assert len(await read_pages(Paging.CHECKPOINT, pages.page, read)) == 200
    assert pages.asked == [0, 1]


async def test_an_empty_list_is_one_request() -> None:
    pages = Pages(0)
    assert await read_pages(Paging.CHECKPOINT, pages.page, read) == []
    assert pages.asked == [0]


async def test_an_endpoint_that_is_not_a_list_cannot_be_paged() -> None:
    with pytest.raises(ValueError, match="not a paged list"):
        await read_pages(Paging.NONE, Pages(0).page, read)
