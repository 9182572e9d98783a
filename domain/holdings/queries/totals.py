"""Per-currency totals: balances on a date, balance series over a range, assets by type.

Every total is per currency (``MoneyTotals``); an INR and a USD amount are never added. The
snapshots are few (one per account and month or day), so the reads load the in-scope snapshots
up to the end date and the pure rules (``domain.holdings.rules``) do the carrying forward.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlmodel import col, select

from domain import cache, clock
from domain.access.actor import Actor
from domain.analytics.kpi_days import DaysRead, read_kpi_days
from domain.analytics.overview import OverviewPart, number
from domain.analytics.ranges import DateRange, Preset, resolve_range
from domain.db import UnitOfWork, pk
from domain.errors import NotFound
from domain.holdings import kpi, rules
from domain.holdings.access import holdings_venture_ids, venture_filter
from domain.holdings.models import BankSnapshot, HoldingAsset, HoldingsBalanceDaily
from domain.holdings.schemas import (
    BalancesView,
    CurrencyAmount,
    CurrencySeries,
    DashboardView,
    SeriesPoint,
    TypeTotal,
)
from domain.money import Currency, MoneyTotals
from domain.org.models import Venture
from domain.settings import get_settings


def _amounts(totals: MoneyTotals) -> list[CurrencyAmount]:
    return [CurrencyAmount(currency=c, amount=totals[c]) for c in totals]


def _snapshots(
    uow: UnitOfWork, actor: Actor, venture_id: int | None, end: date
) -> list[rules.Balance]:
    rows = uow.session.execute(
        select(
            col(BankSnapshot.account_id),
            col(BankSnapshot.day),
            col(BankSnapshot.currency),
            col(BankSnapshot.balance),
        ).where(
            venture_filter(uow, actor, BankSnapshot.venture_id, venture_id),
            col(BankSnapshot.day) <= end,
        )
    ).all()
    return [rules.Balance(r[0], r[1], Currency(r[2]), r[3]) for r in rows]


def _today(uow: UnitOfWork, actor: Actor, venture_id: int | None) -> date:
    """The business date of the venture shown (the group's for several)."""
    ids = holdings_venture_ids(uow, actor)
    if venture_id is not None and venture_id not in ids:
        raise NotFound("venture", venture_id)
    tz = get_settings().group_timezone
    if venture_id is not None:
        venture = uow.session.get(Venture, venture_id)
        tz = venture.timezone if venture is not None else tz
    return clock.today(tz)


def balances(
    uow: UnitOfWork, actor: Actor, on: date | None = None, *, venture_id: int | None = None
) -> BalancesView:
    """Total balance per currency on ``on`` (default today): each account's latest snapshot on
    or before it."""
    actor.require("holdings.accounts.read")
    today = _today(uow, actor, venture_id)  # also: a venture out of scope is NotFound
    on = on or today
    snaps = _snapshots(uow, actor, venture_id, on)
    latest = rules.latest_per_account(snaps, on)
    totals = MoneyTotals((b.currency, b.balance) for b in latest.values())
    return BalancesView(on=on, totals=_amounts(totals), accounts=len(latest))


def _compute_days(conn: Connection, venture_id: int, days: list[date]) -> None:
    kpi.recompute_days_in(conn, venture_id, days)


def _ventures(uow: UnitOfWork, actor: Actor, venture_id: int | None) -> list[Venture]:
    ids = holdings_venture_ids(uow, actor)
    if venture_id is not None:
        if venture_id not in ids:
            raise NotFound("venture", venture_id)
        ids = [venture_id]
    if not ids:
        return []
    return list(
        uow.session.execute(
            select(Venture).where(col(Venture.id).in_(ids)).order_by(col(Venture.id))
        ).scalars()
    )


def balance_days(
    uow: UnitOfWork, ventures: list[Venture], start: date, end: date
) -> tuple[dict[date, MoneyTotals], DaysRead]:
    """Balances per currency of the ventures together on each day of [start, end], read from
    HoldingsBalanceDaily (a missing day up to today computed once and stored); a day after a
    venture's today carries its last day forward (no balance is known for it yet)."""
    table = HoldingsBalanceDaily.__table__  # type: ignore[attr-defined]
    first = min([start, *(clock.today(v.timezone) for v in ventures)])
    read = read_kpi_days(uow, table, ventures, first, end, _compute_days)
    by_day: dict[date, dict[int, list[Any]]] = {}
    for r in read.rows:
        by_day.setdefault(r.day, {}).setdefault(int(r.venture_id), []).append(r)
    latest: dict[int, list[Any]] = {}
    out: dict[date, MoneyTotals] = {}
    day = first
    while day <= end:
        latest.update(by_day.get(day, {}))
        if day >= start:
            out[day] = MoneyTotals(
                (Currency(r.currency), r.balance)
                for rows in latest.values()
                for r in rows
                if r.accounts > 0
            )
        day += timedelta(days=1)
    return out, read


def holdings_dashboard(
    uow: UnitOfWork,
    actor: Actor,
    start: date | None = None,
    end: date | None = None,
    *,
    venture_id: int | None = None,
    preset: Preset | str | None = None,
) -> DashboardView:
    """Balances per currency at the end of the period and of the previous one, one series per
    currency (a point per day of the period, from the first day a currency has a balance), read
    from the pre-aggregate HoldingsBalanceDaily; and the assets' estimated value by type and
    currency (the register itself: a handful of rows, not a time series)."""
    actor.require("holdings.dashboard.read")
    period = resolve_range(start, end, preset, _today(uow, actor, venture_id))
    ventures = _ventures(uow, actor, venture_id)
    ids = [pk(v) for v in ventures]
    return cache.cached(
        kpi.DASHBOARD,
        actor,
        {"start": period.start, "end": period.end, "ventures": ids, "venture": venture_id},
        ids,
        lambda: _dashboard(uow, actor, ventures, period, venture_id),
        DashboardView,
        on_hit=_nothing_computed_now,
    )


def _nothing_computed_now(dash: DashboardView) -> DashboardView:
    """A cached dashboard computed nothing now (the days it computed are stored since)."""
    return dash.model_copy(update={"computed_now": [], "computed_note": ""})


def _dashboard(
    uow: UnitOfWork,
    actor: Actor,
    ventures: list[Venture],
    period: DateRange,
    venture_id: int | None,
) -> DashboardView:
    prev_end = period.previous().end
    days, read = balance_days(uow, ventures, prev_end, period.end)
    series: dict[Currency, list[SeriesPoint]] = {}
    for d in sorted(days):
        if d < period.start:
            continue
        for cur in days[d]:
            series.setdefault(cur, []).append(SeriesPoint(day=d, amount=days[d][cur]))
    assets = uow.session.execute(
        select(
            col(HoldingAsset.type), col(HoldingAsset.currency), col(HoldingAsset.value_estimate)
        ).where(venture_filter(uow, actor, HoldingAsset.venture_id, venture_id))
    ).all()
    by_type = rules.totals_by_type((str(t), Currency(c), v) for t, c, v in assets)
    return DashboardView(
        start=period.start,
        end=period.end,
        balances=_amounts(days.get(period.end, MoneyTotals())),
        previous=_amounts(days.get(prev_end, MoneyTotals())),
        series=[CurrencySeries(currency=cur, points=pts) for cur, pts in sorted(series.items())],
        assets_by_type=[
            TypeTotal(type=kind, currency=cur, amount=totals[cur])
            for kind, totals in by_type.items()
            for cur in totals
        ],
        computed_now=read.computed,
        computed_note=read.note,
    )


def overview_numbers(
    uow: UnitOfWork, ventures: list[Venture], period: DateRange
) -> dict[int, OverviewPart]:
    """Each holdings venture's row on the leadership overview: its bank balances per currency
    at the period's end against the previous period's end, from HoldingsBalanceDaily (one
    number per currency, never added together)."""
    before = period.previous()
    out = {}
    for v in ventures:
        days, read = balance_days(uow, [v], before.end, period.end)
        now, then = days.get(period.end, MoneyTotals()), days.get(before.end, MoneyTotals())
        out[pk(v)] = OverviewPart(
            [
                number(
                    f"balance_{cur}",
                    f"Balances ({cur})",
                    "money",
                    now.get(cur),
                    then.get(cur),
                    str(cur),
                )
                for cur in sorted({*now, *then})
            ],
            read.computed,
        )
    return out
