"""Outreach use cases: send a load to carriers (delivered after commit), retry the failed
recipients, award the load to one of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Conflict, Invalid, NotFound
from domain.events.outbox import record
from domain.freight.access import (
    get_load,
    get_outreach,
)
from domain.freight.audit import FreightAudit
from domain.freight.delivery import batches, recount
from domain.freight.events import (
    OutreachAwarded,
    OutreachQueued,
)
from domain.freight.models import (
    Carrier,
    Load,
    LoadStatus,
    Outreach,
    OutreachChannel,
    OutreachRecipient,
    RecipientStatus,
)
from domain.freight.rules import carrier_problem
from domain.freight.schemas import (
    AwardInput,
    OutreachInput,
    OutreachPreview,
    OutreachPreviewRecipient,
    OutreachRetryInput,
    OutreachView,
)
from domain.freight.services.loads import _apply_transition, _Change
from domain.freight.transitions import (
    NEEDS_COVER,
)
from domain.freight.views import outreach_view
from domain.schemas import parse


def _address(carrier: Carrier, channel: OutreachChannel) -> str | None:
    return carrier.phone if channel is OutreachChannel.SMS else carrier.email


def send_outreach(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | OutreachInput
) -> OutreachView | OutreachPreview:
    """Send a message about a load to 1-50 eligible carriers.

    The message and its recipients are recorded QUEUED in this transaction, with one
    ``OutreachQueued`` event per batch of recipients; delivery happens after commit through the
    outbox (``domain.freight.delivery``), which sets each recipient SENT or FAILED. Nothing is
    sent when the transaction rolls back, and nothing is lost when the process dies after commit.
    A dry run validates and returns what would be sent; nothing is written. Sending to an OPEN
    load starts working it (OPEN -> WORKING).
    """
    inp = parse(OutreachInput, data)
    load = get_load(uow, actor, inp.load_id, for_update=True)
    actor.require("freight.outreach.send", load.venture_id)
    if load.carrier_id is not None or load.status not in NEEDS_COVER:
        raise Conflict(
            f"Load {load.reference} is {load.status.value}"
            + (" and already has a carrier" if load.carrier_id else "")
            + ": outreach is for loads that still need a carrier."
        )
    carriers = {
        pk(c): c
        for c in uow.session.execute(
            select(Carrier).where(col(Carrier.id).in_(inp.carrier_ids))
        ).scalars()
    }
    missing = [i for i in inp.carrier_ids if i not in carriers]
    if missing:
        raise Invalid.field("carrier_ids", f"unknown carrier id(s): {', '.join(map(str, missing))}")
    problems = [
        f"{carriers[i].name} ({p})" for i in inp.carrier_ids if (p := carrier_problem(carriers[i]))
    ]
    if problems:
        raise Invalid.field("carrier_ids", "not eligible: " + "; ".join(problems))
    kind = "phone number" if inp.channel is OutreachChannel.SMS else "email address"
    no_address = [
        carriers[i].name for i in inp.carrier_ids if not _address(carriers[i], inp.channel)
    ]
    if no_address:
        raise Invalid.field("carrier_ids", f"no {kind} on file: " + ", ".join(no_address))
    if inp.channel is OutreachChannel.EMAIL and not (inp.subject or "").strip():
        inp = inp.model_copy(update={"subject": f"Load {load.reference} available"})
    if inp.dry_run:
        return OutreachPreview(
            load_id=pk(load),
            channel=inp.channel,
            subject=inp.subject,
            body=inp.body,
            recipients=[
                OutreachPreviewRecipient(
                    carrier_id=i,
                    carrier_name=carriers[i].name,
                    address=_address(carriers[i], inp.channel) or "",
                )
                for i in inp.carrier_ids
            ],
        )
    outreach = Outreach(
        venture_id=load.venture_id,
        load_id=pk(load),
        channel=inp.channel,
        subject=inp.subject,
        body=inp.body,
        sent_by_id=actor.user_id,
        created_at=clock.now(),
    )
    uow.session.add(outreach)
    uow.flush()
    recipients = [
        OutreachRecipient(
            outreach_id=pk(outreach),
            carrier_id=carrier_id,
            address=_address(carriers[carrier_id], inp.channel) or "",
            status=RecipientStatus.QUEUED,
        )
        for carrier_id in inp.carrier_ids
    ]
    uow.session.add_all(recipients)
    uow.flush()
    _queue(uow, outreach, [pk(r) for r in recipients])
    if load.status is LoadStatus.OPEN:
        _apply_transition(
            uow,
            actor,
            load,
            _Change(
                target=LoadStatus.WORKING,
                note=f"Outreach sent to {len(recipients)} carrier(s)",
            ),
        )
    audit(
        uow,
        actor,
        FreightAudit.OUTREACH_SENT,
        entity_type="freight_outreach",
        entity_id=outreach.id,
        venture_id=load.venture_id,
        detail={"load_id": load.id, "channel": inp.channel.value, "queued": len(recipients)},
    )
    uow.flush()
    return outreach_view(uow, actor, outreach)


def _queue(uow: UnitOfWork, outreach: Outreach, recipient_ids: list[int]) -> None:
    for batch in batches(recipient_ids):
        record(
            uow,
            OutreachQueued(
                venture_id=outreach.venture_id, outreach_id=pk(outreach), recipient_ids=batch
            ),
        )


def retry_outreach(
    uow: UnitOfWork,
    actor: Actor,
    outreach_id: int,
    data: Mapping[str, Any] | OutreachRetryInput | None = None,
) -> OutreachView:
    """Queue the FAILED recipients of an outreach again (all, or the carriers given); delivery
    follows after commit like the first time. Only FAILED recipients move: one atomic UPDATE, so
    two clicks at once retry each recipient once."""
    inp = parse(OutreachRetryInput, data or {})
    outreach = get_outreach(uow, actor, outreach_id)
    actor.require("freight.outreach.send", outreach.venture_id)
    table = OutreachRecipient.__table__  # type: ignore[attr-defined]
    stmt = update(table).where(
        table.c.outreach_id == pk(outreach), table.c.status == RecipientStatus.FAILED
    )
    if inp.carrier_ids:
        stmt = stmt.where(table.c.carrier_id.in_(inp.carrier_ids))
    ids = sorted(
        int(i)
        for i in uow.session.execute(
            stmt.values(status=RecipientStatus.QUEUED, error=None, sent_at=None).returning(
                table.c.id
            )
        ).scalars()
    )
    if not ids:
        raise Conflict("No FAILED recipient to retry: they were delivered or are being retried.")
    recount(uow, pk(outreach))
    _queue(uow, outreach, ids)
    audit(
        uow,
        actor,
        FreightAudit.OUTREACH_RETRIED,
        entity_type="freight_outreach",
        entity_id=outreach.id,
        venture_id=outreach.venture_id,
        detail={"recipients": len(ids)},
    )
    uow.flush()
    uow.session.expire(outreach)
    return outreach_view(uow, actor, outreach)


def award_outreach(
    uow: UnitOfWork, actor: Actor, outreach_id: int, data: Mapping[str, Any] | AwardInput
) -> OutreachView:
    """Give the load to a carrier that received the outreach: sets the carrier and moves the load
    to COVERED. Refused when the load already has a carrier or cannot be covered now."""
    inp = parse(AwardInput, data)
    outreach = get_outreach(uow, actor, outreach_id)
    actor.require("freight.outreach.award", outreach.venture_id)
    load = uow.session.execute(
        select(Load).where(col(Load.id) == outreach.load_id).with_for_update()
    ).scalar_one_or_none()
    if load is None:
        raise NotFound("load", outreach.load_id)
    if outreach.awarded_carrier_id is not None:
        if outreach.awarded_carrier_id == inp.carrier_id and load.carrier_id == inp.carrier_id:
            return outreach_view(uow, actor, outreach)  # the same award again: nothing to do
        raise Conflict("This outreach was already awarded.")
    if load.carrier_id is not None:
        raise Conflict(f"Load {load.reference} already has a carrier.")
    recipient = uow.session.execute(
        select(OutreachRecipient).where(
            OutreachRecipient.outreach_id == outreach.id,
            OutreachRecipient.carrier_id == inp.carrier_id,
        )
    ).scalar_one_or_none()
    if recipient is None or recipient.status is not RecipientStatus.SENT:
        raise Invalid.field("carrier_id", "did not receive this outreach")
    if load.status not in NEEDS_COVER:
        raise Conflict(f"Load {load.reference} is {load.status.value}: it cannot be covered now.")
    carrier = uow.session.get(Carrier, inp.carrier_id)
    assert carrier is not None
    _apply_transition(
        uow,
        actor,
        load,
        _Change(
            target=LoadStatus.COVERED,
            carrier_id=inp.carrier_id,
            cost_amount=inp.cost_amount,
            note=inp.note or f"Awarded to {carrier.name} from outreach #{outreach.id}",
        ),
    )
    now = clock.now()
    outreach.awarded_carrier_id = inp.carrier_id
    outreach.awarded_by_id = actor.user_id
    outreach.awarded_at = now
    record(
        uow,
        OutreachAwarded(
            venture_id=outreach.venture_id,
            outreach_id=pk(outreach),
            load_id=pk(load),
            carrier_id=inp.carrier_id,
            user_id=actor.user_id,
        ),
    )
    audit(
        uow,
        actor,
        FreightAudit.OUTREACH_AWARDED,
        entity_type="freight_outreach",
        entity_id=outreach.id,
        venture_id=outreach.venture_id,
        detail={"load_id": load.id, "carrier_id": inp.carrier_id},
    )
    return outreach_view(uow, actor, outreach)
