"""/admin/errors: the unhandled errors the product recorded (page events, API calls, jobs),
most recent first, with the stack of each and a CSV export. Global admins only."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import UnitOfWork, read_only
from domain.observability.errors import (
    KINDS,
    ErrorEventView,
    ErrorFilter,
    get_error_event,
    list_error_events,
)
from domain.pagination import Page
from rxapp.export import CsvExport, ExportPlan, csv_time
from rxapp.format import fmt_datetime, timezone_label
from rxapp.state.forms import as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState

PAGE_KEY = "admin_errors"
PAGE_SIZE = 50
KIND_LABELS = {"page": "Page event", "api": "API call", "job": "Job"}
KIND_COLORS = {"page": "indigo", "api": "cyan", "job": "orange"}


@dataclasses.dataclass
class ErrorRow:
    id: int = 0
    kind: str = ""
    kind_label: str = ""
    kind_color: str = "gray"
    where: str = ""
    error_type: str = ""
    message: str = ""
    count: str = ""
    last_seen: str = ""
    first_seen: str = ""
    user: str = ""


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


def _row(v: ErrorEventView) -> ErrorRow:
    return ErrorRow(
        id=v.id,
        kind=v.kind,
        kind_label=KIND_LABELS.get(v.kind, v.kind),
        kind_color=KIND_COLORS.get(v.kind, "gray"),
        where=v.where,
        error_type=v.error_type,
        message=v.message.splitlines()[0][:300] if v.message else "",
        count=f"{v.count:,}",
        last_seen=fmt_datetime(v.last_seen_at),
        first_seen=fmt_datetime(v.first_seen_at),
        user=v.last_user_email or "",
    )


CSV_HEADER = (
    "Id",
    "Kind",
    "Where",
    "Type",
    "Message",
    "Count",
    "First seen (UTC)",
    "Last seen (UTC)",
    "Last user",
)


def _csv_row(v: ErrorEventView) -> list[str]:
    return [
        str(v.id),
        v.kind,
        v.where,
        v.error_type,
        v.message,
        str(v.count),
        csv_time(v.first_seen_at),
        csv_time(v.last_seen_at),
        v.last_user_email or "",
    ]


class AdminErrorsState(CursorPages, CsvExport, SessionState):
    rows: list[ErrorRow] = []
    kind_options: list[Option] = [Option(k, KIND_LABELS[k]) for k in KINDS]
    f_kind: str = "all"
    f_search: str = ""
    form_key: int = 0
    tz_label: str = ""

    detail_open: bool = False
    detail: ErrorRow = ErrorRow()
    detail_stack: str = ""

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Errors {start:,} to {start + len(self.rows) - 1:,}, most recent first"

    @rx.var
    def filtered(self) -> bool:
        return self.f_kind != "all" or bool(self.f_search)

    def _lister(
        self, actor: Actor
    ) -> Callable[[UnitOfWork, str | None, int], Page[ErrorEventView]]:
        filters = ErrorFilter(
            kind=self.f_kind if self.f_kind in KINDS else None, search=self.f_search or None
        )

        def fetch(uow: UnitOfWork, cursor: str | None, size: int) -> Page[ErrorEventView]:
            return list_error_events(uow, actor, filters, cursor=cursor, limit=size)

        return fetch

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = self._lister(actor)(uow, self._page_cursor(), PAGE_SIZE)
        self.rows = [_row(v) for v in page.items]
        self._took(page.has_more, page.next_cursor)

    def _export_plan(self, actor: Actor) -> ExportPlan[ErrorEventView]:
        return ExportPlan("errors", "errors", CSV_HEADER, self._lister(actor), _csv_row)

    @rx.event
    @guarded(page=PAGE_KEY)
    def load(self, actor: Actor):
        self.tz_label = timezone_label()
        self.detail_open = False
        self._first_page()
        event = self._safe_query(actor)
        self._ready(PAGE_KEY)
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        kind = as_text(form_data.get("kind") or "all", 10)
        self.f_kind = kind if kind in KINDS else "all"
        self.f_search = as_text(form_data.get("search"), 100)
        self._first_page()
        return self._safe_query(actor)

    @rx.event
    @guarded
    def clear_filters(self, actor: Actor):
        self.f_kind, self.f_search = "all", ""
        self.form_key += 1
        self._first_page()
        return self._safe_query(actor)

    @rx.event
    @guarded
    def open_error(self, actor: Actor, error_id: int):
        eid = as_int(error_id)
        if eid is None:
            return None
        with read_only() as uow:
            view = get_error_event(uow, actor, eid)
        self.detail, self.detail_stack = _row(view), view.stack
        self.detail_open = True
        return None

    @rx.event
    def set_detail_open(self, value: bool):
        self.detail_open = bool(value)
        if not self.detail_open:
            self.detail_stack = ""
