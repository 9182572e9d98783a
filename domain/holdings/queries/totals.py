"""Per-currency totals: balances on a date, balance series over a range, assets by type.

Every total is per currency (``MoneyTotals``); an INR and a USD amount are never added. The
snapshots are few (one per account and month or day), so the reads load the in-scope snapshots
up to the end date and the pure rules (``domain.holdings.rules``) do the carrying forward.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.analytics.ranges import Preset, resolve_range
from domain.db import UnitOfWork
from domain.errors import NotFound
from domain.holdings import rules
from domain.holdings.access import holdings_venture_ids, venture_filter
from domain.holdings.models import BankSnapshot, HoldingAsset
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
    currency (a point per day of the period), and the assets' estimated value by type and
    currency."""
    actor.require("holdings.dashboard.read")
    period = resolve_range(start, end, preset, _today(uow, actor, venture_id))
    snaps = _snapshots(uow, actor, venture_id, period.end)
    days = [period.start + timedelta(days=i) for i in range(period.days)]
    series = rules.balance_series(snaps, days)
    assets = uow.session.execute(
        select(
            col(HoldingAsset.type), col(HoldingAsset.currency), col(HoldingAsset.value_estimate)
        ).where(venture_filter(uow, actor, HoldingAsset.venture_id, venture_id))
    ).all()
    by_type = rules.totals_by_type((str(t), Currency(c), v) for t, c, v in assets)
    return DashboardView(
        start=period.start,
        end=period.end,
        balances=_amounts(rules.balances_on(snaps, period.end)),
        previous=_amounts(rules.balances_on(snaps, period.previous().end)),
        series=[
            CurrencySeries(currency=cur, points=[SeriesPoint(day=d, amount=a) for d, a in points])
            for cur, points in sorted(series.items())
        ],
        assets_by_type=[
            TypeTotal(type=kind, currency=cur, amount=totals[cur])
            for kind, totals in by_type.items()
            for cur in totals
        ],
    )
