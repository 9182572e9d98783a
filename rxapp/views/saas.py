"""Row models of the SaaS pages: customers, subscriptions, the dashboard's tables."""

from __future__ import annotations

import dataclasses

from domain.saas.schemas import CustomerView, SubscriptionView, TopCustomer
from rxapp.views.freight import count, day, money


@dataclasses.dataclass
class CustomerRow:
    id: int = 0
    name: str = ""
    domain: str = ""
    mrr: str = ""
    active: str = ""
    href: str = ""


@dataclasses.dataclass
class SubscriptionRow:
    id: int = 0
    customer: str = ""
    plan: str = ""
    mrr: str = ""
    started: str = ""
    cancelled: str = ""
    reason: str = ""
    is_active: bool = True


@dataclasses.dataclass
class TopCustomerRow:
    rank: int = 0
    name: str = ""
    mrr: str = ""
    href: str = ""


def customer_href(customer_id: int) -> str:
    return f"/saas/customers/{customer_id}"


def customer_row(v: CustomerView) -> CustomerRow:
    return CustomerRow(
        id=v.id,
        name=v.name,
        domain=v.domain,
        mrr=money(v.mrr, v.currency),
        active=count(v.active_subscriptions),
        href=customer_href(v.id),
    )


def subscription_row(v: SubscriptionView) -> SubscriptionRow:
    return SubscriptionRow(
        id=v.id,
        customer=v.customer_name,
        plan=v.plan,
        mrr=money(v.mrr, v.currency),
        started=day(v.started_at),
        cancelled=day(v.cancelled_at),
        reason=v.cancel_reason or "",
        is_active=v.cancelled_at is None,
    )


def top_row(rank: int, t: TopCustomer, currency: str) -> TopCustomerRow:
    return TopCustomerRow(
        rank=rank, name=t.name, mrr=money(t.mrr, currency), href=customer_href(t.customer_id)
    )
