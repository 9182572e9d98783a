"""Load use cases: create, edit, and every status change (``_apply_transition``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Conflict, Invalid, duplicates_as_conflict
from domain.events.outbox import record
from domain.freight.access import (
    get_load,
    require_freight_venture,
)
from domain.freight.audit import FreightAudit
from domain.freight.events import (
    LoadCovered,
    LoadDelivered,
    LoadLost,
)
from domain.freight.models import (
    Carrier,
    Load,
    LoadEvent,
    LoadStatus,
    LostReason,
)
from domain.freight.rules import carrier_problem, drop_date_problem
from domain.freight.schemas import (
    LoadInput,
    LoadPatch,
    LoadView,
    TransitionInput,
)
from domain.freight.services._common import (
    _check_customer,
    _check_office,
    _check_sales_user,
    _check_user,
    _new_reference,
    _reference_key,
    _venture,
)
from domain.freight.services.carriers import ensure_fresh_snapshot
from domain.freight.transitions import (
    TERMINAL_LOAD_STATUSES,
    check_load_transition,
)
from domain.freight.views import load_view
from domain.schemas import apply_patch, parse, patch_values


def create_load(uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | LoadInput) -> LoadView:
    inp = parse(LoadInput, data)
    venture = require_freight_venture(uow, actor, inp.venture_id)
    actor.require("freight.loads.create", pk(venture))
    errors: dict[str, str] = {}
    _check_office(uow, actor, errors, inp.office_id, venture)
    _check_customer(uow, errors, inp.customer_id, venture)
    sales_user_id = inp.sales_user_id or actor.user_id
    _check_sales_user(uow, actor, errors, sales_user_id, venture)
    _check_user(uow, errors, "dispatcher_user_id", inp.dispatcher_user_id, venture)
    if problem := drop_date_problem(inp.pickup_date, inp.drop_date):
        errors["drop_date"] = problem
    if errors:
        raise Invalid(errors)
    now = clock.now()
    load = Load(
        **inp.model_dump(exclude={"reference", "sales_user_id"}),
        reference=inp.reference or _new_reference(uow, venture),
        sales_user_id=sales_user_id,
        created_by_id=actor.user_id,
        status=LoadStatus.OPEN,
        created_at=now,
        updated_at=now,
    )
    with duplicates_as_conflict(uow.session, _reference_key(venture)):
        uow.session.add(load)
    uow.session.add(
        LoadEvent(load_id=pk(load), at=now, to_status=LoadStatus.OPEN, user_id=actor.user_id)
    )
    audit(
        uow,
        actor,
        FreightAudit.LOAD_CREATED,
        entity_type="freight_load",
        entity_id=load.id,
        venture_id=load.venture_id,
        detail={"reference": load.reference, "bill_amount": load.bill_amount},
    )
    return load_view(uow, load)


def update_load(
    uow: UnitOfWork, actor: Actor, load_id: int, data: Mapping[str, Any] | LoadPatch
) -> LoadView:
    """Edit a load's fields (not its status: ``transition_load``). Final loads are read-only."""
    load = get_load(uow, actor, load_id, for_update=True)
    actor.require("freight.loads.update", load.venture_id)
    patch = parse(LoadPatch, data)
    if load.status in TERMINAL_LOAD_STATUSES:
        raise Conflict(f"A {load.status.value} load is final and cannot be edited.")
    changes = patch_values(patch)
    venture = _venture(uow, load.venture_id)
    errors: dict[str, str] = {}
    if changes.get("office_id") is not None and changes["office_id"] != load.office_id:
        _check_office(uow, actor, errors, changes["office_id"], venture)
    if changes.get("customer_id") is not None and changes["customer_id"] != load.customer_id:
        _check_customer(uow, errors, changes["customer_id"], venture)
    if changes.get("sales_user_id") is not None:
        _check_sales_user(
            uow,
            actor,
            errors,
            changes["sales_user_id"],
            venture,
            changed=changes["sales_user_id"] != load.sales_user_id,
        )
    if changes.get("dispatcher_user_id") is not None:
        _check_user(uow, errors, "dispatcher_user_id", changes["dispatcher_user_id"], venture)
    pickup = changes.get("pickup_date") or load.pickup_date
    drop = changes.get("drop_date") or load.drop_date
    if problem := drop_date_problem(pickup, drop):
        errors["drop_date"] = problem
    if errors:
        raise Invalid(errors)
    changes = {k: v for k, v in changes.items() if getattr(load, k) != v}
    if not changes:
        return load_view(uow, load)
    with duplicates_as_conflict(uow.session, _reference_key(venture)):
        before = apply_patch(load, changes)
        load.updated_at = clock.now()
    audit(
        uow,
        actor,
        FreightAudit.LOAD_UPDATED,
        entity_type="freight_load",
        entity_id=load.id,
        venture_id=load.venture_id,
        detail={"before": before, "after": changes},
    )
    return load_view(uow, load)


