"""Operations use cases: tasks and end-of-day reports. Every one takes an ``Actor`` and applies
scope (``domain.operations.access``)."""

from domain.operations.services.eod import review_eod, submit_eod
from domain.operations.services.tasks import (
    bulk_set_status,
    complete_task,
    create_task,
    set_task_status,
    update_task,
)

__all__ = [
    "bulk_set_status",
    "complete_task",
    "create_task",
    "review_eod",
    "set_task_status",
    "submit_eod",
    "update_task",
]
