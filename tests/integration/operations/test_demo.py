"""The demo's operations data: every demo employee has tasks and EOD reports, csr.afl has a
perfect week (Monday to Friday of one ISO week), frontdesk.hhg has gaps, and nothing is
seeded for the business date the demo ends on (My Day's form starts empty)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from domain.db import read_only
from domain.operations.models import EodReport, Task
from domain.org.models import OfficeUser, User
from tests.helpers import user_id


def _weeks(email: str) -> dict[tuple[int, int], set[int]]:
    with read_only() as uow:
        days = uow.session.execute(
            select(EodReport.business_date).where(EodReport.user_id == user_id(email))
        ).scalars()
        weeks: dict[tuple[int, int], set[int]] = defaultdict(set)
        for d in days:
            year, week, weekday = d.isocalendar()
            weeks[(year, week)].add(weekday)
    return weeks


def test_every_employee_has_tasks_and_reports_with_one_perfect_week_and_gaps(demo) -> None:
    with read_only() as uow:
        placed = set(
            uow.session.execute(
                select(OfficeUser.user_id)
                .join(User, User.id == OfficeUser.user_id)
                .where(User.role != "AUDITOR")
            ).scalars()
        )
        with_tasks = set(uow.session.execute(select(Task.assignee_id).distinct()).scalars())
        with_eods = set(uow.session.execute(select(EodReport.user_id).distinct()).scalars())
        latest = uow.session.execute(select(func.max(EodReport.submitted_at))).scalar_one()
    assert placed and placed <= with_tasks and placed <= with_eods
    assert any(days >= {1, 2, 3, 4, 5} for days in _weeks("csr.afl@vcc.example").values())
    assert not any(days >= {1, 2, 3, 4, 5} for days in _weeks("frontdesk.hhg@vcc.example").values())
    assert latest is not None
