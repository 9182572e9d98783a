"""Dashboards read their wing's pre-aggregated days (spec/briefing-and-dashboards.md,
Dashboards): a day in the range without a stored row is computed once through the wing's own
KPI write, stored, and the page is told so; the next read finds it stored. On PostgreSQL, first
readers of the same missing day from several connections at once neither fail nor leave a
duplicate row, and the day is computed by one of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from domain import cache, clock
from domain.bpo import kpi as bpo_kpi
from domain.bpo.dashboard import bpo_dashboard
from domain.bpo.models import BpoKpiDaily
from domain.cache import Cache, InProcess
from domain.db import get_engine, read_only, unit_of_work
from domain.freight import kpi as freight_kpi
from domain.freight.dashboard import freight_dashboard
from domain.freight.models import FreightKpiDaily
from domain.holdings import kpi as holdings_kpi
from domain.holdings.models import HoldingsBalanceDaily
from domain.holdings.queries.totals import holdings_dashboard
from domain.hospitality import kpi as hospitality_kpi
from domain.hospitality.dashboard import hospitality_dashboard
from domain.hospitality.models import HospitalityKpiDaily
from domain.org.models import Venture
from domain.saas import kpi as saas_kpi
from domain.saas.models import SaasMrrDaily
from domain.saas.queries import saas_dashboard
from tests.helpers import actor, at_once, venture_id

FINANCE = "finance@vcc.example"  # reads every wing's dashboard, every demo venture in scope


@dataclass(frozen=True)
class Wing:
    name: str
    code: str  # the demo venture
    table: Any
    read: Callable[[Any, Any, date, date, int], Any]  # (uow, actor, start, end, venture) -> dash
    recompute: Callable[[Any, int, list[date]], Any]  # the wing's KPI write (conn, venture, days)
    numbers: tuple[str, ...]  # the stored columns compared


WINGS = [
    Wing(
        "freight",
        "AFL",
        FreightKpiDaily,
        lambda uow, a, s, e, v: freight_dashboard(uow, a, s, e, venture_id=v),
        freight_kpi.recompute_days_in,
        ("loads_created", "loads_delivered", "revenue", "cost", "active_customers"),
    ),
    Wing(
        "hospitality",
        "HHG",
        HospitalityKpiDaily,
        lambda uow, a, s, e, v: hospitality_dashboard(uow, a, s, e, venture_id=v),
        hospitality_kpi.recompute_days_in,
        ("rooms_available", "rooms_sold", "room_revenue", "reviews_received"),
    ),
    Wing(
        "bpo",
        "PBP",
        BpoKpiDaily,
        lambda uow, a, s, e, v: bpo_dashboard(uow, a, s, e, venture_id=v),
        lambda conn, v, days: bpo_kpi.recompute_days_in(conn, v, days, keep_empty=True),
        ("dials", "connects", "deals", "revenue", "avg_qa"),
    ),
    Wing(
        "saas",
        "LGY",
        SaasMrrDaily,
        lambda uow, a, s, e, v: saas_dashboard(uow, a, venture_id=v, start=s, end=e),
        saas_kpi.recompute_days_in,
        ("mrr", "customers", "active_subscriptions"),
    ),
    Wing(
        "holdings",
        "KSH",
        HoldingsBalanceDaily,
        lambda uow, a, s, e, v: holdings_dashboard(uow, a, s, e, venture_id=v),
        holdings_kpi.recompute_days_in,
        ("currency", "balance", "accounts"),
    ),
]


def no_cache() -> None:
    """Every read goes to the database (what a reader sees after the cache's TTL)."""
    cache.use_cache(Cache(InProcess(ttl=0, max_entries=1)))


def today_of(vid: int) -> date:
    with read_only() as uow:
        venture = uow.session.get(Venture, vid)
        assert venture is not None
        return clock.today(venture.timezone)


def stored(wing: Wing, vid: int, days: list[date]) -> list[tuple[Any, ...]]:
    t = wing.table.__table__
    with get_engine().connect() as conn:
        return [
            (r.day, *(getattr(r, n) for n in wing.numbers))
            for r in conn.execute(
                select(t)
                .where(t.c.venture_id == vid, t.c.day.in_(days))
                .order_by(t.c.day, *([t.c.currency] if "currency" in t.c else []))
            )
        ]


def rows_per_day(wing: Wing, vid: int, days: list[date]) -> dict[date, int]:
    t = wing.table.__table__
    key = [t.c.day] + ([t.c.currency] if "currency" in t.c else [])
    with get_engine().connect() as conn:
        counts = conn.execute(
            select(*key, func.count())
            .where(t.c.venture_id == vid, t.c.day.in_(days))
            .group_by(*key)
        ).all()
    assert all(n == 1 for *_, n in counts), f"a duplicate row: {counts}"
    out: dict[date, int] = {}
    for row in counts:
        out[row[0]] = out.get(row[0], 0) + 1
    return out


def drop(wing: Wing, vid: int, days: list[date]) -> None:
    t = wing.table.__table__
    with unit_of_work() as uow:
        uow.session.execute(delete(t).where(t.c.venture_id == vid, t.c.day.in_(days)))


def setup_missing(wing: Wing) -> tuple[int, date, date, list[date]]:
    """A 7-day range ending 5 days ago, every day stored but three."""
    vid = venture_id(wing.code)
    end = today_of(vid) - timedelta(days=5)
    start = end - timedelta(days=6)
    no_cache()
    with read_only() as uow:  # the range and its previous period stored
        wing.read(uow, actor(FINANCE), start, end, vid)
    missing = [start + timedelta(days=1), start + timedelta(days=3), start + timedelta(days=4)]
    drop(wing, vid, missing)
    return vid, start, end, missing


@pytest.mark.parametrize("wing", WINGS, ids=[w.name for w in WINGS])
def test_a_missing_day_is_computed_once_stored_and_noted(demo, wing: Wing) -> None:
    vid, start, end, missing = setup_missing(wing)
    assert rows_per_day(wing, vid, missing) == {}
    with read_only() as uow:
        dash = wing.read(uow, actor(FINANCE), start, end, vid)
    assert dash.computed_now == missing
    assert dash.computed_note.startswith("3 days were computed now")
    assert clock.format_business_date(missing[0]) in dash.computed_note
    # Stored, once per day (per currency for holdings)...
    assert set(rows_per_day(wing, vid, missing)) == set(missing)
    first = stored(wing, vid, missing)
    # ... with the numbers of the wing's own KPI write (what its job and handlers store).
    with get_engine().begin() as conn:
        wing.recompute(conn, vid, missing)
    assert stored(wing, vid, missing) == first
    # The next read finds them stored: nothing computed, nothing said.
    with read_only() as uow:
        again = wing.read(uow, actor(FINANCE), start, end, vid)
    assert again.computed_now == [] and again.computed_note == ""


@pytest.mark.parametrize("wing", WINGS, ids=[w.name for w in WINGS])
def test_days_to_come_are_not_missing(demo, wing: Wing) -> None:
    vid = venture_id(wing.code)
    today = today_of(vid)
    no_cache()
    with read_only() as uow:
        wing.read(uow, actor(FINANCE), today - timedelta(days=2), today + timedelta(days=3), vid)
    future = [today + timedelta(days=i) for i in range(1, 4)]
    assert rows_per_day(wing, vid, future) == {}


@pytest.mark.postgres_only
@pytest.mark.parametrize("wing", WINGS, ids=[w.name for w in WINGS])
def test_first_readers_at_once_store_each_missing_day_once(demo, wing: Wing) -> None:
    vid, start, end, missing = setup_missing(wing)
    who = actor(FINANCE)

    def read(i: int) -> list[date]:
        with read_only() as uow:
            return list(wing.read(uow, who, start, end, vid).computed_now)

    results, errors = at_once(6, read)
    assert errors == []
    # Every missing day stored exactly once, computed by exactly one reader.
    assert set(rows_per_day(wing, vid, missing)) == set(missing)
    computed = sorted(d for r in results for d in r)
    assert computed == missing
