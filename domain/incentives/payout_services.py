"""Payout use cases (spec/incentives.md, "Payouts"): create a period (a run of the ``payouts``
notebook), approve a run as a whole after re-verifying it, mark paid, void, reopen a locked
period, and the lists.

Every function takes the Actor and applies scope: a payout or a run of a venture outside scope
answers NotFound exactly like one that does not exist. Permissions: ``incentives.payouts.read``
(leadership, FINANCE, ACCOUNTING, AUDITOR), ``incentives.payouts.manage`` (CEO, ADMIN, FINANCE:
create, pay, void), ``incentives.payouts.approve`` (CEO, FINANCE: approve, and the force paths).

Check-then-write safety: creates are serialised by the runner's lease of (payouts, venture,
period end), the venture's payout lock and the unique index (``payouts.create``); an approval
holds a lease on its run (a second approver is told one is in progress), then flips the rows with
one conditional UPDATE (``status = CALCULATED``) under the period's commit locks, after checking
the dailies are still those the verified run read.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import update
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, get_engine, read_only, unit_of_work
from domain.errors import Conflict, Invalid, NotFound
from domain.incentives import commit as engine_commit
from domain.incentives import payouts
from domain.incentives.audit import IncentiveAudit
from domain.incentives.models import IncentivePayout, PayoutStatus
from domain.org.models import User, Venture
from domain.org.queries import venture_by_code
from domain.pagination import Page, SortKey, paginate
from domain.schemas import Input, View

log = logging.getLogger(__name__)

JOB = "payouts"
MAX_REASON = 500


class PayoutCreateInput(Input):
    venture: str = Field(min_length=1, max_length=20, description="The venture's code.")
    period_start: date
    period_end: date
    replace: bool = False


class ApproveInput(Input):
    run_id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.:-]+$")


class VoidInput(Input):
    reason: str = Field(min_length=1, max_length=MAX_REASON)
    force: bool = False


class PayoutView(View):
    id: int
    user_id: int
    user_name: str
    venture_id: int
    venture_code: str
    period_start: date
    period_end: date
    currency: str
    amount: Decimal
    days: int
    status: PayoutStatus
    run_id: str
    approved_by: str | None = None
    approved_at: datetime | None = None
    approved_output_hash: str | None = None
    paid_at: datetime | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None


class PayoutRunResult(View):
    """A create: the run and the payouts it wrote."""

    run_id: str
    status: str
    error: str | None
    venture_code: str
    period_start: date
    period_end: date
    payouts: list[PayoutView]
    totals: dict[str, Decimal]


class ApprovalResult(View):
    run_id: str
    venture_code: str
    period_start: date
    period_end: date
    payees: int
    totals: dict[str, Decimal]
    output_hash: str
    approved_by: str
    approved_at: datetime
    verification_run_id: str | None


# -- views -----------------------------------------------------------------------------------------


def _names(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = uow.session.execute(select(User.id, User.name).where(col(User.id).in_(sorted(ids))))
    return {int(i): str(n) for i, n in rows.all()}


def _codes(uow: UnitOfWork) -> dict[int, str]:
    return {int(i): str(c) for i, c in uow.session.execute(select(Venture.id, Venture.code)).all()}


def _views(uow: UnitOfWork, rows: list[IncentivePayout]) -> list[PayoutView]:
    names = _names(
        uow, {r.user_id for r in rows} | {r.approved_by_id for r in rows if r.approved_by_id}
    )
    codes = _codes(uow)
    return [
        PayoutView(
            id=int(r.id or 0),
            user_id=r.user_id,
            user_name=names.get(r.user_id, str(r.user_id)),
            venture_id=r.venture_id,
            venture_code=codes.get(r.venture_id, str(r.venture_id)),
            period_start=r.period_start,
            period_end=r.period_end,
            currency=r.currency,
            amount=Decimal(str(r.amount)).quantize(Decimal("0.01")),
            days=r.days,
            status=r.status,
            run_id=r.run_id,
            approved_by=names.get(r.approved_by_id) if r.approved_by_id else None,
            approved_at=r.approved_at,
            approved_output_hash=r.approved_output_hash,
            paid_at=r.paid_at,
            voided_at=r.voided_at,
            void_reason=r.void_reason,
        )
        for r in rows
    ]


def _totals(rows: list[PayoutView]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r.status != PayoutStatus.VOID:
            out[r.currency] += r.amount
    return dict(sorted(out.items()))


# -- reading ---------------------------------------------------------------------------------------


def list_payouts(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture: str | None = None,
    status: PayoutStatus | None = None,
    run_id: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[PayoutView]:
    """Payouts of the ventures in scope, newest period first (keyset pages)."""
    actor.require("incentives.payouts.read")
    stmt = select(IncentivePayout).where(actor.scope.venture_clause(IncentivePayout.venture_id))
    if venture:
        v = venture_by_code(uow, actor, venture)
        actor.require("incentives.payouts.read", v.id)
        stmt = stmt.where(IncentivePayout.venture_id == v.id)
    if status is not None:
        stmt = stmt.where(IncentivePayout.status == status)
    if run_id:
        stmt = stmt.where(IncentivePayout.run_id == run_id)
    keys = [SortKey(IncentivePayout.period_end), SortKey(IncentivePayout.id)]
    page = paginate(
        uow.session, stmt, keys, lambda r: (r.period_end, r.id), cursor=cursor, limit=limit
    )
    items = _views(uow, list(page.items))
    return Page(items=items, next_cursor=page.next_cursor, has_more=page.has_more)


def _payout(uow: UnitOfWork, actor: Actor, payout_id: int, action: str) -> IncentivePayout:
    row = uow.session.get(IncentivePayout, payout_id)
    if row is None or not actor.scope.allows_venture(row.venture_id):
        raise NotFound("payout", payout_id)
    actor.require(action, row.venture_id, entity="payout")
    return row


def get_payout(uow: UnitOfWork, actor: Actor, payout_id: int) -> PayoutView:
    return _views(uow, [_payout(uow, actor, payout_id, "incentives.payouts.read")])[0]


# -- create ----------------------------------------------------------------------------------------


def _payout_target(
    actor: Actor, venture: str, period_start: date, period_end: date, replace: bool
) -> tuple[str, int]:
    """(code, id) of the venture whose payouts the actor may create for the period: scope,
    ``incentives.payouts.manage`` and the period's rules, checked before anything runs."""
    with read_only() as uow:
        v = venture_by_code(uow, actor, venture)
        assert v.id is not None
        actor.require("incentives.payouts.manage", v.id)
        payouts.check_period(
            uow.session.connection(),
            v.id,
            period_start,
            period_end,
            replace=replace,
            today=clock.today(v.timezone),
        )
        return v.code, v.id


