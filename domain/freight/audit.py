"""The audit actions freight writes, with their labels (declared in the wing's manifest)."""

from __future__ import annotations

from enum import StrEnum


class FreightAudit(StrEnum):
    CUSTOMER_CREATED = "freight.customer.created"
    CUSTOMER_UPDATED = "freight.customer.updated"
    CARRIER_CREATED = "freight.carrier.created"
    CARRIER_UPDATED = "freight.carrier.updated"
    CARRIER_BLOCKED = "freight.carrier.blocked"
    CARRIER_UNBLOCKED = "freight.carrier.unblocked"
    CARRIER_FMCSA_CHECKED = "freight.carrier.fmcsa_checked"
    LOAD_CREATED = "freight.load.created"
    LOAD_UPDATED = "freight.load.updated"
    LOAD_STATUS_CHANGED = "freight.load.status_changed"
    QUOTE_CREATED = "freight.quote.created"
    QUOTE_UPDATED = "freight.quote.updated"
    QUOTE_STATUS_CHANGED = "freight.quote.status_changed"
    QUOTE_CONVERTED = "freight.quote.converted"
    QUOTE_EXPIRED = "freight.quote.expired"
    OUTREACH_SENT = "freight.outreach.sent"
    OUTREACH_AWARDED = "freight.outreach.awarded"
    OUTREACH_RETRIED = "freight.outreach.retried"


LABELS: dict[FreightAudit, str] = {
    FreightAudit.CUSTOMER_CREATED: "Customer created",
    FreightAudit.CUSTOMER_UPDATED: "Customer updated",
    FreightAudit.CARRIER_CREATED: "Carrier created",
    FreightAudit.CARRIER_UPDATED: "Carrier updated",
    FreightAudit.CARRIER_BLOCKED: "Carrier blocked",
    FreightAudit.CARRIER_UNBLOCKED: "Carrier unblocked",
    FreightAudit.CARRIER_FMCSA_CHECKED: "Carrier FMCSA check",
    FreightAudit.LOAD_CREATED: "Load created",
    FreightAudit.LOAD_UPDATED: "Load updated",
    FreightAudit.LOAD_STATUS_CHANGED: "Load status changed",
    FreightAudit.QUOTE_CREATED: "Quote created",
    FreightAudit.QUOTE_UPDATED: "Quote updated",
    FreightAudit.QUOTE_STATUS_CHANGED: "Quote status changed",
    FreightAudit.QUOTE_CONVERTED: "Quote converted to a load",
    FreightAudit.QUOTE_EXPIRED: "Quote timed out",
    FreightAudit.OUTREACH_SENT: "Outreach sent",
    FreightAudit.OUTREACH_AWARDED: "Outreach awarded",
    FreightAudit.OUTREACH_RETRIED: "Outreach retried for failed recipients",
}
