"""/bpo/dashboard: BpoKpiDaily for a date range (default the last 30 days) of the BPO ventures in
scope, or the one chosen in the header: headlines against the previous period of the same
length, trend charts per day, the funnel dials -> connects -> appointments -> deals per campaign
and the agent leaderboard by deals. Every ratio is the domain's (a ratio of sums); the range form,
presets and the read off the event loop are the shared ``RangeDashboard``'s.
"""

from __future__ import annotations

from datetime import date

from domain import clock
from domain.access.actor import Actor
from domain.bpo.dashboard import BpoDashboard, bpo_dashboard
from domain.db import read_only
from rxapp.state.dashboard_base import (
    PRESETS,
    RangeDashboard,
    Reader,
    computed_note,
    headline_card,
)
from rxapp.state.session import SessionState
from rxapp.views.bpo import (
    FunnelTableRow,
    LeaderTableRow,
    funnel_chart,
    funnel_row,
    leader_row,
    trend_point,
)

__all__ = ["PRESETS", "BpoDashboardState"]


def _dashboard(
    actor: Actor, start: date | None, end: date | None, vid: int | None, preset: str | None
) -> BpoDashboard:
    with read_only() as uow:
        return bpo_dashboard(uow, actor, start, end, venture_id=vid, preset=preset)


class BpoDashboardState(RangeDashboard, SessionState):
    funnel: list[FunnelTableRow] = []
    funnel_series: list[dict[str, object]] = []
    leaders: list[LeaderTableRow] = []

    def _page_key(self) -> str:
        return "bpo_dashboard"

    def _reader(self) -> Reader:
        return _dashboard

    def _clear(self) -> None:
        self.headlines, self.series, self.funnel, self.leaders = [], [], [], []
        self.funnel_series = []

    def _show(self, dash: BpoDashboard) -> None:
        fmt = clock.format_business_date
        self.f_from, self.f_to = dash.start.isoformat(), dash.end.isoformat()
        self.period = (
            f"{fmt(dash.start)} to {fmt(dash.end)} ({(dash.end - dash.start).days + 1} days), "
            f"compared with {fmt(dash.previous_start)} to {fmt(dash.previous_end)}. Connect "
            "rate is connects / dials, conversion deals / connects (ratios of the sums)."
        )
        self.currency = dash.currency or "INR"
        self.headlines = [headline_card(h, dash.currency) for h in dash.headlines]
        self.series = [trend_point(p) for p in dash.series]
        self.funnel = [funnel_row(f, dash.currency) for f in dash.funnel]
        self.funnel_series = funnel_chart(dash.funnel)
        self.leaders = [leader_row(r, dash.currency) for r in dash.leaders]
        self.has_data = bool(dash.funnel) or any(p.dials for p in dash.series)
        self.computed_note = computed_note(dash.computed_now)
        self.form_key += 1