def create_payouts(
    actor: Actor,
    venture: str,
    period_start: date,
    period_end: date,
    *,
    replace: bool = False,
    run_id: str | None = None,
) -> PayoutRunResult:
    """Create the period's CALCULATED payouts as a run of the ``payouts`` notebook.

    Refused before any run (nothing written): a venture outside scope (NotFound), a bad period
    (Invalid naming the field), payouts that exist for the period (Conflict "payout already
    exists for this period"; with ``replace`` only while all are CALCULATED), a run creating
    them right now (Conflict)."""
    from domain.jobs.models import RunStatus, TriggeredBy
    from domain.jobs.runner import run_job

    code, venture_id = _payout_target(actor, venture, period_start, period_end, replace)
    with unit_of_work() as uow:
        audit(
            uow,
            actor,
            IncentiveAudit.PAYOUTS_REQUESTED,
            entity_type="venture",
            entity_id=venture_id,
            venture_id=venture_id,
            detail={
                "from": period_start.isoformat(),
                "to": period_end.isoformat(),
                "replace": replace,
            },
        )
    run = run_job(
        JOB,
        business_date=period_end,
        venture=code,
        dry_run=False,
        params={"period_start": period_start.isoformat(), "replace": bool(replace)},
        actor=actor,
        run_id=run_id,
        triggered_by=TriggeredBy.USER,
    )
    if run.status == RunStatus.SKIPPED_LOCKED:
        raise Conflict(
            f"{payouts.ALREADY_EXISTS}: another run is creating the payouts of {code} for the "
            f"period ending {period_end} ({run.error})",
            fields={"period_start": payouts.ALREADY_EXISTS},
        )
    with read_only() as uow:
        rows = (
            uow.session.execute(
                select(IncentivePayout)
                .where(IncentivePayout.run_id == run.run_id)
                .order_by(col(IncentivePayout.user_id), col(IncentivePayout.currency))
            )
            .scalars()
            .all()
        )
        views = _views(uow, list(rows))
    return PayoutRunResult(
        run_id=run.run_id,
        status=run.status.value,
        error=run.error,
        venture_code=code,
        period_start=period_start,
        period_end=period_end,
        payouts=views,
        totals=_totals(views),
    )


