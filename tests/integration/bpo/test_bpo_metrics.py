"""The BPO incentive metrics (spec/incentives.md): over the call logs whose started_at falls on
D in the venture's timezone, credited to the agent's user: dials (sum of dial_count), connects,
talk minutes, appointments, deals, revenue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from domain import clock
from domain.db import get_engine
from domain.incentives.metrics import registry
from domain.verticals import metric_sources
from tests.helpers import user_id
from tests.integration.bpo.conftest import AGENT, KOLKATA, LEAD, build_world, call, this_morning
from tests.integration.bpo.test_bpo_services import _log


def test_the_six_metrics_are_registered() -> None:
    keys = {"bpo_dials", "bpo_connects", "bpo_talk_minutes", "bpo_appointments", "bpo_deals"}
    assert keys | {"bpo_revenue"} <= set(registry())
    assert registry()["bpo_revenue"].is_money


def test_calls_of_the_day_are_credited_to_the_agents_user(demo) -> None:
    w = build_world()
    _log(AGENT, call(w))  # 2 dials, connected, appointment, deal, 1500.00, 5 minutes
    _log(
        AGENT,
        call(w, dial_count=3, connected=False, appointment_set=False, deal_won=False, revenue="0"),
    )
    _log(LEAD, call(w, agent_id=w.lead_agent))
    # yesterday's call (Kolkata) is not today's
    y = this_morning() - timedelta(days=1)
    _log(AGENT, call(w, started_at=y.isoformat(), ended_at=(y + timedelta(minutes=1)).isoformat()))
    source = {s.key: s for s in metric_sources()}["bpo.calls"]
    today = clock.today(KOLKATA)
    df = source.read(get_engine(), w.pbp, today, today, None)
    mine = df.filter(df["user_id"] == user_id(AGENT))
    assert mine["dials"].sum() == 5
    assert mine["connects"].sum() == 1
    assert mine["talk_seconds"].sum() == 600
    assert mine["deals"].sum() == 1 and mine["appointments"].sum() == 1
    assert Decimal(int(mine["revenue_cents"].sum())) / 100 == Decimal("1500")
    assert df.filter(df["user_id"] == user_id(LEAD)).height == 1
    both = source.read(get_engine(), w.pbp, today - timedelta(days=1), today, None)
    assert both.height == 4
