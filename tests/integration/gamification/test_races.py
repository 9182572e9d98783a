"""The award's check-then-writes fired from many connections at once on PostgreSQL (SQLite
serialises writers): one award per idempotency key, a daily cap never exceeded, balance = the
sum of the events; a failing handler retried by the sweeper awards once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest

from domain import clock
from domain.db import unit_of_work
from domain.events.sweeper import sweep
from domain.gamification import handlers
from domain.gamification.award import award
from tests.helpers import user_id, venture_id
from tests.integration.gamification.conftest import awards, balance, event_sum, set_config
from tests.integration.gamification.test_triggers import deliver_a_load

pytestmark = pytest.mark.postgres_only

CSR = "csr.afl@vcc.example"
_IDS: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _ids(demo: Any) -> None:
    _IDS.update(csr=user_id(CSR), afl=venture_id("AFL"))


def race(n: int, fn: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def _award(key: str, day: date) -> Any:
    csr, afl = _IDS["csr"], _IDS["afl"]  # read before the race: one connection per thread
    with unit_of_work() as uow:
        return award(
            uow.session.connection(),
            user_id=csr,
            venture_id=afl,
            kind="LOAD_COMPLETED",
            key=key,
            day=day,
        )


def test_fifty_concurrent_deliveries_of_one_event_award_once(db, demo) -> None:
    afl, csr, day = venture_id("AFL"), user_id(CSR), date(2026, 6, 3)
    results = race(50, lambda _: _award("load-delivered:race-1", day))
    assert len([r for r in results if r is not None]) == 1
    assert (
        len([a for a in awards("LOAD_COMPLETED") if a.idempotency_key == "load-delivered:race-1"])
        == 1
    )
    assert balance(csr, afl) == event_sum(csr, afl)


def test_concurrent_awards_near_a_cap_never_exceed_it(db, demo) -> None:
    afl, csr, day = venture_id("AFL"), user_id(CSR), date(2026, 6, 4)
    set_config(afl, daily_caps={"LOAD_COMPLETED": 3})
    results = race(30, lambda i: _award(f"load-delivered:cap-{i}", day))
    assert all(r is not None for r in results)
    assert sorted(r.points for r in results) == [0] * 27 + [25] * 3
    assert balance(csr, afl) == event_sum(csr, afl)


def test_a_failing_handler_is_retried_by_the_sweeper_and_awards_once(db, demo, monkeypatch) -> None:
    real = handlers.AWARDERS["LoadDelivered"]

    def down(conn: Any, event: Any) -> None:
        raise RuntimeError("points service down")

    monkeypatch.setitem(handlers.AWARDERS, "LoadDelivered", down)
    load_id = deliver_a_load()  # the user's action succeeds; the award fails after commit
    key = f"load-delivered:{load_id}"
    assert not [a for a in awards("LOAD_COMPLETED") if a.idempotency_key == key]
    monkeypatch.setitem(handlers.AWARDERS, "LoadDelivered", real)
    with clock.frozen(clock.now() + timedelta(minutes=5)):
        assert sweep().processed >= 1
    with clock.frozen(clock.now() + timedelta(minutes=60)):
        sweep()
    (got,) = [a for a in awards("LOAD_COMPLETED") if a.idempotency_key == key]
    assert got.points == 25
    assert balance(got.user_id, got.venture_id) == event_sum(got.user_id, got.venture_id)


def test_fifty_dispatchers_of_one_recorded_event_award_once(db, demo) -> None:
    """The real path: a delivered load's LoadDelivered, left undelivered, then handed to 50
    dispatchers at once (half of them forcing a re-run of the handler, as a replay does)."""
    from domain.events.dispatcher import dispatch_event
    from domain.events.outbox import dispatch_paused
    from tests.integration.gamification.test_triggers import _outbox_id

    with dispatch_paused():
        load_id = deliver_a_load()
    event_id = _outbox_id("LoadDelivered")
    key = f"load-delivered:{load_id}"
    assert not [a for a in awards("LOAD_COMPLETED") if a.idempotency_key == key]
    results = race(50, lambda i: dispatch_event(event_id, force=i % 2 == 0))
    assert not [r.errors for r in results if r.errors]
    (got,) = [a for a in awards("LOAD_COMPLETED") if a.idempotency_key == key]
    assert got.points == 25
    assert balance(got.user_id, got.venture_id) == event_sum(got.user_id, got.venture_id)


def test_a_week_of_eods_submitted_at_once_awards_one_perfect_week(db, demo) -> None:
    """Monday-Friday of one ISO week submitted from five connections at once: each handler
    counts the week's days under the balance row's lock, so exactly one sees all five."""
    from tests.integration.gamification.test_triggers import _submit_eod

    monday = date(2026, 6, 8)  # 2026-W24
    race(5, lambda i: _submit_eod(monday + timedelta(days=i)))
    csr, afl = _IDS["csr"], _IDS["afl"]
    assert len([a for a in awards("EOD_REPORT_SUBMITTED") if a.user_id == csr]) == 5
    (week,) = awards("PERFECT_WEEK_EOD")
    assert week.idempotency_key == f"perfect-week:{csr}:{afl}:2026-W24"
    assert balance(csr, afl) == event_sum(csr, afl) == 5 * 10 + 25


def test_logins_at_once_on_one_day_award_once_per_venture(db, demo) -> None:
    from datetime import UTC, datetime

    from domain.access import auth
    from domain.demo import DEMO_PASSWORD

    email = "dispatch.rtr@vcc.example"  # a member of AFL and RTR
    uid, rtr = user_id(email), venture_id("RTR")

    def login(_: int) -> None:
        with unit_of_work() as uow:
            auth.login_with_password(uow, email, DEMO_PASSWORD)

    with clock.frozen(datetime(2026, 11, 10, 15, 0, tzinfo=UTC)):
        race(4, login)  # five attempts in flight would lock the account (auth)
    got = sorted((a.venture_id, a.points) for a in awards("FIRST_DAILY_LOGIN") if a.user_id == uid)
    assert got == sorted([(_IDS["afl"], 1), (rtr, 1)])
    for venture in (_IDS["afl"], rtr):
        assert balance(uid, venture) == event_sum(uid, venture) == 1


def test_config_changes_at_once_all_land(db: Any, demo: Any) -> None:
    # Each of eight admins sets one type's points from its own connection, on a venture whose
    # config row does not exist yet: no change is lost and none fails.
    from domain.gamification import services
    from tests.helpers import actor

    kinds = [
        "LOAD_COMPLETED",
        "QUOTE_CONVERTED",
        "CARRIER_OUTREACH_SENT",
        "OUTREACH_AWARDED",
        "TASK_COMPLETED",
        "EOD_REPORT_SUBMITTED",
        "HOTEL_REVIEW_RESPONDED",
        "HOTEL_DISPUTE_RESOLVED",
    ]
    assert set(kinds) <= set(services.DEFAULT_POINTS)
    coo, mbr = actor("coo@vcc.example"), venture_id("MBR")

    def change(i: int) -> None:
        with unit_of_work() as uow:
            services.update_config(uow, coo, mbr, {"points": {kinds[i]: 100 + i}})

    race(len(kinds), change)
    with unit_of_work() as uow:
        seen = services.get_config(uow, coo, mbr)
    assert seen.overrides == {kind: 100 + i for i, kind in enumerate(kinds)}
