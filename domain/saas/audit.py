"""The audit actions the SaaS wing writes, with their labels (declared in the wing's manifest)."""

from __future__ import annotations

from enum import StrEnum


class SaasAudit(StrEnum):
    CUSTOMER_CREATED = "saas.customer.created"
    CUSTOMER_UPDATED = "saas.customer.updated"
    SUBSCRIPTION_CREATED = "saas.subscription.created"
    SUBSCRIPTION_UPDATED = "saas.subscription.updated"
    SUBSCRIPTION_CANCELLED = "saas.subscription.cancelled"


LABELS: dict[SaasAudit, str] = {
    SaasAudit.CUSTOMER_CREATED: "SaaS customer created",
    SaasAudit.CUSTOMER_UPDATED: "SaaS customer updated",
    SaasAudit.SUBSCRIPTION_CREATED: "Subscription created",
    SaasAudit.SUBSCRIPTION_UPDATED: "Subscription updated",
    SaasAudit.SUBSCRIPTION_CANCELLED: "Subscription cancelled",
}
