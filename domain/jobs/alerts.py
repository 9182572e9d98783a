"""Alerts: rows on the admin jobs page, emailed through the email sender after commit.

Raised for FAILED / TIMED_OUT runs of critical jobs, for a job paused after consecutive
failures, and for a verification MISMATCH. What each one means for the operator is in
docs/RUNBOOK.md ("Alerts").
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func
from sqlmodel import col, select

from domain import clock
from domain.access.audit import audit
from domain.db import get_engine, pk, unit_of_work
from domain.errors import NotFound
from domain.jobs.models import Alert, AlertKind
from domain.pagination import Page, SortKey, paginate
from domain.schemas import View

if TYPE_CHECKING:
    from domain.access.actor import Actor
    from domain.db import UnitOfWork

log = logging.getLogger(__name__)


class AlertView(View):
    id: int
    kind: AlertKind
    job: str
    run_id: str | None
    venture_id: int | None
    business_date: date | None
    title: str
    message: str
    created_at: datetime
    emailed_to: list[str]
    emailed_at: datetime | None
    email_error: str | None
    acknowledged_at: datetime | None
    acknowledged_by_user_id: int | None


def alert_view(row: Alert) -> AlertView:
    return AlertView(
        id=pk(row),
        kind=row.kind,
        job=row.job,
        run_id=row.run_id,
        venture_id=row.venture_id,
        business_date=row.business_date,
        title=row.title,
        message=row.message,
        created_at=row.created_at,
        emailed_to=list(row.emailed_to or []),
        emailed_at=row.emailed_at,
        email_error=row.email_error,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by_user_id=row.acknowledged_by_user_id,
    )


def raise_alert(
    uow: UnitOfWork,
    kind: AlertKind,
    *,
    job: str,
    title: str,
    message: str,
    run_id: str | None = None,
    venture_id: int | None = None,
    business_date: date | None = None,
) -> Alert:
    """Add an alert in the caller's transaction; it is emailed once that transaction commits."""
    row = Alert(
        kind=kind,
        job=job,
        run_id=run_id,
        venture_id=venture_id,
        business_date=business_date,
        title=title[:200],
        message=message,
        created_at=clock.now(),
    )
    uow.session.add(row)
    uow.flush()
    alert_id, engine = pk(row), uow.engine
    uow.after_commit(lambda: send_alert_email(alert_id, engine=engine))
    log.warning("job alert %s: %s", kind.value, title)
    return row


def recipients(uow: UnitOfWork) -> list[str]:
    """``VCC_ALERT_EMAILS`` when set; otherwise the active ADMIN users (else the CEO)."""
    from domain.access.roles import Role
    from domain.jobs.config import job_settings
    from domain.org.models import User

    configured = job_settings().alert_recipients
    if configured:
        return configured
    for role in (Role.ADMIN, Role.CEO):
        emails = (
            uow.session.execute(
                select(User.email)
                .where(
                    User.role == role,
                    col(User.is_active).is_(True),
                    col(User.is_service_account).is_(False),
                )
                .order_by(col(User.email))
            )
            .scalars()
            .all()
        )
        if emails:
            return list(emails)
    return []


def send_alert_email(alert_id: int, *, engine: Engine | None = None) -> None:
    """Email one alert and stamp the row (in its own transaction: the alert itself is already
    committed, and a mail failure must never undo it)."""
    from domain.integrations.email import get_email_sender

    engine = engine or get_engine()
    with unit_of_work(engine) as uow:
        row = uow.session.get(Alert, alert_id)
        if row is None or row.emailed_at is not None:
            return
        to = recipients(uow)
        subject = f"[VCC alert] {row.title}"
        body = (
            f"{row.message}\n\n"
            f"Job: {row.job}\nRun: {row.run_id or '-'}\n"
            f"Business date: {row.business_date or '-'}\nRaised: {row.created_at.isoformat()}\n\n"
            "What to do: docs/RUNBOOK.md, section Alerts; the run's report is on the admin jobs "
            "page."
        )
        errors = []
        sent = []
        for address in to:
            try:
                get_email_sender().send(address, subject, body)
                sent.append(address)
            except Exception as exc:  # keep going: one bad address must not hide the alert
                log.exception("alert email to %s failed", address)
                errors.append(f"{address}: {exc}")
        row.emailed_to = sent
        row.emailed_at = clock.now() if sent else None
        row.email_error = "; ".join(errors) or (None if to else "no recipients")
        if row.email_error:
            row.email_error = row.email_error[:500]


# -- read and acknowledge -----------------------------------------------------------------------


def list_alerts(
    uow: UnitOfWork,
    actor: Actor,
    *,
    open_only: bool = False,
    job: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[AlertView]:
    """Alerts newest first (admin jobs page)."""
    actor.require("admin.jobs.read")
    stmt = select(Alert)
    if open_only:
        stmt = stmt.where(col(Alert.acknowledged_at).is_(None))
    if job:
        stmt = stmt.where(Alert.job == job)
    keys = [SortKey(Alert.created_at), SortKey(Alert.id)]
    page = paginate(
        uow.session, stmt, keys, lambda r: (r.created_at, r.id), cursor=cursor, limit=limit
    )
    return page.map(alert_view)


def open_alert_count(uow: UnitOfWork) -> int:
    return int(
        uow.session.execute(
            select(func.count()).select_from(Alert).where(col(Alert.acknowledged_at).is_(None))
        ).scalar_one()
    )


def acknowledge_alert(uow: UnitOfWork, actor: Actor, alert_id: int) -> AlertView:
    actor.require("admin.jobs.manage")
    row = uow.session.get(Alert, alert_id)
    if row is None:
        raise NotFound("alert", alert_id)
    if row.acknowledged_at is None:
        row.acknowledged_at = clock.now()
        row.acknowledged_by_user_id = actor.user_id
        audit(
            uow,
            actor,
            "job.alert_acknowledged",
            entity_type="job_alert",
            entity_id=alert_id,
            venture_id=row.venture_id,
            detail={"kind": row.kind.value, "job": row.job, "run_id": row.run_id},
        )
    return alert_view(row)
