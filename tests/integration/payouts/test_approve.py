"""Approval bound to the run (spec/incentives.md, Payouts): FINANCE or CEO approves a payouts run
as a whole after it re-verifies; the approver, the time and the run's output hash are recorded
in the database and in the run's manifest; a changed input refuses the approval naming the
change, and approving the replacing run succeeds. Then PAID only from APPROVED; void needs a
reason, and a PAID payout the force path."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from domain.access.audit import AuditLog
from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Forbidden, Invalid
from domain.freight.models import Load, LoadStatus
from domain.incentives import payout_services as svc
from domain.incentives.models import PayoutStatus
from domain.jobs.queries import find_run
from tests.helpers import actor, venture_id
from tests.integration.payouts.conftest import payouts_of, period

FINANCE = "finance@vcc.example"


def test_approve_records_the_signature_then_pay_and_void(demo, reports) -> None:
    start, end = period()
    created = svc.create_payouts(actor(FINANCE), "AFL", start, end)
    assert created.status == "SUCCEEDED", created.error

    with pytest.raises(Forbidden):  # ACCOUNTING reads payouts, never approves
        svc.approve_run(actor("accounting@vcc.example"), created.run_id)
    some = created.payouts[0]
    with unit_of_work() as uow, pytest.raises(Conflict) as unpaid:
        svc.mark_paid(uow, actor(FINANCE), some.id)
    assert "only an APPROVED payout is paid" in unpaid.value.message

    signed = svc.approve_run(actor(FINANCE), created.run_id)
    with read_only() as uow:
        run = find_run(uow.session, created.run_id)
        assert run is not None
        output_hash, manifest_path = run.output_hash, run.manifest_path
    assert signed.output_hash == output_hash and output_hash
    assert signed.payees == len({p.user_id for p in created.payouts})
    assert signed.totals == created.totals
    rows = payouts_of("AFL", run_id=created.run_id)
    assert {p.status for p in rows} == {PayoutStatus.APPROVED}
    assert {p.approved_output_hash for p in rows} == {output_hash}
    assert len({p.approved_at for p in rows}) == 1 and all(p.approved_by_id for p in rows)
    doc = json.loads((reports / str(manifest_path)).read_text())
    assert [(a["by_email"], a["output_hash"]) for a in doc["approvals"]] == [(FINANCE, output_hash)]
    with read_only() as uow:
        audits = (
            uow.session.execute(
                select(AuditLog).where(AuditLog.action == "incentives.payouts.approved")
            )
            .scalars()
            .all()
        )
    assert [a.entity_id for a in audits] == [created.run_id]

    with pytest.raises(Conflict) as twice:
        svc.approve_run(actor(FINANCE), created.run_id)
    assert "already approved" in twice.value.message

    with unit_of_work() as uow:
        paid = svc.mark_paid(uow, actor(FINANCE), some.id)
    assert paid.status is PayoutStatus.PAID and paid.paid_at is not None
    with unit_of_work() as uow, pytest.raises(Conflict):
        svc.mark_paid(uow, actor(FINANCE), some.id)
    with unit_of_work() as uow, pytest.raises(Invalid) as no_reason:
        svc.void_payout(uow, actor(FINANCE), some.id, "  ")
    assert "reason" in no_reason.value.fields
    with unit_of_work() as uow, pytest.raises(Conflict) as paid_void:
        svc.void_payout(uow, actor(FINANCE), some.id, "wrong amount")
    assert "only with force" in paid_void.value.message
    with unit_of_work() as uow:
        voided = svc.void_payout(uow, actor(FINANCE), some.id, "paid twice by payroll", force=True)
    assert voided.status is PayoutStatus.VOID and voided.void_reason == "paid twice by payroll"


def _a_counted_load(code: str, start, end) -> Load:
    with read_only() as uow:
        load = uow.session.execute(
            select(Load)
            .where(
                Load.venture_id == venture_id(code),
                Load.status == LoadStatus.DELIVERED,
                Load.billing_date >= start,  # type: ignore[operator]
                Load.billing_date <= end,  # type: ignore[operator]
                Load.sales_user_id.is_not(None),  # type: ignore[union-attr]
            )
            .order_by(Load.id)
            .limit(1)
        ).scalar_one()
        uow.session.expunge(load)
        return load


def test_a_changed_input_refuses_approval_and_the_replacing_run_approves(demo, reports) -> None:
    start, end = period()
    created = svc.create_payouts(actor(FINANCE), "AFL", start, end)
    assert created.status == "SUCCEEDED", created.error
    load = _a_counted_load("AFL", start, end)
    with unit_of_work() as uow:
        uow.session.execute(
            update(Load)
            .where(Load.id == load.id)  # type: ignore[arg-type]
            .values(cost_amount=Decimal(str(load.cost_amount or 0)) + Decimal("50.00"))
        )

    with pytest.raises(Conflict) as refused:
        svc.approve_run(actor(FINANCE), created.run_id)
    message = refused.value.message
    assert "INPUTS_CHANGED" in message
    assert "freight_load" in message and "1 changed" in message
    assert "with replace" in message
    assert {p.status for p in payouts_of("AFL", run_id=created.run_id)} == {PayoutStatus.CALCULATED}

    again = svc.create_payouts(actor(FINANCE), "AFL", start, end, replace=True)
    assert again.status == "SUCCEEDED", again.error
    signed = svc.approve_run(actor(FINANCE), again.run_id)
    assert signed.run_id == again.run_id
    assert {p.status for p in payouts_of("AFL", run_id=again.run_id)} == {PayoutStatus.APPROVED}
    # The replaced run is void: never approved.
    with pytest.raises(Conflict) as replaced:
        svc.approve_run(actor(FINANCE), created.run_id)
    assert "void" in replaced.value.message
    # Approved payouts are never replaced.
    with pytest.raises(Conflict) as signed_period:
        svc.create_payouts(actor(FINANCE), "AFL", start, end, replace=True)
    assert "never replaced" in signed_period.value.message
    assert start - timedelta(days=1) < end
