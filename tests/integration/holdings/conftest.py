"""Helpers for the holdings integration tests: the small demo's KSH (HOLDINGS) is the world."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from domain.db import read_only
from domain.holdings.models import BankAccount, BankSnapshot, HoldingAsset
from domain.money import Currency
from tests.helpers import venture_id

FINANCE = "finance@vcc.example"  # FINANCE with KSH in scope
OTHER_FINANCE = "finance.india@vcc.example"  # FINANCE of PBP only: KSH is out of scope
OTHER_HEAD = "head.hotels@vcc.example"  # VENTURE_HEAD of HHG only
AUDITOR = "auditor@vcc.example"
ACCOUNTING = "accounting@vcc.example"  # the freight ventures only
EMPLOYEE = "frontdesk.hhg@vcc.example"
CEO = "ceo@vcc.example"


def ksh() -> int:
    return venture_id("KSH")


def account_of(currency: Currency) -> BankAccount:
    with read_only() as uow:
        return uow.session.execute(
            select(BankAccount)
            .where(BankAccount.venture_id == ksh(), BankAccount.currency == currency)
            .order_by(col(BankAccount.id))
            .limit(1)
        ).scalar_one()


def counts() -> tuple[int, int, int]:
    """(assets, accounts, snapshots) in the database."""
    with read_only() as uow:
        return tuple(  # type: ignore[return-value]
            int(uow.session.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (HoldingAsset, BankAccount, BankSnapshot)
        )


def second_holdings_venture() -> tuple[int, int, int, int]:
    """A second HOLDINGS venture (created by the CEO) with an INR account, a snapshot and an
    asset: (venture, account, snapshot, asset ids). ``finance@`` has KSH, not this one."""
    from domain.db import unit_of_work
    from domain.holdings.services import accounts, assets
    from domain.org.services import create_venture
    from tests.helpers import actor

    ceo = actor(CEO)
    with unit_of_work() as uow:
        venture = create_venture(
            uow,
            ceo,
            {
                "code": "KSX",
                "slug": "kestrel-two",
                "name": "Kestrel Two",
                "type": "HOLDINGS",
                "currency": "INR",
                "timezone": "Asia/Kolkata",
            },
        )
        account = accounts.create_account(
            uow,
            ceo,
            {
                "venture_id": venture.id,
                "bank": "SBI",
                "name": "Main",
                "last4": "1111",
                "currency": "INR",
            },
        )
        snap = accounts.record_snapshot(
            uow, ceo, {"account_id": account.id, "day": "2026-11-01", "balance": "10.00"}
        )
        asset = assets.create_asset(
            uow,
            ceo,
            {
                "venture_id": venture.id,
                "name": "Land",
                "type": "REAL_ESTATE",
                "value_estimate": "5.00",
                "currency": "INR",
            },
        )
    return venture.id, account.id, snap.id, asset.id
