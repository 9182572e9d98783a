"""Creating a period's payouts (spec/incentives.md, Payouts): one CALCULATED payout per user and
currency equal to the sum of the period's dailies, written by a run of the payouts notebook;
a second create is refused; replace replaces while all are CALCULATED; bad periods are refused
naming the field, nothing written."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from domain import clock
from domain.db import read_only
from domain.errors import Conflict, Invalid
from domain.incentives import payout_services as svc
from domain.incentives.models import PayoutStatus
from domain.jobs.models import JobRun
from tests.helpers import actor
from tests.integration.payouts.conftest import dailies_per_user, payouts_of, period

FINANCE = "finance@vcc.example"


def _runs() -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(JobRun)).scalar_one())


def test_create_writes_the_sum_of_the_dailies_then_refuses_a_second_and_replaces(
    demo, reports
) -> None:
    start, end = period()
    result = svc.create_payouts(actor(FINANCE), "AFL", start, end)
    assert result.status == "SUCCEEDED", result.error
    expected = dailies_per_user("AFL", start, end)
    assert expected
    got = {(p.user_id, p.currency): p.amount for p in result.payouts}
    assert got == expected
    assert all(p.status is PayoutStatus.CALCULATED and p.days >= 1 for p in result.payouts)
    manifest = next(reports.rglob(f"{result.run_id}.manifest.json"))
    doc = json.loads(manifest.read_text())
    assert doc["parameters"]["period_start"] == start.isoformat()
    assert "incentive_daily[" in " ".join(doc["inputs"]["tables"])
    html = next(reports.rglob(f"{result.run_id}.html")).read_text()
    assert "Reconciliation" in html

    runs = _runs()
    with pytest.raises(Conflict) as refused:
        svc.create_payouts(actor(FINANCE), "AFL", start, end)
    assert "payout already exists for this period" in refused.value.message
    assert _runs() == runs  # refused before any run

    again = svc.create_payouts(actor(FINANCE), "AFL", start, end, replace=True)
    assert again.status == "SUCCEEDED", again.error
    old = payouts_of("AFL", run_id=result.run_id)
    assert {p.status for p in old} == {PayoutStatus.VOID}
    assert all(p.void_reason == f"replaced by run {again.run_id}" for p in old)
    assert {(p.user_id, p.currency): p.amount for p in again.payouts} == expected


@pytest.mark.parametrize(
    ("shift", "field", "words"),
    [
        ((0, -3), "period_end", "before the period's start"),
        ((0, 31), "period_end", "at most 31 days"),
        ((0, 30), "period_end", "in the future"),
    ],
)
def test_bad_periods_name_the_field_and_write_nothing(demo, reports, shift, field, words) -> None:
    base = clock.today("UTC") - timedelta(days=20)
    start, end = base + timedelta(days=shift[0]), base + timedelta(days=shift[1])
    if words == "in the future":
        start = clock.today("UTC") - timedelta(days=2)
        end = clock.today("UTC") + timedelta(days=3)
    runs = _runs()
    with pytest.raises(Invalid) as refused:
        svc.create_payouts(actor(FINANCE), "AFL", start, end)
    assert field in refused.value.fields and words in refused.value.fields[field]
    assert _runs() == runs and payouts_of("AFL") == []


def test_an_overlapping_period_is_refused(demo, reports) -> None:
    start, end = period(days=5)
    assert svc.create_payouts(actor(FINANCE), "AFL", start, end).status == "SUCCEEDED"
    with pytest.raises(Invalid) as refused:
        svc.create_payouts(
            actor(FINANCE), "AFL", start + timedelta(days=2), end + timedelta(days=2)
        )
    assert "overlaps the payout period" in refused.value.fields["period_start"]
    # Another venture's period is its own.
    assert svc.create_payouts(actor(FINANCE), "MBR", start, end).status == "SUCCEEDED"
