"""The BPO dashboard through the cache (spec: Caching): a completed call shows on the next read
(in-process and with a real Redis); a campaign renamed shows on the next read; another BPO
venture's entry stays cached."""

from __future__ import annotations

from domain import cache
from domain.bpo import services
from domain.bpo.dashboard import BpoDashboard, bpo_dashboard
from domain.db import read_only, unit_of_work
from tests.helpers import actor
from tests.integration.bpo.conftest import AGENT, HEAD, build_world, call


def read(email: str, venture: int) -> BpoDashboard:
    with read_only() as uow:
        return bpo_dashboard(uow, actor(email), venture_id=venture, preset="7")


def no_stale_read() -> None:
    w = build_world()
    read(HEAD, w.pbp)  # the first read stores the days that had no row (and says so)
    read("ceo@vcc.example", w.other_venture)
    head, other = read(HEAD, w.pbp), read("ceo@vcc.example", w.other_venture)
    assert read(HEAD, w.pbp) == head  # served from the cache
    with unit_of_work() as uow:
        services.log_call(uow, actor(AGENT), call(w, dial_count=3))
    after = read(HEAD, w.pbp)
    assert after.current.dials == head.current.dials + 3
    assert after.current.deals == head.current.deals + 1
    assert [r.dials for r in after.funnel if r.campaign_id == w.campaign] == [3]
    assert read("ceo@vcc.example", w.other_venture) == other  # another venture's entry: untouched
    with unit_of_work() as uow:
        services.update_campaign(uow, actor(HEAD), w.campaign, {"name": "Solar leads West"})
    renamed = read(HEAD, w.pbp)
    assert [r.name for r in renamed.funnel if r.campaign_id == w.campaign] == ["Solar leads West"]


def test_no_stale_bpo_dashboard_in_process(demo) -> None:
    no_stale_read()


def test_no_stale_bpo_dashboard_with_redis(demo, redis_cache) -> None:
    assert cache.health() == "ok"
    no_stale_read()
