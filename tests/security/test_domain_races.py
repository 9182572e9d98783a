"""The check-then-writes of freight, the outbox, the briefing and the KPI day, fired from many
connections at once on PostgreSQL. Each has exactly one effect, whatever the interleaving.

SQLite serialises writers, so these races only exist on PostgreSQL; the tests are collected
there only (``postgres_only``). docs/ARCHITECTURE.md lists each check-then-write and the test that
proves it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from domain import clock
from domain.briefing.models import BriefingItem, Section, Severity
from domain.briefing.services import add_item
from domain.db import read_only, unit_of_work
from domain.errors import DomainError
from domain.events.models import OutboxDelivery, OutboxEvent
from domain.events.outbox import dispatch_paused
from domain.freight import kpi, services
from domain.freight.models import FreightKpiDaily, Load, LoadEvent, LoadStatus
from tests.helpers import actor, venture_id
from tests.integration.freight.conftest import carrier_ids, customer_of, make_load

pytestmark = pytest.mark.postgres_only

N = 24  # threads, each with its own pooled connection (5 + 10 overflow: the rest queue briefly)
CEO = "ceo@vcc.example"
CSR = "csr.afl@vcc.example"
DISPATCHER = "dispatch.rtr@vcc.example"


def race(n: int, fn: Callable[[int], Any]) -> list[tuple[str, Any]]:
    """Run ``fn(i)`` in ``n`` threads released together; ("ok", value) or ("err", exception)."""
    barrier = threading.Barrier(n)

    def run(i: int) -> tuple[str, Any]:
        barrier.wait()
        try:
            return "ok", fn(i)
        except DomainError as exc:
            return "err", exc

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def _count(stmt: Any) -> int:
    with read_only() as uow:
        return int(uow.session.execute(stmt).scalar_one())


def _events(kind: str) -> int:
    return _count(select(func.count()).where(col(OutboxEvent.type) == kind))


def _load_events(load_id: int, status: LoadStatus) -> int:
    return _count(
        select(func.count()).where(
            col(LoadEvent.load_id) == load_id, col(LoadEvent.to_status) == status
        )
    )


def test_concurrent_conversions_of_one_quote_make_one_load(db, demo) -> None:
    csr = actor(CSR)
    with unit_of_work() as uow:
        quote = services.create_quote(
            uow,
            csr,
            {
                "venture_id": venture_id("AFL"),
                "customer_id": customer_of("AFL"),
                "pickup_city": "Newark",
                "pickup_state": "NJ",
                "drop_city": "Atlanta",
                "drop_state": "GA",
                "miles": 860,
                "equipment": "REEFER",
                "quoted_rate": "2950.00",
                "expires_at": clock.now() + timedelta(days=3),
            },
        )
    for status in ("SENT", "ACCEPTED"):
        with unit_of_work() as uow:
            services.set_quote_status(uow, csr, quote.id, {"status": status})

    def convert(_: int) -> int:
        with unit_of_work() as uow:
            return services.convert_quote(uow, csr, quote.id).id

    results = race(N, convert)
    assert all(kind == "ok" for kind, _ in results), results
    assert len({load_id for _, load_id in results}) == 1  # every caller got the same load
    assert _count(select(func.count()).where(col(Load.quote_id) == quote.id)) == 1
    assert _events("QuoteConverted") == 1


def test_concurrent_awards_cover_the_load_once(db, demo) -> None:
    from domain.integrations.sms import RecordingSmsSender, set_sms_sender

    set_sms_sender(RecordingSmsSender())
    try:
        load = make_load(CEO)
        ids = carrier_ids(3)
        dispatcher = actor(DISPATCHER)
        with unit_of_work() as uow:
            out = services.send_outreach(
                uow,
                dispatcher,
                {"load_id": load.id, "channel": "SMS", "carrier_ids": ids, "body": "Load"},
            )

        def award(i: int) -> int | None:
            with unit_of_work() as uow:
                view = services.award_outreach(
                    uow, dispatcher, out.id, {"carrier_id": ids[i % 3], "cost_amount": "1900.00"}
                )
                return view.awarded_carrier_id

        results = race(N, award)
    finally:
        set_sms_sender(None)
    winners = {value for kind, value in results if kind == "ok"}
    assert len(winners) == 1, results  # one carrier won; the others were refused (Conflict)
    assert _load_events(load.id, LoadStatus.COVERED) == 1
    assert _events("OutreachAwarded") == 1
    with read_only() as uow:
        covered = uow.session.get(Load, load.id)
        assert covered is not None and covered.carrier_id in winners


def test_concurrent_transitions_and_deliveries_happen_once(db, demo) -> None:
    ceo = actor(CEO)
    load = make_load(CEO)

    def to_working(_: int) -> LoadStatus:
        with unit_of_work() as uow:
            return services.transition_load(uow, ceo, load.id, {"status": "WORKING"}).status

    results = race(N, to_working)
    assert all(kind == "ok" and v is LoadStatus.WORKING for kind, v in results), results
    assert _load_events(load.id, LoadStatus.WORKING) == 1  # the rest were same-to-same no-ops

    with unit_of_work() as uow:
        services.cover_load(uow, ceo, load.id, carrier_ids(1)[0], cost_amount=None)
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "IN_TRANSIT"})

    def deliver(_: int) -> LoadStatus:
        with unit_of_work() as uow:
            return services.deliver_load(uow, ceo, load.id).status

    results = race(N, deliver)
    assert all(kind == "ok" for kind, _ in results), results
    assert _load_events(load.id, LoadStatus.DELIVERED) == 1
    assert _events("LoadDelivered") == 1


def test_concurrent_briefing_items_of_one_source_key_write_one_row(db, demo) -> None:
    vid, day = venture_id("AFL"), clock.today("America/New_York")

    def post(i: int) -> bool:
        with unit_of_work() as uow:
            return add_item(
                uow,
                venture_id=vid,
                business_date=day,
                section=Section.FREIGHT,
                severity=Severity.CRITICAL,
                title=f"attempt {i}",
                source_key="race:1",
            )

    results = race(N, post)
    assert [v for _, v in results].count(True) == 1
    assert (
        _count(
            select(func.count()).where(
                col(BriefingItem.venture_id) == vid, col(BriefingItem.source_key) == "race:1"
            )
        )
        == 1
    )


def test_concurrent_dispatches_of_one_event_run_each_handler_once(db, demo) -> None:
    ceo = actor(CEO)
    load = make_load(CEO)
    with dispatch_paused():  # recorded, not delivered: the threads below race to deliver it
        for status in ("WORKING", "LOST"):
            data = {"status": status}
            if status == "LOST":
                data |= {"lost_reason": "RATE", "note": "race"}
            with unit_of_work() as uow:
                services.transition_load(uow, ceo, load.id, data)
    with read_only() as uow:
        event_id = uow.session.execute(
            select(OutboxEvent.id)
            .where(col(OutboxEvent.type) == "LoadLost")
            .order_by(col(OutboxEvent.id).desc())
            .limit(1)
        ).scalar_one()
    from domain.events.dispatcher import dispatch

    race(N, lambda _: dispatch([event_id]))
    with read_only() as uow:
        deliveries = uow.session.execute(
            select(OutboxDelivery.handler, OutboxDelivery.attempts).where(
                col(OutboxDelivery.event_id) == event_id
            )
        ).all()
        event = uow.session.get(OutboxEvent, event_id)
    assert deliveries and len({h for h, _ in deliveries}) == len(deliveries)
    assert all(attempts == 1 for _, attempts in deliveries), deliveries  # each handler ran once
    assert event is not None and event.processed_at is not None
    assert event.dead_at is None and event.last_error is None
    items = _count(
        select(func.count()).where(col(BriefingItem.source_key) == f"load-lost:{load.id}")
    )
    assert items == 1


def test_concurrent_recomputes_of_one_kpi_day_leave_one_correct_row(db, demo) -> None:
    vid, day = venture_id("AFL"), clock.today("America/New_York") - timedelta(days=3)
    expected = kpi.recompute_kpi_day(vid, day).rows
    race(N, lambda _: kpi.recompute_kpi_day(vid, day))
    with read_only() as uow:
        rows = list(
            uow.session.execute(
                select(FreightKpiDaily).where(
                    col(FreightKpiDaily.venture_id) == vid, col(FreightKpiDaily.day) == day
                )
            ).scalars()
        )
    assert len(rows) == 1
    assert rows[0].loads_delivered == expected[0].loads_delivered
