"""Check-then-write under concurrency, on PostgreSQL (SQLite serialises writers): many
completes of one task raise one TaskCompleted; twenty first submissions of one EOD key leave
one row and one EodSubmitted."""

from __future__ import annotations

import pytest

from domain.db import unit_of_work
from domain.operations import services
from domain.operations.models import TaskStatus
from tests.helpers import actor, at_once, venture_id
from tests.integration.operations.conftest import (
    CSR,
    MANAGER,
    eod_count,
    events_of,
    make_task,
    task_row,
)

N = 20


@pytest.mark.postgres_only
def test_concurrent_completes_raise_one_task_completed(demo) -> None:
    task = make_task()
    who = [actor(CSR), actor(MANAGER)]

    def complete(i: int) -> object:
        with unit_of_work() as uow:
            return services.complete_task(uow, who[i % 2], task.id)

    results, errors = at_once(N, complete)
    assert not errors, errors[:3]
    assert len(results) == N
    row = task_row(task.id)
    assert row.status is TaskStatus.DONE and row.completed_at is not None
    assert len([e for e in events_of("TaskCompleted") if e["task_id"] == task.id]) == 1


@pytest.mark.postgres_only
def test_twenty_first_submissions_leave_one_row_and_one_event(demo) -> None:
    before = eod_count(CSR)
    who = actor(CSR)
    vid = venture_id("AFL")

    def submit(i: int) -> bool:
        with unit_of_work() as uow:
            out = services.submit_eod(uow, who, {"venture_id": vid, "summary": f"Take {i}"})
            return out.first_submission

    results, errors = at_once(N, submit)
    assert not errors, errors[:3]
    assert sorted(results) == [False] * (N - 1) + [True]
    assert eod_count(CSR) == before + 1
    assert len([e for e in events_of("EodSubmitted") if e["user_id"] == who.user_id]) == 1
