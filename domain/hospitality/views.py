"""Rows -> views (the hotel and people names looked up once per page, not once per row)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from domain.db import UnitOfWork, pk
from domain.hospitality.models import HotelDispute, HotelKpiDaily, HotelProperty, HotelReview
from domain.hospitality.rules import hotel_ratios
from domain.hospitality.schemas import DisputeView, HotelKpiView, HotelView, ReviewView
from domain.org.models import User


def hotel_view(hotel: HotelProperty) -> HotelView:
    return HotelView.model_validate(hotel)


def _hotels(uow: UnitOfWork, ids: set[int]) -> dict[int, HotelProperty]:
    if not ids:
        return {}
    rows = uow.session.execute(select(HotelProperty).where(col(HotelProperty.id).in_(ids)))
    return {pk(h): h for h in rows.scalars()}


def _names(uow: UnitOfWork, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = uow.session.execute(select(User.id, User.name).where(col(User.id).in_(wanted)))
    return {int(i): str(n) for i, n in rows}


def kpi_views(uow: UnitOfWork, rows: Sequence[HotelKpiDaily]) -> list[HotelKpiView]:
    hotels = _hotels(uow, {r.hotel_id for r in rows})
    out = []
    for r in rows:
        h = hotels[r.hotel_id]
        ratios = hotel_ratios(r.rooms_available, r.rooms_sold, r.room_revenue)
        out.append(
            HotelKpiView(
                id=pk(r),
                hotel_id=r.hotel_id,
                hotel_code=h.code,
                hotel_name=h.name,
                venture_id=r.venture_id,
                day=r.day,
                rooms_available=r.rooms_available,
                rooms_sold=r.rooms_sold,
                room_revenue=r.room_revenue,
                other_revenue=r.other_revenue,
                total_revenue=r.room_revenue + r.other_revenue,
                cancellations=r.cancellations,
                no_shows=r.no_shows,
                occupancy=ratios.occupancy,
                adr=ratios.adr,
                revpar=ratios.revpar,
            )
        )
    return out


def review_views(uow: UnitOfWork, rows: Sequence[HotelReview]) -> list[ReviewView]:
    hotels = _hotels(uow, {r.hotel_id for r in rows})
    names = _names(uow, {r.responded_by_id for r in rows})
    return [
        ReviewView(
            id=pk(r),
            hotel_id=r.hotel_id,
            hotel_code=hotels[r.hotel_id].code,
            hotel_name=hotels[r.hotel_id].name,
            venture_id=r.venture_id,
            source=r.source,
            external_id=r.external_id,
            rating=r.rating,
            review_date=r.review_date,
            reviewer_name=r.reviewer_name,
            text=r.text,
            response_text=r.response_text,
            responded_by_id=r.responded_by_id,
            responded_by_name=names.get(r.responded_by_id) if r.responded_by_id else None,
            responded_at=r.responded_at,
        )
        for r in rows
    ]


def dispute_views(uow: UnitOfWork, rows: Sequence[HotelDispute]) -> list[DisputeView]:
    hotels = _hotels(uow, {r.hotel_id for r in rows})
    names = _names(uow, {r.owner_id for r in rows})
    return [
        DisputeView(
            id=pk(r),
            hotel_id=r.hotel_id,
            hotel_code=hotels[r.hotel_id].code,
            hotel_name=hotels[r.hotel_id].name,
            venture_id=r.venture_id,
            type=r.type,
            channel=r.channel,
            reference=r.reference,
            amount=r.amount,
            currency=r.currency,
            evidence_due_date=r.evidence_due_date,
            owner_id=r.owner_id,
            owner_name=names.get(r.owner_id) if r.owner_id else None,
            description=r.description,
            status=r.status,
            created_at=r.created_at,
            resolved_at=r.resolved_at,
            resolved_by_id=r.resolved_by_id,
            outcome_note=r.outcome_note,
        )
        for r in rows
    ]
