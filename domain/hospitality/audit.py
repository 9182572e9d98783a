"""The audit actions hospitality writes, with their labels (declared in the wing's manifest)."""

from __future__ import annotations

from enum import StrEnum


class HospitalityAudit(StrEnum):
    HOTEL_CREATED = "hospitality.hotel.created"
    HOTEL_UPDATED = "hospitality.hotel.updated"
    KPI_WRITTEN = "hospitality.kpi.written"
    KPI_UPLOADED = "hospitality.kpi.uploaded"
    REVIEW_RESPONDED = "hospitality.review.responded"
    DISPUTE_CREATED = "hospitality.dispute.created"
    DISPUTE_UPDATED = "hospitality.dispute.updated"
    DISPUTE_RESOLVED = "hospitality.dispute.resolved"


LABELS: dict[HospitalityAudit, str] = {
    HospitalityAudit.HOTEL_CREATED: "Hotel created",
    HospitalityAudit.HOTEL_UPDATED: "Hotel updated",
    HospitalityAudit.KPI_WRITTEN: "Hotel KPI day written",
    HospitalityAudit.KPI_UPLOADED: "Hotel KPI CSV uploaded",
    HospitalityAudit.REVIEW_RESPONDED: "Review answered",
    HospitalityAudit.DISPUTE_CREATED: "Dispute opened",
    HospitalityAudit.DISPUTE_UPDATED: "Dispute updated",
    HospitalityAudit.DISPUTE_RESOLVED: "Dispute resolved",
}
