"""/admin/ventures: ventures and their offices (create, edit). COO reads; global admins change."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only, unit_of_work
from domain.errors import Invalid
from domain.money import format_money
from domain.org.models import VentureType
from domain.org.queries import list_offices, list_ventures
from domain.org.services import create_office, create_venture, update_office, update_venture
from rxapp.format import venture_type_label
from rxapp.state.form_base import Form, Saved, submits
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState
from rxapp.state.ventures import OfficeRow, office_row

TIMEZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Asia/Singapore",
    "UTC",
]
VENTURE_LABELS = {
    "code": "Code",
    "slug": "Short name (URL)",
    "name": "Name",
    "type": "Type",
    "currency": "Currency",
    "timezone": "Timezone",
    "critical_load_amount": "Big-load threshold",
    "is_active": "Status",
}
OFFICE_LABELS = {
    "name": "Name",
    "city": "City",
    "country": "Country",
    "timezone": "Timezone",
    "is_active": "Status",
}
VENTURE_FORM = Form(
    tuple(VENTURE_LABELS),
    VENTURE_LABELS,
    err="v_errors",
    summary="v_summary",
    busy=None,
    open="venture_open",
)
OFFICE_FORM = Form(
    tuple(OFFICE_LABELS),
    OFFICE_LABELS,
    err="o_errors",
    summary="o_summary",
    busy=None,
    open="office_open",
)


@dataclasses.dataclass
class AdminVentureRow:
    id: int = 0
    code: str = ""
    name: str = ""
    slug: str = ""
    type: str = ""
    type_label: str = ""
    currency: str = ""
    timezone: str = ""
    threshold: str = ""
    threshold_raw: str = ""
    active: bool = True
    offices: list[OfficeRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class TypeOption:
    value: str = ""
    label: str = ""


class AdminVenturesState(SessionState):
    ventures: list[AdminVentureRow] = []
    can_manage: bool = False
    type_options: list[TypeOption] = [
        TypeOption(t.value, venture_type_label(t.value)) for t in VentureType
    ]
    timezones: list[str] = TIMEZONES

    venture_open: bool = False
    venture_mode: str = "create"
    v_code: str = ""
    v_slug: str = ""
    v_name: str = ""
    v_type: str = "LOGISTICS"
    v_currency: str = "USD"
    v_timezone: str = "America/New_York"
    v_threshold: str = "10000.00"
    v_active: bool = True
    v_errors: dict[str, str] = {}
    v_summary: list[str] = []

    office_open: bool = False
    office_mode: str = "create"
    office_venture_name: str = ""
    o_name: str = ""
    o_city: str = ""
    o_country: str = ""
    o_timezone: str = ""
    o_active: bool = True
    o_errors: dict[str, str] = {}
    o_summary: list[str] = []

    _venture_id: int | None = None
    _office_id: int | None = None

    def _refresh(self, actor: Actor) -> None:
        self.can_manage = actor.can("admin.ventures.manage")
        with read_only() as uow:
            ventures = list_ventures(uow, actor, include_inactive=True)
            offices = list_offices(uow, actor)
        by_venture = defaultdict(list)
        for o in offices:
            by_venture[o.venture_id].append(office_row(o))
        self.ventures = [
            AdminVentureRow(
                id=v.id,
                code=v.code,
                name=v.name,
                slug=v.slug,
                type=v.type.value,
                type_label=venture_type_label(v.type),
                currency=v.currency,
                timezone=v.timezone,
                threshold=format_money(v.critical_load_amount, v.currency),
                threshold_raw=f"{v.critical_load_amount:.2f}",
                active=v.is_active,
                offices=by_venture[v.id],
            )
            for v in ventures
        ]

    @rx.event
    @guarded(page="admin_ventures")
    def load(self, actor: Actor):
        self._refresh(actor)
        self._ready("admin_ventures")
        return None

    # -- ventures ------------------------------------------------------------------------------

    @rx.event
    def open_create_venture(self) -> None:
        self._venture_id, self.venture_mode = None, "create"
        self.v_code = self.v_slug = self.v_name = ""
        self.v_type, self.v_currency, self.v_timezone = "LOGISTICS", "USD", "America/New_York"
        self.v_threshold, self.v_active = "10000.00", True
        VENTURE_FORM.clear(self)
        self.venture_open = True

    @rx.event
    def open_edit_venture(self, venture_id: int) -> None:
        row = next((v for v in self.ventures if v.id == int(venture_id)), None)
        if row is None:
            return
        self._venture_id, self.venture_mode = row.id, "edit"
        self.v_code, self.v_slug, self.v_name = row.code, row.slug, row.name
        self.v_type, self.v_currency, self.v_timezone = row.type, row.currency, row.timezone
        self.v_threshold, self.v_active = row.threshold_raw, row.active
        VENTURE_FORM.clear(self)
        self.venture_open = True

    @rx.event
    def set_venture_open(self, open: bool) -> None:
        self.venture_open = bool(open)

    @rx.event
    @submits(VENTURE_FORM)
    def save_venture(self, actor: Actor, form_data: dict[str, Any]):
        f = {k: str(v).strip() for k, v in form_data.items() if isinstance(v, str | int | float)}
        self.v_name = f.get("name", "")
        self.v_timezone = f.get("timezone", "")
        self.v_threshold = f.get("critical_load_amount", "")
        with unit_of_work() as uow:
            if self._venture_id is None:
                self.v_code, self.v_slug = f.get("code", ""), f.get("slug", "")
                self.v_type, self.v_currency = f.get("type", ""), f.get("currency", "")
                data = {
                    k: f.get(k, "")
                    for k in ("code", "slug", "name", "type", "currency", "timezone")
                }
                if f.get("critical_load_amount"):
                    data["critical_load_amount"] = f["critical_load_amount"]
                view = create_venture(uow, actor, data)
                message = f"{view.name} ({view.code}) created. Add its offices next."
            else:
                self.v_active = "is_active" in form_data
                patch: dict[str, Any] = {
                    "name": f.get("name", ""),
                    "timezone": f.get("timezone", ""),
                    "is_active": "is_active" in form_data,
                }
                if f.get("critical_load_amount"):
                    patch["critical_load_amount"] = f["critical_load_amount"]
                view = update_venture(uow, actor, self._venture_id, patch)
                message = f"{view.name} saved."
        self._refresh(actor)
        return Saved(message)

    # -- offices -------------------------------------------------------------------------------

    @rx.event
    def open_create_office(self, venture_id: int) -> None:
        row = next((v for v in self.ventures if v.id == int(venture_id)), None)
        if row is None:
            return
        self._venture_id, self._office_id, self.office_mode = row.id, None, "create"
        self.office_venture_name = row.name
        self.o_name = self.o_city = self.o_country = ""
        self.o_timezone, self.o_active = row.timezone, True
        OFFICE_FORM.clear(self)
        self.office_open = True

    @rx.event
    def open_edit_office(self, office_id: int) -> None:
        for v in self.ventures:
            for o in v.offices:
                if o.id == int(office_id):
                    self._venture_id, self._office_id, self.office_mode = v.id, o.id, "edit"
                    self.office_venture_name = v.name
                    self.o_name, self.o_timezone, self.o_active = o.name, o.timezone, o.active
                    self.o_city, self.o_country = o.city, o.country
                    OFFICE_FORM.clear(self)
                    self.office_open = True
                    return

    @rx.event
    def set_office_open(self, open: bool) -> None:
        self.office_open = bool(open)

    @rx.event
    @submits(OFFICE_FORM)
    def save_office(self, actor: Actor, form_data: dict[str, Any]):
        f = {k: str(v).strip() for k, v in form_data.items() if isinstance(v, str | int | float)}
        self.o_name, self.o_city = f.get("name", ""), f.get("city", "")
        self.o_country, self.o_timezone = f.get("country", ""), f.get("timezone", "")
        data: dict[str, Any] = {
            "name": self.o_name,
            "city": self.o_city,
            "country": self.o_country,
            "timezone": self.o_timezone or None,
        }
        with unit_of_work() as uow:
            if self._office_id is None:
                if self._venture_id is None:
                    raise Invalid.field("venture_id", "choose a venture")
                view = create_office(uow, actor, self._venture_id, data)
                message = f"Office {view.name} added to {self.office_venture_name}."
            else:
                self.o_active = "is_active" in form_data
                data["is_active"] = self.o_active
                if data["timezone"] is None:  # left empty: unchanged
                    del data["timezone"]
                view = update_office(uow, actor, self._office_id, data)
                message = f"Office {view.name} saved."
        self._refresh(actor)
        return Saved(message)
