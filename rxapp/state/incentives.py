"""/incentives (My incentives: every user's own rows) and /incentives/venture (a venture's per-user
totals, per-day series and runs, for leadership, FINANCE and ACCOUNTING in scope).

Thin handlers over ``domain.incentives.queries``: the domain decides who reads what (scope in the
SQL; a venture outside scope answers NotFound) and whether a run's report opens for the reader
(``can_open_run_report``); the page only shows what it is given. Amounts stay per currency.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import DomainError, Invalid
from domain.incentives.explain import my_changes
from domain.incentives.payout_services import my_payouts
from domain.incentives.queries import (
    can_open_run_report,
    my_incentives,
    readable_ventures,
    venture_incentives,
)
from domain.incentives.schemas import UserTotal
from domain.settings import get_settings
from rxapp.export import to_csv
from rxapp.state.errors import field_errors
from rxapp.state.forms import Option, as_date, as_int
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState
from rxapp.views.incentives import (
    USER_CSV_HEADER,
    MonthRow,
    MyDayRow,
    RunRow,
    UserRow,
    chart_series,
    month_label,
    month_row,
    my_day_row,
    run_row,
    totals_text,
    user_csv_row,
    user_row,
)
from rxapp.views.payouts import MyPayoutRow, my_payout_row

MONTHS_SHOWN = 12


def _month_options(today: date) -> list[Option]:
    first = today.replace(day=1)
    out = []
    for _ in range(MONTHS_SHOWN):
        key = first.strftime("%Y-%m")
        out.append(Option(key, month_label(key)))
        first = (first - timedelta(days=1)).replace(day=1)
    return out


class MyIncentivesState(SessionState):
    month: str = ""
    month_title: str = ""
    month_options: list[Option] = []
    month_totals: list[str] = []  # the chosen month, one line per venture and currency
    months: list[MonthRow] = []
    days: list[MyDayRow] = []
    payouts: list[MyPayoutRow] = []  # own payouts: period, amount per currency, status
    # Days of the month a later run recomputed differently for me, each explained in a sentence.
    changes: list[str] = []
    form_key: int = 0

    def _show(self, actor: Actor, month: str | None) -> None:
        with read_only() as uow:
            mine = my_incentives(uow, actor, month)
            self.payouts = [my_payout_row(v) for v in my_payouts(uow, actor)]
            allowed = {v: can_open_run_report(actor, v) for v in {d.venture_id for d in mine.days}}
            first = date.fromisoformat(f"{mine.month}-01")
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            changed = my_changes(uow, actor, first, last)
        self.month = mine.month
        self.month_title = month_label(mine.month)
        self.month_options = _month_options(clock.today(get_settings().group_timezone))
        if mine.month not in {o.value for o in self.month_options}:
            self.month_options.append(Option(mine.month, month_label(mine.month)))
        self.months = [month_row(t) for t in mine.months]
        self.month_totals = [
            f"{r.venture}: {r.amount}" for r in self.months if r.month == mine.month
        ]
        self.days = [my_day_row(d, allowed.get(d.venture_id, False)) for d in mine.days]
        self.changes = [f"{c.venture}: {c.sentence}" for c in changed]
        self.form_key += 1

    @rx.event
    @guarded(page="my_incentives")
    def load(self, actor: Actor):
        self._show(actor, self.month or None)
        self._ready("my_incentives")

    @rx.event
    @guarded
    def choose_month(self, actor: Actor, month: str):
        self._show(actor, str(month)[:7] or None)


class VentureIncentivesState(SessionState):
    choices: list[Option] = []
    venture_id: str = ""
    f_from: str = ""
    f_to: str = ""
    range_error: str = ""
    period: str = ""
    totals: str = ""
    users: list[UserRow] = []
    series: list[dict[str, Any]] = []
    currencies: list[str] = []
    runs: list[RunRow] = []
    form_key: int = 0

    _users: list[dict[str, Any]] = []  # UserTotal dumps, for the CSV

    def _default_range(self) -> tuple[date, date]:
        today = clock.today(get_settings().group_timezone)
        return today.replace(day=1), today

    def _read(self, actor: Actor, vid: int, start: date, end: date) -> None:
        with read_only() as uow:
            data = venture_incentives(uow, actor, vid, start, end)
        self.venture_id = str(vid)
        self.f_from, self.f_to = start.isoformat(), end.isoformat()
        self.period = f"{data.venture_code}, {clock.format_business_date(start)} to " + (
            clock.format_business_date(end)
        )
        self.totals = totals_text(data.totals)
        self.users = [user_row(u) for u in data.users]
        self._users = [u.model_dump(mode="json") for u in data.users]
        self.series, self.currencies = chart_series(data.days)
        self.runs = [run_row(r) for r in data.runs]
        self.form_key += 1

    @rx.event
    @guarded(page="incentives_venture")
    def load(self, actor: Actor):
        with read_only() as uow:
            ventures = readable_ventures(uow, actor)
        self.choices = [Option(str(i), c) for i, c in ventures]
        ids = [i for i, _ in ventures]
        chosen = self._filter_venture_id(actor)
        vid = as_int(self.venture_id)
        if chosen in ids:
            vid = chosen
        elif vid not in ids:
            vid = ids[0] if ids else None
        start, end = as_date(self.f_from), as_date(self.f_to)
        if start is None or end is None:
            start, end = self._default_range()
        self.range_error = ""
        if vid is not None:
            try:
                self._read(actor, vid, start, end)
            except Invalid:
                self._read(actor, vid, *self._default_range())
        self._ready("incentives_venture")

    @rx.event
    @guarded
    def apply(self, actor: Actor, form_data: dict[str, Any]):
        vid = as_int(form_data.get("venture")) or as_int(self.venture_id)
        start, end = as_date(form_data.get("from")), as_date(form_data.get("to"))
        self.range_error = ""
        if vid is None:
            return rx.toast.error("Choose a venture.")
        if start is None or end is None:
            self.range_error = "Choose both dates."
            return None
        try:
            self._read(actor, vid, start, end)
        except Invalid as exc:
            by_field, summary = field_errors(exc, {"from": "From", "to": "To"})
            self.range_error = by_field.get("to") or by_field.get("from") or "; ".join(summary)
        return None

    @rx.event
    @guarded
    def export_csv(self, actor: Actor):
        if not self._users:
            return rx.toast.info("Nothing to export for this period.")
        rows = [user_csv_row(UserTotal.model_validate(u)) for u in self._users]
        code = next((o.label for o in self.choices if o.value == self.venture_id), "")
        return rx.download(
            data=to_csv(USER_CSV_HEADER, rows),
            mime_type="text/csv",
            filename=f"incentives-{code}-{self.f_from}-to-{self.f_to}.csv",
        )


def this_month_totals(actor: Actor) -> list[str]:
    """My Day's card: this month's own total per currency (never added across currencies)."""
    try:
        with read_only() as uow:
            mine = my_incentives(uow, actor, None, months=1)
    except DomainError:
        return []
    sums: dict[str, Decimal] = {}
    for t in mine.months:
        if t.month == mine.month:
            sums[t.currency] = sums.get(t.currency, Decimal("0.00")) + t.amount
    from rxapp.views.incentives import money

    return [money(a, c) for c, a in sorted(sums.items())]
