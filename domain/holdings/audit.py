"""The audit actions holdings writes, with their labels (declared in the wing's manifest)."""

from __future__ import annotations

from enum import StrEnum


class HoldingsAudit(StrEnum):
    ASSET_CREATED = "holdings.asset.created"
    ASSET_UPDATED = "holdings.asset.updated"
    ACCOUNT_CREATED = "holdings.account.created"
    ACCOUNT_UPDATED = "holdings.account.updated"
    SNAPSHOT_RECORDED = "holdings.snapshot.recorded"
    SNAPSHOT_UPDATED = "holdings.snapshot.updated"


LABELS: dict[HoldingsAudit, str] = {
    HoldingsAudit.ASSET_CREATED: "Holding asset created",
    HoldingsAudit.ASSET_UPDATED: "Holding asset updated",
    HoldingsAudit.ACCOUNT_CREATED: "Bank account created",
    HoldingsAudit.ACCOUNT_UPDATED: "Bank account updated",
    HoldingsAudit.SNAPSHOT_RECORDED: "Bank balance recorded",
    HoldingsAudit.SNAPSHOT_UPDATED: "Bank balance corrected",
}
