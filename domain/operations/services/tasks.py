"""Task use cases: create, edit, move (the assignee their own, a manager any in scope), complete
and bulk status changes.

Completing is one atomic ``UPDATE ... WHERE completed_at IS NULL``: however many requests
complete a task at once, exactly one stamps ``completed_at`` and records TaskCompleted; the
others find it done and change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Forbidden, Invalid
from domain.events.outbox import record
from domain.operations.access import (
    get_task,
    member,
    offices_of,
    require_venture,
)
from domain.operations.audit import OperationsAudit
from domain.operations.events import TaskCompleted
from domain.operations.models import Task, TaskStatus
from domain.operations.rules import status_refusal
from domain.operations.schemas import BulkStatusInput, TaskInput, TaskPatch, TaskView
from domain.operations.views import task_views
from domain.org.models import Office, Venture
from domain.schemas import apply_patch, parse, patch_values


def _check_office(
    uow: UnitOfWork, actor: Actor, errors: dict[str, str], office_id: int, venture: Venture
) -> None:
    office = uow.session.get(Office, office_id)
    if office is None or office.venture_id != venture.id:
        errors["office_id"] = f"is not an office of {venture.code}"
    elif not office.is_active:
        errors["office_id"] = f"{office.name} is not active"
    elif not actor.scope.allows_office(office.id, venture.id):
        errors["office_id"] = f"{office.name} is not one of your offices"


def _check_assignment(
    uow: UnitOfWork,
    actor: Actor,
    errors: dict[str, str],
    venture: Venture,
    assignee_id: int,
    office_id: int | None,
) -> int | None:
    """Check the assignee and the office of a task (a manager assigns within their scope) and
    return the office (the assignee's office in the actor's scope when none was given)."""
    vid = pk(venture)
    if member(uow, assignee_id, vid) is None:
        errors["assignee_id"] = f"is not an active member of {venture.code}"
        return office_id
    assignee_offices = offices_of(uow, assignee_id, vid)
    if office_id is None:
        mine = [o for o in assignee_offices if actor.scope.allows_office(o, vid)]
        if not mine:
            errors["office_id"] = "is required (the assignee has no office of yours)"
            return None
        return mine[0]
    _check_office(uow, actor, errors, office_id, venture)
    if (
        "office_id" not in errors
        and not actor.scope.all_offices
        and assignee_id != actor.user_id
        and office_id not in assignee_offices
    ):
        errors["assignee_id"] = "is not a member of the task's office"
    return office_id


def create_task(uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | TaskInput) -> TaskView:
    inp = parse(TaskInput, data)
    venture = require_venture(uow, actor, inp.venture_id)
    actor.require("operations.tasks.create", pk(venture))
    assignee_id = inp.assignee_id or actor.user_id
    errors: dict[str, str] = {}
    office_id = _check_assignment(uow, actor, errors, venture, assignee_id, inp.office_id)
    if errors:
        raise Invalid(errors)
    assert office_id is not None
    now = clock.now()
    task = Task(
        venture_id=pk(venture),
        office_id=office_id,
        title=inp.title,
        description=inp.description or None,
        type=inp.type,
        priority=inp.priority,
        due_date=inp.due_date,
        assignee_id=assignee_id,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(task)
    uow.session.flush()
    audit(
        uow,
        actor,
        OperationsAudit.TASK_CREATED,
        entity_type="operations_task",
        entity_id=task.id,
        venture_id=task.venture_id,
        detail={"title": task.title, "assignee_id": assignee_id, "due_date": task.due_date},
    )
    return task_views(uow, actor, [task])[0]


def _require_move(actor: Actor, task: Task, target: TaskStatus) -> None:
    refusal = status_refusal(
        is_manager=actor.can("operations.tasks.update", task.venture_id),
        is_assignee=task.assignee_id == actor.user_id,
        current=task.status,
        target=target,
    )
    if refusal:
        raise Forbidden(f"You cannot do this: {refusal}.", action="operations.tasks.update")


def _move(uow: UnitOfWork, actor: Actor, task: Task, target: TaskStatus) -> bool:
    """Move ``task`` to ``target`` (checked by the caller); False when nothing changed."""
    if task.status is target:
        return False
    before = task.status
    now = clock.now()
    table = Task.__table__  # type: ignore[attr-defined]
    first = False
    if target is TaskStatus.DONE:
        venture = uow.session.get(Venture, task.venture_id)
        assert venture is not None
        # The first completion, decided by the row: concurrent completes wait on its lock and
        # then find completed_at set.
        stamped = uow.session.execute(
            update(table)
            .where(table.c.id == task.id, table.c.completed_at.is_(None))
            .values(
                status=TaskStatus.DONE,
                completed_at=now,
                completed_on=clock.business_date(now, venture.timezone),
                completed_by_id=actor.user_id,
                updated_at=now,
            )
            .returning(table.c.id)
        ).first()
        first = stamped is not None
        uow.session.refresh(task)
        if not first:
            if task.status is TaskStatus.DONE:  # completed meanwhile by someone else
                return False
            # Done before, reopened since: DONE again, the first completion stays.
            uow.session.execute(
                update(table)
                .where(table.c.id == task.id)
                .values(status=TaskStatus.DONE, updated_at=now)
            )
            uow.session.refresh(task)
    else:
        # Row-locked so a concurrent completion is not overwritten by a stale status.
        uow.session.execute(
            update(table)
            .where(table.c.id == task.id, table.c.status == before)
            .values(status=target, updated_at=now)
        )
        uow.session.refresh(task)
        if task.status is not target:
            return False
    if first:
        assert task.completed_at is not None and task.completed_on is not None
        record(
            uow,
            TaskCompleted(
                venture_id=task.venture_id,
                task_id=pk(task),
                office_id=task.office_id,
                assignee_id=task.assignee_id,
                completed_by_id=actor.user_id,
                completed_at=task.completed_at,
                business_date=task.completed_on,
            ),
        )
    audit(
        uow,
        actor,
        OperationsAudit.TASK_STATUS_CHANGED,
        entity_type="operations_task",
        entity_id=task.id,
        venture_id=task.venture_id,
        detail={"from": before, "to": target, "first_completion": first},
    )
    return True


def set_task_status(
    uow: UnitOfWork, actor: Actor, task_id: int, status: TaskStatus | str
) -> TaskView:
    """Move one task: the assignee their own (not to CANCELED), a manager any task in scope."""
    try:
        target = TaskStatus(status)
    except ValueError:
        raise Invalid.field("status", f"must be one of {', '.join(TaskStatus)}") from None
    actor.require("operations.tasks.progress")
    task = get_task(uow, actor, task_id)
    _require_move(actor, task, target)
    _move(uow, actor, task, target)
    return task_views(uow, actor, [task])[0]


def complete_task(uow: UnitOfWork, actor: Actor, task_id: int) -> TaskView:
    return set_task_status(uow, actor, task_id, TaskStatus.DONE)


def update_task(
    uow: UnitOfWork, actor: Actor, task_id: int, data: Mapping[str, Any] | TaskPatch
) -> TaskView:
    """Edit a task (managers) and/or move it (``status``: the assignee too). Everything is
    checked before anything is written."""
    changes = patch_values(parse(TaskPatch, data))
    task = get_task(uow, actor, task_id)
    target = changes.pop("status", None)
    if changes:
        actor.require("operations.tasks.update", task.venture_id)
    elif target is None:
        return task_views(uow, actor, [task])[0]
    else:
        actor.require("operations.tasks.progress")
    if target is not None:
        _require_move(actor, task, target)
    if changes:
        venture = uow.session.get(Venture, task.venture_id)
        assert venture is not None
        errors: dict[str, str] = {}
        if "assignee_id" in changes or "office_id" in changes:
            office = _check_assignment(
                uow,
                actor,
                errors,
                venture,
                changes.get("assignee_id", task.assignee_id),
                changes.get("office_id", task.office_id),
            )
            if office is not None and "office_id" in changes:
                changes["office_id"] = office
        if errors:
            raise Invalid(errors)
        before = apply_patch(task, changes)
        task.updated_at = clock.now()
        uow.session.flush()
        audit(
            uow,
            actor,
            OperationsAudit.TASK_UPDATED,
            entity_type="operations_task",
            entity_id=task.id,
            venture_id=task.venture_id,
            detail={"before": before, "after": changes},
        )
    if target is not None:
        _move(uow, actor, task, target)
    return task_views(uow, actor, [task])[0]


def bulk_set_status(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | BulkStatusInput
) -> int:
    """A manager moves many tasks at once: all or nothing (a task out of scope is NotFound and
    nothing is written). Returns how many changed."""
    inp = parse(BulkStatusInput, data)
    actor.require("operations.tasks.update")
    tasks = [get_task(uow, actor, tid) for tid in sorted(set(inp.task_ids))]
    for task in tasks:
        actor.require("operations.tasks.update", task.venture_id)
    return sum(_move(uow, actor, task, inp.status) for task in tasks)


__all__ = [
    "bulk_set_status",
    "complete_task",
    "create_task",
    "set_task_status",
    "update_task",
]
