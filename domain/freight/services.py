"""Freight use cases. Each: validate -> authorize (scope) -> change -> record events -> audit, in
the caller's unit of work (one transaction); handlers run after it commits."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.access.roles import ALL, ROLE_SCOPES
from domain.db import UnitOfWork, pk
from domain.errors import Conflict, Invalid, NotFound, Unique, duplicates_as_conflict
from domain.events.outbox import record
from domain.freight.access import (
    freight_venture_ids,
    get_customer,
    get_load,
    get_outreach,
    get_quote,
    require_freight_venture,
)
from domain.freight.audit import FreightAudit
from domain.freight.events import (
    LoadCovered,
    LoadDelivered,
    LoadLost,
    OutreachAwarded,
    OutreachSent,
    QuoteConverted,
)
from domain.freight.models import (
    Carrier,
    Customer,
    FreightQuote,
    Load,
    LoadEvent,
    LoadStatus,
    LostReason,
    Outreach,
    OutreachChannel,
    OutreachRecipient,
    QuoteStatus,
    RecipientStatus,
)
from domain.freight.queries import (
    carrier_problem,
    carrier_view,
    customer_views,
    get_carrier,
    load_view,
    outreach_view,
    quote_views,
    require_carrier_access,
)
from domain.freight.schemas import (
    AwardInput,
    CarrierBlockInput,
    CarrierInput,
    CarrierPatch,
    CarrierView,
    ConvertInput,
    CustomerInput,
    CustomerPatch,
    CustomerView,
    FmcsaSnapshotInput,
    LoadInput,
    LoadPatch,
    LoadView,
    OutreachInput,
    OutreachPreview,
    OutreachPreviewRecipient,
    OutreachView,
    QuoteInput,
    QuotePatch,
    QuoteStatusInput,
    QuoteView,
    TransitionInput,
)
from domain.freight.transitions import (
    CONVERTIBLE_QUOTE_STATUSES,
    NEEDS_COVER,
    TERMINAL_LOAD_STATUSES,
    check_load_transition,
    check_quote_transition,
)
from domain.integrations.email import EmailSender, get_email_sender
from domain.integrations.sms import SmsSender, get_sms_sender
from domain.org.models import Office, OfficeUser, User, Venture, VentureUser
from domain.schemas import parse

# -- shared checks --------------------------------------------------------------------------------


def _is_member(uow: UnitOfWork, user_id: int, venture_id: int) -> User | None:
    """The active user if they work in the venture (a member, or a role that sees all ventures)."""
    user = uow.session.get(User, user_id)
    if user is None or not user.is_active or user.is_service_account:
        return None
    if ROLE_SCOPES[user.role][0] == ALL:
        return user
    member = uow.session.execute(
        select(VentureUser.id).where(
            VentureUser.user_id == user_id, VentureUser.venture_id == venture_id
        )
    ).first()
    return user if member else None


def _check_user(
    uow: UnitOfWork, errors: dict[str, str], field: str, user_id: int | None, venture: Venture
) -> None:
    if user_id is not None and _is_member(uow, user_id, pk(venture)) is None:
        errors[field] = f"is not an active member of {venture.code}"


def _check_sales_user(
    uow: UnitOfWork,
    actor: Actor,
    errors: dict[str, str],
    sales_user_id: int,
    venture: Venture,
    *,
    changed: bool = True,
) -> None:
    if not changed:
        return
    if sales_user_id != actor.user_id and not actor.can("freight.loads.assign", pk(venture)):
        errors["sales_user_id"] = "you can only credit yourself (ask a manager to reassign)"
        return
    _check_user(uow, errors, "sales_user_id", sales_user_id, venture)


def _check_office(
    uow: UnitOfWork, actor: Actor, errors: dict[str, str], office_id: int, venture: Venture
) -> None:
    office = uow.session.get(Office, office_id)
    if office is None or office.venture_id != venture.id:
        errors["office_id"] = f"is not an office of {venture.code}"
    elif not office.is_active:
        errors["office_id"] = f"{office.name} is not active"
    elif not actor.scope.allows_office(office.id, venture.id):
        errors["office_id"] = f"{office.name} is not one of your offices"


def _check_customer(
    uow: UnitOfWork, errors: dict[str, str], customer_id: int, venture: Venture
) -> Customer | None:
    customer = uow.session.get(Customer, customer_id)
    if customer is None or customer.venture_id != venture.id:
        errors["customer_id"] = f"is not a customer of {venture.code}"
        return None
    if not customer.is_active:
        errors["customer_id"] = f"{customer.name} is not an active customer"
        return None
    return customer


def _reference_taken(uow: UnitOfWork, venture_id: int, reference: str) -> bool:
    stmt = select(Load.id).where(Load.venture_id == venture_id, Load.reference == reference)
    return uow.session.execute(stmt).first() is not None


def _new_reference(uow: UnitOfWork, venture: Venture) -> str:
    while True:
        ref = f"{venture.code}-{secrets.token_hex(3).upper()}"
        if not _reference_taken(uow, pk(venture), ref):
            return ref


# The unique keys a user can hit. The database decides (a check before the insert would race):
# a duplicate is a Conflict naming the field, and nothing of the use case is written.
def _reference_key(venture: Venture) -> Unique:
    return Unique(
        "freight_load",
        ("venture_id", "reference"),
        "reference",
        f"is already used by another load of {venture.code}",
    )


_QUOTE_CONVERTED = Unique(
    "freight_load", ("quote_id",), "quote_id", "this quote was converted at the same moment"
)
_CARRIER_NUMBERS = (
    Unique("freight_carrier", ("mc_number",), "mc_number", "is already used by another carrier"),
    Unique("freight_carrier", ("dot_number",), "dot_number", "is already used by another carrier"),
)


def _customer_code_key(venture: Venture) -> Unique:
    return Unique(
        "freight_customer",
        ("venture_id", "code"),
        "code",
        f"is already used by another customer of {venture.code}",
    )


def _venture(uow: UnitOfWork, venture_id: int) -> Venture:
    venture = uow.session.get(Venture, venture_id)
    assert venture is not None
    return venture


# -- customers ------------------------------------------------------------------------------------


def create_customer(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | CustomerInput
) -> CustomerView:
    inp = parse(CustomerInput, data)
    venture = require_freight_venture(uow, actor, inp.venture_id)
    actor.require("freight.customers.manage", pk(venture))
    errors: dict[str, str] = {}
    _check_user(uow, errors, "sales_user_id", inp.sales_user_id, venture)
    _check_user(uow, errors, "csr_user_id", inp.csr_user_id, venture)
    if errors:
        raise Invalid(errors)
    customer = Customer(**inp.model_dump())
    with duplicates_as_conflict(uow.session, _customer_code_key(venture)):
        uow.session.add(customer)
    audit(
        uow,
        actor,
        FreightAudit.CUSTOMER_CREATED,
        entity_type="freight_customer",
        entity_id=customer.id,
        venture_id=customer.venture_id,
        detail={"code": customer.code, "name": customer.name},
    )
    return customer_views(uow, [customer])[0]


def update_customer(
    uow: UnitOfWork, actor: Actor, customer_id: int, data: Mapping[str, Any] | CustomerPatch
) -> CustomerView:
    customer = get_customer(uow, actor, customer_id)
    actor.require("freight.customers.manage", customer.venture_id)
    changes = parse(CustomerPatch, data).model_dump(exclude_unset=True)
    venture = _venture(uow, customer.venture_id)
    errors: dict[str, str] = {}
    for required in ("name", "code", "is_active"):
        if required in changes and changes[required] is None:
            errors[required] = "cannot be empty"
    _check_user(uow, errors, "sales_user_id", changes.get("sales_user_id"), venture)
    _check_user(uow, errors, "csr_user_id", changes.get("csr_user_id"), venture)
    if errors:
        raise Invalid(errors)
    before = {k: getattr(customer, k) for k in changes}
    with duplicates_as_conflict(uow.session, _customer_code_key(venture)):
        for key, value in changes.items():
            setattr(customer, key, value)
    audit(
        uow,
        actor,
        FreightAudit.CUSTOMER_UPDATED,
        entity_type="freight_customer",
        entity_id=customer.id,
        venture_id=customer.venture_id,
        detail={"before": before, "after": changes},
    )
    return customer_views(uow, [customer])[0]


# -- carriers -------------------------------------------------------------------------------------


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
    changes = parse(CarrierPatch, data).model_dump(exclude_unset=True)
    errors: dict[str, str] = {
        k: "cannot be empty"
        for k in ("name", "equipment", "is_active")
        if k in changes and changes[k] is None
    }
    if errors:
        raise Invalid(errors)
    before = {k: getattr(carrier, k) for k in changes}
    for key, value in changes.items():
        setattr(carrier, key, value)
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


# -- loads ----------------------------------------------------------------------------------------


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
    if inp.drop_date < inp.pickup_date:
        errors["drop_date"] = "must be on or after the pickup date"
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
    changes = parse(LoadPatch, data).model_dump(exclude_unset=True)
    if load.status in TERMINAL_LOAD_STATUSES:
        raise Conflict(f"A {load.status.value} load is final and cannot be edited.")
    venture = _venture(uow, load.venture_id)
    errors: dict[str, str] = {}
    for required in (
        "office_id",
        "customer_id",
        "pickup_city",
        "pickup_state",
        "pickup_date",
        "drop_city",
        "drop_state",
        "drop_date",
        "equipment",
        "sales_user_id",
    ):
        if required in changes and changes[required] is None:
            errors[required] = "cannot be empty"
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
    if drop < pickup:
        errors["drop_date"] = "must be on or after the pickup date"
    if errors:
        raise Invalid(errors)
    changes = {k: v for k, v in changes.items() if getattr(load, k) != v}
    if not changes:
        return load_view(uow, load)
    before = {k: getattr(load, k) for k in changes}
    with duplicates_as_conflict(uow.session, _reference_key(venture)):
        for key, value in changes.items():
            setattr(load, key, value)
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


# -- quotes ---------------------------------------------------------------------------------------


def create_quote(uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | QuoteInput) -> QuoteView:
    inp = parse(QuoteInput, data)
    venture = require_freight_venture(uow, actor, inp.venture_id)
    actor.require("freight.quotes.manage", pk(venture))
    errors: dict[str, str] = {}
    _check_customer(uow, errors, inp.customer_id, venture)
    sales_user_id = inp.sales_user_id or actor.user_id
    _check_sales_user(uow, actor, errors, sales_user_id, venture)
    if inp.expires_at is not None and inp.expires_at <= clock.now():
        errors["expires_at"] = "must be in the future"
    if errors:
        raise Invalid(errors)
    now = clock.now()
    quote = FreightQuote(
        **inp.model_dump(exclude={"sales_user_id"}),
        sales_user_id=sales_user_id,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(quote)
    uow.flush()
    audit(
        uow,
        actor,
        FreightAudit.QUOTE_CREATED,
        entity_type="freight_quote",
        entity_id=quote.id,
        venture_id=quote.venture_id,
        detail={"customer_id": quote.customer_id, "quoted_rate": quote.quoted_rate},
    )
    return quote_views(uow, actor, [quote])[0]


EDITABLE_QUOTES = frozenset(
    {QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.NO_RESPONSE, QuoteStatus.COUNTERED}
)


def update_quote(
    uow: UnitOfWork, actor: Actor, quote_id: int, data: Mapping[str, Any] | QuotePatch
) -> QuoteView:
    quote = get_quote(uow, actor, quote_id)
    actor.require("freight.quotes.manage", quote.venture_id)
    changes = parse(QuotePatch, data).model_dump(exclude_unset=True)
    if quote.status not in EDITABLE_QUOTES:
        raise Conflict(f"A {quote.status.value} quote cannot be edited.")
    venture = _venture(uow, quote.venture_id)
    errors: dict[str, str] = {}
    for required in (
        "customer_id",
        "sales_user_id",
        "pickup_city",
        "pickup_state",
        "drop_city",
        "drop_state",
        "equipment",
        "quoted_rate",
    ):
        if required in changes and changes[required] is None:
            errors[required] = "cannot be empty"
    if changes.get("customer_id") not in (None, quote.customer_id):
        _check_customer(uow, errors, changes["customer_id"], venture)
    if changes.get("sales_user_id") is not None:
        _check_sales_user(
            uow,
            actor,
            errors,
            changes["sales_user_id"],
            venture,
            changed=changes["sales_user_id"] != quote.sales_user_id,
        )
    if changes.get("expires_at") is not None and changes["expires_at"] <= clock.now():
        errors["expires_at"] = "must be in the future"
    if errors:
        raise Invalid(errors)
    before = {k: getattr(quote, k) for k in changes}
    for key, value in changes.items():
        setattr(quote, key, value)
    quote.updated_at = clock.now()
    audit(
        uow,
        actor,
        FreightAudit.QUOTE_UPDATED,
        entity_type="freight_quote",
        entity_id=quote.id,
        venture_id=quote.venture_id,
        detail={"before": before, "after": changes},
    )
    return quote_views(uow, actor, [quote])[0]


def set_quote_status(
    uow: UnitOfWork, actor: Actor, quote_id: int, data: Mapping[str, Any] | QuoteStatusInput
) -> QuoteView:
    quote = get_quote(uow, actor, quote_id)
    actor.require("freight.quotes.manage", quote.venture_id)
    target = parse(QuoteStatusInput, data).status
    source = quote.status
    if check_quote_transition(source, target):
        now = clock.now()
        quote.status = target
        quote.updated_at = now
        if target is QuoteStatus.SENT:
            quote.sent_at = now
        audit(
            uow,
            actor,
            FreightAudit.QUOTE_STATUS_CHANGED,
            entity_type="freight_quote",
            entity_id=quote.id,
            venture_id=quote.venture_id,
            detail={"from": source.value, "to": target.value},
        )
    return quote_views(uow, actor, [quote])[0]


def _default_office(uow: UnitOfWork, venture_id: int, user_id: int) -> int | None:
    office_id = uow.session.execute(
        select(Office.id)
        .join(OfficeUser, col(OfficeUser.office_id) == Office.id)
        .where(
            OfficeUser.user_id == user_id,
            Office.venture_id == venture_id,
            col(Office.is_active).is_(True),
        )
        .order_by(col(Office.id))
        .limit(1)
    ).scalar_one_or_none()
    if office_id is None:
        office_id = uow.session.execute(
            select(Office.id)
            .where(Office.venture_id == venture_id, col(Office.is_active).is_(True))
            .order_by(col(Office.id))
            .limit(1)
        ).scalar_one_or_none()
    return office_id


def convert_quote(
    uow: UnitOfWork,
    actor: Actor,
    quote_id: int,
    data: Mapping[str, Any] | ConvertInput | None = None,
) -> LoadView:
    """Turn an ACCEPTED or BOOKED quote into a load (the quote becomes BOOKED). Converting again
    returns the same load and changes nothing."""
    inp = parse(ConvertInput, data or {})
    quote = get_quote(uow, actor, quote_id)
    actor.require("freight.quotes.manage", quote.venture_id)
    # Lock the quote so two concurrent conversions cannot both create a load (PostgreSQL).
    uow.session.execute(
        select(FreightQuote.id).where(col(FreightQuote.id) == quote.id).with_for_update()
    )
    existing = uow.session.execute(
        select(Load).where(col(Load.quote_id) == quote.id)
    ).scalar_one_or_none()
    if existing is not None:
        return load_view(uow, existing)
    if quote.status not in CONVERTIBLE_QUOTE_STATUSES:
        raise Conflict(
            f"Only an ACCEPTED or BOOKED quote can become a load; this one is {quote.status.value}."
        )
    actor.require("freight.loads.create", quote.venture_id)
    venture = require_freight_venture(uow, actor, quote.venture_id)
    errors: dict[str, str] = {}
    office_id = inp.office_id or _default_office(uow, pk(venture), quote.sales_user_id)
    if office_id is None:
        errors["office_id"] = f"{venture.code} has no active office"
    elif inp.office_id is not None:
        _check_office(uow, actor, errors, office_id, venture)
    _check_customer(uow, errors, quote.customer_id, venture)
    pickup = inp.pickup_date or quote.pickup_date or clock.today(venture.timezone)
    drop = inp.drop_date or pickup + timedelta(days=max(0, (quote.miles or 0) // 550))
    if drop < pickup:
        errors["drop_date"] = "must be on or after the pickup date"
    if errors:
        raise Invalid(errors)
    assert office_id is not None
    now = clock.now()
    load = Load(
        venture_id=quote.venture_id,
        office_id=office_id,
        reference=inp.reference or _new_reference(uow, venture),
        customer_id=quote.customer_id,
        quote_id=pk(quote),
        pickup_city=quote.pickup_city,
        pickup_state=quote.pickup_state,
        pickup_date=pickup,
        drop_city=quote.drop_city,
        drop_state=quote.drop_state,
        drop_date=drop,
        miles=quote.miles,
        equipment=quote.equipment,
        bill_amount=quote.quoted_rate,
        sales_user_id=quote.sales_user_id,
        created_by_id=actor.user_id,
        status=LoadStatus.OPEN,
        created_at=now,
        updated_at=now,
    )
    with duplicates_as_conflict(uow.session, _reference_key(venture), _QUOTE_CONVERTED):
        uow.session.add(load)
    uow.session.add(
        LoadEvent(
            load_id=pk(load),
            at=now,
            to_status=LoadStatus.OPEN,
            user_id=actor.user_id,
            note=f"Converted from quote #{quote.id}",
        )
    )
    previous = quote.status
    quote.status = QuoteStatus.BOOKED
    quote.converted_at = now
    quote.updated_at = now
    record(
        uow,
        QuoteConverted(
            venture_id=quote.venture_id,
            quote_id=pk(quote),
            load_id=pk(load),
            sales_user_id=quote.sales_user_id,
            user_id=actor.user_id,
        ),
    )
    audit(
        uow,
        actor,
        FreightAudit.QUOTE_CONVERTED,
        entity_type="freight_quote",
        entity_id=quote.id,
        venture_id=quote.venture_id,
        detail={"load_id": load.id, "reference": load.reference, "from": previous.value},
    )
    return load_view(uow, load)


def expire_quotes(uow: UnitOfWork, actor: Actor) -> int:
    """Housekeeping: SENT quotes past ``expires_at`` become NO_RESPONSE. Returns how many."""
    actor.require("freight.quotes.manage")
    ventures = freight_venture_ids(uow, actor)
    if not ventures:
        return 0
    now = clock.now()
    ids = list(
        uow.session.execute(
            select(FreightQuote.id).where(
                col(FreightQuote.venture_id).in_(ventures),
                col(FreightQuote.status) == QuoteStatus.SENT,
                col(FreightQuote.expires_at).is_not(None),
                col(FreightQuote.expires_at) <= now,
            )
        ).scalars()
    )
    if not ids:
        return 0
    uow.session.execute(
        update(FreightQuote)
        .where(col(FreightQuote.id).in_(ids), col(FreightQuote.status) == QuoteStatus.SENT)
        .values(status=QuoteStatus.NO_RESPONSE, updated_at=now)
    )
    audit(
        uow,
        actor,
        FreightAudit.QUOTE_EXPIRED,
        entity_type="freight_quote",
        detail={"count": len(ids), "quote_ids": ids[:200]},
    )
    return len(ids)


# -- outreach -------------------------------------------------------------------------------------


def _address(carrier: Carrier, channel: OutreachChannel) -> str | None:
    return carrier.phone if channel is OutreachChannel.SMS else carrier.email


def send_outreach(
    uow: UnitOfWork,
    actor: Actor,
    data: Mapping[str, Any] | OutreachInput,
    *,
    sms_sender: SmsSender | None = None,
    email_sender: EmailSender | None = None,
) -> OutreachView | OutreachPreview:
    """Send a message about a load to 1-50 eligible carriers and store each recipient's status.

    A dry run validates and returns what would be sent; nothing is written or sent. Sending to an
    OPEN load starts working it (OPEN -> WORKING). OutreachSent is raised when at least one
    recipient got the message.
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
    now = clock.now()
    outreach = Outreach(
        venture_id=load.venture_id,
        load_id=pk(load),
        channel=inp.channel,
        subject=inp.subject,
        body=inp.body,
        sent_by_id=actor.user_id,
        created_at=now,
    )
    uow.session.add(outreach)
    uow.flush()
    sms = sms_sender or (get_sms_sender() if inp.channel is OutreachChannel.SMS else None)
    mail = email_sender or (get_email_sender() if inp.channel is OutreachChannel.EMAIL else None)
    for carrier_id in inp.carrier_ids:
        carrier = carriers[carrier_id]
        address = _address(carrier, inp.channel) or ""
        status, provider_id, error = RecipientStatus.SENT, None, None
        try:
            if inp.channel is OutreachChannel.SMS:
                assert sms is not None
                provider_id = sms.send(address, inp.body)
            else:
                assert mail is not None
                mail.send(address, inp.subject or "", inp.body)
        except Exception as exc:  # one carrier's failure does not stop the others
            status, error = RecipientStatus.FAILED, f"{type(exc).__name__}: {exc}"[:500]
        uow.session.add(
            OutreachRecipient(
                outreach_id=pk(outreach),
                carrier_id=carrier_id,
                address=address,
                status=status,
                provider_message_id=provider_id,
                error=error,
                sent_at=clock.now(),
            )
        )
        if status is RecipientStatus.SENT:
            outreach.sent_count += 1
        else:
            outreach.failed_count += 1
    if load.status is LoadStatus.OPEN and outreach.sent_count:
        _apply_transition(
            uow,
            actor,
            load,
            _Change(
                target=LoadStatus.WORKING,
                note=f"Outreach sent to {outreach.sent_count} carrier(s)",
            ),
        )
    if outreach.sent_count:
        record(
            uow,
            OutreachSent(
                venture_id=load.venture_id,
                outreach_id=pk(outreach),
                load_id=pk(load),
                sender_user_id=actor.user_id,
                sent_count=outreach.sent_count,
                failed_count=outreach.failed_count,
            ),
        )
    audit(
        uow,
        actor,
        FreightAudit.OUTREACH_SENT,
        entity_type="freight_outreach",
        entity_id=outreach.id,
        venture_id=load.venture_id,
        detail={
            "load_id": load.id,
            "channel": inp.channel.value,
            "sent": outreach.sent_count,
            "failed": outreach.failed_count,
        },
    )
    uow.flush()
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
