"""/holdings/dashboard: balances per currency at the end of the range against the end of the
previous period, one balance line per currency (never a mixed total), and the assets' estimated
value by type and currency. The numbers are the domain's (``holdings_dashboard``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.analytics.ranges import Preset
from domain.db import read_only
from domain.holdings.queries.totals import holdings_dashboard
from domain.holdings.schemas import DashboardView
from rxapp.state.dashboard_base import PRESETS, HeadlineCard
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState
from rxapp.views.freight import money, pct
from rxapp.views.holdings import ASSET_TYPES, series_points

__all__ = ["PRESETS", "HoldingsDashboardState"]


def _cards(dash: DashboardView) -> list[HeadlineCard]:
    before = {b.currency: b.amount for b in dash.previous}
    cards = []
    for b in dash.balances:
        prev = before.get(b.currency)
        change = None if not prev else (b.amount - prev) / prev
        up = change is not None and change > 0
        down = change is not None and change < 0
        cards.append(
            HeadlineCard(
                metric=f"balance_{b.currency}",
                label=f"Bank balances ({b.currency})",
                value=money(b.amount, b.currency),
                change=pct(change, signed=True) if change is not None else "n/a",
                change_color="green" if up else "red" if down else "gray",
                arrow="arrow-up" if up else "arrow-down" if down else "minus",
                previous="vs " + money(prev, b.currency, empty="n/a"),
                hint="Each account's latest balance on or before the end date",
            )
        )
    return cards


class HoldingsDashboardState(SessionState):
    period: str = ""
    headlines: list[HeadlineCard] = []
    usd_series: list[dict[str, Any]] = []
    inr_series: list[dict[str, Any]] = []
    by_type: list[dict[str, str]] = []
    chosen: str = Preset.LAST_90_DAYS.value
    computed_note: str = ""  # the domain's note when the read computed and stored days

    def _fill(self, actor: Actor) -> None:
        with read_only() as uow:
            dash = holdings_dashboard(
                uow, actor, venture_id=self._filter_venture_id(actor), preset=self.chosen
            )
        fmt = clock.format_business_date
        self.period = (
            f"{fmt(dash.start)} to {fmt(dash.end)}. Totals are per currency: USD and INR are "
            "never added together."
        )
        self.headlines = _cards(dash)
        self.computed_note = dash.computed_note
        points = series_points(dash.series)
        self.usd_series = points.get("USD", [])
        self.inr_series = points.get("INR", [])
        self.by_type = [
            {
                "type": ASSET_TYPES.get(t.type, t.type),  # type: ignore[call-overload]
                "currency": str(t.currency),
                "value": money(t.amount, t.currency),
                "amount": str(Decimal(t.amount)),
            }
            for t in dash.assets_by_type
        ]

    @rx.event
    @guarded(page="holdings_dashboard")
    def load(self, actor: Actor):
        self._fill(actor)
        self._ready("holdings_dashboard")

    @rx.event
    @guarded
    def preset(self, actor: Actor, days: str):
        """Quick ranges (the domain's presets) ending today."""
        self.chosen = str(days) if str(days) in PRESETS else Preset.LAST_90_DAYS.value
        self._fill(actor)
