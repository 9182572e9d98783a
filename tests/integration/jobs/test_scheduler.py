"""The scheduler: due slots with catch-up (3 days at most), paused jobs and covered slots
skipped, real runs from a tick, several scheduler processes at once, clean SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import select

from domain import clock
from domain.access.scope import system_actor
from domain.db import read_only, unit_of_work
from domain.jobs.models import JobRun, RunStatus, TriggeredBy
from domain.jobs.schedule import Schedule, ScheduleEntry
from domain.jobs.scheduler import Scheduler
from domain.jobs.services import pause_job
from tests.integration.jobs.conftest import ROOT, make_ventures, run_env

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 10:00 in New York
DAILY = Schedule("America/New_York", (ScheduleEntry("test-echo", "0 6 * * *"),))


def _runs() -> list[JobRun]:
    with read_only() as uow:
        return list(uow.session.execute(select(JobRun).order_by(JobRun.id)).scalars())


def test_due_slots_catch_up_three_days_at_most(db: TestDatabase) -> None:
    sched = Scheduler(DAILY, now=lambda: NOW, catchup_days=3)
    assert [s.business_date for s in sched.due()] == [
        date(2026, 11, 25),
        date(2026, 11, 26),
        date(2026, 11, 27),
    ]
    assert [s.business_date for s in Scheduler(DAILY, now=lambda: NOW, catchup_days=0).due()] == []
    with unit_of_work() as uow:  # a scheduled run covered the 26th (a failure counts too)
        uow.session.add(
            JobRun(
                run_id="done",
                job="test-echo",
                business_date=date(2026, 11, 26),
                status=RunStatus.FAILED,
                triggered_by=TriggeredBy.SCHEDULE,
                lock_key="k",
                timeout_seconds=60,
            )
        )
        uow.session.add(  # a manual run or a skipped one does not cover a slot
            JobRun(
                run_id="manual",
                job="test-echo",
                business_date=date(2026, 11, 25),
                status=RunStatus.SUCCEEDED,
                triggered_by=TriggeredBy.CLI,
                lock_key="k",
                timeout_seconds=60,
            )
        )
    assert [s.business_date for s in sched.due()] == [date(2026, 11, 25), date(2026, 11, 27)]
    with unit_of_work() as uow:
        pause_job(uow, system_actor(uow.session), "test-echo")
    assert sched.due() == []


def test_a_tick_runs_the_due_slots_once(db: TestDatabase) -> None:
    make_ventures("AFL")
    every_minute = Schedule("America/New_York", (ScheduleEntry("test-echo", "* * * * *"),))
    sched = Scheduler(every_minute, catchup_days=1, max_parallel=2)
    slots = sched.tick()
    today = clock.today("America/New_York")
    assert sorted(s.business_date for s in slots) == [today - timedelta(days=1), today]
    sched.shutdown(grace=120)
    runs = _runs()
    assert sorted((r.business_date, r.status) for r in runs) == [
        (today - timedelta(days=1), RunStatus.SUCCEEDED),
        (today, RunStatus.SUCCEEDED),
    ]
    assert all(r.triggered_by == TriggeredBy.SCHEDULE for r in runs)
    assert Scheduler(every_minute, catchup_days=1).due() == []


def _scheduler(url: str, schedule: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "domain.cli", "scheduler", "--schedule", str(schedule), *args],
        cwd=ROOT,
        env=run_env(url, VCC_OUTBOX_SWEEP_SECONDS="0", **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _schedule_file(tmp_path: Path, job: str) -> Path:
    f = tmp_path / "schedule.toml"
    f.write_text(
        "[jobs.kpi-aggregate]\nenabled = false\n[jobs.housekeeping]\nenabled = false\n"
        "[jobs.briefing]\nenabled = false\n[jobs.briefing-digest]\nenabled = false\n"
        f'[jobs.{job}]\ncron = "* * * * *"\n'
    )
    return f


def test_two_scheduler_processes_run_each_slot_once(db: TestDatabase, tmp_path: Path) -> None:
    make_ventures("AFL")
    f = _schedule_file(tmp_path, "test-sleepy")
    procs = [_scheduler(db.url, f, "--once") for _ in range(2)]
    outputs = [p.communicate(timeout=240)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    done = [r for r in _runs() if r.status != RunStatus.SKIPPED_LOCKED]
    # The catch-up window (3 days) of a job firing every minute: 4 business dates.
    assert sorted(r.business_date for r in done) == sorted({r.business_date for r in done})
    assert len(done) == 4 and all(r.status == RunStatus.SUCCEEDED for r in done), "\n".join(
        ["", *outputs, *[f"{r.run_id} {r.business_date} {r.status} {r.error}" for r in _runs()]]
    )


def test_sigterm_lets_the_run_in_flight_finish(db: TestDatabase, tmp_path: Path) -> None:
    _sigterm(db, tmp_path, grace="60", expected=RunStatus.SUCCEEDED)


def test_sigterm_after_the_grace_period_cancels_the_run(db: TestDatabase, tmp_path: Path) -> None:
    _sigterm(db, tmp_path, grace="0", expected=RunStatus.FAILED)


def _sigterm(db: TestDatabase, tmp_path: Path, *, grace: str, expected: RunStatus) -> None:
    make_ventures("AFL")
    f = tmp_path / "schedule.toml"
    f.write_text(
        'timezone = "UTC"\n[jobs.kpi-aggregate]\nenabled = false\n'
        '[jobs.housekeeping]\nenabled = false\n[jobs.test-sleepy]\ncron = "0 0 * * *"\n'
    )
    # One run at a time: SIGTERM comes while the first runs; the slots queued behind it never start.
    proc = _scheduler(db.url, f, "--grace", grace, "--tick", "1", VCC_JOB_PARALLEL="1")
    deadline = time.monotonic() + 60
    while not any(r.status == RunStatus.RUNNING for r in _runs()):
        assert time.monotonic() < deadline and proc.poll() is None, proc.stdout.read()  # type: ignore[union-attr]
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=90)
    assert proc.returncode == 0, out
    assert "SIGTERM: stopping" in out and "scheduler stopped" in out
    runs = _runs()
    assert len(runs) == 1 and runs[0].status == expected, out
    if expected == RunStatus.FAILED:
        assert "cancelled" in (runs[0].error or "")
    from domain.jobs import locks

    assert locks.holder_of(runs[0].lock_key) is None


def test_incentives_fire_one_slot_per_venture_with_an_active_plan(demo: TestDatabase) -> None:
    """incentives-daily runs per venture (spec: "one run per venture with an active plan"): the
    demo's freight ventures, the hotel venture and the BPO venture have a plan, the others none,
    so a scheduled "all" becomes a slot per such venture and none for the SaaS or holdings
    ventures."""
    from domain.incentives.models import IncentivePlan

    with read_only() as uow:
        anchor = min(p.effective_from for p in uow.session.execute(select(IncentivePlan)).scalars())
    fire = datetime.combine(anchor + timedelta(days=40), datetime.min.time(), tzinfo=UTC)
    schedule = Schedule("UTC", (ScheduleEntry("incentives-daily", "0 7 * * *", -1),))
    sched = Scheduler(schedule, now=lambda: fire + timedelta(hours=7, minutes=5), catchup_days=1)
    day = (fire - timedelta(days=1)).date()
    slots = [s for s in sched.due() if s.business_date == day]
    assert sorted(s.venture for s in slots) == ["AFL", "HHG", "MBR", "PBP", "RTR"]