# -- approve ---------------------------------------------------------------------------------------


def _run_for_approval(actor: Actor, run_id: str) -> tuple[Any, list[IncentivePayout]]:
    from domain.jobs.models import RunStatus
    from domain.jobs.queries import find_run

    actor.require("incentives.payouts.approve")
    with read_only() as uow:
        run = find_run(uow.session, run_id)
        if run is None or run.job != JOB or run.venture_id is None:
            raise NotFound("payout run", run_id)
        actor.require("incentives.payouts.approve", run.venture_id, entity="payout run")
        if run.dry_run or run.status != RunStatus.SUCCEEDED:
            raise Invalid.field(
                "run_id",
                f"run {run_id} is {'a dry run' if run.dry_run else run.status.value}: only a "
                "succeeded live payouts run is approved",
            )
        rows = list(
            uow.session.execute(select(IncentivePayout).where(IncentivePayout.run_id == run_id))
            .scalars()
            .all()
        )
        uow.session.expunge_all()
    if not rows:
        raise Invalid.field("run_id", f"run {run_id} created no payouts")
    _refuse_settled(run_id, rows)
    return run, rows


def _refuse_settled(run_id: str, rows: list[IncentivePayout]) -> None:
    statuses = {r.status for r in rows}
    if PayoutStatus.VOID in statuses:
        reason = next((r.void_reason for r in rows if r.status == PayoutStatus.VOID), None)
        raise Conflict(
            f"run {run_id} has void payouts ({reason or 'voided'}): approve the latest run of "
            "the period, or re-run it with replace"
        )
    if statuses <= {PayoutStatus.APPROVED, PayoutStatus.PAID}:
        first = rows[0]
        raise Conflict(
            f"run {run_id} is already approved"
            + (
                f" (at {first.approved_at.isoformat(timespec='seconds')})"
                if first.approved_at
                else ""
            )
        )
    if statuses != {PayoutStatus.CALCULATED}:
        raise Conflict(f"run {run_id} has payouts in states {sorted(s.value for s in statuses)}")


