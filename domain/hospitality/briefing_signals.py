"""Hospitality's checks of the daily briefing (thresholds: ``domain.briefing.signals``).

- Per hotel, from its HotelKpiDaily rows: occupancy (points) and RevPAR (relative) of the last 3
  days up to D (D-2..D) against the 4 days before them (D-6..D-3), each a ratio of sums (rooms
  sold / rooms available, room revenue / rooms available), the worse of the two deciding.
- Reviews rated 3 or lower still without a response 48 hours after they were recorded, as of
  the end of D: one storm per venture naming how many and the oldest.
- Reviews dated D rated 4.5 or more: a win each.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Connection, func, select
from sqlmodel import col

from domain import clock
from domain.briefing import signals as s
from domain.briefing.models import Section, Severity
from domain.hospitality.models import (
    HOSPITALITY_VENTURE_TYPES,
    HotelKpiDaily,
    HotelProperty,
    HotelReview,
)
from domain.money import format_money
from domain.verticals import BriefingSignal

REVIEWS_LINK = "/hospitality/reviews"
KPI_LINK = "/hospitality/kpi"


def kpi_drops(conn: Connection, v: s.SignalVenture) -> list[s.Draft]:
    recent_start = v.day - timedelta(days=s.HOTEL_RECENT_DAYS - 1)
    before_start = recent_start - timedelta(days=s.HOTEL_BEFORE_DAYS)
    rows = conn.execute(
        select(
            col(HotelKpiDaily.hotel_id),
            col(HotelProperty.name),
            col(HotelKpiDaily.day),
            col(HotelKpiDaily.rooms_available),
            col(HotelKpiDaily.rooms_sold),
            col(HotelKpiDaily.room_revenue),
        )
        .join(HotelProperty, col(HotelProperty.id) == col(HotelKpiDaily.hotel_id))
        .where(col(HotelKpiDaily.venture_id) == v.id)
        .where(col(HotelKpiDaily.day) >= before_start, col(HotelKpiDaily.day) <= v.day)
        .order_by(col(HotelProperty.name), col(HotelKpiDaily.hotel_id), col(HotelKpiDaily.day))
    ).all()
    # (hotel id, name) -> {recent window?: [rooms available, rooms sold, room revenue]}
    windows: dict[tuple[int, str], dict[bool, list[Decimal]]] = {}
    for r in rows:
        sums = windows.setdefault((int(r.hotel_id), str(r.name)), {}).setdefault(
            r.day >= recent_start, [Decimal(0), Decimal(0), Decimal(0)]
        )
        sums[0] += int(r.rooms_available)
        sums[1] += int(r.rooms_sold)
        sums[2] += Decimal(r.room_revenue)
    out = []
    for (hotel_id, name), w in windows.items():
        if True not in w or False not in w:
            continue
        (a1, s1, r1), (a0, s0, r0) = w[True], w[False]
        occ_now, occ_before = s.ratio(s1, a1), s.ratio(s0, a0)
        revpar_now, revpar_before = s.ratio(r1, a1), s.ratio(r0, a0)
        occ_drop = s.drop(occ_before, occ_now)
        occ_points = occ_drop * 100 if occ_drop is not None else None
        revpar_drop = s.relative_drop(revpar_before, revpar_now)
        severity = s.worst(
            s.level("hotel.occupancy_drop", occ_points),
            s.level("hotel.revpar_drop", revpar_drop),
        )
        if severity is None:
            continue
        money = (
            (lambda x: format_money(x.quantize(Decimal("0.01")), v.currency))
            if revpar_now is not None and revpar_before is not None
            else None
        )
        revpar_text = (
            f"RevPAR {money(revpar_before)} -> {money(revpar_now)} ({s.percent(revpar_drop)} lower)"
            if money is not None
            else "RevPAR n/a"
        )
        out.append(
            s.Draft(
                signal="hotel.kpi_drop",
                subject=str(hotel_id),
                section=Section.HOSPITALITY,
                severity=severity,
                title=f"{name}: occupancy or RevPAR down",
                detail=(
                    f"Last 3 days against the 4 before: occupancy {s.percent(occ_before)} -> "
                    f"{s.percent(occ_now)} ({s.points(occ_drop)} lower); {revpar_text}"
                ),
                link=f"{KPI_LINK}?hotel={hotel_id}",
                evidence={
                    "hotel_id": hotel_id,
                    "occupancy_before": str(occ_before),
                    "occupancy_now": str(occ_now),
                    "revpar_before": str(revpar_before),
                    "revpar_now": str(revpar_now),
                },
            )
        )
    return out


def reviews(conn: Connection, v: s.SignalVenture) -> list[s.Draft]:
    _, end_of_day = clock.day_bounds_utc(v.day, v.timezone)
    hours = int(s.THRESHOLDS["hotel.low_review_hours"].warn or 0)
    low = int(s.THRESHOLDS["hotel.low_review_rating"].warn or 0)
    top = s.THRESHOLDS["hotel.top_review_rating"].warn or Decimal(5)
    overdue_before = end_of_day - timedelta(hours=hours)
    waiting = conn.execute(
        select(func.count(), func.min(col(HotelReview.review_date)))
        .where(col(HotelReview.venture_id) == v.id)
        .where(col(HotelReview.rating) <= low)
        .where(col(HotelReview.created_at) <= overdue_before)
        .where(
            (col(HotelReview.responded_at).is_(None)) | (col(HotelReview.responded_at) > end_of_day)
        )
    ).one()
    out = []
    count = int(waiting[0] or 0)
    severity = s.level("hotel.low_review_unanswered", count)
    if severity is not None:
        oldest = waiting[1]
        out.append(
            s.Draft(
                signal="hotel.low_review_unanswered",
                section=Section.HOSPITALITY,
                severity=severity,
                title=f"{count} low review{'s' if count != 1 else ''} unanswered after {hours} h",
                detail=f"Rated {low} or lower, no response yet; the oldest is dated "
                f"{clock.format_business_date(oldest) if oldest else 'n/a'}",
                link=f"{REVIEWS_LINK}?status=unanswered",
                evidence={"unanswered": count, "oldest": str(oldest)},
            )
        )
    for review_id, rating, hotel in conn.execute(
        select(col(HotelReview.id), col(HotelReview.rating), col(HotelProperty.name))
        .join(HotelProperty, col(HotelProperty.id) == col(HotelReview.hotel_id))
        .where(col(HotelReview.venture_id) == v.id, col(HotelReview.review_date) == v.day)
        .where(col(HotelReview.rating) >= top)
        .order_by(col(HotelReview.id))
    ):
        out.append(
            s.Draft(
                signal="hotel.top_review",
                subject=str(review_id),
                section=Section.HOSPITALITY,
                severity=Severity.INFO,
                title=f"{hotel}: a {rating}-star review",
                detail=f"A guest rated their stay {rating} out of 5",
                link=f"{REVIEWS_LINK}?review={review_id}",
                evidence={"review_id": review_id, "rating": rating},
            )
        )
    return out


SIGNALS = (
    BriefingSignal(
        key="hotel.kpi_drop",
        title="Hotel occupancy or RevPAR dropped",
        venture_types=HOSPITALITY_VENTURE_TYPES,
        evaluate=kpi_drops,
    ),
    BriefingSignal(
        key="hotel.reviews",
        title="Unanswered low reviews, top reviews",
        venture_types=HOSPITALITY_VENTURE_TYPES,
        evaluate=reviews,
    ),
)
