"""Pure rules of operations: who may move a task to which status, the order of "my tasks", and
the EOD date rule. No database here (unit-tested in tests/unit/test_operations_rules.py)."""

from __future__ import annotations

from datetime import date

from domain.operations.models import TaskPriority, TaskStatus

# Statuses of work still to do (My Day lists them; overdue counts them).
OPEN_STATUSES = frozenset({TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED})
CLOSED_STATUSES = frozenset({TaskStatus.DONE, TaskStatus.CANCELED})
# What an assignee who is not a manager may set on their own task: the work's progress, never
# a cancellation (cancelling is a manager's decision).
ASSIGNEE_STATUSES = frozenset(
    {TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED, TaskStatus.DONE}
)

PRIORITY_RANK = {
    TaskPriority.LOW: 0,
    TaskPriority.MEDIUM: 1,
    TaskPriority.HIGH: 2,
    TaskPriority.CRITICAL: 3,
}

STATUS_LABELS = {
    TaskStatus.OPEN: "Open",
    TaskStatus.IN_PROGRESS: "In progress",
    TaskStatus.BLOCKED: "Blocked",
    TaskStatus.DONE: "Done",
    TaskStatus.CANCELED: "Canceled",
}


def status_refusal(
    *, is_manager: bool, is_assignee: bool, current: TaskStatus, target: TaskStatus
) -> str | None:
    """Why the actor may not move a task from ``current`` to ``target`` (None: allowed).

    A manager (``operations.tasks.update`` in the task's venture) moves any task in scope to any
    status. The assignee moves their own task between OPEN, IN_PROGRESS, BLOCKED and DONE, and
    may not reopen a canceled one. Anyone else is refused."""
    if is_manager:
        return None
    if not is_assignee:
        return "only the assignee or a manager may change this task"
    if target not in ASSIGNEE_STATUSES or current is TaskStatus.CANCELED:
        return "only a manager may cancel a task or reopen a canceled one"
    return None


def is_overdue(status: TaskStatus, due: date | None, today: date) -> bool:
    return status in OPEN_STATUSES and due is not None and due < today


def my_task_order(
    due: date | None, priority: TaskPriority, task_id: int
) -> tuple[bool, date, int, int]:
    """The order of "my tasks": overdue and due today first (earliest due first), then later
    due dates, then undated; inside a day, the higher priority first. The SQL twin is
    ``queries.tasks.my_tasks``."""
    return (due is None, due or date.max, -PRIORITY_RANK[priority], task_id)


def eod_date_problem(day: date, today: date) -> str | None:
    """An EOD report is for today or a past business date of the venture, never the future."""
    if day > today:
        return f"cannot be in the future (today is {today.isoformat()} in the venture)"
    return None