def approve_run(actor: Actor, run_id: str) -> ApprovalResult:
    """Approve a payouts run as a whole (FINANCE or CEO in the venture's scope).

    The run is re-verified first (a dry re-execution, as ``vcc jobs verify``); anything but
    VERIFIED refuses the approval with what changed and the advice to re-run with replace.
    VERIFIED: the run's payouts become APPROVED with the approver, the time and the run's output
    hash, in one conditional UPDATE, and the approval is written into the run's manifest."""
    from domain.jobs import locks
    from domain.jobs.config import job_settings
    from domain.jobs.models import VerificationStatus
    from domain.jobs.verify import verify_run

    engine = get_engine()
    run, rows = _run_for_approval(actor, run_id)
    venture_id = int(run.venture_id)
    start = date.fromisoformat(str((run.parameters or {}).get("period_start") or run.business_date))
    end = run.business_date
    key = f"payouts-approval:{run_id}"
    lease = locks.Lease(
        key, f"approve-{secrets.token_hex(8)}", job_settings().lease_seconds, engine=engine
    )
    if not lease.acquire():
        raise Conflict(f"an approval of run {run_id} is in progress")
    try:
        _run, rows = _run_for_approval(actor, run_id)  # approved while we waited?
        check = verify_run(run_id, actor=actor, engine=engine)
        if check.status != VerificationStatus.VERIFIED:
            raise Conflict(
                f"run {run_id} cannot be approved: its verification answered "
                f"{check.status.value}: {check.message}. Re-commit the changed days if the "
                f"incentives changed, then re-run the payouts for {start} to {end} with replace "
                "and approve the new run."
            )
        output_hash = str(run.output_hash or "")
        now = clock.now()
        table = IncentivePayout.__table__  # type: ignore[attr-defined]
        manifest_tables = _manifest_tables(run.manifest_path)
        expected = manifest_tables.get(f"incentive_daily[{venture_id}]", {}).get("sha256")
        with engine_commit.write_engine(engine).begin() as conn:
            payouts.lock_period(conn, venture_id, start, end)
            now_inputs = payouts.daily_inputs(conn, venture_id, start, end)
            if expected is not None and now_inputs.sha256 != expected:
                raise Conflict(
                    f"run {run_id} cannot be approved: the incentives of {start} to {end} "
                    "changed since it ran (a commit wrote the period's days again). Re-run the "
                    "payouts with replace and approve the new run."
                )
            done = conn.execute(
                update(table)
                .where(table.c.run_id == run_id, table.c.status == PayoutStatus.CALCULATED.value)
                .values(
                    status=PayoutStatus.APPROVED.value,
                    approved_by_id=actor.real_user_id,
                    approved_at=now,
                    approved_output_hash=output_hash,
                    updated_at=now,
                )
            ).rowcount
            if done != len(rows):
                raise _Rollback()
    except _Rollback:
        raise Conflict(f"run {run_id} is already approved") from None
    finally:
        lease.release()
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        totals[r.currency] += Decimal(str(r.amount))
    with unit_of_work() as uow:
        who = uow.session.get(User, actor.real_user_id)
        approver = who.name if who else str(actor.real_user_id)
        email = who.email if who else None
        code = _codes(uow).get(venture_id, str(venture_id))
        audit(
            uow,
            actor,
            IncentiveAudit.PAYOUTS_APPROVED,
            entity_type="job_run",
            entity_id=run_id,
            venture_id=venture_id,
            detail={
                "from": start.isoformat(),
                "to": end.isoformat(),
                "payees": len({r.user_id for r in rows}),
                "totals": {k: str(v) for k, v in sorted(totals.items())},
                "output_hash": output_hash,
                "verification_run_id": check.verify_run_id,
            },
        )
    _sign_manifest(
        run.manifest_path,
        {
            "by": approver,
            "by_email": email,
            "by_user_id": actor.real_user_id,
            "at": now.isoformat(),
            "output_hash": output_hash,
            "verification": check.status.value,
            "verification_run_id": check.verify_run_id,
        },
    )
    return ApprovalResult(
        run_id=run_id,
        venture_code=code,
        period_start=start,
        period_end=end,
        payees=len({r.user_id for r in rows}),
        totals=dict(sorted(totals.items())),
        output_hash=output_hash,
        approved_by=approver,
        approved_at=now,
        verification_run_id=check.verify_run_id,
    )


class _Rollback(Exception):
    """Leave the approval's transaction without writing (another approval won)."""


def _manifest_tables(manifest_path: str | None) -> dict[str, Any]:
    from domain.jobs.manifest import read_manifest
    from domain.jobs.runner import reports_root

    if not manifest_path:
        return {}
    doc = read_manifest(reports_root() / manifest_path) or {}
    tables = doc.get("inputs", {}).get("tables")
    return tables if isinstance(tables, dict) else {}


def _sign_manifest(manifest_path: str | None, approval: dict[str, Any]) -> None:
    """Add the approval to the run's manifest (``approvals``: who, when, the hash they signed):
    the signed artifact carries its signature. The database row is the record; a manifest that
    cannot be written is logged."""
    from domain.jobs.manifest import read_manifest, write_manifest
    from domain.jobs.runner import reports_root

    if not manifest_path:
        return
    path = reports_root() / manifest_path
    try:
        doc = read_manifest(path)
        if doc is None:
            log.error("approval of %s: manifest %s unreadable", approval, path)
            return
        doc.pop("schema", None)
        doc["approvals"] = [*doc.get("approvals", []), approval]
        write_manifest(path, doc)
    except OSError:
        log.exception("writing the approval into %s failed", path)


# -- pay, void, reopen -----------------------------------------------------------------------------


def _flip(
    uow: UnitOfWork, row: IncentivePayout, expected: PayoutStatus, values: dict[str, Any]
) -> None:
    """One conditional UPDATE from ``expected``: a concurrent change makes it a Conflict."""
    table = IncentivePayout.__table__  # type: ignore[attr-defined]
    done = uow.session.execute(
        update(table)
        .where(table.c.id == row.id, table.c.status == expected.value)
        .values(updated_at=clock.now(), **values)
    ).rowcount  # type: ignore[attr-defined]
    if done != 1:
        raise Conflict(f"payout {row.id} changed meanwhile: reload it")
    uow.session.expire(row)


