"""The audit log: written by the services themselves, inside the use case's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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

# Every action name the product writes, so filters and tests can enumerate them.
AUDIT_ACTIONS = (
    "auth.login",
    "auth.login_failed",
    "auth.lock",
    "auth.logout",
    "auth.code_requested",
    "auth.password_changed",
    "auth.password_reset",
    "auth.impersonation_start",
    "auth.impersonation_end",
    "auth.token_created",
    "auth.token_revoked",
    "user.created",
    "user.updated",
    "user.role_changed",
    "user.ventures_changed",
    "user.offices_changed",
    "user.deactivated",
    "user.reactivated",
    "venture.created",
    "venture.updated",
    "office.created",
    "office.updated",
    "quicklink.created",
    "quicklink.updated",
    "quicklink.deleted",
    "quicklink.reordered",
    # freight (domain/freight/services.py, FREIGHT_AUDIT_ACTIONS)
    "freight.customer.created",
    "freight.customer.updated",
    "freight.carrier.created",
    "freight.carrier.updated",
    "freight.carrier.blocked",
    "freight.carrier.unblocked",
    "freight.carrier.fmcsa_checked",
    "freight.load.created",
    "freight.load.updated",
    "freight.load.status_changed",
    "freight.quote.created",
    "freight.quote.updated",
    "freight.quote.status_changed",
    "freight.quote.converted",
    "freight.quote.expired",
    "freight.outreach.sent",
    "freight.outreach.awarded",
    # jobs (domain/jobs)
    "job.run",
    "job.verified",
    "job.paused",
    "job.resumed",
    "job.alert_acknowledged",
)


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
