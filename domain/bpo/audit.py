"""The audit actions BPO writes, with their labels (declared in the wing's manifest)."""

from __future__ import annotations

from enum import StrEnum


class BpoAudit(StrEnum):
    CAMPAIGN_CREATED = "bpo.campaign.created"
    CAMPAIGN_UPDATED = "bpo.campaign.updated"
    AGENT_CREATED = "bpo.agent.created"
    AGENT_UPDATED = "bpo.agent.updated"
    KPI_WRITTEN = "bpo.kpi.written"
    CALLS_IMPORTED = "bpo.calls.imported"
    KPI_IMPORTED = "bpo.kpi.imported"


LABELS: dict[BpoAudit, str] = {
    BpoAudit.CAMPAIGN_CREATED: "BPO campaign created",
    BpoAudit.CAMPAIGN_UPDATED: "BPO campaign updated",
    BpoAudit.AGENT_CREATED: "BPO agent added",
    BpoAudit.AGENT_UPDATED: "BPO agent updated",
    BpoAudit.KPI_WRITTEN: "BPO KPI record written",
    BpoAudit.CALLS_IMPORTED: "BPO call CSV imported",
    BpoAudit.KPI_IMPORTED: "BPO KPI CSV imported",
}
