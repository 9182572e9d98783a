"""kpi-aggregate covers BPO through the manifest's KpiSource: the job writes PBP's day with its
run id, the same numbers the event handler wrote, and verifies by a dry re-execution."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import col, select

from domain import clock
from domain.bpo.models import BpoKpiDaily
from domain.db import read_only
from domain.jobs.models import RunStatus
from domain.jobs.runner import run_job
from tests.integration.bpo.conftest import AGENT, KOLKATA, build_world, call
from tests.integration.bpo.test_bpo_services import _log


def _row(venture: int):
    with read_only() as uow:
        return uow.session.execute(
            select(BpoKpiDaily).where(col(BpoKpiDaily.venture_id) == venture)
        ).scalar_one()


def test_kpi_aggregate_writes_the_bpo_day(demo) -> None:
    w = build_world()
    _log(AGENT, call(w))
    by_handler = _row(w.pbp)
    assert by_handler.run_id is None and by_handler.deals == 1
    day = clock.today(KOLKATA)
    run = run_job("kpi-aggregate", business_date=day, params={"verticals": "bpo"})
    assert run.status == RunStatus.SUCCEEDED, (run.error, run.error_cell)
    by_job = _row(w.pbp)
    assert by_job.run_id == run.run_id
    assert (by_job.dials, by_job.connects, by_job.revenue, by_job.conversion) == (
        2,
        1,
        Decimal("1500.00"),
        Decimal("1"),
    )
