"""The freight dashboard: headline numbers of a period against the previous one, and one point
per day for the charts, read from FreightKpiDaily (a missing day is computed once and stored)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection
from sqlmodel import col, select

from domain import cache, clock
from domain.access.actor import Actor
from domain.analytics.kpi_days import DaysRead, read_kpi_days
from domain.analytics.overview import OverviewPart, number
from domain.analytics.ranges import (
    DEFAULT_DAYS,
    DateRange,
    Preset,
    check_range,
    preset_range,
)
from domain.db import UnitOfWork, pk
from domain.errors import Invalid, NotFound
from domain.freight import kpi
from domain.freight.access import freight_ventures_clause
from domain.freight.models import FreightKpiDaily
from domain.freight.rules import check_dates, margin
from domain.freight.schemas import FreightDashboard, Headline, KpiDayView, KpiPoint, KpiTotals
from domain.freight.views import kpi_day_view
from domain.org.models import Venture
from domain.settings import get_settings

# The cache's "what" of this read; freight.handlers invalidates it per venture.
DASHBOARD = "freight.dashboard"


def _dashboard_ventures(uow: UnitOfWork, actor: Actor, venture_id: int | None) -> list[Venture]:
    """The freight ventures in the actor's scope (or the one asked for: NotFound outside it), in
    one query: a cache hit still runs it, so scope is decided by the database on every read."""
    stmt = select(Venture).where(freight_ventures_clause(actor))
    if venture_id is not None:
        stmt = stmt.where(col(Venture.id) == venture_id)
    ventures = list(uow.session.execute(stmt.order_by(col(Venture.id))).scalars().all())
    if venture_id is not None and not ventures:
        raise NotFound("venture", venture_id)
    return ventures


def _compute_days(conn: Connection, venture_id: int, days: list[date]) -> None:
    kpi.recompute_days_in(conn, venture_id, days)


def _read_kpi(
    uow: UnitOfWork, ventures: list[Venture], start: date, end: date, *, fill_missing: bool
) -> DaysRead:
    """FreightKpiDaily of the ventures over [start, end]; with ``fill_missing``, a day without a
    row is computed once through the KPI write and stored (``analytics.kpi_days``)."""
    table = FreightKpiDaily.__table__  # type: ignore[attr-defined]
    if not fill_missing:
        ids = [pk(v) for v in ventures]
        return DaysRead(
            list(
                uow.session.execute(
                    select(FreightKpiDaily).where(
                        col(FreightKpiDaily.venture_id).in_(ids),
                        col(FreightKpiDaily.day) >= start,
                        col(FreightKpiDaily.day) <= end,
                    )
                ).scalars()
            )
        )
    return read_kpi_days(uow, table, ventures, start, end, _compute_days)


def kpi_days(
    uow: UnitOfWork,
    actor: Actor,
    start: date,
    end: date,
    *,
    venture_id: int | None = None,
    fill_missing: bool = False,
) -> list[KpiDayView]:
    """FreightKpiDaily rows of the ventures in scope (or one), by venture and day."""
    actor.require("freight.dashboard.read")
    check_range(start, end)
    ventures = _dashboard_ventures(uow, actor, venture_id)
    if not ventures:
        return []
    read = _read_kpi(uow, ventures, start, end, fill_missing=fill_missing)
    return sorted((kpi_day_view(r) for r in read.rows), key=lambda r: (r.venture_id, r.day))


def _totals(rows: list[KpiDayView], start: date, end: date, last_day: date) -> KpiTotals:
    def total(name: str) -> Any:
        return sum((getattr(r, name) for r in rows), start=0)

    revenue = sum((r.revenue for r in rows), start=Decimal("0.00"))
    cost = sum((r.cost for r in rows), start=Decimal("0.00"))
    profit = sum((r.profit for r in rows), start=Decimal("0.00"))
    created, covered = total("loads_created"), total("loads_covered")
    last = [r for r in rows if r.day == last_day]
    return KpiTotals(
        start=start,
        end=end,
        loads_created=created,
        loads_covered=covered,
        loads_delivered=total("loads_delivered"),
        loads_lost=total("loads_lost"),
        revenue=revenue,
        cost=cost,
        profit=profit,
        margin_pct=margin(revenue, cost).pct,
        coverage_rate=kpi.rate(covered, created),
        active_customers=sum(r.active_customers for r in last),
        active_carriers=sum(r.active_carriers for r in last),
    )


HEADLINES = (
    ("loads_created", "Loads created", "count"),
    ("loads_covered", "Loads covered", "count"),
    ("loads_delivered", "Loads delivered", "count"),
    ("loads_lost", "Loads lost", "count"),
    ("revenue", "Revenue", "money"),
    ("profit", "Profit", "money"),
    ("margin_pct", "Margin", "ratio"),
    ("coverage_rate", "Coverage", "ratio"),
    ("active_customers", "Active customers", "count"),
    ("active_carriers", "Active carriers", "count"),
)


def _headline(metric: str, label: str, kind: str, cur: KpiTotals, prev: KpiTotals) -> Headline:
    a, b = getattr(cur, metric), getattr(prev, metric)
    value = None if a is None else Decimal(a)
    previous = None if b is None else Decimal(b)
    if kind == "ratio":
        change = None if value is None or previous is None else value - previous
    else:
        change = kpi.rate((value or 0) - (previous or 0), previous)
    return Headline(
        metric=metric, label=label, kind=kind, value=value, previous=previous, change=change
    )


def freight_dashboard(
    uow: UnitOfWork,
    actor: Actor,
    start: date | None = None,
    end: date | None = None,
    *,
    venture_id: int | None = None,
    preset: Preset | str | None = None,
) -> FreightDashboard:
    """The freight dashboard: headline numbers of [start, end] against the previous period of
    the same length, and one point per day for the charts. ``end`` defaults to today and
    ``start`` to 30 days before it; a ``preset`` ("7", "30", "90", "month") is the quick range
    ending on ``end`` (``start`` is then not given). "Today" is the business date of the venture
    shown, or of the group when several are. The range obeys ``analytics.ranges.check_range``.
    Reads only FreightKpiDaily; a missing day is computed once, stored, and listed in
    ``computed_now``."""
    actor.require("freight.dashboard.read")
    ventures = _dashboard_ventures(uow, actor, venture_id)
    tz = ventures[0].timezone if len(ventures) == 1 else get_settings().group_timezone
    check_dates(start=start, end=end)  # before any arithmetic with them
    end = end or clock.today(tz)
    if preset is not None:
        if start is not None:
            raise Invalid.field("start", "is not given with a preset (it ends on the end date)")
        period = preset_range(preset, end)
    else:
        period = check_range(start or end - timedelta(days=DEFAULT_DAYS - 1), end)
    start, end = period.start, period.end
    ids = [pk(v) for v in ventures]
    return cache.cached(
        DASHBOARD,
        actor,
        {"start": start, "end": end, "ventures": ids},
        ids,
        lambda: _dashboard(uow, ventures, period),
        FreightDashboard,
        on_hit=_nothing_computed_now,
    )


def _nothing_computed_now(dash: FreightDashboard) -> FreightDashboard:
    """A cached dashboard computed nothing now (the days it computed are stored since)."""
    return dash.model_copy(update={"computed_now": [], "computed_note": ""})


def _dashboard(uow: UnitOfWork, ventures: list[Venture], period: DateRange) -> FreightDashboard:
    start, end = period.start, period.end
    before = period.previous()
    prev_start, prev_end = before.start, before.end
    currencies = sorted({v.currency for v in ventures})
    if len(currencies) > 1:
        raise Invalid.field(
            "venture_id",
            "the ventures in view report in different currencies ("
            + ", ".join(currencies)
            + "): choose one venture",
        )
    read = _read_kpi(uow, ventures, prev_start, end, fill_missing=True)
    days = [kpi_day_view(r) for r in read.rows]
    current_rows = [r for r in days if r.day >= start]
    previous_rows = [r for r in days if r.day < start]
    current = _totals(current_rows, start, end, end)
    previous = _totals(previous_rows, prev_start, prev_end, prev_end)
    by_day: dict[date, list[KpiDayView]] = defaultdict(list)
    for r in current_rows:
        by_day[r.day].append(r)
    series = []
    d = start
    while d <= end:
        t = _totals(by_day.get(d, []), d, d, d)
        series.append(KpiPoint(**t.model_dump(exclude={"start", "end"}), day=d))
        d += timedelta(days=1)
    return FreightDashboard(
        start=start,
        end=end,
        previous_start=prev_start,
        previous_end=prev_end,
        venture_ids=[pk(v) for v in ventures],
        currency=currencies[0] if currencies else None,
        current=current,
        previous=previous,
        headlines=[_headline(m, label, k, current, previous) for m, label, k in HEADLINES],
        series=series,
        computed_now=read.computed,
        computed_note=read.note,
    )


def overview_numbers(
    uow: UnitOfWork, ventures: list[Venture], period: DateRange
) -> dict[int, OverviewPart]:
    """Each freight venture's row on the leadership overview: loads delivered, revenue and
    margin of the period against the previous one, from FreightKpiDaily."""
    before = period.previous()
    read = _read_kpi(uow, ventures, before.start, period.end, fill_missing=True)
    days = [kpi_day_view(r) for r in read.rows]
    out = {}
    for v in ventures:
        mine = [r for r in days if r.venture_id == pk(v)]
        cur = _totals(
            [r for r in mine if r.day >= period.start], period.start, period.end, period.end
        )
        prev = _totals(
            [r for r in mine if r.day < period.start], before.start, before.end, before.end
        )
        out[pk(v)] = OverviewPart(
            [
                number(
                    "loads_delivered",
                    "Loads delivered",
                    "count",
                    cur.loads_delivered,
                    prev.loads_delivered,
                ),
                number("revenue", "Revenue", "money", cur.revenue, prev.revenue, v.currency),
                number("margin_pct", "Margin", "ratio", cur.margin_pct, prev.margin_pct),
            ],
            read.computed,
        )
    return out
