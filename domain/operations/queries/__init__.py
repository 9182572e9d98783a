"""Operations reads: task lists and "my tasks", EOD reports, who has not submitted."""

from domain.operations.queries.eod import (
    get_eod_view,
    list_eods,
    missing_eods,
    my_eod,
)
from domain.operations.queries.tasks import (
    TaskFilter,
    assignees,
    get_task_view,
    list_tasks,
    my_tasks,
    operations_ventures_for,
    task_offices,
)

__all__ = [
    "TaskFilter",
    "assignees",
    "get_eod_view",
    "get_task_view",
    "list_eods",
    "list_tasks",
    "missing_eods",
    "my_eod",
    "my_tasks",
    "operations_ventures_for",
    "task_offices",
]
