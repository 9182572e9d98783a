"""Inputs (validated before any write) and views (what holdings services and queries return)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field

from domain.holdings.models import AssetType
from domain.holdings.rules import last4_problem
from domain.money import Currency
from domain.schemas import BusinessDate, Id, Input, Patch, View

Value = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
# A balance may be negative (an overdrawn account).
BalanceAmount = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]


def _last4(value: str) -> str:
    problem = last4_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Last4 = Annotated[str, AfterValidator(_last4)]


class AssetInput(Input):
    venture_id: Id
    name: str = Field(min_length=1, max_length=160)
    type: AssetType
    location: str | None = Field(default=None, max_length=160)
    value_estimate: Value
    currency: Currency
    acquired_on: BusinessDate | None = None


class AssetPatch(Patch):
    clearable: ClassVar[frozenset[str]] = frozenset({"location", "acquired_on"})
    name: str | None = Field(default=None, min_length=1, max_length=160)
    type: AssetType | None = None
    location: str | None = Field(default=None, max_length=160)
    value_estimate: Value | None = None
    currency: Currency | None = None
    acquired_on: BusinessDate | None = None


class AssetView(View):
    id: int
    venture_id: int
    name: str
    type: AssetType
    location: str | None
    value_estimate: Decimal
    currency: Currency
    acquired_on: date | None


class AccountInput(Input):
    venture_id: Id
    bank: str = Field(min_length=1, max_length=120)
    name: str = Field(min_length=1, max_length=120)
    last4: Last4
    currency: Currency


class AccountPatch(Patch):
    """The currency of an account is fixed once created (its snapshots are in it)."""

    bank: str | None = Field(default=None, min_length=1, max_length=120)
    name: str | None = Field(default=None, min_length=1, max_length=120)
    last4: Last4 | None = None


class AccountView(View):
    id: int
    venture_id: int
    bank: str
    name: str
    last4: str
    currency: Currency
    latest_day: date | None = None
    latest_balance: Decimal | None = None


class SnapshotInput(Input):
    account_id: Id
    day: BusinessDate
    balance: BalanceAmount
    currency: Currency | None = None  # when sent, it must be the account's


class SnapshotPatch(Patch):
    balance: BalanceAmount | None = None


class SnapshotView(View):
    id: int
    account_id: int
    venture_id: int
    day: date
    balance: Decimal
    currency: Currency


class CurrencyAmount(View):
    currency: Currency
    amount: Decimal


class BalancesView(View):
    """Balances per currency on a date (each account's latest snapshot on or before it)."""

    on: date
    totals: list[CurrencyAmount]
    accounts: int


class SeriesPoint(View):
    day: date
    amount: Decimal


class CurrencySeries(View):
    currency: Currency
    points: list[SeriesPoint]


class TypeTotal(View):
    type: str
    currency: Currency
    amount: Decimal


class DashboardView(View):
    start: date
    end: date
    balances: list[CurrencyAmount]
    previous: list[CurrencyAmount]
    series: list[CurrencySeries]
    assets_by_type: list[TypeTotal]
    computed_now: list[date] = []  # days with no stored balances: computed now and stored
    computed_note: str = ""
