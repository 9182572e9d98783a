"""Tasks (spec/operations.md, Operations): managers create and assign within their scope, the
assignee moves their own task, completed_at is stamped on the first DONE with one
TaskCompleted, and a non-manager cannot complete someone else's task."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain import clock
from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, Invalid, NotFound
from domain.operations import queries, services
from domain.operations.models import TaskStatus
from domain.operations.queries.tasks import TaskFilter
from tests.helpers import actor, office_id, user_id, venture_id
from tests.integration.operations.conftest import (
    CSR,
    MANAGER,
    events_of,
    make_task,
    task_row,
)

DISPATCHER = "dispatch.rtr@vcc.example"  # member of AFL (Newark Desk) and RTR


def test_a_manager_creates_and_the_assignee_completes_once(demo) -> None:
    task = make_task(due_date=date.today().isoformat())
    assert task.status is TaskStatus.OPEN and task.assignee_id == user_id(CSR)
    assert task.completed_at is None and task.can_complete  # a manager may complete it too
    with unit_of_work() as uow:
        done = services.complete_task(uow, actor(CSR), task.id)
    assert done.status is TaskStatus.DONE and done.completed_at is not None
    row = task_row(task.id)
    assert row.completed_by_id == user_id(CSR) and row.completed_on is not None
    # Completing again changes nothing and raises no second event.
    with unit_of_work() as uow:
        again = services.complete_task(uow, actor(CSR), task.id)
    assert again.completed_at == done.completed_at
    completed = [e for e in events_of("TaskCompleted") if e["task_id"] == task.id]
    assert len(completed) == 1 and completed[0]["assignee_id"] == user_id(CSR)


def test_reopened_and_done_again_keeps_the_first_completion(demo) -> None:
    task = make_task()
    first = datetime(2026, 12, 1, 15, tzinfo=UTC)
    with clock.frozen(first), unit_of_work() as uow:
        services.complete_task(uow, actor(CSR), task.id)
    with unit_of_work() as uow:
        services.set_task_status(uow, actor(CSR), task.id, "IN_PROGRESS")
    with clock.frozen(first + timedelta(days=1)), unit_of_work() as uow:
        services.complete_task(uow, actor(CSR), task.id)
    row = task_row(task.id)
    assert row.status is TaskStatus.DONE and row.completed_at == first
    assert len([e for e in events_of("TaskCompleted") if e["task_id"] == task.id]) == 1


def test_a_non_manager_cannot_complete_someone_elses_task(demo) -> None:
    # The dispatcher is an AFL member too, but the task is the CSR's: not even visible.
    task = make_task()
    with pytest.raises(NotFound), unit_of_work() as uow:
        services.complete_task(uow, actor(DISPATCHER), task.id)
    assert task_row(task.id).status is TaskStatus.OPEN
    assert task_row(task.id).completed_at is None
    assert not [e for e in events_of("TaskCompleted") if e["task_id"] == task.id]


def test_the_assignee_may_not_cancel_or_edit(demo) -> None:
    task = make_task()
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.set_task_status(uow, actor(CSR), task.id, "CANCELED")
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.update_task(uow, actor(CSR), task.id, {"title": "Mine now", "status": "DONE"})
    row = task_row(task.id)
    assert row.status is TaskStatus.OPEN and row.title == "Call back the shipper"
    with unit_of_work() as uow:
        moved = services.update_task(uow, actor(CSR), task.id, {"status": "BLOCKED"})
    assert moved.status is TaskStatus.BLOCKED


def test_a_manager_edits_cancels_and_bulk_changes(demo) -> None:
    a, b = make_task(), make_task(title="Second")
    with unit_of_work() as uow:
        edited = services.update_task(
            uow, actor(MANAGER), a.id, {"priority": "CRITICAL", "due_date": None}
        )
    assert edited.priority == "CRITICAL" and edited.due_date is None
    with unit_of_work() as uow:
        changed = services.bulk_set_status(
            uow, actor(MANAGER), {"task_ids": [a.id, b.id], "status": "CANCELED"}
        )
    assert changed == 2
    assert {task_row(a.id).status, task_row(b.id).status} == {TaskStatus.CANCELED}


def test_bulk_change_is_all_or_nothing(demo) -> None:
    mine = make_task()
    hotel = make_task(
        "manager.hotels@vcc.example",
        venture_id=venture_id("HHG"),
        assignee_id=user_id("frontdesk.hhg@vcc.example"),
        office_id=office_id("HHG", "Midtown Hotels"),
    )
    with pytest.raises(NotFound), unit_of_work() as uow:
        services.bulk_set_status(
            uow, actor(MANAGER), {"task_ids": [mine.id, hotel.id], "status": "DONE"}
        )
    assert task_row(mine.id).status is TaskStatus.OPEN


def test_create_checks_every_field_and_writes_nothing(demo) -> None:
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.create_task(
            uow,
            actor(MANAGER),
            {
                "venture_id": venture_id("AFL"),
                "title": "",
                "assignee_id": user_id("frontdesk.hhg@vcc.example"),
            },
        )
    assert set(err.value.fields) == {"title"}
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.create_task(
            uow,
            actor(MANAGER),
            {
                "venture_id": venture_id("AFL"),
                "title": "x",
                "assignee_id": user_id("frontdesk.hhg@vcc.example"),
            },
        )
    assert err.value.fields == {"assignee_id": "is not an active member of AFL"}
    # An office manager assigns only in their offices (Kolkata Ops is not one of them).
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.create_task(
            uow,
            actor(MANAGER),
            {
                "venture_id": venture_id("AFL"),
                "title": "x",
                "assignee_id": user_id("carriers.afl@vcc.example"),
            },
        )
    assert "office_id" in err.value.fields
    # A non-manager creates no task.
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.create_task(uow, actor(CSR), {"venture_id": venture_id("AFL"), "title": "x"})


def test_the_default_office_is_the_assignees(demo) -> None:
    task = make_task(office_id=None, assignee_id=user_id(DISPATCHER))
    assert task.office_id == office_id("AFL", "Newark Desk")


def test_my_tasks_lists_overdue_and_due_today_first(demo) -> None:
    today = clock.today("America/New_York")
    later = make_task(title="Later", due_date=(today + timedelta(days=3)).isoformat())
    undated = make_task(title="Undated", priority="CRITICAL")
    overdue = make_task(title="Overdue", due_date=(today - timedelta(days=2)).isoformat())
    due_low = make_task(title="Today low", due_date=today.isoformat(), priority="LOW")
    due_high = make_task(title="Today high", due_date=today.isoformat(), priority="CRITICAL")
    with read_only() as uow:
        mine = queries.my_tasks(uow, actor(CSR), venture_id=venture_id("AFL"))
    ids = [t.id for t in mine.items]
    ours = [i for i in ids if i in {later.id, undated.id, overdue.id, due_low.id, due_high.id}]
    assert ours == [overdue.id, due_high.id, due_low.id, later.id, undated.id]
    assert mine.overdue >= 1 and mine.due_today >= 2
    assert all(t.can_complete for t in mine.items)


def test_the_list_pages_with_a_cursor_and_filters(demo) -> None:
    made = [make_task(title=f"Paged {i}") for i in range(5)]
    seen: list[int] = []
    cursor = None
    with read_only() as uow:
        while True:
            page = queries.list_tasks(
                uow, actor(MANAGER), TaskFilter(search="Paged"), cursor=cursor, limit=2
            )
            seen += [t.id for t in page.items]
            if not page.has_more:
                break
            cursor = page.next_cursor
    assert seen == sorted((t.id for t in made), reverse=True)
    with read_only() as uow:
        done = queries.list_tasks(uow, actor(MANAGER), TaskFilter(statuses=[TaskStatus.DONE]))
        assert all(t.status is TaskStatus.DONE for t in done.items)
        with pytest.raises(Invalid) as err:
            queries.list_tasks(uow, actor(MANAGER), cursor="nope")
    assert "cursor" in err.value.fields


def test_tasks_completed_is_an_incentive_metric_of_the_assignee(demo) -> None:
    from domain.db import get_engine
    from domain.incentives.metrics import registry
    from domain.operations.metrics import read_completed

    assert registry()["tasks_completed"].vertical == "operations"
    task = make_task()
    at = datetime(2026, 12, 2, 3, tzinfo=UTC)  # 22:00 on 1 Dec in New York
    with clock.frozen(at), unit_of_work() as uow:
        services.complete_task(uow, actor(MANAGER), task.id)  # a manager completes it
    frame = read_completed(get_engine(), venture_id("AFL"), date(2026, 12, 1), date(2026, 12, 1))
    mine = frame.filter(frame["item_id"] == task.id).to_dicts()
    assert mine == [{"item_id": task.id, "user_id": user_id(CSR), "day": date(2026, 12, 1)}]
