"""The incentive tables (spec/incentives.md): plans, their rules, and the daily accruals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import JSONType, Money, Rate, UTCDateTime, enum_type
from domain.incentives.calc import CalcType

__all__ = [
    "CalcType",
    "IncentiveDaily",
    "IncentivePayout",
    "IncentivePlan",
    "IncentiveRule",
    "PayoutStatus",
    "PlanStatus",
]

CURRENCIES = ("USD", "INR")


class PlanStatus(StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    RETIRED = "RETIRED"


class IncentivePlan(SQLModel, table=True):
    """A venture's plan, paid in one currency, applying on the days of its effective range
    while ACTIVE. Several plans may apply on one day."""

    __tablename__ = "incentive_plan"
    __table_args__ = (
        UniqueConstraint("venture_id", "name"),
        CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from", name="plan_dates"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id", index=True)
    name: str = Field(max_length=120)
    currency: str = Field(max_length=3)
    effective_from: date
    effective_to: date | None = Field(default=None)
    status: PlanStatus = Field(default=PlanStatus.DRAFT, sa_type=enum_type(PlanStatus))
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class IncentiveRule(SQLModel, table=True):
    """One way a plan pays: a metric, a calc type, a rate and its config, for some roles."""

    __tablename__ = "incentive_rule"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("incentive_plan.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(max_length=120)
    metric_key: str = Field(max_length=40)
    calc_type: CalcType = Field(sa_type=enum_type(CalcType))
    rate: Decimal = Field(default=Decimal("0"), sa_type=Rate)
    config: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    roles: list[str] = Field(default_factory=list, sa_type=JSONType)  # empty: every role
    enabled: bool = Field(default=True)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class IncentiveDaily(SQLModel, table=True):
    """What one user earned in one venture on one business date, in one currency. Written only
    by the commit (domain/incentives/commit.py), every row naming the job run that wrote it."""

    __tablename__ = "incentive_daily"
    __table_args__ = (
        UniqueConstraint("user_id", "venture_id", "business_date", "currency"),
        Index("ix_incentive_daily_venture_date", "venture_id", "business_date"),
        Index("ix_incentive_daily_user_date", "user_id", "business_date", "id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    )
    venture_id: int = Field(foreign_key="venture.id")
    business_date: date
    currency: str = Field(max_length=3)
    amount: Decimal = Field(sa_type=Money)
    # [{plan_id, plan, rule_id, rule, metric_key, metric_value, calc_type, rate, amount}]
    breakdown: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType)
    run_id: str = Field(max_length=40, index=True)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class PayoutStatus(StrEnum):
    CALCULATED = "CALCULATED"
    APPROVED = "APPROVED"
    PAID = "PAID"
    VOID = "VOID"


class IncentivePayout(SQLModel, table=True):
    """What one user is paid in one venture for one period, in one currency: the sum of the
    period's IncentiveDaily rows. Written by the payouts run (``run_id``); approved as a run
    (approver, time and the run's output hash), then paid, or voided with a reason.

    One live payout per key: a partial unique index over the rows that are not VOID, so a
    voided period (replaced, reopened) keeps its history and may be created again."""

    __tablename__ = "incentive_payout"
    __table_args__ = (
        Index(
            "uq_incentive_payout_key",
            "user_id",
            "venture_id",
            "period_start",
            "period_end",
            "currency",
            unique=True,
            sqlite_where=text("status <> 'VOID'"),
            postgresql_where=text("status <> 'VOID'"),
        ),
        Index("ix_incentive_payout_venture_period", "venture_id", "period_start", "period_end"),
        Index("ix_incentive_payout_user", "user_id", "period_start"),
        CheckConstraint("period_end >= period_start", name="payout_period"),
        CheckConstraint("amount > 0", name="payout_amount_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    venture_id: int = Field(foreign_key="venture.id")
    period_start: date
    period_end: date
    currency: str = Field(max_length=3)
    amount: Decimal = Field(sa_type=Money)
    days: int = Field(default=0)  # the days with an IncentiveDaily row behind the amount
    status: PayoutStatus = Field(default=PayoutStatus.CALCULATED, sa_type=enum_type(PayoutStatus))
    run_id: str = Field(max_length=40, index=True)
    approved_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approved_output_hash: str | None = Field(default=None, max_length=64)
    paid_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    void_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
