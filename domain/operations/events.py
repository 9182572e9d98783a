"""The operations domain events (spec/events-and-gamification.md): TaskCompleted on a task's
first DONE, EodSubmitted on the first submission of a (user, venture, business date) report.
Gamification (points TASK_COMPLETED, EOD_REPORT_SUBMITTED, the perfect week) handles them."""

from __future__ import annotations

from datetime import date, datetime

from domain.events.types import DomainEvent


class TaskCompleted(DomainEvent):
    type = "TaskCompleted"
    venture_id: int
    task_id: int
    office_id: int
    assignee_id: int
    completed_by_id: int
    completed_at: datetime
    business_date: date


class EodSubmitted(DomainEvent):
    type = "EodSubmitted"
    venture_id: int
    report_id: int
    user_id: int
    business_date: date


OPERATIONS_EVENTS = (TaskCompleted, EodSubmitted)
