"""/freight/dashboard: FreightKpiDaily for a date range (default the last 30 days) of the freight
ventures in scope, or the one chosen in the header. Headline numbers with the change versus the
previous period of the same length, charts per day, then the table they came from.

The read may have to compute and store missing days (``freight_dashboard`` does, and says which),
so it runs in a background event, off the event loop, with the page's skeleton or a progress
state showing meanwhile.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.db import read_only
from domain.freight.queries import freight_dashboard
from domain.freight.schemas import FreightDashboard, KpiPoint
from rxapp.export import to_csv
from rxapp.state.dashboard_base import (
    PRESETS,
    HeadlineCard,
    RangeDashboard,
    Reader,
    computed_note,
    headline_card,
)
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState
from rxapp.views.freight import count, money, pct

__all__ = ["PRESETS", "DayRow", "FreightDashboardState", "HeadlineCard", "headline_card"]


@dataclasses.dataclass
class DayRow:
    day: str = ""
    created: str = ""
    covered: str = ""
    delivered: str = ""
    lost: str = ""
    revenue: str = ""
    cost: str = ""
    profit: str = ""
    profit_negative: bool = False
    margin: str = ""
    coverage: str = ""


def _num(v: Decimal | None, scale: int = 1) -> float | None:
    return None if v is None else round(float(v) * scale, 2)


def chart_point(p: KpiPoint) -> dict[str, Any]:
    return {
        "day": f"{p.day.day} {p.day:%b}",
        "created": p.loads_created,
        "covered": p.loads_covered,
        "delivered": p.loads_delivered,
        "lost": p.loads_lost,
        "revenue": _num(p.revenue),
        "cost": _num(p.cost),
        "profit": _num(p.profit),
        "margin": _num(p.margin_pct, 100),
        "coverage": _num(p.coverage_rate, 100),
    }


def day_row(p: KpiPoint, currency: str | None) -> DayRow:
    return DayRow(
        day=clock.format_business_date(p.day),
        created=count(p.loads_created),
        covered=count(p.loads_covered),
        delivered=count(p.loads_delivered),
        lost=count(p.loads_lost),
        revenue=money(p.revenue, currency),
        cost=money(p.cost, currency),
        profit=money(p.profit, currency),
        profit_negative=p.profit < 0,
        margin=pct(p.margin_pct),
        coverage=pct(p.coverage_rate),
    )


CSV_HEADER = (
    "Date",
    "Loads created",
    "Loads covered",
    "Loads delivered",
    "Loads lost",
    "Revenue",
    "Cost",
    "Profit",
    "Margin %",
    "Coverage %",
    "Active customers",
    "Active carriers",
)


def _csv_row(p: KpiPoint) -> list[str]:
    def ratio(r: Decimal | None) -> str:
        return "" if r is None else f"{r * 100:.1f}"

    return [
        p.day.isoformat(),
        str(p.loads_created),
        str(p.loads_covered),
        str(p.loads_delivered),
        str(p.loads_lost),
        f"{p.revenue:.2f}",
        f"{p.cost:.2f}",
        f"{p.profit:.2f}",
        ratio(p.margin_pct),
        ratio(p.coverage_rate),
        str(p.active_customers),
        str(p.active_carriers),
    ]


def _dashboard(
    actor: Actor,
    start: date | None,
    end: date | None,
    venture_id: int | None,
    preset: str | None = None,
) -> FreightDashboard:
    with read_only() as uow:
        return freight_dashboard(uow, actor, start, end, venture_id=venture_id, preset=preset)


class FreightDashboardState(RangeDashboard, SessionState):
    days: list[DayRow] = []

    _points: list[dict[str, Any]] = []  # KpiPoint dumps, for the CSV

    def _page_key(self) -> str:
        return "freight_dashboard"

    def _reader(self) -> Reader:
        return _dashboard

    def _clear(self) -> None:
        self.headlines, self.series, self.days = [], [], []

    def _show(self, dash: FreightDashboard) -> None:
        days = (dash.end - dash.start).days + 1
        self.f_from, self.f_to = dash.start.isoformat(), dash.end.isoformat()
        self.period = (
            f"{clock.format_business_date(dash.start)} to {clock.format_business_date(dash.end)}"
            f" ({days} days), compared with {clock.format_business_date(dash.previous_start)} "
            f"to {clock.format_business_date(dash.previous_end)}. Active customers and carriers "
            "are counted on the last day of each period."
        )
        self.currency = dash.currency or "USD"
        self.headlines = [headline_card(h, dash.currency) for h in dash.headlines]
        self.series = [chart_point(p) for p in dash.series]
        self.days = [day_row(p, dash.currency) for p in reversed(dash.series)]
        self._points = [p.model_dump(mode="json") for p in dash.series]
        self.has_data = any(
            p.loads_created or p.loads_delivered or p.loads_lost or p.revenue for p in dash.series
        )
        self.computed_note = computed_note(dash.computed_now)
        self.form_key += 1

    @rx.event
    @guarded
    def export_csv(self, actor: Actor):
        if not self._points:
            return rx.toast.info("Nothing to export for this range.")
        points = [KpiPoint.model_validate(p) for p in self._points]
        text = to_csv(CSV_HEADER, [_csv_row(p) for p in points])
        return rx.download(
            data=text,
            mime_type="text/csv",
            filename=f"freight-kpi-{self.f_from}-to-{self.f_to}.csv",
        )
