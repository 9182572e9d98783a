"""/hospitality/dashboard: HospitalityKpiDaily for a date range (default the last 30 days) of the
hospitality ventures in scope, or the one chosen in the header. Headlines (occupancy, ADR,
RevPAR, revenue, reviews answered, disputes won, amount recovered) against the previous period
of the same length, a chart per metric, and a row per hotel.

Every ratio is the domain's ratio of sums (weighted by rooms), never computed here. The read may
compute and store missing days, so it runs in a background event, off the event loop.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from domain import clock
from domain.access.actor import Actor
from domain.db import read_only
from domain.hospitality.dashboard import hospitality_dashboard
from domain.hospitality.schemas import HospitalityDashboard, HotelRow, KpiPoint
from rxapp.state.dashboard_base import (
    PRESETS,
    RangeDashboard,
    Reader,
    computed_note,
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


class HospitalityDashboardState(RangeDashboard, SessionState):
    hotels: list[HotelTableRow] = []

    def _page_key(self) -> str:
        return "hospitality_dashboard"

    def _reader(self) -> Reader:
        return _dashboard

    def _clear(self) -> None:
        self.headlines, self.series, self.hotels = [], [], []

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
        self.headlines = [headline_card(h, dash.currency) for h in dash.headlines]
        self.series = [chart_point(p) for p in dash.series]
        self.hotels = [hotel_row(h, dash.currency) for h in dash.hotels]
        self.has_data = any(
            p.rooms_available or p.reviews_received or p.disputes_opened for p in dash.series
        )
        self.computed_note = computed_note(dash.computed_now)
        self.form_key += 1
