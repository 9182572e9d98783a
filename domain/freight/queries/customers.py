"""Customer reads."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork, pk
from domain.freight.access import (
    customer_clause,
    get_customer,
)
from domain.freight.models import (
    Customer,
    QuoteStatus,
)
from domain.freight.queries.loads import LoadFilter, list_loads
from domain.freight.queries.quotes import list_quotes
from domain.freight.schemas import (
    CustomerDetail,
    CustomerView,
    LoadView,
    QuoteView,
)
from domain.freight.views import (
    customer_views,
)
from domain.pagination import Page, SortKey, paginate


def list_customers(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    search: str | None = None,
    active_only: bool = False,
    mine: bool = False,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[CustomerView]:
    """Customers of the freight ventures in scope, by name."""
    actor.require("freight.customers.read")
    stmt = select(Customer).where(customer_clause(uow, actor, venture_id))
    if search and search.strip():
        term = f"%{search.strip().lower()}%"
        stmt = stmt.where(
            func.lower(col(Customer.name)).like(term) | func.lower(col(Customer.code)).like(term)
        )
    if active_only:
        stmt = stmt.where(col(Customer.is_active).is_(True))
    if mine:
        stmt = stmt.where(
            (col(Customer.sales_user_id) == actor.user_id)
            | (col(Customer.csr_user_id) == actor.user_id)
        )
    keys = [SortKey(Customer.name, descending=False), SortKey(Customer.id, descending=False)]
    page = paginate(uow.session, stmt, keys, lambda c: (c.name, c.id), cursor=cursor, limit=limit)
    return Page(customer_views(uow, page.items), page.next_cursor, page.has_more)


def get_customer_detail(uow: UnitOfWork, actor: Actor, customer_id: int) -> CustomerDetail:
    customer = get_customer(uow, actor, customer_id)
    loads: list[LoadView] = []
    if actor.can("freight.loads.read"):
        loads = list_loads(
            uow,
            actor,
            LoadFilter(venture_id=customer.venture_id, customer_id=pk(customer)),
            limit=20,
        ).items
    quotes: list[QuoteView] = []
    if actor.can("freight.quotes.read"):
        quotes = list_quotes(
            uow,
            actor,
            venture_id=customer.venture_id,
            customer_id=pk(customer),
            statuses=[
                QuoteStatus.DRAFT,
                QuoteStatus.SENT,
                QuoteStatus.NO_RESPONSE,
                QuoteStatus.COUNTERED,
                QuoteStatus.ACCEPTED,
            ],
            limit=20,
        ).items
    return CustomerDetail(
        customer=customer_views(uow, [customer])[0], recent_loads=loads, open_quotes=quotes
    )
