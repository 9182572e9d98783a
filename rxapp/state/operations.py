"""Operations in the web app: "My tasks" and the EOD form on My Day (``MyWorkState``), the tasks
page (``TasksState``: filters, cursor, status changes, bulk status, the "New task" / edit dialog
for managers, CSV export) and the EOD review page (``EodReviewState``: who has not submitted per
office and day, reviews, CSV export of the day's reports).

Handlers take ids from the client and hand them to the domain, which finds the row through
scope (out of scope = not found) and checks the role; nothing here decides access.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only, unit_of_work
from domain.errors import DomainError
from domain.operations.models import EodStatus, TaskPriority, TaskStatus
from domain.operations.queries import (
    TaskFilter,
    assignees,
    get_task_view,
    list_eods,
    list_tasks,
    missing_eods,
    my_eod,
    my_tasks,
    operations_ventures_for,
)
from domain.operations.rules import OPEN_STATUSES
from domain.operations.schemas import EodView, TaskView
from domain.operations.services import (
    bulk_set_status,
    complete_task,
    create_task,
    review_eod,
    set_task_status,
    submit_eod,
    update_task,
)
from domain.org.queries import venture_today
from domain.pagination import Page
from rxapp.export import CsvExport, ExportPlan
from rxapp.format import fmt_date
from rxapp.state.form_base import Form, Saved, submits
from rxapp.state.forms import Option, as_date, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.operations import (
    EOD_CSV_HEADER,
    PRIORITY,
    TASK_CSV_HEADER,
    TASK_STATUS,
    EodRow,
    OfficeMissingRow,
    TaskRow,
    eod_csv_row,
    eod_row,
    office_missing_row,
    task_csv_row,
    task_row,
)

EOD_FIELDS = ("venture_id", "summary", "accomplishments", "blockers", "tomorrow_plan", "hours")
EOD_FORM = Form(
    EOD_FIELDS,
    {
        "venture_id": "Venture",
        "business_date": "Day",
        "summary": "Summary",
        "accomplishments": "Accomplishments",
        "blockers": "Blockers",
        "tomorrow_plan": "Plan for tomorrow",
        "hours": "Hours",
    },
)


class MyWorkState(SessionState):
    """My Day's "My tasks" card and end-of-day form."""

    tasks: list[TaskRow] = []
    tasks_summary: str = ""
    eod_ventures: list[Option] = []
    eod_venture: str = ""
    eod_day: str = ""
    eod_values: dict[str, str] = {}
    eod_done: bool = False  # a report of today exists: the form updates it
    eod_status: str = ""
    err: dict[str, str] = {}
    errors: list[str] = []
    busy: bool = False
    form_key: int = 0

    def _refresh(self, actor: Actor, only: int | None) -> None:
        """Fill the card and the form (called by My Day's loader)."""
        with read_only() as uow:
            mine = my_tasks(uow, actor, venture_id=only)
            ventures = operations_ventures_for(uow, actor, "operations.eod.submit")
        self.tasks = [task_row(t) for t in mine.items]
        parts = [f"{mine.open_total} open"]
        if mine.overdue:
            parts.append(f"{mine.overdue} overdue")
        if mine.due_today:
            parts.append(f"{mine.due_today} due today")
        self.tasks_summary = " · ".join(parts)
        self.eod_ventures = [Option(str(v.id), f"{v.code} · {v.name}") for v in ventures]
        ids = [o.value for o in self.eod_ventures]
        chosen = str(only) if only is not None and str(only) in ids else self.eod_venture
        self.eod_venture = chosen if chosen in ids else (ids[0] if ids else "")
        self._prefill(actor)

    def _prefill(self, actor: Actor) -> None:
        EOD_FORM.clear(self)
        vid = as_int(self.eod_venture)
        report = None
        if vid is not None:
            with read_only() as uow:
                report = my_eod(uow, actor, vid)
                self.eod_day = fmt_date(venture_today(uow, actor, vid))
        self.eod_done = report is not None
        self.eod_status = ""
        values = dict.fromkeys(EOD_FIELDS[1:], "")
        if report is not None:
            values = {
                "summary": report.summary,
                "accomplishments": report.accomplishments or "",
                "blockers": report.blockers or "",
                "tomorrow_plan": report.tomorrow_plan or "",
                "hours": str(report.hours) if report.hours is not None else "",
            }
            self.eod_status = eod_row(report).status_label
        self.eod_values = values
        self.form_key += 1

    def _reload_tasks(self, actor: Actor) -> None:
        self._refresh(actor, self._filter_venture_id(actor))

    @rx.event
    @guarded
    def choose_eod_venture(self, actor: Actor, value: str):
        self.eod_venture = as_text(value, 12)
        self._prefill(actor)

    @rx.event
    @guarded(busy="busy")
    def complete(self, actor: Actor, task_id: int):
        tid = as_int(task_id)
        if tid is None:
            return None
        with unit_of_work() as uow:
            view = complete_task(uow, actor, tid)
        self._reload_tasks(actor)
        return rx.toast.success(f"“{view.title}” is done.")

    @rx.event
    @submits(EOD_FORM)
    def save_eod(self, actor: Actor, form_data: dict[str, Any]):
        vid = as_int(form_data.get("venture_id") or self.eod_venture)
        data: dict[str, Any] = {
            "venture_id": vid,
            "summary": as_text(form_data.get("summary"), 4000),
            "accomplishments": as_text(form_data.get("accomplishments"), 4000) or None,
            "blockers": as_text(form_data.get("blockers"), 4000) or None,
            "tomorrow_plan": as_text(form_data.get("tomorrow_plan"), 4000) or None,
        }
        hours = as_text(form_data.get("hours"), 10)
        if hours:
            data["hours"] = hours
        with unit_of_work() as uow:
            result = submit_eod(uow, actor, data)
        self.eod_venture = str(result.report.venture_id)
        self._prefill(actor)
        if result.first_submission:
            return Saved(f"End-of-day report for {self.eod_day} submitted.")
        return Saved(f"End-of-day report for {self.eod_day} updated.")