def mark_paid(uow: UnitOfWork, actor: Actor, payout_id: int) -> PayoutView:
    """APPROVED -> PAID (nothing else is paid)."""
    row = _payout(uow, actor, payout_id, "incentives.payouts.manage")
    if row.status != PayoutStatus.APPROVED:
        raise Conflict(
            f"payout {payout_id} is {row.status.value}: only an APPROVED payout is paid"
            + (" (approve its run first)" if row.status == PayoutStatus.CALCULATED else "")
        )
    _flip(
        uow,
        row,
        PayoutStatus.APPROVED,
        {
            "status": PayoutStatus.PAID.value,
            "paid_at": clock.now(),
            "paid_by_id": actor.real_user_id,
        },
    )
    audit(
        uow,
        actor,
        IncentiveAudit.PAYOUT_PAID,
        entity_type="incentive_payout",
        entity_id=payout_id,
        venture_id=row.venture_id,
        detail={"amount": str(row.amount), "currency": row.currency, "run_id": row.run_id},
    )
    uow.flush()
    return get_payout(uow, actor, payout_id)


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid.field("reason", "is required: say why")
    if len(text) > MAX_REASON:
        raise Invalid.field("reason", f"at most {MAX_REASON} characters")
    return text


def void_payout(
    uow: UnitOfWork, actor: Actor, payout_id: int, reason: str | None, *, force: bool = False
) -> PayoutView:
    """Void a payout with a reason. A PAID payout only with ``force`` (FINANCE or CEO)."""
    text = _reason(reason)
    row = _payout(uow, actor, payout_id, "incentives.payouts.manage")
    if row.status == PayoutStatus.VOID:
        raise Conflict(f"payout {payout_id} is already VOID ({row.void_reason})")
    if row.status == PayoutStatus.PAID:
        if not force:
            raise Conflict(
                f"payout {payout_id} is PAID: a paid payout is voided only with force "
                "(FINANCE or CEO)"
            )
        actor.require("incentives.payouts.approve", row.venture_id, entity="payout")
    before = row.status
    _flip(
        uow,
        row,
        before,
        {
            "status": PayoutStatus.VOID.value,
            "voided_at": clock.now(),
            "voided_by_id": actor.real_user_id,
            "void_reason": text,
        },
    )
    audit(
        uow,
        actor,
        IncentiveAudit.PAYOUT_VOIDED,
        entity_type="incentive_payout",
        entity_id=payout_id,
        venture_id=row.venture_id,
        detail={"reason": text, "was": before.value, "forced": force, "run_id": row.run_id},
    )
    uow.flush()
    return get_payout(uow, actor, payout_id)


def reopen(
    actor: Actor, venture: str, start: date, end: date, reason: str | None
) -> list[PayoutView]:
    """The force-reopen path (FINANCE or CEO, reason required, audited): void every non-void
    payout of the venture whose period meets ``[start, end]`` (APPROVED and PAID included), so
    its days may be committed again. Returns the payouts voided."""
    text = _reason(reason)
    if end < start:
        raise Invalid.field("to", "must be on or after from")
    engine = get_engine()
    with read_only() as uow:
        v = venture_by_code(uow, actor, venture)
        assert v.id is not None
        actor.require("incentives.payouts.approve", v.id)
        venture_id = v.id
    table = IncentivePayout.__table__  # type: ignore[attr-defined]
    with engine_commit.write_engine(engine).begin() as conn:
        found = payouts.period_rows(conn, venture_id, start, end)
        if found:
            lo = min(r.start for r in found)
            hi = max(r.end for r in found)
            payouts.lock_period(conn, venture_id, lo, hi)
            found = payouts.period_rows(conn, venture_id, start, end)
            now = clock.now()
            conn.execute(
                update(table)
                .where(
                    table.c.id.in_([r.id for r in found]),
                    table.c.status != PayoutStatus.VOID.value,
                )
                .values(
                    status=PayoutStatus.VOID.value,
                    voided_at=now,
                    voided_by_id=actor.real_user_id,
                    void_reason=f"reopened: {text}",
                    updated_at=now,
                )
            )
    with unit_of_work() as uow:
        periods = sorted({(r.start, r.end, r.status.value, r.run_id) for r in found})
        audit(
            uow,
            actor,
            IncentiveAudit.PERIOD_REOPENED,
            entity_type="venture",
            entity_id=venture_id,
            venture_id=venture_id,
            detail={
                "from": start.isoformat(),
                "to": end.isoformat(),
                "reason": text,
                "voided": [
                    {"from": s.isoformat(), "to": e.isoformat(), "was": st, "run_id": rid}
                    for s, e, st, rid in periods
                ],
                "payouts": len(found),
            },
        )
        rows = list(
            uow.session.execute(
                select(IncentivePayout).where(col(IncentivePayout.id).in_([r.id for r in found]))
            )
            .scalars()
            .all()
        )
        return _views(uow, rows)


