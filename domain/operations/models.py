"""Operations tables (spec/operations.md, Operations): tasks and end-of-day reports.

Operations serve every venture (no venture type of their own). ``venture_id`` is NOT NULL on
both tables; who sees which row is ``domain.operations.access``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import MoneyType, UTCDateTime, enum_type


class TaskPriority(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class TaskStatus(StrEnum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    BLOCKED = "BLOCKED"
    DONE = "DONE"
    CANCELED = "CANCELED"


class TaskType(StrEnum):
    GENERAL = "GENERAL"
    FOLLOW_UP = "FOLLOW_UP"
    CALL = "CALL"
    REVIEW = "REVIEW"
    ADMIN = "ADMIN"
    OTHER = "OTHER"


class EodStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    REVIEWED = "REVIEWED"
    NEEDS_ATTENTION = "NEEDS_ATTENTION"


def _user_fk(nullable: bool) -> Column[int]:
    return Column(Integer, ForeignKey("user_account.id"), nullable=nullable)


class Task(SQLModel, table=True):
    """A piece of work for one assignee. ``completed_at`` is the first time the task entered
    DONE (stamped by one atomic UPDATE, never cleared: a reopened task keeps its first
    completion), ``completed_on`` its business date in the venture's timezone (the incentive
    metric ``tasks_completed`` reads it)."""

    __tablename__ = "operations_task"
    __table_args__ = (
        # The list order (created_at desc, id desc) inside a venture.
        Index("ix_operations_task_venture_created", "venture_id", "created_at", "id"),
        # A person's open tasks by due date (My Day) and their list.
        Index("ix_operations_task_assignee_due", "assignee_id", "status", "due_date"),
        Index("ix_operations_task_assignee_created", "assignee_id", "created_at", "id"),
        # Incentive metric: a venture's completed tasks by completion date.
        Index(
            "ix_operations_task_venture_completed",
            "venture_id",
            "completed_on",
            "status",
            "assignee_id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    office_id: int = Field(foreign_key="office.id", index=True)
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, sa_type=Text)
    type: TaskType = Field(default=TaskType.GENERAL, sa_type=enum_type(TaskType))
    priority: TaskPriority = Field(default=TaskPriority.MEDIUM, sa_type=enum_type(TaskPriority))
    status: TaskStatus = Field(default=TaskStatus.OPEN, sa_type=enum_type(TaskStatus))
    due_date: date | None = Field(default=None)
    assignee_id: int = Field(sa_column=_user_fk(False))
    created_by_id: int = Field(sa_column=_user_fk(False))
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_on: date | None = Field(default=None)
    completed_by_id: int | None = Field(default=None, sa_column=_user_fk(True))
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class EodReport(SQLModel, table=True):
    """One end-of-day report per (user, venture, business date): resubmitting the same day
    updates this row (the unique key decides, not a check)."""

    __tablename__ = "operations_eod_report"
    __table_args__ = (
        UniqueConstraint("user_id", "venture_id", "business_date"),
        # The review list and "who has not submitted" of a venture's day.
        Index("ix_operations_eod_venture_date", "venture_id", "business_date", "id"),
        CheckConstraint("hours IS NULL OR (hours >= 0 AND hours <= 24)", name="eod_hours"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk(False))
    venture_id: int = Field(foreign_key="venture.id")
    business_date: date
    summary: str = Field(sa_type=Text)
    accomplishments: str | None = Field(default=None, sa_type=Text)
    blockers: str | None = Field(default=None, sa_type=Text)
    tomorrow_plan: str | None = Field(default=None, sa_type=Text)
    hours: Decimal | None = Field(default=None, sa_type=MoneyType(5, 2))
    status: EodStatus = Field(default=EodStatus.SUBMITTED, sa_type=enum_type(EodStatus))
    review_note: str | None = Field(default=None, max_length=1000)
    reviewed_by_id: int | None = Field(default=None, sa_column=_user_fk(True))
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
