"""Operations' checks of the daily briefing (thresholds: ``domain.briefing.signals``).

- Overdue tasks: the venture's tasks still open (OPEN, IN_PROGRESS, BLOCKED) whose due date is D
  or earlier, i.e. overdue by the end of D.
- Missing EOD reports: on a weekday D, per active office, the people who submit reports (the
  same people as the EOD team view: active members of the venture linked to the office whose
  role submits) without a report for D; one storm per office, naming them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select
from sqlmodel import col

from domain.briefing import signals as s
from domain.briefing.models import Section
from domain.operations.models import EodReport, Task
from domain.operations.rules import OPEN_STATUSES
from domain.org.models import Office, OfficeUser, User, VentureUser
from domain.verticals import BriefingSignal

NAMES_SHOWN = 8


def overdue_tasks(conn: Connection, v: s.SignalVenture) -> list[s.Draft]:
    count, oldest = conn.execute(
        select(func.count(), func.min(col(Task.due_date)))
        .where(col(Task.venture_id) == v.id)
        .where(col(Task.status).in_(sorted(OPEN_STATUSES)))
        .where(col(Task.due_date).is_not(None), col(Task.due_date) <= v.day)
    ).one()
    count = int(count or 0)
    severity = s.level("ops.overdue_tasks", count)
    if severity is None:
        return []
    return [
        s.Draft(
            signal="ops.overdue_tasks",
            section=Section.OPERATIONS,
            severity=severity,
            title=f"{count} open task{'s' if count != 1 else ''} overdue",
            detail=f"Still open with a due date on or before {v.day:%d %b}; the oldest was due "
            f"{oldest:%d %b %Y}",
            link="/operations/tasks",
            evidence={"overdue": count, "oldest_due": str(oldest)},
        )
    ]


def missing_eods(conn: Connection, v: s.SignalVenture) -> list[s.Draft]:
    from domain.access.permissions import PERMISSIONS

    if v.day.weekday() >= 5:
        return []
    submitters = sorted(str(r) for r in PERMISSIONS["operations.eod.submit"])
    people: Sequence[Any] = conn.execute(
        select(col(Office.id), col(Office.name), col(User.id), col(User.name))
        .join(OfficeUser, col(OfficeUser.office_id) == col(Office.id))
        .join(User, col(User.id) == col(OfficeUser.user_id))
        .join(
            VentureUser,
            (col(VentureUser.user_id) == col(User.id)) & (col(VentureUser.venture_id) == v.id),
        )
        .where(col(Office.venture_id) == v.id, col(Office.is_active).is_(True))
        .where(col(User.is_active).is_(True), col(User.is_service_account).is_(False))
        .where(col(User.role).in_(submitters))
        .order_by(col(Office.name), col(Office.id), col(User.name), col(User.id))
    ).all()
    submitted = set(
        conn.execute(
            select(col(EodReport.user_id)).where(
                col(EodReport.venture_id) == v.id, col(EodReport.business_date) == v.day
            )
        ).scalars()
    )
    offices: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for row in people:
        offices.setdefault((int(row[0]), str(row[1])), []).append((int(row[2]), str(row[3])))
    out = []
    for (office_id, office_name), staff in offices.items():
        missing = [name for uid, name in staff if uid not in submitted]
        severity = s.level("ops.missing_eod", len(missing))
        if severity is None:
            continue
        shown = ", ".join(missing[:NAMES_SHOWN])
        more = f" and {len(missing) - NAMES_SHOWN} more" if len(missing) > NAMES_SHOWN else ""
        out.append(
            s.Draft(
                signal="ops.missing_eod",
                subject=str(office_id),
                section=Section.OPERATIONS,
                severity=severity,
                title=f"{office_name}: {len(missing)} of {len(staff)} EOD reports missing",
                detail=f"No report for {v.day:%a %d %b}: {shown}{more}",
                link=f"/operations/eod?date={v.day.isoformat()}",
                evidence={"office_id": office_id, "expected": len(staff), "missing": missing},
            )
        )
    return out


SIGNALS = (
    BriefingSignal(
        key="ops.overdue_tasks",
        title="Overdue tasks",
        venture_types=frozenset(),
        evaluate=overdue_tasks,
    ),
    BriefingSignal(
        key="ops.missing_eod",
        title="Missing EOD reports",
        venture_types=frozenset(),
        evaluate=missing_eods,
    ),
)
