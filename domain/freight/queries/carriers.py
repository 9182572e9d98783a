"""Carrier reads (carriers are global; staff of a freight venture see them)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.freight.access import (
    freight_venture_ids,
    get_carrier,
    get_load,
    load_clause,
    outreach_clause,
)
from domain.freight.models import (
    Carrier,
    Equipment,
    Load,
    LoadStatus,
    Outreach,
    OutreachChannel,
    OutreachRecipient,
)
from domain.freight.queries.loads import LoadFilter, list_loads
from domain.freight.rules import eligible_clause
from domain.freight.schemas import (
    CarrierDetail,
    CarrierView,
    LoadView,
)
from domain.freight.views import (
    carrier_view,
)
from domain.pagination import Page, SortKey, paginate


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
