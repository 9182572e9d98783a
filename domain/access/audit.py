"""The audit log: written by the services themselves, inside the use case's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import aliased
from sqlmodel import col, select

from domain import clock
from domain.access.models import AuditLog
from domain.pagination import Page, SortKey, paginate
from domain.schemas import View

if TYPE_CHECKING:
    from domain.access.actor import Actor
    from domain.db import UnitOfWork


class AuditAction(StrEnum):
    """Every action the shared packages write (sign-in, users, ventures, offices, quick links,
    jobs). A wing's actions are its own ``StrEnum`` with labels, declared in its manifest; together
    they are ``audit_actions()``: written once, so filters, labels and tests enumerate them."""

    AUTH_LOGIN = "auth.login"
    AUTH_LOGIN_FAILED = "auth.login_failed"
    AUTH_LOCK = "auth.lock"
    AUTH_LOGOUT = "auth.logout"
    AUTH_CODE_REQUESTED = "auth.code_requested"
    AUTH_PASSWORD_CHANGED = "auth.password_changed"
    AUTH_PASSWORD_RESET = "auth.password_reset"
    AUTH_IMPERSONATION_START = "auth.impersonation_start"
    AUTH_IMPERSONATION_END = "auth.impersonation_end"
    AUTH_TOKEN_CREATED = "auth.token_created"
    AUTH_TOKEN_REVOKED = "auth.token_revoked"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_VENTURES_CHANGED = "user.ventures_changed"
    USER_OFFICES_CHANGED = "user.offices_changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    VENTURE_CREATED = "venture.created"
    VENTURE_UPDATED = "venture.updated"
    OFFICE_CREATED = "office.created"
    OFFICE_UPDATED = "office.updated"
    QUICKLINK_CREATED = "quicklink.created"
    QUICKLINK_UPDATED = "quicklink.updated"
    QUICKLINK_DELETED = "quicklink.deleted"
    QUICKLINK_REORDERED = "quicklink.reordered"
    JOB_RUN = "job.run"
    JOB_VERIFIED = "job.verified"
    JOB_PAUSED = "job.paused"
    JOB_RESUMED = "job.resumed"
    JOB_ALERT_ACKNOWLEDGED = "job.alert_acknowledged"


AUDIT_LABELS: dict[str, str] = {
    AuditAction.AUTH_LOGIN: "Signed in",
    AuditAction.AUTH_LOGIN_FAILED: "Sign-in failed",
    AuditAction.AUTH_LOCK: "Account locked",
    AuditAction.AUTH_LOGOUT: "Signed out",
    AuditAction.AUTH_CODE_REQUESTED: "Sign-in code sent",
    AuditAction.AUTH_PASSWORD_CHANGED: "Password changed",
    AuditAction.AUTH_PASSWORD_RESET: "Password reset",
    AuditAction.AUTH_IMPERSONATION_START: "Started acting as",
    AuditAction.AUTH_IMPERSONATION_END: "Stopped acting as",
    AuditAction.AUTH_TOKEN_CREATED: "API token created",
    AuditAction.AUTH_TOKEN_REVOKED: "API token revoked",
    AuditAction.USER_CREATED: "User created",
    AuditAction.USER_UPDATED: "User renamed",
    AuditAction.USER_ROLE_CHANGED: "Role changed",
    AuditAction.USER_VENTURES_CHANGED: "Ventures changed",
    AuditAction.USER_OFFICES_CHANGED: "Offices changed",
    AuditAction.USER_DEACTIVATED: "User deactivated",
    AuditAction.USER_REACTIVATED: "User reactivated",
    AuditAction.VENTURE_CREATED: "Venture created",
    AuditAction.VENTURE_UPDATED: "Venture updated",
    AuditAction.OFFICE_CREATED: "Office created",
    AuditAction.OFFICE_UPDATED: "Office updated",
    AuditAction.QUICKLINK_CREATED: "Quick link added",
    AuditAction.QUICKLINK_UPDATED: "Quick link edited",
    AuditAction.QUICKLINK_DELETED: "Quick link removed",
    AuditAction.QUICKLINK_REORDERED: "Quick links reordered",
    AuditAction.JOB_RUN: "Job run",
    AuditAction.JOB_VERIFIED: "Job run verified",
    AuditAction.JOB_PAUSED: "Job paused",
    AuditAction.JOB_RESUMED: "Job resumed",
    AuditAction.JOB_ALERT_ACKNOWLEDGED: "Job alert acknowledged",
}


def audit_actions() -> dict[str, str]:
    """Every action name the product writes, with its label: the shared ones, then each wing's
    (``domain.verticals``)."""
    from domain.verticals import audit_actions as wing_actions

    return {str(k): v for k, v in AUDIT_LABELS.items()} | wing_actions()


def audit_action_groups() -> dict[str, str]:
    """Prefix filters of the audit page ("auth." -> every sign-in action): the shared areas, then
    one per wing."""
    from domain.verticals import verticals

    shared = {
        "auth.": "Sign-in and sessions (all)",
        "user.": "Users (all)",
        "venture.": "Ventures (all)",
        "office.": "Offices (all)",
        "quicklink.": "Quick links (all)",
        "job.": "Jobs (all)",
    }
    return shared | {f"{v.key}.": f"{v.title} (all)" for v in verticals() if v.audit_actions}


def action_label(action: str) -> str:
    """A readable name for an action; an unknown (retired) one reads from its code."""
    known = audit_actions().get(action)
    return known or action.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def audit(
    uow: UnitOfWork,
    actor: Actor | None,
    action: str,
    *,
    entity_type: str | None = None,
    entity_id: object | None = None,
    venture_id: int | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    user_id: int | None = None,
) -> AuditLog:
    """Record ``action``. Without an actor (failed login, system job) ``user_id`` names the user
    concerned, if any."""
    row = AuditLog(
        at=clock.now(),
        real_user_id=actor.real_user_id if actor else user_id,
        effective_user_id=actor.user_id if actor else user_id,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        venture_id=venture_id,
        detail=_jsonable(detail or {}),
        ip=ip,
    )
    uow.session.add(row)
    return row


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None  # real or effective
    action: str | None = None  # exact, or a prefix ending in "." ("auth.")
    venture_id: int | None = None
    date_from: date | None = None  # inclusive, in the group timezone
    date_to: date | None = None  # inclusive


class AuditView(View):
    id: int
    at: datetime
    action: str
    real_user_id: int | None
    real_user_email: str | None
    effective_user_id: int | None
    effective_user_email: str | None
    entity_type: str | None
    entity_id: str | None
    venture_id: int | None
    venture_code: str | None
    detail: dict[str, Any]
    ip: str | None


def list_audit(
    uow: UnitOfWork,
    actor: Actor,
    filters: AuditFilter | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[AuditView]:
    from domain.org.models import User, Venture
    from domain.settings import get_settings

    actor.require("audit.read")
    f = filters or AuditFilter()
    real, eff = aliased(User), aliased(User)
    stmt = (
        select(AuditLog, real.email, eff.email, Venture.code)
        .outerjoin(real, col(real.id) == AuditLog.real_user_id)
        .outerjoin(eff, col(eff.id) == AuditLog.effective_user_id)
        .outerjoin(Venture, col(Venture.id) == AuditLog.venture_id)
    )
    if not actor.scope.all_ventures:
        stmt = stmt.where(actor.scope.venture_clause(AuditLog.venture_id))
    if f.user_id is not None:
        stmt = stmt.where(
            (AuditLog.real_user_id == f.user_id) | (AuditLog.effective_user_id == f.user_id)
        )
    if f.action:
        if f.action.endswith("."):
            stmt = stmt.where(col(AuditLog.action).startswith(f.action))
        else:
            stmt = stmt.where(AuditLog.action == f.action)
    if f.venture_id is not None:
        stmt = stmt.where(AuditLog.venture_id == f.venture_id)
    tz = get_settings().group_timezone
    if f.date_from is not None:
        stmt = stmt.where(AuditLog.at >= clock.day_bounds_utc(f.date_from, tz)[0])
    if f.date_to is not None:
        stmt = stmt.where(AuditLog.at < clock.day_bounds_utc(f.date_to, tz)[1])
    keys = [SortKey(AuditLog.at), SortKey(AuditLog.id)]
    page = paginate(
        uow.session,
        stmt,
        keys,
        lambda r: (r[0].at, r[0].id),
        cursor=cursor,
        limit=limit,
        scalars=False,
    )
    return page.map(
        lambda r: AuditView(
            id=r[0].id,
            at=r[0].at,
            action=r[0].action,
            real_user_id=r[0].real_user_id,
            real_user_email=r[1],
            effective_user_id=r[0].effective_user_id,
            effective_user_email=r[2],
            entity_type=r[0].entity_type,
            entity_id=r[0].entity_id,
            venture_id=r[0].venture_id,
            venture_code=r[3],
            detail=dict(r[0].detail or {}),
            ip=r[0].ip,
        )
    )


class AuditPerson(View):
    id: int
    name: str
    email: str


def audit_people(uow: UnitOfWork, actor: Actor, *, limit: int = 500) -> list[AuditPerson]:
    """The users who appear in the audit log (real or effective), by name: the choices of the
    audit page's user filter. Same permission as reading the log."""
    from sqlalchemy import union

    from domain.org.models import User

    actor.require("audit.read")
    ids = union(
        select(AuditLog.real_user_id).where(col(AuditLog.real_user_id).is_not(None)),
        select(AuditLog.effective_user_id).where(col(AuditLog.effective_user_id).is_not(None)),
    ).subquery()
    rows = uow.session.execute(
        select(User.id, User.name, User.email)
        .where(col(User.id).in_(select(ids.c[0])))
        .order_by(col(User.name), col(User.id))
        .limit(limit)
    ).all()
    return [AuditPerson(id=i, name=n, email=e) for i, n, e in rows]
