"""The hospitality dashboard: headline numbers of a period against the previous one, one point per
day for the charts, and a row per hotel, read from HospitalityKpiDaily (a missing day is computed
once and stored) and, for the per-hotel table, the hotels' own KPI days.

Every ratio of a period is a ratio of its sums (weighted by rooms), never a mean of days or of
hotels."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func
from sqlmodel import col, select

from domain import cache
from domain.access.actor import Actor
from domain.analytics.dashboards import dashboard_period, dashboard_timezone, single_currency
from domain.analytics.kpi_days import DaysRead, read_kpi_days
from domain.analytics.overview import OverviewPart, number
from domain.analytics.ranges import DateRange, Preset, check_range
from domain.db import UnitOfWork, pk
from domain.errors import NotFound
from domain.hospitality import kpi
from domain.hospitality.access import hospitality_venture_ids, hotel_office_clause
from domain.hospitality.models import HospitalityKpiDaily, HotelKpiDaily, HotelProperty
from domain.hospitality.rules import hotel_ratios, ratio
from domain.hospitality.schemas import (
    Headline,
    HospitalityDashboard,
    HotelRow,
    KpiDayView,
    KpiPoint,
    KpiTotals,
)
from domain.org.models import Venture

_FIELDS = tuple(KpiDayView.model_fields)
# The cache's "what" of this read; hospitality.handlers invalidates it per venture.
DASHBOARD = "hospitality.dashboard"


def _day_view(row: Any) -> KpiDayView:
    return KpiDayView(**{name: getattr(row, name) for name in _FIELDS})


def _ventures(uow: UnitOfWork, actor: Actor, venture_id: int | None) -> list[Venture]:
    ids = hospitality_venture_ids(uow, actor)
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


def _compute_days(conn: Connection, venture_id: int, days: list[date]) -> None:
    kpi.recompute_days_in(conn, venture_id, days)


def _read(
    uow: UnitOfWork, ventures: list[Venture], start: date, end: date, *, fill_missing: bool
) -> DaysRead:
    """HospitalityKpiDaily of the ventures over [start, end]; with ``fill_missing``, a day
    without a row is computed once through the KPI write and stored (``analytics.kpi_days``)."""
    if not fill_missing:
        ids = [pk(v) for v in ventures]
        return DaysRead(
            list(
                uow.session.execute(
                    select(HospitalityKpiDaily).where(
                        col(HospitalityKpiDaily.venture_id).in_(ids),
                        col(HospitalityKpiDaily.day) >= start,
                        col(HospitalityKpiDaily.day) <= end,
                    )
                ).scalars()
            )
        )
    table = HospitalityKpiDaily.__table__  # type: ignore[attr-defined]
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
    """HospitalityKpiDaily rows of the ventures in scope (or one), by venture and day."""
    actor.require("hospitality.dashboard.read")
    check_range(start, end)
    ventures = _ventures(uow, actor, venture_id)
    if not ventures:
        return []
    read = _read(uow, ventures, start, end, fill_missing=fill_missing)
    return sorted((_day_view(r) for r in read.rows), key=lambda r: (r.venture_id, r.day))


def totals(rows: list[KpiDayView], start: date, end: date) -> KpiTotals:
    """A period's sums and the ratios of those sums."""

    def total(name: str) -> int:
        return sum(int(getattr(r, name)) for r in rows)

    def money(name: str) -> Decimal:
        return sum((getattr(r, name) for r in rows), start=Decimal("0.00"))

    available, sold, room = total("rooms_available"), total("rooms_sold"), money("room_revenue")
    ratios = hotel_ratios(available, sold, room)
    received = total("reviews_received")
    rating_sum = sum(
        (r.average_rating or Decimal(0)) * r.reviews_received for r in rows
    )  # each day's mean times its count: the sum of ratings (exact to 6 places)
    return KpiTotals(
        start=start,
        end=end,
        hotels_reporting=max((r.hotels_reporting for r in rows), default=0),
        rooms_available=available,
        rooms_sold=sold,
        room_revenue=room,
        other_revenue=money("other_revenue"),
        total_revenue=money("total_revenue"),
        occupancy=ratios.occupancy,
        adr=ratios.adr,
        revpar=ratios.revpar,
        reviews_received=received,
        reviews_responded=total("reviews_responded"),
        average_rating=ratio(rating_sum, received),
        disputes_opened=total("disputes_opened"),
        disputes_won=total("disputes_won"),
        amount_recovered=money("amount_recovered"),
    )


HEADLINES = (
    ("occupancy", "Occupancy", "ratio"),
    ("adr", "ADR", "money"),
    ("revpar", "RevPAR", "money"),
    ("total_revenue", "Revenue", "money"),
    ("reviews_responded", "Reviews answered", "count"),
    ("disputes_won", "Disputes won", "count"),
    ("amount_recovered", "Amount recovered", "money"),
)


def _headline(metric: str, label: str, kind: str, cur: KpiTotals, prev: KpiTotals) -> Headline:
    a, b = getattr(cur, metric), getattr(prev, metric)
    value = None if a is None else Decimal(a)
    previous = None if b is None else Decimal(b)
    if kind == "ratio":
        change = None if value is None or previous is None else value - previous
    else:
        change = ratio((value or 0) - (previous or 0), previous)
    return Headline(
        metric=metric, label=label, kind=kind, value=value, previous=previous, change=change
    )


