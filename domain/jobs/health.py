"""Job health for ``GET /api/v1/admin/jobs/health`` and the admin jobs page.

Per job: last run, last success, last failure with its error, consecutive failures, runs in
flight (since when, progress, stuck), next scheduled time, paused. Status per job and overall:

- ``failing``: 3 or more consecutive failures (the job is paused by then);
- ``degraded``: 1 or 2 consecutive failures, or a run is stuck (RUNNING longer than its
  timeout + a grace minute, or its lock lease is gone: the process died);
- ``ok``: otherwise.
Overall is the worst job status; dead outbox events make it at least ``degraded``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from sqlalchemy import func
from sqlmodel import col, select

from domain import clock
from domain.jobs.alerts import open_alert_count
from domain.jobs.config import job_settings
from domain.jobs.models import FAILURES, JobLock, JobRun, JobState, RunStatus
from domain.jobs.queries import RunView, consecutive_failures, run_view
from domain.jobs.registry import all_jobs
from domain.jobs.schedule import Schedule, load_schedule
from domain.schemas import View

if TYPE_CHECKING:
    from domain.access.actor import Actor
    from domain.db import UnitOfWork

Status = Literal["ok", "degraded", "failing"]
_RANK: dict[str, int] = {"ok": 0, "degraded": 1, "failing": 2}
STUCK_GRACE = timedelta(minutes=1)


class RunningRunView(View):
    run_id: str
    venture: str
    business_date: str
    since: datetime
    running_seconds: float
    cells_done: int
    cells_total: int
    stuck: bool
    stuck_reason: str | None


class JobHealthView(View):
    job: str
    title: str
    description: str
    critical: bool
    status: Status
    paused: bool
    paused_at: datetime | None
    paused_reason: str | None
    consecutive_failures: int
    last_run: RunView | None
    last_success_at: datetime | None
    last_success_run_id: str | None
    last_failure: RunView | None  # its .error / .error_cell say why
    running: list[RunningRunView]
    stuck: bool
    schedule: str | None  # cron, in the schedule's timezone
    next_run_at: datetime | None  # None when paused or not scheduled
    timeout_seconds: int


class OutboxHealthView(View):
    available: bool  # False until the events outbox exists
    backlog: int | None = None  # events waiting to be dispatched
    dead: int | None = None  # events that gave up after their last attempt
    oldest_pending_at: datetime | None = None


class ProviderHealthView(View):
    """One external provider's circuit breaker, as this process sees it."""

    provider: str  # fmcsa | sendgrid | twilio
    state: str  # closed | open | half-open
    in_use: bool  # False: configured as a fake, no calls are made
    consecutive_failures: int
    opened_at: datetime | None
    trial_at: datetime | None  # when an open breaker lets one trial call through


class JobsHealthView(View):
    status: Status
    generated_at: datetime
    timezone: str
    jobs: list[JobHealthView]
    outbox: OutboxHealthView
    open_alerts: int
    providers: list[ProviderHealthView] = []


def _worst(statuses: list[Status]) -> Status:
    return max(statuses, key=lambda s: _RANK[s], default="ok")


def _latest(uow: UnitOfWork, job: str, *where: object) -> JobRun | None:
    return uow.session.execute(
        select(JobRun)
        .where(JobRun.job == job, col(JobRun.dry_run).is_(False), *where)  # type: ignore[arg-type]
        .order_by(col(JobRun.started_at).desc(), col(JobRun.id).desc())
        .limit(1)
    ).scalar_one_or_none()


