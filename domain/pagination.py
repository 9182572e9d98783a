"""Keyset (cursor) pagination: opaque cursors, a stable total order, page size capped at 200.

A cursor encodes the sort-key values of the last row of a page. The next page is "rows strictly
after that key" in the query's order, so page 10,000 costs the same as page 1 (an index seek) and
rows inserted meanwhile never shift a page (no duplicates, no gaps for rows that existed).
No list in the product uses OFFSET.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, bindparam, func, or_, select, tuple_, union
from sqlalchemy.sql import ColumnElement

from domain.errors import Invalid

T = TypeVar("T")
R = TypeVar("R")

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class SortKey:
    """One column of the order; ``descending`` for newest-first lists."""

    column: Any
    descending: bool = True


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    has_more: bool
    total: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def map(self, fn: Callable[[T], R]) -> Page[R]:
        return Page([fn(i) for i in self.items], self.next_cursor, self.has_more, self.total)


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_PAGE_SIZE
    if limit < 1:
        raise Invalid.field("limit", "must be at least 1")
    return min(limit, MAX_PAGE_SIZE)


def _encode_value(value: Any) -> list[Any]:
    if value is None:
        return ["n", None]
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, Decimal):
        return ["dec", str(value)]
    if isinstance(value, bool | int | float | str):
        return ["v", value]
    return ["v", str(value)]


def _decode_value(tagged: Any) -> Any:
    if not (isinstance(tagged, list) and len(tagged) == 2):
        raise ValueError("bad cursor element")
    tag, raw = tagged
    if tag == "n":
        return None
    if tag == "dt":
        return datetime.fromisoformat(raw)
    if tag == "d":
        return date.fromisoformat(raw)
    if tag == "dec":
        return Decimal(raw)
    if tag == "v":
        return raw
    raise ValueError("bad cursor tag")


def encode_cursor(values: Sequence[Any]) -> str:
    payload = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(raw, list) or len(raw) != width:
            raise ValueError("cursor width")
        return [_decode_value(v) for v in raw]
    except (ValueError, binascii.Error, UnicodeDecodeError, TypeError):
        raise Invalid.field("cursor", "is not a cursor this list issued") from None


def after_clause(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order given by ``keys`` (NOT NULL sort columns)."""
    if all(k.descending for k in keys) or not any(k.descending for k in keys):
        cols = tuple_(*[k.column for k in keys])
        # Bind each value with its column's type (UTC timestamps on SQLite need the conversion).
        vals = tuple_(
            *[bindparam(None, v, type_=k.column.type) for k, v in zip(keys, values, strict=True)]
        )
        return cols < vals if keys[0].descending else cols > vals
    # Mixed directions: expand the row comparison into its OR-of-ANDs form.
    ors = []
    for i, key in enumerate(keys):
        eqs = [keys[j].column == values[j] for j in range(i)]
        cmp = key.column < values[i] if key.descending else key.column > values[i]
        ors.append(and_(*eqs, cmp))
    return or_(*ors)


def order_by(keys: Sequence[SortKey]) -> list[Any]:
    return [k.column.desc() if k.descending else k.column.asc() for k in keys]


def paginate(
    session: Any,
    stmt: Any,
    keys: Sequence[SortKey],
    key_of: Callable[[Any], Sequence[Any]],
    *,
    cursor: str | None = None,
    limit: int | None = None,
    scalars: bool = True,
    with_total: bool = False,
) -> Page[Any]:
    """Run ``stmt`` for one page. ``key_of(row)`` returns the row's sort-key values.

    The last key must make the order total (an id). The statement must not have its own
    ORDER BY or LIMIT. ``with_total`` also counts every row the filters match (``Page.total``):
    only for lists that stay small (carriers, users), where a COUNT is cheap.
    """
    size = clamp_limit(limit)
    total = None
    if with_total:
        counted = select(func.count()).select_from(stmt.order_by(None).subquery())
        total = int(session.execute(counted).scalar_one())
    if cursor:
        stmt = stmt.where(after_clause(keys, decode_cursor(cursor, len(keys))))
    stmt = stmt.order_by(*order_by(keys)).limit(size + 1)
    result = session.execute(stmt)
    rows = list(result.scalars() if scalars else result.all())
    has_more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(list(key_of(rows[-1]))) if has_more and rows else None
    return Page(items=rows, next_cursor=next_cursor, has_more=has_more, total=total)


def paginate_union(
    session: Any,
    stmts: Sequence[Any],
    keys: Sequence[SortKey],
    key_of: Callable[[Any], Sequence[Any]],
    *,
    entity: Any,
    id_column: Any,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Any]:
    """One page of the union of ``stmts`` (selects of the same ``entity``, no order or limit):
    each branch takes the cursor, the order and ``limit + 1`` by itself, so each seeks its own
    index; the page is then the first rows of those few candidates, fetched by id. The same
    rows and cursors as ``paginate`` over ``or_`` of the branches' conditions, without walking
    everything the OR's index holds."""
    size = clamp_limit(limit)
    after = after_clause(keys, decode_cursor(cursor, len(keys))) if cursor else None
    branches = []
    for stmt in stmts:
        branch = stmt.with_only_columns(id_column)
        if after is not None:
            branch = branch.where(after)
        branches.append(branch.order_by(*order_by(keys)).limit(size + 1).subquery())
    candidates = union(*(select(b.c[0]) for b in branches)).subquery()
    page_stmt = (
        select(entity)
        .where(id_column.in_(select(candidates.c[0])))
        .order_by(*order_by(keys))
        .limit(size + 1)
    )
    rows = list(session.execute(page_stmt).scalars())
    has_more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(list(key_of(rows[-1]))) if has_more and rows else None
    return Page(items=rows, next_cursor=next_cursor, has_more=has_more)
