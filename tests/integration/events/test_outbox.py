"""The outbox end to end: events recorded with the change, dispatched after commit, handlers
idempotent, failures retried by the sweeper with backoff (only the failed handler), dead after 10.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from domain import clock
from domain.briefing.models import BriefingItem, Severity
from domain.briefing.queries import firefront
from domain.db import UnitOfWork, read_only, unit_of_work
from domain.events import outbox, registry
from domain.events.dispatcher import Outcome, dispatch, dispatch_event
from domain.events.models import OutboxDelivery, OutboxEvent
from domain.events.sweeper import sweep
from domain.events.types import RecordedEvent
from domain.freight import services
from domain.freight.models import FreightKpiDaily, Load, LoadStatus
from tests.helpers import actor, venture_id
from tests.integration.freight.conftest import make_carrier, make_load


def _covered_load(bill: str = "2400.00") -> int:
    ceo = actor("ceo@vcc.example")
    load, carrier = make_load(ceo, bill_amount=bill), make_carrier()
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "WORKING"})
        services.cover_load(uow, ceo, load.id, carrier.id, cost_amount="1800.00")  # type: ignore[arg-type]
    return load.id


def _deliver(load_id: int) -> None:
    with unit_of_work() as uow:
        services.deliver_load(uow, actor("ceo@vcc.example"), load_id)


def _events(kind: str, load_id: int) -> list[OutboxEvent]:
    with read_only() as uow:
        rows = uow.session.execute(select(OutboxEvent).where(OutboxEvent.type == kind)).scalars()
        return [r for r in rows if r.payload.get("load_id") == load_id]


def _deliveries(event_id: int) -> dict[str, OutboxDelivery]:
    with read_only() as uow:
        return {
            d.handler: d
            for d in uow.session.execute(
                select(OutboxDelivery).where(OutboxDelivery.event_id == event_id)
            ).scalars()
        }


def _kpi(day: Any) -> FreightKpiDaily | None:
    with read_only() as uow:
        return uow.session.execute(
            select(FreightKpiDaily).where(
                FreightKpiDaily.venture_id == venture_id("AFL"), FreightKpiDaily.day == day
            )
        ).scalar_one_or_none()


def _kpi_numbers(row: FreightKpiDaily | None) -> dict[str, Any]:
    assert row is not None
    return row.model_dump(exclude={"id", "computed_at", "run_id"})


@pytest.fixture
def flaky() -> Iterator[dict[str, Any]]:
    """A handler of LoadDelivered that fails while ``state["fail"]`` is true."""
    state: dict[str, Any] = {"fail": True, "calls": 0}

    def handler(uow: UnitOfWork, event: RecordedEvent) -> None:
        state["calls"] += 1
        if state["fail"]:
            raise RuntimeError("points service down")

    registry.register("LoadDelivered", "test.flaky", handler)
    yield state
    registry.unregister("LoadDelivered", "test.flaky")


def test_deliver_raises_one_event_handled_and_updates_the_kpi_day(demo) -> None:
    load_id = _covered_load()
    with read_only() as uow:
        before_day = clock.today("America/New_York")
    before = _kpi(before_day)
    delivered_before = before.loads_delivered if before else 0
    _deliver(load_id)
    (event,) = _events("LoadDelivered", load_id)
    assert event.processed_at is not None and event.attempts == 1 and event.dead_at is None
    done = _deliveries(event.id)
    assert set(done) == {"freight.kpi_day", "briefing.big_load", "gamification.points"}
    assert all(d.processed_at is not None and d.attempts == 1 for d in done.values())
    with read_only() as uow:
        load = uow.session.get(Load, load_id)
        assert load is not None and load.delivered_at is not None
        day = clock.business_date(load.delivered_at, "America/New_York")
    after = _kpi(day)
    assert after is not None and after.loads_delivered == delivered_before + 1
    assert after.revenue >= 2400 and after.computed_at >= event.created_at


def test_dispatching_the_same_event_twice_changes_nothing(demo) -> None:
    load_id = _covered_load(bill="25000.00")  # big enough for a briefing item
    _deliver(load_id)
    (event,) = _events("LoadDelivered", load_id)
    day = event.payload["business_date"]
    kpi_before = _kpi_numbers(_kpi(clock.date.fromisoformat(day)))
    deliveries_before = {k: (v.attempts, v.processed_at) for k, v in _deliveries(event.id).items()}
    assert dispatch_event(event.id).outcomes[event.id] is Outcome.SKIPPED
    assert {k: (v.attempts, v.processed_at) for k, v in _deliveries(event.id).items()} == (
        deliveries_before
    )
    # Forced: every handler runs again, and their effects are the same.
    forced = dispatch_event(event.id, force=True)
    assert set(h for _, h in forced.handled) == {
        "freight.kpi_day",
        "briefing.big_load",
        "gamification.points",
    }
    assert _kpi_numbers(_kpi(clock.date.fromisoformat(day))) == kpi_before
    with read_only() as uow:
        items = uow.session.execute(
            select(func.count()).where(BriefingItem.source_key == f"load-delivered:{load_id}")
        ).scalar_one()
    assert items == 1


def test_a_failing_handler_keeps_the_delivery_and_is_retried_alone(demo, flaky) -> None:
    load_id = _covered_load()
    _deliver(load_id)  # the handler fails after commit: the use case still succeeds
    with read_only() as uow:
        assert uow.session.get(Load, load_id).status is LoadStatus.DELIVERED  # type: ignore[union-attr]
    (event,) = _events("LoadDelivered", load_id)
    assert (
        event.processed_at is None
        and event.attempts == 1
        and "points service down" in (event.last_error or "")
    )
    d = _deliveries(event.id)
    assert d["test.flaky"].processed_at is None and d["test.flaky"].attempts == 1
    assert d["freight.kpi_day"].processed_at is not None
    # Not due yet: the sweeper leaves it alone until the backoff has passed.
    assert sweep().picked == 0
    flaky["fail"] = False
    with clock.frozen(clock.now() + timedelta(minutes=5)):
        result = sweep()
    assert (result.processed, result.retried, result.dead) == (1, 0, 0)
    (event,) = _events("LoadDelivered", load_id)
    assert event.processed_at is not None and event.attempts == 2 and event.last_error is None
    d = _deliveries(event.id)
    assert d["test.flaky"].processed_at is not None and d["test.flaky"].attempts == 2
    assert d["freight.kpi_day"].attempts == 1  # the handler that had succeeded did not run again
    assert flaky["calls"] == 2
    assert outbox.stats().pending == 0


def test_dead_after_ten_attempts(demo, flaky) -> None:
    load_id = _covered_load()
    _deliver(load_id)
    (event,) = _events("LoadDelivered", load_id)
    at = clock.now()
    dead = 0
    for _ in range(12):
        at += timedelta(hours=7)  # past the longest backoff
        with clock.frozen(at):
            dead += sweep().dead
    (event,) = _events("LoadDelivered", load_id)
    assert dead == 1 and event.dead_at is not None and event.attempts == 10
    assert flaky["calls"] == 10
    stats = outbox.stats()
    assert stats.dead == 1 and stats.pending == 0
    assert [e.id for e in outbox.list_dead()] == [event.id]
    # After the fix an operator requeues it; the next sweep delivers it.
    flaky["fail"] = False
    assert outbox.requeue([event.id]) == 1
    with clock.frozen(at + timedelta(seconds=1)):
        assert sweep().processed == 1


def test_backoff_grows() -> None:
    from domain.events.dispatcher import backoff

    delays = [backoff(n).total_seconds() for n in range(1, 11)]
    assert delays[0] == 30 and delays == sorted(delays) and delays[-1] <= 6 * 3600
    assert backoff(30).total_seconds() == 6 * 3600  # capped


def test_rolled_back_change_records_no_event(demo) -> None:
    load_id = _covered_load()
    with pytest.raises(RuntimeError), unit_of_work() as uow:
        services.deliver_load(uow, actor("ceo@vcc.example"), load_id)
        raise RuntimeError("the caller failed after the service")
    assert _events("LoadDelivered", load_id) == []
    with read_only() as uow:
        assert uow.session.get(Load, load_id).status is LoadStatus.COVERED  # type: ignore[union-attr]


def test_undispatched_events_are_picked_up_by_the_sweeper(demo) -> None:
    load_id = _covered_load()
    with outbox.dispatch_paused():  # as if the process died right after commit
        _deliver(load_id)
    (event,) = _events("LoadDelivered", load_id)
    assert event.processed_at is None and event.attempts == 0
    assert sweep().picked == 0  # still inside the grace period of the inline dispatcher
    with clock.frozen(clock.now() + timedelta(minutes=2)):
        assert sweep().processed == 1


def test_load_lost_creates_one_critical_briefing_item(demo) -> None:
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo, bill_amount="4321.00")
    with unit_of_work() as uow:
        services.mark_load_lost(uow, ceo, load.id, "RATE", "cheaper broker")
    (event,) = _events("LoadLost", load.id)
    assert event.processed_at is not None
    with read_only() as uow:
        items = list(
            uow.session.execute(
                select(BriefingItem).where(BriefingItem.source_key == f"load-lost:{load.id}")
            ).scalars()
        )
    assert len(items) == 1
    item = items[0]
    assert item.severity is Severity.CRITICAL and item.link == f"/freight/loads/{load.id}"
    assert "rate" in item.detail and "$4,321.00" in item.detail and load.reference in item.title
    dispatch([event.id], force=True)  # redelivery never duplicates
    dispatch([event.id], force=True)
    with read_only() as uow:
        assert (
            uow.session.execute(
                select(func.count()).where(BriefingItem.source_key == f"load-lost:{load.id}")
            ).scalar_one()
            == 1
        )
        # The firefront of My Day: those who may open the load see it (AFL's leadership), not
        # a CSR of AFL who neither owns the CEO's load nor its customer, nor anyone outside AFL.
        assert item.id in [i.id for i in firefront(uow, actor("head.freight@vcc.example"))]
        assert item.id not in [i.id for i in firefront(uow, actor("csr.afl@vcc.example"))]
        assert item.id not in [i.id for i in firefront(uow, actor("csr.mbr@vcc.example"))]
        assert item.id not in [i.id for i in firefront(uow, actor("hr@vcc.example"))]


def test_small_loads_make_no_win_item(demo) -> None:
    load_id = _covered_load(bill="900.00")
    _deliver(load_id)
    with read_only() as uow:
        assert not uow.session.execute(
            select(BriefingItem).where(col(BriefingItem.source_key) == f"load-delivered:{load_id}")
        ).first()
