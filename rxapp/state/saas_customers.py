"""/saas/customers: the customers of the SaaS ventures in scope by name, each with its MRR today,
a search box, and "New customer" for the roles that manage customers.

/saas/customers/[customer_id]: one customer with its subscriptions; add a subscription and
cancel one (date and reason) after a confirmation. The ids come from the URL and the client and
go to the domain, which finds them through scope (out of scope = not found) and checks the role;
a second cancellation is refused by the domain's atomic UPDATE.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.db import read_only, unit_of_work
from domain.errors import DomainError, NotFound
from domain.org.queries import list_ventures
from domain.saas import queries, services
from domain.saas.access import saas_venture_ids
from domain.saas.schemas import CustomerPageView
from rxapp.state.errors import form_errors
from rxapp.state.forms import Option, as_amount, as_date, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.freight import money
from rxapp.views.saas import (
    CustomerRow,
    SubscriptionRow,
    customer_href,
    customer_row,
    subscription_row,
)

PAGE_SIZE = 50
CUSTOMER_LABELS = {"venture_id": "Venture", "name": "Name", "domain": "Domain"}
SUB_LABELS = {"customer_id": "Customer", "plan": "Plan", "mrr": "MRR", "started_at": "Start date"}
CANCEL_LABELS = {"cancelled_at": "Cancellation date", "reason": "Reason"}


def _blank(labels: dict[str, str]) -> dict[str, str]:
    return dict.fromkeys(labels, "")


class SaasCustomersState(CursorPages, SessionState):
    rows: list[CustomerRow] = []
    f_q: str = ""
    can_manage: bool = False
    manage_ventures: list[Option] = []
    create_open: bool = False
    c_err: dict[str, str] = _blank(CUSTOMER_LABELS)
    c_errors: list[str] = []
    busy: bool = False

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Customers {start:,} to {start + len(self.rows) - 1:,}, by name"

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = queries.list_customers(
                uow,
                actor,
                venture_id=self._filter_venture_id(actor),
                search=self.f_q or None,
                cursor=self._page_cursor(),
                limit=PAGE_SIZE,
            )
        self.rows = [customer_row(v) for v in page.items]
        self._took(page.has_more, page.next_cursor)

    @rx.event
    @guarded(page="saas_customers")
    def load(self, actor: Actor):
        with read_only() as uow:
            ids = set(saas_venture_ids(uow, actor))
            ventures = [v for v in list_ventures(uow, actor) if v.id in ids]
        self.manage_ventures = [
            Option(str(v.id), f"{v.code} · {v.name}")
            for v in ventures
            if v.is_active and actor.can("saas.customers.manage", v.id)
        ]
        self.can_manage = bool(self.manage_ventures)
        self.create_open = False
        self._first_page()
        event = self._safe_query(actor)
        self._ready("saas_customers")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        self.f_q = as_text(form_data.get("q"), 100)
        self._first_page()
        return self._safe_query(actor)

    @rx.event
    @guarded
    def open_create(self, actor: Actor):
        if not self.can_manage:
            return rx.toast.error("Your role does not create customers.")
        self.c_err, self.c_errors = _blank(CUSTOMER_LABELS), []
        self.create_open = True
        return None

    @rx.event
    def set_create_open(self, open: bool) -> None:
        if not self.busy:
            self.create_open = bool(open)

    @rx.event
    @guarded
    def create_customer(self, actor: Actor, form_data: dict[str, Any]):
        data = {
            "venture_id": as_int(form_data.get("venture_id")),
            "name": as_text(form_data.get("name"), 200),
            "domain": as_text(form_data.get("domain"), 200),
        }
        try:
            with unit_of_work() as uow:
                view = services.create_customer(uow, actor, data)
        except DomainError as exc:
            self.c_err, self.c_errors = form_errors(exc, CUSTOMER_LABELS)
            self.c_err = _blank(CUSTOMER_LABELS) | self.c_err
            return None
        self.create_open = False
        return [rx.toast.success(f"{view.name} added."), rx.redirect(customer_href(view.id))]


class SaasCustomerState(SessionState):
    name: str = ""
    domain: str = ""
    mrr: str = ""
    subs: list[SubscriptionRow] = []
    can_manage: bool = False
    busy: bool = False
    # add a subscription
    add_open: bool = False
    a_err: dict[str, str] = _blank(SUB_LABELS)
    a_errors: list[str] = []
    today: str = ""
    # cancel one
    cancel_open: bool = False
    cancel_title: str = ""
    x_err: dict[str, str] = _blank(CANCEL_LABELS)
    x_errors: list[str] = []

    _customer_id: int | None = None
    _cancel_id: int | None = None

    def _route_customer_id(self) -> int | None:
        parts = [p for p in self._current_path().split("/") if p]
        if len(parts) == 3 and parts[:2] == ["saas", "customers"]:
            return as_int(parts[2])
        return None

    def _show(self, actor: Actor, page: CustomerPageView) -> None:
        c = page.customer
        self._customer_id = c.id
        self.name, self.domain = c.name, c.domain
        self.mrr = money(c.mrr, c.currency)
        self.subs = [subscription_row(s) for s in page.subscriptions]
        self.can_manage = actor.can("saas.subscriptions.manage", c.venture_id)

    def _fetch(self, actor: Actor, customer_id: int) -> CustomerPageView:
        with read_only() as uow:
            return queries.customer_page(uow, actor, customer_id)

    def _reread(self, actor: Actor) -> None:
        if self._customer_id is not None:
            self._show(actor, self._fetch(actor, self._customer_id))

    @rx.event
    def load(self):
        actor, bounce = self._enter("saas_customer")
        if actor is None:
            self._customer_id = None
            return bounce
        customer_id = self._route_customer_id()
        try:
            if customer_id is None:
                raise NotFound("customer")
            page = self._fetch(actor, customer_id)
        except DomainError:  # out of scope and missing look the same: no access, no data
            self._customer_id, self.subs = None, []
            self._deny("saas_customer")
            return None
        self._show(actor, page)
        self.add_open = self.cancel_open = False
        self._ready("saas_customer")
        return None

    @rx.event
    @guarded
    def open_add(self, actor: Actor):
        if not self.can_manage or self._customer_id is None:
            return rx.toast.error("Your role does not add subscriptions.")
        self.a_err, self.a_errors = _blank(SUB_LABELS), []
        self.today = clock.today("UTC").isoformat()
        self.add_open = True
        return None

    @rx.event
    def set_add_open(self, open: bool) -> None:
        if not self.busy:
            self.add_open = bool(open)

    @rx.event
    @guarded
    def add_subscription(self, actor: Actor, form_data: dict[str, Any]):
        if self._customer_id is None:
            return None
        data = {
            "customer_id": self._customer_id,
            "plan": as_text(form_data.get("plan"), 100),
            "mrr": as_amount(form_data.get("mrr")),
            "started_at": as_date(form_data.get("started_at")),
        }
        try:
            with unit_of_work() as uow:
                services.create_subscription(uow, actor, data)
        except DomainError as exc:
            by_field, self.a_errors = form_errors(exc, SUB_LABELS)
            self.a_err = _blank(SUB_LABELS) | by_field
            return None
        self.add_open = False
        self._reread(actor)
        return rx.toast.success("Subscription added.")

    @rx.event
    @guarded
    def open_cancel(self, actor: Actor, subscription_id: int):
        row = next((s for s in self.subs if s.id == subscription_id), None)
        if not self.can_manage or row is None or not row.is_active:
            return rx.toast.error("This subscription cannot be cancelled here.")
        self._cancel_id = row.id
        self.cancel_title = f"Cancel {row.plan} ({row.mrr} a month)?"
        self.x_err, self.x_errors = _blank(CANCEL_LABELS), []
        self.today = clock.today("UTC").isoformat()
        self.cancel_open = True
        return None

    @rx.event
    def set_cancel_open(self, open: bool) -> None:
        if not self.busy:
            self.cancel_open = bool(open)

    @rx.event
    @guarded
    def cancel(self, actor: Actor, form_data: dict[str, Any]):
        if self._cancel_id is None:
            return None
        data = {
            "cancelled_at": as_date(form_data.get("cancelled_at")),
            "reason": as_text(form_data.get("reason"), 500),
        }
        try:
            with unit_of_work() as uow:
                services.cancel_subscription(uow, actor, self._cancel_id, data)
        except DomainError as exc:
            by_field, self.x_errors = form_errors(exc, CANCEL_LABELS)
            self.x_err = _blank(CANCEL_LABELS) | by_field
            return None
        self.cancel_open, self._cancel_id = False, None
        self._reread(actor)
        return rx.toast.success("Subscription cancelled.")
