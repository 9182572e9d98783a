"""The nightly kpi-aggregate writes HospitalityKpiDaily through the same path as the handlers;
the incentive metrics of the hotel venture come from its reviews and disputes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import col, select

from domain.db import read_only, unit_of_work
from domain.hospitality import services
from domain.hospitality.models import HospitalityKpiDaily
from domain.incentives.models import IncentivePlan, IncentiveRule
from domain.jobs.models import RunStatus
from domain.jobs.runner import run_job
from domain.verticals import metric_sources
from tests.helpers import actor, user_id
from tests.integration.hospitality.conftest import MANAGER, hhg, open_dispute, yesterday


def test_kpi_aggregate_writes_the_hotel_days(demo) -> None:
    day = yesterday() - timedelta(days=3)  # inside the demo's history at any hour
    run = run_job("kpi-aggregate", business_date=day, params={"verticals": "hospitality"})
    assert run.status == RunStatus.SUCCEEDED, (run.error, run.error_cell)
    with read_only() as uow:
        row = uow.session.execute(
            select(HospitalityKpiDaily).where(
                HospitalityKpiDaily.venture_id == hhg(), HospitalityKpiDaily.day == day
            )
        ).scalar_one()
    assert row.run_id == run.run_id and row.hotels_reporting > 0
    assert row.occupancy == (Decimal(row.rooms_sold) / row.rooms_available).quantize(
        Decimal("0.000001")
    )


def test_the_hotel_metrics_credit_the_owner_and_the_responder(demo) -> None:
    sources = {s.key: s for s in metric_sources()}
    won = sources["hospitality.disputes_won"]
    dispute_id = open_dispute(amount="250.50", owner_id=user_id(MANAGER))
    with unit_of_work() as uow:
        resolved = services.resolve_dispute(
            uow, actor("head.hotels@vcc.example"), dispute_id, {"status": "WON"}
        )
    from domain import clock

    today = clock.business_date(resolved.resolved_at, "America/New_York")  # type: ignore[arg-type]
    with read_only() as uow:
        df = won.read(uow.engine, hhg(), today, today, None)
    mine = df.filter(df["item_id"] == dispute_id)
    assert mine["user_id"].to_list() == [user_id(MANAGER)]
    assert mine["recovered_cents"].to_list() == [25050]


def test_the_demo_hotel_venture_has_a_plan_on_these_metrics(demo) -> None:
    with read_only() as uow:
        keys = set(
            uow.session.execute(
                select(IncentiveRule.metric_key)
                .join(IncentivePlan, col(IncentivePlan.id) == IncentiveRule.plan_id)
                .where(IncentivePlan.venture_id == hhg())
            ).scalars()
        )
        assert uow.session.execute(select(func.count()).select_from(IncentivePlan)).scalar()
    assert keys == {"hotel_reviews_responded", "hotel_disputes_won", "hotel_dispute_recovered"}
