"""Inputs (validated before any write) and views (what SaaS services and queries return)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from domain.schemas import BusinessDate, Id, Input, Patch, View

# MRR: a non-negative amount in the venture's currency (a negative MRR is refused, naming mrr).
Mrr = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
_DOMAIN = re.compile(
    r"^(?=.{3,160}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"
)


def _domain(value: str) -> str:
    value = value.strip().lower()
    if not _DOMAIN.match(value):
        raise ValueError("must be a domain name such as example.com")
    return value


DomainName = Annotated[str, AfterValidator(_domain)]


class CustomerInput(Input):
    venture_id: Id
    name: str = Field(min_length=1, max_length=160)
    domain: DomainName


class CustomerPatch(Patch):
    name: str | None = Field(default=None, min_length=1, max_length=160)
    domain: DomainName | None = None


class CustomerView(View):
    id: int
    venture_id: int
    name: str
    domain: str
    currency: str
    mrr: Decimal  # on the venture's business date today
    active_subscriptions: int


class SubscriptionInput(Input):
    customer_id: Id
    venture_id: Id | None = None  # when given, the customer must be one of this venture's
    plan: str = Field(min_length=1, max_length=80)
    mrr: Mrr
    started_at: BusinessDate


class SubscriptionPatch(Patch):
    """Plan and amount of a subscription (a price change); its dates are not edited: a
    cancellation goes through ``cancel_subscription``."""

    plan: str | None = Field(default=None, min_length=1, max_length=80)
    mrr: Mrr | None = None


class CancelInput(Input):
    cancelled_at: BusinessDate
    reason: str = Field(min_length=1, max_length=500)


class SubscriptionView(View):
    id: int
    customer_id: int
    customer_name: str
    venture_id: int
    currency: str
    plan: str
    mrr: Decimal
    started_at: date
    cancelled_at: date | None
    cancel_reason: str | None


class CustomerPageView(View):
    customer: CustomerView
    subscriptions: list[SubscriptionView]


class MrrPoint(View):
    day: date
    mrr: Decimal


class MonthBar(View):
    month: date
    new_mrr: Decimal
    expansion_mrr: Decimal
    contraction_mrr: Decimal
    churned_mrr: Decimal
    new_logos: int
    churned_logos: int
    customers_at_opening: int
    logo_churn_rate: Decimal | None


class TopCustomer(View):
    customer_id: int
    name: str
    mrr: Decimal


class MrrKpiView(View):
    venture_id: int
    venture_code: str
    currency: str
    day: date
    mrr: Decimal
    customers: int
    active_subscriptions: int


class SaasDashboardView(View):
    venture_id: int
    venture_code: str
    currency: str
    start: date
    end: date
    mrr_line: list[MrrPoint]
    months: list[MonthBar]
    top_customers: list[TopCustomer]
    mrr_start: Decimal
    mrr_end: Decimal
    computed_now: list[date] = []  # days with no stored MRR: computed now and stored
    computed_note: str = ""
