"""Load reads: the list with filters and cursor, the load page (timeline, allowed buttons), the
load form's choices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.roles import Role
from domain.db import UnitOfWork, pk
from domain.errors import Invalid
from domain.freight.access import (
    get_load,
    load_clause,
    own_customer_ids,
    own_load_predicates,
    require_freight_venture,
)
from domain.freight.models import (
    Customer,
    Equipment,
    Load,
    LoadEvent,
    LoadStatus,
    LostReason,
    Outreach,
)
from domain.freight.rules import NEEDS_COVER, allowed_load_transitions, check_dates
from domain.freight.schemas import (
    US_STATES,
    Choice,
    LoadDetail,
    LoadEventView,
    LoadFormOptions,
    LoadView,
    OutreachSummary,
    TransitionOption,
)
from domain.freight.views import (
    STATUS_LABELS,
    _from_row,
    load_view,
    load_views,
    user_names,
)
from domain.org.models import User, Venture, VentureUser
from domain.org.queries import my_offices
from domain.pagination import Page, SortKey, paginate, paginate_union
from domain.settings import get_settings


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


def filtered_loads(uow: UnitOfWork, actor: Actor, f: LoadFilter, *, own: bool = True) -> Any:
    """The scoped, filtered statement behind ``list_loads`` (no order, no limit); ``own=False``
    leaves the own-work rule to the caller (``list_loads`` applies it one way at a time)."""
    stmt = select(Load).where(load_clause(uow, actor, f.venture_id, own=own))
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
        check_dates(date_from=f.date_from, date_to=f.date_to)
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
    own = (
        own_load_predicates(actor, own_customer_ids(uow, actor))
        if actor.sees_only_own_work
        else None
    )
    if own is None:
        page = paginate(
            uow.session,
            filtered_loads(uow, actor, f),
            LOAD_ORDER,
            lambda x: (x.created_at, x.id),
            cursor=cursor,
            limit=limit,
        )
    else:  # one index seek per way of owning a load, then the page of those candidates
        base = filtered_loads(uow, actor, f, own=False)
        page = paginate_union(
            uow.session,
            [base.where(predicate) for predicate in own],
            LOAD_ORDER,
            lambda x: (x.created_at, x.id),
            entity=Load,
            id_column=col(Load.id),
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
        _from_row(LoadEventView, e, id=pk(e), user_name=names.get(e.user_id) if e.user_id else None)
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
            _from_row(OutreachSummary, o, id=pk(o), sent_by_name=senders.get(o.sent_by_id, ""))
            for o in outreach
        ],
        lost_reasons=list(LostReason),
    )


def load_form_options(uow: UnitOfWork, actor: Actor, venture_id: int) -> LoadFormOptions:
    """Choices of the load form in ``venture_id`` (offices, customers, users), already narrowed
    to what ``create_load``/``update_load`` would accept from this actor."""
    venture = require_freight_venture(uow, actor, venture_id)
    actor.require("freight.loads.create", venture_id)
    offices = my_offices(uow, actor, [venture_id])  # what create_load accepts from this actor
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
        offices=[Choice(id=o.id, label=o.name) for o in offices],
        customers=[Choice(id=int(i), label=str(n)) for i, n in customers],
        sales_users=sales,
        dispatchers=[Choice(id=pk(u), label=u.name) for u in members if u.role is Role.DISPATCHER],
        equipment=list(Equipment),
        states=sorted(US_STATES),
        can_assign=can_assign,
    )
