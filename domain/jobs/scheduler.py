"""``vcc scheduler``: the long-running process that runs the schedule.

Every tick (30 s, or sooner when a slot is due) it looks at the slots of the last
``catchup_days`` days (3 at most) up to now, skips those of paused jobs and those a scheduled
run already covered, and hands the rest to a pool of ``max_parallel`` worker threads (2: the
measured knee on 2 cores). So a slot missed while no scheduler ran is caught up at start, and a
failed slot is not retried by itself (it alerts, and pauses the job after 3 failures in a row).

Several schedulers may run at once: ``run_slot`` re-checks "already done" under the slot's lock,
so a slot runs once; a scheduler that loses the race records a SKIPPED_LOCKED run.

SIGTERM/SIGINT: stop taking slots, let runs in flight finish for ``grace`` seconds, then kill
their kernels (they are recorded FAILED, "cancelled") and exit 0.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from domain import clock
from domain.db import get_engine, read_only
from domain.jobs.config import job_settings
from domain.jobs.models import JobRun, JobState, RunStatus, TriggeredBy
from domain.jobs.registry import scheduled_ventures
from domain.jobs.runner import reap_abandoned, run_slot, system_actor_for
from domain.jobs.schedule import Schedule, Slot, load_schedule

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(
        self,
        schedule: Schedule | None = None,
        *,
        engine: Engine | None = None,
        max_parallel: int | None = None,
        catchup_days: int | None = None,
        tick_seconds: float = 30.0,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        settings = job_settings()
        self.schedule = schedule or load_schedule()
        self.engine = engine or get_engine()
        self.max_parallel = max_parallel or settings.max_parallel
        self.catchup = timedelta(
            days=min(3, settings.catchup_days if catchup_days is None else catchup_days)
        )
        self.tick_seconds = tick_seconds
        self.now = now
        self.stop = threading.Event()  # set by SIGTERM: take no more slots
        self.cancel = threading.Event()  # set after the grace period: kill kernels in flight
        self._pool = ThreadPoolExecutor(self.max_parallel, thread_name_prefix="job")
        self._in_flight: dict[tuple[object, ...], Future[object]] = {}
        self._lock = threading.Lock()
        self.sweep_seconds = settings.sweep_seconds
        self._last_sweep: datetime | None = None
        self._ready = False

    # -- what is due ----------------------------------------------------------------------------

    def due(self, now: datetime | None = None) -> list[Slot]:
        """Slots in (now - catch-up window, now] of enabled, unpaused jobs not yet covered by a
        scheduled run, oldest first."""
        now = now or self.now()
        slots = self._per_venture(self.schedule.slots_between(now - self.catchup, now))
        if not slots:
            return []
        with read_only(self.engine) as uow:
            paused = set(
                uow.session.execute(select(JobState.job).where(col(JobState.paused).is_(True)))
                .scalars()
                .all()
            )
            days = sorted({s.business_date for s in slots})
            done: set[tuple[object, ...]] = {
                tuple(row)
                for row in uow.session.execute(
                    select(col(JobRun.job), col(JobRun.venture), col(JobRun.business_date)).where(
                        col(JobRun.business_date).in_(days),
                        col(JobRun.dry_run).is_(False),
                        JobRun.triggered_by == TriggeredBy.SCHEDULE,
                        JobRun.status != RunStatus.SKIPPED_LOCKED,
                    )
                ).all()
            }
        seen: set[tuple[object, ...]] = set()
        out = []
        for s in slots:
            if s.job in paused or s.key in done or s.key in seen:
                continue
            seen.add(s.key)
            out.append(s)
        return out

    def _per_venture(self, slots: list[Slot]) -> list[Slot]:
        """A job that runs per venture (``JobSpec.per_venture``) fires one slot per venture."""
        out: list[Slot] = []
        for s in slots:
            codes = scheduled_ventures(s.job, s.venture, s.business_date, self.engine)
            out.extend(s if code == s.venture else replace(s, venture=code) for code in codes)
        return out

    # -- running ----------------------------------------------------------------------------------

    def tick(self) -> list[Slot]:
        """Reap dead runs, then submit every due slot not already in flight here."""
        if not self._ready:  # create the system account before two workers race to
            system_actor_for(self.engine)
            self._ready = True
        try:
            reaped = reap_abandoned(self.engine)
            if reaped:
                log.warning("reaped abandoned runs: %s", ", ".join(reaped))
        except Exception:
            log.exception("reaping abandoned runs failed")
        self._maybe_sweep()
        submitted = []
        for s in self.due():
            with self._lock:
                if s.key in self._in_flight or self.stop.is_set():
                    continue
                self._in_flight[s.key] = self._pool.submit(self._run_slot, s)
            submitted.append(s)
            log.info("scheduled %s for %s (fired %s)", s.job, s.business_date, s.fire_at)
        return submitted

    def _maybe_sweep(self) -> None:
        """Retry due outbox events every ``sweep_seconds`` (not a job run: no notebook)."""
        now = self.now()
        if not self.sweep_seconds or (
            self._last_sweep is not None
            and (now - self._last_sweep).total_seconds() < self.sweep_seconds
        ):
            return
        self._last_sweep = now
        try:
            from domain.events.sweeper import sweep

            result = sweep(engine=self.engine)
            if result.picked:
                log.info(
                    "outbox sweep: %d processed, %d retried, %d dead",
                    result.processed,
                    result.retried,
                    result.dead,
                )
        except Exception:
            log.exception("outbox sweep failed")

    def _run_slot(self, s: Slot) -> object:
        try:
            if self.stop.is_set():
                return None
            view = run_slot(
                s.job, s.business_date, venture=s.venture, engine=self.engine, cancel=self.cancel
            )
            if view is not None:
                log.info("%s %s: %s", s.job, s.business_date, view.status.value)
            return view
        except Exception:
            log.exception("slot %s %s failed to run", s.job, s.business_date)
            return None
        finally:
            with self._lock:
                self._in_flight.pop(s.key, None)

    def seconds_until_next(self, now: datetime | None = None) -> float:
        now = now or self.now()
        nexts = [self.schedule.next_fire(e, now) for e in self.schedule.entries if e.enabled]
        if not nexts:
            return self.tick_seconds
        return max(0.5, min(self.tick_seconds, (min(nexts) - now).total_seconds() + 0.5))

    def in_flight(self) -> int:
        with self._lock:
            return len(self._in_flight)

    def run(self) -> None:
        """Tick until ``stop`` is set (SIGTERM). Returns without waiting for runs in flight."""
        log.info(
            "scheduler started: %d jobs, timezone %s, catch-up %s, %d in parallel",
            len(self.schedule.entries),
            self.schedule.timezone,
            self.catchup,
            self.max_parallel,
        )
        while not self.stop.is_set():
            try:
                self.tick()
            except Exception:  # a database outage: log and try again next tick
                log.exception("scheduler tick failed")
            self.stop.wait(self.seconds_until_next())

    def drain(self) -> None:
        """Wait until every slot submitted (queued ones included) has run (``--once``)."""
        while True:
            with self._lock:
                futures = list(self._in_flight.values())
            if not futures:
                return
            wait(futures)

    def shutdown(self, grace: float | None = 60.0) -> None:
        """Stop taking slots; wait ``grace`` seconds (None: as long as it takes) for runs in
        flight, then cancel them."""
        self.stop.set()
        with self._lock:
            futures = list(self._in_flight.values())
        deadline = None if grace is None else time.monotonic() + grace
        for fut in futures:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                break
            try:
                fut.result(timeout=remaining)
            except Exception:
                break
        if any(not f.done() for f in futures):
            log.warning("grace period over: cancelling %d runs", sum(not f.done() for f in futures))
            self.cancel.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        log.info("scheduler stopped")
