"""/hospitality/dashboard: HospitalityKpiDaily for a date range (default the last 30 days) of the
hospitality ventures in scope, or the one chosen in the header. Headlines (occupancy, ADR,
RevPAR, revenue, reviews answered, disputes won, amount recovered) against the previous period
of the same length, a chart per metric, and a row per hotel.

Every ratio is the domain's ratio of sums (weighted by rooms), never computed here. The read may
compute and store missing days, so it runs in a background event, off the event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.analytics.ranges import Preset, check_range
from domain.db import read_only
from domain.errors import DomainError, Invalid
from domain.hospitality.dashboard import hospitality_dashboard
from domain.hospitality.schemas import HospitalityDashboard, HotelRow, KpiPoint
from rxapp.state.forms import as_date, as_text
from rxapp.state.freight_dashboard import (
    PRESETS,
    HeadlineCard,
    _range_error,
    headline_card,
)
from rxapp.state.session import SessionState
from rxapp.views.freight import count, money, pct

__all__ = ["PRESETS", "HospitalityDashboardState", "HotelTableRow"]


@dataclasses.dataclass
class HotelTableRow:
    code: str = ""
    name: str = ""
    rooms: str = ""
    status: str = ""
    rooms_available: str = ""
    rooms_sold: str = ""
    occupancy: str = ""
    adr: str = ""
    revpar: str = ""
    revenue: str = ""


def _num(v: Decimal | None, scale: int = 1) -> float | None:
    return None if v is None else round(float(v) * scale, 2)


def chart_point(p: KpiPoint) -> dict[str, Any]:
    return {
        "day": f"{p.day.day} {p.day:%b}",
        "occupancy": _num(p.occupancy, 100),
        "adr": _num(p.adr),
        "revpar": _num(p.revpar),
        "revenue": _num(p.total_revenue),
        "reviews_responded": p.reviews_responded,
        "disputes_won": p.disputes_won,
        "amount_recovered": _num(p.amount_recovered),
    }


def hotel_row(h: HotelRow, currency: str | None) -> HotelTableRow:
    return HotelTableRow(
        code=h.code,
        name=h.name,
        rooms=count(h.rooms),
        status=h.status.value.capitalize(),
        rooms_available=count(h.rooms_available),
        rooms_sold=count(h.rooms_sold),
        occupancy=pct(h.occupancy),
        adr=money(h.adr, currency, empty="n/a"),
        revpar=money(h.revpar, currency, empty="n/a"),
        revenue=money(h.room_revenue, currency),
    )


def _dashboard(
    actor: Actor, start: date | None, end: date | None, vid: int | None, preset: str | None
) -> HospitalityDashboard:
    with read_only() as uow:
        return hospitality_dashboard(uow, actor, start, end, venture_id=vid, preset=preset)


class HospitalityDashboardState(SessionState):
    f_from: str = ""
    f_to: str = ""
    range_error: str = ""
    period: str = ""
    currency: str = "USD"
    headlines: list[HeadlineCard] = []
    series: list[dict[str, Any]] = []
    hotels: list[HotelTableRow] = []
    computed_note: str = ""
    has_data: bool = False
    loading: bool = False
    form_key: int = 0

    def _show(self, dash: HospitalityDashboard) -> None:
        days = (dash.end - dash.start).days + 1
        fmt = clock.format_business_date
        self.f_from, self.f_to = dash.start.isoformat(), dash.end.isoformat()
        self.period = (
            f"{fmt(dash.start)} to {fmt(dash.end)} ({days} days), compared with "
            f"{fmt(dash.previous_start)} to {fmt(dash.previous_end)}. Occupancy, ADR and RevPAR "
            "are weighted by rooms (ratios of the sums)."
        )
        self.currency = dash.currency or "USD"
        self.headlines = [headline_card(h, dash.currency) for h in dash.headlines]  # type: ignore[arg-type]
        self.series = [chart_point(p) for p in dash.series]
        self.hotels = [hotel_row(h, dash.currency) for h in dash.hotels]
        self.has_data = any(
            p.rooms_available or p.reviews_received or p.disputes_opened for p in dash.series
        )
        n = len(dash.computed_now)
        self.computed_note = (
            f"{n} day{'s' if n != 1 else ''} had no stored numbers yet; computed now and stored."
            if n
            else ""
        )
        self.form_key += 1

    async def _read(
        self, actor: Actor, start: date | None, end: date | None, vid: int | None, preset: Any
    ) -> tuple[HospitalityDashboard | None, str | None]:
        try:
            return await asyncio.to_thread(_dashboard, actor, start, end, vid, preset), None
        except Invalid as exc:
            return None, _range_error(exc)
        except DomainError as exc:
            return None, exc.message

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor, bounce = self._enter("hospitality_dashboard")
            if actor is not None:
                start, end = as_date(self.f_from), as_date(self.f_to)
                vid = self._filter_venture_id(actor)
                self.loading = True
        if actor is None:
            if bounce is not None:
                yield bounce
            return
        dash, error = await self._read(actor, start, end, vid, None)
        if dash is None and (start or end):  # a remembered range that no longer works
            dash, error = await self._read(actor, None, None, vid, None)
        async with self:
            self.loading = False
            if dash is None:
                self.range_error = error or ""
                self.headlines, self.series, self.hotels = [], [], []
            else:
                self.range_error = ""
                self._show(dash)
            self._ready("hospitality_dashboard")

    @rx.event(background=True)
    async def apply_range(self, form_data: dict[str, Any]):
        async with self:
            if self.loading:
                return
            actor = self._actor()
            bounce = self._bounce() if actor is None else None
            if actor is not None:
                preset = as_text(form_data.get("preset"), 10) or None
                if preset:
                    start, end = None, as_date(self.f_to)
                else:
                    start, end = as_date(form_data.get("from")), as_date(form_data.get("to"))
                vid = self._filter_venture_id(actor)
                error = ""
                if not preset:
                    try:
                        check_range(start, end)
                    except Invalid as exc:
                        error = _range_error(exc)
                self.range_error = error
                self.loading = not error
        if actor is None:
            yield bounce
            return
        if error:
            return
        dash, error = await self._read(actor, start, end, vid, preset)
        async with self:
            self.loading = False
            if dash is None:
                self.range_error = error or ""
            else:
                self._show(dash)

    @rx.event
    def preset(self, days: str):
        """Quick ranges (the domain's presets), up to the end date shown."""
        chosen = str(days) if str(days) in PRESETS else Preset.LAST_30_DAYS.value
        return HospitalityDashboardState.apply_range({"preset": chosen})
