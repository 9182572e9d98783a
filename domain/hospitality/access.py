"""Who sees which hospitality rows: the scope rules of the wing in one place, as SQL clauses.

- Only HOSPITALITY ventures hold hotel data; every clause is limited to the hospitality ventures
  in the actor's scope (a row of any other venture is never read).
- Hotels are reference data: every hospitality role sees the hotels of its ventures.
- Hotel KPI days, reviews and disputes: roles with assigned offices (office managers, team
  leads, finance, accounting, and the non-manager roles such as the front desk) see those of the
  hotels of their offices; roles with every office of their ventures see the venture's.

A row out of scope answers ``NotFound`` exactly like a missing row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.errors import Invalid, NotFound
from domain.hospitality.models import (
    HOSPITALITY_VENTURE_TYPES,
    HotelDispute,
    HotelProperty,
    HotelReview,
)
from domain.org.models import Venture
from domain.org.schemas import VentureView


def hospitality_venture_ids(
    uow: UnitOfWork, actor: Actor, *, active_only: bool = False
) -> list[int]:
    """Ids of the hospitality ventures in the actor's scope."""
    stmt = select(Venture.id).where(
        col(Venture.type).in_(sorted(HOSPITALITY_VENTURE_TYPES)),
        actor.scope.venture_clause(Venture.id),
    )
    if active_only:
        stmt = stmt.where(col(Venture.is_active).is_(True))
    return sorted(uow.session.execute(stmt).scalars())


def hospitality_ventures_for(uow: UnitOfWork, actor: Actor, action: str) -> list[VentureView]:
    """The active hospitality ventures in scope where the actor may do ``action``, by name."""
    from domain.org.queries import list_ventures

    ids = set(hospitality_venture_ids(uow, actor, active_only=True))
    return [v for v in list_ventures(uow, actor) if v.id in ids and actor.can(action, v.id)]


def _in(column: Any, ids: list[int]) -> ColumnElement[bool]:
    if not ids:
        return false()
    if len(ids) == 1:
        return col(column) == ids[0]
    return col(column).in_(ids)


def venture_filter(
    uow: UnitOfWork, actor: Actor, column: Any, venture_id: int | None = None
) -> ColumnElement[bool]:
    """``column`` limited to the hospitality ventures in scope, narrowed to ``venture_id`` if
    given (a venture out of scope or of another type matches nothing)."""
    ids = hospitality_venture_ids(uow, actor)
    if venture_id is not None:
        ids = [venture_id] if venture_id in ids else []
    return _in(column, ids)


def office_rows_clause(
    uow: UnitOfWork,
    actor: Actor,
    venture_column: Any,
    office_column: Any,
    venture_id: int | None = None,
) -> ColumnElement[bool]:
    """Rows of the hotels of the actor's offices (every office for the roles that have all)."""
    clause = venture_filter(uow, actor, venture_column, venture_id)
    if not actor.scope.all_offices:
        clause = clause & actor.scope.office_clause(office_column)
    return clause


def hotel_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    return venture_filter(uow, actor, HotelProperty.venture_id, venture_id)


def hotel_office_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    """The hotels whose numbers, reviews and disputes the actor works with."""
    return office_rows_clause(
        uow, actor, HotelProperty.venture_id, HotelProperty.office_id, venture_id
    )


def review_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    return office_rows_clause(uow, actor, HotelReview.venture_id, HotelReview.office_id, venture_id)


def dispute_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    return office_rows_clause(
        uow, actor, HotelDispute.venture_id, HotelDispute.office_id, venture_id
    )


def get_hotel(uow: UnitOfWork, actor: Actor, hotel_id: int) -> HotelProperty:
    actor.require("hospitality.hotels.read")
    hotel = uow.session.execute(
        select(HotelProperty).where(col(HotelProperty.id) == hotel_id, hotel_clause(uow, actor))
    ).scalar_one_or_none()
    if hotel is None:
        raise NotFound("hotel", hotel_id)
    return hotel


def get_review(
    uow: UnitOfWork, actor: Actor, review_id: int, *, for_update: bool = False
) -> HotelReview:
    actor.require("hospitality.reviews.read")
    stmt = select(HotelReview).where(col(HotelReview.id) == review_id, review_clause(uow, actor))
    if for_update:
        stmt = stmt.with_for_update()
    review = uow.session.execute(stmt).scalar_one_or_none()
    if review is None:
        raise NotFound("review", review_id)
    return review


def get_dispute(
    uow: UnitOfWork, actor: Actor, dispute_id: int, *, for_update: bool = False
) -> HotelDispute:
    actor.require("hospitality.disputes.read")
    stmt = select(HotelDispute).where(
        col(HotelDispute.id) == dispute_id, dispute_clause(uow, actor)
    )
    if for_update:
        stmt = stmt.with_for_update()
    dispute = uow.session.execute(stmt).scalar_one_or_none()
    if dispute is None:
        raise NotFound("dispute", dispute_id)
    return dispute


def require_hospitality_venture(
    uow: UnitOfWork, actor: Actor, venture_id: int, *, field: str = "venture_id"
) -> Venture:
    """A venture in scope that may hold hotels. Out of scope or missing: NotFound; of another
    type or inactive: Invalid on ``field``."""
    venture = uow.session.get(Venture, venture_id)
    if venture is None or not actor.scope.allows_venture(venture.id):
        raise NotFound("venture", venture_id)
    if venture.type not in HOSPITALITY_VENTURE_TYPES:
        raise Invalid.field(
            field,
            f"{venture.code} is a {venture.type.value} venture: only HOSPITALITY ventures hold "
            f"hotels",
        )
    if not venture.is_active:
        raise Invalid.field(field, f"{venture.code} is not active")
    return venture


def require_hotel_for_work(
    uow: UnitOfWork, actor: Actor, hotel_id: int, action: str, *, field: str = "hotel_id"
) -> HotelProperty:
    """A hotel the actor works with (its office in scope) where they may do ``action``; a hotel
    out of scope is NotFound like a missing one."""
    actor.require(action)
    hotel = uow.session.execute(
        select(HotelProperty).where(
            col(HotelProperty.id) == hotel_id, hotel_office_clause(uow, actor)
        )
    ).scalar_one_or_none()
    if hotel is None:
        raise NotFound("hotel", hotel_id)
    actor.require(action, hotel.venture_id)
    return hotel
