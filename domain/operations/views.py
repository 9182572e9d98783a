"""Views built from rows, one way each: the row's columns plus names looked up in batches, the
venture's business date (overdue, due today) and what the reader may do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.db import UnitOfWork, pk
from domain.operations.models import EodReport, EodStatus, Task, TaskStatus
from domain.operations.rules import is_overdue, status_refusal
from domain.operations.schemas import EodView, TaskView
from domain.org.models import Office, User, Venture


def _by_id(uow: UnitOfWork, table: Any, ids: Iterable[int | None], *cols: Any) -> dict[int, Any]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = uow.session.execute(select(table.id, *cols).where(col(table.id).in_(wanted))).all()
    return {int(r[0]): (r[1] if len(cols) == 1 else tuple(r[1:])) for r in rows}


def venture_days(uow: UnitOfWork, venture_ids: Iterable[int]) -> dict[int, tuple[str, date]]:
    """Code and today's business date of each venture."""
    found = _by_id(uow, Venture, venture_ids, Venture.code, Venture.timezone)
    return {vid: (code, clock.today(tz)) for vid, (code, tz) in found.items()}


def allowed_statuses(actor: Actor, task: Task) -> list[TaskStatus]:
    manager = actor.can("operations.tasks.update", task.venture_id)
    return [
        s
        for s in TaskStatus
        if s is not task.status
        and status_refusal(
            is_manager=manager,
            is_assignee=task.assignee_id == actor.user_id,
            current=task.status,
            target=s,
        )
        is None
    ]


def task_views(uow: UnitOfWork, actor: Actor, tasks: Sequence[Task]) -> list[TaskView]:
    days = venture_days(uow, (t.venture_id for t in tasks))
    offices = _by_id(uow, Office, (t.office_id for t in tasks), Office.name)
    users = _by_id(
        uow, User, [u for t in tasks for u in (t.assignee_id, t.created_by_id)], User.name
    )
    out = []
    for t in tasks:
        code, today = days.get(t.venture_id, ("?", clock.today("UTC")))
        allowed = allowed_statuses(actor, t) if actor.can("operations.tasks.progress") else []
        out.append(
            TaskView(
                id=pk(t),
                venture_id=t.venture_id,
                venture_code=code,
                office_id=t.office_id,
                office_name=offices.get(t.office_id, ""),
                title=t.title,
                description=t.description,
                type=t.type,
                priority=t.priority,
                status=t.status,
                due_date=t.due_date,
                assignee_id=t.assignee_id,
                assignee_name=users.get(t.assignee_id, ""),
                created_by_id=t.created_by_id,
                created_by_name=users.get(t.created_by_id, ""),
                completed_at=t.completed_at,
                created_at=t.created_at,
                updated_at=t.updated_at,
                overdue=is_overdue(t.status, t.due_date, today),
                due_today=t.due_date == today,
                can_edit=actor.can("operations.tasks.update", t.venture_id),
                can_complete=TaskStatus.DONE in allowed,
                allowed_statuses=allowed,
            )
        )
    return out


def eod_views(uow: UnitOfWork, actor: Actor, reports: Sequence[EodReport]) -> list[EodView]:
    ventures = _by_id(uow, Venture, (r.venture_id for r in reports), Venture.code)
    users = _by_id(
        uow, User, [u for r in reports for u in (r.user_id, r.reviewed_by_id)], User.name
    )
    return [
        EodView(
            id=pk(r),
            user_id=r.user_id,
            user_name=users.get(r.user_id, ""),
            venture_id=r.venture_id,
            venture_code=ventures.get(r.venture_id, "?"),
            business_date=r.business_date,
            summary=r.summary,
            accomplishments=r.accomplishments,
            blockers=r.blockers,
            tomorrow_plan=r.tomorrow_plan,
            hours=r.hours,
            status=r.status,
            review_note=r.review_note,
            reviewed_by_id=r.reviewed_by_id,
            reviewed_by_name=users.get(r.reviewed_by_id) if r.reviewed_by_id else None,
            reviewed_at=r.reviewed_at,
            submitted_at=r.submitted_at,
            updated_at=r.updated_at,
            can_review=r.user_id != actor.user_id
            and actor.can("operations.eod.review", r.venture_id),
        )
        for r in reports
    ]


EOD_STATUS_LABELS = {
    EodStatus.SUBMITTED: "Submitted",
    EodStatus.REVIEWED: "Reviewed",
    EodStatus.NEEDS_ATTENTION: "Needs attention",
}
