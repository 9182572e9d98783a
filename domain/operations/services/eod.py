"""End-of-day reports: submit (one per user, venture and business date: a resubmission updates
the report) and review.

The first submission of a key is decided by the unique constraint: ``INSERT ... ON CONFLICT DO
NOTHING RETURNING id``. Exactly one of many concurrent first submissions inserts (and records
EodSubmitted); the others update the row it wrote.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, dialect_insert, pk
from domain.errors import Forbidden, Invalid
from domain.events.outbox import record
from domain.operations.access import get_eod, require_venture
from domain.operations.audit import OperationsAudit
from domain.operations.events import EodSubmitted
from domain.operations.models import EodReport, EodStatus
from domain.operations.rules import eod_date_problem
from domain.operations.schemas import EodInput, EodReviewInput, EodSubmitResult, EodView
from domain.operations.views import eod_views
from domain.schemas import parse


def submit_eod(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | EodInput
) -> EodSubmitResult:
    """The actor's own report for a business date of the venture (default today, never the
    future). There is no field for another user: a report is always the submitter's."""
    inp = parse(EodInput, data)
    venture = require_venture(uow, actor, inp.venture_id)
    actor.require("operations.eod.submit", pk(venture))
    today = clock.today(venture.timezone)
    day = inp.business_date or today
    problem = eod_date_problem(day, today)
    if problem:
        raise Invalid.field("business_date", problem)
    now = clock.now()
    content = {
        "summary": inp.summary,
        "accomplishments": inp.accomplishments or None,
        "blockers": inp.blockers or None,
        "tomorrow_plan": inp.tomorrow_plan or None,
        "hours": inp.hours,
    }
    table = EodReport.__table__  # type: ignore[attr-defined]
    insert = dialect_insert(uow.session.get_bind())
    stmt = (
        insert(table)
        .values(
            user_id=actor.user_id,
            venture_id=pk(venture),
            business_date=day,
            status=EodStatus.SUBMITTED,
            submitted_at=now,
            updated_at=now,
            **content,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "venture_id", "business_date"])
        .returning(table.c.id)
    )
    inserted = uow.session.execute(stmt).first()
    first = inserted is not None
    if inserted is not None:
        report_id = int(inserted[0])
    else:
        # A resubmission: the same report, new content, back to SUBMITTED for a fresh review.
        report_id = int(
            uow.session.execute(
                update(table)
                .where(
                    table.c.user_id == actor.user_id,
                    table.c.venture_id == pk(venture),
                    table.c.business_date == day,
                )
                .values(status=EodStatus.SUBMITTED, updated_at=now, **content)
                .returning(table.c.id)
            ).scalar_one()
        )
    report = uow.session.get(EodReport, report_id)
    assert report is not None
    uow.session.refresh(report)
    if first:
        record(
            uow,
            EodSubmitted(
                venture_id=pk(venture),
                report_id=report_id,
                user_id=actor.user_id,
                business_date=day,
            ),
        )
    audit(
        uow,
        actor,
        OperationsAudit.EOD_SUBMITTED,
        entity_type="operations_eod_report",
        entity_id=report_id,
        venture_id=pk(venture),
        detail={"business_date": day, "first_submission": first},
    )
    return EodSubmitResult(report=eod_views(uow, actor, [report])[0], first_submission=first)


def review_eod(
    uow: UnitOfWork, actor: Actor, report_id: int, data: Mapping[str, Any] | EodReviewInput
) -> EodView:
    """A manager marks a report of someone in their scope REVIEWED or NEEDS_ATTENTION (a note
    is required for the latter). Nobody reviews their own report."""
    inp = parse(EodReviewInput, data)
    errors: dict[str, str] = {}
    if inp.status is EodStatus.SUBMITTED:
        errors["status"] = "must be REVIEWED or NEEDS_ATTENTION"
    note = (inp.note or "").strip() or None
    if inp.status is EodStatus.NEEDS_ATTENTION and note is None:
        errors["note"] = "is required when the report needs attention"
    report = get_eod(uow, actor, report_id, for_update=True)
    actor.require("operations.eod.review", report.venture_id)
    if report.user_id == actor.user_id:
        raise Forbidden("You cannot review your own report.", action="operations.eod.review")
    if errors:
        raise Invalid(errors)
    before = report.status
    now = clock.now()
    report.status = inp.status
    report.review_note = note
    report.reviewed_by_id = actor.user_id
    report.reviewed_at = now
    report.updated_at = now
    uow.session.flush()
    audit(
        uow,
        actor,
        OperationsAudit.EOD_REVIEWED,
        entity_type="operations_eod_report",
        entity_id=report.id,
        venture_id=report.venture_id,
        detail={"from": before, "to": inp.status, "note": note},
    )
    return eod_views(uow, actor, [report])[0]
