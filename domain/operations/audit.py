"""The audit actions operations writes, with their labels (declared in the wing's manifest)."""

from __future__ import annotations

from enum import StrEnum


class OperationsAudit(StrEnum):
    TASK_CREATED = "operations.task.created"
    TASK_UPDATED = "operations.task.updated"
    TASK_STATUS_CHANGED = "operations.task.status_changed"
    EOD_SUBMITTED = "operations.eod.submitted"
    EOD_REVIEWED = "operations.eod.reviewed"


LABELS: dict[OperationsAudit, str] = {
    OperationsAudit.TASK_CREATED: "Task created",
    OperationsAudit.TASK_UPDATED: "Task updated",
    OperationsAudit.TASK_STATUS_CHANGED: "Task status changed",
    OperationsAudit.EOD_SUBMITTED: "End-of-day report submitted",
    OperationsAudit.EOD_REVIEWED: "End-of-day report reviewed",
}
