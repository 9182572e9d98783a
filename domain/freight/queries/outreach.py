"""Outreach reads, and the suggested message of the send form."""

from __future__ import annotations

from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.freight.access import (
    get_outreach,
    outreach_clause,
)
from domain.freight.models import (
    Outreach,
)
from domain.freight.schemas import (
    LoadView,
    OutreachView,
)
from domain.freight.views import (
    outreach_view,
)
from domain.pagination import Page, SortKey, paginate


def outreach_template(load: LoadView) -> str:
    """A suggested outreach message for the send form."""
    lane = f"{load.pickup_city}, {load.pickup_state} -> {load.drop_city}, {load.drop_state}"
    miles = f", {load.miles} mi" if load.miles else ""
    return (
        f"Load {load.reference}: {lane}{miles}, "
        f"{load.equipment.value.replace('_', ' ').lower()}, pickup {load.pickup_date:%b %d}. "
        f"Reply YES with your rate to book."
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
