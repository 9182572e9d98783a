"""The hospitality domain events (spec/events-and-gamification.md). Payloads carry what handlers
need without reading the rows again (amounts as strings, business dates in the venture's
timezone)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.events.types import DomainEvent


class HotelKpiUploaded(DomainEvent):
    """HotelKpiDaily rows written (form or CSV): ``days`` are the distinct business dates touched
    (each recomputed once)."""

    type = "HotelKpiUploaded"
    venture_id: int
    days: list[date]
    hotel_ids: list[int]
    rows: int
    user_id: int


class HotelReviewResponded(DomainEvent):
    """The first non-empty response to a review."""

    type = "HotelReviewResponded"
    venture_id: int
    review_id: int
    hotel_id: int
    rating: int
    business_date: date
    user_id: int


class HotelDisputeResolved(DomainEvent):
    type = "HotelDisputeResolved"
    venture_id: int
    dispute_id: int
    hotel_id: int
    status: str
    amount: Decimal
    owner_id: int | None
    business_date: date
    user_id: int


HOSPITALITY_EVENTS = (HotelKpiUploaded, HotelReviewResponded, HotelDisputeResolved)
