"""Briefing items: the fires, storms and wins of a venture's business date.

``source_key`` says what an item is about (``load-lost:123``); it is unique per venture and date,
so a handler or the daily notebook that runs again never duplicates an item. A key whose prefix a
vertical registered (``domain.briefing.entities``) names one entity, and the item is read only
by those who may open that entity.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import UTCDateTime, enum_type


class Section(StrEnum):
    FREIGHT = "freight"
    HOSPITALITY = "hospitality"
    BPO = "bpo"
    OPERATIONS = "operations"
    WINS = "wins"


class Severity(StrEnum):
    CRITICAL = "CRITICAL"  # fire
    WARN = "WARN"  # storm
    INFO = "INFO"  # win


SEVERITY_ORDER = (Severity.CRITICAL, Severity.WARN, Severity.INFO)


class BriefingItem(SQLModel, table=True):
    __tablename__ = "briefing_item"
    __table_args__ = (
        UniqueConstraint("venture_id", "business_date", "source_key"),
        # The firefront and the briefing page: one severity, newest dates first.
        Index("ix_briefing_item_severity_date", "severity", "business_date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id", index=True)
    business_date: date
    section: Section = Field(sa_type=enum_type(Section))
    severity: Severity = Field(sa_type=enum_type(Severity))
    title: str = Field(max_length=200)
    detail: str = Field(default="", max_length=1000)
    link: str | None = Field(default=None, max_length=500)
    source_key: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class DigestStatus(StrEnum):
    SENDING = "SENDING"  # claimed: handed (or being handed) to the email sender
    SENT = "SENT"
    FAILED = "FAILED"  # the sender refused or failed: the next run tries again


class BriefingDigest(SQLModel, table=True):
    """The morning email of one reader's briefing of one business date: at most one per (user,
    date), decided by the unique key (the claim is the insert), whatever runs it."""

    __tablename__ = "briefing_digest"
    __table_args__ = (UniqueConstraint("user_id", "business_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    business_date: date
    status: DigestStatus = Field(sa_type=enum_type(DigestStatus))
    items: int = Field(default=0)
    attempts: int = Field(default=0)
    provider_message_id: str | None = Field(default=None, max_length=200)
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DigestPreference(SQLModel, table=True):
    """A reader's choice about the morning email. No row: they receive it (leadership gets the
    digest unless they switch it off); a row says ``receive`` either way and when it was set.
    Written by one upsert on the primary key, so two tabs switching at once leave one row."""

    __tablename__ = "briefing_digest_preference"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    receive: bool
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
