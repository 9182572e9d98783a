"""Payout tests: the demo (freight ventures with 60 committed days), reports of the job runs in a
temp folder, a period inside the committed days, and helpers reading what was written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from domain import clock
from domain.db import read_only
from domain.incentives.models import IncentiveDaily, IncentivePayout
from tests.helpers import venture_id


@pytest.fixture
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Job runs (payouts, verifications, backfills) write their reports under a temp dir."""
    from domain.jobs.config import reset_job_settings
    from domain.settings import reset_settings

    folder = tmp_path / "reports"
    monkeypatch.setenv("VCC_REPORTS_DIR", str(folder))
    reset_settings()
    reset_job_settings()
    yield folder
    reset_settings()
    reset_job_settings()


def period(days: int = 7, ends_days_ago: int = 5) -> tuple[date, date]:
    """A past period inside the demo's committed days (the demo commits the 60 days before its
    anchor, today in UTC)."""
    end = clock.today("UTC") - timedelta(days=ends_days_ago)
    return end - timedelta(days=days - 1), end


def dailies_per_user(code: str, start: date, end: date) -> dict[tuple[int, str], Decimal]:
    out: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    with read_only() as uow:
        for r in uow.session.execute(
            select(IncentiveDaily).where(
                IncentiveDaily.venture_id == venture_id(code),
                IncentiveDaily.business_date >= start,  # type: ignore[operator]
                IncentiveDaily.business_date <= end,  # type: ignore[operator]
            )
        ).scalars():
            out[(r.user_id, r.currency)] += Decimal(str(r.amount))
    return dict(out)


def payouts_of(code: str, *, run_id: str | None = None) -> list[IncentivePayout]:
    with read_only() as uow:
        stmt = select(IncentivePayout).where(IncentivePayout.venture_id == venture_id(code))
        if run_id:
            stmt = stmt.where(IncentivePayout.run_id == run_id)
        rows = list(uow.session.execute(stmt.order_by(IncentivePayout.id)).scalars())
        uow.session.expunge_all()
        return rows
