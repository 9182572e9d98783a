"""FreightKpiDaily on both databases: the bulk path, the one-day path and a plain Python loop over
the loads agree; the write-back replaces the key range; the dashboard reads the table."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, func
from sqlmodel import col, select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, NotFound
from domain.freight import kpi
from domain.freight.models import FreightKpiDaily, Load
from domain.freight.queries import freight_dashboard, kpi_days
from tests.helpers import actor, venture_id

NY = "America/New_York"


def python_loop(venture_ids: list[int], start: date, end: date) -> list[kpi.KpiRow]:
    """The straightforward definition, one load at a time (the reference)."""
    with read_only() as uow:
        loads = list(
            uow.session.execute(select(Load).where(col(Load.venture_id).in_(venture_ids))).scalars()
        )
    counts: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    customers: dict[int, list[tuple[date, int]]] = defaultdict(list)
    carriers: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for x in loads:
        v = x.venture_id
        created = clock.business_date(x.created_at, NY)
        counts[(v, created)]["created"] += 1
        customers[v].append((created, x.customer_id))
        if x.covered_at:
            counts[(v, clock.business_date(x.covered_at, NY))]["covered"] += 1
        if x.lost_at:
            counts[(v, clock.business_date(x.lost_at, NY))]["lost"] += 1
        if x.delivered_at:
            d = clock.business_date(x.delivered_at, NY)
            c = counts[(v, d)]
            c["delivered"] += 1
            c["revenue"] += int((x.bill_amount or 0) * 100)
            c["cost"] += int((x.cost_amount or 0) * 100)
            if x.carrier_id:
                carriers[v].append((d, x.carrier_id))
    rows = []
    for v in sorted(venture_ids):
        d = start
        while d <= end:
            c = counts[(v, d)]
            lo = d - timedelta(days=29)
            rows.append(
                kpi.KpiRow.from_counts(
                    v,
                    d,
                    created=c["created"],
                    covered=c["covered"],
                    delivered=c["delivered"],
                    lost=c["lost"],
                    revenue_cents=c["revenue"],
                    cost_cents=c["cost"],
                    active_customers=len({k for day, k in customers[v] if lo <= day <= d}),
                    active_carriers=len({k for day, k in carriers[v] if lo <= day <= d}),
                )
            )
            d += timedelta(days=1)
    return rows


def stored(venture_ids: list[int], start: date, end: date) -> list[kpi.KpiRow]:
    with read_only() as uow:
        rows = uow.session.execute(
            select(FreightKpiDaily)
            .where(
                col(FreightKpiDaily.venture_id).in_(venture_ids),
                col(FreightKpiDaily.day) >= start,
                col(FreightKpiDaily.day) <= end,
            )
            .order_by(col(FreightKpiDaily.venture_id), col(FreightKpiDaily.day))
        ).scalars()
        return [kpi.KpiRow(**r.model_dump(exclude={"id", "computed_at", "run_id"})) for r in rows]


def test_bulk_day_and_python_agree(demo) -> None:
    ids = [venture_id("AFL"), venture_id("MBR"), venture_id("RTR")]
    end = clock.today(NY)
    start = end - timedelta(days=45)
    result = kpi.backfill_kpi(ids, start, end, run_id="test-run")
    expected = python_loop(ids, start, end)
    assert result.rows == expected
    assert stored(ids, start, end) == expected
    assert result.reader in ("connectorx", "sqlite3") and result.rows_written == len(expected)
    assert sum(r.loads_delivered for r in expected) > 100  # the demo has real activity
    for day in (end, end - timedelta(days=3), start):
        one = kpi.recompute_kpi_day(ids[0], day)
        assert one.rows == [r for r in expected if r.venture_id == ids[0] and r.day == day]
    with read_only() as uow:
        stamped = uow.session.execute(
            select(func.count()).where(FreightKpiDaily.run_id == "test-run")
        ).scalar_one()
    assert stamped == len(expected) - 3  # the three days recomputed since carry no run id


def test_write_back_replaces_the_range(demo) -> None:
    afl = venture_id("AFL")
    day = clock.today(NY) - timedelta(days=10)
    kpi.backfill_kpi([afl], day, day)
    with unit_of_work() as uow:
        row = uow.session.execute(
            select(FreightKpiDaily).where(
                FreightKpiDaily.venture_id == afl, FreightKpiDaily.day == day
            )
        ).scalar_one()
        good = row.loads_created
        row.loads_created = 99_999  # a stale number
    again = kpi.backfill_kpi([afl], day, day)
    assert again.rows[0].loads_created == good
    assert [r.loads_created for r in stored([afl], day, day)] == [good]


def test_full_range_uses_the_same_numbers(demo) -> None:
    """The SQLite full-scan hint (ranges over FULL_SCAN_DAYS) changes the plan, not the result."""
    ids = [venture_id("AFL")]
    end = clock.today(NY)
    start = end - timedelta(days=kpi.FULL_SCAN_DAYS)
    assert kpi.backfill_kpi(ids, start, end).rows == python_loop(ids, start, end)


def test_dashboard(demo) -> None:
    head = actor("head.freight@vcc.example")
    end = clock.today(NY)
    start = end - timedelta(days=13)
    with read_only() as uow:
        dash = freight_dashboard(uow, head, start, end)
    assert dash.previous_end == start - timedelta(days=1)
    assert (dash.previous_end - dash.previous_start).days == 13
    assert len(dash.series) == 14 and dash.currency == "USD"
    assert dash.current.loads_created == sum(p.loads_created for p in dash.series)
    assert dash.current.revenue == sum((p.revenue for p in dash.series), Decimal("0"))
    heads = {h.metric: h for h in dash.headlines}
    assert heads["revenue"].value == dash.current.revenue
    prev = dash.previous.revenue
    assert heads["revenue"].change == kpi.rate(dash.current.revenue - prev, prev)
    assert heads["margin_pct"].kind == "ratio"
    assert dash.computed_now == []  # the demo stored every day


def test_dashboard_computes_a_missing_day_once(demo) -> None:
    head = actor("head.freight@vcc.example")
    afl = venture_id("AFL")
    day = clock.today(NY) - timedelta(days=5)
    expected = stored([afl], day, day)
    with unit_of_work() as uow:
        uow.session.execute(
            delete(FreightKpiDaily).where(
                col(FreightKpiDaily.venture_id) == afl, col(FreightKpiDaily.day) == day
            )
        )
    with read_only() as uow:
        dash = freight_dashboard(uow, head, day, day, venture_id=afl)
    assert dash.computed_now == [day]
    assert dash.current.loads_created == expected[0].loads_created
    assert stored([afl], day, day) == expected  # stored for next time
    with read_only() as uow:
        assert freight_dashboard(uow, head, day, day, venture_id=afl).computed_now == []


def test_dashboard_scope(demo) -> None:
    with read_only() as uow:
        with pytest.raises(Forbidden):
            freight_dashboard(uow, actor("csr.afl@vcc.example"))
        with pytest.raises(NotFound):
            freight_dashboard(uow, actor("lead.mbr@vcc.example"), venture_id=venture_id("AFL"))
        rows = kpi_days(
            uow, actor("lead.mbr@vcc.example"), clock.today(NY) - timedelta(days=3), clock.today(NY)
        )
    assert rows and {r.venture_id for r in rows} == {venture_id("MBR")}


def test_quick_ranges_end_on_the_business_date_of_the_venture_shown(demo) -> None:
    """The "today" of a preset is the venture's business date (the group's when several ventures
    are shown): at 20:00 UTC it is already tomorrow in Kolkata."""
    from datetime import UTC, datetime

    from domain.db import unit_of_work
    from domain.errors import Invalid
    from domain.org.services import update_venture

    head, afl = actor("head.freight@vcc.example"), venture_id("AFL")
    ny_today = clock.today(NY)
    with unit_of_work() as uow:
        update_venture(uow, actor("ceo@vcc.example"), afl, {"timezone": "Asia/Kolkata"})
    evening = datetime.combine(ny_today, datetime.min.time(), UTC).replace(hour=20)
    with clock.frozen(evening), read_only() as uow:
        week = freight_dashboard(uow, head, venture_id=afl, preset="7")
        month = freight_dashboard(uow, head, venture_id=afl, preset="month")
        group = freight_dashboard(uow, head, preset="30")
        ended = freight_dashboard(uow, head, end=ny_today, venture_id=afl, preset="90")
        with pytest.raises(Invalid) as err:
            freight_dashboard(uow, head, ny_today, ny_today, preset="7")
    tomorrow = ny_today + timedelta(days=1)
    assert (week.start, week.end) == (tomorrow - timedelta(days=6), tomorrow)
    assert (month.start, month.end) == (tomorrow.replace(day=1), tomorrow)
    assert (group.start, group.end) == (ny_today - timedelta(days=29), ny_today)
    assert (ended.start, ended.end) == (ny_today - timedelta(days=89), ny_today)
    assert set(err.value.fields) == {"start"}  # a preset is a start of its own