def hotel_rows(
    uow: UnitOfWork, actor: Actor, ventures: list[Venture], start: date, end: date
) -> list[HotelRow]:
    """Each hotel the actor works with over [start, end]: its sums and their ratios."""
    ids = [pk(v) for v in ventures]
    hotels = list(
        uow.session.execute(
            select(HotelProperty)
            .where(hotel_office_clause(uow, actor), col(HotelProperty.venture_id).in_(ids))
            .order_by(col(HotelProperty.code))
        ).scalars()
    )
    if not hotels:
        return []
    K = HotelKpiDaily
    sums = {
        int(h): (int(a or 0), int(s or 0), Decimal(r or 0).quantize(Decimal("0.01")))
        for h, a, s, r in uow.session.execute(
            select(
                col(K.hotel_id),
                func.sum(K.rooms_available),
                func.sum(K.rooms_sold),
                func.sum(K.room_revenue),
            )
            .where(
                col(K.venture_id).in_(ids),
                col(K.hotel_id).in_([pk(h) for h in hotels]),
                col(K.day) >= start,
                col(K.day) <= end,
            )
            .group_by(col(K.hotel_id))
        )
    }
    out = []
    for h in hotels:
        available, sold, room = sums.get(pk(h), (0, 0, Decimal("0.00")))
        r = hotel_ratios(available, sold, room)
        out.append(
            HotelRow(
                hotel_id=pk(h),
                code=h.code,
                name=h.name,
                rooms=h.rooms,
                status=h.status,
                rooms_available=available,
                rooms_sold=sold,
                room_revenue=room,
                occupancy=r.occupancy,
                adr=r.adr,
                revpar=r.revpar,
            )
        )
    return out


def hospitality_dashboard(
    uow: UnitOfWork,
    actor: Actor,
    start: date | None = None,
    end: date | None = None,
    *,
    venture_id: int | None = None,
    preset: Preset | str | None = None,
) -> HospitalityDashboard:
    """Headlines of [start, end] against the previous period of the same length, a point per
    day, a row per hotel. ``end`` defaults to today (the venture's business date), ``start`` to
    30 days before it; a ``preset`` is the quick range ending on ``end``."""
    actor.require("hospitality.dashboard.read")
    ventures = _ventures(uow, actor, venture_id)
    period = dashboard_period(dashboard_timezone(ventures), start, end, preset)
    ids = [pk(v) for v in ventures]
    return cache.cached(
        DASHBOARD,
        actor,
        {"start": period.start, "end": period.end, "ventures": ids},
        ids,
        lambda: _dashboard(uow, actor, ventures, period),
        HospitalityDashboard,
        on_hit=_nothing_computed_now,
    )


def _nothing_computed_now(dash: HospitalityDashboard) -> HospitalityDashboard:
    """A cached dashboard computed nothing now (the days it computed are stored since)."""
    return dash.model_copy(update={"computed_now": [], "computed_note": ""})


def _dashboard(
    uow: UnitOfWork, actor: Actor, ventures: list[Venture], period: DateRange
) -> HospitalityDashboard:
    start, end = period.start, period.end
    before = period.previous()
    currency = single_currency(ventures)
    read = _read(uow, ventures, before.start, end, fill_missing=True)
    rows = [_day_view(r) for r in read.rows]
    current_rows = [r for r in rows if r.day >= start]
    previous_rows = [r for r in rows if r.day < start]
    current = totals(current_rows, start, end)
    previous = totals(previous_rows, before.start, before.end)
    by_day: dict[date, list[KpiDayView]] = defaultdict(list)
    for r in current_rows:
        by_day[r.day].append(r)
    series = []
    d = start
    while d <= end:
        t = totals(by_day.get(d, []), d, d)
        series.append(KpiPoint(**t.model_dump(exclude={"start", "end"}), day=d))
        d += timedelta(days=1)
    return HospitalityDashboard(
        start=start,
        end=end,
        previous_start=before.start,
        previous_end=before.end,
        venture_ids=[pk(v) for v in ventures],
        currency=currency,
        current=current,
        previous=previous,
        headlines=[_headline(m, label, k, current, previous) for m, label, k in HEADLINES],
        series=series,
        hotels=hotel_rows(uow, actor, ventures, start, end) if ventures else [],
        computed_now=read.computed,
        computed_note=read.note,
    )


def overview_numbers(
    uow: UnitOfWork, ventures: list[Venture], period: DateRange
) -> dict[int, OverviewPart]:
    """Each hospitality venture's row on the leadership overview: occupancy, RevPAR and revenue
    of the period against the previous one, from HospitalityKpiDaily (ratios of sums)."""
    before = period.previous()
    read = _read(uow, ventures, before.start, period.end, fill_missing=True)
    days = [_day_view(r) for r in read.rows]
    out = {}
    for v in ventures:
        mine = [r for r in days if r.venture_id == pk(v)]
        cur = totals([r for r in mine if r.day >= period.start], period.start, period.end)
        prev = totals([r for r in mine if r.day < period.start], before.start, before.end)
        out[pk(v)] = OverviewPart(
            [
                number("occupancy", "Occupancy", "ratio", cur.occupancy, prev.occupancy),
                number("revpar", "RevPAR", "money", cur.revpar, prev.revpar, v.currency),
                number(
                    "total_revenue",
                    "Revenue",
                    "money",
                    cur.total_revenue,
                    prev.total_revenue,
                    v.currency,
                ),
            ],
            read.computed,
        )
    return out
