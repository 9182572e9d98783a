"""Races on PostgreSQL (SQLite serialises writers): concurrent commits of one venture-day, and
concurrent membership edits of one user."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.db import get_engine, read_only, unit_of_work
from domain.incentives.commit import commit_incentives
from domain.org.models import MembershipPeriod
from domain.org.services import set_user_ventures
from tests.helpers import actor, at_once, user_id, venture_id
from tests.integration.incentives.conftest import busiest_day, rows_of, without_run

THREADS = 50


@pytest.mark.postgres_only
def test_fifty_concurrent_commits_leave_the_rows_of_one(demo) -> None:
    day = busiest_day("AFL", "csr.afl@vcc.example")
    vid = venture_id("AFL")
    expected = commit_incentives(vid, day, run_id=None, dry_run=True).rows
    assert expected
    engine = get_engine()  # the process-wide pool, as the web app and the API share it

    _, errors = at_once(
        THREADS,
        lambda i: commit_incentives(vid, day, run_id=f"race-{i:02d}", dry_run=False, engine=engine),
    )
    assert errors == []
    rows = rows_of("AFL", day)
    assert len({r["run_id"] for r in rows}) == 1  # every row of one commit
    assert [(r["user_id"], r["currency"], r["amount"]) for r in rows] == [
        (r.user_id, r.currency, r.amount) for r in expected
    ]
    assert without_run(rows) == without_run(rows_of("AFL", day))


@pytest.mark.postgres_only
def test_concurrent_venture_edits_of_one_user_leave_one_open_period(demo) -> None:
    uid = user_id("csr.afl@vcc.example")
    afl, mbr = venture_id("AFL"), venture_id("MBR")
    admin = actor("admin@vcc.example")
    choices = [[afl, mbr], [mbr], [afl, mbr], [mbr, afl]]

    def edit(i: int) -> None:
        with unit_of_work() as uow:
            set_user_ventures(uow, admin, uid, choices[i % len(choices)])

    _, errors = at_once(12, edit)
    assert errors == []
    with read_only() as uow:
        open_periods = list(
            uow.session.execute(
                select(MembershipPeriod.venture_id).where(
                    MembershipPeriod.user_id == uid,
                    MembershipPeriod.valid_to.is_(None),  # type: ignore[union-attr]
                )
            ).scalars()
        )
    assert sorted(open_periods) == sorted(set(open_periods))  # at most one per venture
    assert mbr in open_periods
