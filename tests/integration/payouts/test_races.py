"""Races on PostgreSQL (SQLite serialises writers): 20 concurrent creates of one period leave one
set of payouts and answer the rest "payout already exists for this period" (409); 20 concurrent
approvals of one run record one approval."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from domain.access.audit import AuditLog
from domain.db import read_only
from domain.errors import Conflict
from domain.incentives import payout_services as svc
from domain.incentives import payouts
from domain.incentives.models import PayoutStatus
from domain.jobs.queries import find_run
from tests.helpers import actor, at_once
from tests.integration.payouts.conftest import dailies_per_user, payouts_of, period

FINANCE = "finance@vcc.example"
N = 20


@pytest.mark.postgres_only
def test_twenty_concurrent_creates_make_one_set_and_409s(demo, reports) -> None:
    start, end = period(days=4)
    who = actor(FINANCE)
    results, errors = at_once(N, lambda i: svc.create_payouts(who, "AFL", start, end))
    assert len(results) == 1 and results[0].status == "SUCCEEDED", (results, errors[:3])
    assert len(errors) == N - 1
    assert all(isinstance(e, Conflict) for e in errors), errors
    assert all("payout already exists for this period" in e.message for e in errors)  # type: ignore[attr-defined]
    rows = payouts_of("AFL")
    assert {p.run_id for p in rows} == {results[0].run_id}
    assert {(p.user_id, p.currency): p.amount for p in rows} == dailies_per_user("AFL", start, end)


@pytest.mark.postgres_only
def test_the_database_decides_between_concurrent_writers(demo) -> None:
    """The writer itself, without the runner's lease: one insert wins, the rest are 409."""
    start, end = period(days=4, ends_days_ago=12)
    results, errors = at_once(
        N, lambda i: payouts.create("AFL", start, end, run_id=f"race-{i:02d}", dry_run=False)
    )
    assert len(results) == 1 and len(errors) == N - 1
    assert all(isinstance(e, Conflict) for e in errors), errors
    rows = payouts_of("AFL")
    assert len({p.run_id for p in rows}) == 1
    assert {(p.user_id, p.currency): p.amount for p in rows} == dailies_per_user("AFL", start, end)


@pytest.mark.postgres_only
def test_twenty_concurrent_approvals_record_one(demo, reports) -> None:
    start, end = period(days=4)
    created = svc.create_payouts(actor(FINANCE), "AFL", start, end)
    assert created.status == "SUCCEEDED", created.error
    who = actor(FINANCE)
    results, errors = at_once(N, lambda i: svc.approve_run(who, created.run_id))
    assert len(results) == 1, errors[:3]
    assert len(errors) == N - 1 and all(isinstance(e, Conflict) for e in errors), errors
    rows = payouts_of("AFL", run_id=created.run_id)
    assert {p.status for p in rows} == {PayoutStatus.APPROVED}
    assert len({p.approved_at for p in rows}) == 1
    with read_only() as uow:
        approvals = uow.session.execute(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "incentives.payouts.approved")
        ).scalar_one()
        run = find_run(uow.session, created.run_id)
        assert run is not None
        manifest = json.loads((reports / str(run.manifest_path)).read_text())
    assert approvals == 1
    assert len(manifest["approvals"]) == 1
