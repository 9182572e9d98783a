"""Holdings tables (spec/operations.md, Holdings): assets, bank accounts, balance snapshots.

Only HOLDINGS ventures hold these rows. A bank account stores the last 4 digits of its number
and nothing more; a snapshot is one balance per (account, date), in the account's currency
(``currency`` is copied onto the snapshot so per-currency totals are one indexed read, and a
CHECK-free equality is enforced by the service: a snapshot in another currency is refused).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import Money, UTCDateTime, enum_type
from domain.money import Currency
from domain.org.models import VentureType

HOLDINGS_VENTURE_TYPES = frozenset({VentureType.HOLDINGS})


class AssetType(StrEnum):
    REAL_ESTATE = "REAL_ESTATE"
    VEHICLE = "VEHICLE"
    EQUIPMENT = "EQUIPMENT"
    INVESTMENT = "INVESTMENT"
    OTHER = "OTHER"


class HoldingAsset(SQLModel, table=True):
    __tablename__ = "holding_asset"
    __table_args__ = (Index("ix_holding_asset_venture_name", "venture_id", "name", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    name: str = Field(max_length=160)
    type: AssetType = Field(sa_type=enum_type(AssetType))
    location: str | None = Field(default=None, max_length=160)
    value_estimate: Decimal = Field(sa_type=Money)
    currency: Currency = Field(sa_type=enum_type(Currency))
    acquired_on: date | None = Field(default=None)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class BankAccount(SQLModel, table=True):
    __tablename__ = "bank_account"
    __table_args__ = (
        Index("ix_bank_account_venture_name", "venture_id", "name", "id"),
        # Only ever the last four digits (the service refuses anything else; this is the backstop).
        CheckConstraint("length(last4) = 4", name="last4"),
    )

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    bank: str = Field(max_length=120)
    name: str = Field(max_length=120)
    last4: str = Field(max_length=4)
    currency: Currency = Field(sa_type=enum_type(Currency))
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class BankSnapshot(SQLModel, table=True):
    """One balance per (account, date): the unique key decides a duplicate (409)."""

    __tablename__ = "bank_snapshot"
    __table_args__ = (
        UniqueConstraint("account_id", "day"),
        # Per-currency balances and series of a venture by date.
        Index("ix_bank_snapshot_venture_day", "venture_id", "day", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="bank_account.id")
    venture_id: int = Field(foreign_key="venture.id")
    day: date
    balance: Decimal = Field(sa_type=Money)
    currency: Currency = Field(sa_type=enum_type(Currency))
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class HoldingsBalanceDaily(SQLModel, table=True):
    """Pre-aggregated balances of one holdings venture on one business date, one row per
    currency (see ``domain.holdings.kpi``): each account's latest snapshot on or before the day,
    summed per currency (never across currencies). A computed day always has a row in the
    venture's own currency (0 with no account in it), so that "stored" is visible."""

    __tablename__ = "holdings_balance_daily"
    __table_args__ = (UniqueConstraint("venture_id", "day", "currency"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    day: date
    currency: Currency = Field(sa_type=enum_type(Currency))
    balance: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    accounts: int = Field(default=0)  # accounts in this currency with a balance by the day
    computed_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    run_id: str | None = Field(default=None, max_length=64, index=True)
