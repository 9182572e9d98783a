"""/saas/dashboard: the MRR line over a date range (default the last 30 days), the monthly MRR
movements as bars (new and expansion up, contraction and churn down) and the top customers by MRR
on the range's last day, for the SaaS venture chosen in the header (else the first in scope).

Every number is the domain's (``domain.saas.queries.saas_dashboard``); nothing is computed here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import DomainError, Invalid, NotFound
from domain.saas.queries import saas_dashboard
from domain.saas.schemas import SaasDashboardView
from rxapp.state.dashboard_base import range_error as format_range_error
from rxapp.state.forms import as_date
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState
from rxapp.views.freight import money
from rxapp.views.saas import TopCustomerRow, top_row


def _f(v: Any) -> float:
    return round(float(v), 2)


def _read(actor: Actor, vid: int | None, start: date | None, end: date | None) -> SaasDashboardView:
    """The dashboard of the venture chosen in the header when it is a SaaS venture in scope,
    else of the first SaaS venture in scope."""
    with read_only() as uow:
        try:
            return saas_dashboard(uow, actor, venture_id=vid, start=start, end=end)
        except NotFound:
            if vid is None:
                raise
            return saas_dashboard(uow, actor, venture_id=None, start=start, end=end)


def _range_problem(self: Any, exc: Any) -> None:
    if isinstance(exc, Invalid) and ({"start", "end"} & set(exc.fields)):
        self.range_error = format_range_error(exc)
        return None
    return rx.toast.error(exc.message)


class SaasDashboardState(SessionState):
    f_from: str = ""
    f_to: str = ""
    range_error: str = ""
    period: str = ""
    venture_code: str = ""
    mrr_start: str = ""
    mrr_end: str = ""
    mrr_line: list[dict[str, Any]] = []
    months: list[dict[str, Any]] = []
    top: list[TopCustomerRow] = []
    churned_logos: int = 0
    computed_note: str = ""  # the domain's note when the read computed and stored days
    form_key: int = 0

    def _show(self, dash: SaasDashboardView) -> None:
        fmt = clock.format_business_date
        self.range_error = ""
        self.f_from, self.f_to = dash.start.isoformat(), dash.end.isoformat()
        self.venture_code = dash.venture_code
        self.period = (
            f"{dash.venture_code}, {fmt(dash.start)} to {fmt(dash.end)}, in {dash.currency}. "
            "A subscription counts from its start date until the day before its cancellation."
        )
        self.mrr_start = money(dash.mrr_start, dash.currency)
        self.mrr_end = money(dash.mrr_end, dash.currency)
        self.mrr_line = [
            {"day": f"{p.day.day} {p.day:%b}", "mrr": _f(p.mrr)} for p in dash.mrr_line
        ]
        self.months = [
            {
                "day": f"{m.month:%b %Y}",
                "new": _f(m.new_mrr),
                "expansion": _f(m.expansion_mrr),
                "contraction": -_f(m.contraction_mrr),
                "churned": -_f(m.churned_mrr),
            }
            for m in dash.months
        ]
        self.churned_logos = sum(m.churned_logos for m in dash.months)
        self.top = [top_row(i + 1, t, dash.currency) for i, t in enumerate(dash.top_customers)]
        self.computed_note = dash.computed_note
        self.form_key += 1

    @rx.event
    @guarded(page="saas_dashboard")
    def load(self, actor: Actor):
        event = None
        try:
            self._show(
                _read(
                    actor, self._filter_venture_id(actor), as_date(self.f_from), as_date(self.f_to)
                )
            )
        except DomainError as exc:  # no SaaS venture in scope, or a stale range
            self.f_from = self.f_to = ""
            self.mrr_line, self.months, self.top = [], [], []
            event = rx.toast.error(exc.message)
        self._ready("saas_dashboard")
        return event

    @rx.event
    @guarded(on_error=_range_problem)
    def apply_range(self, actor: Actor, form_data: dict[str, Any]):
        start, end = as_date(form_data.get("from")), as_date(form_data.get("to"))
        self._show(_read(actor, self._filter_venture_id(actor), start, end))
