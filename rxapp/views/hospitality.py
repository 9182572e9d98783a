"""What the hospitality pages show: display rows built from the domain's views (hotel KPI days,
reviews, disputes) and the CSV upload's answer split into one problem per line and field.
Formatting follows ui.md (money in the venture's currency, one-decimal percentages, "n/a" for an
undefined ratio). Pure functions; no state, no database.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from domain import clock
from domain.hospitality.models import DisputeStatus, DisputeType, ReviewSource
from domain.hospitality.schemas import DisputeView, HotelKpiView, ReviewView
from rxapp.format import fmt_date, fmt_datetime
from rxapp.views.freight import DASH, count, money, pct
from rxapp.views.uploads import UploadProblem, upload_problems

SOURCES: dict[ReviewSource, str] = {
    ReviewSource.GOOGLE: "Google",
    ReviewSource.TRIPADVISOR: "Tripadvisor",
    ReviewSource.BOOKING: "Booking.com",
    ReviewSource.EXPEDIA: "Expedia",
    ReviewSource.OTHER: "Other",
}
DISPUTE_TYPES: dict[DisputeType, str] = {
    DisputeType.CHARGEBACK: "Chargeback",
    DisputeType.OTA_DISPUTE: "OTA dispute",
    DisputeType.RATE_DISCREPANCY: "Rate discrepancy",
    DisputeType.GUEST_COMPLAINT: "Guest complaint",
    DisputeType.NO_SHOW: "No-show",
    DisputeType.OTHER: "Other",
}
# label, colour (ui.md: green good, amber attention, red bad, gray closed)
DISPUTE_STATUS: dict[DisputeStatus, tuple[str, str]] = {
    DisputeStatus.OPEN: ("Open", "blue"),
    DisputeStatus.IN_PROGRESS: ("In progress", "amber"),
    DisputeStatus.WON: ("Won", "green"),
    DisputeStatus.LOST: ("Lost", "red"),
    DisputeStatus.CLOSED_NO_ACTION: ("Closed, no action", "gray"),
}
RESOLUTIONS = (DisputeStatus.WON, DisputeStatus.LOST, DisputeStatus.CLOSED_NO_ACTION)


# -- hotel KPI days -------------------------------------------------------------------------------


@dataclasses.dataclass
class KpiRow:
    id: int = 0
    hotel_id: int = 0
    hotel_code: str = ""
    hotel_name: str = ""
    day: str = ""
    day_iso: str = ""
    rooms_available: str = ""
    rooms_sold: str = ""
    occupancy: str = ""
    adr: str = ""
    revpar: str = ""
    room_revenue: str = ""
    other_revenue: str = ""
    total_revenue: str = ""
    cancellations: str = ""
    no_shows: str = ""


def kpi_row(v: HotelKpiView, currency: str | None) -> KpiRow:
    return KpiRow(
        id=v.id,
        hotel_id=v.hotel_id,
        hotel_code=v.hotel_code,
        hotel_name=v.hotel_name,
        day=clock.format_business_date(v.day),
        day_iso=v.day.isoformat(),
        rooms_available=count(v.rooms_available),
        rooms_sold=count(v.rooms_sold),
        occupancy=pct(v.occupancy),
        adr=money(v.adr, currency, empty="n/a"),
        revpar=money(v.revpar, currency, empty="n/a"),
        room_revenue=money(v.room_revenue, currency),
        other_revenue=money(v.other_revenue, currency),
        total_revenue=money(v.total_revenue, currency),
        cancellations=count(v.cancellations),
        no_shows=count(v.no_shows),
    )


# -- reviews --------------------------------------------------------------------------------------


@dataclasses.dataclass
class ReviewRow:
    id: int = 0
    hotel_code: str = ""
    hotel_name: str = ""
    source: str = ""
    source_label: str = ""
    rating: int = 0
    stars: str = ""
    low: bool = False
    date: str = ""
    reviewer: str = ""
    text: str = ""
    answered: bool = False
    response: str = ""
    responder: str = ""
    responded_at: str = ""


def review_row(v: ReviewView) -> ReviewRow:
    return ReviewRow(
        id=v.id,
        hotel_code=v.hotel_code,
        hotel_name=v.hotel_name,
        source=v.source.value,
        source_label=SOURCES.get(v.source, v.source.value),
        rating=v.rating,
        stars="★" * v.rating + "☆" * (5 - v.rating),
        low=v.rating <= 3,
        date=fmt_date(v.review_date),
        reviewer=v.reviewer_name or "Anonymous guest",
        text=v.text or DASH,
        answered=v.responded_at is not None,
        response=v.response_text or "",
        responder=v.responded_by_name or "",
        responded_at=fmt_datetime(v.responded_at),
    )


# -- disputes -------------------------------------------------------------------------------------


@dataclasses.dataclass
class DisputeRow:
    id: int = 0
    hotel_code: str = ""
    hotel_name: str = ""
    type_label: str = ""
    channel: str = ""
    reference: str = ""
    reference_value: str = ""  # as stored ("" for none), for the edit form
    amount: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    final: bool = False
    evidence_due: str = ""
    evidence_due_iso: str = ""
    overdue: bool = False
    owner: str = ""
    description: str = ""
    created: str = ""
    resolved_at: str = ""
    outcome_note: str = ""


def dispute_row(v: DisputeView, today: date | None = None) -> DisputeRow:
    label, color = DISPUTE_STATUS.get(v.status, (v.status.value, "gray"))
    final = v.status in RESOLUTIONS
    due = v.evidence_due_date
    return DisputeRow(
        id=v.id,
        hotel_code=v.hotel_code,
        hotel_name=v.hotel_name,
        type_label=DISPUTE_TYPES.get(v.type, v.type.value),
        channel=v.channel,
        reference=v.reference or DASH,
        reference_value=v.reference or "",
        amount=money(v.amount, v.currency),
        status=v.status.value,
        status_label=label,
        status_color=color,
        final=final,
        evidence_due=fmt_date(due) if due else DASH,
        evidence_due_iso=due.isoformat() if due else "",
        overdue=bool(due and today and not final and due < today),
        owner=v.owner_name or DASH,
        description=v.description or "",
        created=fmt_datetime(v.created_at),
        resolved_at=fmt_datetime(v.resolved_at),
        outcome_note=v.outcome_note or "",
    )


__all__ = [
    "DISPUTE_STATUS",
    "DISPUTE_TYPES",
    "RESOLUTIONS",
    "SOURCES",
    "DisputeRow",
    "KpiRow",
    "ReviewRow",
    "UploadProblem",
    "dispute_row",
    "kpi_row",
    "review_row",
    "upload_problems",
]
