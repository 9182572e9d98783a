"""The freight dashboard through the cache (spec: Caching): a delivered load shows on the next read
for every reader of that venture (in-process and with a real Redis, and in another process sharing
that Redis); another venture's entries stay cached; one reader's entry is never another scope's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from sqlmodel import col, select

from domain import cache
from domain.db import read_only, unit_of_work
from domain.events.dispatcher import dispatch
from domain.events.models import OutboxEvent
from domain.events.outbox import dispatch_paused
from domain.freight import services
from domain.freight.queries import freight_dashboard
from domain.freight.schemas import FreightDashboard
from tests.helpers import actor, venture_id
from tests.integration.freight.conftest import make_carrier, make_load

ROOT = Path(__file__).resolve().parents[3]


def in_transit_load() -> int:
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo, bill_amount="3100.00")
    carrier = make_carrier()
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "WORKING"})
    with unit_of_work() as uow:
        services.cover_load(uow, ceo, load.id, carrier.id, cost_amount=Decimal("2500.00"))
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "IN_TRANSIT"})
    return load.id


def deliver(load_id: int) -> None:
    with unit_of_work() as uow:
        services.deliver_load(uow, actor("ceo@vcc.example"), load_id)


def read(email: str, code: str | None = "AFL") -> FreightDashboard:
    with read_only() as uow:
        return freight_dashboard(
            uow, actor(email), venture_id=venture_id(code) if code else None, preset="7"
        )


def delivered(dash: FreightDashboard) -> int:
    return dash.current.loads_delivered


def no_stale_read_after_delivery() -> None:
    load_id = in_transit_load()
    head, group, other = (
        read("head.freight@vcc.example"),
        read("head.freight@vcc.example", None),
        read("head.freight@vcc.example", "MBR"),
    )
    assert read("head.freight@vcc.example") == head  # served from the cache
    deliver(load_id)  # the event's handler recomputes the day, then bumps AFL's generation
    assert delivered(read("head.freight@vcc.example")) == delivered(head) + 1
    assert delivered(read("head.freight@vcc.example", None)) == delivered(group) + 1
    assert read("head.freight@vcc.example", "MBR") == other


def test_no_stale_read_after_a_delivered_load_in_process(demo) -> None:
    no_stale_read_after_delivery()


def test_no_stale_read_after_a_delivered_load_with_redis(demo, redis_cache) -> None:
    assert cache.health() == "ok"
    no_stale_read_after_delivery()


def test_the_entry_is_kept_until_the_handler_has_committed(demo) -> None:
    """Recorded but not yet dispatched: the KPI day is not recomputed, the entry stays (a bump
    before the recompute would let a read cache the old day again); dispatched: gone."""
    load_id = in_transit_load()
    before = read("head.freight@vcc.example")
    with dispatch_paused():
        deliver(load_id)
    assert read("head.freight@vcc.example") == before
    with read_only() as uow:
        pending = list(
            uow.session.execute(
                select(OutboxEvent.id).where(col(OutboxEvent.processed_at).is_(None))
            ).scalars()
        )
    assert pending
    dispatch([int(i) for i in pending if i is not None])
    assert delivered(read("head.freight@vcc.example")) == delivered(before) + 1


READER = """
import json, sys
from domain import cache
from domain.db import read_only
from domain.freight.queries import freight_dashboard
from tests.helpers import actor, venture_id
with read_only() as uow:
    d = freight_dashboard(uow, actor("head.freight@vcc.example"), venture_id=venture_id("AFL"),
                          preset="7")
print(json.dumps({"delivered": d.current.loads_delivered, "shared": cache.get_cache().shared}))
"""


def read_in_another_process(db_url: str, redis_url: str) -> dict[str, object]:
    env = os.environ | {"DATABASE_URL": db_url, "REDIS_URL": redis_url, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", READER],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_two_processes_sharing_redis_see_the_invalidation(demo, redis_cache) -> None:
    import redis

    load_id = in_transit_load()
    first = read_in_another_process(demo.url, redis_cache)
    assert first["shared"] is True
    entries = redis.Redis.from_url(redis_cache).keys("vcc:c:freight.dashboard:*")
    assert len(entries) == 1  # the other process stored its read in Redis
    assert delivered(read("head.freight@vcc.example")) == first["delivered"]
    deliver(load_id)  # this process bumps AFL's generation in Redis
    assert read_in_another_process(demo.url, redis_cache)["delivered"] == first["delivered"] + 1


def test_readers_of_other_scopes_do_not_share_entries(demo) -> None:
    """An AFL-only manager and the freight head read AFL's dashboard: two entries, each correct;
    an MBR-only reader reading first never makes an AFL reader see MBR's numbers."""
    mbr = read("lead.mbr@vcc.example", "MBR")
    afl_head = read("head.freight@vcc.example", "AFL")
    assert afl_head.venture_ids == [venture_id("AFL")] and mbr.venture_ids == [venture_id("MBR")]
    c = cache.get_cache()
    assert isinstance(c.backend, cache.InProcess) and len(c.backend) == 2
