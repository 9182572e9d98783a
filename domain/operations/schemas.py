"""Inputs (validated before any write, errors naming the field) and views of operations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from domain.operations.models import EodStatus, TaskPriority, TaskStatus, TaskType
from domain.schemas import BusinessDate, Id, Input, Patch, View

Title = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=4000)]
Hours = Annotated[Decimal, Field(ge=0, le=24, max_digits=5, decimal_places=2)]
Note = Annotated[str, Field(max_length=1000)]

# At most this many tasks in one bulk status change (a page of the list).
BULK_MAX = 200


class TaskInput(Input):
    venture_id: Id
    title: Title
    assignee_id: Id | None = None  # default: the creator
    office_id: Id | None = None  # default: the assignee's office in the venture
    description: LongText | None = None
    type: TaskType = TaskType.GENERAL
    priority: TaskPriority = TaskPriority.MEDIUM
    due_date: BusinessDate | None = None


class TaskPatch(Patch):
    """A manager edits any field; the assignee sends ``status`` alone."""

    clearable = frozenset({"description", "due_date"})

    title: Title | None = None
    description: LongText | None = None
    type: TaskType | None = None
    priority: TaskPriority | None = None
    due_date: BusinessDate | None = None
    assignee_id: Id | None = None
    office_id: Id | None = None
    status: TaskStatus | None = None


class BulkStatusInput(Input):
    task_ids: Annotated[list[Id], Field(min_length=1, max_length=BULK_MAX)]
    status: TaskStatus


class EodInput(Input):
    venture_id: Id
    business_date: BusinessDate | None = None  # default: today in the venture's timezone
    summary: Annotated[str, Field(min_length=1, max_length=4000)]
    accomplishments: LongText | None = None
    blockers: LongText | None = None
    tomorrow_plan: LongText | None = None
    hours: Hours | None = None


class EodReviewInput(Input):
    status: EodStatus
    note: Note | None = None


class TaskView(View):
    id: int
    venture_id: int
    venture_code: str
    office_id: int
    office_name: str
    title: str
    description: str | None
    type: TaskType
    priority: TaskPriority
    status: TaskStatus
    due_date: date | None
    assignee_id: int
    assignee_name: str
    created_by_id: int
    created_by_name: str
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    overdue: bool
    due_today: bool
    # What the reader may do with it (the domain's answer; the UI shows the buttons).
    can_edit: bool
    can_complete: bool
    allowed_statuses: list[TaskStatus]


class EodView(View):
    id: int
    user_id: int
    user_name: str
    venture_id: int
    venture_code: str
    business_date: date
    summary: str
    accomplishments: str | None
    blockers: str | None
    tomorrow_plan: str | None
    hours: Decimal | None
    status: EodStatus
    review_note: str | None
    reviewed_by_id: int | None
    reviewed_by_name: str | None
    reviewed_at: datetime | None
    submitted_at: datetime
    updated_at: datetime
    can_review: bool


class EodSubmitResult(View):
    report: EodView
    first_submission: bool


class PersonRef(View):
    user_id: int
    name: str
    email: str


class OfficeEodStatus(View):
    """Who has and has not submitted in one office on one day."""

    office_id: int
    office_name: str
    venture_id: int
    venture_code: str
    business_date: date
    expected: int
    submitted: int
    missing: list[PersonRef]


class MyTasksView(View):
    items: list[TaskView]
    overdue: int
    due_today: int
    open_total: int
