"""SaaS tables: the customers of a SAAS venture and their subscriptions.

Only SAAS ventures hold these rows (enforced by the services and every query, see
``domain.saas.access``). A subscription carries its customer's venture (copied when written) so
that every read is one index-served filter. MRR is in the venture's currency (one currency per
venture: a venture's MRR is never added to another's).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import Money, UTCDateTime
from domain.org.models import VentureType

SAAS_VENTURE_TYPES = frozenset({VentureType.SAAS})


class SaasCustomer(SQLModel, table=True):
    __tablename__ = "saas_customer"
    __table_args__ = (UniqueConstraint("venture_id", "domain"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id", index=True)
    name: str = Field(max_length=160)
    domain: str = Field(max_length=160)  # lower-case, e.g. "acme.com"; unique per venture
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class SaasSubscription(SQLModel, table=True):
    """One plan a customer pays for, from ``started_at`` until ``cancelled_at`` (exclusive: on
    the cancellation date the subscription no longer counts)."""

    __tablename__ = "saas_subscription"
    __table_args__ = (
        # The venture's MRR reads: every subscription of a venture with its dates and amount.
        Index(
            "ix_saas_subscription_venture_started",
            "venture_id",
            "started_at",
            "cancelled_at",
            "customer_id",
            "mrr",
        ),
        CheckConstraint("mrr >= 0", name="mrr_not_negative"),
        CheckConstraint(
            "cancelled_at IS NULL OR cancelled_at >= started_at", name="cancelled_after_start"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("saas_customer.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    venture_id: int = Field(foreign_key="venture.id")
    plan: str = Field(max_length=80)
    mrr: Decimal = Field(sa_type=Money)
    started_at: date
    cancelled_at: date | None = None
    cancel_reason: str | None = Field(default=None, max_length=500)
    cancelled_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True)
    )
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class SaasMrrDaily(SQLModel, table=True):
    """Pre-aggregated MRR of one SaaS venture on one business date (see ``domain.saas.kpi``):
    what the dashboards read instead of the subscriptions."""

    __tablename__ = "saas_mrr_daily"
    __table_args__ = (UniqueConstraint("venture_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    day: date
    mrr: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    customers: int = Field(default=0)  # customers paying on the day
    active_subscriptions: int = Field(default=0)
    computed_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    run_id: str | None = Field(default=None, max_length=64, index=True)
