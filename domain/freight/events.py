"""The freight domain events (spec/events-and-gamification.md). Payloads carry what handlers need
without reading the load again (amounts as strings, business dates in the venture's timezone)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from domain.events.types import DomainEvent


class LoadCovered(DomainEvent):
    type = "LoadCovered"
    venture_id: int
    load_id: int
    carrier_id: int
    covered_at: datetime
    business_date: date
    user_id: int


class LoadDelivered(DomainEvent):
    type = "LoadDelivered"
    venture_id: int
    load_id: int
    reference: str
    office_id: int
    sales_user_id: int
    bill_amount: Decimal | None
    delivered_at: datetime
    business_date: date
    billing_date: date
    user_id: int


class LoadLost(DomainEvent):
    type = "LoadLost"
    venture_id: int
    load_id: int
    reference: str
    office_id: int
    sales_user_id: int
    reason: str
    note: str | None
    bill_amount: Decimal | None
    lost_at: datetime
    business_date: date
    user_id: int


class QuoteConverted(DomainEvent):
    type = "QuoteConverted"
    venture_id: int
    quote_id: int
    load_id: int
    sales_user_id: int
    user_id: int


class OutreachQueued(DomainEvent):
    """Recipients of an outreach (one batch) recorded QUEUED: deliver them after commit."""

    type = "OutreachQueued"
    venture_id: int
    outreach_id: int
    recipient_ids: list[int]


class OutreachSent(DomainEvent):
    """A batch of an outreach was delivered: at least one recipient got the message (the counts
    are the batch's)."""

    type = "OutreachSent"
    venture_id: int
    outreach_id: int
    load_id: int
    sender_user_id: int
    sent_count: int
    failed_count: int


class OutreachAwarded(DomainEvent):
    type = "OutreachAwarded"
    venture_id: int
    outreach_id: int
    load_id: int
    carrier_id: int
    user_id: int


FREIGHT_EVENTS = (
    LoadCovered,
    LoadDelivered,
    LoadLost,
    QuoteConverted,
    OutreachQueued,
    OutreachSent,
    OutreachAwarded,
)
