"""Dispute use cases: open, update, resolve.

Resolving (WON, LOST, CLOSED_NO_ACTION) is final: one conditional UPDATE
(``... WHERE status IN ('OPEN', 'IN_PROGRESS')``) decides, so of two resolutions at once exactly
one wins and raises HotelDisputeResolved; the other, and any later one, is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlmodel import select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.access.roles import ALL, ROLE_SCOPES
from domain.db import UnitOfWork, pk
from domain.errors import Conflict, Invalid
from domain.events.outbox import record
from domain.hospitality.access import get_dispute, require_hotel_for_work
from domain.hospitality.audit import HospitalityAudit
from domain.hospitality.events import HotelDisputeResolved
from domain.hospitality.models import (
    OPEN_DISPUTE_STATUSES,
    RESOLVED_DISPUTE_STATUSES,
    DisputeStatus,
    HotelDispute,
)
from domain.hospitality.schemas import DisputeInput, DisputePatch, DisputeView, ResolveInput
from domain.hospitality.views import dispute_views
from domain.org.models import User, Venture, VentureUser
from domain.schemas import apply_patch, parse, patch_values


def _owner_problem(uow: UnitOfWork, owner_id: int | None, venture: Venture) -> str | None:
    if owner_id is None:
        return None
    user = uow.session.get(User, owner_id)
    if user is None or not user.is_active or user.is_service_account:
        return f"is not an active member of {venture.code}"
    if ROLE_SCOPES[user.role][0] == ALL:
        return None
    member = uow.session.execute(
        select(VentureUser.id).where(
            VentureUser.user_id == owner_id, VentureUser.venture_id == venture.id
        )
    ).first()
    return None if member else f"is not an active member of {venture.code}"


def _venture(uow: UnitOfWork, venture_id: int) -> Venture:
    venture = uow.session.get(Venture, venture_id)
    assert venture is not None
    return venture


def create_dispute(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | DisputeInput
) -> DisputeView:
    inp = parse(DisputeInput, data)
    hotel = require_hotel_for_work(uow, actor, inp.hotel_id, "hospitality.disputes.manage")
    venture = _venture(uow, hotel.venture_id)
    errors: dict[str, str] = {}
    currency = (inp.currency or venture.currency).upper()
    if currency != venture.currency:
        errors["currency"] = f"must be {venture.currency}, the currency of {venture.code}"
    if problem := _owner_problem(uow, inp.owner_id, venture):
        errors["owner_id"] = problem
    if errors:
        raise Invalid(errors)
    now = clock.now()
    dispute = HotelDispute(
        **inp.model_dump(exclude={"currency"}),
        currency=currency,
        venture_id=hotel.venture_id,
        office_id=hotel.office_id,
        status=DisputeStatus.OPEN,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(dispute)
    uow.session.flush()
    audit(
        uow,
        actor,
        HospitalityAudit.DISPUTE_CREATED,
        entity_type="hotel_dispute",
        entity_id=dispute.id,
        venture_id=dispute.venture_id,
        detail={"type": dispute.type, "amount": dispute.amount, "hotel": hotel.code},
    )
    return dispute_views(uow, [dispute])[0]


def _final(dispute: HotelDispute) -> Conflict:
    return Conflict(
        f"This dispute is already resolved ({dispute.status.value}): a resolution is final.",
        fields={"status": f"is already {dispute.status.value}"},
    )


def update_dispute(
    uow: UnitOfWork, actor: Actor, dispute_id: int, data: Mapping[str, Any] | DisputePatch
) -> DisputeView:
    dispute = get_dispute(uow, actor, dispute_id, for_update=True)
    actor.require("hospitality.disputes.manage", dispute.venture_id)
    changes = patch_values(parse(DisputePatch, data))
    if dispute.status in RESOLVED_DISPUTE_STATUSES:
        raise _final(dispute)
    venture = _venture(uow, dispute.venture_id)
    errors: dict[str, str] = {}
    status = changes.get("status")
    if status is not None and status not in OPEN_DISPUTE_STATUSES:
        errors["status"] = "must be OPEN or IN_PROGRESS (resolve the dispute to close it)"
    if problem := _owner_problem(uow, changes.get("owner_id"), venture):
        errors["owner_id"] = problem
    if errors:
        raise Invalid(errors)
    before = apply_patch(dispute, changes | {"updated_at": clock.now()})
    uow.session.flush()
    audit(
        uow,
        actor,
        HospitalityAudit.DISPUTE_UPDATED,
        entity_type="hotel_dispute",
        entity_id=dispute.id,
        venture_id=dispute.venture_id,
        detail={"before": before, "after": changes},
    )
    return dispute_views(uow, [dispute])[0]


def resolve_dispute(
    uow: UnitOfWork, actor: Actor, dispute_id: int, data: Mapping[str, Any] | ResolveInput
) -> DisputeView:
    inp = parse(ResolveInput, data)
    if inp.status not in RESOLVED_DISPUTE_STATUSES:
        raise Invalid.field("status", "must be WON, LOST or CLOSED_NO_ACTION")
    dispute = get_dispute(uow, actor, dispute_id)
    actor.require("hospitality.disputes.manage", dispute.venture_id)
    now = clock.now()
    table = HotelDispute.__table__  # type: ignore[attr-defined]
    changed = uow.session.execute(
        update(table)
        .where(
            table.c.id == pk(dispute),
            table.c.status.in_([s.value for s in OPEN_DISPUTE_STATUSES]),
        )
        .values(
            status=inp.status.value,
            resolved_at=now,
            resolved_by_id=actor.user_id,
            outcome_note=inp.outcome_note,
            updated_at=now,
        )
    ).rowcount  # type: ignore[attr-defined]
    uow.session.refresh(dispute)
    if not changed:
        raise _final(dispute)
    venture = _venture(uow, dispute.venture_id)
    record(
        uow,
        HotelDisputeResolved(
            venture_id=dispute.venture_id,
            dispute_id=pk(dispute),
            hotel_id=dispute.hotel_id,
            status=inp.status.value,
            amount=dispute.amount,
            owner_id=dispute.owner_id,
            business_date=clock.business_date(now, venture.timezone),
            user_id=actor.user_id,
        ),
    )
    audit(
        uow,
        actor,
        HospitalityAudit.DISPUTE_RESOLVED,
        entity_type="hotel_dispute",
        entity_id=dispute.id,
        venture_id=dispute.venture_id,
        detail={"status": inp.status, "amount": dispute.amount, "note": inp.outcome_note},
    )
    return dispute_views(uow, [dispute])[0]
