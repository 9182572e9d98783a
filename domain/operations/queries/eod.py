"""EOD reads: the reader's own report of a day (the form's prefill), the cursor list, and who has
not submitted per office and day (managers, HR, auditors)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.db import UnitOfWork, pk
from domain.errors import Invalid
from domain.operations.access import eod_clause, get_eod, require_venture
from domain.operations.models import EodReport, EodStatus
from domain.operations.rules import eod_date_problem
from domain.operations.schemas import EodView, OfficeEodStatus, PersonRef
from domain.operations.views import eod_views
from domain.org.models import Office, OfficeUser, User, VentureUser
from domain.pagination import Page, SortKey, paginate
from domain.schemas import business_date_problem


def my_eod(
    uow: UnitOfWork, actor: Actor, venture_id: int, day: date | None = None
) -> EodView | None:
    """The actor's own report of ``day`` (default today in the venture), or None."""
    venture = require_venture(uow, actor, venture_id)
    day = day or clock.today(venture.timezone)
    report = uow.session.execute(
        select(EodReport).where(
            col(EodReport.user_id) == actor.user_id,
            col(EodReport.venture_id) == pk(venture),
            col(EodReport.business_date) == day,
        )
    ).scalar_one_or_none()
    return eod_views(uow, actor, [report])[0] if report else None


def list_eods(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    user_id: int | None = None,
    statuses: Sequence[EodStatus] = (),
    date_from: date | None = None,
    date_to: date | None = None,
    mine: bool = False,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[EodView]:
    """Reports the reader may read, newest business date first."""
    actor.require("operations.eod.read")
    errors = {}
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value is not None and (problem := business_date_problem(value)):
            errors[name] = problem
    if errors:
        raise Invalid(errors)
    stmt = select(EodReport).where(eod_clause(actor, venture_id))
    if mine:
        stmt = stmt.where(col(EodReport.user_id) == actor.user_id)
    if user_id is not None:
        stmt = stmt.where(col(EodReport.user_id) == user_id)
    if statuses:
        stmt = stmt.where(col(EodReport.status).in_(sorted(set(statuses))))
    if date_from is not None:
        stmt = stmt.where(col(EodReport.business_date) >= date_from)
    if date_to is not None:
        stmt = stmt.where(col(EodReport.business_date) <= date_to)
    keys = [SortKey(EodReport.business_date), SortKey(EodReport.id)]
    page = paginate(
        uow.session, stmt, keys, lambda r: (r.business_date, r.id), cursor=cursor, limit=limit
    )
    return Page(eod_views(uow, actor, page.items), page.next_cursor, page.has_more)


def get_eod_view(uow: UnitOfWork, actor: Actor, report_id: int) -> EodView:
    return eod_views(uow, actor, [get_eod(uow, actor, report_id)])[0]


def missing_eods(
    uow: UnitOfWork, actor: Actor, venture_id: int, day: date | None = None
) -> list[OfficeEodStatus]:
    """Per office of the venture in the reader's scope: the people of the office (active
    members of the venture whose role submits reports) and who of them has no report on
    ``day`` (default today in the venture)."""
    from domain.access.permissions import PERMISSIONS

    venture = require_venture(uow, actor, venture_id)
    actor.require("operations.eod.team.read", pk(venture))
    today = clock.today(venture.timezone)
    day = day or today
    problem = eod_date_problem(day, today) or business_date_problem(day)
    if problem:
        raise Invalid.field("date", problem)
    offices = list(
        uow.session.execute(
            select(Office)
            .where(
                col(Office.venture_id) == pk(venture),
                col(Office.is_active).is_(True),
                actor.scope.office_clause(Office.id),
            )
            .order_by(col(Office.name))
        ).scalars()
    )
    if not offices:
        return []
    submitters = sorted(PERMISSIONS["operations.eod.submit"])
    people = uow.session.execute(
        select(OfficeUser.office_id, User.id, User.name, User.email)
        .join(User, col(User.id) == OfficeUser.user_id)
        .join(
            VentureUser,
            (col(VentureUser.user_id) == User.id) & (col(VentureUser.venture_id) == pk(venture)),
        )
        .where(
            col(OfficeUser.office_id).in_([pk(o) for o in offices]),
            col(User.is_active).is_(True),
            col(User.is_service_account).is_(False),
            col(User.role).in_(submitters),
        )
    ).all()
    submitted = set(
        uow.session.execute(
            select(EodReport.user_id).where(
                col(EodReport.venture_id) == pk(venture), col(EodReport.business_date) == day
            )
        ).scalars()
    )
    out = []
    for office in offices:
        staff = sorted(
            (
                PersonRef(user_id=int(uid), name=name, email=email)
                for oid, uid, name, email in people
                if oid == office.id
            ),
            key=lambda p: (p.name.lower(), p.user_id),
        )
        missing = [p for p in staff if p.user_id not in submitted]
        out.append(
            OfficeEodStatus(
                office_id=pk(office),
                office_name=office.name,
                venture_id=pk(venture),
                venture_code=venture.code,
                business_date=day,
                expected=len(staff),
                submitted=len(staff) - len(missing),
                missing=missing,
            )
        )
    return out
