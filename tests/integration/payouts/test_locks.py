"""Locked days (spec/incentives.md, the commit): a commit or backfill of a day inside an APPROVED
or PAID payout period is refused naming the period; force-reopen (FINANCE or CEO, reason
required) voids the period's payouts, audits, and recomputes the days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from domain.access.audit import AuditLog
from domain.db import get_engine, read_only
from domain.errors import Conflict, Forbidden, Invalid
from domain.incentives import payout_services as svc
from domain.incentives import services
from domain.incentives.commit import (
    DayLocked,
    backfill,
    commit_incentives,
    compute,
    write_days,
    write_engine,
)
from domain.incentives.models import IncentiveDaily, PayoutStatus
from tests.helpers import actor, venture_id
from tests.integration.incentives.conftest import rows_of
from tests.integration.payouts.conftest import payouts_of, period

FINANCE = "finance@vcc.example"


def test_a_locked_day_is_refused_and_force_reopen_voids_audits_and_recomputes(
    demo, reports
) -> None:
    start, end = period(days=3)
    created = svc.create_payouts(actor(FINANCE), "AFL", start, end)
    assert created.status == "SUCCEEDED", created.error
    day = start + timedelta(days=1)
    # Before approval the days are open: a commit is a dry run away.
    assert commit_incentives(venture_id("AFL"), day, run_id=None, dry_run=True) is not None
    svc.approve_run(actor(FINANCE), created.run_id)

    named = f"APPROVED payout period {start} to {end} of AFL"
    with pytest.raises(DayLocked) as engine_refusal:
        commit_incentives(venture_id("AFL"), day, run_id="by-hand", dry_run=False)
    assert named in str(engine_refusal.value)
    with pytest.raises(DayLocked):
        backfill(venture_id("AFL"), day - timedelta(days=5), day, run_id="x", dry_run=False)
    with pytest.raises(Conflict) as service_refusal:
        services.commit(actor(FINANCE), "AFL", day, dry_run=False)
    assert named in service_refusal.value.message
    with pytest.raises(Conflict):
        services.backfill(actor(FINANCE), "AFL", day, end + timedelta(days=1))
    with read_only() as uow:
        before = {
            r.id
            for r in uow.session.execute(
                select(IncentiveDaily).where(IncentiveDaily.business_date == day)
            ).scalars()
        }
    assert before  # nothing was rewritten

    with pytest.raises(Invalid) as no_reason:
        svc.reopen_and_recompute(actor(FINANCE), "AFL", day, day, "")
    assert "reason" in no_reason.value.fields
    with pytest.raises(Forbidden):  # ADMIN creates and pays, only FINANCE and CEO reopen
        svc.reopen_and_recompute(actor("admin@vcc.example"), "AFL", day, day, "fix")

    voided, run = svc.reopen_and_recompute(
        actor(FINANCE), "AFL", day, day, "a load was billed to the wrong day"
    )
    assert run.status.value == "SUCCEEDED", run.error
    assert {v.status for v in voided} == {PayoutStatus.VOID}
    rows = payouts_of("AFL", run_id=created.run_id)
    assert {p.status for p in rows} == {PayoutStatus.VOID}
    assert {p.void_reason for p in rows} == {"reopened: a load was billed to the wrong day"}
    with read_only() as uow:
        audit = uow.session.execute(
            select(AuditLog).where(AuditLog.action == "incentives.payouts.reopened")
        ).scalar_one()
        after = list(
            uow.session.execute(
                select(IncentiveDaily).where(
                    IncentiveDaily.venture_id == venture_id("AFL"),
                    IncentiveDaily.business_date == day,
                )
            ).scalars()
        )
    assert audit.detail["reason"] == "a load was billed to the wrong day"
    assert audit.detail["voided"][0]["was"] == "APPROVED"
    assert after and {r.run_id for r in after} == {run.run_id}  # recomputed by the reopen's run
    # The period is open again: payouts may be created anew.
    again = svc.create_payouts(actor(FINANCE), "AFL", start, end)
    assert again.status == "SUCCEEDED", again.error


def test_a_backfill_stops_at_a_period_approved_while_it_ran(demo, reports) -> None:
    """The backfill checks the locked periods before it starts and again in each day's
    transaction: a period approved after it started stops it at the period's first day, the
    days before written, the period's days left as they were signed."""
    start, end = period(days=3)
    created = svc.create_payouts(actor(FINANCE), "AFL", start, end)
    assert created.status == "SUCCEEDED", created.error
    vid = venture_id("AFL")
    first = start - timedelta(days=2)
    computed = compute(vid, first, end).rows  # read before the approval, as a running backfill
    svc.approve_run(actor(FINANCE), created.run_id)
    signed = {day: _run_ids(day) for day in (start, end)}

    with write_engine(get_engine()).connect() as conn, pytest.raises(DayLocked) as refused:
        write_days(conn, vid, first, end, computed, "approved-meanwhile")
    assert f"{start} is locked: it lies in the APPROVED payout period {start} to {end} of AFL" in (
        str(refused.value)
    )
    assert _run_ids(first) == _run_ids(first + timedelta(days=1)) == {"approved-meanwhile"}
    assert {day: _run_ids(day) for day in (start, end)} == signed
    assert "approved-meanwhile" not in signed[start] | signed[end]


def _run_ids(day: date) -> set[str]:
    return {r["run_id"] for r in rows_of("AFL", day)}
