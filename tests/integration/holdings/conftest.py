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
