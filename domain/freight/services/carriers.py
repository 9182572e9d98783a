"""Carrier use cases (carriers are global: the FMCSA snapshot, blocking)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork
from domain.errors import Invalid, Unique, duplicates_as_conflict
from domain.freight.access import (
    get_carrier,
    require_carrier_access,
)
from domain.freight.audit import FreightAudit
from domain.freight.models import (
    Carrier,
)
from domain.freight.schemas import (
    CarrierBlockInput,
    CarrierInput,
    CarrierPatch,
    CarrierView,
    FmcsaSnapshotInput,
)
from domain.freight.views import carrier_view
from domain.schemas import apply_patch, parse, patch_values

_CARRIER_NUMBERS = (
    Unique("freight_carrier", ("mc_number",), "mc_number", "is already used by another carrier"),
    Unique("freight_carrier", ("dot_number",), "dot_number", "is already used by another carrier"),
)


def create_carrier(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | CarrierInput
) -> CarrierView:
    require_carrier_access(uow, actor, "freight.carriers.manage")
    inp = parse(CarrierInput, data)
    carrier = Carrier(**inp.model_dump())
    with duplicates_as_conflict(uow.session, *_CARRIER_NUMBERS):
        uow.session.add(carrier)
    audit(
        uow,
        actor,
        FreightAudit.CARRIER_CREATED,
        entity_type="freight_carrier",
        entity_id=carrier.id,
        detail={"mc_number": carrier.mc_number, "name": carrier.name},
    )
    return carrier_view(carrier)


def update_carrier(
    uow: UnitOfWork, actor: Actor, carrier_id: int, data: Mapping[str, Any] | CarrierPatch
) -> CarrierView:
    carrier = get_carrier(uow, actor, carrier_id)
    actor.require("freight.carriers.manage")
    changes = patch_values(parse(CarrierPatch, data))
    before = apply_patch(carrier, changes)
    audit(
        uow,
        actor,
        FreightAudit.CARRIER_UPDATED,
        entity_type="freight_carrier",
        entity_id=carrier.id,
        detail={"before": before, "after": changes},
    )
    return carrier_view(carrier)


def set_carrier_blocked(
    uow: UnitOfWork, actor: Actor, carrier_id: int, data: Mapping[str, Any] | CarrierBlockInput
) -> CarrierView:
    carrier = get_carrier(uow, actor, carrier_id)
    actor.require("freight.carriers.manage")
    inp = parse(CarrierBlockInput, data)
    if inp.blocked and not (inp.reason or "").strip():
        raise Invalid.field("reason", "is required when blocking a carrier")
    carrier.is_blocked = inp.blocked
    carrier.blocked_reason = inp.reason if inp.blocked else None
    audit(
        uow,
        actor,
        FreightAudit.CARRIER_BLOCKED if inp.blocked else FreightAudit.CARRIER_UNBLOCKED,
        entity_type="freight_carrier",
        entity_id=carrier.id,
        detail={"reason": inp.reason},
    )
    return carrier_view(carrier)


def record_fmcsa_snapshot(
    uow: UnitOfWork, actor: Actor, carrier_id: int, data: Mapping[str, Any] | FmcsaSnapshotInput
) -> CarrierView:
    """Store the result of an FMCSA check (the FMCSA integration calls this)."""
    carrier = get_carrier(uow, actor, carrier_id)
    actor.require("freight.carriers.manage")
    inp = parse(FmcsaSnapshotInput, data)
    carrier.authority_status = inp.authority_status
    carrier.safety_rating = inp.safety_rating
    carrier.insurance_on_file = inp.insurance_on_file
    carrier.fmcsa_checked_at = inp.checked_at or clock.now()
    audit(
        uow,
        actor,
        FreightAudit.CARRIER_FMCSA_CHECKED,
        entity_type="freight_carrier",
        entity_id=carrier.id,
        detail=inp.model_dump(mode="json"),
    )
    return carrier_view(carrier)
