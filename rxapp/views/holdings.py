"""Display rows of the holdings pages: plain strings, money with its own currency."""

from __future__ import annotations

import dataclasses
from typing import Any

from domain import clock
from domain.holdings.models import AssetType
from domain.holdings.schemas import AccountView, AssetView, CurrencySeries
from rxapp.views.freight import DASH, money

ASSET_TYPES: dict[AssetType, str] = {
    AssetType.REAL_ESTATE: "Real estate",
    AssetType.VEHICLE: "Vehicle",
    AssetType.EQUIPMENT: "Equipment",
    AssetType.INVESTMENT: "Investment",
    AssetType.OTHER: "Other",
}


@dataclasses.dataclass
class AssetRow:
    id: int = 0
    name: str = ""
    type: str = ""
    location: str = ""
    value: str = ""
    acquired: str = ""


@dataclasses.dataclass
class AccountRow:
    id: int = 0
    name: str = ""
    bank: str = ""
    number: str = ""
    currency: str = ""
    balance: str = ""
    as_of: str = ""


def asset_row(a: AssetView) -> AssetRow:
    return AssetRow(
        id=a.id,
        name=a.name,
        type=ASSET_TYPES.get(a.type, str(a.type)),
        location=a.location or DASH,
        value=money(a.value_estimate, a.currency),
        acquired=clock.format_business_date(a.acquired_on) if a.acquired_on else DASH,
    )


def account_row(a: AccountView) -> AccountRow:
    return AccountRow(
        id=a.id,
        name=a.name,
        bank=a.bank,
        number=f"····{a.last4}",
        currency=str(a.currency),
        balance=money(a.latest_balance, a.currency, empty="No balance yet"),
        as_of=clock.format_business_date(a.latest_day) if a.latest_day else DASH,
    )


def series_points(series: list[CurrencySeries]) -> dict[str, list[dict[str, Any]]]:
    """Chart points per currency (one chart each: an INR and a USD line never share an axis)."""
    return {
        str(s.currency): [
            {"day": f"{p.day.day} {p.day:%b}", "balance": float(p.amount)} for p in s.points
        ]
        for s in series
    }
