"""Lease locks on both databases: one winner per key, even between processes racing; renewal,
release, expiry and takeover."""

from __future__ import annotations

import multiprocessing as mp
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from domain import clock
from domain.jobs import locks

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

KEY = "test-echo:all:2026-11-26"


def test_acquire_renew_release(db: TestDatabase) -> None:
    assert locks.acquire(KEY, "run-a", 30)
    assert not locks.acquire(KEY, "run-b", 30)
    holder = locks.holder_of(KEY)
    assert holder is not None and holder.holder == "run-a" and holder.pid
    assert locks.renew(KEY, "run-a", 60)
    assert not locks.renew(KEY, "run-b", 60)
    assert not locks.release(KEY, "run-b")  # only the holder releases
    assert locks.release(KEY, "run-a")
    assert locks.holder_of(KEY) is None
    assert locks.acquire(KEY, "run-b", 30)


def test_an_expired_lease_is_taken_over(db: TestDatabase) -> None:
    start = clock.now()
    with clock.frozen(start):
        assert locks.acquire(KEY, "dead-run", 10)
    with clock.frozen(start + timedelta(seconds=9)):
        assert not locks.acquire(KEY, "run-b", 10)
    with clock.frozen(start + timedelta(seconds=11)):
        assert locks.acquire(KEY, "run-b", 10)
        assert not locks.renew(KEY, "dead-run", 10)  # the old holder learns it lost the lock
    assert locks.holder_of(KEY).holder == "run-b"  # type: ignore[union-attr]


def test_different_keys_do_not_block(db: TestDatabase) -> None:
    assert locks.acquire(KEY, "a", 30)
    assert locks.acquire(KEY + ":dry", "b", 30)
    assert locks.acquire("test-echo:AFL:2026-11-26", "c", 30)


def test_lease_heartbeat_keeps_the_lock_alive(db: TestDatabase) -> None:
    import time

    lease = locks.Lease(KEY, "run-a", 0.6)
    assert lease.acquire()
    time.sleep(1.5)  # two and a half leases: only renewals keep it
    assert not locks.acquire(KEY, "run-b", 10)
    lease.release()
    assert locks.acquire(KEY, "run-b", 10)


def _contend(url: str, key: str, holder: str, barrier: object, out: object) -> None:
    from domain.db import get_engine
    from domain.jobs.locks import acquire

    engine = get_engine(url)
    with engine.connect():  # connect before the barrier: the race is the statement, not login
        pass
    barrier.wait()  # type: ignore[attr-defined]
    out.put((holder, acquire(key, holder, 30, engine=engine)))  # type: ignore[attr-defined]


@pytest.mark.parametrize("expired_first", [False, True], ids=["free", "expired"])
def test_processes_racing_get_exactly_one_winner(db: TestDatabase, expired_first: bool) -> None:
    if expired_first:  # the takeover path (UPDATE ... WHERE expires_at < now) races too
        with clock.frozen(clock.now() - timedelta(hours=1)):
            assert locks.acquire(KEY, "dead-run", 10)
    ctx = mp.get_context("spawn")
    n = 6
    barrier, out = ctx.Barrier(n), ctx.Queue()
    procs = [
        ctx.Process(target=_contend, args=(db.url, KEY, f"p{i}", barrier, out)) for i in range(n)
    ]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    winners = [h for h, won in results.items() if won]
    assert len(results) == n and len(winners) == 1
    assert locks.holder_of(KEY).holder == winners[0]  # type: ignore[union-attr]
