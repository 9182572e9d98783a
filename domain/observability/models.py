"""ErrorEvent: one row per distinct unhandled error (same place, same type, same stack), counted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import UTCDateTime


class ErrorEvent(SQLModel, table=True):
    __tablename__ = "error_event"
    __table_args__ = (Index("ix_error_event_last_seen_at_id", "last_seen_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    # sha256 of kind, place, exception type and the project frames (no line numbers, no message):
    # the same bug after an unrelated edit, or with another id in its message, is the same row.
    stack_hash: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=16)  # page | api | job
    where: str = Field(max_length=200)  # AuditState.load | GET /api/v1/ventures | job kpi-aggregate
    error_type: str = Field(max_length=200)
    message: str = Field(max_length=1000)  # of the latest occurrence
    stack: str = Field(sa_column=Column(Text, nullable=False))  # of the latest occurrence
    count: int = Field(default=1)
    first_seen_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    last_user_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
        ),
    )