def locked_period_error(venture_id: int, start: date, end: date) -> None:
    """Conflict naming the payout period when a day of ``[start, end]`` is locked (the commit
    and backfill requests ask before starting a run)."""
    engine = get_engine()
    with engine.connect() as conn:
        try:
            engine_commit.refuse_locked(conn, venture_id, start, end)
        except engine_commit.DayLocked as exc:
            raise Conflict(str(exc), fields={"date": str(exc)}) from None


def reopen_and_recompute(
    actor: Actor, venture: str, start: date, end: date, reason: str | None
) -> tuple[list[PayoutView], Any]:
    """``--force-reopen``: void the payouts over ``[start, end]`` (audited), then recommit the
    days as one ``incentives-backfill`` run. Returns (payouts voided, the run)."""
    from domain.incentives import services

    with read_only() as uow:
        v = venture_by_code(uow, actor, venture)
        actor.require("incentives.payouts.approve", v.id)
        actor.require("incentives.commit", v.id)
    voided = reopen(actor, venture, start, end, reason)
    run = services.backfill(actor, venture, start, end)
    return voided, run


# -- the web app's page: periods, a run's review, what waits, own payouts -----------------------


class PeriodView(View):
    """One run's payouts of a venture's period (a replace leaves the voided run beside the new
    one). ``status`` is the least advanced live status of its payouts (VOID when all are);
    totals are per currency over the non-void payouts, never added across currencies."""

    venture_id: int
    venture_code: str
    period_start: date
    period_end: date
    run_id: str
    status: PayoutStatus
    counts: dict[str, int]
    payees: int
    totals: dict[str, Decimal]
    approved_by: str | None = None
    approved_at: datetime | None = None
    output_hash: str | None = None
    may_approve: bool = False
    may_manage: bool = False
    may_replace: bool = False  # every payout of the period is still CALCULATED


class ReconciliationLine(View):
    currency: str
    payouts: Decimal
    dailies: Decimal
    difference: Decimal
    ok: bool


class RunReview(View):
    """A payouts run for review: its payouts, the hash approval will sign, the reconciliation of
    its payouts against the period's dailies read now, and whether its report opens for the
    reader."""

    period: PeriodView
    payouts: list[PayoutView]
    run_status: str
    output_hash: str
    has_report: bool
    may_open_report: bool
    reconciliation: list[ReconciliationLine]
    result_summary: dict[str, Any]


_ORDER = (PayoutStatus.CALCULATED, PayoutStatus.APPROVED, PayoutStatus.PAID)


def _period_views(
    actor: Actor, views: list[PayoutView], hashes: dict[str, str]
) -> list[PeriodView]:
    groups: dict[tuple[int, date, date, str], list[PayoutView]] = defaultdict(list)
    for v in views:
        groups[(v.venture_id, v.period_start, v.period_end, v.run_id)].append(v)
    live_by_period: dict[tuple[int, date, date], set[PayoutStatus]] = defaultdict(set)
    for v in views:
        if v.status != PayoutStatus.VOID:
            live_by_period[(v.venture_id, v.period_start, v.period_end)].add(v.status)
    out = []
    for (vid, start, end, run_id), rows in groups.items():
        statuses = {r.status for r in rows}
        live = [s for s in _ORDER if s in statuses]
        status = live[0] if live else PayoutStatus.VOID
        counts: dict[str, int] = defaultdict(int)
        for r in rows:
            counts[r.status.value] += 1
        signed = next((r for r in rows if r.approved_at is not None), None)
        period_live = live_by_period.get((vid, start, end), set())
        out.append(
            PeriodView(
                venture_id=vid,
                venture_code=rows[0].venture_code,
                period_start=start,
                period_end=end,
                run_id=run_id,
                status=status,
                counts=dict(counts),
                payees=len({r.user_id for r in rows if r.status != PayoutStatus.VOID}),
                totals=_totals(rows),
                approved_by=signed.approved_by if signed else None,
                approved_at=signed.approved_at if signed else None,
                output_hash=(signed.approved_output_hash if signed else None) or hashes.get(run_id),
                may_approve=status == PayoutStatus.CALCULATED
                and actor.can("incentives.payouts.approve", vid),
                may_manage=actor.can("incentives.payouts.manage", vid),
                may_replace=bool(period_live)
                and period_live == {PayoutStatus.CALCULATED}
                and status == PayoutStatus.CALCULATED
                and actor.can("incentives.payouts.manage", vid),
            )
        )
    out.sort(key=lambda p: (p.period_end, p.period_start, p.venture_code, p.run_id), reverse=True)
    return out