# -- the tasks page --------------------------------------------------------------------------------

PAGE_SIZE = 50
OPEN_FILTER = "open"

TASK_LABELS = {
    "venture_id": "Venture",
    "title": "Title",
    "description": "Description",
    "priority": "Priority",
    "due_date": "Due date",
    "assignee_id": "Assignee",
    "office_id": "Office",  # chosen by the domain (the assignee's office): summary only
    "type": "Type",
}
TASK_FORM = Form(
    ("venture_id", "title", "description", "priority", "due_date", "assignee_id"),
    TASK_LABELS,
    err="t_err",
    summary="t_errors",
    busy="saving",
    open="task_open",
)
# The form's editable fields, as the dialog holds them (text), for "what changed" on edit.
TASK_EDIT_FIELDS = ("title", "description", "priority", "due_date", "assignee_id")


def _id(text: str) -> int | str:
    """An id chosen in a select, or the text as sent for the domain to name the field."""
    return as_int(text) or text


class TasksState(CursorPages, CsvExport, SessionState):
    rows: list[TaskRow] = []
    status_options: list[Option] = []
    f_status: str = OPEN_FILTER
    f_who: str = "mine"  # "mine" or "all" (everyone the reader may see)
    who_options: list[Option] = []
    f_overdue: bool = False
    f_search: str = ""
    can_bulk: bool = False
    selected: list[int] = []
    busy: bool = False

    # The "New task" / edit dialog. ``can_create``: the domain offers at least one venture where
    # the reader may create tasks; the venture and assignee choices are the domain's too.
    can_create: bool = False
    task_open: bool = False
    task_mode: str = "create"  # or "edit"
    task_venture_options: list[Option] = []
    task_assignee_options: list[Option] = []
    priority_options: list[Option] = [Option(p.value, label) for p, (label, _c) in PRIORITY.items()]
    t_venture: str = ""
    t_venture_label: str = ""
    t_values: dict[str, str] = {}
    t_err: dict[str, str] = {}
    t_errors: list[str] = []
    t_key: int = 0  # re-renders the dialog's fields with fresh defaults
    a_key: int = 0  # re-renders the assignee choice alone (the venture changed)
    saving: bool = False

    _task_id: int | None = None
    _t_loaded: dict[str, str] = {}

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Tasks {start:,} to {start + len(self.rows) - 1:,}, newest first"

    def _filter(self, actor: Actor) -> TaskFilter:
        if self.f_status == OPEN_FILTER:
            statuses = sorted(OPEN_STATUSES)
        elif self.f_status in TaskStatus.__members__:
            statuses = [TaskStatus(self.f_status)]
        else:
            statuses = []
        return TaskFilter(
            venture_id=self._filter_venture_id(actor),
            statuses=statuses,
            mine=self.f_who == "mine",
            overdue=self.f_overdue,
            search=self.f_search,
        )

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = list_tasks(
                uow, actor, self._filter(actor), cursor=self._page_cursor(), limit=PAGE_SIZE
            )
        self.rows = [task_row(t) for t in page.items]
        self.selected = []
        self._took(page.has_more, page.next_cursor)

    def _export_plan(self, actor: Actor) -> ExportPlan[TaskView]:
        f = self._filter(actor)
        return ExportPlan(
            "tasks",
            "tasks",
            TASK_CSV_HEADER,
            lambda uow, cursor, size: list_tasks(uow, actor, f, cursor=cursor, limit=size),
            task_csv_row,
        )

    @rx.event
    @guarded(page="operations_tasks")
    def load(self, actor: Actor):
        self.status_options = [Option(OPEN_FILTER, "Open (not done or canceled)")] + [
            Option(s.value, label) for s, (label, _c) in TASK_STATUS.items()
        ]
        self.can_bulk = actor.can("operations.tasks.update")
        with read_only() as uow:
            ventures = operations_ventures_for(uow, actor, "operations.tasks.create")
        self.task_venture_options = [Option(str(v.id), f"{v.code} · {v.name}") for v in ventures]
        self.can_create = bool(ventures)
        self.who_options = [Option("mine", "Assigned to me"), Option("all", "Everyone I manage")]
        if not actor.can("operations.tasks.read_all"):
            self.f_who = "mine"
        self._first_page()
        event = self._safe_query(actor)
        self._ready("operations_tasks")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        status = as_text(form_data.get("status") or "all", 20)
        self.f_status = status if status in {o.value for o in self.status_options} else "all"
        who = as_text(form_data.get("who") or "mine", 8)
        self.f_who = who if who in ("mine", "all") else "mine"
        self.f_overdue = form_data.get("overdue") in ("on", True, "true")
        self.f_search = as_text(form_data.get("q"), 100)
        self._first_page()
        return self._safe_query(actor)

    @rx.event
    def toggle(self, task_id: int, checked: bool):
        tid = as_int(task_id)
        if tid is None or tid not in {r.id for r in self.rows}:
            return
        chosen = [i for i in self.selected if i != tid]
        self.selected = [*chosen, tid] if checked else chosen

    @rx.event
    @guarded(busy="busy")
    def set_status(self, actor: Actor, task_id: int, status: str):
        tid = as_int(task_id)
        if tid is None:
            return None
        with unit_of_work() as uow:
            view = set_task_status(uow, actor, tid, as_text(status, 20))
        self._safe_query(actor)
        return rx.toast.success(f"“{view.title}” is now {TASK_STATUS[view.status][0]}.")

    @rx.event
    @guarded(busy="busy")
    def bulk(self, actor: Actor, status: str):
        if not self.selected:
            return rx.toast.info("Choose tasks first.")
        with unit_of_work() as uow:
            changed = bulk_set_status(
                uow, actor, {"task_ids": list(self.selected), "status": as_text(status, 20)}
            )
        self._safe_query(actor)
        label = TASK_STATUS[TaskStatus(status)][0]
        return rx.toast.success(f"{changed} task(s) moved to {label}.")

    # -- the "New task" / edit dialog ------------------------------------------------------------

    def _assignee_options(self, actor: Actor, venture_id: int | None) -> None:
        people = []
        if venture_id is not None:
            with read_only() as uow:
                people = assignees(uow, actor, venture_id)
        self.task_assignee_options = [
            Option(str(p.user_id), f"{p.name} (you)" if p.user_id == actor.user_id else p.name)
            for p in people
        ]

    def _open_form(self, values: dict[str, str]) -> None:
        TASK_FORM.clear(self)
        self.t_values = values
        self._t_loaded = dict(values)
        self.t_key += 1
        self.task_open = True

    @rx.event
    @guarded
    def new_task(self, actor: Actor):
        ids = [o.value for o in self.task_venture_options]
        only = self._filter_venture_id(actor)
        if str(only) in ids:
            self.t_venture = str(only)
        elif self.t_venture not in ids:
            self.t_venture = ids[0] if ids else ""
        self._task_id, self.task_mode, self.t_venture_label = None, "create", ""
        self._assignee_options(actor, as_int(self.t_venture))
        self._open_form(
            {
                "title": "",
                "description": "",
                "priority": TaskPriority.MEDIUM.value,
                "due_date": "",
                "assignee_id": "",
            }
        )

    @rx.event
    @guarded
    def choose_task_venture(self, actor: Actor, value: str):
        """The assignee choices follow the venture chosen in the dialog."""
        if self.task_mode != "create":
            return
        self.t_venture = as_text(value, 12)
        self._assignee_options(actor, as_int(self.t_venture))
        self.t_values = {**self.t_values, "assignee_id": ""}
        self.a_key += 1  # what was typed in the other fields stays

    @rx.event
    @guarded
    def edit_task(self, actor: Actor, task_id: int):
        tid = as_int(task_id)
        if tid is None:
            return
        with read_only() as uow:
            view = get_task_view(uow, actor, tid)  # out of scope: not found
        self._task_id, self.task_mode = view.id, "edit"
        self.t_venture = str(view.venture_id)
        self.t_venture_label = f"{view.venture_code} · {view.office_name}"
        self._assignee_options(actor, view.venture_id)
        if str(view.assignee_id) not in {o.value for o in self.task_assignee_options}:
            # Keep the current assignee choosable even if the reader could not assign them now.
            self.task_assignee_options = [
                Option(str(view.assignee_id), view.assignee_name),
                *self.task_assignee_options,
            ]
        self._open_form(
            {
                "title": view.title,
                "description": view.description or "",
                "priority": view.priority.value,
                "due_date": view.due_date.isoformat() if view.due_date else "",
                "assignee_id": str(view.assignee_id),
            }
        )

    @rx.event
    def set_task_open(self, value: bool):
        self.task_open = bool(value)

    @rx.event
    @submits(TASK_FORM)
    def save_task(self, actor: Actor, form_data: dict[str, Any]):
        # As typed, for the domain to judge (a title too long, a date that is not one).
        typed = {
            "title": as_text(form_data.get("title"), 1000),
            "description": as_text(form_data.get("description"), 8000),
            "priority": as_text(form_data.get("priority"), 20),
            "due_date": as_text(form_data.get("due_date"), 40),
            "assignee_id": as_text(form_data.get("assignee_id"), 12),
        }
        self.t_values = typed  # a refused form keeps what was typed
        if self._task_id is None:
            venture = as_text(form_data.get("venture_id") or self.t_venture, 12)
            data: dict[str, Any] = {
                "venture_id": _id(venture) if venture else None,
                "title": typed["title"],
                "description": typed["description"] or None,
                "priority": typed["priority"] or TaskPriority.MEDIUM.value,
            }
            if typed["due_date"]:
                data["due_date"] = typed["due_date"]
            if typed["assignee_id"]:
                data["assignee_id"] = _id(typed["assignee_id"])
            with unit_of_work() as uow:
                view = create_task(uow, actor, data)
            message = f"Task “{view.title}” created for {view.assignee_name}."
        else:
            # Only what changed: an untouched field is not re-judged (an assignee who has
            # since left the office stays on the task until a manager reassigns it).
            patch: dict[str, Any] = {
                k: (typed[k] or None)
                for k in TASK_EDIT_FIELDS
                if typed[k] != self._t_loaded.get(k, "")
            }
            if patch.get("assignee_id"):
                patch["assignee_id"] = _id(patch["assignee_id"])
            if not patch:
                return Saved("Nothing changed.")
            with unit_of_work() as uow:
                view = update_task(uow, actor, self._task_id, patch)
            message = f"Task “{view.title}” saved."
        self._safe_query(actor)
        return Saved(message)


