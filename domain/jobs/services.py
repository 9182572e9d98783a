"""Job switches: pause and resume (admin page, ``vcc jobs pause|resume``), and the job list.

A job's switch is one ``JobState`` row, created on first use and changed only under its row lock
(``locked_state``): two operators pausing at once, or two failing runs reaching the pause
threshold at once, pause the job once (one audit row, one alert) and never collide on the row's
primary key."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import col, select

from domain import clock
from domain.access.audit import audit
from domain.db import dialect_insert
from domain.errors import Conflict, Invalid
from domain.jobs.models import JobState
from domain.jobs.registry import all_jobs, get_job
from domain.jobs.schedule import Schedule, load_schedule
from domain.schemas import View

if TYPE_CHECKING:
    from domain.access.actor import Actor
    from domain.db import UnitOfWork


def locked_state(uow: UnitOfWork, job: str) -> JobState:
    """The job's state row, created when missing (``INSERT ... ON CONFLICT DO NOTHING``) and
    locked until the caller's transaction ends (``FOR UPDATE`` on PostgreSQL; SQLite's write
    transaction already excludes other writers). Read fresh: what a concurrent holder committed
    is what the caller sees."""
    insert = dialect_insert(uow.session.get_bind())
    table = JobState.__table__  # type: ignore[attr-defined]
    uow.session.execute(
        insert(table).values(job=job, paused=False).on_conflict_do_nothing(index_elements=["job"])
    )
    return uow.session.execute(
        select(JobState)
        .where(col(JobState.job) == job)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


class JobStateView(View):
    job: str
    paused: bool
    paused_at: datetime | None
    paused_reason: str | None
    resumed_at: datetime | None


class JobView(View):
    name: str
    title: str
    description: str
    notebook: str
    critical: bool
    takes_venture: bool
    timeout_seconds: int
    schedule: str | None
    day_offset: int
    paused: bool


def _state_view(state: JobState) -> JobStateView:
    return JobStateView(
        job=state.job,
        paused=state.paused,
        paused_at=state.paused_at,
        paused_reason=state.paused_reason,
        resumed_at=state.resumed_at,
    )


def pause_job(uow: UnitOfWork, actor: Actor, job: str, reason: str = "") -> JobStateView:
    """The scheduler stops running ``job`` (manual runs still work)."""
    actor.require("admin.jobs.manage")
    spec = get_job(job)
    reason = reason.strip()
    if len(reason) > 400:
        raise Invalid.field("reason", "must be at most 400 characters")
    state = locked_state(uow, spec.name)
    if state.paused:
        raise Conflict(f"{spec.name} is already paused")
    state.paused = True
    state.paused_at = clock.now()
    state.paused_reason = f"paused by {actor.email or 'an operator'}" + (
        f": {reason}" if reason else ""
    )
    state.paused_by_user_id = actor.real_user_id
    audit(
        uow, actor, "job.paused", entity_type="job", entity_id=spec.name, detail={"reason": reason}
    )
    return _state_view(state)


def resume_job(uow: UnitOfWork, actor: Actor, job: str) -> JobStateView:
    """The scheduler runs ``job`` again; its consecutive-failure count restarts from now."""
    actor.require("admin.jobs.manage")
    spec = get_job(job)
    state = locked_state(uow, spec.name)
    if not state.paused:
        raise Conflict(f"{spec.name} is not paused")
    state.paused = False
    state.resumed_at = clock.now()
    state.resumed_by_user_id = actor.real_user_id
    audit(
        uow,
        actor,
        "job.resumed",
        entity_type="job",
        entity_id=spec.name,
        detail={"was": state.paused_reason},
    )
    return _state_view(state)


def list_jobs(uow: UnitOfWork, actor: Actor, schedule: Schedule | None = None) -> list[JobView]:
    from sqlmodel import select

    from domain.jobs.runner import _rel_project

    actor.require("admin.jobs.read")
    schedule = schedule or load_schedule()
    paused = {s.job for s in uow.session.execute(select(JobState)).scalars().all() if s.paused}
    out = []
    for spec in all_jobs():
        entry = schedule.entry(spec.name)
        out.append(
            JobView(
                name=spec.name,
                title=spec.title,
                description=spec.description,
                notebook=_rel_project(spec.notebook),
                critical=spec.critical,
                takes_venture=spec.takes_venture,
                timeout_seconds=spec.timeout_seconds,
                schedule=entry.cron if entry and entry.enabled else None,
                day_offset=entry.day_offset if entry else spec.date_offset_days,
                paused=spec.name in paused,
            )
        )
    return out
