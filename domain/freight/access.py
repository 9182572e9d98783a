"""Who sees which freight rows: the scope rules of freight in one place, as SQL clauses.

- Only LOGISTICS and TRANSPORT ventures hold freight data; every clause is limited to the freight
  ventures in the actor's scope (a row in any other venture is never read).
- Non-manager roles (EMPLOYEE, CSR, DISPATCHER, CARRIER_TEAM, CONTRACTOR) see the loads they own
  (sales user, dispatcher or creator) or whose customer is assigned to them; DISPATCHER and
  CARRIER_TEAM also see the coverage board (loads still needing a carrier) of their ventures.
- Roles with assigned offices that are not non-manager (OFFICE_MANAGER, TEAM_LEAD, FINANCE,
  ACCOUNTING) see the loads of their offices.
- Customers and carriers are reference data: every freight role sees the customers of its
  ventures, and carriers are global.

A row out of scope answers ``NotFound`` exactly like a missing row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, true
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.access.roles import Role
from domain.db import UnitOfWork
from domain.errors import Invalid, NotFound
from domain.freight.models import (
    FREIGHT_VENTURE_TYPES,
    Carrier,
    Customer,
    FreightQuote,
    Load,
    Outreach,
)
from domain.freight.rules import NEEDS_COVER
from domain.org.models import Venture
from domain.org.schemas import VentureView

COVERAGE_BOARD_ROLES = frozenset({Role.DISPATCHER, Role.CARRIER_TEAM})


def freight_ventures_clause(actor: Actor) -> ColumnElement[bool]:
    """The freight ventures in the actor's scope, as one condition on Venture."""
    return and_(
        col(Venture.type).in_(sorted(FREIGHT_VENTURE_TYPES)),
        actor.scope.venture_clause(Venture.id),
    )


def freight_venture_ids(uow: UnitOfWork, actor: Actor, *, active_only: bool = False) -> list[int]:
    """Ids of the freight ventures in the actor's scope."""
    stmt = select(Venture.id).where(freight_ventures_clause(actor))
    if active_only:
        stmt = stmt.where(col(Venture.is_active).is_(True))
    return sorted(uow.session.execute(stmt).scalars())


def freight_ventures_for(uow: UnitOfWork, actor: Actor, action: str) -> list[VentureView]:
    """The active freight ventures in scope where the actor may do ``action`` (the choices of a
    "new load" or "new quote" form), by name."""
    from domain.org.queries import list_ventures

    freight = set(freight_venture_ids(uow, actor, active_only=True))
    return [v for v in list_ventures(uow, actor) if v.id in freight and actor.can(action, v.id)]


def _in(column: Any, ids: list[int]) -> ColumnElement[bool]:
    if not ids:
        return false()
    if len(ids) == 1:
        return col(column) == ids[0]
    return col(column).in_(ids)


def venture_filter(
    uow: UnitOfWork, actor: Actor, column: Any, venture_id: int | None = None
) -> ColumnElement[bool]:
    """``column`` limited to the freight ventures in scope, narrowed to ``venture_id`` if given
    (a venture out of scope or of another type simply matches nothing)."""
    ids = freight_venture_ids(uow, actor)
    if venture_id is not None:
        ids = [venture_id] if venture_id in ids else []
    return _in(column, ids)


def _own_customers(user_id: int) -> Any:
    return select(Customer.id).where(
        or_(col(Customer.sales_user_id) == user_id, col(Customer.csr_user_id) == user_id)
    )


def own_customer_ids(uow: UnitOfWork, actor: Actor) -> list[int]:
    """The customers assigned to the actor (sales or CSR): their loads are the actor's too."""
    return sorted(uow.session.execute(_own_customers(actor.user_id)).scalars())


# Up to this many assigned customers, the load list seeks each one's loads by itself.
SEEK_EACH_CUSTOMER = 40


def own_load_predicates(
    actor: Actor, customer_ids: list[int] | None = None
) -> list[ColumnElement[bool]] | None:
    """The ways a non-manager may see a load inside their ventures (sold, dispatched, created,
    a customer assigned to them; the coverage board for DISPATCHER and CARRIER_TEAM), or None for
    the roles that see by venture and office. ``load_clause`` ORs them; the load list seeks each
    with its own index instead (an OR would walk the whole venture for someone who owns little),
    given the actor's ``customer_ids`` (one seek per customer while they are few)."""
    if not actor.sees_only_own_work:
        return None
    uid = actor.user_id
    own = [
        col(Load.sales_user_id) == uid,
        col(Load.dispatcher_user_id) == uid,
        col(Load.created_by_id) == uid,
    ]
    if customer_ids is None:
        own.append(col(Load.customer_id).in_(_own_customers(uid)))
    elif len(customer_ids) <= SEEK_EACH_CUSTOMER:
        own += [col(Load.customer_id) == c for c in customer_ids]
    else:
        own.append(col(Load.customer_id).in_(customer_ids))
    if actor.role in COVERAGE_BOARD_ROLES:
        own.append(col(Load.status).in_(sorted(NEEDS_COVER)))
    return own


