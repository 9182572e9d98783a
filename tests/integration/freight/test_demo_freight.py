"""The small demo freight data is consistent (statuses, stamps, history) and gives the dashboards
and the firefront something to show on a fresh database."""

import itertools
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from domain import clock
from domain.briefing.queries import firefront
from domain.db import read_only
from domain.demo import anchor_instant, default_anchor
from domain.freight.models import FreightKpiDaily, Load, LoadEvent, LoadStatus
from domain.freight.queries import freight_dashboard
from domain.freight.transitions import LOAD_TRANSITIONS
from tests.helpers import actor

L = LoadStatus


def test_loads_are_consistent_with_their_history(demo) -> None:
    now = clock.now()
    with read_only() as uow:
        loads = {x.id: x for x in uow.session.execute(select(Load)).scalars()}
        events = defaultdict(list)
        for e in uow.session.execute(
            select(LoadEvent).order_by(col(LoadEvent.load_id), col(LoadEvent.at), col(LoadEvent.id))
        ).scalars():
            events[e.load_id].append(e)
    assert 1_900 <= len(loads) <= 2_100
    statuses = {x.status for x in loads.values()}
    assert {L.OPEN, L.WORKING, L.COVERED, L.IN_TRANSIT, L.DELIVERED, L.LOST} <= statuses
    for load_id, x in loads.items():
        history = events[load_id]
        assert history[0].from_status is None and history[0].to_status is L.OPEN
        assert history[-1].to_status is x.status
        for a, b in itertools.pairwise(history):
            assert b.from_status is a.to_status and b.to_status in LOAD_TRANSITIONS[a.to_status]
            assert a.at <= b.at <= now
        assert history[0].at == x.created_at
        assert (x.delivered_at is not None) == (x.status is L.DELIVERED)
        assert (x.lost_at is not None) == (x.status is L.LOST)
        assert (x.lost_reason is not None) == (x.status is L.LOST)
        if x.status in (L.COVERED, L.IN_TRANSIT, L.DELIVERED):
            assert x.carrier_id is not None and x.covered_at is not None
        if x.status is L.DELIVERED:
            assert x.billing_date == clock.business_date(x.delivered_at, "America/New_York")  # type: ignore[arg-type]
        if x.covered_at is not None:
            last_cover = max(e.at for e in history if e.to_status is L.COVERED)
            assert x.covered_at == last_cover


def test_fresh_demo_shows_something(demo) -> None:
    # The demo's history ends at its anchor, midnight UTC: the evening before in New York.
    last_day = clock.business_date(anchor_instant(default_anchor()), "America/New_York")
    with read_only() as uow:
        kpi_today = uow.session.execute(
            select(func.sum(FreightKpiDaily.loads_created)).where(FreightKpiDaily.day == last_day)
        ).scalar_one()
        dash = freight_dashboard(uow, actor("ceo@vcc.example"))
        fires = firefront(uow, actor("ceo@vcc.example"))
        recent = uow.session.execute(
            select(func.count()).where(
                col(Load.created_at) >= clock.now() - timedelta(days=3),
                col(Load.status).in_([L.OPEN, L.WORKING, L.AT_RISK, L.COVERED]),
            )
        ).scalar_one()
    assert kpi_today is not None
    assert dash.current.loads_delivered > 100 and dash.current.revenue > 0
    assert dash.current.coverage_rate is not None and dash.current.margin_pct is not None
    assert fires and all(f.severity.value == "CRITICAL" for f in fires)
    assert recent > 0
