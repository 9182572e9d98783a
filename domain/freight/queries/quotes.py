"""Quote reads."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.freight.access import (
    get_quote,
    quote_clause,
)
from domain.freight.models import (
    FreightQuote,
    QuoteStatus,
)
from domain.freight.schemas import (
    QuoteView,
)
from domain.freight.views import (
    quote_views,
)
from domain.pagination import Page, SortKey, paginate


def list_quotes(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    statuses: Sequence[QuoteStatus] = (),
    customer_id: int | None = None,
    sales_user_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[QuoteView]:
    """Quotes in scope, newest first."""
    actor.require("freight.quotes.read")
    stmt = select(FreightQuote).where(quote_clause(uow, actor, venture_id))
    if statuses:
        stmt = stmt.where(col(FreightQuote.status).in_(sorted(set(statuses))))
    if customer_id is not None:
        stmt = stmt.where(col(FreightQuote.customer_id) == customer_id)
    if sales_user_id is not None:
        stmt = stmt.where(col(FreightQuote.sales_user_id) == sales_user_id)
    keys = [SortKey(FreightQuote.created_at), SortKey(FreightQuote.id)]
    page = paginate(
        uow.session, stmt, keys, lambda q: (q.created_at, q.id), cursor=cursor, limit=limit
    )
    return Page(quote_views(uow, actor, page.items), page.next_cursor, page.has_more)


def get_quote_view(uow: UnitOfWork, actor: Actor, quote_id: int) -> QuoteView:
    return quote_views(uow, actor, [get_quote(uow, actor, quote_id)])[0]