@dataclass(frozen=True)
class _Change:
    target: LoadStatus
    note: str | None = None
    lost_reason: LostReason | None = None
    carrier_id: int | None = None
    cost_amount: Decimal | None = None
    delivered_at: Any = None
    billing_date: date | None = None


def _check_fields_for(change: _Change) -> None:
    """Refuse fields that do not belong to the target status (a mistake the caller should see)."""
    errors: dict[str, str] = {}
    t = change.target
    if change.lost_reason is not None and t is not LoadStatus.LOST:
        errors["lost_reason"] = "is only given when marking a load LOST"
    if t is not LoadStatus.COVERED:
        if change.carrier_id is not None:
            errors["carrier_id"] = "is only given when covering a load"
        if change.cost_amount is not None:
            errors["cost_amount"] = "is only given when covering a load"
    if t is not LoadStatus.DELIVERED:
        if change.delivered_at is not None:
            errors["delivered_at"] = "is only given when delivering a load"
        if change.billing_date is not None:
            errors["billing_date"] = "is only given when delivering a load"
    if errors:
        raise Invalid(errors)


def _apply_transition(uow: UnitOfWork, actor: Actor, load: Load, change: _Change) -> bool:
    """Move ``load`` to ``change.target``: validate, stamp, history, event, audit. Returns False
    for a same-to-same no-op (nothing written). The caller loaded the load through scope and
    checked the actor's permission."""
    _check_fields_for(change)
    if not check_load_transition(load.status, change.target):
        return False
    venture = _venture(uow, load.venture_id)
    now = clock.now()
    source = load.status
    target = change.target
    note = change.note
    event: Any = None
    if target is LoadStatus.COVERED:
        carrier_id = change.carrier_id or load.carrier_id
        if carrier_id is None:
            raise Invalid.field("carrier_id", "is required to cover a load")
        carrier = uow.session.get(Carrier, carrier_id)
        if carrier is None:
            raise Invalid.field("carrier_id", f"unknown carrier {carrier_id}")
        if carrier.is_active and not carrier.is_blocked:  # else refused whatever FMCSA says
            ensure_fresh_snapshot(uow, actor, carrier)
        problem = carrier_problem(carrier)
        if problem:
            raise Invalid.field("carrier_id", f"{carrier.name} cannot cover a load: {problem}")
        load.carrier_id = carrier_id
        load.covered_at = now
        if load.dispatcher_user_id is None:  # whoever covers it dispatched it
            load.dispatcher_user_id = actor.user_id
        if change.cost_amount is not None:
            load.cost_amount = change.cost_amount
        note = note or f"Covered by {carrier.name} (MC {carrier.mc_number})"
        event = LoadCovered(
            venture_id=load.venture_id,
            load_id=pk(load),
            carrier_id=carrier_id,
            covered_at=now,
            business_date=clock.business_date(now, venture.timezone),
            user_id=actor.user_id,
        )
    elif target is LoadStatus.DELIVERED:
        delivered_at = change.delivered_at or now
        if delivered_at > now:
            raise Invalid.field("delivered_at", "cannot be in the future")
        if delivered_at < load.created_at:
            raise Invalid.field("delivered_at", "is before the load was created")
        load.delivered_at = delivered_at
        day = clock.business_date(delivered_at, venture.timezone)
        load.billing_date = change.billing_date or day
        event = LoadDelivered(
            venture_id=load.venture_id,
            load_id=pk(load),
            reference=load.reference,
            office_id=load.office_id,
            sales_user_id=load.sales_user_id,
            bill_amount=load.bill_amount,
            delivered_at=delivered_at,
            business_date=day,
            billing_date=load.billing_date,
            user_id=actor.user_id,
        )
    elif target is LoadStatus.LOST:
        if change.lost_reason is None:
            raise Invalid.field(
                "lost_reason", "is required: " + ", ".join(r.value for r in LostReason)
            )
        load.lost_at, load.lost_reason, load.lost_note = now, change.lost_reason, change.note
        event = LoadLost(
            venture_id=load.venture_id,
            load_id=pk(load),
            reference=load.reference,
            office_id=load.office_id,
            sales_user_id=load.sales_user_id,
            reason=change.lost_reason.value,
            note=change.note,
            bill_amount=load.bill_amount,
            lost_at=now,
            business_date=clock.business_date(now, venture.timezone),
            user_id=actor.user_id,
        )
    elif target is LoadStatus.FELL_OFF and load.carrier_id is not None:
        previous = uow.session.get(Carrier, load.carrier_id)
        note = note or (f"{previous.name} fell off" if previous else None)
        load.carrier_id = None  # a fallen-off carrier no longer has the load
    load.status = target
    load.updated_at = now
    uow.session.add(
        LoadEvent(
            load_id=pk(load),
            at=now,
            from_status=source,
            to_status=target,
            user_id=actor.user_id,
            note=note,
        )
    )
    if event is not None:
        record(uow, event)
    audit(
        uow,
        actor,
        FreightAudit.LOAD_STATUS_CHANGED,
        entity_type="freight_load",
        entity_id=load.id,
        venture_id=load.venture_id,
        detail={
            "from": source.value,
            "to": target.value,
            "note": note,
            "lost_reason": change.lost_reason,
            "carrier_id": load.carrier_id,
        },
    )
    return True


