"""Quote use cases: create, edit, status, conversion into a load, expiry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Conflict, Invalid, Unique, duplicates_as_conflict
from domain.events.outbox import record
from domain.freight.access import (
    freight_venture_ids,
    get_quote,
    require_freight_venture,
)
from domain.freight.audit import FreightAudit
from domain.freight.events import (
    QuoteConverted,
)
from domain.freight.models import (
    FreightQuote,
    Load,
    LoadEvent,
    LoadStatus,
    QuoteStatus,
)
from domain.freight.rules import EDITABLE_QUOTES, drop_date_problem
from domain.freight.schemas import (
    ConvertInput,
    LoadView,
    QuoteInput,
    QuotePatch,
    QuoteStatusInput,
    QuoteView,
)
from domain.freight.services._common import (
    _check_customer,
    _check_office,
    _check_sales_user,
    _new_reference,
    _reference_key,
    _venture,
)
from domain.freight.transitions import (
    CONVERTIBLE_QUOTE_STATUSES,
    check_quote_transition,
)
from domain.freight.views import load_view, quote_views
from domain.org.models import Office, OfficeUser
from domain.schemas import apply_patch, parse, patch_values


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


def update_quote(
    uow: UnitOfWork, actor: Actor, quote_id: int, data: Mapping[str, Any] | QuotePatch
) -> QuoteView:
    quote = get_quote(uow, actor, quote_id)
    actor.require("freight.quotes.manage", quote.venture_id)
    patch = parse(QuotePatch, data)
    if quote.status not in EDITABLE_QUOTES:
        raise Conflict(f"A {quote.status.value} quote cannot be edited.")
    changes = patch_values(patch)
    venture = _venture(uow, quote.venture_id)
    errors: dict[str, str] = {}
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
    before = apply_patch(quote, changes)
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


_QUOTE_CONVERTED = Unique(
    "freight_load", ("quote_id",), "quote_id", "this quote was converted at the same moment"
)


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
    if problem := drop_date_problem(pickup, drop):
        errors["drop_date"] = problem
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
