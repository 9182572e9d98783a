"""Carrier use cases (carriers are global: the FMCSA snapshot, blocking).

FMCSA: adding a carrier checks it; covering a load with a carrier whose snapshot is older than
``VCC_FMCSA_MAX_AGE_HOURS`` (24 h) checks it again. When FMCSA cannot answer, a carrier with a
snapshot on file keeps it (the page shows its age; a failed snapshot still refuses), and a carrier
never checked cannot cover a load until FMCSA answers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk, unit_of_work
from domain.errors import Invalid, ServiceUnavailable, Unique, duplicates_as_conflict
from domain.freight.access import (
    get_carrier,
    require_carrier_access,
)
from domain.freight.audit import FreightAudit
from domain.freight.models import (
    AuthorityStatus,
    Carrier,
    SafetyRating,
)
from domain.freight.schemas import (
    CarrierBlockInput,
    CarrierInput,
    CarrierPatch,
    CarrierView,
    FmcsaSnapshotInput,
)
from domain.freight.views import carrier_view
from domain.integrations.fmcsa import CarrierLookup, FmcsaSnapshot, get_carrier_lookup
from domain.integrations.http import ProviderError
from domain.schemas import apply_patch, parse, patch_values
from domain.settings import get_settings

log = logging.getLogger(__name__)

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
    failure = refresh_snapshot(uow, actor, carrier)
    if failure is not None:  # added unchecked: it cannot cover a load until FMCSA answers
        log.warning("FMCSA check of new carrier %s failed: %s", carrier.id, failure)
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


# -- the FMCSA snapshot in the freight flow -------------------------------------------------------


def snapshot_is_stale(carrier: Carrier, now: datetime | None = None) -> bool:
    """Never checked, or checked longer ago than the configured maximum age (24 h)."""
    if carrier.fmcsa_checked_at is None:
        return True
    max_age = timedelta(hours=get_settings().integrations.fmcsa_max_age_hours)
    return (now or clock.now()) - carrier.fmcsa_checked_at > max_age


def _on_file(carrier: Carrier) -> FmcsaSnapshot | None:
    if carrier.fmcsa_checked_at is None:
        return None
    return FmcsaSnapshot(
        dot_number=carrier.dot_number,
        authority_status=(carrier.authority_status or AuthorityStatus.INACTIVE).value,
        safety_rating=(carrier.safety_rating or SafetyRating.NOT_RATED).value,
        insurance_on_file=bool(carrier.insurance_on_file),
    )


def refresh_snapshot(
    uow: UnitOfWork, actor: Actor, carrier: Carrier, *, lookup: CarrierLookup | None = None
) -> ProviderError | None:
    """Ask FMCSA about ``carrier`` and store the answer (audited); the provider's error when it
    could not answer (then nothing changes)."""
    try:
        snap = (lookup or get_carrier_lookup()).lookup(
            dot_number=carrier.dot_number, on_file=_on_file(carrier)
        )
    except ProviderError as exc:
        return exc
    _store_snapshot(uow, actor, carrier, snap)
    carrier_id, engine = pk(carrier), uow.engine

    def keep_after_rollback() -> None:  # the use case was refused: FMCSA's answer still stands
        with unit_of_work(engine) as own:
            row = own.session.get(Carrier, carrier_id)
            if row is not None:
                _store_snapshot(own, actor, row, snap)

    uow.after_rollback(keep_after_rollback)
    return None


def _store_snapshot(uow: UnitOfWork, actor: Actor, carrier: Carrier, snap: FmcsaSnapshot) -> None:
    inp = parse(
        FmcsaSnapshotInput,
        {
            "authority_status": snap.authority_status,
            "safety_rating": snap.safety_rating,
            "insurance_on_file": snap.insurance_on_file,
        },
    )
    carrier.authority_status = inp.authority_status
    carrier.safety_rating = inp.safety_rating
    carrier.insurance_on_file = inp.insurance_on_file
    carrier.fmcsa_checked_at = clock.now()
    audit(
        uow,
        actor,
        FreightAudit.CARRIER_FMCSA_CHECKED,
        entity_type="freight_carrier",
        entity_id=carrier.id,
        detail=inp.model_dump(mode="json") | {"source": "fmcsa"},
    )


def ensure_fresh_snapshot(
    uow: UnitOfWork, actor: Actor, carrier: Carrier, *, lookup: CarrierLookup | None = None
) -> None:
    """Before a carrier covers a load: refresh a stale snapshot. An FMCSA outage lets a carrier
    with a snapshot on file through on that snapshot (its own rules still apply), and refuses a
    carrier never checked (``ServiceUnavailable``)."""
    if not snapshot_is_stale(carrier):
        return
    failure = refresh_snapshot(uow, actor, carrier, lookup=lookup)
    if failure is None:
        return
    if carrier.fmcsa_checked_at is None:
        raise ServiceUnavailable(
            f"{carrier.name} has never been checked with FMCSA, and FMCSA cannot be reached "
            f"now ({failure.reason}). Try again in a few minutes."
        )
    log.warning(
        "FMCSA refresh of carrier %s failed; its snapshot of %s stands: %s",
        carrier.id,
        carrier.fmcsa_checked_at.isoformat(),
        failure,
    )


def check_carrier_now(uow: UnitOfWork, actor: Actor, carrier_id: int) -> CarrierView:
    """The "check FMCSA now" action: refresh whatever the snapshot's age."""
    carrier = get_carrier(uow, actor, carrier_id)
    actor.require("freight.carriers.manage")
    failure = refresh_snapshot(uow, actor, carrier)
    if failure is not None:
        raise ServiceUnavailable(f"FMCSA could not be reached ({failure.reason}). Try again later.")
    return carrier_view(carrier)