def transition_load(
    uow: UnitOfWork, actor: Actor, load_id: int, data: Mapping[str, Any] | TransitionInput
) -> LoadView:
    """Change a load's status (the transition table decides; same-to-same is a no-op)."""
    inp = parse(TransitionInput, data)
    load = get_load(uow, actor, load_id, for_update=True)
    actor.require("freight.loads.update", load.venture_id)
    _apply_transition(
        uow,
        actor,
        load,
        _Change(
            target=inp.status,
            note=inp.note,
            lost_reason=inp.lost_reason,
            carrier_id=inp.carrier_id,
            cost_amount=inp.cost_amount,
            delivered_at=inp.delivered_at,
            billing_date=inp.billing_date,
        ),
    )
    return load_view(uow, load)


def cover_load(
    uow: UnitOfWork,
    actor: Actor,
    load_id: int,
    carrier_id: int | None = None,
    *,
    cost_amount: Decimal | None = None,
    note: str | None = None,
) -> LoadView:
    data: dict[str, Any] = {"status": LoadStatus.COVERED, "carrier_id": carrier_id, "note": note}
    if cost_amount is not None:
        data["cost_amount"] = cost_amount
    return transition_load(uow, actor, load_id, data)


def deliver_load(
    uow: UnitOfWork,
    actor: Actor,
    load_id: int,
    delivered_at: Any = None,
    *,
    billing_date: date | None = None,
    note: str | None = None,
) -> LoadView:
    return transition_load(
        uow,
        actor,
        load_id,
        {
            "status": LoadStatus.DELIVERED,
            "delivered_at": delivered_at,
            "billing_date": billing_date,
            "note": note,
        },
    )


def mark_load_lost(
    uow: UnitOfWork, actor: Actor, load_id: int, reason: LostReason | str, note: str | None = None
) -> LoadView:
    return transition_load(
        uow, actor, load_id, {"status": LoadStatus.LOST, "lost_reason": reason, "note": note}
    )
