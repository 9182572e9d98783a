"""Hospitality tables: hotels, their daily numbers, reviews, disputes and the pre-aggregated
HospitalityKpiDaily of a venture.

Only HOSPITALITY ventures hold these rows (enforced by the services and every query, see
``domain.hospitality.access``). KPI rows, reviews and disputes carry their hotel's venture and
office (copied from the hotel when written) so that every read is one index-served filter.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import Money, Rate, UTCDateTime, enum_type
from domain.org.models import VentureType

HOSPITALITY_VENTURE_TYPES = frozenset({VentureType.HOSPITALITY})


class HotelStatus(StrEnum):
    ACTIVE = "ACTIVE"
    RENOVATION = "RENOVATION"
    CLOSED = "CLOSED"
    SOLD = "SOLD"


class ReviewSource(StrEnum):
    GOOGLE = "GOOGLE"
    TRIPADVISOR = "TRIPADVISOR"
    BOOKING = "BOOKING"
    EXPEDIA = "EXPEDIA"
    OTHER = "OTHER"


class DisputeType(StrEnum):
    CHARGEBACK = "CHARGEBACK"
    OTA_DISPUTE = "OTA_DISPUTE"
    RATE_DISCREPANCY = "RATE_DISCREPANCY"
    GUEST_COMPLAINT = "GUEST_COMPLAINT"
    NO_SHOW = "NO_SHOW"
    OTHER = "OTHER"


class DisputeStatus(StrEnum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    WON = "WON"
    LOST = "LOST"
    CLOSED_NO_ACTION = "CLOSED_NO_ACTION"


OPEN_DISPUTE_STATUSES = frozenset({DisputeStatus.OPEN, DisputeStatus.IN_PROGRESS})
RESOLVED_DISPUTE_STATUSES = frozenset(
    {DisputeStatus.WON, DisputeStatus.LOST, DisputeStatus.CLOSED_NO_ACTION}
)


def _user_fk(nullable: bool, index: bool = False) -> Column[int]:
    return Column(Integer, ForeignKey("user_account.id"), nullable=nullable, index=index)


class HotelProperty(SQLModel, table=True):
    __tablename__ = "hotel_property"

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id", index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    name: str = Field(max_length=160)
    code: str = Field(max_length=20, unique=True)  # upper-case; the CSV's hotel_code
    rooms: int
    city: str = Field(max_length=80)
    status: HotelStatus = Field(default=HotelStatus.ACTIVE, sa_type=enum_type(HotelStatus))
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class HotelKpiDaily(SQLModel, table=True):
    """One hotel's numbers on one business date; upserted by (hotel, day)."""

    __tablename__ = "hotel_kpi_daily"
    __table_args__ = (
        UniqueConstraint("hotel_id", "day"),
        # The venture KPI read: every hotel row of a venture in a date range, the numbers along.
        Index(
            "ix_hotel_kpi_daily_venture_day",
            "venture_id",
            "day",
            "hotel_id",
            "rooms_available",
            "rooms_sold",
            "room_revenue",
            "other_revenue",
        ),
        CheckConstraint("rooms_sold <= rooms_available", name="sold_within_available"),
        CheckConstraint(
            "rooms_available >= 0 AND rooms_sold >= 0 AND cancellations >= 0 AND no_shows >= 0",
            name="counts_not_negative",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    hotel_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("hotel_property.id", ondelete="CASCADE"), nullable=False
        )
    )
    venture_id: int = Field(foreign_key="venture.id")
    day: date
    rooms_available: int
    rooms_sold: int
    room_revenue: Decimal = Field(sa_type=Money)
    other_revenue: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    cancellations: int = Field(default=0)
    no_shows: int = Field(default=0)
    updated_by_id: int | None = Field(default=None, sa_column=_user_fk(True))
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class HotelReview(SQLModel, table=True):
    __tablename__ = "hotel_review"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_hotel_review_venture_date", "venture_id", "review_date", "id"),
        Index("ix_hotel_review_venture_responded", "venture_id", "responded_at"),
        Index("ix_hotel_review_hotel_date", "hotel_id", "review_date", "id"),
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating_1_to_5"),
    )

    id: int | None = Field(default=None, primary_key=True)
    hotel_id: int = Field(foreign_key="hotel_property.id")
    venture_id: int = Field(foreign_key="venture.id")
    office_id: int = Field(foreign_key="office.id")
    source: ReviewSource = Field(sa_type=enum_type(ReviewSource))
    external_id: str = Field(max_length=80)
    rating: int
    review_date: date
    reviewer_name: str | None = Field(default=None, max_length=120)
    text: str = Field(default="", sa_type=Text)
    response_text: str | None = Field(default=None, sa_type=Text)
    # Stamped by the first non-empty response only (later edits keep them).
    responded_by_id: int | None = Field(default=None, sa_column=_user_fk(True, index=True))
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    response_updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class HotelDispute(SQLModel, table=True):
    __tablename__ = "hotel_dispute"
    __table_args__ = (
        Index("ix_hotel_dispute_venture_created", "venture_id", "created_at", "id"),
        Index("ix_hotel_dispute_venture_resolved", "venture_id", "resolved_at"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    hotel_id: int = Field(foreign_key="hotel_property.id", index=True)
    venture_id: int = Field(foreign_key="venture.id")
    office_id: int = Field(foreign_key="office.id")
    type: DisputeType = Field(sa_type=enum_type(DisputeType))
    channel: str = Field(max_length=60)  # "Visa", "Booking.com", "Front desk"...
    reference: str | None = Field(default=None, max_length=80)
    amount: Decimal = Field(sa_type=Money)
    currency: str = Field(max_length=3)  # the venture's currency
    evidence_due_date: date | None = Field(default=None)
    owner_id: int | None = Field(default=None, sa_column=_user_fk(True, index=True))
    description: str | None = Field(default=None, sa_type=Text)
    status: DisputeStatus = Field(default=DisputeStatus.OPEN, sa_type=enum_type(DisputeStatus))
    created_by_id: int | None = Field(default=None, sa_column=_user_fk(True))
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_by_id: int | None = Field(default=None, sa_column=_user_fk(True))
    outcome_note: str | None = Field(default=None, max_length=500)


class HospitalityKpiDaily(SQLModel, table=True):
    """Pre-aggregated hospitality numbers of one venture on one business date (see ``kpi.py``):
    sums of the hotel rows and the weighted ratios, reviews and disputes."""

    __tablename__ = "hospitality_kpi_daily"
    __table_args__ = (UniqueConstraint("venture_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    day: date
    hotels_reporting: int = Field(default=0)
    rooms_available: int = Field(default=0)
    rooms_sold: int = Field(default=0)
    room_revenue: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    other_revenue: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    total_revenue: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    occupancy: Decimal | None = Field(default=None, sa_type=Rate)  # None: no rooms available
    adr: Decimal | None = Field(default=None, sa_type=Money)  # None: no rooms sold
    revpar: Decimal | None = Field(default=None, sa_type=Money)  # None: no rooms available
    reviews_received: int = Field(default=0)
    reviews_responded: int = Field(default=0)
    average_rating: Decimal | None = Field(default=None, sa_type=Rate)  # None: no review
    disputes_opened: int = Field(default=0)
    disputes_won: int = Field(default=0)
    amount_recovered: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    computed_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    run_id: str | None = Field(default=None, max_length=64, index=True)
