"""A run of a job over all ventures and a run of the same job and date over one of those ventures
exclude each other (they write the same rows): exactly one runs, the other is SKIPPED_LOCKED,
neither FAILS. Started together from threads and from processes, on SQLite and PostgreSQL.

Also: a SKIPPED_LOCKED run never ends before it started, and the CLI says "skipped:" once."""

from __future__ import annotations

import itertools
import json
import multiprocessing as mp
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlmodel import select

from domain import clock
from domain.db import read_only
from domain.jobs import locks
from domain.jobs.models import JobRun, RunStatus
from domain.jobs.runner import lock_key, run_job
from domain.jobs.runner import lock_keys as runner_lock_keys
from tests.integration.jobs.conftest import (  # the job tests' environment, reused
    ROOT,
    jobs_env,  # noqa: F401
    make_ventures,
    run_env,
)
from tests.integration.jobs.test_notebooks import freight_world

if TYPE_CHECKING:
    from domain.jobs.queries import RunView
    from tests.conftest import TestDatabase

DAY = date(2026, 11, 26)


def _together(*calls: dict[str, Any]) -> list[RunView]:
    """``run_job(**call)`` for each call, each in its own thread, released at once."""
    barrier = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def work(i: int, kwargs: dict[str, Any]) -> None:
        barrier.wait()
        try:
            out[i] = run_job(**kwargs)
        except Exception as exc:  # reported by the assertion below
            out[i] = exc

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert all(not isinstance(v, Exception) and v is not None for v in out), out
    return out


def test_kpi_aggregate_for_all_and_for_one_venture_started_together(db: TestDatabase) -> None:
    """The defect: both ran, and one FAILED its results check every time (the other run had
    rewritten the venture's KPI row with its own run id)."""
    freight_world()
    views = _together(
        {"job": "kpi-aggregate", "business_date": DAY, "venture": "all"},
        {"job": "kpi-aggregate", "business_date": DAY, "venture": "AFL"},
    )
    statuses = sorted(v.status.value for v in views)
    assert statuses == ["SKIPPED_LOCKED", "SUCCEEDED"], [(v.status, v.error) for v in views]
    ran = next(v for v in views if v.status == RunStatus.SUCCEEDED)
    skipped = next(v for v in views if v.status == RunStatus.SKIPPED_LOCKED)
    assert ran.run_id in (skipped.error or "")  # it names the run it gave way to
    for key in runner_lock_keys("kpi-aggregate", "all", ["AFL"], DAY):
        assert locks.holder_of(key) is None  # every lock released


