"""Helpers for the hospitality integration tests: the small demo (HHG, its hotels and a year of
numbers) is the world; these build CSV files and rows through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import col, select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.hospitality import services
from domain.hospitality.models import HotelProperty, HotelReview
from tests.helpers import actor, office_id, venture_id

MANAGER = "manager.hotels@vcc.example"
FRONT_DESK = "frontdesk.hhg@vcc.example"
HEADER = (
    "hotel_code,date,rooms_available,rooms_sold,room_revenue,other_revenue,cancellations,no_shows"
)


def hhg() -> int:
    return venture_id("HHG")


def hotels() -> list[HotelProperty]:
    with read_only() as uow:
        return list(
            uow.session.execute(
                select(HotelProperty)
                .where(HotelProperty.venture_id == hhg())
                .order_by(col(HotelProperty.code))
            ).scalars()
        )


def yesterday() -> date:
    return clock.today("America/New_York") - timedelta(days=1)


def kpi_csv(n_days: int, *, bad: dict[int, str] | None = None, sold: int = 50) -> bytes:
    """A CSV of every demo hotel over ``n_days`` days up to yesterday (hotels x days lines);
    ``bad`` replaces the line at a 0-based data index by the given text."""
    lines = [HEADER]
    i = 0
    for h in hotels():
        for d in range(n_days):
            day = yesterday() - timedelta(days=d)
            n = min(sold, h.rooms)
            text = f"{h.code},{day.isoformat()},{h.rooms},{n},{n * 150}.00,10.00,1,0"
            lines.append((bad or {}).get(i, text))
            i += 1
    return ("\n".join(lines) + "\n").encode()


def unanswered_low_review(office: str = "Midtown Hotels") -> int:
    """A review of a hotel of the HHG office rated 3 or less with no response (the demo has
    some; the front desk works at Midtown)."""
    with read_only() as uow:
        return int(
            uow.session.execute(
                select(HotelReview.id)
                .where(
                    HotelReview.venture_id == hhg(),
                    HotelReview.office_id == office_id("HHG", office),
                    col(HotelReview.rating) <= 3,
                    col(HotelReview.responded_at).is_(None),
                )
                .order_by(col(HotelReview.id))
                .limit(1)
            ).scalar_one()
        )


def open_dispute(**overrides: Any) -> int:
    data = {
        "hotel_id": hotels()[0].id,
        "type": "CHARGEBACK",
        "channel": "Visa",
        "amount": "420.00",
        "evidence_due_date": (yesterday() + timedelta(days=10)).isoformat(),
    } | overrides
    with unit_of_work() as uow:
        return services.create_dispute(uow, actor(MANAGER), data).id