# -- the EOD review page ---------------------------------------------------------------------------

REVIEW_FORM = Form(("note",), {"note": "Note", "status": "Status"}, open="review_open")


class EodReviewState(CsvExport, SessionState):
    venture_options: list[Option] = []
    f_venture: str = ""
    f_day: str = ""
    day_label: str = ""
    offices: list[OfficeMissingRow] = []
    reports: list[EodRow] = []
    review_open: bool = False
    review_person: str = ""
    err: dict[str, str] = {}
    errors: list[str] = []
    busy: bool = False

    _review_id: int | None = None

    def _query(self, actor: Actor) -> None:
        vid = as_int(self.f_venture)
        if vid is None:
            self.offices, self.reports = [], []
            return
        day = as_date(self.f_day)
        with read_only() as uow:
            day = day or venture_today(uow, actor, vid)
            offices = missing_eods(uow, actor, vid, day)
            page = list_eods(uow, actor, venture_id=vid, date_from=day, date_to=day, limit=200)
        self.f_day = day.isoformat()
        self.day_label = fmt_date(day)
        self.offices = [office_missing_row(o) for o in offices]
        self.reports = [eod_row(r) for r in page.items if r.user_id != actor.user_id]

    def _export_plan(self, actor: Actor) -> ExportPlan[EodView] | str:
        """The day's reports as the page lists them (the reader's own is not theirs to review)."""
        vid, day = as_int(self.f_venture), as_date(self.f_day)
        if vid is None or day is None:
            return "Choose a venture and a day first."

        def fetch(uow: Any, cursor: str | None, size: int) -> Page[EodView]:
            page = list_eods(
                uow, actor, venture_id=vid, date_from=day, date_to=day, cursor=cursor, limit=size
            )
            items = [r for r in page.items if r.user_id != actor.user_id]
            return Page(items, page.next_cursor, page.has_more)

        return ExportPlan(
            "reports", f"eod-reports-{day.isoformat()}", EOD_CSV_HEADER, fetch, eod_csv_row
        )

    def _safe(self, actor: Actor) -> Any:
        try:
            self._query(actor)
        except DomainError as exc:
            self.offices, self.reports = [], []
            return rx.toast.error(exc.message)
        return None

    @rx.event
    @guarded(page="operations_eod")
    def load(self, actor: Actor):
        with read_only() as uow:
            ventures = operations_ventures_for(uow, actor, "operations.eod.team.read")
        self.venture_options = [Option(str(v.id), f"{v.code} · {v.name}") for v in ventures]
        ids = [o.value for o in self.venture_options]
        only = self._filter_venture_id(actor)
        if only is not None and str(only) in ids:
            self.f_venture = str(only)
        elif self.f_venture not in ids:
            self.f_venture = ids[0] if ids else ""
        self.f_day = ""
        event = self._safe(actor)
        self._ready("operations_eod")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        venture = as_text(form_data.get("venture"), 12)
        if venture in {o.value for o in self.venture_options}:
            self.f_venture = venture
        day = as_date(form_data.get("day"))
        self.f_day = day.isoformat() if isinstance(day, date) else ""
        return self._safe(actor)

    @rx.event
    @guarded(busy="busy")
    def mark_reviewed(self, actor: Actor, report_id: int):
        rid = as_int(report_id)
        if rid is None:
            return None
        with unit_of_work() as uow:
            view = review_eod(uow, actor, rid, {"status": EodStatus.REVIEWED.value})
        self._safe(actor)
        return rx.toast.success(f"{view.user_name}'s report marked reviewed.")

    @rx.event
    @guarded
    def ask_attention(self, actor: Actor, report_id: int):
        rid = as_int(report_id)
        row = next((r for r in self.reports if r.id == rid), None)
        if row is None:
            return None
        REVIEW_FORM.clear(self)
        self._review_id = rid
        self.review_person = row.person
        self.review_open = True
        return None

    @rx.event
    def set_review_open(self, value: bool):
        self.review_open = bool(value)

    @rx.event
    @submits(REVIEW_FORM)
    def save_attention(self, actor: Actor, form_data: dict[str, Any]):
        if self._review_id is None:
            return None
        with unit_of_work() as uow:
            view = review_eod(
                uow,
                actor,
                self._review_id,
                {
                    "status": EodStatus.NEEDS_ATTENTION.value,
                    "note": as_text(form_data.get("note"), 1000),
                },
            )
        self._safe(actor)
        return Saved(f"{view.user_name}'s report needs attention.")
