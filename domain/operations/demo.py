"""Demo operations data: tasks and end-of-day reports for every demo employee.

Every person with an office in a venture gets, in that venture, two weeks of EOD reports on
weekdays before the anchor's business date (about nine in ten days submitted, some reviewed),
and a handful of tasks: some completed on past days (stamped as the service stamps them), the
rest open, overdue, due on the anchor's business date or later. Two named people show the two
shapes the briefing and gamification read: ``csr.afl`` submits every weekday (a perfect week),
``frontdesk.hhg`` leaves gaps. Everything comes from ``ctx.rng`` and the anchor, never the wall
clock; rows go in with bulk inserts (one statement per table and chunk), so the large size stays
fast. Nothing is seeded for the anchor's own business date: the form on My Day starts empty.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlmodel import col

from domain import clock
from domain.access.roles import MANAGER_LIKE, Role
from domain.operations.models import (
    EodReport,
    EodStatus,
    Task,
    TaskPriority,
    TaskStatus,
    TaskType,
)
from domain.org.models import Office, OfficeUser, User

if TYPE_CHECKING:
    from domain.demo import DemoContext

PERFECT = "csr.afl@vcc.example"
GAPS = "frontdesk.hhg@vcc.example"
EOD_DAYS = 14  # calendar days of history before the anchor's business date
CHUNK = 5_000

TITLES = [
    "Call back the customer about the rate",
    "Update the weekly tracker",
    "Review yesterday's exceptions",
    "Send the proof of delivery",
    "Confirm tomorrow's schedule",
    "Follow up on the open invoice",
    "Check the new hire's access",
    "Prepare the shift handover",
    "Reply to the pending emails",
    "File the incident note",
]
SUMMARIES = [
    "Worked through the queue and closed the urgent items.",
    "Handled customer calls; two follow-ups open for tomorrow.",
    "Cleared the backlog from Monday and updated the tracker.",
    "Trained a colleague on the new process; routine work otherwise.",
]


def _local(day: date, hour: int, tz: str) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.zone(tz)).astimezone(UTC)


def _insert(ctx: DemoContext, table: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        ctx.uow.session.execute(insert(table), rows[i : i + CHUNK])


def seed(ctx: DemoContext) -> None:
    s = ctx.uow.session
    rng = ctx.rng
    # (user, office, venture) of everyone placed in an office, in a stable order.
    placements = s.execute(
        select(
            col(User.id), col(User.email), col(User.role), col(Office.id), col(Office.venture_id)
        )
        .join(OfficeUser, col(OfficeUser.user_id) == User.id)
        .join(Office, col(Office.id) == OfficeUser.office_id)
        .where(col(User.is_active).is_(True), col(User.is_service_account).is_(False))
        .order_by(col(Office.venture_id), col(User.id), col(Office.id))
    ).all()
    ventures = {pk: v for v in ctx.ventures.values() if (pk := v.id) is not None}
    ceo = ctx.users["ceo@vcc.example"].id
    managers: dict[int, int] = {}
    for uid, _email, role, _office, vid in placements:
        if role in MANAGER_LIKE and vid not in managers:
            managers[vid] = uid
    seen: set[tuple[int, int]] = set()
    tasks: list[dict[str, Any]] = []
    eods: list[dict[str, Any]] = []
    for uid, email, role, office_id, vid in placements:
        if (uid, vid) in seen or role is Role.AUDITOR:
            continue  # one office per person and venture; auditors report nothing
        seen.add((uid, vid))
        venture = ventures[vid]
        tz = venture.timezone
        today = clock.business_date(ctx.as_of, tz)
        assigner = managers.get(vid, ceo)
        reviewer = managers.get(vid)
        # End-of-day reports on the weekdays before today.
        for back in range(EOD_DAYS, 0, -1):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            if email == GAPS:
                if day.weekday() in (1, 3):  # Tuesdays and Thursdays missing
                    continue
            elif email != PERFECT and rng.random() < 0.1:
                continue
            at = _local(day, 17, tz) + timedelta(minutes=rng.randrange(0, 120))
            reviewed = reviewer is not None and reviewer != uid and rng.random() < 0.5
            attention = reviewed and rng.random() < 0.15
            eods.append(
                {
                    "user_id": uid,
                    "venture_id": vid,
                    "business_date": day,
                    "summary": rng.choice(SUMMARIES),
                    "accomplishments": "Closed " + str(rng.randrange(3, 15)) + " items.",
                    "blockers": "Waiting on a reply from the client."
                    if rng.random() < 0.2
                    else None,
                    "tomorrow_plan": "Continue the open follow-ups.",
                    "hours": Decimal(rng.choice(["7.50", "8.00", "8.00", "8.50", "9.00"])),
                    "status": (
                        EodStatus.NEEDS_ATTENTION
                        if attention
                        else EodStatus.REVIEWED
                        if reviewed
                        else EodStatus.SUBMITTED
                    ),
                    "review_note": "Add the numbers for each account." if attention else None,
                    "reviewed_by_id": reviewer if reviewed else None,
                    "reviewed_at": at + timedelta(hours=15) if reviewed else None,
                    "submitted_at": at,
                    "updated_at": at,
                }
            )
        # Tasks: three done on past days, then open work around today.
        plan = [("done", -rng.randrange(1, 10)) for _ in range(3)] + [
            ("open", -rng.randrange(1, 4)),  # overdue
            ("open", 0),  # due today
            ("open", rng.randrange(1, 8)),
            ("open", None),
        ]
        for n, (kind, offset) in enumerate(plan):
            due = today + timedelta(days=offset) if offset is not None else None
            created = _local(today - timedelta(days=12 + n), 9, tz)
            row: dict[str, Any] = {
                "venture_id": vid,
                "office_id": office_id,
                "title": rng.choice(TITLES),
                "description": None,
                "type": rng.choice(list(TaskType)),
                "priority": rng.choice(list(TaskPriority)),
                "status": TaskStatus.OPEN,
                "due_date": due,
                "assignee_id": uid,
                "created_by_id": assigner,
                "completed_at": None,
                "completed_on": None,
                "completed_by_id": None,
                "created_at": created,
                "updated_at": created,
            }
            if kind == "done":
                assert due is not None
                done_at = _local(due, 15, tz)
                row |= {
                    "status": TaskStatus.DONE,
                    "completed_at": done_at,
                    "completed_on": due,
                    "completed_by_id": uid,
                    "updated_at": done_at,
                }
            elif n == 5 and rng.random() < 0.3:
                row["status"] = rng.choice([TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED])
            tasks.append(row)
    _insert(ctx, Task.__table__, tasks)  # type: ignore[attr-defined]
    _insert(ctx, EodReport.__table__, eods)  # type: ignore[attr-defined]
    s.flush()
    ctx.count("tasks", len(tasks))
    ctx.count("eod_reports", len(eods))
