"""Helpers for the operations integration tests: the small demo is the world; these make the
extra rows a test needs through the real services."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from domain.access.actor import Actor
from domain.db import read_only, unit_of_work
from domain.events.models import OutboxEvent
from domain.operations import services
from domain.operations.models import EodReport, Task
from domain.operations.schemas import TaskView
from tests.helpers import actor, office_id, user_id, venture_id

MANAGER = "manager.afl@vcc.example"  # OFFICE_MANAGER of AFL: New York HQ, Newark Desk
CSR = "csr.afl@vcc.example"  # CSR of AFL, New York HQ
HOTEL_MANAGER = "manager.hotels@vcc.example"
FRONT_DESK = "frontdesk.hhg@vcc.example"  # EMPLOYEE of HHG


def make_task(who: Actor | str = MANAGER, **overrides: Any) -> TaskView:
    a = actor(who) if isinstance(who, str) else who
    data = {
        "venture_id": venture_id("AFL"),
        "title": "Call back the shipper",
        "assignee_id": user_id(CSR),
        "office_id": office_id("AFL", "New York HQ"),
        "priority": "HIGH",
    } | overrides
    with unit_of_work() as uow:
        return services.create_task(uow, a, data)


def hotel_task() -> TaskView:
    return make_task(
        HOTEL_MANAGER,
        venture_id=venture_id("HHG"),
        assignee_id=user_id(FRONT_DESK),
        office_id=office_id("HHG", "Midtown Hotels"),
        title="Restock the lobby",
    )


def events_of(kind: str) -> list[dict[str, Any]]:
    with read_only() as uow:
        return [
            dict(p)
            for p in uow.session.execute(
                select(OutboxEvent.payload).where(OutboxEvent.type == kind)
            ).scalars()
        ]


def task_row(task_id: int) -> Task:
    with read_only() as uow:
        row = uow.session.get(Task, task_id)
        assert row is not None
        return row


def eod_count(email: str) -> int:
    with read_only() as uow:
        return int(
            uow.session.execute(
                select(func.count())
                .select_from(EodReport)
                .where(EodReport.user_id == user_id(email))
            ).scalar_one()
        )
