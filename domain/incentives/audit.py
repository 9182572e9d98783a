"""The audit actions the incentives wing writes, with their labels (declared in its manifest)."""

from __future__ import annotations

from enum import StrEnum


class IncentiveAudit(StrEnum):
    PLAN_CREATED = "incentives.plan.created"
    PLAN_UPDATED = "incentives.plan.updated"
    PLAN_RETIRED = "incentives.plan.retired"
    RULE_CREATED = "incentives.rule.created"
    RULE_UPDATED = "incentives.rule.updated"
    COMMIT_REQUESTED = "incentives.commit"
    BACKFILL_REQUESTED = "incentives.backfill"
    PAYOUTS_REQUESTED = "incentives.payouts.requested"
    PAYOUTS_APPROVED = "incentives.payouts.approved"
    PAYOUT_PAID = "incentives.payout.paid"
    PAYOUT_VOIDED = "incentives.payout.voided"
    PERIOD_REOPENED = "incentives.payouts.reopened"


LABELS: dict[IncentiveAudit, str] = {
    IncentiveAudit.PLAN_CREATED: "Incentive plan created",
    IncentiveAudit.PLAN_UPDATED: "Incentive plan updated",
    IncentiveAudit.PLAN_RETIRED: "Incentive plan retired",
    IncentiveAudit.RULE_CREATED: "Incentive rule created",
    IncentiveAudit.RULE_UPDATED: "Incentive rule updated",
    IncentiveAudit.COMMIT_REQUESTED: "Incentives committed",
    IncentiveAudit.BACKFILL_REQUESTED: "Incentives backfilled",
    IncentiveAudit.PAYOUTS_REQUESTED: "Payouts created for a period",
    IncentiveAudit.PAYOUTS_APPROVED: "Payout run approved",
    IncentiveAudit.PAYOUT_PAID: "Payout marked paid",
    IncentiveAudit.PAYOUT_VOIDED: "Payout voided",
    IncentiveAudit.PERIOD_REOPENED: "Payout period reopened",
}
