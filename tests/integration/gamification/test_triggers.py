"""Each trigger of the spec's table through the real user action, then the outbox dispatcher
(inline after commit): the spec's recipient, points and idempotency key; a second delivery
awards nothing; caps, a disabled venture, the perfect week in any order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from domain import clock
from domain.db import read_only, unit_of_work
from domain.events.dispatcher import dispatch_event
from domain.events.models import OutboxEvent
from domain.freight import services as freight
from domain.hospitality import services as hotels
from domain.operations import services as operations
from tests.helpers import actor, user_id, venture_id
from tests.integration.freight.conftest import make_carrier, make_load
from tests.integration.gamification.conftest import awards, balance, event_sum, set_config
from tests.integration.hospitality.conftest import open_dispute, unanswered_low_review
from tests.integration.operations.conftest import CSR, MANAGER, make_task

CEO = "ceo@vcc.example"


def deliver_a_load(**overrides: object) -> int:
    ceo = actor(CEO)
    load = make_load(ceo, bill_amount="1500.00", **overrides)
    with unit_of_work() as uow:
        freight.transition_load(uow, ceo, load.id, {"status": "WORKING"})
    with unit_of_work() as uow:
        freight.cover_load(uow, ceo, load.id, make_carrier().id, cost_amount=Decimal("1200.00"))
    with unit_of_work() as uow:
        freight.transition_load(uow, ceo, load.id, {"status": "IN_TRANSIT"})
    with unit_of_work() as uow:
        freight.deliver_load(uow, ceo, load.id)
    return load.id


def _outbox_id(kind: str) -> int:
    from sqlalchemy import select

    with read_only() as uow:
        return int(
            uow.session.execute(
                select(OutboxEvent.id)
                .where(OutboxEvent.type == kind)
                .order_by(OutboxEvent.id.desc())  # type: ignore[union-attr]
                .limit(1)
            ).scalar_one()
        )


def test_a_delivered_load_awards_its_sales_user_once(db, demo) -> None:
    afl = venture_id("AFL")
    load_id = deliver_a_load()
    (got,) = [
        a for a in awards("LOAD_COMPLETED") if a.idempotency_key == f"load-delivered:{load_id}"
    ]
    from domain.freight.models import Load

    with read_only() as uow:
        load = uow.session.get(Load, load_id)
        assert load is not None
        sales = load.sales_user_id
    assert (got.user_id, got.venture_id, got.points, got.reason) == (sales, afl, 25, None)
    before = balance(sales, afl)
    assert before == event_sum(sales, afl)
    dispatch_event(_outbox_id("LoadDelivered"), force=True)  # delivered again: nothing new
    assert (
        len([a for a in awards("LOAD_COMPLETED") if a.idempotency_key.endswith(f":{load_id}")]) == 1
    )
    assert balance(sales, afl) == before


def test_a_completed_task_awards_the_assignee(db, demo) -> None:
    task = make_task()
    with unit_of_work() as uow:
        operations.complete_task(uow, actor(MANAGER), task.id)  # completed by the manager
    (got,) = [
        a for a in awards("TASK_COMPLETED") if a.idempotency_key == f"task-completed:{task.id}"
    ]
    assert (got.user_id, got.points) == (user_id(CSR), 10)


def _submit_eod(day: date) -> int:
    with unit_of_work() as uow:
        result = operations.submit_eod(
            uow,
            actor(CSR),
            {
                "venture_id": venture_id("AFL"),
                "summary": "Quoted 12 lanes",
                "business_date": day.isoformat(),
            },
        )
    return result.report.id  # type: ignore[attr-defined]


def test_an_eod_awards_and_a_perfect_week_out_of_order_awards_once(db, demo) -> None:
    monday = date(2026, 6, 1)  # a past ISO week (2026-W23), before the demo data
    days = [monday + timedelta(days=d) for d in (4, 0, 5, 2, 1)]  # Fri, Mon, Sat, Wed, Tue
    reports = [_submit_eod(d) for d in days]
    eod = {a.idempotency_key for a in awards("EOD_REPORT_SUBMITTED") if a.user_id == user_id(CSR)}
    assert {f"eod:{r}" for r in reports} <= eod
    assert not awards("PERFECT_WEEK_EOD")  # four weekdays and a Saturday: not yet
    _submit_eod(monday + timedelta(days=3))  # Thursday completes Monday-Friday
    (week,) = awards("PERFECT_WEEK_EOD")
    afl = venture_id("AFL")
    assert week.idempotency_key == f"perfect-week:{user_id(CSR)}:{afl}:2026-W23"
    assert week.points == 25 and week.user_id == user_id(CSR)
    _submit_eod(monday + timedelta(days=6))  # Sunday: nothing more
    assert len(awards("PERFECT_WEEK_EOD")) == 1
    assert balance(user_id(CSR), afl) == event_sum(user_id(CSR), afl)


def test_a_review_response_and_a_resolved_dispute_award(db, demo) -> None:
    review_id = unanswered_low_review()
    front_desk = "frontdesk.hhg@vcc.example"
    with unit_of_work() as uow:
        hotels.respond_to_review(uow, actor(front_desk), review_id, {"response_text": "Sorry!"})
    (got,) = [
        a
        for a in awards("HOTEL_REVIEW_RESPONDED")
        if a.idempotency_key == f"hotel-review-responded:{review_id}"
    ]
    assert (got.user_id, got.points) == (user_id(front_desk), 8)
    dispute_id = open_dispute()
    with unit_of_work() as uow:
        hotels.resolve_dispute(
            uow,
            actor("manager.hotels@vcc.example"),
            dispute_id,
            {"status": "WON", "outcome_note": "ok"},
        )
    (won,) = [
        a
        for a in awards("HOTEL_DISPUTE_RESOLVED")
        if a.idempotency_key == f"hotel-dispute-resolved:{dispute_id}"
    ]
    assert won.points == 15


def test_a_daily_cap_records_the_excess_as_capped(db, demo) -> None:
    afl = venture_id("AFL")
    set_config(afl, daily_caps={"LOAD_COMPLETED": 1}, points={"LOAD_COMPLETED": 30})
    loads = [deliver_a_load(), deliver_a_load()]
    got = [a for a in awards("LOAD_COMPLETED") if int(a.idempotency_key.split(":")[1]) in loads]
    assert sorted((a.points, a.reason) for a in got) == [(0, "capped"), (30, None)]
    sales = got[0].user_id
    assert balance(sales, afl) == event_sum(sales, afl)


def test_a_disabled_venture_awards_nothing(db, demo) -> None:
    afl = venture_id("AFL")
    set_config(afl, enabled=False)
    load_id = deliver_a_load()
    assert not [a for a in awards("LOAD_COMPLETED") if a.idempotency_key.endswith(f":{load_id}")]


def test_a_completed_bpo_call_awards_its_agent_three_points_once(db, demo) -> None:
    from domain.bpo import services as bpo
    from tests.integration.bpo.conftest import AGENT, build_world, call

    w = build_world()
    with unit_of_work() as uow:
        logged = bpo.log_call(uow, actor(AGENT), call(w))
    (got,) = [
        a for a in awards("BPO_CALL_COMPLETED") if a.idempotency_key == f"bpo-call:{logged.id}"
    ]
    assert (got.user_id, got.venture_id, got.points) == (user_id(AGENT), w.pbp, 3)
    before = balance(user_id(AGENT), w.pbp)
    dispatch_event(_outbox_id("BpoCallCompleted"), force=True)  # delivered again: nothing new
    assert len([a for a in awards("BPO_CALL_COMPLETED") if a.user_id == user_id(AGENT)]) == 1
    assert balance(user_id(AGENT), w.pbp) == before == event_sum(user_id(AGENT), w.pbp)


def test_a_resolved_dispute_awards_its_owner_else_the_resolver(db, demo) -> None:
    front_desk, manager = "frontdesk.hhg@vcc.example", "manager.hotels@vcc.example"
    owned = open_dispute(owner_id=user_id(front_desk))
    unowned = open_dispute()
    for dispute_id, status in ((owned, "LOST"), (unowned, "CLOSED_NO_ACTION")):
        with unit_of_work() as uow:
            hotels.resolve_dispute(
                uow, actor(manager), dispute_id, {"status": status, "outcome_note": "done"}
            )
    got = {
        a.idempotency_key: (a.user_id, a.points, a.venture_id)
        for a in awards("HOTEL_DISPUTE_RESOLVED")
    }
    hhg = venture_id("HHG")
    assert got[f"hotel-dispute-resolved:{owned}"] == (user_id(front_desk), 15, hhg)
    assert got[f"hotel-dispute-resolved:{unowned}"] == (user_id(manager), 15, hhg)


def test_the_daily_cap_counts_per_business_date_of_the_venture(db, demo) -> None:
    """AFL is in New York: 03:30 and 05:30 UTC on 10 Nov are 22:30 on 9 Nov and 00:30 on 10 Nov
    there, two business dates with a cap of one each; a third load at 06:00 UTC is capped."""
    afl = venture_id("AFL")
    set_config(afl, daily_caps={"LOAD_COMPLETED": 1})
    utc = datetime(2026, 11, 10, tzinfo=UTC)
    loads = []
    for at in (utc + timedelta(hours=3, minutes=30), utc + timedelta(hours=5, minutes=30)):
        with clock.frozen(at):
            loads.append(deliver_a_load())
    with clock.frozen(utc + timedelta(hours=6)):
        loads.append(deliver_a_load())
    got = {
        int(a.idempotency_key.split(":")[1]): (a.business_date, a.points, a.reason)
        for a in awards("LOAD_COMPLETED")
    }
    assert [got[load] for load in loads] == [
        (date(2026, 11, 9), 25, None),
        (date(2026, 11, 10), 25, None),
        (date(2026, 11, 10), 0, "capped"),
    ]
    (user,) = {a.user_id for a in awards("LOAD_COMPLETED")}
    assert balance(user, afl) == event_sum(user, afl)


def test_raising_the_cap_or_removing_it_applies_to_the_next_award(db, demo) -> None:
    """The config is read at award time: a cap added after two awards caps the third; removed,
    the fourth is paid again."""
    afl = venture_id("AFL")
    task_ids = []
    for cap in (None, None, 2, None):
        set_config(afl, daily_caps={} if cap is None else {"TASK_COMPLETED": cap})
        task = make_task()
        with unit_of_work() as uow:
            operations.complete_task(uow, actor(CSR), task.id)
        task_ids.append(task.id)
    got = {a.idempotency_key: (a.points, a.reason) for a in awards("TASK_COMPLETED")}
    assert [got[f"task-completed:{t}"] for t in task_ids] == [
        (10, None),
        (10, None),
        (0, "capped"),
        (10, None),
    ]