def _run_hashes(uow: UnitOfWork, run_ids: set[str]) -> dict[str, str]:
    from domain.jobs.models import JobRun

    if not run_ids:
        return {}
    rows = uow.session.execute(
        select(JobRun.run_id, JobRun.output_hash).where(col(JobRun.run_id).in_(sorted(run_ids)))
    ).all()
    return {str(r): str(h) for r, h in rows if h}


def list_periods(
    uow: UnitOfWork, actor: Actor, *, venture: str | None = None, limit: int = 60
) -> list[PeriodView]:
    """The payout periods of the ventures in scope (or of one venture), newest first: one line
    per run with its status, payees and totals per currency, and what the reader may do."""
    actor.require("incentives.payouts.read")
    stmt = select(IncentivePayout).where(actor.scope.venture_clause(IncentivePayout.venture_id))
    if venture:
        v = venture_by_code(uow, actor, venture)
        actor.require("incentives.payouts.read", v.id)
        stmt = stmt.where(IncentivePayout.venture_id == v.id)
    recent = (
        select(IncentivePayout.run_id)
        .where(actor.scope.venture_clause(IncentivePayout.venture_id))
        .group_by(IncentivePayout.run_id)
        .order_by(
            col(IncentivePayout.run_id).desc()  # run ids start with their UTC time
        )
        .limit(max(1, min(limit, 500)))
    )
    if venture:
        recent = recent.where(IncentivePayout.venture_id == v.id)
    stmt = stmt.where(col(IncentivePayout.run_id).in_(recent))
    rows = list(uow.session.execute(stmt.order_by(col(IncentivePayout.id))).scalars().all())
    views = _views(uow, rows)
    return _period_views(actor, views, _run_hashes(uow, {r.run_id for r in rows}))


def review_run(uow: UnitOfWork, actor: Actor, run_id: str) -> RunReview:
    """A payouts run of a venture in scope for review (NotFound otherwise, as for a run that
    does not exist)."""
    from domain.incentives.queries import can_open_run_report
    from domain.jobs.queries import find_run

    actor.require("incentives.payouts.read")
    run = find_run(uow.session, run_id)
    if run is None or run.job != JOB or run.venture_id is None:
        raise NotFound("payout run", run_id)
    actor.require("incentives.payouts.read", run.venture_id, entity="payout run")
    rows = list(
        uow.session.execute(
            select(IncentivePayout)
            .where(IncentivePayout.run_id == run_id)
            .order_by(col(IncentivePayout.user_id), col(IncentivePayout.currency))
        )
        .scalars()
        .all()
    )
    if not rows:
        raise NotFound("payout run", run_id)
    views = _views(uow, rows)
    views.sort(key=lambda v: (v.user_name.lower(), v.currency))
    hashes = {run_id: str(run.output_hash)} if run.output_hash else {}
    period = _period_views(actor, views, hashes)[0]
    # The period's other runs decide whether a replace is still allowed.
    others = _views(
        uow,
        list(
            uow.session.execute(
                select(IncentivePayout).where(
                    IncentivePayout.venture_id == run.venture_id,
                    IncentivePayout.period_start == period.period_start,
                    IncentivePayout.period_end == period.period_end,
                    IncentivePayout.status != PayoutStatus.VOID,
                )
            )
            .scalars()
            .all()
        ),
    )
    if any(o.status != PayoutStatus.CALCULATED for o in others):
        period = period.model_copy(update={"may_replace": False})
    dailies = payouts.read_dailies(
        uow.session.connection(), run.venture_id, period.period_start, period.period_end
    )
    owed: dict[str, Decimal] = defaultdict(Decimal)
    for (_u, _d, cur), amount in dailies.items():
        owed[cur] += Decimal(str(amount))
    paid = period.totals
    lines = []
    for cur in sorted(set(paid) | set(owed)):
        p = paid.get(cur, Decimal("0.00"))
        d = owed.get(cur, Decimal("0.00")).quantize(Decimal("0.01"))
        lines.append(
            ReconciliationLine(currency=cur, payouts=p, dailies=d, difference=p - d, ok=p == d)
        )
    return RunReview(
        period=period,
        payouts=views,
        run_status=run.status.value,
        output_hash=str(run.output_hash or ""),
        has_report=bool(run.html_path),
        may_open_report=can_open_run_report(actor, run.venture_id),
        reconciliation=lines,
        result_summary=dict(run.result_summary or {}),
    )


