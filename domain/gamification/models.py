"""Gamification tables (spec/events-and-gamification.md, Points).

- ``gamification_event``: one award; **unique (venture, type, idempotency key)** decides a
  duplicate delivery (the insert does nothing), never a prior read. A capped award is kept with
  0 points and ``reason = "capped"``.
- ``gamification_balance``: per (user, venture), moved by one atomic UPDATE in the award's
  transaction; the reconciliation chore proves it equals the sum of the events.
- ``gamification_config``: per venture: enabled, points overrides and daily caps per type.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import JSONType, UTCDateTime

# The spec's default table: type -> points.
DEFAULT_POINTS: dict[str, int] = {
    "EOD_REPORT_SUBMITTED": 10,
    "PERFECT_WEEK_EOD": 25,
    "LOAD_COMPLETED": 25,
    "CARRIER_OUTREACH_SENT": 5,
    "OUTREACH_AWARDED": 15,
    "TASK_COMPLETED": 10,
    "QUOTE_CONVERTED": 50,
    "HOTEL_REVIEW_RESPONDED": 8,
    "BPO_CALL_COMPLETED": 3,
    "HOTEL_DISPUTE_RESOLVED": 15,
    "FIRST_DAILY_LOGIN": 1,
}
EVENT_TYPES: tuple[str, ...] = tuple(DEFAULT_POINTS)
CAPPED = "capped"


class GamificationEvent(SQLModel, table=True):
    __tablename__ = "gamification_event"
    __table_args__ = (
        UniqueConstraint("venture_id", "type", "idempotency_key"),
        # Leaderboards and "points today": a venture's events by business date.
        Index("ix_gamification_event_venture_day", "venture_id", "business_date"),
        # My points, the cap count, the perfect week: a user's events in a venture.
        Index(
            "ix_gamification_event_user_venture", "user_id", "venture_id", "type", "business_date"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    venture_id: int = Field(foreign_key="venture.id")
    office_id: int | None = Field(default=None, foreign_key="office.id")
    type: str = Field(max_length=40)
    points: int
    idempotency_key: str = Field(max_length=200)
    reason: str | None = Field(default=None, max_length=20)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)  # the metadata
    business_date: date
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class GamificationBalance(SQLModel, table=True):
    __tablename__ = "gamification_balance"
    __table_args__ = (UniqueConstraint("user_id", "venture_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    venture_id: int = Field(foreign_key="venture.id", index=True)
    points: int = 0


class GamificationConfig(SQLModel, table=True):
    __tablename__ = "gamification_config"

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id", unique=True)
    enabled: bool = True
    points: dict[str, int] = Field(default_factory=dict, sa_type=JSONType)  # overrides per type
    daily_caps: dict[str, int] = Field(default_factory=dict, sa_type=JSONType)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")
