"""Job health: ok, degraded after one failure, failing after three, stuck, paused, next run,
outbox backlog and dead events; who may read it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from domain import clock
from domain.access.scope import system_actor
from domain.db import read_only, unit_of_work
from domain.errors import Forbidden
from domain.events.models import OutboxEvent
from domain.jobs import locks
from domain.jobs.health import JobHealthView, JobsHealthView, job_health
from domain.jobs.models import JobRun, RunStatus, TriggeredBy
from domain.jobs.schedule import Schedule, ScheduleEntry
from domain.jobs.services import pause_job, resume_job
from tests.integration.jobs.conftest import actor_with_role

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 10:00 in New York
SCHEDULE = Schedule("America/New_York", (ScheduleEntry("test-echo", "0 6 * * *"),))
_n = 0


def add_run(
    status: RunStatus,
    *,
    ago: timedelta = timedelta(hours=1),
    error: str | None = None,
    job: str = "test-echo",
    timeout: int = 60,
) -> str:
    global _n
    _n += 1
    run_id = f"r{_n:03d}"
    started = NOW - ago
    with unit_of_work() as uow:
        uow.session.add(
            JobRun(
                run_id=run_id,
                job=job,
                business_date=date(2026, 11, 26),
                status=status,
                triggered_by=TriggeredBy.SCHEDULE,
                lock_key=f"{job}:all:2026-11-26",
                timeout_seconds=timeout,
                started_at=started,
                ended_at=None if status == RunStatus.RUNNING else started + timedelta(seconds=5),
                error=error,
            )
        )
    return run_id


def health() -> JobsHealthView:
    with unit_of_work() as uow:
        actor = system_actor(uow.session)
    with read_only() as uow:
        return job_health(uow, actor, schedule=SCHEDULE, now=NOW)


def echo(h: JobsHealthView) -> JobHealthView:
    return next(j for j in h.jobs if j.job == "test-echo")


def test_ok_without_runs_and_after_a_success(db: TestDatabase) -> None:
    h = health()
    assert h.status == "ok" and echo(h).last_run is None
    assert echo(h).next_run_at == datetime(2026, 11, 28, 11, 0, tzinfo=UTC)  # 06:00 New York
    assert echo(h).schedule == "0 6 * * *"
    ok = add_run(RunStatus.SUCCEEDED)
    h = health()
    assert h.status == "ok" and echo(h).last_success_run_id == ok
    assert echo(h).last_run.run_id == ok  # type: ignore[union-attr]


def test_degraded_after_one_failure_failing_after_three(db: TestDatabase) -> None:
    add_run(RunStatus.SUCCEEDED, ago=timedelta(hours=5))
    add_run(RunStatus.FAILED, ago=timedelta(hours=4), error="ValueError: boom")
    h = health()
    assert (h.status, echo(h).status, echo(h).consecutive_failures) == ("degraded", "degraded", 1)
    assert echo(h).last_failure.error == "ValueError: boom"  # type: ignore[union-attr]
    add_run(RunStatus.SKIPPED_LOCKED, ago=timedelta(hours=3, minutes=30))  # not a failure
    add_run(RunStatus.TIMED_OUT, ago=timedelta(hours=3))
    assert echo(health()).consecutive_failures == 2 and health().status == "degraded"
    add_run(RunStatus.FAILED, ago=timedelta(hours=2), error="ValueError: again")
    h = health()
    assert (h.status, echo(h).status, echo(h).consecutive_failures) == ("failing", "failing", 3)
    add_run(RunStatus.SUCCEEDED, ago=timedelta(hours=1))
    assert health().status == "ok"


def test_resume_restarts_the_failure_count(db: TestDatabase) -> None:
    for hours in (3, 2, 1):
        add_run(RunStatus.FAILED, ago=timedelta(hours=hours))
    with unit_of_work() as uow:
        pause_job(uow, system_actor(uow.session), "test-echo", "investigating")
    h = health()
    assert echo(h).paused and "investigating" in (echo(h).paused_reason or "")
    assert echo(h).next_run_at is None and h.status == "failing"
    with clock.frozen(NOW), unit_of_work() as uow:
        resume_job(uow, system_actor(uow.session), "test-echo")
    h = health()
    assert not echo(h).paused and echo(h).consecutive_failures == 0 and h.status == "ok"


def test_a_run_past_its_timeout_is_stuck(db: TestDatabase) -> None:
    stuck = add_run(RunStatus.RUNNING, ago=timedelta(minutes=10), timeout=60)
    h = health()
    job = echo(h)
    assert h.status == "degraded" and job.status == "degraded" and job.stuck
    assert job.running[0].run_id == stuck and job.running[0].stuck
    assert "longer than its timeout" in (job.running[0].stuck_reason or "")


def test_a_running_run_with_its_lease_is_not_stuck_without_it_is(db: TestDatabase) -> None:
    run_id = add_run(RunStatus.RUNNING, ago=timedelta(seconds=20))
    with clock.frozen(NOW - timedelta(seconds=20)):
        assert locks.acquire("test-echo:all:2026-11-26", run_id, 60)
    job = echo(health())
    assert job.running and not job.stuck and health().status == "ok"
    locks.release("test-echo:all:2026-11-26", run_id)
    job = echo(health())
    assert job.stuck and "lease" in (job.running[0].stuck_reason or "")


def test_outbox_backlog_and_dead_events(db: TestDatabase) -> None:
    with unit_of_work() as uow:
        uow.session.add(OutboxEvent(type="LoadDelivered", created_at=NOW - timedelta(hours=2)))
        uow.session.add(OutboxEvent(type="LoadLost", created_at=NOW))
        uow.session.add(OutboxEvent(type="LoadLost", dead_at=NOW, attempts=10))
    h = health()
    assert h.outbox.available and (h.outbox.backlog, h.outbox.dead) == (2, 1)
    assert h.outbox.oldest_pending_at == NOW - timedelta(hours=2)
    assert h.status == "degraded"  # a dead event needs a look


def test_who_may_read_health(db: TestDatabase) -> None:
    """The global admins (jobs-and-notebooks.md), not the rest of leadership."""
    admin = actor_with_role("ADMIN")
    with read_only() as uow:
        assert job_health(uow, admin, schedule=SCHEDULE).status == "ok"  # type: ignore[arg-type]
        for role in ("COO", "CSR"):
            with pytest.raises(Forbidden):
                job_health(uow, actor_with_role(role), schedule=SCHEDULE)  # type: ignore[arg-type]
