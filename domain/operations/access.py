"""Who sees which operations rows, as SQL clauses, in one place.

Operations serve every venture: every clause starts from the ventures in the actor's scope.

- Tasks: roles with ``operations.tasks.read_all`` (manager-like, AUDITOR) see the tasks of
  their ventures, narrowed to their offices when their office scope is ``assigned``
  (OFFICE_MANAGER, TEAM_LEAD); everyone else sees the tasks assigned to them or that they
  created. A manager also always sees their own.
- EOD reports: one's own always; with ``operations.eod.team.read`` (manager-like, HR_ADMIN,
  AUDITOR) the reports of the people of their ventures, narrowed to the people of their offices
  in that venture when their office scope is ``assigned``.

A row out of scope answers ``NotFound`` exactly like a missing row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, false, or_
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.access.roles import ALL, ROLE_SCOPES
from domain.db import UnitOfWork
from domain.errors import Invalid, NotFound
from domain.operations.models import EodReport, Task
from domain.org.models import Office, OfficeUser, User, Venture, VentureUser


def venture_filter(actor: Actor, column: Any, venture_id: int | None = None) -> ColumnElement[bool]:
    clause = actor.scope.venture_clause(column)
    if venture_id is not None:
        if not actor.scope.allows_venture(venture_id):
            return false()
        clause = clause & (column == venture_id)
    return clause


def task_clause(actor: Actor, venture_id: int | None = None) -> ColumnElement[bool]:
    """The tasks ``actor`` may see (optionally in one venture), as one SQL condition."""
    clause = venture_filter(actor, Task.venture_id, venture_id)
    own = or_(col(Task.assignee_id) == actor.user_id, col(Task.created_by_id) == actor.user_id)
    if not actor.can("operations.tasks.read_all"):
        return clause & own
    if not actor.scope.all_offices:
        return clause & or_(actor.scope.office_clause(Task.office_id), own)
    return clause


def get_task(uow: UnitOfWork, actor: Actor, task_id: int, *, for_update: bool = False) -> Task:
    """The task if it exists and the actor may see it; NotFound otherwise (same message)."""
    actor.require("operations.tasks.read")
    stmt = select(Task).where(col(Task.id) == task_id, task_clause(actor))
    if for_update:
        stmt = stmt.with_for_update()
    task = uow.session.execute(stmt).scalar_one_or_none()
    if task is None:
        raise NotFound("task", task_id)
    return task


def _in_my_offices(actor: Actor, user_col: Any, venture_col: Any) -> ColumnElement[bool]:
    """``user_col`` is a person of one of the actor's offices in the venture ``venture_col``."""
    if not actor.scope.office_ids:
        return false()
    return exists(
        select(OfficeUser.id)
        .join(Office, col(Office.id) == OfficeUser.office_id)
        .where(
            col(OfficeUser.user_id) == user_col,
            col(Office.venture_id) == venture_col,
            col(OfficeUser.office_id).in_(sorted(actor.scope.office_ids)),
        )
    )


def eod_clause(actor: Actor, venture_id: int | None = None) -> ColumnElement[bool]:
    """The EOD reports ``actor`` may read (optionally in one venture)."""
    clause = venture_filter(actor, EodReport.venture_id, venture_id)
    own = col(EodReport.user_id) == actor.user_id
    if not actor.can("operations.eod.team.read"):
        return clause & own
    if not actor.scope.all_offices:
        return clause & or_(own, _in_my_offices(actor, EodReport.user_id, EodReport.venture_id))
    return clause


def get_eod(
    uow: UnitOfWork, actor: Actor, report_id: int, *, for_update: bool = False
) -> EodReport:
    stmt = select(EodReport).where(col(EodReport.id) == report_id, eod_clause(actor))
    if for_update:
        stmt = stmt.with_for_update()
    report = uow.session.execute(stmt).scalar_one_or_none()
    if report is None:
        raise NotFound("EOD report", report_id)
    return report


def require_venture(
    uow: UnitOfWork, actor: Actor, venture_id: int, *, field: str = "venture_id"
) -> Venture:
    """A venture in scope (out of scope or missing: NotFound); an inactive one is Invalid."""
    venture = uow.session.get(Venture, venture_id)
    if venture is None or not actor.scope.allows_venture(venture.id):
        raise NotFound("venture", venture_id)
    if not venture.is_active:
        raise Invalid.field(field, f"{venture.code} is not active")
    return venture


def member(uow: UnitOfWork, user_id: int, venture_id: int) -> User | None:
    """The active user if they work in the venture (a member, or a role that sees all)."""
    user = uow.session.get(User, user_id)
    if user is None or not user.is_active or user.is_service_account:
        return None
    if ROLE_SCOPES[user.role][0] == ALL:
        return user
    found = uow.session.execute(
        select(VentureUser.id).where(
            VentureUser.user_id == user_id, VentureUser.venture_id == venture_id
        )
    ).first()
    return user if found else None


def offices_of(uow: UnitOfWork, user_id: int, venture_id: int) -> list[int]:
    """The active offices of the venture the user is assigned to, by id."""
    return sorted(
        uow.session.execute(
            select(Office.id)
            .join(OfficeUser, col(OfficeUser.office_id) == Office.id)
            .where(
                col(OfficeUser.user_id) == user_id,
                col(Office.venture_id) == venture_id,
                col(Office.is_active).is_(True),
            )
        ).scalars()
    )