def job_health(
    uow: UnitOfWork,
    actor: Actor,
    *,
    schedule: Schedule | None = None,
    now: datetime | None = None,
) -> JobsHealthView:
    actor.require("admin.jobs.read")
    now = now or clock.now()
    schedule = schedule or load_schedule()
    threshold = job_settings().pause_after_failures
    states = {s.job: s for s in uow.session.execute(select(JobState)).scalars().all()}
    leases = {lk.key: lk for lk in uow.session.execute(select(JobLock)).scalars().all()}
    running_rows = (
        uow.session.execute(
            select(JobRun)
            .where(JobRun.status == RunStatus.RUNNING)
            .order_by(col(JobRun.started_at))
        )
        .scalars()
        .all()
    )
    jobs: list[JobHealthView] = []
    for spec in all_jobs():
        state = states.get(spec.name)
        paused = bool(state and state.paused)
        failures = consecutive_failures(uow.session, spec.name)
        last = _latest(uow, spec.name, JobRun.status != RunStatus.SKIPPED_LOCKED)
        success = _latest(uow, spec.name, JobRun.status == RunStatus.SUCCEEDED)
        failure = _latest(uow, spec.name, col(JobRun.status).in_(list(FAILURES)))
        running = []
        for r in running_rows:
            if r.job != spec.name:
                continue
            age = (now - r.started_at).total_seconds()
            lease = leases.get(r.lock_key)
            reason = None
            if age > r.timeout_seconds + STUCK_GRACE.total_seconds():
                reason = f"running {age:.0f} s, longer than its timeout ({r.timeout_seconds} s)"
            elif lease is None or lease.holder != r.run_id or lease.expires_at < now:
                reason = "its lock lease has expired: the process running it is gone"
            running.append(
                RunningRunView(
                    run_id=r.run_id,
                    venture=r.venture,
                    business_date=r.business_date.isoformat(),
                    since=r.started_at,
                    running_seconds=age,
                    cells_done=r.cells_done,
                    cells_total=r.cells_total,
                    stuck=reason is not None,
                    stuck_reason=reason,
                )
            )
        stuck = any(r.stuck for r in running)
        status: Status = (
            "failing" if failures >= threshold else "degraded" if failures or stuck else "ok"
        )
        entry = schedule.entry(spec.name)
        next_at = (
            schedule.next_fire(entry, now)
            if entry is not None and entry.enabled and not paused
            else None
        )
        jobs.append(
            JobHealthView(
                job=spec.name,
                title=spec.title,
                description=spec.description,
                critical=spec.critical,
                status=status,
                paused=paused,
                paused_at=state.paused_at if state else None,
                paused_reason=state.paused_reason if state else None,
                consecutive_failures=failures,
                last_run=run_view(last) if last else None,
                last_success_at=success.ended_at if success else None,
                last_success_run_id=success.run_id if success else None,
                last_failure=run_view(failure) if failure else None,
                running=running,
                stuck=stuck,
                schedule=entry.cron if entry is not None and entry.enabled else None,
                next_run_at=next_at,
                timeout_seconds=spec.timeout_seconds,
            )
        )
    outbox = outbox_health(uow)
    providers = provider_health()
    overall = _worst([j.status for j in jobs])
    if outbox.dead or any(p.in_use and p.state == "open" for p in providers):
        overall = _worst([overall, "degraded"])
    return JobsHealthView(
        status=overall,
        generated_at=now,
        timezone=schedule.timezone,
        jobs=jobs,
        outbox=outbox,
        open_alerts=open_alert_count(uow),
        providers=providers,
    )


def provider_health() -> list[ProviderHealthView]:
    """The providers' breakers in this process (each process keeps its own)."""
    from domain.integrations.http import breaker_states

    return [
        ProviderHealthView(
            provider=b.provider,
            state=b.state,
            in_use=b.in_use,
            consecutive_failures=b.consecutive_failures,
            opened_at=b.opened_at,
            trial_at=b.trial_at,
        )
        for b in breaker_states()
    ]


def outbox_health(uow: UnitOfWork) -> OutboxHealthView:
    """Events waiting for dispatch (backlog) and events that gave up (dead)."""
    try:
        from domain.events.models import OutboxEvent
    except ImportError:  # a build without the events outbox
        return OutboxHealthView(available=False)
    waiting = col(OutboxEvent.processed_at).is_(None) & col(OutboxEvent.dead_at).is_(None)
    backlog, oldest = uow.session.execute(
        select(func.count(), func.min(col(OutboxEvent.created_at))).where(waiting)
    ).one()
    dead = uow.session.execute(
        select(func.count()).select_from(OutboxEvent).where(col(OutboxEvent.dead_at).is_not(None))
    ).scalar_one()
    return OutboxHealthView(
        available=True, backlog=int(backlog), dead=int(dead), oldest_pending_at=oldest
    )
