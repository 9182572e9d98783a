"""The pure rules of operations (spec/operations.md, Operations)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.operations.models import TaskPriority, TaskStatus
from domain.operations.rules import eod_date_problem, is_overdue, my_task_order, status_refusal

S = TaskStatus


@pytest.mark.parametrize("target", list(S))
def test_a_manager_moves_any_task_anywhere(target: TaskStatus) -> None:
    for current in S:
        assert (
            status_refusal(is_manager=True, is_assignee=False, current=current, target=target)
            is None
        )


def test_the_assignee_moves_their_own_task_but_does_not_cancel() -> None:
    for target in (S.OPEN, S.IN_PROGRESS, S.BLOCKED, S.DONE):
        assert (
            status_refusal(is_manager=False, is_assignee=True, current=S.OPEN, target=target)
            is None
        )
    assert status_refusal(is_manager=False, is_assignee=True, current=S.OPEN, target=S.CANCELED)
    assert status_refusal(is_manager=False, is_assignee=True, current=S.CANCELED, target=S.OPEN)


def test_someone_else_may_not_complete_a_task() -> None:
    refusal = status_refusal(is_manager=False, is_assignee=False, current=S.OPEN, target=S.DONE)
    assert refusal == "only the assignee or a manager may change this task"


def test_overdue_is_open_work_due_before_today() -> None:
    today = date(2026, 12, 2)
    assert is_overdue(S.OPEN, date(2026, 12, 1), today)
    assert is_overdue(S.BLOCKED, date(2026, 11, 1), today)
    assert not is_overdue(S.OPEN, today, today)
    assert not is_overdue(S.DONE, date(2026, 12, 1), today)
    assert not is_overdue(S.CANCELED, date(2026, 12, 1), today)
    assert not is_overdue(S.OPEN, None, today)


def test_my_tasks_order_overdue_then_today_then_later_then_undated() -> None:
    today = date(2026, 12, 2)
    tasks = [
        (5, None, TaskPriority.CRITICAL),
        (4, date(2026, 12, 9), TaskPriority.HIGH),
        (3, today, TaskPriority.LOW),
        (2, today, TaskPriority.CRITICAL),
        (1, date(2026, 11, 28), TaskPriority.LOW),
    ]
    ordered = sorted(tasks, key=lambda t: my_task_order(t[1], t[2], t[0]))
    assert [t[0] for t in ordered] == [1, 2, 3, 4, 5]


def test_an_eod_is_for_today_or_the_past() -> None:
    today = date(2026, 12, 2)
    assert eod_date_problem(today, today) is None
    assert eod_date_problem(date(2026, 11, 30), today) is None
    assert "future" in (eod_date_problem(date(2026, 12, 3), today) or "")
