"""Cursor pages over a list a domain query returned whole.

The lists the API serves today (ventures in scope, quick links, one's API tokens) are small by
nature, and their domain queries return them complete. The API still answers with the one page
shape of the product (``items``, ``next_cursor``, ``has_more``) and the same opaque keyset cursor
(``domain.pagination``), so clients page the same way everywhere and nothing changes for them when
a query moves the paging into SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query

from domain.errors import Invalid
from domain.pagination import MAX_PAGE_SIZE, decode_cursor, encode_cursor
from rxapp.api.schemas import PageOut

T = TypeVar("T")

Cursor = Annotated[
    str | None, Query(max_length=1024, description="The `next_cursor` of the previous page.")
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size (1-200).")]


def page_of(
    items: Sequence[T],
    key: Callable[[T], tuple[Any, ...]],
    *,
    width: int,
    cursor: str | None,
    limit: int,
) -> PageOut[Any]:
    """The page after ``cursor`` of ``items`` in ``key`` order (``key`` ends in the id, so the
    order is total; ``width`` is its length)."""
    ordered = sorted(items, key=key)
    if cursor:
        after = tuple(decode_cursor(cursor, width))
        try:
            ordered = [item for item in ordered if key(item) > after]
        except TypeError:  # a cursor of another list: values of other types
            raise Invalid.field("cursor", "is not a cursor this list issued") from None
    chunk = ordered[:limit]
    has_more = len(ordered) > limit
    next_cursor = encode_cursor(list(key(chunk[-1]))) if has_more and chunk else None
    return PageOut(items=list(chunk), next_cursor=next_cursor, has_more=has_more)
