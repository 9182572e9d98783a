"""Subscription reads: the cursor list with its filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.errors import Invalid
from domain.pagination import Page, SortKey, paginate
from domain.saas.access import subscription_clause
from domain.saas.models import SaasSubscription
from domain.saas.schemas import SubscriptionView
from domain.saas.views import subscription_views

STATUSES = ("active", "cancelled")


@dataclass(frozen=True)
class SubscriptionFilter:
    venture_id: int | None = None
    customer_id: int | None = None
    plan: str | None = None
    status: str | None = None  # "active" (not cancelled) or "cancelled"
    started_from: date | None = None
    started_to: date | None = None


def list_subscriptions(
    uow: UnitOfWork,
    actor: Actor,
    filters: SubscriptionFilter | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[SubscriptionView]:
    """Subscriptions of the SAAS ventures in scope, newest start first."""
    actor.require("saas.subscriptions.read")
    f = filters or SubscriptionFilter()
    stmt = select(SaasSubscription).where(subscription_clause(uow, actor, f.venture_id))
    if f.customer_id is not None:
        stmt = stmt.where(col(SaasSubscription.customer_id) == f.customer_id)
    if f.plan:
        stmt = stmt.where(col(SaasSubscription.plan) == f.plan)
    if f.status is not None:
        if f.status not in STATUSES:
            raise Invalid.field("status", f"must be one of {', '.join(STATUSES)}")
        cancelled = col(SaasSubscription.cancelled_at)
        stmt = stmt.where(cancelled.is_(None) if f.status == "active" else cancelled.is_not(None))
    if f.started_from is not None:
        stmt = stmt.where(col(SaasSubscription.started_at) >= f.started_from)
    if f.started_to is not None:
        stmt = stmt.where(col(SaasSubscription.started_at) <= f.started_to)
    keys = [SortKey(SaasSubscription.started_at), SortKey(SaasSubscription.id)]
    page = paginate(
        uow.session, stmt, keys, lambda s: (s.started_at, s.id), cursor=cursor, limit=limit
    )
    return Page(subscription_views(uow, page.items), page.next_cursor, page.has_more)
