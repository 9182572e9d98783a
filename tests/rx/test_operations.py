"""Operations at the state level: My Day's tasks card completes a task and the EOD form submits,
then shows the report prefilled; the tasks page filters and bulk-changes for a manager; the EOD
review page lists who has not submitted and reviews; a CSR of AFL reaches no task of HHG
through any handler (the refusal is the domain's not-found, nothing changes)."""

from __future__ import annotations

from sqlalchemy import select

from domain.db import read_only
from domain.operations.models import EodReport, TaskStatus
from rxapp.state.operations import EodReviewState, MyWorkState, TasksState
from rxapp.state.ventures import MyDayState
from tests.helpers import user_id, venture_id
from tests.integration.operations.conftest import (
    CSR,
    MANAGER,
    hotel_task,
    make_task,
    task_row,
)
from tests.rx.conftest import Tab, toasts


def _tab(email: str, path: str) -> Tab:
    tab = Tab(path)
    tab.login(email)
    return tab


def test_my_day_completes_a_task_and_submits_then_prefills_the_eod(tab: Tab) -> None:
    task = make_task(title="Send the POD")
    tab.login(CSR)
    tab.call(MyDayState, "load")
    work = tab.state(MyWorkState)
    assert task.id in [t.id for t in work.tasks]
    assert next(t for t in work.tasks if t.id == task.id).can_complete
    events = tab.call(MyWorkState, "complete", task.id)
    assert any("done" in t for t in toasts(events))
    assert task_row(task.id).status is TaskStatus.DONE
    assert task.id not in [t.id for t in work.tasks]

    assert work.eod_done is False and work.eod_venture == str(venture_id("AFL"))
    bad = tab.call(MyWorkState, "save_eod", {"summary": "", "hours": "30"})
    assert work.err["summary"] and work.err["hours"] and not toasts(bad)
    tab.call(MyWorkState, "save_eod", {"summary": "Quoted 12 lanes", "hours": "7.5"})
    assert work.eod_done is True and work.eod_values["summary"] == "Quoted 12 lanes"
    tab.call(MyDayState, "load")  # a later visit: the form is prefilled
    assert tab.state(MyWorkState).eod_values["hours"] == "7.50"
    tab.call(MyWorkState, "save_eod", {"summary": "Quoted 14 lanes"})
    with read_only() as uow:
        rows = list(
            uow.session.execute(select(EodReport).where(EodReport.user_id == user_id(CSR)))
            .scalars()
            .all()
        )
    ours = [r.summary for r in rows if r.summary.startswith("Quoted")]
    assert ours == ["Quoted 14 lanes"]  # the resubmission updated the one report of today


def test_a_csr_reaches_no_task_of_hhg_through_a_handler(demo) -> None:
    hotel = hotel_task()
    tab = _tab(CSR, "/")
    events = tab.call(MyWorkState, "complete", hotel.id)
    assert any("not found" in t.lower() for t in toasts(events))
    tab.navigate("/operations/tasks")
    tab.call(TasksState, "load")
    events = tab.call(TasksState, "set_status", hotel.id, "DONE")
    assert any("not found" in t.lower() for t in toasts(events))
    assert hotel.id not in [r.id for r in tab.state(TasksState).rows]
    assert task_row(hotel.id).status is TaskStatus.OPEN


def test_a_manager_filters_and_bulk_changes_tasks(demo) -> None:
    made = [make_task(title=f"Bulk {i}").id for i in range(3)]
    tab = _tab(MANAGER, "/operations/tasks")
    tab.call(TasksState, "load")
    tasks = tab.state(TasksState)
    assert tasks.can_bulk
    tab.call(TasksState, "apply_filters", {"status": "open", "who": "all", "q": "Bulk"})
    assert sorted(r.id for r in tasks.rows) == sorted(made)
    for tid in made[:2]:
        tab.call(TasksState, "toggle", tid, True)
    tab.call(TasksState, "toggle", 999_999, True)  # not on the page: ignored
    assert sorted(tasks.selected) == sorted(made[:2])
    tab.call(TasksState, "bulk", "CANCELED")
    assert [task_row(t).status for t in made] == [
        TaskStatus.CANCELED,
        TaskStatus.CANCELED,
        TaskStatus.OPEN,
    ]
    assert [r.id for r in tasks.rows] == [made[2]]


def test_the_review_page_lists_who_has_not_submitted_and_reviews(demo) -> None:
    csr = _tab(CSR, "/")
    csr.call(MyDayState, "load")
    csr.call(MyWorkState, "save_eod", {"summary": "Quoted"})
    tab = _tab(MANAGER, "/operations/eod")
    tab.call(EodReviewState, "load")
    review = tab.state(EodReviewState)
    assert review.f_venture == str(venture_id("AFL"))
    assert {o.office for o in review.offices} == {"New York HQ", "Newark Desk"}
    hq = next(o for o in review.offices if o.office == "New York HQ")
    assert "Emily Carter" not in hq.missing
    report = next(r for r in review.reports if r.person == "Emily Carter")
    tab.call(EodReviewState, "ask_attention", report.id)
    tab.call(EodReviewState, "save_attention", {"note": ""})
    assert review.err["note"] and review.review_open
    tab.call(EodReviewState, "save_attention", {"note": "Add the lanes"})
    assert review.review_open is False
    again = next(r for r in review.reports if r.id == report.id)
    assert again.status_label == "Needs attention" and again.review_note == "Add the lanes"
    # A CSR may not open the page at all.
    csr.navigate("/operations/eod")
    csr.call(EodReviewState, "load")
    assert csr.session.ready_page != "operations_eod"
