"""Approved runs are re-verified nightly (incentives.md, Payouts; payouts issue, item 4): the
housekeeping job checks every APPROVED or PAID payouts run; an input edited after the approval
raises an alert naming the row (the load by its reference) and its table; nothing is recomputed.
Unchanged inputs raise nothing."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, update

from domain.db import read_only, unit_of_work
from domain.freight.models import Load, LoadStatus
from domain.incentives import payout_services as svc
from domain.jobs.models import Alert, AlertKind, RunStatus
from domain.jobs.runner import run_job
from tests.helpers import actor, venture_id
from tests.integration.payouts.conftest import payouts_of, period


def _alerts(run_id: str) -> list[Alert]:
    with read_only() as uow:
        rows = list(
            uow.session.execute(
                select(Alert).where(
                    Alert.kind == AlertKind.APPROVED_INPUTS_CHANGED, Alert.run_id == run_id
                )
            ).scalars()
        )
        uow.session.expunge_all()
        return rows


def test_an_input_edited_after_approval_alerts_and_nothing_is_recomputed(demo, reports) -> None:
    start, end = period(days=3)
    finance = actor("finance@vcc.example")
    created = svc.create_payouts(finance, "AFL", start, end)
    assert created.status == "SUCCEEDED", created.error
    svc.approve_run(finance, created.run_id)
    approved = {(p.id, p.amount, p.status) for p in payouts_of("AFL", run_id=created.run_id)}

    quiet = run_job("housekeeping", business_date=end)
    assert quiet.status == RunStatus.SUCCEEDED, quiet.error
    assert quiet.result_summary["approved_payout_runs_changed"] == 0
    assert _alerts(created.run_id) == []

    with read_only() as uow:
        load = uow.session.execute(
            select(Load)
            .where(
                Load.venture_id == venture_id("AFL"),
                Load.status == LoadStatus.DELIVERED,
                Load.billing_date >= start,  # type: ignore[operator]
                Load.billing_date <= end,  # type: ignore[operator]
            )
            .order_by(Load.id)
            .limit(1)
        ).scalar_one()
        uow.session.expunge(load)
    with unit_of_work() as uow:
        uow.session.execute(
            update(Load)
            .where(Load.id == load.id)  # type: ignore[arg-type]
            .values(cost_amount=Decimal(str(load.cost_amount or 0)) + Decimal("10.00"))
        )

    night = run_job("housekeeping", business_date=end)
    assert night.status == RunStatus.SUCCEEDED, night.error
    assert night.result_summary["approved_payout_runs_changed"] == 1
    [alert] = _alerts(created.run_id)
    assert f"load {load.reference} changed" in alert.message
    assert "- freight_load:" in alert.message
    assert alert.venture_id == venture_id("AFL")
    # Nothing recomputed: the approved payouts are as they were.
    assert {
        (p.id, p.amount, p.status) for p in payouts_of("AFL", run_id=created.run_id)
    } == approved

    # The next night says nothing new while the alert stands unacknowledged.
    again = run_job("housekeeping", business_date=end)
    assert again.status == RunStatus.SUCCEEDED and len(_alerts(created.run_id)) == 1