def _vcc(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "domain.cli", *args],
        cwd=ROOT,
        env=run_env(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_vcc_runs_for_all_and_for_one_venture_started_together(db: TestDatabase) -> None:
    make_ventures("AFL", "MBR")
    base = ("jobs", "run", "test-sleepy", "--date", DAY.isoformat(), "--json")
    procs = [_vcc(db.url, *base), _vcc(db.url, *base, "--venture", "AFL")]
    results = [(p, *p.communicate(timeout=240)) for p in procs]
    codes = sorted(p.returncode for p, _, _ in results)
    assert codes == [0, 3], [(o, e) for _, o, e in results]  # 3: skipped (locked)
    with read_only() as uow:
        rows = list(uow.session.execute(select(JobRun)).scalars())
    assert sorted(r.status for r in rows) == [RunStatus.SKIPPED_LOCKED, RunStatus.SUCCEEDED]


def test_a_venture_run_blocks_the_all_run_but_not_another_venture(db: TestDatabase) -> None:
    make_ventures("AFL", "MBR")
    assert locks.acquire(lock_key("test-echo", "MBR", DAY), "mbr-run", 60)
    blocked = run_job("test-echo", business_date=DAY)  # all ventures: MBR is taken
    assert blocked.status == RunStatus.SKIPPED_LOCKED
    assert "mbr-run" in (blocked.error or "") and "test-echo:MBR:" in (blocked.error or "")
    # Nothing of the all-run's locks is left behind (it took none or gave all back).
    assert locks.holder_of(lock_key("test-echo", "all", DAY)) is None
    assert locks.holder_of(lock_key("test-echo", "AFL", DAY)) is None
    afl = run_job("test-echo", business_date=DAY, venture="AFL")  # another venture: runs
    assert afl.status == RunStatus.SUCCEEDED, afl.error
    assert locks.holder_of(lock_key("test-echo", "MBR", DAY)).holder == "mbr-run"  # type: ignore[union-attr]


def test_the_all_run_blocks_each_venture_run(db: TestDatabase) -> None:
    make_ventures("AFL", "MBR")
    for key in runner_lock_keys("test-echo", "all", ["AFL", "MBR"], DAY):
        assert locks.acquire(key, "all-run", 60)
    for code in ("AFL", "MBR"):
        view = run_job("test-echo", business_date=DAY, venture=code)
        assert view.status == RunStatus.SKIPPED_LOCKED and "all-run" in (view.error or "")


# -- the locks themselves: all-or-nothing sets of keys, racing from processes ---------------------

SETS = {
    "all": ["job:all:D", "job:AFL:D", "job:MBR:D"],
    "afl": ["job:AFL:D"],
    "mbr": ["job:MBR:D"],
    "all2": ["job:all:D", "job:AFL:D", "job:MBR:D"],
}


def _contend(url: str, name: str, keys: list[str], barrier: Any, out: Any) -> None:
    from domain.db import get_engine
    from domain.jobs.locks import acquire_all

    engine = get_engine(url)
    with engine.connect():
        pass
    barrier.wait()
    out.put((name, acquire_all(keys, name, 30, engine=engine)))


@pytest.mark.parametrize("round_", range(3))
def test_key_sets_racing_from_processes_never_overlap(db: TestDatabase, round_: int) -> None:
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(len(SETS)), ctx.Queue()
    procs = [
        ctx.Process(target=_contend, args=(db.url, name, keys, barrier, out))
        for name, keys in SETS.items()
    ]
    for p in procs:
        p.start()
    won = {name for name, ok in (out.get(timeout=120) for _ in procs) if ok}
    for p in procs:
        p.join(timeout=30)
    # A set is held whole by its winner, or not at all: the winners' sets are disjoint.
    for name, keys in SETS.items():
        holders = [getattr(locks.holder_of(k), "holder", None) for k in keys]
        if name in won:
            assert holders == [name] * len(keys), (name, won)
        else:
            assert name not in holders, (name, won)
    held = list(itertools.chain.from_iterable(SETS[w] for w in won))
    assert len(held) == len(set(held)), won
    # And nobody is skipped for nothing: an all-ventures set wins, or both single ventures do.
    assert won in ({"all"}, {"all2"}, {"afl", "mbr"}), won


def test_an_expired_key_in_a_set_is_taken_over_and_a_live_one_blocks_it_all(
    db: TestDatabase,
) -> None:
    start = clock.now()
    with clock.frozen(start):
        assert locks.acquire("job:AFL:D", "dead-run", 10)
        assert locks.acquire("job:MBR:D", "live-run", 60)
    with clock.frozen(start + timedelta(seconds=11)):
        assert not locks.acquire_all(SETS["all"], "all-run", 30)  # MBR is live
        assert locks.holder_of("job:all:D") is None
        assert locks.holder_of("job:AFL:D").holder == "dead-run"  # type: ignore[union-attr]
        assert locks.release("job:MBR:D", "live-run")
        assert locks.acquire_all(SETS["all"], "all-run", 30)  # takes the expired AFL over
        assert {locks.holder_of(k).holder for k in SETS["all"]} == {"all-run"}  # type: ignore[union-attr]
        assert locks.renew_all(SETS["all"], "all-run", 30)
        assert locks.release_all(SETS["all"], "all-run") == 3


# -- a skipped run's record and its CLI line ------------------------------------------------------


@pytest.fixture
def joblocks_ticking_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``clock.now()`` moves on by a millisecond at each call (so the order of the calls shows)."""
    ticks = itertools.count()
    base = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: base + timedelta(milliseconds=next(ticks)))
    yield


def test_a_skipped_run_ends_when_it_starts(db: TestDatabase, joblocks_ticking_clock: None) -> None:
    make_ventures("AFL")
    assert locks.acquire(lock_key("test-echo", "all", DAY), "someone-else", 3600)
    view = run_job("test-echo", business_date=DAY)
    assert view.status == RunStatus.SKIPPED_LOCKED
    assert view.ended_at is not None and view.ended_at >= view.started_at
    assert view.duration_seconds == 0


def test_the_cli_says_skipped_once(db: TestDatabase) -> None:
    make_ventures("AFL")
    assert locks.acquire(lock_key("test-echo", "all", DAY), "someone-else", 3600)
    r = subprocess.run(
        [sys.executable, "-m", "domain.cli", "jobs", "run", "test-echo", "--date", str(DAY)],
        cwd=ROOT,
        env=run_env(db.url),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 3, r.stderr
    assert r.stderr.count("skipped") == 1, r.stderr
    assert "someone-else" in r.stderr
    with read_only() as uow:
        row = uow.session.execute(select(JobRun)).scalar_one()
    assert json.dumps(row.error).count("skipped") <= 1


# -- the job's pause switch: one row per job, changed under its row lock ---------------------------


def _at_once(n: int, fn: Any) -> list[Any]:
    """``fn(i)`` from ``n`` threads released together; results or exceptions."""
    barrier = threading.Barrier(n)
    out: list[Any] = [None] * n

    def work(i: int) -> None:
        barrier.wait()
        try:
            out[i] = fn(i)
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def test_parallel_pauses_pause_once(db: TestDatabase) -> None:
    from domain.access.audit import AuditLog
    from domain.db import unit_of_work
    from domain.errors import Conflict
    from domain.jobs.services import pause_job
    from tests.integration.jobs.conftest import actor_with_role

    admin = actor_with_role("ADMIN")

    def pause(i: int) -> Any:
        with unit_of_work() as uow:
            return pause_job(uow, admin, "test-echo", reason=f"operator {i}")  # type: ignore[arg-type]

    out = _at_once(12, pause)
    done = [o for o in out if not isinstance(o, Exception)]
    refused = [o for o in out if isinstance(o, Exception)]
    assert len(done) == 1, out
    assert all(isinstance(e, Conflict) and "already paused" in str(e) for e in refused), refused
    with read_only() as uow:
        audits = uow.session.execute(select(AuditLog).where(AuditLog.action == "job.paused"))
        assert len(audits.all()) == 1


def test_parallel_failures_at_the_threshold_pause_the_job_once(db: TestDatabase) -> None:
    from domain.db import unit_of_work
    from domain.jobs.models import Alert, AlertKind, TriggeredBy
    from domain.jobs.registry import get_job
    from domain.jobs.runner import after_failure

    n = 8
    with unit_of_work() as uow:
        for i in range(n):
            uow.session.add(
                JobRun(
                    run_id=f"failed-{i}",
                    job="test-echo",
                    business_date=DAY,
                    status=RunStatus.FAILED,
                    triggered_by=TriggeredBy.SCHEDULE,
                    lock_key=f"k{i}",
                    timeout_seconds=60,
                    error="boom",
                )
            )
    spec = get_job("test-echo")

    def fail(i: int) -> None:
        with unit_of_work() as uow:
            row = uow.session.execute(select(JobRun).where(JobRun.run_id == f"failed-{i}"))
            after_failure(uow, spec, row.scalar_one())

    out = _at_once(n, fail)
    assert not [o for o in out if isinstance(o, Exception)], out
    with read_only() as uow:
        kinds = [a.kind for a in uow.session.execute(select(Alert)).scalars()]
    assert kinds.count(AlertKind.JOB_PAUSED) == 1, kinds
    assert kinds.count(AlertKind.RUN_FAILED) == n  # the job is critical: each failure alerts
