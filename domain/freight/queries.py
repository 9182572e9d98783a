"""Freight reads. Each takes the Actor, applies scope in SQL (``domain.freight.access``), returns
views and paginates by cursor."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.roles import Role
from domain.db import UnitOfWork, pk
from domain.errors import Invalid, NotFound
from domain.freight import kpi
from domain.freight.access import (
    customer_clause,
    freight_venture_ids,
    get_customer,
    get_load,
    get_outreach,
    get_quote,
    load_clause,
    outreach_clause,
    quote_clause,
    require_freight_venture,
)
from domain.freight.models import (
    Carrier,
    Customer,
    Equipment,
    FreightKpiDaily,
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
from domain.freight.rules import (
    CONVERTIBLE_QUOTE_STATUSES,
    NEEDS_COVER,
    allowed_load_transitions,
    allowed_quote_transitions,
    carrier_problem,
    eligible_clause,
    fmcsa_failed,
    margin,
)
from domain.freight.schemas import (
    US_STATES,
    CarrierDetail,
    CarrierView,
    Choice,
    CustomerDetail,
    CustomerView,
    FreightDashboard,
    Headline,
    KpiDayView,
    KpiPoint,
    KpiTotals,
    LoadDetail,
    LoadEventView,
    LoadFormOptions,
    LoadView,
    OutreachSummary,
    OutreachView,
    QuoteView,
    RecipientView,
    TransitionOption,
)
from domain.org.models import Office, User, Venture, VentureUser
from domain.pagination import Page, SortKey, paginate
from domain.schemas import business_date_problem
from domain.settings import get_settings

log = logging.getLogger(__name__)

STATUS_LABELS: dict[LoadStatus, str] = {
    LoadStatus.OPEN: "Open",
    LoadStatus.WORKING: "Working",
    LoadStatus.AT_RISK: "At risk",
    LoadStatus.COVERED: "Covered",
    LoadStatus.IN_TRANSIT: "In transit",
    LoadStatus.DELIVERED: "Delivered",
    LoadStatus.FELL_OFF: "Fell off",
    LoadStatus.DORMANT: "Dormant",
    LoadStatus.LOST: "Lost",
}


# -- lookups shared by the views ------------------------------------------------------------------


def _by_id(uow: UnitOfWork, model: Any, ids: Iterable[int | None], *cols: Any) -> dict[int, Any]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = uow.session.execute(select(model.id, *cols).where(col(model.id).in_(wanted))).all()
    return {r[0]: (r[1] if len(cols) == 1 else tuple(r[1:])) for r in rows}


def user_names(uow: UnitOfWork, ids: Iterable[int | None]) -> dict[int, str]:
    return _by_id(uow, User, ids, User.name)


def load_views(uow: UnitOfWork, loads: Sequence[Load]) -> list[LoadView]:
    """Views of ``loads`` with the names they show, in a handful of batched lookups."""
    ventures = _by_id(uow, Venture, (x.venture_id for x in loads), Venture.code, Venture.currency)
    offices = _by_id(uow, Office, (x.office_id for x in loads), Office.name)
    customers = _by_id(uow, Customer, (x.customer_id for x in loads), Customer.name)
    carriers = _by_id(uow, Carrier, (x.carrier_id for x in loads), Carrier.name)
    users = user_names(uow, [u for x in loads for u in (x.sales_user_id, x.dispatcher_user_id)])
    out = []
    for x in loads:
        code, currency = ventures.get(x.venture_id, ("?", "USD"))
        out.append(
            LoadView(
                id=pk(x),
                venture_id=x.venture_id,
                venture_code=code,
                currency=currency,
                office_id=x.office_id,
                office_name=offices.get(x.office_id, ""),
                reference=x.reference,
                customer_id=x.customer_id,
                customer_name=customers.get(x.customer_id, ""),
                carrier_id=x.carrier_id,
                carrier_name=carriers.get(x.carrier_id) if x.carrier_id else None,
                quote_id=x.quote_id,
                pickup_city=x.pickup_city,
                pickup_state=x.pickup_state,
                pickup_date=x.pickup_date,
                drop_city=x.drop_city,
                drop_state=x.drop_state,
                drop_date=x.drop_date,
                miles=x.miles,
                equipment=x.equipment,
                bill_amount=x.bill_amount,
                cost_amount=x.cost_amount,
                margin=margin(x.bill_amount, x.cost_amount).amount,
                margin_pct=margin(x.bill_amount, x.cost_amount).pct,
                sales_user_id=x.sales_user_id,
                sales_user_name=users.get(x.sales_user_id, ""),
                dispatcher_user_id=x.dispatcher_user_id,
                dispatcher_user_name=users.get(x.dispatcher_user_id)
                if x.dispatcher_user_id
                else None,
                status=x.status,
                created_at=x.created_at,
                updated_at=x.updated_at,
                covered_at=x.covered_at,
                delivered_at=x.delivered_at,
                lost_at=x.lost_at,
                billing_date=x.billing_date,
                lost_reason=x.lost_reason,
                lost_note=x.lost_note,
            )
        )
    return out


def load_view(uow: UnitOfWork, load: Load) -> LoadView:
    return load_views(uow, [load])[0]


def carrier_view(c: Carrier) -> CarrierView:
    problem = carrier_problem(c)
    return CarrierView(
        id=pk(c),
        mc_number=c.mc_number,
        dot_number=c.dot_number,
        name=c.name,
        equipment=c.equipment,
        phone=c.phone,
        email=c.email,
        home_state=c.home_state,
        is_active=c.is_active,
        is_blocked=c.is_blocked,
        blocked_reason=c.blocked_reason,
        authority_status=c.authority_status,
        safety_rating=c.safety_rating,
        insurance_on_file=c.insurance_on_file,
        fmcsa_checked_at=c.fmcsa_checked_at,
        fmcsa_failed=fmcsa_failed(c),
        eligible=problem is None,
        ineligible_reason=problem,
    )


def require_carrier_access(uow: UnitOfWork, actor: Actor, action: str) -> None:
    """Carriers are global, but only staff of a freight venture work with them."""
    actor.require(action)
    if not freight_venture_ids(uow, actor):
        raise NotFound("carrier")


# -- loads ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadFilter:
    venture_id: int | None = None  # the header's venture filter
    statuses: Sequence[LoadStatus] = ()
    office_id: int | None = None
    customer_id: int | None = None
    carrier_id: int | None = None
    sales_user_id: int | None = None
    date_from: date | None = None  # inclusive
    date_to: date | None = None  # inclusive
    date_field: str = "created"  # created (business date) | pickup
    search: str | None = None  # part of the reference, case-insensitive
    mine: bool = False  # loads the actor sells or dispatches
    needs_cover: bool = False  # the coverage board


LOAD_ORDER = (SortKey(Load.created_at), SortKey(Load.id))


def _tz_for(uow: UnitOfWork, venture_id: int | None) -> str:
    if venture_id is not None:
        venture = uow.session.get(Venture, venture_id)
        if venture is not None:
            return venture.timezone
    return get_settings().group_timezone


def filtered_loads(uow: UnitOfWork, actor: Actor, f: LoadFilter) -> Any:
    """The scoped, filtered statement behind ``list_loads`` (no order, no limit)."""
    stmt = select(Load).where(load_clause(uow, actor, f.venture_id))
    if f.statuses:
        stmt = stmt.where(col(Load.status).in_(sorted(set(f.statuses))))
    if f.needs_cover:
        stmt = stmt.where(col(Load.status).in_(sorted(NEEDS_COVER)))
    if f.office_id is not None:
        stmt = stmt.where(col(Load.office_id) == f.office_id)
    if f.customer_id is not None:
        stmt = stmt.where(col(Load.customer_id) == f.customer_id)
    if f.carrier_id is not None:
        stmt = stmt.where(col(Load.carrier_id) == f.carrier_id)
    if f.sales_user_id is not None:
        stmt = stmt.where(col(Load.sales_user_id) == f.sales_user_id)
    if f.mine:
        stmt = stmt.where(
            or_(
                col(Load.sales_user_id) == actor.user_id,
                col(Load.dispatcher_user_id) == actor.user_id,
            )
        )
    if f.date_from is not None or f.date_to is not None:
        _check_dates(date_from=f.date_from, date_to=f.date_to)
        if f.date_field == "pickup":
            if f.date_from is not None:
                stmt = stmt.where(col(Load.pickup_date) >= f.date_from)
            if f.date_to is not None:
                stmt = stmt.where(col(Load.pickup_date) <= f.date_to)
        elif f.date_field == "created":
            tz = _tz_for(uow, f.venture_id)
            if f.date_from is not None:
                stmt = stmt.where(col(Load.created_at) >= clock.day_bounds_utc(f.date_from, tz)[0])
            if f.date_to is not None:
                stmt = stmt.where(col(Load.created_at) < clock.day_bounds_utc(f.date_to, tz)[1])
        else:
            raise Invalid.field("date_field", "must be created or pickup")
    if f.search and f.search.strip():
        term = f.search.strip().upper().replace("%", "").replace("_", "")
        stmt = stmt.where(col(Load.reference).contains(term))
    return stmt


def list_loads(
    uow: UnitOfWork,
    actor: Actor,
    filters: LoadFilter | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[LoadView]:
    """Loads in scope, newest first (created_at desc, id desc), keyset-paginated."""
    actor.require("freight.loads.read")
    f = filters or LoadFilter()
    page = paginate(
        uow.session,
        filtered_loads(uow, actor, f),
        LOAD_ORDER,
        lambda x: (x.created_at, x.id),
        cursor=cursor,
        limit=limit,
    )
    return Page(load_views(uow, page.items), page.next_cursor, page.has_more)


def transition_options(actor: Actor, load: Load) -> list[TransitionOption]:
    """The status buttons this actor may press on this load now."""
    if not actor.can("freight.loads.update", load.venture_id):
        return []
    return [
        TransitionOption(
            status=s,
            label=STATUS_LABELS[s],
            needs_carrier=s is LoadStatus.COVERED and load.carrier_id is None,
            needs_lost_reason=s is LoadStatus.LOST,
        )
        for s in allowed_load_transitions(load.status)
    ]


def load_timeline(uow: UnitOfWork, load_id: int) -> list[LoadEventView]:
    events = list(
        uow.session.execute(
            select(LoadEvent)
            .where(col(LoadEvent.load_id) == load_id)
            .order_by(col(LoadEvent.at), col(LoadEvent.id))
        ).scalars()
    )
    names = user_names(uow, (e.user_id for e in events))
    return [
        LoadEventView(
            id=pk(e),
            at=e.at,
            from_status=e.from_status,
            to_status=e.to_status,
            user_id=e.user_id,
            user_name=names.get(e.user_id) if e.user_id else None,
            note=e.note,
        )
        for e in events
    ]


def get_load_detail(uow: UnitOfWork, actor: Actor, load_id: int) -> LoadDetail:
    """Everything the load page shows: the load, its timeline, the allowed buttons."""
    load = get_load(uow, actor, load_id)
    outreach_rows = uow.session.execute(
        select(Outreach)
        .where(col(Outreach.load_id) == load.id)
        .order_by(col(Outreach.created_at).desc(), col(Outreach.id).desc())
    ).scalars()
    outreach = list(outreach_rows) if actor.can("freight.outreach.read") else []
    senders = user_names(uow, (o.sent_by_id for o in outreach))
    open_for_cover = load.status in NEEDS_COVER and load.carrier_id is None
    return LoadDetail(
        load=load_view(uow, load),
        timeline=load_timeline(uow, pk(load)),
        allowed_transitions=transition_options(actor, load),
        can_edit=actor.can("freight.loads.update", load.venture_id)
        and load.status not in (LoadStatus.DELIVERED, LoadStatus.LOST),
        can_send_outreach=open_for_cover and actor.can("freight.outreach.send", load.venture_id),
        can_award=open_for_cover and actor.can("freight.outreach.award", load.venture_id),
        outreach=[
            OutreachSummary(
                id=pk(o),
                channel=o.channel,
                created_at=o.created_at,
                sent_by_name=senders.get(o.sent_by_id, ""),
                sent_count=o.sent_count,
                failed_count=o.failed_count,
                awarded_carrier_id=o.awarded_carrier_id,
            )
            for o in outreach
        ],
        lost_reasons=list(LostReason),
    )


def outreach_template(load: LoadView) -> str:
    """A suggested outreach message for the send form."""
    lane = f"{load.pickup_city}, {load.pickup_state} -> {load.drop_city}, {load.drop_state}"
    miles = f", {load.miles} mi" if load.miles else ""
    return (
        f"Load {load.reference}: {lane}{miles}, "
        f"{load.equipment.value.replace('_', ' ').lower()}, pickup {load.pickup_date:%b %d}. "
        f"Reply YES with your rate to book."
    )


def load_form_options(uow: UnitOfWork, actor: Actor, venture_id: int) -> LoadFormOptions:
    """Choices of the load form in ``venture_id`` (offices, customers, users), already narrowed
    to what ``create_load``/``update_load`` would accept from this actor."""
    venture = require_freight_venture(uow, actor, venture_id)
    actor.require("freight.loads.create", venture_id)
    offices = uow.session.execute(
        select(Office)
        .where(col(Office.venture_id) == venture_id, col(Office.is_active).is_(True))
        .order_by(col(Office.name))
    ).scalars()
    customers = uow.session.execute(
        select(Customer.id, Customer.name)
        .where(col(Customer.venture_id) == venture_id, col(Customer.is_active).is_(True))
        .order_by(col(Customer.name), col(Customer.id))
        .limit(500)
    ).all()
    members = list(
        uow.session.execute(
            select(User)
            .join(VentureUser, col(VentureUser.user_id) == User.id)
            .where(col(VentureUser.venture_id) == venture_id, col(User.is_active).is_(True))
            .order_by(col(User.name))
        ).scalars()
    )
    can_assign = actor.can("freight.loads.assign", venture_id)
    me = Choice(id=actor.user_id, label=actor.name or actor.email)
    sales = [Choice(id=pk(u), label=u.name) for u in members] if can_assign else [me]
    if can_assign and all(c.id != actor.user_id for c in sales):
        sales.insert(0, me)
    return LoadFormOptions(
        venture_id=pk(venture),
        offices=[
            Choice(id=pk(o), label=o.name)
            for o in offices
            if actor.scope.allows_office(o.id, venture_id)
        ],
        customers=[Choice(id=int(i), label=str(n)) for i, n in customers],
        sales_users=sales,
        dispatchers=[Choice(id=pk(u), label=u.name) for u in members if u.role is Role.DISPATCHER],
        equipment=list(Equipment),
        states=sorted(US_STATES),
        can_assign=can_assign,
    )


# -- customers ------------------------------------------------------------------------------------


def customer_views(uow: UnitOfWork, customers: Sequence[Customer]) -> list[CustomerView]:
    ventures = _by_id(uow, Venture, (c.venture_id for c in customers), Venture.code)
    users = user_names(uow, [u for c in customers for u in (c.sales_user_id, c.csr_user_id)])
    return [
        CustomerView(
            id=pk(c),
            venture_id=c.venture_id,
            venture_code=ventures.get(c.venture_id, "?"),
            name=c.name,
            code=c.code,
            sales_user_id=c.sales_user_id,
            sales_user_name=users.get(c.sales_user_id) if c.sales_user_id else None,
            csr_user_id=c.csr_user_id,
            csr_user_name=users.get(c.csr_user_id) if c.csr_user_id else None,
            is_active=c.is_active,
            created_at=c.created_at,
        )
        for c in customers
    ]


def list_customers(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    search: str | None = None,
    active_only: bool = False,
    mine: bool = False,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[CustomerView]:
    """Customers of the freight ventures in scope, by name."""
    actor.require("freight.customers.read")
    stmt = select(Customer).where(customer_clause(uow, actor, venture_id))
    if search and search.strip():
        term = f"%{search.strip().lower()}%"
        stmt = stmt.where(
            func.lower(col(Customer.name)).like(term) | func.lower(col(Customer.code)).like(term)
        )
    if active_only:
        stmt = stmt.where(col(Customer.is_active).is_(True))
    if mine:
        stmt = stmt.where(
            (col(Customer.sales_user_id) == actor.user_id)
            | (col(Customer.csr_user_id) == actor.user_id)
        )
    keys = [SortKey(Customer.name, descending=False), SortKey(Customer.id, descending=False)]
    page = paginate(uow.session, stmt, keys, lambda c: (c.name, c.id), cursor=cursor, limit=limit)
    return Page(customer_views(uow, page.items), page.next_cursor, page.has_more)


def get_customer_detail(uow: UnitOfWork, actor: Actor, customer_id: int) -> CustomerDetail:
    customer = get_customer(uow, actor, customer_id)
    loads: list[LoadView] = []
    if actor.can("freight.loads.read"):
        loads = list_loads(
            uow,
            actor,
            LoadFilter(venture_id=customer.venture_id, customer_id=pk(customer)),
            limit=20,
        ).items
    quotes: list[QuoteView] = []
    if actor.can("freight.quotes.read"):
        quotes = list_quotes(
            uow,
            actor,
            venture_id=customer.venture_id,
            customer_id=pk(customer),
            statuses=[
                QuoteStatus.DRAFT,
                QuoteStatus.SENT,
                QuoteStatus.NO_RESPONSE,
                QuoteStatus.COUNTERED,
                QuoteStatus.ACCEPTED,
            ],
            limit=20,
        ).items
    return CustomerDetail(
        customer=customer_views(uow, [customer])[0], recent_loads=loads, open_quotes=quotes
    )


# -- carriers -------------------------------------------------------------------------------------


def list_carriers(
    uow: UnitOfWork,
    actor: Actor,
    *,
    search: str | None = None,
    equipment: Equipment | None = None,
    home_state: str | None = None,
    eligible_only: bool = False,
    include_inactive: bool = True,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[CarrierView]:
    """Carriers by name; ``search`` matches name, MC or DOT number."""
    actor.require("freight.carriers.read")
    if not freight_venture_ids(uow, actor):
        return Page([], None, False)
    stmt = select(Carrier)
    if search and search.strip():
        raw = search.strip()
        term = f"%{raw.lower()}%"
        digits = raw.upper().removeprefix("MC").removeprefix("DOT").strip(" -#")
        stmt = stmt.where(
            func.lower(col(Carrier.name)).like(term)
            | (col(Carrier.mc_number) == digits)
            | (col(Carrier.dot_number) == digits)
        )
    if equipment is not None:
        stmt = stmt.where(col(Carrier.equipment) == equipment)
    if home_state:
        stmt = stmt.where(col(Carrier.home_state) == home_state.strip().upper())
    if eligible_only:
        stmt = stmt.where(eligible_clause())
    elif not include_inactive:
        stmt = stmt.where(col(Carrier.is_active).is_(True))
    keys = [SortKey(Carrier.name, descending=False), SortKey(Carrier.id, descending=False)]
    page = paginate(
        uow.session,
        stmt,
        keys,
        lambda c: (c.name, c.id),
        cursor=cursor,
        limit=limit,
        with_total=True,  # a few thousand carriers at most: the count is cheap
    )
    return page.map(carrier_view)


def get_carrier(uow: UnitOfWork, actor: Actor, carrier_id: int) -> Carrier:
    require_carrier_access(uow, actor, "freight.carriers.read")
    carrier = uow.session.get(Carrier, carrier_id)
    if carrier is None:
        raise NotFound("carrier", carrier_id)
    return carrier


def get_carrier_detail(uow: UnitOfWork, actor: Actor, carrier_id: int) -> CarrierDetail:
    carrier = get_carrier(uow, actor, carrier_id)
    loads: list[LoadView] = []
    delivered = 0
    if actor.can("freight.loads.read"):
        loads = list_loads(uow, actor, LoadFilter(carrier_id=carrier_id), limit=20).items
        delivered = uow.session.execute(
            select(func.count()).where(
                col(Load.carrier_id) == carrier_id,
                col(Load.status) == LoadStatus.DELIVERED,
                load_clause(uow, actor),
            )
        ).scalar_one()
    received = 0
    if actor.can("freight.outreach.read"):
        received = uow.session.execute(
            select(func.count())
            .select_from(OutreachRecipient)
            .join(Outreach, col(Outreach.id) == OutreachRecipient.outreach_id)
            .where(col(OutreachRecipient.carrier_id) == carrier_id, outreach_clause(uow, actor))
        ).scalar_one()
    return CarrierDetail(
        carrier=carrier_view(carrier),
        recent_loads=loads,
        loads_delivered=delivered,
        outreach_received=received,
    )


def eligible_carriers_for_load(
    uow: UnitOfWork,
    actor: Actor,
    load_id: int,
    *,
    search: str | None = None,
    same_equipment: bool = True,
    channel: OutreachChannel | None = None,
    limit: int = 50,
) -> list[CarrierView]:
    """Carriers that may cover ``load_id`` (the cover dialog, the outreach picker)."""
    load = get_load(uow, actor, load_id)
    actor.require("freight.carriers.read")
    stmt = select(Carrier).where(eligible_clause())
    if same_equipment:
        stmt = stmt.where(col(Carrier.equipment) == load.equipment)
    if channel is OutreachChannel.SMS:
        stmt = stmt.where(col(Carrier.phone).is_not(None))
    elif channel is OutreachChannel.EMAIL:
        stmt = stmt.where(col(Carrier.email).is_not(None))
    if search and search.strip():
        stmt = stmt.where(func.lower(col(Carrier.name)).like(f"%{search.strip().lower()}%"))
    # Carriers based in the pickup state first, then by name.
    home_first = (col(Carrier.home_state) == load.pickup_state).desc()
    rows = uow.session.execute(
        stmt.order_by(home_first, col(Carrier.name), col(Carrier.id)).limit(min(limit, 200))
    ).scalars()
    return [carrier_view(c) for c in rows]


# -- quotes ---------------------------------------------------------------------------------------


def quote_views(uow: UnitOfWork, actor: Actor, quotes: Sequence[FreightQuote]) -> list[QuoteView]:
    ventures = _by_id(uow, Venture, (q.venture_id for q in quotes), Venture.code, Venture.currency)
    customers = _by_id(uow, Customer, (q.customer_id for q in quotes), Customer.name)
    users = user_names(uow, (q.sales_user_id for q in quotes))
    ids = [pk(q) for q in quotes]
    loads: dict[int, int] = {}
    if ids:
        loads = {
            int(qid): int(lid)
            for qid, lid in uow.session.execute(
                select(Load.quote_id, Load.id).where(col(Load.quote_id).in_(ids))
            )
        }
    out = []
    for q in quotes:
        code, currency = ventures.get(q.venture_id, ("?", "USD"))
        manage = actor.can("freight.quotes.manage", q.venture_id)
        out.append(
            QuoteView(
                id=pk(q),
                venture_id=q.venture_id,
                venture_code=code,
                currency=currency,
                customer_id=q.customer_id,
                customer_name=customers.get(q.customer_id, ""),
                sales_user_id=q.sales_user_id,
                sales_user_name=users.get(q.sales_user_id, ""),
                pickup_city=q.pickup_city,
                pickup_state=q.pickup_state,
                drop_city=q.drop_city,
                drop_state=q.drop_state,
                pickup_date=q.pickup_date,
                miles=q.miles,
                equipment=q.equipment,
                quoted_rate=q.quoted_rate,
                status=q.status,
                expires_at=q.expires_at,
                sent_at=q.sent_at,
                converted_at=q.converted_at,
                load_id=loads.get(pk(q)),
                created_at=q.created_at,
                allowed_transitions=allowed_quote_transitions(q.status) if manage else [],
                can_convert=manage
                and q.status in CONVERTIBLE_QUOTE_STATUSES
                and actor.can("freight.loads.create", q.venture_id),
            )
        )
    return out


def list_quotes(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    statuses: Sequence[QuoteStatus] = (),
    customer_id: int | None = None,
    sales_user_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[QuoteView]:
    """Quotes in scope, newest first."""
    actor.require("freight.quotes.read")
    stmt = select(FreightQuote).where(quote_clause(uow, actor, venture_id))
    if statuses:
        stmt = stmt.where(col(FreightQuote.status).in_(sorted(set(statuses))))
    if customer_id is not None:
        stmt = stmt.where(col(FreightQuote.customer_id) == customer_id)
    if sales_user_id is not None:
        stmt = stmt.where(col(FreightQuote.sales_user_id) == sales_user_id)
    keys = [SortKey(FreightQuote.created_at), SortKey(FreightQuote.id)]
    page = paginate(
        uow.session, stmt, keys, lambda q: (q.created_at, q.id), cursor=cursor, limit=limit
    )
    return Page(quote_views(uow, actor, page.items), page.next_cursor, page.has_more)


def get_quote_view(uow: UnitOfWork, actor: Actor, quote_id: int) -> QuoteView:
    return quote_views(uow, actor, [get_quote(uow, actor, quote_id)])[0]


# -- outreach -------------------------------------------------------------------------------------


def outreach_view(uow: UnitOfWork, actor: Actor, o: Outreach) -> OutreachView:
    load = uow.session.get(Load, o.load_id)
    assert load is not None
    recipients = list(
        uow.session.execute(
            select(OutreachRecipient)
            .where(col(OutreachRecipient.outreach_id) == o.id)
            .order_by(col(OutreachRecipient.id))
        ).scalars()
    )
    carriers = _by_id(
        uow, Carrier, [r.carrier_id for r in recipients] + [o.awarded_carrier_id], Carrier.name
    )
    names = user_names(uow, [o.sent_by_id])
    return OutreachView(
        id=pk(o),
        venture_id=o.venture_id,
        load_id=o.load_id,
        load_reference=load.reference,
        load_status=load.status,
        channel=o.channel,
        subject=o.subject,
        body=o.body,
        sent_by_id=o.sent_by_id,
        sent_by_name=names.get(o.sent_by_id, ""),
        created_at=o.created_at,
        sent_count=o.sent_count,
        failed_count=o.failed_count,
        awarded_carrier_id=o.awarded_carrier_id,
        awarded_carrier_name=carriers.get(o.awarded_carrier_id) if o.awarded_carrier_id else None,
        awarded_at=o.awarded_at,
        recipients=[
            RecipientView(
                carrier_id=r.carrier_id,
                carrier_name=carriers.get(r.carrier_id, ""),
                address=r.address,
                status=r.status,
                error=r.error,
                provider_message_id=r.provider_message_id,
                sent_at=r.sent_at,
            )
            for r in recipients
        ],
        can_award=o.awarded_carrier_id is None
        and load.carrier_id is None
        and load.status in NEEDS_COVER
        and any(r.status is RecipientStatus.SENT for r in recipients)
        and actor.can("freight.outreach.award", o.venture_id),
    )


def list_outreach(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    load_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[OutreachView]:
    actor.require("freight.outreach.read")
    stmt = select(Outreach).where(outreach_clause(uow, actor, venture_id))
    if load_id is not None:
        stmt = stmt.where(col(Outreach.load_id) == load_id)
    keys = [SortKey(Outreach.created_at), SortKey(Outreach.id)]
    page = paginate(
        uow.session, stmt, keys, lambda o: (o.created_at, o.id), cursor=cursor, limit=limit
    )
    return Page([outreach_view(uow, actor, o) for o in page.items], page.next_cursor, page.has_more)


def get_outreach_view(uow: UnitOfWork, actor: Actor, outreach_id: int) -> OutreachView:
    return outreach_view(uow, actor, get_outreach(uow, actor, outreach_id))


# -- KPI ------------------------------------------------------------------------------------------


def _kpi_day_view(r: FreightKpiDaily | kpi.KpiRow) -> KpiDayView:
    return KpiDayView(
        venture_id=r.venture_id,
        day=r.day,
        loads_created=r.loads_created,
        loads_covered=r.loads_covered,
        loads_delivered=r.loads_delivered,
        loads_lost=r.loads_lost,
        revenue=r.revenue,
        cost=r.cost,
        profit=r.profit,
        margin_pct=r.margin_pct,
        coverage_rate=r.coverage_rate,
        active_customers=r.active_customers,
        active_carriers=r.active_carriers,
    )


@dataclass
class _KpiRead:
    rows: list[KpiDayView]
    computed: list[date] = field(default_factory=list)


def _dashboard_ventures(uow: UnitOfWork, actor: Actor, venture_id: int | None) -> list[Venture]:
    ids = freight_venture_ids(uow, actor)
    if venture_id is not None:
        if venture_id not in ids:
            raise NotFound("venture", venture_id)
        ids = [venture_id]
    if not ids:
        return []
    return list(
        uow.session.execute(
            select(Venture).where(col(Venture.id).in_(ids)).order_by(col(Venture.id))
        )
        .scalars()
        .all()
    )


def _read_kpi(
    uow: UnitOfWork, ventures: list[Venture], start: date, end: date, *, fill_missing: bool
) -> _KpiRead:
    ids = [pk(v) for v in ventures]
    stored = [
        _kpi_day_view(r)
        for r in uow.session.execute(
            select(FreightKpiDaily).where(
                col(FreightKpiDaily.venture_id).in_(ids),
                col(FreightKpiDaily.day) >= start,
                col(FreightKpiDaily.day) <= end,
            )
        ).scalars()
    ]
    if not fill_missing:
        return _KpiRead(stored)
    have = {(r.venture_id, r.day) for r in stored}
    # Days that have not happened yet in a venture's timezone are not "missing".
    missing: dict[int, list[date]] = defaultdict(list)
    for v in ventures:
        last = min(end, clock.today(v.timezone))
        d = start
        while d <= last:
            if (pk(v), d) not in have:
                missing[pk(v)].append(d)
            d += timedelta(days=1)
    if not missing:
        return _KpiRead(stored)
    computed: list[kpi.KpiRow] = []
    conn = uow.session.connection()
    tzs = {pk(v): v.timezone for v in ventures}
    for vid, days in missing.items():
        lo, hi = min(days), max(days)
        frames = kpi.extract_sqlalchemy(conn, [vid], kpi.Window.of({vid: tzs[vid]}, lo, hi))
        rows = kpi.compute_kpi(frames, {vid: tzs[vid]}, lo, hi)
        wanted = set(days)
        computed += [r for r in rows if r.day in wanted]
    _store_computed(uow, computed)
    return _KpiRead(
        stored + [_kpi_day_view(r) for r in computed], sorted({r.day for r in computed})
    )


def _store_computed(uow: UnitOfWork, rows: list[kpi.KpiRow]) -> None:
    """Store days computed for a dashboard so they are computed once. Best effort: the page shows
    the numbers either way, and the nightly job would store them too."""
    from domain.db import is_sqlite

    if not rows:
        return
    engine = uow.engine
    by_venture: dict[int, list[kpi.KpiRow]] = defaultdict(list)
    for r in rows:
        by_venture[r.venture_id].append(r)
    bind = uow.session.get_bind()
    holds_write_lock = is_sqlite(engine) and (
        bind.get_execution_options().get("sqlite_begin") == "IMMEDIATE"
    )
    try:
        if holds_write_lock:  # a second SQLite writer would wait on our own lock
            conn = uow.session.connection()
            for vid, vrows in by_venture.items():
                for r in vrows:
                    kpi.write_rows(conn, [r], [vid], r.day, r.day, None)
            return
        with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
            for vid, vrows in by_venture.items():
                kpi._lock_ventures(conn, [vid])
                for r in vrows:
                    kpi.write_rows(conn, [r], [vid], r.day, r.day, None)
    except Exception:
        log.exception("could not store computed freight KPI days")


def kpi_days(
    uow: UnitOfWork,
    actor: Actor,
    start: date,
    end: date,
    *,
    venture_id: int | None = None,
    fill_missing: bool = False,
) -> list[KpiDayView]:
    """FreightKpiDaily rows of the ventures in scope (or one), by venture and day."""
    actor.require("freight.dashboard.read")
    _check_range(start, end)
    ventures = _dashboard_ventures(uow, actor, venture_id)
    if not ventures:
        return []
    read = _read_kpi(uow, ventures, start, end, fill_missing=fill_missing)
    return sorted(read.rows, key=lambda r: (r.venture_id, r.day))


MAX_DASHBOARD_DAYS = 731


def _check_dates(**dates: date | None) -> None:
    """Business-date arguments within the bounds every input obeys (domain.schemas)."""
    errors = {
        name: problem
        for name, value in dates.items()
        if value is not None and (problem := business_date_problem(value))
    }
    if errors:
        raise Invalid(errors)


def _check_range(start: date, end: date) -> None:
    _check_dates(start=start, end=end)
    if end < start:
        raise Invalid.field("end", "must be on or after the start date")
    if (end - start).days >= MAX_DASHBOARD_DAYS:
        raise Invalid.field("start", f"the range is limited to {MAX_DASHBOARD_DAYS} days")


def _totals(rows: list[KpiDayView], start: date, end: date, last_day: date) -> KpiTotals:
    def total(name: str) -> Any:
        return sum((getattr(r, name) for r in rows), start=0)

    revenue = sum((r.revenue for r in rows), start=Decimal("0.00"))
    cost = sum((r.cost for r in rows), start=Decimal("0.00"))
    profit = sum((r.profit for r in rows), start=Decimal("0.00"))
    created, covered = total("loads_created"), total("loads_covered")
    last = [r for r in rows if r.day == last_day]
    return KpiTotals(
        start=start,
        end=end,
        loads_created=created,
        loads_covered=covered,
        loads_delivered=total("loads_delivered"),
        loads_lost=total("loads_lost"),
        revenue=revenue,
        cost=cost,
        profit=profit,
        margin_pct=kpi.rate(profit, revenue),
        coverage_rate=kpi.rate(covered, created),
        active_customers=sum(r.active_customers for r in last),
        active_carriers=sum(r.active_carriers for r in last),
    )


HEADLINES = (
    ("loads_created", "Loads created", "count"),
    ("loads_covered", "Loads covered", "count"),
    ("loads_delivered", "Loads delivered", "count"),
    ("loads_lost", "Loads lost", "count"),
    ("revenue", "Revenue", "money"),
    ("profit", "Profit", "money"),
    ("margin_pct", "Margin", "ratio"),
    ("coverage_rate", "Coverage", "ratio"),
    ("active_customers", "Active customers", "count"),
    ("active_carriers", "Active carriers", "count"),
)


def _headline(metric: str, label: str, kind: str, cur: KpiTotals, prev: KpiTotals) -> Headline:
    a, b = getattr(cur, metric), getattr(prev, metric)
    value = None if a is None else Decimal(a)
    previous = None if b is None else Decimal(b)
    if kind == "ratio":
        change = None if value is None or previous is None else value - previous
    else:
        change = kpi.rate((value or 0) - (previous or 0), previous)
    return Headline(
        metric=metric, label=label, kind=kind, value=value, previous=previous, change=change
    )


def freight_dashboard(
    uow: UnitOfWork,
    actor: Actor,
    start: date | None = None,
    end: date | None = None,
    *,
    venture_id: int | None = None,
) -> FreightDashboard:
    """The freight dashboard: headline numbers of [start, end] (default the last 30 days) against
    the previous period of the same length, and one point per day for the charts. Reads only
    FreightKpiDaily; a missing day is computed once, stored, and listed in ``computed_now``."""
    actor.require("freight.dashboard.read")
    ventures = _dashboard_ventures(uow, actor, venture_id)
    tz = ventures[0].timezone if len(ventures) == 1 else get_settings().group_timezone
    _check_dates(start=start, end=end)  # before any arithmetic with them
    end = end or clock.today(tz)
    start = start or end - timedelta(days=29)
    _check_range(start, end)
    length = (end - start).days + 1
    prev_end = start - timedelta(days=1)
    prev_start = prev_end - timedelta(days=length - 1)
    currencies = sorted({v.currency for v in ventures})
    if len(currencies) > 1:
        raise Invalid.field(
            "venture_id",
            "the ventures in view report in different currencies ("
            + ", ".join(currencies)
            + "): choose one venture",
        )
    read = (
        _read_kpi(uow, ventures, prev_start, end, fill_missing=True) if ventures else _KpiRead([])
    )
    current_rows = [r for r in read.rows if r.day >= start]
    previous_rows = [r for r in read.rows if r.day < start]
    current = _totals(current_rows, start, end, end)
    previous = _totals(previous_rows, prev_start, prev_end, prev_end)
    by_day: dict[date, list[KpiDayView]] = defaultdict(list)
    for r in current_rows:
        by_day[r.day].append(r)
    series = []
    d = start
    while d <= end:
        t = _totals(by_day.get(d, []), d, d, d)
        series.append(KpiPoint(**t.model_dump(exclude={"start", "end"}), day=d))
        d += timedelta(days=1)
    return FreightDashboard(
        start=start,
        end=end,
        previous_start=prev_start,
        previous_end=prev_end,
        venture_ids=[pk(v) for v in ventures],
        currency=currencies[0] if currencies else None,
        current=current,
        previous=previous,
        headlines=[_headline(m, label, k, current, previous) for m, label, k in HEADLINES],
        series=series,
        computed_now=[d for d in read.computed if d >= prev_start],
    )


__all__ = [
    "LOAD_ORDER",
    "STATUS_LABELS",
    "LoadFilter",
    "RecipientStatus",
    "carrier_problem",
    "carrier_view",
    "eligible_carriers_for_load",
    "eligible_clause",
    "freight_dashboard",
    "get_carrier",
    "get_carrier_detail",
    "get_customer_detail",
    "get_load_detail",
    "get_outreach_view",
    "get_quote_view",
    "kpi_days",
    "list_carriers",
    "list_customers",
    "list_loads",
    "list_outreach",
    "list_quotes",
    "load_form_options",
    "load_view",
    "load_views",
    "outreach_template",
]