def awaiting_approval(uow: UnitOfWork, actor: Actor) -> list[PeriodView]:
    """What waits for this approver: the periods in scope whose payouts are all CALCULATED
    (none approved yet). Empty for a role that does not approve payouts."""
    if not actor.can("incentives.payouts.approve"):
        return []
    t = IncentivePayout
    rows = list(
        uow.session.execute(
            select(t).where(
                actor.scope.venture_clause(t.venture_id), t.status == PayoutStatus.CALCULATED
            )
        )
        .scalars()
        .all()
    )
    views = _views(uow, rows)
    return [p for p in _period_views(actor, views, {}) if p.may_approve]


def my_payouts(uow: UnitOfWork, actor: Actor, limit: int = 36) -> list[PayoutView]:
    """The actor's own payouts in the ventures in scope, newest period first (every user reads
    their own, as My incentives)."""
    actor.require("page.my_incentives")
    rows = list(
        uow.session.execute(
            select(IncentivePayout)
            .where(
                IncentivePayout.user_id == actor.user_id,
                actor.scope.venture_clause(IncentivePayout.venture_id),
            )
            .order_by(
                col(IncentivePayout.period_end).desc(),
                col(IncentivePayout.currency),
                col(IncentivePayout.id).desc(),
            )
            .limit(max(1, min(limit, 200)))
        )
        .scalars()
        .all()
    )
    return _views(uow, rows)


def payout_ventures(
    uow: UnitOfWork, actor: Actor, action: str = "incentives.payouts.manage"
) -> list[tuple[int, str]]:
    """(id, code) of the active ventures in scope where the actor may do ``action`` (the
    Payouts page's create form asks for ``incentives.payouts.manage``)."""
    if not actor.can(action):
        return []
    stmt = (
        select(Venture.id, Venture.code)
        .where(actor.scope.venture_clause(Venture.id), col(Venture.is_active).is_(True))
        .order_by(col(Venture.code))
    )
    return [(int(i), str(c)) for i, c in uow.session.execute(stmt)]


def start_create_payouts(
    actor: Actor, venture: str, period_start: date, period_end: date, *, replace: bool = False
) -> str:
    """Create a period's payouts from the web app: validated and authorized like
    ``create_payouts`` (errors raise at once, nothing written), then the ``payouts`` run starts
    in the runner's thread. Returns the run id at once; poll ``domain.jobs.queries.get_run``."""
    from domain.jobs.models import TriggeredBy
    from domain.jobs.runner import start_run

    code, venture_id = _payout_target(actor, venture, period_start, period_end, replace)
    run_id = start_run(
        JOB,
        actor=actor,
        business_date=period_end,
        venture=code,
        dry_run=False,
        params={"period_start": period_start.isoformat(), "replace": bool(replace)},
        triggered_by=TriggeredBy.USER,
    )
    with unit_of_work() as uow:
        audit(
            uow,
            actor,
            IncentiveAudit.PAYOUTS_REQUESTED,
            entity_type="venture",
            entity_id=venture_id,
            venture_id=venture_id,
            detail={
                "from": period_start.isoformat(),
                "to": period_end.isoformat(),
                "replace": replace,
                "run_id": run_id,
            },
        )
    return run_id


__all__ = [
    "ApprovalResult",
    "ApproveInput",
    "PayoutCreateInput",
    "PayoutRunResult",
    "PayoutView",
    "PeriodView",
    "ReconciliationLine",
    "RunReview",
    "VoidInput",
    "approve_run",
    "awaiting_approval",
    "create_payouts",
    "get_payout",
    "list_payouts",
    "list_periods",
    "locked_period_error",
    "mark_paid",
    "my_payouts",
    "payout_ventures",
    "reopen",
    "reopen_and_recompute",
    "review_run",
    "start_create_payouts",
    "void_payout",
]
