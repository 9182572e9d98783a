"""Rows to views: the SaaS wing's ORM rows into the plain data its services return."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func
from sqlmodel import col, select

from domain import clock
from domain.db import UnitOfWork, pk
from domain.org.models import Venture
from domain.saas.models import SaasCustomer, SaasSubscription
from domain.saas.rules import ZERO
from domain.saas.schemas import CustomerView, SubscriptionView


def _ventures(uow: UnitOfWork, ids: set[int]) -> dict[int, Venture]:
    if not ids:
        return {}
    rows = uow.session.execute(select(Venture).where(col(Venture.id).in_(sorted(ids)))).scalars()
    return {pk(v): v for v in rows}


def venture_today(venture: Venture) -> date:
    return clock.today(venture.timezone)


def customer_views(uow: UnitOfWork, customers: Sequence[SaasCustomer]) -> list[CustomerView]:
    """Each customer with its MRR today (the venture's business date) and active subscriptions,
    in one aggregate query for the page."""
    ventures = _ventures(uow, {c.venture_id for c in customers})
    totals: dict[int, tuple[object, int]] = {}
    by_day: dict[date, list[int]] = {}
    for c in customers:
        by_day.setdefault(venture_today(ventures[c.venture_id]), []).append(pk(c))
    for day, ids in by_day.items():
        stmt = (
            select(
                col(SaasSubscription.customer_id),
                func.sum(SaasSubscription.mrr),
                func.count(),
            )
            .where(
                col(SaasSubscription.customer_id).in_(ids),
                col(SaasSubscription.started_at) <= day,
                (col(SaasSubscription.cancelled_at).is_(None))
                | (col(SaasSubscription.cancelled_at) > day),
            )
            .group_by(col(SaasSubscription.customer_id))
        )
        for cid, total, n in uow.session.execute(stmt):
            totals[cid] = (total, n)
    out = []
    for c in customers:
        total, n = totals.get(pk(c), (ZERO, 0))
        out.append(
            CustomerView(
                id=pk(c),
                venture_id=c.venture_id,
                name=c.name,
                domain=c.domain,
                currency=ventures[c.venture_id].currency,
                mrr=total or ZERO,
                active_subscriptions=n,
            )
        )
    return out


def subscription_views(uow: UnitOfWork, subs: Sequence[SaasSubscription]) -> list[SubscriptionView]:
    ventures = _ventures(uow, {s.venture_id for s in subs})
    cids = sorted({s.customer_id for s in subs})
    names = (
        dict(
            uow.session.execute(
                select(SaasCustomer.id, SaasCustomer.name).where(col(SaasCustomer.id).in_(cids))
            ).all()
        )
        if cids
        else {}
    )
    return [
        SubscriptionView(
            id=pk(s),
            customer_id=s.customer_id,
            customer_name=names.get(s.customer_id, ""),
            venture_id=s.venture_id,
            currency=ventures[s.venture_id].currency,
            plan=s.plan,
            mrr=s.mrr,
            started_at=s.started_at,
            cancelled_at=s.cancelled_at,
            cancel_reason=s.cancel_reason,
        )
        for s in subs
    ]
