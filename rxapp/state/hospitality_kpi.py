"""/hospitality/kpi: the hotels' daily numbers (filters, cursor pages, newest day first), one
hotel-day typed in a form (created or replaced), and the CSV upload.

The upload (spec/operations.md, Hospitality): the file arrives through Reflex's upload endpoint
(``upload``, a plain handler that only reads the bytes, bounded by the domain's limit), then
``check_upload``, a background event, hands them to ``upload_hotel_kpi_csv`` off the event loop
while the page shows where the upload is. The domain checks every line before writing anything:
a refused file comes back as one row per bad line and field ("Line 12 · rooms_sold · is more
than rooms_available"), nothing written; an accepted one as "N rows written for M hotels".
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import DomainError
from domain.hospitality.access import hospitality_ventures_for
from domain.hospitality.csv_upload import MAX_UPLOAD_BYTES
from domain.hospitality.queries import list_hotel_kpi, list_hotels
from domain.hospitality.services import kpi_template, upload_hotel_kpi_csv, upsert_hotel_kpi
from rxapp.state.csv_upload import CsvUpload, UploadCall
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.forms import Option, as_amount, as_date, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.hospitality import KpiRow, kpi_row

PAGE_SIZE = 50
UPLOAD_ID = "kpi-upload"


def _currencies(actor: Actor, action: str) -> dict[int, str]:
    with read_only() as uow:
        return {v.id: v.currency for v in hospitality_ventures_for(uow, actor, action)}


class HospitalityKpiState(CsvUpload, CursorPages, SessionState):
    rows: list[KpiRow] = []
    hotel_options: list[Option] = []
    f_hotel: str = "all"
    f_from: str = ""
    f_to: str = ""
    filter_error: str = ""
    form_key: int = 0
    can_write: bool = False

    # the CSV upload
    upload_ventures: list[Option] = []
    upload_venture: str = ""
    _currency: dict[int, str] = {}

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Hotel days {start:,} to {start + len(self.rows) - 1:,}, newest first"

    def _query(self, actor: Actor) -> None:
        hotel = as_int(self.f_hotel)
        with read_only() as uow:
            page = list_hotel_kpi(
                uow,
                actor,
                venture_id=self._filter_venture_id(actor),
                hotel_id=hotel,
                start=as_date(self.f_from),
                end=as_date(self.f_to),
                cursor=self._page_cursor(),
                limit=PAGE_SIZE,
            )
        self.rows = [kpi_row(v, self._currency.get(v.venture_id)) for v in page.items]
        self._took(page.has_more, page.next_cursor)

    def _refresh(self, actor: Actor) -> None:
        try:
            self._query(actor)
        except DomainError:
            self.rows = []

    @rx.event
    @guarded(page="hospitality_kpi")
    def load(self, actor: Actor):
        vid = self._filter_venture_id(actor)
        with read_only() as uow:
            hotels = list_hotels(uow, actor, venture_id=vid, limit=200).items
            writable = hospitality_ventures_for(uow, actor, "hospitality.kpi.write")
        self._currency = _currencies(actor, "hospitality.kpi.read")
        self.hotel_options = [Option(str(h.id), f"{h.code} · {h.name}") for h in hotels]
        if self.f_hotel not in {o.value for o in self.hotel_options}:
            self.f_hotel = "all"
        writable = [v for v in writable if vid is None or v.id == vid]
        self.can_write = bool(writable)
        self.upload_ventures = [Option(str(v.id), f"{v.name} ({v.code})") for v in writable]
        if self.upload_venture not in {o.value for o in self.upload_ventures}:
            self.upload_venture = self.upload_ventures[0].value if writable else ""
        self._first_page()
        event = self._safe_query(actor)
        self._ready("hospitality_kpi")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        hotel = as_text(form_data.get("hotel") or "all", 20)
        self.f_hotel = hotel if hotel in {o.value for o in self.hotel_options} else "all"
        start, end = as_date(form_data.get("from")), as_date(form_data.get("to"))
        self.f_from = start.isoformat() if start else ""
        self.f_to = end.isoformat() if end else ""
        self.filter_error = (
            "The start date is after the end date." if start and end and start > end else ""
        )
        if self.filter_error:
            return None
        self._first_page()
        return self._safe_query(actor)

    @rx.event
    @guarded
    def clear_filters(self, actor: Actor):
        self.f_hotel, self.f_from, self.f_to, self.filter_error = "all", "", "", ""
        self.form_key += 1
        self._first_page()
        return self._safe_query(actor)

    # -- the CSV ------------------------------------------------------------------------------

    @rx.event
    def choose_upload_venture(self, value: str) -> None:
        if str(value) in {o.value for o in self.upload_ventures}:
            self.upload_venture = str(value)

    @rx.event
    @guarded
    def download_template(self, actor: Actor):
        vid = as_int(self.upload_venture)
        if vid is None:
            return rx.toast.error("Your role does not upload hotel numbers.")
        with read_only() as uow:
            text = kpi_template(uow, actor, vid)
        return rx.download(data=text, mime_type="text/csv", filename="hotel-kpi-template.csv")

    def _upload_call(self, actor: Actor) -> UploadCall | None:
        vid = as_int(self.upload_venture)
        return None if vid is None else UploadCall(upload_hotel_kpi_csv, (vid,), MAX_UPLOAD_BYTES)

    def _upload_result(self, result: Any) -> str:
        span = ""
        if result.first_day and result.last_day:
            span = (
                f" ({result.first_day.isoformat()} to {result.last_day.isoformat()})"
                if result.first_day != result.last_day
                else f" ({result.first_day.isoformat()})"
            )
        return f"{result.written}{span}."

    def _after_upload(self, actor: Actor) -> None:
        self._first_page()
        self._refresh(actor)


# -- the one-day form -----------------------------------------------------------------------------

KPI_FIELDS = (
    "hotel_id",
    "day",
    "rooms_available",
    "rooms_sold",
    "room_revenue",
    "other_revenue",
    "cancellations",
    "no_shows",
)
KPI_LABELS = {
    "hotel_id": "Hotel",
    "day": "Date",
    "rooms_available": "Rooms available",
    "rooms_sold": "Rooms sold",
    "room_revenue": "Room revenue",
    "other_revenue": "Other revenue",
    "cancellations": "Cancellations",
    "no_shows": "No-shows",
}
KPI_FORM = Form(KPI_FIELDS, KPI_LABELS, open="form_open")


class HotelKpiFormState(SessionState):
    form_open: bool = False
    hotel_options: list[Option] = []
    err: dict[str, str] = dict.fromkeys(KPI_FIELDS, "")
    errors: list[str] = []
    busy: bool = False
    form_key: int = 0
    val: dict[str, str] = dict.fromkeys(KPI_FIELDS, "")

    @rx.event
    @guarded
    def open_form(self, actor: Actor, hotel_id: int = 0, day: str = ""):
        """An empty form, or one hotel-day's numbers (the list's Edit) to replace."""
        if not actor.can("hospitality.kpi.write"):
            return rx.toast.error("Your role does not enter hotel numbers.")
        kpi = None
        with read_only() as uow:
            hotels = list_hotels(uow, actor, venture_id=self._filter_venture_id(actor), limit=200)
            hid, d = as_int(hotel_id), as_date(day)
            if hid is not None and d is not None:
                found = list_hotel_kpi(uow, actor, hotel_id=hid, start=d, end=d, limit=1).items
                kpi = found[0] if found else None
        self.hotel_options = [Option(str(h.id), f"{h.code} · {h.name}") for h in hotels.items]
        self.val = dict.fromkeys(KPI_FIELDS, "")
        if kpi is not None:
            self.val = {
                "hotel_id": str(kpi.hotel_id),
                "day": kpi.day.isoformat(),
                "rooms_available": str(kpi.rooms_available),
                "rooms_sold": str(kpi.rooms_sold),
                "room_revenue": f"{kpi.room_revenue:.2f}",
                "other_revenue": f"{kpi.other_revenue:.2f}",
                "cancellations": str(kpi.cancellations),
                "no_shows": str(kpi.no_shows),
            }
        KPI_FORM.clear(self)
        self.form_key += 1
        self.form_open = True
        return None

    @rx.event
    def set_form_open(self, open: bool) -> None:
        if not self.busy:
            self.form_open = bool(open)

    @rx.event(background=True)
    @submits(KPI_FORM)
    async def save(self, actor: Actor, form_data: dict[str, Any]):
        typed = {f: as_text(form_data.get(f), 40) for f in KPI_FIELDS}
        async with self:
            self.val = typed
        data: dict[str, Any] = {
            "hotel_id": as_int(typed["hotel_id"]) or typed["hotel_id"] or None,
            "day": typed["day"] or None,
            "rooms_available": typed["rooms_available"].replace(",", "") or None,
            "rooms_sold": typed["rooms_sold"].replace(",", "") or None,
            "room_revenue": as_amount(typed["room_revenue"]),
            "other_revenue": as_amount(typed["other_revenue"]) or "0",
            "cancellations": typed["cancellations"] or "0",
            "no_shows": typed["no_shows"] or "0",
        }
        data = {k: v for k, v in data.items() if v is not None}
        view = await in_unit_of_work(upsert_hotel_kpi, actor, data)
        async with self:
            page = await self.get_state(HospitalityKpiState)
            page._first_page()
            page._refresh(actor)
        return Saved(
            f"{view.hotel_code} on {view.day.isoformat()} saved: {view.rooms_sold} of "
            f"{view.rooms_available} rooms sold."
        )
