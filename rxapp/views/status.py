"""Status badges: each status's word, colour and icon (a badge is never colour alone)."""

from __future__ import annotations

from domain.freight.models import LoadStatus, QuoteStatus, RecipientStatus

# Every load status: its word, badge colour and icon (a badge is never colour alone).
LOAD_STATUS: dict[LoadStatus, tuple[str, str, str]] = {
    LoadStatus.OPEN: ("Open", "blue", "circle-dot"),
    LoadStatus.WORKING: ("Working", "cyan", "loader"),
    LoadStatus.AT_RISK: ("At risk", "orange", "triangle-alert"),
    LoadStatus.COVERED: ("Covered", "violet", "shield-check"),
    LoadStatus.IN_TRANSIT: ("In transit", "iris", "truck"),
    LoadStatus.DELIVERED: ("Delivered", "green", "circle-check"),
    LoadStatus.FELL_OFF: ("Fell off", "amber", "circle-alert"),
    LoadStatus.DORMANT: ("Dormant", "gray", "moon"),
    LoadStatus.LOST: ("Lost", "red", "circle-x"),
}

QUOTE_STATUS: dict[QuoteStatus, tuple[str, str]] = {
    QuoteStatus.DRAFT: ("Draft", "gray"),
    QuoteStatus.SENT: ("Sent", "blue"),
    QuoteStatus.NO_RESPONSE: ("No response", "amber"),
    QuoteStatus.REJECTED: ("Rejected", "red"),
    QuoteStatus.COUNTERED: ("Countered", "orange"),
    QuoteStatus.ACCEPTED: ("Accepted", "cyan"),
    QuoteStatus.BOOKED: ("Booked", "green"),
    QuoteStatus.EXPIRED: ("Expired", "gray"),
}


def status_label(status: LoadStatus) -> str:
    return LOAD_STATUS[status][0]


def status_color(status: LoadStatus) -> str:
    return LOAD_STATUS[status][1]


RECIPIENT_STATUS: dict[RecipientStatus, tuple[str, str]] = {
    RecipientStatus.QUEUED: ("Queued", "gray"),
    RecipientStatus.SENDING: ("Sending", "blue"),
    RecipientStatus.SENT: ("Sent", "green"),
    RecipientStatus.FAILED: ("Failed", "red"),
}


def recipient_status(status: RecipientStatus) -> tuple[str, str]:
    return RECIPIENT_STATUS[status]
