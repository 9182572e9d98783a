"""/freight/dashboard: FreightKpiDaily for a date range (default the last 30 days) of the freight
ventures in scope, or the one chosen in the header. Headline numbers with the change versus the
previous period of the same length, charts per day, then the table they came from.

The read may have to compute and store missing days (``freight_dashboard`` does, and says which),
so it runs in a background event, off the event loop, with the page's skeleton or a progress
state showing meanwhile.
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
from domain.analytics.ranges import PRESET_LABELS, Preset, check_range
from domain.db import read_only
from domain.errors import DomainError, Invalid
from domain.freight.queries import freight_dashboard
from domain.freight.schemas import FreightDashboard, Headline, KpiPoint
from rxapp.export import to_csv
from rxapp.state.errors import field_errors
from rxapp.state.forms import as_date, as_text
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState
from rxapp.views.freight import count, money, pct

# The quick ranges the page offers (its buttons): the domain's presets.
PRESETS = {p.value: label for p, label in PRESET_LABELS.items()}
RANGE_LABELS = {"start": "Start date", "end": "End date", "preset": "Range"}
# Metrics where a rise is bad news (the arrow turns red when they go up).
UP_IS_BAD = {"loads_lost"}


@dataclasses.dataclass
class HeadlineCard:
    metric: str = ""
    label: str = ""
    value: str = ""
    change: str = ""
    change_color: str = "gray"
    arrow: str = "minus"
    previous: str = ""
    hint: str = ""


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


def _value(h: Headline, currency: str | None) -> str:
    if h.kind == "money":
        return money(h.value, currency, empty="n/a")
    if h.kind == "ratio":
        return pct(h.value)
    return count(h.value)


def headline_card(h: Headline, currency: str | None) -> HeadlineCard:
    change, color, arrow = "n/a", "gray", "minus"
    if h.change is not None:
        if h.kind == "ratio":
            points = h.change * 100
            change = f"{points:+.1f} pts"
        else:
            change = pct(h.change, signed=True)
        if h.change > 0:
            arrow = "arrow-up-right"
            color = "red" if h.metric in UP_IS_BAD else "green"
        elif h.change < 0:
            arrow = "arrow-down-right"
            color = "green" if h.metric in UP_IS_BAD else "red"
        if change in ("0.0%", "+0.0 pts", "-0.0 pts"):
            change, color, arrow = "no change", "gray", "minus"
    previous = _value(
        Headline(
            metric=h.metric,
            label=h.label,
            kind=h.kind,
            value=h.previous,
            previous=None,
            change=None,
        ),
        currency,
    )
    hint = "last day" if h.metric.startswith("active_") else ""
    return HeadlineCard(
        metric=h.metric,
        label=h.label,
        value=_value(h, currency),
        change=change,
        change_color=color,
        arrow=arrow,
        previous=f"vs {previous}",
        hint=hint,
    )


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


def _range_error(exc: Invalid) -> str:
    """The domain's refusal of a range, in one line under the dates."""
    by_field, summary = field_errors(exc, RANGE_LABELS)
    return by_field.get("end") or by_field.get("start") or "; ".join(summary)


class FreightDashboardState(SessionState):
    f_from: str = ""
    f_to: str = ""
    range_error: str = ""
    period: str = ""
    currency: str = "USD"
    headlines: list[HeadlineCard] = []
    series: list[dict[str, Any]] = []
    days: list[DayRow] = []
    computed_note: str = ""
    has_data: bool = False
    loading: bool = False
    form_key: int = 0

    _points: list[dict[str, Any]] = []  # KpiPoint dumps, for the CSV

    def _range(self) -> tuple[date | None, date | None]:
        return as_date(self.f_from), as_date(self.f_to)

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
        n = len(dash.computed_now)
        self.computed_note = (
            f"{n} day{'s' if n != 1 else ''} had no stored numbers yet; computed now and stored."
            if n
            else ""
        )
        self.form_key += 1

    async def _read(
        self,
        actor: Actor,
        start: date | None,
        end: date | None,
        vid: int | None,
        preset: str | None = None,
    ):
        """Run the read off the loop; returns the dashboard or the error to show."""
        try:
            return await asyncio.to_thread(_dashboard, actor, start, end, vid, preset), None
        except Invalid as exc:
            return None, _range_error(exc)
        except DomainError as exc:
            return None, exc.message

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor, bounce = self._enter("freight_dashboard")
            if actor is not None:
                start, end = self._range()
                vid = self._filter_venture_id(actor)
                self.loading = True
        if actor is None:
            if bounce is not None:
                yield bounce
            return
        dash, error = await self._read(actor, start, end, vid)
        if dash is None and (start or end):  # a remembered range that no longer works
            dash, error = await self._read(actor, None, None, vid)
        async with self:
            self.loading = False
            if dash is None:
                self.range_error = error or ""
                self.headlines, self.series, self.days = [], [], []
            else:
                self.range_error = ""
                self._show(dash)
            self._ready("freight_dashboard")

    @rx.event(background=True)
    async def apply_range(self, form_data: dict[str, Any]):
        async with self:
            if self.loading:
                return
            actor = self._actor()
            bounce = self._bounce() if actor is None else None
            if actor is not None:
                # A preset is the quick range ending on the end date shown (the domain's today
                # when none is); typed dates are checked by the domain's range rule first.
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
        """Quick ranges, the domain's presets: the last 7, 30 or 90 days, or the month so far,
        up to the end date shown."""
        chosen = str(days) if str(days) in PRESETS else Preset.LAST_30_DAYS.value
        return FreightDashboardState.apply_range({"preset": chosen})

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
