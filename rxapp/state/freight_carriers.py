"""/freight/carriers (search by name, MC or DOT; equipment; eligible only; cursor pages) and
/freight/carriers/<id> (FMCSA snapshot, standing, the reader's recent loads with the carrier)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import UnitOfWork, read_only
from domain.errors import DomainError, NotFound
from domain.freight.models import Equipment
from domain.freight.queries import get_carrier_detail, list_carriers
from domain.freight.schemas import CarrierView
from domain.pagination import Page
from rxapp.export import CsvExport, ExportPlan
from rxapp.state.forms import Option, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.freight import (
    CARRIER_CSV_HEADER,
    EQUIPMENT,
    CarrierRow,
    LoadRow,
    carrier_csv_row,
    carrier_row,
    load_row,
)

PAGE_SIZE = 50


class FreightCarriersState(CursorPages, CsvExport, SessionState):
    rows: list[CarrierRow] = []
    equipment_options: list[Option] = [Option(e.value, label) for e, label in EQUIPMENT.items()]
    f_search: str = ""
    f_equipment: str = "all"
    f_eligible: bool = False
    form_key: int = 0
    total: int = 0  # every carrier the filters match (a cheap count)

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        end = start + len(self.rows) - 1
        return f"Carriers {start:,} to {end:,} of {self.total:,}, by name"

    def _lister(self, actor: Actor) -> Callable[[UnitOfWork, str | None, int], Page[CarrierView]]:
        """The carriers query with the filters on screen (for the page and the export)."""
        search = self.f_search or None
        equipment = (
            Equipment(self.f_equipment) if self.f_equipment in Equipment.__members__ else None
        )
        eligible = self.f_eligible

        def fetch(uow: UnitOfWork, cursor: str | None, size: int) -> Page[CarrierView]:
            return list_carriers(
                uow,
                actor,
                search=search,
                equipment=equipment,
                eligible_only=eligible,
                cursor=cursor,
                limit=size,
            )

        return fetch

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = self._lister(actor)(uow, self._page_cursor(), PAGE_SIZE)
        self.rows = [carrier_row(c) for c in page.items]
        self.total = page.total or 0
        self._took(page.has_more, page.next_cursor)

    def _export_plan(self, actor: Actor) -> ExportPlan[CarrierView]:
        return ExportPlan(
            "carriers", "carriers", CARRIER_CSV_HEADER, self._lister(actor), carrier_csv_row
        )

    @rx.event
    @guarded(page="freight_carriers")
    def load(self, actor: Actor):
        self._first_page()
        event = self._safe_query(actor)
        self._ready("freight_carriers")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        self.f_search = as_text(form_data.get("search"), 80)
        equipment = as_text(form_data.get("equipment") or "all", 20)
        self.f_equipment = equipment if equipment in Equipment.__members__ else "all"
        self.f_eligible = form_data.get("eligible") in ("on", True, "true")
        self._first_page()
        return self._safe_query(actor)

    @rx.event
    @guarded
    def clear_filters(self, actor: Actor):
        self.f_search, self.f_equipment, self.f_eligible = "", "all", False
        self.form_key += 1
        self._first_page()
        return self._safe_query(actor)


@dataclasses.dataclass
class CarrierStats:
    delivered: int = 0
    outreach: int = 0


class FreightCarrierState(SessionState):
    carrier: CarrierRow = CarrierRow()
    loads: list[LoadRow] = []
    stats: CarrierStats = CarrierStats()
    sees_loads: bool = False

    def _route_carrier_id(self) -> int | None:
        parts = [p for p in self._current_path().split("/") if p]
        if len(parts) == 3 and parts[:2] == ["freight", "carriers"]:
            return as_int(parts[2])
        return None

    @rx.event
    @guarded(page="freight_carrier")
    def load(self, actor: Actor):
        carrier_id = self._route_carrier_id()
        try:
            if carrier_id is None:
                raise NotFound("carrier")
            with read_only() as uow:
                detail = get_carrier_detail(uow, actor, carrier_id)
        except DomainError:
            self.carrier, self.loads, self.stats = CarrierRow(), [], CarrierStats()
            self._deny("freight_carrier")
            return None
        self.carrier = carrier_row(detail.carrier)
        self.loads = [load_row(v) for v in detail.recent_loads]
        self.stats = CarrierStats(detail.loads_delivered, detail.outreach_received)
        self.sees_loads = actor.can("freight.loads.read")
        self._ready("freight_carrier")
        return None
