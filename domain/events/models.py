"""The transactional outbox: one row per domain event, one row per (event, handler) delivery.

An event row is written in the same transaction as the change it describes. Delivery is tracked
per handler, so a retry runs only the handlers that have not succeeded yet, and a handler's own
writes commit together with its delivery row (a handler that succeeded is never run again for that
event, even when another handler of the same event keeps failing).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import JSONType, UTCDateTime


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"
    __table_args__ = (
        # The sweeper's read: not processed, not dead, due.
        Index("ix_outbox_event_due", "processed_at", "dead_at", "next_attempt_at"),
        Index("ix_outbox_event_type_created", "type", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(max_length=64)
    venture_id: int | None = Field(default=None)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    dead_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutboxDelivery(SQLModel, table=True):
    """The state of one handler for one event. ``processed_at`` set = done, never run again."""

    __tablename__ = "outbox_delivery"
    __table_args__ = (UniqueConstraint("event_id", "handler"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("outbox_event.id", ondelete="CASCADE"), nullable=False)
    )
    handler: str = Field(max_length=120)
    attempts: int = Field(default=0)
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
