"""Scope of tasks and EOD reports: a CSR of AFL cannot see a task of HHG by any path (query,
service; the API and the state handler are tested with them), and an office manager sees the
tasks and reports of their offices only."""

from __future__ import annotations

import pytest

from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, NotFound
from domain.operations import queries, services
from domain.operations.queries.tasks import TaskFilter
from tests.helpers import actor, venture_id
from tests.integration.operations.conftest import (
    CSR,
    FRONT_DESK,
    MANAGER,
    hotel_task,
    make_task,
)


def test_a_csr_of_afl_cannot_see_a_task_of_hhg_by_any_path(demo) -> None:
    task = hotel_task()
    csr = actor(CSR)
    with read_only() as uow:
        listed = queries.list_tasks(uow, csr, TaskFilter())
        assert task.id not in [t.id for t in listed.items]
        assert queries.list_tasks(uow, csr, TaskFilter(venture_id=venture_id("HHG"))).items == []
        assert task.id not in [t.id for t in queries.my_tasks(uow, csr).items]
        with pytest.raises(NotFound) as missing:
            queries.get_task_view(uow, csr, task.id)
        with pytest.raises(NotFound) as absent:
            queries.get_task_view(uow, csr, 999_999)
    assert str(missing.value).replace(str(task.id), "N") == str(absent.value).replace("999999", "N")
    for call in (
        lambda uow: services.complete_task(uow, csr, task.id),
        lambda uow: services.update_task(uow, csr, task.id, {"status": "BLOCKED"}),
    ):
        with pytest.raises(NotFound), unit_of_work() as uow:
            call(uow)
    # Bulk changes are a manager's: refused for the role before any task is read.
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.bulk_set_status(uow, csr, {"task_ids": [task.id], "status": "DONE"})


def test_non_managers_see_their_own_tasks_only(demo) -> None:
    make_task()
    with read_only() as uow:
        page = queries.list_tasks(uow, actor(CSR), TaskFilter())
        front = queries.list_tasks(uow, actor(FRONT_DESK), TaskFilter())
    me = actor(CSR).user_id
    assert page.items and all(me in (t.assignee_id, t.created_by_id) for t in page.items)
    assert all(t.venture_code == "HHG" for t in front.items)


def test_an_office_manager_sees_the_tasks_of_their_offices(demo) -> None:
    kolkata = make_task(
        "head.freight@vcc.example",
        assignee_id=actor("carriers.afl@vcc.example").user_id,
        office_id=None,
        title="Kolkata work",
    )
    with read_only() as uow:
        with pytest.raises(NotFound):
            queries.get_task_view(uow, actor(MANAGER), kolkata.id)
        assert queries.get_task_view(uow, actor("head.freight@vcc.example"), kolkata.id)
        assert queries.get_task_view(uow, actor("auditor@vcc.example"), kolkata.id)


def test_eod_reports_follow_scope(demo) -> None:
    with unit_of_work() as uow:
        hotel = services.submit_eod(
            uow, actor(FRONT_DESK), {"venture_id": venture_id("HHG"), "summary": "Busy"}
        ).report
    with read_only() as uow:
        assert hotel.id not in [r.id for r in queries.list_eods(uow, actor(CSR)).items]
        with pytest.raises(NotFound):
            queries.get_eod_view(uow, actor(CSR), hotel.id)
        with pytest.raises(NotFound):
            queries.get_eod_view(uow, actor(MANAGER), hotel.id)
        assert queries.get_eod_view(uow, actor("manager.hotels@vcc.example"), hotel.id)
        assert queries.get_eod_view(uow, actor("hr@vcc.example"), hotel.id)
    with pytest.raises(NotFound), unit_of_work() as uow:
        services.review_eod(uow, actor(MANAGER), hotel.id, {"status": "REVIEWED"})