def load_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None, *, own: bool = True
) -> ColumnElement[bool]:
    """The loads ``actor`` may see (optionally in one venture), as one SQL condition.
    ``own=False`` leaves out the own-work rule for a caller that applies it itself, one of
    ``own_load_predicates`` at a time."""
    clause = venture_filter(uow, actor, Load.venture_id, venture_id)
    predicates = own_load_predicates(actor)
    if predicates is not None:
        return clause & or_(*predicates) if own else clause
    if not actor.scope.all_offices:
        return clause & actor.scope.office_clause(Load.office_id)
    return clause


def get_load(uow: UnitOfWork, actor: Actor, load_id: int, *, for_update: bool = False) -> Load:
    """The load if it exists and the actor may see it; NotFound otherwise (same message)."""
    actor.require("freight.loads.read")
    stmt = select(Load).where(col(Load.id) == load_id, load_clause(uow, actor))
    if for_update:
        stmt = stmt.with_for_update()
    load = uow.session.execute(stmt).scalar_one_or_none()
    if load is None:
        raise NotFound("load", load_id)
    return load


def customer_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    return venture_filter(uow, actor, Customer.venture_id, venture_id)


def get_customer(uow: UnitOfWork, actor: Actor, customer_id: int) -> Customer:
    actor.require("freight.customers.read")
    customer = uow.session.execute(
        select(Customer).where(col(Customer.id) == customer_id, customer_clause(uow, actor))
    ).scalar_one_or_none()
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer


def quote_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    clause = venture_filter(uow, actor, FreightQuote.venture_id, venture_id)
    if actor.sees_only_own_work:
        uid = actor.user_id
        return clause & or_(
            col(FreightQuote.sales_user_id) == uid,
            col(FreightQuote.created_by_id) == uid,
            col(FreightQuote.customer_id).in_(_own_customers(uid)),
        )
    return clause


def get_quote(uow: UnitOfWork, actor: Actor, quote_id: int) -> FreightQuote:
    actor.require("freight.quotes.read")
    quote = uow.session.execute(
        select(FreightQuote).where(col(FreightQuote.id) == quote_id, quote_clause(uow, actor))
    ).scalar_one_or_none()
    if quote is None:
        raise NotFound("quote", quote_id)
    return quote


def outreach_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    """Outreach is visible with its load (or to its sender)."""
    clause = venture_filter(uow, actor, Outreach.venture_id, venture_id)
    if actor.sees_only_own_work or not actor.scope.all_offices:
        visible_loads = select(Load.id).where(load_clause(uow, actor, venture_id))
        return clause & or_(
            col(Outreach.sent_by_id) == actor.user_id,
            col(Outreach.load_id).in_(visible_loads),
        )
    return clause


def get_outreach(uow: UnitOfWork, actor: Actor, outreach_id: int) -> Outreach:
    actor.require("freight.outreach.read")
    row = uow.session.execute(
        select(Outreach).where(col(Outreach.id) == outreach_id, outreach_clause(uow, actor))
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("outreach", outreach_id)
    return row


def require_freight_venture(
    uow: UnitOfWork, actor: Actor, venture_id: int, *, field: str = "venture_id"
) -> Venture:
    """A venture in scope that may hold freight (for creating rows in it).

    Out of scope or missing: NotFound. In scope but of another type: Invalid on ``field``.
    """
    venture = uow.session.get(Venture, venture_id)
    if venture is None or not actor.scope.allows_venture(venture.id):
        raise NotFound("venture", venture_id)
    if venture.type not in FREIGHT_VENTURE_TYPES:
        raise Invalid.field(
            field,
            f"{venture.code} is a {venture.type.value} venture: only LOGISTICS and TRANSPORT "
            f"ventures hold freight",
        )
    if not venture.is_active:
        raise Invalid.field(field, f"{venture.code} is not active")
    return venture


def has_freight_scope(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool]:
    """``true`` when the actor has any freight venture in scope (carriers are global, but only
    freight staff browse them)."""
    return true() if freight_venture_ids(uow, actor) else false()


# -- carriers (global: staff of a freight venture work with them) -----------------------------


def require_carrier_access(uow: UnitOfWork, actor: Actor, action: str) -> None:
    """Carriers are global, but only staff of a freight venture work with them."""
    actor.require(action)
    if not freight_venture_ids(uow, actor):
        raise NotFound("carrier")


def get_carrier(uow: UnitOfWork, actor: Actor, carrier_id: int) -> Carrier:
    require_carrier_access(uow, actor, "freight.carriers.read")
    carrier = uow.session.get(Carrier, carrier_id)
    if carrier is None:
        raise NotFound("carrier", carrier_id)
    return carrier
