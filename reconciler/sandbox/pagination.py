"""Auth0's two paging styles: offset (``page``/``per_page``/``include_totals``) and checkpoint
(``from``/``take``, with an opaque ``next``)."""

from __future__ import annotations

import base64
import binascii
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import ApiError, invalid_query
from .validation import Query

T = TypeVar("T")

OFFSET_RECORD_LIMIT = 1000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class OffsetPaging:
    """``page`` (from 0) of ``per_page`` items; an object with totals or a bare array."""

    page: int
    per_page: int
    include_totals: bool

    @property
    def start(self) -> int:
        """Index of the first item of the page."""
        return self.page * self.per_page


@dataclass(frozen=True, slots=True)
class CheckpointPaging:
    """Up to ``take`` items after the item whose sequence number is ``after``."""

    after: int | None
    take: int


def encode_cursor(seq: int) -> str:
    """An opaque ``next`` value."""
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The sequence number inside a ``next`` value; 400 if it is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix != "seq":
            raise ValueError(text)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid_query("Invalid checkpoint value", "from") from None


def read_offset(query: Query, max_page: int | None = None) -> OffsetPaging:
    """Offset paging parameters; 400 ``invalid_paging`` past the first 1,000 records."""
    page = query.integer("page", 0, max_page) or 0
    per_page = query.integer("per_page", 1, MAX_PAGE_SIZE) or DEFAULT_PAGE_SIZE
    paging = OffsetPaging(page, per_page, bool(query.boolean("include_totals")))
    if paging.start + per_page > OFFSET_RECORD_LIMIT:
        raise ApiError(
            400,
            "Requesting page exceeds the allowed maximum of 1000 records",
            "invalid_paging",
        )
    return paging


def read_checkpoint(query: Query) -> CheckpointPaging:
    """Checkpoint paging parameters."""
    take = query.integer("take", 1, MAX_PAGE_SIZE) or DEFAULT_PAGE_SIZE
    cursor = query.string("from")
    return CheckpointPaging(decode_cursor(cursor) if cursor else None, take)


def read_paging(query: Query, max_page: int | None = None) -> OffsetPaging | CheckpointPaging:
    """For endpoints with both styles: checkpoint when ``from`` or ``take`` is given."""
    if query.has("from") or query.has("take"):
        return read_checkpoint(query)
    return read_offset(query, max_page)


def offset_page(
    items: Sequence[T],
    paging: OffsetPaging,
    key: str,
    render: Callable[[T], Any],
    *,
    with_total: bool = True,
    with_length: bool = False,
    limit_is_length: bool = False,
) -> Any:
    """One offset page: a bare array, or ``{start, limit, total, <key>}`` with totals;
    ``limit_is_length``: ``limit`` counts the items answered rather than repeating
    ``per_page`` (as Auth0's invitations list does)."""
    rendered = [render(item) for item in items[paging.start : paging.start + paging.per_page]]
    if not paging.include_totals:
        return rendered
    limit = len(rendered) if limit_is_length else paging.per_page
    page: dict[str, Any] = {"start": paging.start, "limit": limit}
    if with_length:
        page["length"] = len(rendered)
    if with_total:
        page["total"] = len(items)
    page[key] = rendered
    return page


def checkpoint_page(
    items: Sequence[T],
    paging: CheckpointPaging,
    key: str,
    render: Callable[[T], Any],
    seq: Callable[[T], int],
    next_on_last: bool = False,
) -> dict[str, Any]:
    """One checkpoint page of ``items`` (ordered by ``seq``); ``next`` only if more follow,
    or with ``next_on_last`` on every page that is not empty (the reader learns of the end
    from an empty page)."""
    first = 0 if paging.after is None else bisect_right(items, paging.after, key=seq)
    chunk = items[first : first + paging.take]
    page: dict[str, Any] = {key: [render(item) for item in chunk]}
    if chunk and (next_on_last or first + paging.take < len(items)):
        page["next"] = encode_cursor(seq(chunk[-1]))
    return page


def any_page(
    items: Sequence[T],
    paging: OffsetPaging | CheckpointPaging,
    key: str,
    render: Callable[[T], Any],
    seq: Callable[[T], int],
    next_on_last: bool = False,
) -> Any:
    """A page in whichever style was asked for."""
    if isinstance(paging, CheckpointPaging):
        return checkpoint_page(items, paging, key, render, seq, next_on_last)
    return offset_page(items, paging, key, render)


def ranked(items: Sequence[T]) -> list[tuple[int, T]]:
    """Items numbered from 1 in their order, the number serving as checkpoint sequence."""
    return list(enumerate(items, start=1))
