"""/audit: the audit log, filtered by user, action, venture and date range, newest first, with
"Newer" / "Older" cursor pages and a CSV export of what the filters match."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.access.audit import (
    AuditFilter,
    AuditView,
    action_label,
    audit_action_groups,
    audit_actions,
    audit_people,
    list_audit,
)
from domain.db import read_only
from domain.errors import DomainError
from domain.org.queries import list_ventures
from rxapp.export import CsvExport, ExportPlan, csv_time
from rxapp.format import (
    describe_detail,
    fmt_datetime,
    group_timezone_label,
    timezone_label,
)
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState

PAGE_SIZE = 50


@dataclasses.dataclass
class AuditRow:
    id: int = 0
    at: str = ""
    action: str = ""
    action_label: str = ""
    action_color: str = "gray"
    who: str = ""
    as_whom: str = ""
    entity: str = ""
    venture: str = ""
    detail: str = ""
    ip: str = ""


@dataclasses.dataclass
class FilterOption:
    value: str = ""
    label: str = ""


def _color(action: str) -> str:
    if action in ("auth.login_failed", "auth.lock", "user.deactivated"):
        return "red"
    if action.startswith("auth.impersonation"):
        return "amber"
    if action.startswith("auth."):
        return "blue"
    if action.startswith("user."):
        return "violet"
    return "gray"


CSV_HEADER = (
    "Time (UTC)",
    "Action",
    "Description",
    "By",
    "Acting as",
    "Record type",
    "Record id",
    "Venture",
    "Details (JSON)",
    "IP",
)


def _csv_row(v: AuditView) -> list[str]:
    """Exact values for a reviewer's spreadsheet: UTC ISO time, the raw action and details."""
    acting = v.effective_user_email if v.effective_user_id != v.real_user_id else None
    return [
        csv_time(v.at),
        v.action,
        action_label(v.action),
        v.real_user_email or "",
        acting or "",
        v.entity_type or "",
        v.entity_id or "",
        v.venture_code or "",
        json.dumps(v.detail, sort_keys=True, ensure_ascii=False) if v.detail else "",
        v.ip or "",
    ]


def _row(v: AuditView) -> AuditRow:
    who = v.real_user_email or "Anonymous"
    as_whom = (
        v.effective_user_email
        if v.effective_user_email and v.effective_user_id != v.real_user_id
        else ""
    )
    entity = f"{v.entity_type.replace('_', ' ')} #{v.entity_id}" if v.entity_type else ""
    return AuditRow(
        id=v.id,
        at=fmt_datetime(v.at),
        action=v.action,
        action_label=action_label(v.action),
        action_color=_color(v.action),
        who=who,
        as_whom=as_whom,
        entity=entity,
        venture=v.venture_code or "",
        detail=describe_detail(v.detail),
        ip=v.ip or "",
    )


def _parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


class AuditState(CursorPages, CsvExport, SessionState):
    rows: list[AuditRow] = []
    people: list[FilterOption] = []
    actions: list[FilterOption] = []
    ventures: list[FilterOption] = []
    f_user: str = "all"
    f_action: str = "all"
    f_venture: str = "all"
    f_from: str = ""
    f_to: str = ""
    filter_error: str = ""
    tz_label: str = ""
    dates_caption: str = ""
    form_key: int = 0

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Entries {start} to {start + len(self.rows) - 1}, newest first"

    def _filters(self) -> AuditFilter:
        def as_int(v: str) -> int | None:
            return int(v) if v.isdigit() else None

        action = self.f_action if self.f_action != "all" else None
        return AuditFilter(
            user_id=as_int(self.f_user),
            action=action,
            venture_id=as_int(self.f_venture),
            date_from=_parse_date(self.f_from),
            date_to=_parse_date(self.f_to),
        )

    def _export_plan(self, actor: Actor) -> ExportPlan[AuditView] | str:
        if self.filter_error:
            return f"Fix the filters first: {self.filter_error}"
        filters = self._filters()
        return ExportPlan(
            "audit entries",
            "audit",
            CSV_HEADER,
            lambda uow, cursor, size: list_audit(uow, actor, filters, cursor=cursor, limit=size),
            _csv_row,
        )

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = list_audit(
                uow, actor, self._filters(), cursor=self._page_cursor(), limit=PAGE_SIZE
            )
        self.rows = [_row(v) for v in page.items]
        self._took(page.has_more, page.next_cursor)

    @rx.event
    @guarded(page="audit")
    def load(self, actor: Actor):
        with read_only() as uow:
            people = audit_people(uow, actor)
            ventures = list_ventures(uow, actor, include_inactive=True)
        self.people = [FilterOption(str(p.id), f"{p.name} ({p.email})") for p in people]
        self.ventures = [FilterOption(str(v.id), f"{v.name} ({v.code})") for v in ventures]
        self.actions = [FilterOption(k, v) for k, v in audit_action_groups().items()] + [
            FilterOption(a, label) for a, label in audit_actions().items()
        ]
        group, viewer = group_timezone_label(), timezone_label()
        self.tz_label = viewer
        self.dates_caption = f"Dates are business dates in the group timezone ({group})." + (
            f" Times are shown in your timezone ({viewer})." if viewer != group else ""
        )
        self._first_page()
        self._query(actor)
        self._ready("audit")
        return None

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        self.f_user = str(form_data.get("user") or "all")
        self.f_action = str(form_data.get("action") or "all")
        self.f_venture = str(form_data.get("venture") or "all")
        self.f_from = str(form_data.get("from") or "")
        self.f_to = str(form_data.get("to") or "")
        self.filter_error = ""
        f = self._filters()
        if f.date_from and f.date_to and f.date_from > f.date_to:
            self.filter_error = "The start date is after the end date."
            return None
        if self.f_action not in ("all", *audit_action_groups(), *audit_actions()):
            self.f_action = "all"
        self._first_page()
        try:
            self._query(actor)
        except DomainError as exc:
            self.filter_error = exc.message
        return None

    @rx.event
    @guarded
    def clear_filters(self, actor: Actor):
        self.f_user = self.f_action = self.f_venture = "all"
        self.f_from = self.f_to = self.filter_error = ""
        self.form_key += 1  # remount the filter form with the cleared values
        self._first_page()
        return self._safe_query(actor)
