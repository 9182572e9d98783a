"""/freight/quotes: quotes in scope, newest first, by status; status changes the quote state
machine allows, and "convert to load" for ACCEPTED and BOOKED quotes (confirmed, idempotent: a
second conversion returns the same load).

Handlers take the quote id from the client and hand it to the domain, which finds the quote
through scope (out of scope = not found) and checks the permission.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import reflex as rx
from reflex_components_sonner.toast import ToastAction

from domain.access.actor import Actor
from domain.db import UnitOfWork, read_only, unit_of_work
from domain.errors import DomainError, Invalid
from domain.freight.access import freight_ventures_for
from domain.freight.models import QuoteStatus
from domain.freight.queries import get_quote_view, list_customers, list_quotes
from domain.freight.schemas import US_STATES, QuoteView
from domain.freight.services import convert_quote, create_quote, set_quote_status
from domain.org.queries import end_of_business_day
from domain.pagination import Page
from rxapp.export import CsvExport, ExportPlan
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.forms import Option, as_amount, as_date, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.freight import EQUIPMENT, QUOTE_CSV_HEADER, QuoteRow, quote_csv_row, quote_row
from rxapp.views.status import QUOTE_STATUS

PAGE_SIZE = 50
OPEN_QUOTES = "open"
OPEN = [
    QuoteStatus.DRAFT,
    QuoteStatus.SENT,
    QuoteStatus.NO_RESPONSE,
    QuoteStatus.COUNTERED,
    QuoteStatus.ACCEPTED,
]


class FreightQuotesState(CursorPages, CsvExport, SessionState):
    rows: list[QuoteRow] = []
    status_options: list[Option] = []
    f_status: str = "all"

    confirm_open: bool = False
    confirm_title: str = ""
    confirm_text: str = ""
    busy: bool = False
    can_create: bool = False

    _convert_id: int | None = None

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Quotes {start:,} to {start + len(self.rows) - 1:,}, newest first"

    def _statuses(self) -> list[QuoteStatus]:
        if self.f_status == OPEN_QUOTES:
            return OPEN
        if self.f_status in QuoteStatus.__members__:
            return [QuoteStatus(self.f_status)]
        return []

    def _lister(self, actor: Actor) -> Callable[[UnitOfWork, str | None, int], Page[QuoteView]]:
        """The quotes query with the filters on screen (for the page and the export)."""
        venture_id, statuses = self._filter_venture_id(actor), self._statuses()

        def fetch(uow: UnitOfWork, cursor: str | None, size: int) -> Page[QuoteView]:
            return list_quotes(
                uow, actor, venture_id=venture_id, statuses=statuses, cursor=cursor, limit=size
            )

        return fetch

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = self._lister(actor)(uow, self._page_cursor(), PAGE_SIZE)
        self.rows = [quote_row(q) for q in page.items]
        self._took(page.has_more, page.next_cursor)

    def _export_plan(self, actor: Actor) -> ExportPlan[QuoteView]:
        return ExportPlan("quotes", "quotes", QUOTE_CSV_HEADER, self._lister(actor), quote_csv_row)

    @rx.event
    @guarded(page="freight_quotes")
    def load(self, actor: Actor):
        self.status_options = [Option(OPEN_QUOTES, "Open (not yet won or lost)")] + [
            Option(s.value, label) for s, (label, _c) in QUOTE_STATUS.items()
        ]
        self.can_create = actor.can("freight.quotes.manage")
        self._first_page()
        event = self._safe_query(actor)
        self._ready("freight_quotes")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        status = as_text(form_data.get("status") or "all", 20)
        self.f_status = status if status in {o.value for o in self.status_options} else "all"
        self._first_page()
        return self._safe_query(actor)

    @rx.event
    @guarded
    def set_status(self, actor: Actor, quote_id: int, status: str):
        qid = as_int(quote_id)
        if qid is None:
            return None
        with unit_of_work() as uow:
            view = set_quote_status(uow, actor, qid, {"status": as_text(status, 20)})
        self._refresh_row(actor)
        label = QUOTE_STATUS[view.status][0]
        return rx.toast.success(f"Quote #{view.id} for {view.customer_name} is now {label}.")

    def _refresh_row(self, actor: Actor) -> None:
        try:
            self._query(actor)
        except DomainError:
            self.rows = []

    @rx.event
    @guarded
    def ask_convert(self, actor: Actor, quote_id: int):
        qid = as_int(quote_id)
        if qid is None:
            return None
        with read_only() as uow:
            q = get_quote_view(uow, actor, qid)
        if not q.can_convert:
            return rx.toast.error(
                f"Quote #{q.id} is {QUOTE_STATUS[q.status][0]}: it cannot be converted."
            )
        row = quote_row(q)
        self._convert_id = q.id
        self.confirm_title = f"Turn quote #{q.id} into a load?"
        self.confirm_text = (
            f"A new Open load for {q.customer_name}, {row.origin} → {row.destination}, billed at "
            f"{row.rate}. The quote becomes Booked."
        )
        self.confirm_open = True
        return None

    @rx.event
    def set_confirm_open(self, open: bool) -> None:
        if not self.busy:
            self.confirm_open = bool(open)
            if not open:
                self._convert_id = None

    def _convert_failed(self, exc: DomainError) -> Any:
        self.confirm_open, self._convert_id = False, None
        return rx.toast.error(exc.message)

    @rx.event(background=True)
    @guarded(busy="busy", on_error=_convert_failed)
    async def convert(self, actor: Actor):
        async with self:
            qid = self._convert_id
        if qid is None:
            return
        view = await in_unit_of_work(convert_quote, actor, qid)
        async with self:
            self.confirm_open = False
            self._convert_id = None
            self._refresh_row(actor)
        href = f"/freight/loads/{view.id}"
        yield rx.toast.success(
            f"Quote #{qid} is now load {view.reference}.",
            action=ToastAction(label="Open load", on_click=rx.redirect(href)),
            duration=8000,
        )


# -- the "New quote" dialog ---------------------------------------------------------------------

QUOTE_FIELDS = (
    "customer_id",
    "pickup_city",
    "pickup_state",
    "pickup_date",
    "drop_city",
    "drop_state",
    "miles",
    "equipment",
    "quoted_rate",
    "expires_at",
)
QUOTE_LABELS = {
    "venture_id": "Venture",
    "customer_id": "Customer",
    "pickup_city": "Pickup city",
    "pickup_state": "Pickup state",
    "pickup_date": "Pickup date",
    "drop_city": "Drop city",
    "drop_state": "Drop state",
    "miles": "Miles",
    "equipment": "Equipment",
    "quoted_rate": "Rate",
    "expires_at": "Expires",
    "sales_user_id": "Sales",
}


QUOTE_FORM = Form(QUOTE_FIELDS, QUOTE_LABELS, open="form_open")


def _end_of_day(actor: Actor, day: date, venture_id: int) -> datetime:
    with read_only() as uow:
        return end_of_business_day(uow, actor, venture_id, day)


class FreightQuoteFormState(SessionState):
    form_open: bool = False
    venture_choices: list[Option] = []
    f_venture: str = ""
    customer_options: list[Option] = []
    state_options: list[str] = sorted(US_STATES)
    equipment_options: list[Option] = [Option(e.value, label) for e, label in EQUIPMENT.items()]
    err: dict[str, str] = dict.fromkeys(QUOTE_FIELDS, "")
    errors: list[str] = []
    busy: bool = False
    form_key: int = 0

    def _customers(self, actor: Actor, venture_id: int) -> None:
        with read_only() as uow:
            page = list_customers(uow, actor, venture_id=venture_id, active_only=True, limit=200)
        self.customer_options = [Option(str(c.id), c.name) for c in page.items]

    @rx.event
    @guarded
    def open_create(self, actor: Actor):
        with read_only() as uow:
            ventures = freight_ventures_for(uow, actor, "freight.quotes.manage")
        if not ventures:
            return rx.toast.error("Your role does not price quotes.")
        self.venture_choices = [Option(str(v.id), f"{v.name} ({v.code})") for v in ventures]
        preferred = self._filter_venture_id(actor)
        chosen = next((v.id for v in ventures if v.id == preferred), ventures[0].id)
        self.f_venture = str(chosen)
        self._customers(actor, chosen)
        QUOTE_FORM.clear(self)
        self.form_key += 1
        self.form_open = True
        return None

    @rx.event
    def set_form_open(self, open: bool) -> None:
        if not self.busy:
            self.form_open = bool(open)

    @rx.event
    @guarded
    def choose_venture(self, actor: Actor, value: str):
        if str(value) not in {o.value for o in self.venture_choices}:
            return None
        self._customers(actor, int(value))
        self.f_venture = str(value)
        self.form_key += 1
        return None

    @rx.event(background=True)
    @submits(QUOTE_FORM)
    async def save(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            venture = as_int(self.f_venture)
        typed = {f: as_text(form_data.get(f), 200) for f in QUOTE_FIELDS}
        data: dict[str, Any] = {
            "venture_id": venture,
            "customer_id": as_int(typed["customer_id"]) or typed["customer_id"],
            "pickup_city": typed["pickup_city"],
            "pickup_state": typed["pickup_state"],
            "pickup_date": typed["pickup_date"],
            "drop_city": typed["drop_city"],
            "drop_state": typed["drop_state"],
            "miles": typed["miles"].replace(",", ""),
            "equipment": typed["equipment"],
            "quoted_rate": as_amount(typed["quoted_rate"]),
        }
        data = {k: v for k, v in data.items() if v not in (None, "")}
        expires = as_date(typed["expires_at"])
        if typed["expires_at"] and expires is None:
            raise Invalid.field("expires_at", "is not a date")
        if expires is not None and venture is not None:
            data["expires_at"] = await asyncio.to_thread(_end_of_day, actor, expires, venture)
        view = await in_unit_of_work(create_quote, actor, data)
        async with self:
            page = await self.get_state(FreightQuotesState)
            page._first_page()
            page._refresh_row(actor)
        return Saved(
            f"Quote #{view.id} for {view.customer_name} saved as a draft: "
            f"{quote_row(view).rate}. Move it to Sent when the customer has it."
        )
