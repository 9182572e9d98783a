"""/freight/loads: the loads in scope, newest first, filtered by status, office, customer, created
date range and reference; the header's venture filter applies. "Newer" / "Older" cursor pages and a
CSV export of everything the filters match.

Every handler re-resolves the Actor; ``domain.freight.queries.list_loads`` applies scope in SQL, so
a filter naming an office, customer or venture outside scope simply matches nothing.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import DomainError
from domain.freight.access import freight_venture_ids
from domain.freight.models import LoadStatus
from domain.freight.queries import LoadFilter, list_customers, list_loads
from domain.freight.schemas import LoadView
from domain.freight.transitions import LOAD_STATUS_ORDER
from domain.org.queries import list_ventures, my_offices
from rxapp.export import CsvExport, ExportPlan
from rxapp.state.forms import Option, as_date, as_int, as_text, query_params
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.freight import LOAD_CSV_HEADER, LoadRow, load_csv_row, load_row
from rxapp.views.status import LOAD_STATUS

PAGE_SIZE = 50
NEEDS_COVER = "needs_cover"
OPEN_PIPELINE = "active"
ACTIVE = [s for s in LOAD_STATUS_ORDER if s not in (LoadStatus.DELIVERED, LoadStatus.LOST)]


class FreightLoadsState(CursorPages, CsvExport, SessionState):
    rows: list[LoadRow] = []
    status_options: list[Option] = []
    office_options: list[Option] = []
    customer_options: list[Option] = []
    f_status: str = "all"
    f_office: str = "all"
    f_customer: str = "all"
    f_from: str = ""
    f_to: str = ""
    f_search: str = ""
    filter_error: str = ""
    can_create: bool = False
    show_venture: bool = False
    form_key: int = 0

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Loads {start:,} to {start + len(self.rows) - 1:,}, newest first"

    @rx.var
    def filtered(self) -> bool:
        return (
            self.f_status != "all"
            or self.f_office != "all"
            or self.f_customer != "all"
            or bool(self.f_from or self.f_to or self.f_search)
        )

    # -- queries -------------------------------------------------------------------------------

    def _filters(self, actor: Actor) -> LoadFilter:
        statuses: list[LoadStatus] = []
        needs_cover = False
        if self.f_status == NEEDS_COVER:
            needs_cover = True
        elif self.f_status == OPEN_PIPELINE:
            statuses = ACTIVE
        elif self.f_status in LoadStatus.__members__:
            statuses = [LoadStatus(self.f_status)]
        return LoadFilter(
            venture_id=self._filter_venture_id(actor),
            statuses=statuses,
            needs_cover=needs_cover,
            office_id=as_int(self.f_office),
            customer_id=as_int(self.f_customer),
            date_from=as_date(self.f_from),
            date_to=as_date(self.f_to),
            search=self.f_search or None,
        )

    def _query(self, actor: Actor) -> None:
        cursor = self._page_cursor()
        with read_only() as uow:
            page = list_loads(uow, actor, self._filters(actor), cursor=cursor, limit=PAGE_SIZE)
        self.rows = [load_row(v) for v in page.items]
        self._took(page.has_more, page.next_cursor)

    def _export_plan(self, actor: Actor) -> ExportPlan[LoadView]:
        filters = self._filters(actor)
        return ExportPlan(
            "loads",
            "loads",
            LOAD_CSV_HEADER,
            lambda uow, cursor, size: list_loads(uow, actor, filters, cursor=cursor, limit=size),
            load_csv_row,
        )

    def _options(self, actor: Actor) -> None:
        vid = self._filter_venture_id(actor)
        with read_only() as uow:
            freight = set(freight_venture_ids(uow, actor))
            codes = {v.id: v.code for v in list_ventures(uow, actor) if v.id in freight}
            offices = my_offices(
                uow, actor, [vid] if vid is not None else freight, active_only=False
            )
            customers = (
                list_customers(uow, actor, venture_id=vid, limit=200).items
                if actor.can("freight.customers.read")
                else []
            )
        many = len(codes) > 1 and vid is None
        self.show_venture = many
        self.office_options = [
            Option(str(o.id), f"{o.name} · {codes.get(o.venture_id, '')}" if many else o.name)
            for o in sorted(offices, key=lambda o: (codes.get(o.venture_id, ""), o.name))
        ]
        self.customer_options = [
            Option(str(c.id), f"{c.name} · {c.venture_code}" if many else c.name) for c in customers
        ]
        self.status_options = [
            Option(NEEDS_COVER, "Needs a carrier"),
            Option(OPEN_PIPELINE, "Not delivered or lost"),
        ] + [Option(s.value, LOAD_STATUS[s][0]) for s in LOAD_STATUS_ORDER]
        self.can_create = any(actor.can("freight.loads.create", v) for v in codes)

    # -- handlers ------------------------------------------------------------------------------

    @rx.event
    @guarded(page="freight_loads")
    def load(self, actor: Actor):
        params = query_params(self)
        if params:  # links from elsewhere: ?status=LOST, ?customer=12, ?q=AFL-
            self.f_status = params.get("status", self.f_status)
            self.f_customer = params.get("customer", self.f_customer)
            self.f_search = as_text(params.get("q", self.f_search), 40)
            self.form_key += 1
        self._options(actor)
        if self.f_office not in {o.value for o in self.office_options}:
            self.f_office = "all"
        if self.f_customer not in {o.value for o in self.customer_options}:
            self.f_customer = "all"
        if self.f_status not in {o.value for o in self.status_options}:
            self.f_status = "all"
        self._first_page()
        event = self._safe_query(actor)
        self._ready("freight_loads")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        self.f_status = as_text(form_data.get("status") or "all", 40)
        self.f_office = as_text(form_data.get("office") or "all", 12)
        self.f_customer = as_text(form_data.get("customer") or "all", 12)
        self.f_from = as_text(form_data.get("from"), 10)
        self.f_to = as_text(form_data.get("to"), 10)
        self.f_search = as_text(form_data.get("search"), 40)
        self.filter_error = ""
        start, end = as_date(self.f_from), as_date(self.f_to)
        if start and end and start > end:
            self.filter_error = "The start date is after the end date."
            return None
        self._first_page()
        try:
            self._query(actor)
        except DomainError as exc:
            self.rows, self.has_older = [], False
            self.filter_error = exc.message
        return None

    @rx.event
    @guarded
    def clear_filters(self, actor: Actor):
        self.f_status = self.f_office = self.f_customer = "all"
        self.f_from = self.f_to = self.f_search = self.filter_error = ""
        self.form_key += 1
        self._first_page()
        return self._safe_query(actor)
