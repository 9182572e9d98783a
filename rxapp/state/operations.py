"""Operations in the web app: "My tasks" and the EOD form on My Day (``MyWorkState``), the tasks
page (``TasksState``: filters, cursor, status changes, bulk status for managers) and the EOD
review page (``EodReviewState``: who has not submitted per office and day, reviews).

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
from domain.operations.models import EodStatus, TaskStatus
from domain.operations.queries import (
    TaskFilter,
    list_eods,
    list_tasks,
    missing_eods,
    my_eod,
    my_tasks,
    operations_ventures_for,
)
from domain.operations.rules import OPEN_STATUSES
from domain.operations.services import (
    bulk_set_status,
    complete_task,
    review_eod,
    set_task_status,
    submit_eod,
)
from domain.org.queries import venture_today
from rxapp.format import fmt_date
from rxapp.state.form_base import Form, Saved, submits
from rxapp.state.forms import Option, as_date, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.operations import (
    TASK_STATUS,
    EodRow,
    OfficeMissingRow,
    TaskRow,
    eod_row,
    office_missing_row,
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


class TasksState(CursorPages, SessionState):
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

    @rx.event
    @guarded(page="operations_tasks")
    def load(self, actor: Actor):
        self.status_options = [Option(OPEN_FILTER, "Open (not done or canceled)")] + [
            Option(s.value, label) for s, (label, _c) in TASK_STATUS.items()
        ]
        self.can_bulk = actor.can("operations.tasks.update")
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


# -- the EOD review page ---------------------------------------------------------------------------

REVIEW_FORM = Form(("note",), {"note": "Note", "status": "Status"}, open="review_open")


class EodReviewState(SessionState):
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
