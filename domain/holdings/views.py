"""Row -> view builders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.holdings.models import BankAccount, BankSnapshot, HoldingAsset
from domain.holdings.schemas import AccountView, AssetView, SnapshotView
from domain.money import Currency


def asset_view(a: HoldingAsset) -> AssetView:
    return AssetView(
        id=a.id or 0,
        venture_id=a.venture_id,
        name=a.name,
        type=a.type,
        location=a.location,
        value_estimate=a.value_estimate,
        currency=Currency(a.currency),
        acquired_on=a.acquired_on,
    )


def account_view(
    a: BankAccount, latest_day: date | None = None, latest_balance: Decimal | None = None
) -> AccountView:
    return AccountView(
        id=a.id or 0,
        venture_id=a.venture_id,
        bank=a.bank,
        name=a.name,
        last4=a.last4,
        currency=Currency(a.currency),
        latest_day=latest_day,
        latest_balance=latest_balance,
    )


def snapshot_view(s: BankSnapshot) -> SnapshotView:
    return SnapshotView(
        id=s.id or 0,
        account_id=s.account_id,
        venture_id=s.venture_id,
        day=s.day,
        balance=s.balance,
        currency=Currency(s.currency),
    )
