"""Incentive integration tests: the demo (freight ventures with a plan using every calc type and
60 committed days), reports of job runs in a temp folder, and helpers reading what the commit
wrote."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from domain.db import read_only
from domain.freight.models import Load, LoadStatus
from domain.incentives.models import IncentiveDaily
from tests.helpers import user_id, venture_id


@pytest.fixture
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Job runs (live commits, backfills, verifications) write their reports under a temp dir."""
    from domain.jobs.config import reset_job_settings
    from domain.settings import reset_settings

    folder = tmp_path / "reports"
    monkeypatch.setenv("VCC_REPORTS_DIR", str(folder))
    reset_settings()
    reset_job_settings()
    yield folder
    reset_settings()
    reset_job_settings()


def rows_of(code: str, day: date) -> list[dict[str, Any]]:
    """The venture-day's stored rows, ordered, as plain dicts (run_id and timestamps apart)."""
    vid = venture_id(code)
    with read_only() as uow:
        found = uow.session.execute(
            select(IncentiveDaily)
            .where(IncentiveDaily.venture_id == vid, IncentiveDaily.business_date == day)
            .order_by(IncentiveDaily.user_id, IncentiveDaily.currency)
        ).scalars()
        return [
            {
                "user_id": r.user_id,
                "currency": r.currency,
                "amount": Decimal(str(r.amount)),
                "breakdown": r.breakdown,
                "run_id": r.run_id,
            }
            for r in found
        ]


def without_run(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "run_id"} for r in rows]


def delivered(code: str, email: str, day: date) -> list[Load]:
    """The user's loads the freight metrics count on ``day``: DELIVERED, billed that day."""
    with read_only() as uow:
        return list(
            uow.session.execute(
                select(Load).where(
                    Load.venture_id == venture_id(code),
                    Load.sales_user_id == user_id(email),
                    Load.status == LoadStatus.DELIVERED,
                    Load.billing_date == day,
                )
            ).scalars()
        )


def busiest_day(code: str, email: str, at_least: int = 3) -> date:
    """A past day on which the user delivered the most loads (for hand computations)."""
    from sqlalchemy import func

    with read_only() as uow:
        day, count = uow.session.execute(
            select(Load.billing_date, func.count())
            .where(
                Load.venture_id == venture_id(code),
                Load.sales_user_id == user_id(email),
                Load.status == LoadStatus.DELIVERED,
                Load.billing_date.is_not(None),  # type: ignore[union-attr]
            )
            .group_by(Load.billing_date)
            .order_by(func.count().desc(), Load.billing_date.desc())  # type: ignore[union-attr]
            .limit(1)
        ).one()
    assert count >= at_least, (email, day, count)
    return day
