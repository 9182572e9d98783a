"""What the operations pages show: task and EOD rows built from the domain views (business dates
as ``27 Nov 2026``, status and priority words and colours). Pure functions; no database."""

from __future__ import annotations

import dataclasses

from domain.operations.models import EodStatus, TaskPriority, TaskStatus
from domain.operations.schemas import EodView, OfficeEodStatus, TaskView
from rxapp.export import csv_time
from rxapp.format import fmt_date, fmt_datetime
from rxapp.state.forms import Option

TASK_STATUS: dict[TaskStatus, tuple[str, str]] = {
    TaskStatus.OPEN: ("Open", "gray"),
    TaskStatus.IN_PROGRESS: ("In progress", "blue"),
    TaskStatus.BLOCKED: ("Blocked", "amber"),
    TaskStatus.DONE: ("Done", "green"),
    TaskStatus.CANCELED: ("Canceled", "gray"),
}
PRIORITY: dict[TaskPriority, tuple[str, str]] = {
    TaskPriority.LOW: ("Low", "gray"),
    TaskPriority.MEDIUM: ("Medium", "blue"),
    TaskPriority.HIGH: ("High", "orange"),
    TaskPriority.CRITICAL: ("Critical", "red"),
}
EOD_STATUS: dict[EodStatus, tuple[str, str]] = {
    EodStatus.SUBMITTED: ("Submitted", "blue"),
    EodStatus.REVIEWED: ("Reviewed", "green"),
    EodStatus.NEEDS_ATTENTION: ("Needs attention", "red"),
}


@dataclasses.dataclass
class TaskRow:
    id: int = 0
    title: str = ""
    venture_code: str = ""
    office: str = ""
    assignee: str = ""
    priority_label: str = ""
    priority_color: str = "gray"
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    due: str = ""
    due_note: str = ""  # "Overdue", "Due today" or ""
    can_complete: bool = False
    can_edit: bool = False
    transitions: list[Option] = dataclasses.field(default_factory=list)


def task_row(t: TaskView) -> TaskRow:
    status_label, status_color = TASK_STATUS[t.status]
    priority_label, priority_color = PRIORITY[t.priority]
    return TaskRow(
        id=t.id,
        title=t.title,
        venture_code=t.venture_code,
        office=t.office_name,
        assignee=t.assignee_name,
        priority_label=priority_label,
        priority_color=priority_color,
        status=t.status.value,
        status_label=status_label,
        status_color=status_color,
        due=fmt_date(t.due_date) or "No due date",
        due_note="Overdue" if t.overdue else "Due today" if t.due_today else "",
        can_complete=t.can_complete,
        can_edit=t.can_edit,
        transitions=[Option(s.value, TASK_STATUS[s][0]) for s in t.allowed_statuses],
    )


TASK_CSV_HEADER = (
    "Task",
    "Venture",
    "Office",
    "Status",
    "Priority",
    "Type",
    "Due date",
    "Overdue",
    "Assignee",
    "Created by",
    "Created",
    "Completed",
    "Description",
)


def task_csv_row(t: TaskView) -> list[str]:
    """Plain values for a spreadsheet: ISO dates, UTC timestamps, the status and priority words."""
    return [
        t.title,
        t.venture_code,
        t.office_name,
        TASK_STATUS[t.status][0],
        PRIORITY[t.priority][0],
        t.type.value,
        t.due_date.isoformat() if t.due_date else "",
        "yes" if t.overdue else "",
        t.assignee_name,
        t.created_by_name,
        csv_time(t.created_at),
        csv_time(t.completed_at),
        t.description or "",
    ]


@dataclasses.dataclass
class EodRow:
    id: int = 0
    person: str = ""
    venture_code: str = ""
    day: str = ""
    summary: str = ""
    accomplishments: str = ""
    blockers: str = ""
    tomorrow: str = ""
    hours: str = ""
    status_label: str = ""
    status_color: str = "gray"
    review_note: str = ""
    reviewed: str = ""
    submitted: str = ""
    can_review: bool = False


def eod_row(r: EodView) -> EodRow:
    label, color = EOD_STATUS[r.status]
    return EodRow(
        id=r.id,
        person=r.user_name,
        venture_code=r.venture_code,
        day=fmt_date(r.business_date),
        summary=r.summary,
        accomplishments=r.accomplishments or "",
        blockers=r.blockers or "",
        tomorrow=r.tomorrow_plan or "",
        hours=f"{r.hours} h" if r.hours is not None else "",
        status_label=label,
        status_color=color,
        review_note=r.review_note or "",
        reviewed=(
            f"{r.reviewed_by_name} · {fmt_datetime(r.reviewed_at)}"
            if r.reviewed_at and r.reviewed_by_name
            else ""
        ),
        submitted=fmt_datetime(r.submitted_at),
        can_review=r.can_review,
    )


EOD_CSV_HEADER = (
    "Person",
    "Venture",
    "Business date",
    "Status",
    "Summary",
    "Accomplishments",
    "Blockers",
    "Plan for tomorrow",
    "Hours",
    "Submitted",
    "Reviewed by",
    "Reviewed",
    "Review note",
)


def eod_csv_row(r: EodView) -> list[str]:
    return [
        r.user_name,
        r.venture_code,
        r.business_date.isoformat(),
        EOD_STATUS[r.status][0],
        r.summary,
        r.accomplishments or "",
        r.blockers or "",
        r.tomorrow_plan or "",
        "" if r.hours is None else f"{r.hours:.2f}",
        csv_time(r.submitted_at),
        r.reviewed_by_name or "",
        csv_time(r.reviewed_at),
        r.review_note or "",
    ]


@dataclasses.dataclass
class OfficeMissingRow:
    office: str = ""
    venture_code: str = ""
    day: str = ""
    counts: str = ""
    missing: list[str] = dataclasses.field(default_factory=list)


def office_missing_row(o: OfficeEodStatus) -> OfficeMissingRow:
    return OfficeMissingRow(
        office=o.office_name,
        venture_code=o.venture_code,
        day=fmt_date(o.business_date),
        counts=f"{o.submitted} of {o.expected} submitted",
        missing=[p.name for p in o.missing],
    )
