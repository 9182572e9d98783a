"""Races on PostgreSQL (SQLite serialises writers): twenty recorders of one account's balance
on one day leave one row; the others get the 409-style Conflict naming ``day``."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain.db import read_only, unit_of_work
from domain.errors import Conflict
from domain.holdings.models import BankSnapshot
from domain.holdings.services import accounts
from domain.money import Currency
from tests.helpers import actor, at_once
from tests.integration.holdings.conftest import FINANCE, account_of

N = 20


@pytest.mark.postgres_only
def test_twenty_recorders_of_one_day_leave_one_snapshot(demo) -> None:
    account = account_of(Currency.USD)
    who = actor(FINANCE)
    day = date(2026, 11, 15)

    def record(i: int):
        with unit_of_work() as uow:
            return accounts.record_snapshot(
                uow, who, {"account_id": account.id, "day": day.isoformat(), "balance": f"{i}.00"}
            )

    results, errors = at_once(N, record)
    assert len(results) == 1
    assert len(errors) == N - 1 and all(isinstance(e, Conflict) for e in errors)
    assert all("day" in e.fields for e in errors if isinstance(e, Conflict))
    with read_only() as uow:
        rows = uow.session.execute(
            select(func.count())
            .select_from(BankSnapshot)
            .where(BankSnapshot.account_id == account.id, BankSnapshot.day == day)
        ).scalar_one()
    assert rows == 1
