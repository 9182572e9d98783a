"""Hospitality reads: hotels, hotel KPI days, reviews and disputes (cursor lists, in scope)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.errors import Invalid
from domain.hospitality.access import (
    dispute_clause,
    get_dispute,
    get_review,
    hotel_clause,
    hotel_office_clause,
    review_clause,
)
from domain.hospitality.models import (
    DisputeStatus,
    HotelDispute,
    HotelKpiDaily,
    HotelProperty,
    HotelReview,
    ReviewSource,
)
from domain.hospitality.schemas import DisputeView, HotelKpiView, HotelView, ReviewView
from domain.hospitality.views import dispute_views, hotel_view, kpi_views, review_views
from domain.pagination import Page, SortKey, paginate


def list_hotels(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[HotelView]:
    """The hotels of the hospitality ventures in scope, by code."""
    actor.require("hospitality.hotels.read")
    stmt = select(HotelProperty).where(hotel_clause(uow, actor, venture_id))
    keys = [SortKey(HotelProperty.code, descending=False), SortKey(HotelProperty.id, False)]
    page = paginate(uow.session, stmt, keys, lambda h: (h.code, h.id), cursor=cursor, limit=limit)
    return page.map(hotel_view)


def list_hotel_kpi(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    hotel_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[HotelKpiView]:
    """Hotel KPI days of the hotels the actor works with, newest day first."""
    actor.require("hospitality.kpi.read")
    hotels = select(HotelProperty.id).where(hotel_office_clause(uow, actor, venture_id))
    stmt = select(HotelKpiDaily).where(col(HotelKpiDaily.hotel_id).in_(hotels))
    if hotel_id is not None:
        stmt = stmt.where(col(HotelKpiDaily.hotel_id) == hotel_id)
    if start is not None:
        stmt = stmt.where(col(HotelKpiDaily.day) >= start)
    if end is not None:
        stmt = stmt.where(col(HotelKpiDaily.day) <= end)
    keys = [SortKey(HotelKpiDaily.day), SortKey(HotelKpiDaily.id)]
    page = paginate(uow.session, stmt, keys, lambda r: (r.day, r.id), cursor=cursor, limit=limit)
    return Page(kpi_views(uow, page.items), page.next_cursor, page.has_more)


@dataclass(frozen=True)
class ReviewFilter:
    venture_id: int | None = None
    hotel_id: int | None = None
    unanswered: bool = False
    max_rating: int | None = None  # 3: "rating <= 3"
    sources: Sequence[ReviewSource] = ()


def list_reviews(
    uow: UnitOfWork,
    actor: Actor,
    filters: ReviewFilter | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[ReviewView]:
    """Reviews of the hotels the actor works with, newest review first."""
    actor.require("hospitality.reviews.read")
    f = filters or ReviewFilter()
    stmt = select(HotelReview).where(review_clause(uow, actor, f.venture_id))
    if f.hotel_id is not None:
        stmt = stmt.where(col(HotelReview.hotel_id) == f.hotel_id)
    if f.unanswered:
        stmt = stmt.where(col(HotelReview.responded_at).is_(None))
    if f.max_rating is not None:
        if not 1 <= f.max_rating <= 5:
            raise Invalid.field("max_rating", "must be between 1 and 5")
        stmt = stmt.where(col(HotelReview.rating) <= f.max_rating)
    if f.sources:
        stmt = stmt.where(col(HotelReview.source).in_(sorted(set(f.sources))))
    keys = [SortKey(HotelReview.review_date), SortKey(HotelReview.id)]
    page = paginate(
        uow.session, stmt, keys, lambda r: (r.review_date, r.id), cursor=cursor, limit=limit
    )
    return Page(review_views(uow, page.items), page.next_cursor, page.has_more)


def get_review_view(uow: UnitOfWork, actor: Actor, review_id: int) -> ReviewView:
    return review_views(uow, [get_review(uow, actor, review_id)])[0]


def list_disputes(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    hotel_id: int | None = None,
    statuses: Sequence[DisputeStatus] = (),
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[DisputeView]:
    """Disputes of the hotels the actor works with, newest first."""
    actor.require("hospitality.disputes.read")
    stmt = select(HotelDispute).where(dispute_clause(uow, actor, venture_id))
    if hotel_id is not None:
        stmt = stmt.where(col(HotelDispute.hotel_id) == hotel_id)
    if statuses:
        stmt = stmt.where(col(HotelDispute.status).in_(sorted(set(statuses))))
    keys = [SortKey(HotelDispute.created_at), SortKey(HotelDispute.id)]
    page = paginate(
        uow.session, stmt, keys, lambda d: (d.created_at, d.id), cursor=cursor, limit=limit
    )
    return Page(dispute_views(uow, page.items), page.next_cursor, page.has_more)


def get_dispute_view(uow: UnitOfWork, actor: Actor, dispute_id: int) -> DisputeView:
    return dispute_views(uow, [get_dispute(uow, actor, dispute_id)])[0]
