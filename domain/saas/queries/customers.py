"""Customer reads: the cursor list (each with its MRR today) and a customer's page."""

from __future__ import annotations

from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.pagination import Page, SortKey, paginate
from domain.saas.access import customer_clause, get_customer
from domain.saas.models import SaasCustomer, SaasSubscription
from domain.saas.schemas import CustomerPageView, CustomerView
from domain.saas.views import customer_views, subscription_views


def list_customers(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    search: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[CustomerView]:
    """The customers of the SAAS ventures in scope, by name, each with its current MRR."""
    actor.require("saas.customers.read")
    stmt = select(SaasCustomer).where(customer_clause(uow, actor, venture_id))
    if search and search.strip():
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(col(SaasCustomer.name).ilike(like) | col(SaasCustomer.domain).ilike(like))
    keys = [SortKey(SaasCustomer.name, descending=False), SortKey(SaasCustomer.id, False)]
    page = paginate(uow.session, stmt, keys, lambda c: (c.name, c.id), cursor=cursor, limit=limit)
    return Page(customer_views(uow, page.items), page.next_cursor, page.has_more)


def customer_page(uow: UnitOfWork, actor: Actor, customer_id: int) -> CustomerPageView:
    """A customer with all its subscriptions, newest first (a customer holds a handful)."""
    customer = get_customer(uow, actor, customer_id)
    actor.require("saas.subscriptions.read", customer.venture_id)
    subs = list(
        uow.session.execute(
            select(SaasSubscription)
            .where(col(SaasSubscription.customer_id) == customer.id)
            .order_by(col(SaasSubscription.started_at).desc(), col(SaasSubscription.id).desc())
        ).scalars()
    )
    return CustomerPageView(
        customer=customer_views(uow, [customer])[0], subscriptions=subscription_views(uow, subs)
    )
