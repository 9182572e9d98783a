"""Demo hospitality for the HOSPITALITY ventures: hotels, a year of daily KPIs, reviews and
disputes, and HospitalityKpiDaily.

Each hotel's year has a season (a summer peak, a January trough), busier weekends and noise; one
hotel went through a renovation (closed, then half its rooms) two to four months before the
anchor. Reviews come from every source, most answered within a day or two by the hotels' staff;
the last fortnight's low ratings are left unanswered (the reviews page's work). Disputes stand in
every status: the older ones resolved WON, LOST or CLOSED_NO_ACTION, the recent ones OPEN or
IN_PROGRESS. Everything is deterministic under the seed and the anchor (``ctx.as_of``), and the
bulk rows are written with SQLAlchemy Core ``insert`` in chunks through ``ctx.engine``.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from domain import clock
from domain.db import pk
from domain.demo import DemoContext, Size
from domain.hospitality.kpi import backfill_kpi
from domain.hospitality.models import (
    HOSPITALITY_VENTURE_TYPES,
    DisputeStatus,
    DisputeType,
    HotelDispute,
    HotelKpiDaily,
    HotelProperty,
    HotelReview,
    HotelStatus,
    ReviewSource,
)

log = logging.getLogger(__name__)

DAYS = 365
CHUNK = 5_000


@dataclass(frozen=True)
class Plan:
    hotels: int
    reviews_per_hotel_day: float
    disputes_per_hotel_month: float


PLANS = {
    Size.SMALL: Plan(hotels=4, reviews_per_hotel_day=0.5, disputes_per_hotel_month=2),
    Size.MEDIUM: Plan(hotels=10, reviews_per_hotel_day=1.2, disputes_per_hotel_month=3),
    Size.LARGE: Plan(hotels=24, reviews_per_hotel_day=2.0, disputes_per_hotel_month=4),
}

# (code suffix, name, rooms, city, base ADR): a 12-room inn and a 320-room tower first, so the
# weighted and the unweighted occupancy of the venture differ visibly.
HOTELS = [
    ("INN", "Harbor Inn Chelsea", 12, "New York", 240),
    ("TWR", "Harbor Tower Midtown", 320, "New York", 310),
    ("BKN", "Harbor Brooklyn Heights", 140, "Brooklyn", 220),
    ("WBG", "Harbor Williamsburg", 96, "Brooklyn", 205),
    ("SOH", "Harbor SoHo Lofts", 60, "New York", 360),
    ("DUM", "Harbor DUMBO", 110, "Brooklyn", 245),
    ("UWS", "Harbor Upper West", 180, "New York", 265),
    ("LIC", "Harbor Long Island City", 150, "Queens", 190),
    ("PRK", "Harbor Park Slope", 48, "Brooklyn", 215),
    ("FID", "Harbor Financial District", 260, "New York", 280),
]
REVIEW_SOURCES = [
    (ReviewSource.GOOGLE, 0.35),
    (ReviewSource.TRIPADVISOR, 0.2),
    (ReviewSource.BOOKING, 0.25),
    (ReviewSource.EXPEDIA, 0.15),
    (ReviewSource.OTHER, 0.05),
]
RATINGS = [(5, 0.42), (4, 0.3), (3, 0.13), (2, 0.08), (1, 0.07)]
PRAISE = [
    "Spotless room and a friendly front desk.",
    "Great location, we walked everywhere.",
    "Breakfast was excellent and the staff remembered our names.",
    "Quiet room, comfortable bed, fast check-in.",
]
COMPLAINTS = [
    "The air conditioning rattled all night.",
    "Waited forty minutes to check in.",
    "Room was not cleaned on the second day.",
    "Charged twice for the minibar.",
    "Noisy corridor and thin walls.",
]
RESPONSES = [
    "Thank you for staying with us, we hope to welcome you back soon.",
    "We are sorry about your stay and have passed your comments to the team.",
]
DISPUTE_CHANNELS = {
    DisputeType.CHARGEBACK: ["Visa", "Mastercard", "Amex"],
    DisputeType.OTA_DISPUTE: ["Booking.com", "Expedia"],
    DisputeType.RATE_DISCREPANCY: ["Booking.com", "Direct"],
    DisputeType.GUEST_COMPLAINT: ["Front desk", "Email"],
    DisputeType.NO_SHOW: ["Expedia", "Direct"],
    DisputeType.OTHER: ["Email"],
}


def _pick(rng: Any, weighted: list[tuple[Any, float]]) -> Any:
    x, acc = rng.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if x < acc:
            return value
    return weighted[-1][0]


def _write(ctx: DemoContext, model: Any, rows: list[dict[str, Any]]) -> None:
    table = model.__table__
    for i in range(0, len(rows), CHUNK):
        with ctx.engine.begin() as conn:
            conn.execute(insert(table), rows[i : i + CHUNK])


def _at(day: date, hour: int, tz: str) -> datetime:
    """An instant at ``hour`` local time on ``day`` in ``tz``, as UTC."""
    local = datetime.combine(day, dtime(hour), tzinfo=clock.zone(tz))
    return local.astimezone(UTC)


def seed(ctx: DemoContext) -> None:
    t0 = time.perf_counter()
    plan = PLANS[ctx.size]
    rng = ctx.rng
    ventures = [v for v in ctx.ventures.values() if v.type in HOSPITALITY_VENTURE_TYPES]
    for venture in sorted(ventures, key=lambda v: v.code):
        _seed_venture(ctx, venture, plan, rng)
    ids = sorted(pk(v) for v in ventures)
    if ids:
        last = max(clock.business_date(ctx.as_of, v.timezone) for v in ventures)
        result = backfill_kpi(
            ids, last - timedelta(days=DAYS), last, run_id="demo-seed", engine=ctx.engine
        )
        ctx.count("hospitality_kpi_days", result.rows_written)
    log.info("demo hospitality in %.1f s", time.perf_counter() - t0)


def _seed_venture(ctx: DemoContext, venture: Any, plan: Plan, rng: Any) -> None:
    s = ctx.uow.session
    tz = venture.timezone
    offices = sorted(
        (o for (code, _), o in ctx.offices.items() if code == venture.code),
        key=lambda o: (o.city != "New York", o.name),
    )
    staff = sorted(
        (u for u in ctx.users.values() if u.is_active and not u.is_service_account),
        key=lambda u: u.email,
    )
    responders = [
        pk(u)
        for u in staff
        if u.email in ("manager.hotels@vcc.example", "frontdesk.hhg@vcc.example")
    ] or [pk(staff[0])]
    owner_ids = [pk(u) for u in staff if u.email == "manager.hotels@vcc.example"] or responders
    today = clock.business_date(ctx.as_of, tz)  # the business day the history ends on
    last_day = today - timedelta(days=1)
    first_day = last_day - timedelta(days=DAYS - 1)
    renovation = (today - timedelta(days=120), today - timedelta(days=60))

    hotels: list[tuple[HotelProperty, int]] = []
    for i in range(plan.hotels):
        suffix, name, rooms, city, adr = HOTELS[i % len(HOTELS)]
        n = i // len(HOTELS)
        # Manhattan hotels belong to the first office (Midtown), the others to the last.
        office = offices[0] if city == "New York" else offices[-1]
        hotel = HotelProperty(
            venture_id=pk(venture),
            office_id=pk(office),
            name=name if n == 0 else f"{name} {n + 1}",
            code=f"{venture.code}-{suffix}{'' if n == 0 else n + 1}",
            rooms=rooms,
            city=city,
            status=HotelStatus.ACTIVE,
        )
        s.add(hotel)
        hotels.append((hotel, adr))
    s.flush()
    renovated = pk(hotels[2][0]) if len(hotels) > 2 else pk(hotels[-1][0])
    ctx.uow.session.commit()  # the bulk rows below go through their own connections

    kpis: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    disputes: list[dict[str, Any]] = []
    review_no = 0
    for hotel, base_adr in hotels:
        hid = pk(hotel)
        for d in range(DAYS):
            day = first_day + timedelta(days=d)
            season = 0.14 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 110) / 365)
            weekend = 0.08 if day.weekday() in (4, 5) else 0.0
            occ = min(0.98, max(0.2, 0.72 + season + weekend + rng.gauss(0, 0.05)))
            available = hotel.rooms
            if hid == renovated and renovation[0] <= day < renovation[1]:
                # closed for the first three weeks, then half the rooms back
                available = 0 if day < renovation[0] + timedelta(days=21) else hotel.rooms // 2
            sold = min(available, round(available * occ))
            rate = base_adr * (1 + 0.9 * season + 0.5 * weekend) * (1 + rng.gauss(0, 0.03))
            room_revenue = Decimal(str(round(sold * rate, 2))).quantize(Decimal("0.01"))
            other = Decimal(str(round(sold * rng.uniform(8, 30), 2))).quantize(Decimal("0.01"))
            kpis.append(
                {
                    "hotel_id": hid,
                    "venture_id": pk(venture),
                    "day": day,
                    "rooms_available": available,
                    "rooms_sold": sold,
                    "room_revenue": room_revenue,
                    "other_revenue": other,
                    "cancellations": rng.randint(0, max(1, sold // 25)),
                    "no_shows": rng.randint(0, max(1, sold // 60)),
                    "updated_at": _at(day + timedelta(days=1), 9, tz),
                }
            )
            # reviews of the day
            count = int(plan.reviews_per_hotel_day) + (
                1 if rng.random() < plan.reviews_per_hotel_day % 1 else 0
            )
            if available == 0:
                count = 0
            for _ in range(count):
                review_no += 1
                rating = _pick(rng, RATINGS)
                source = _pick(rng, REVIEW_SOURCES)
                recent = (last_day - day).days < 14
                answered = not (recent and rating <= 3) and rng.random() < (0.6 if recent else 0.93)
                responded_at = (
                    _at(day + timedelta(days=rng.randint(0, 2)), rng.randint(9, 18), tz)
                    if answered
                    else None
                )
                if responded_at is not None and responded_at >= ctx.as_of:
                    responded_at = None
                reviews.append(
                    {
                        "hotel_id": hid,
                        "venture_id": pk(venture),
                        "office_id": hotel.office_id,
                        "source": source.value,
                        "external_id": f"{venture.code}-{source.value[:3]}-{review_no:07d}",
                        "rating": rating,
                        "review_date": day,
                        "reviewer_name": f"Guest {review_no}",
                        "text": rng.choice(PRAISE if rating >= 4 else COMPLAINTS),
                        "response_text": (
                            RESPONSES[0 if rating >= 4 else 1] if responded_at else None
                        ),
                        "responded_by_id": rng.choice(responders) if responded_at else None,
                        "responded_at": responded_at,
                        "response_updated_at": responded_at,
                        "created_at": _at(day, 20, tz),
                    }
                )
        # disputes over the year, in every status
        months = DAYS / 30
        for k in range(max(5, round(plan.disputes_per_hotel_month * months))):
            opened = first_day + timedelta(days=rng.randrange(DAYS))
            age = (last_day - opened).days
            kind = list(DisputeType)[rng.randrange(len(DisputeType))]
            amount = Decimal(str(round(rng.uniform(60, 2400), 2))).quantize(Decimal("0.01"))
            if k < 5:  # the first five of each hotel: one of every status, recent ones open
                status = list(DisputeStatus)[k]
                if status in (DisputeStatus.OPEN, DisputeStatus.IN_PROGRESS):
                    opened = last_day - timedelta(days=rng.randint(1, 10))
                else:
                    opened = last_day - timedelta(days=rng.randint(20, 300))
            elif age < 21:
                status = DisputeStatus.OPEN if rng.random() < 0.5 else DisputeStatus.IN_PROGRESS
            else:
                status = _pick(
                    rng,
                    [
                        (DisputeStatus.WON, 0.5),
                        (DisputeStatus.LOST, 0.3),
                        (DisputeStatus.CLOSED_NO_ACTION, 0.2),
                    ],
                )
            created_at = _at(opened, rng.randint(9, 17), tz)
            resolved = status not in (DisputeStatus.OPEN, DisputeStatus.IN_PROGRESS)
            resolved_at = (
                min(
                    _at(opened + timedelta(days=rng.randint(7, 20)), 14, tz),
                    ctx.as_of - timedelta(hours=1),
                )
                if resolved
                else None
            )
            disputes.append(
                {
                    "hotel_id": hid,
                    "venture_id": pk(venture),
                    "office_id": hotel.office_id,
                    "type": kind.value,
                    "channel": rng.choice(DISPUTE_CHANNELS[kind]),
                    "reference": f"D-{hid}-{k + 1:04d}",
                    "amount": amount,
                    "currency": venture.currency,
                    "evidence_due_date": opened + timedelta(days=10),
                    "owner_id": rng.choice(owner_ids),
                    "description": f"{kind.value.replace('_', ' ').title()} via the channel.",
                    "status": status.value,
                    "created_by_id": owner_ids[0],
                    "created_at": created_at,
                    "updated_at": resolved_at or created_at,
                    "resolved_at": resolved_at,
                    "resolved_by_id": owner_ids[0] if resolved else None,
                    "outcome_note": "Evidence accepted." if status is DisputeStatus.WON else None,
                }
            )
    _write(ctx, HotelKpiDaily, kpis)
    _write(ctx, HotelReview, reviews)
    _write(ctx, HotelDispute, disputes)
    # The renovated hotel is open again; mark the one sold off the books in bigger demos.
    ctx.count("hotels", len(hotels))
    ctx.count("hotel_kpi_days", len(kpis))
    ctx.count("hotel_reviews", len(reviews))
    ctx.count("hotel_disputes", len(disputes))
