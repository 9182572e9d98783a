"""Operations at the state level: My Day's tasks card completes a task and the EOD form submits,
then shows the report prefilled; the tasks page filters and bulk-changes for a manager; the EOD
review page lists who has not submitted and reviews; a CSR of AFL reaches no task of HHG
through any handler (the refusal is the domain's not-found, nothing changes). A manager creates
and edits tasks in the dialog (field errors under their fields, nothing half-written); a CSR
gets no dialog and is refused if they call its handler; both lists export what they show."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import func, select

from domain import clock
from domain.db import read_only
from domain.operations.models import EodReport, Task, TaskStatus
from domain.org.models import Venture
from rxapp.state.operations import EodReviewState, MyWorkState, TasksState
from rxapp.state.ventures import MyDayState
from tests.helpers import office_id, user_id, venture_id
from tests.integration.operations.conftest import (
    CSR,
    MANAGER,
    hotel_task,
    make_task,
    task_row,
)
from tests.rx.conftest import Tab, downloaded_text, toasts


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


# -- the "New task" / edit dialog and the CSV exports ----------------------------------------------


def _task_count() -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(Task)).scalar_one())


def _afl_today() -> date:
    with read_only() as uow:
        venture = uow.session.get(Venture, venture_id("AFL"))
        assert venture is not None
        return clock.today(venture.timezone)


def test_a_manager_creates_a_task_that_reaches_the_assignees_my_day_then_edits_it(demo) -> None:
    tab = _tab(MANAGER, "/operations/tasks")
    tab.call(TasksState, "load")
    tasks = tab.state(TasksState)
    assert tasks.can_create
    tab.call(TasksState, "new_task")
    assert tasks.task_open and tasks.t_venture == str(venture_id("AFL"))
    people = {o.label for o in tasks.task_assignee_options}
    assert "Emily Carter" in people  # a member of AFL in the manager's offices
    assert "Ben Turner" not in people  # HHG's front desk is no one the manager may assign
    due = _afl_today().isoformat()
    events = tab.call(
        TasksState,
        "save_task",
        {
            "venture_id": str(venture_id("AFL")),
            "title": "Chase the missing POD",
            "description": "Load AFL-1001",
            "priority": "HIGH",
            "due_date": due,
            "assignee_id": str(user_id(CSR)),
        },
    )
    assert any("created for Emily Carter" in t for t in toasts(events))
    assert tasks.task_open is False
    with read_only() as uow:
        made = uow.session.execute(
            select(Task).where(Task.title == "Chase the missing POD")
        ).scalar_one()
    assert made.assignee_id == user_id(CSR) and made.created_by_id == user_id(MANAGER)
    assert made.due_date.isoformat() == due and made.office_id == office_id("AFL", "New York HQ")

    csr = _tab(CSR, "/")
    csr.call(MyDayState, "load")
    mine = next(t for t in csr.state(MyWorkState).tasks if t.id == made.id)
    assert mine.due_note == "Due today" and mine.priority_label == "High"

    # Edit: the same form, prefilled; only what changed is sent.
    tab.call(TasksState, "edit_task", made.id)
    assert tasks.task_mode == "edit" and tasks.t_values["title"] == "Chase the missing POD"
    assert tasks.t_values["assignee_id"] == str(user_id(CSR))
    tab.call(
        TasksState,
        "save_task",
        {**tasks.t_values, "title": "Chase the POD of AFL-1001", "priority": "CRITICAL"},
    )
    row = task_row(made.id)
    assert (row.title, row.priority.value, row.assignee_id) == (
        "Chase the POD of AFL-1001",
        "CRITICAL",
        user_id(CSR),
    )


def test_a_blank_title_and_a_bad_due_date_are_named_under_their_fields_and_nothing_is_written(
    demo,
) -> None:
    tab = _tab(MANAGER, "/operations/tasks")
    tab.call(TasksState, "load")
    tab.call(TasksState, "new_task")
    before = _task_count()
    events = tab.call(
        TasksState,
        "save_task",
        {"title": "  ", "priority": "LOW", "due_date": "2026-02-30", "assignee_id": ""},
    )
    tasks = tab.state(TasksState)
    assert tasks.t_err["title"].startswith("Title") and tasks.t_err["due_date"].startswith(
        "Due date"
    )
    assert not tasks.t_err["assignee_id"] and tasks.task_open and not toasts(events)
    assert tasks.t_values["due_date"] == "2026-02-30"  # what was typed stays for fixing
    assert _task_count() == before

    # Editing: a title emptied is refused under it, the task unchanged.
    made = make_task(title="Keep me")
    tab.call(TasksState, "edit_task", made.id)
    tab.call(TasksState, "save_task", {**tasks.t_values, "title": ""})
    assert tasks.t_err["title"] and tasks.task_open
    assert task_row(made.id).title == "Keep me"


def test_a_non_manager_gets_no_create_and_the_handlers_refuse_if_called_anyway(demo) -> None:
    own = make_task(title="Mine to do")  # assigned to the CSR by the manager
    tab = _tab(CSR, "/operations/tasks")
    tab.call(TasksState, "load")
    tasks = tab.state(TasksState)
    assert tasks.can_create is False and tasks.task_venture_options == []
    assert not next(r for r in tasks.rows if r.id == own.id).can_edit
    before = _task_count()
    tab.call(
        TasksState,
        "save_task",
        {"venture_id": str(venture_id("AFL")), "title": "Sneaky", "priority": "LOW"},
    )
    assert tasks.t_errors and _task_count() == before  # the domain's refusal, in the form
    # Editing their own task's title is a manager's decision too.
    tab.call(TasksState, "edit_task", own.id)
    tab.call(TasksState, "save_task", {**tasks.t_values, "title": "Renamed"})
    assert tasks.t_errors and task_row(own.id).title == "Mine to do"


def test_the_tasks_csv_holds_the_filtered_rows_and_the_eod_csv_the_days_reports(demo) -> None:
    kept = [make_task(title=f"Export {i}").id for i in range(2)]
    done = make_task(title="Export done")
    make_task(title="Something else")
    tab = _tab(MANAGER, "/operations/tasks")
    tab.call(TasksState, "load")
    tab.call(TasksState, "set_status", done.id, "DONE")
    tab.call(TasksState, "apply_filters", {"status": "open", "who": "all", "q": "Export"})
    assert sorted(r.id for r in tab.state(TasksState).rows) == sorted(kept)
    rows = list(csv.DictReader(io.StringIO(downloaded_text(tab.call(TasksState, "export_csv")))))
    assert sorted(r["Task"] for r in rows) == ["Export 0", "Export 1"]
    assert {(r["Assignee"], r["Status"], r["Priority"], r["Office"]) for r in rows} == {
        ("Emily Carter", "Open", "High", "New York HQ")
    }

    csr = _tab(CSR, "/")
    csr.call(MyDayState, "load")
    csr.call(MyWorkState, "save_eod", {"summary": "=Quoted 12 lanes", "hours": "7.5"})
    review = _tab(MANAGER, "/operations/eod")
    review.call(EodReviewState, "load")
    text = downloaded_text(review.call(EodReviewState, "export_csv"))
    reports = list(csv.DictReader(io.StringIO(text)))
    emily = next(r for r in reports if r["Person"] == "Emily Carter")
    assert emily["Summary"] == "'=Quoted 12 lanes"  # a formula is not run by the spreadsheet
    assert emily["Hours"] == "7.50" and emily["Business date"] == _afl_today().isoformat()
    assert {r["Business date"] for r in reports} == {_afl_today().isoformat()}
