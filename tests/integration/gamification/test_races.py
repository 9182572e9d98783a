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
