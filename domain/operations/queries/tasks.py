"""Task reads: the cursor list with its filters, "my tasks" for My Day, form choices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, or_
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.errors import Invalid
from domain.operations.access import get_task, member, task_clause
from domain.operations.models import Task, TaskPriority, TaskStatus
from domain.operations.rules import OPEN_STATUSES, my_task_order
from domain.operations.schemas import MyTasksView, PersonRef, TaskView
from domain.operations.views import task_views, venture_days
from domain.org.models import Office, OfficeUser, User, Venture, VentureUser
from domain.org.schemas import OfficeView, VentureView
from domain.pagination import Page, SortKey, paginate
from domain.schemas import business_date_problem

# "My tasks" reads at most this many open tasks of one person (a person has a handful).
MY_TASKS_CAP = 500


@dataclass(frozen=True)
class TaskFilter:
    venture_id: int | None = None
    office_id: int | None = None
    statuses: Sequence[TaskStatus] = ()
    priorities: Sequence[TaskPriority] = ()
    assignee_id: int | None = None
    mine: bool = False  # assigned to the reader
    overdue: bool = False  # open and due before today (the venture's business date)
    due_from: date | None = None
    due_to: date | None = None
    search: str = ""


def _check_dates(f: TaskFilter) -> None:
    errors = {}
    for name in ("due_from", "due_to"):
        value = getattr(f, name)
        if value is not None and (problem := business_date_problem(value)):
            errors[name] = problem
    if not errors and f.due_from and f.due_to and f.due_to < f.due_from:
        errors["due_to"] = "must be on or after due_from"
    if errors:
        raise Invalid(errors)


def list_tasks(
    uow: UnitOfWork,
    actor: Actor,
    f: TaskFilter | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[TaskView]:
    """Tasks in scope, newest first (created_at desc, id desc)."""
    actor.require("operations.tasks.read")
    f = f or TaskFilter()
    _check_dates(f)
    stmt = select(Task).where(task_clause(actor, f.venture_id))
    if f.office_id is not None:
        stmt = stmt.where(col(Task.office_id) == f.office_id)
    if f.statuses:
        stmt = stmt.where(col(Task.status).in_(sorted(set(f.statuses))))
    if f.priorities:
        stmt = stmt.where(col(Task.priority).in_(sorted(set(f.priorities))))
    if f.assignee_id is not None:
        stmt = stmt.where(col(Task.assignee_id) == f.assignee_id)
    if f.mine:
        stmt = stmt.where(col(Task.assignee_id) == actor.user_id)
    if f.due_from is not None:
        stmt = stmt.where(col(Task.due_date) >= f.due_from)
    if f.due_to is not None:
        stmt = stmt.where(col(Task.due_date) <= f.due_to)
    if f.search.strip():
        stmt = stmt.where(col(Task.title).ilike(f"%{f.search.strip()[:100]}%"))
    if f.overdue:
        # "Before today" is each venture's own business date.
        ids = uow.session.execute(
            select(Venture.id).where(actor.scope.venture_clause(Venture.id))
        ).scalars()
        days = venture_days(uow, ids)
        overdue = [
            (col(Task.venture_id) == vid) & (col(Task.due_date) < today)
            for vid, (_, today) in days.items()
        ]
        stmt = stmt.where(
            col(Task.status).in_(sorted(OPEN_STATUSES)), or_(*overdue) if overdue else false()
        )
    keys = [SortKey(Task.created_at), SortKey(Task.id)]
    page = paginate(
        uow.session, stmt, keys, lambda t: (t.created_at, t.id), cursor=cursor, limit=limit
    )
    return Page(task_views(uow, actor, page.items), page.next_cursor, page.has_more)


def get_task_view(uow: UnitOfWork, actor: Actor, task_id: int) -> TaskView:
    return task_views(uow, actor, [get_task(uow, actor, task_id)])[0]


def my_tasks(
    uow: UnitOfWork, actor: Actor, *, venture_id: int | None = None, limit: int = 20
) -> MyTasksView:
    """The reader's open tasks, overdue and due today first (``rules.my_task_order``), with the
    counts My Day shows."""
    actor.require("operations.tasks.read")
    stmt = (
        select(Task)
        .where(
            task_clause(actor, venture_id),
            col(Task.assignee_id) == actor.user_id,
            col(Task.status).in_(sorted(OPEN_STATUSES)),
        )
        .order_by(col(Task.due_date), col(Task.id))
        .limit(MY_TASKS_CAP)
    )
    rows = list(uow.session.execute(stmt).scalars())
    rows.sort(key=lambda t: my_task_order(t.due_date, t.priority, t.id or 0))
    views = task_views(uow, actor, rows)
    return MyTasksView(
        items=views[:limit],
        overdue=sum(v.overdue for v in views),
        due_today=sum(v.due_today for v in views),
        open_total=len(views),
    )


def operations_ventures_for(uow: UnitOfWork, actor: Actor, action: str) -> list[VentureView]:
    """The active ventures in scope where the actor may do ``action`` (a form's choices)."""
    from domain.org.queries import list_ventures

    return [v for v in list_ventures(uow, actor) if actor.can(action, v.id)]


def task_offices(uow: UnitOfWork, actor: Actor, venture_id: int) -> list[OfficeView]:
    """The active offices of a venture in the actor's scope (the task form's choices)."""
    from domain.org.queries import office_view

    if not actor.scope.allows_venture(venture_id):
        return []
    stmt = select(Office).where(
        col(Office.venture_id) == venture_id,
        col(Office.is_active).is_(True),
        actor.scope.office_clause(Office.id),
    )
    return [office_view(o) for o in uow.session.execute(stmt.order_by(col(Office.name))).scalars()]


def assignees(uow: UnitOfWork, actor: Actor, venture_id: int) -> list[PersonRef]:
    """Who the actor may assign a task to in the venture: its active members (the people of
    their offices when their office scope is ``assigned``), themselves included."""
    if not actor.can("operations.tasks.create", venture_id):
        return []
    stmt = (
        select(User.id, User.name, User.email)
        .join(VentureUser, col(VentureUser.user_id) == User.id)
        .where(
            col(VentureUser.venture_id) == venture_id,
            col(User.is_active).is_(True),
            col(User.is_service_account).is_(False),
        )
    )
    if not actor.scope.all_offices:
        in_offices = select(OfficeUser.user_id).where(
            col(OfficeUser.office_id).in_(sorted(actor.scope.office_ids))
        )
        stmt = stmt.where(col(User.id).in_(in_offices) | (col(User.id) == actor.user_id))
    people = {
        int(i): PersonRef(user_id=int(i), name=n, email=e) for i, n, e in uow.session.execute(stmt)
    }
    if actor.user_id not in people and member(uow, actor.user_id, venture_id) is not None:
        people[actor.user_id] = PersonRef(user_id=actor.user_id, name=actor.name, email=actor.email)
    return sorted(people.values(), key=lambda p: p.name.lower())
