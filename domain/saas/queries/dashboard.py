"""The SaaS dashboard (one venture, its currency): the MRR line over a date range, the monthly
MRR movements (churn bars) and the top customers by MRR on the range's last day; and the MRR KPI
read.

The MRR line and the MRR KPI of a day up to today read the pre-aggregate SaasMrrDaily (a missing
day is computed once by the wing's KPI write and stored: ``analytics.kpi_days``); days after
today have not happened and are not on the line. The month movements and the top customers are
per customer (which customer moved, who pays most), not a sum a daily row can hold: they are the
pure rules of ``domain.saas.rules`` over the venture's subscriptions touching the range (one
indexed read)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection
from sqlmodel import col, select

from domain import cache, clock
from domain.access.actor import Actor
from domain.analytics.kpi_days import DaysRead, read_kpi_days
from domain.analytics.overview import OverviewPart, number
from domain.analytics.ranges import DateRange, check_range, default_range
from domain.db import UnitOfWork, pk
from domain.errors import Invalid, NotFound
from domain.org.models import Venture
from domain.saas import kpi, rules
from domain.saas.access import saas_venture_ids
from domain.saas.models import SaasCustomer, SaasMrrDaily, SaasSubscription
from domain.saas.schemas import MonthBar, MrrKpiView, MrrPoint, SaasDashboardView, TopCustomer
from domain.schemas import business_date_problem

TOP_CUSTOMERS = 10


def _venture(uow: UnitOfWork, actor: Actor, venture_id: int | None, action: str) -> Venture:
    actor.require(action)
    ids = saas_venture_ids(uow, actor)
    if venture_id is None:
        if not ids:
            raise Invalid.field("venture_id", "you have no SaaS venture")
        venture_id = ids[0]
    if venture_id not in ids:
        raise NotFound("venture", venture_id)
    actor.require(action, venture_id)
    venture = uow.session.get(Venture, venture_id)
    assert venture is not None
    return venture


def _subs(uow: UnitOfWork, venture_id: int, start: date, end: date) -> list[rules.Sub]:
    """The venture's subscriptions alive at some point of ``[start, end]``."""
    s = SaasSubscription
    stmt = select(col(s.customer_id), col(s.mrr), col(s.started_at), col(s.cancelled_at)).where(
        col(s.venture_id) == venture_id,
        col(s.started_at) <= end,
        col(s.cancelled_at).is_(None) | (col(s.cancelled_at) >= start),
    )
    return [rules.Sub(c, m, st, ca) for c, m, st, ca in uow.session.execute(stmt)]


def _compute_days(conn: Connection, venture_id: int, days: list[date]) -> None:
    kpi.recompute_days_in(conn, venture_id, days)


def mrr_days(uow: UnitOfWork, ventures: list[Venture], start: date, end: date) -> DaysRead:
    """SaasMrrDaily of the ventures over [start, end] up to each one's today, a missing day
    computed once and stored."""
    table = SaasMrrDaily.__table__  # type: ignore[attr-defined]
    return read_kpi_days(uow, table, ventures, start, end, _compute_days)


def saas_dashboard(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> SaasDashboardView:
    venture = _venture(uow, actor, venture_id, "saas.dashboard.read")
    if start is None and end is None:
        rng = default_range(clock.today(venture.timezone))
    else:
        rng = check_range(start, end)
    vid = pk(venture)
    return cache.cached(
        kpi.DASHBOARD,
        actor,
        {"start": rng.start, "end": rng.end, "venture": vid},
        [vid],
        lambda: _dashboard(uow, venture, rng),
        SaasDashboardView,
        on_hit=_nothing_computed_now,
    )


def _nothing_computed_now(dash: SaasDashboardView) -> SaasDashboardView:
    """A cached dashboard computed nothing now (the days it computed are stored since)."""
    return dash.model_copy(update={"computed_now": [], "computed_note": ""})


def _dashboard(uow: UnitOfWork, venture: Venture, rng: DateRange) -> SaasDashboardView:
    # The first month's opening is the day before it starts.
    subs = _subs(uow, pk(venture), rules.month_start(rng.start) - timedelta(days=1), rng.end)
    read = mrr_days(uow, [venture], rng.start, rng.end)
    line = [(r.day, r.mrr) for r in read.rows]
    months = rules.movements(subs, rng.start, rng.end)
    top = rules.top_customers(subs, rng.end, TOP_CUSTOMERS)
    names = (
        dict(
            uow.session.execute(
                select(SaasCustomer.id, SaasCustomer.name).where(
                    col(SaasCustomer.id).in_([c for c, _ in top])
                )
            ).all()
        )
        if top
        else {}
    )
    return SaasDashboardView(
        venture_id=pk(venture),
        venture_code=venture.code,
        currency=venture.currency,
        start=rng.start,
        end=rng.end,
        mrr_line=[MrrPoint(day=d, mrr=m) for d, m in line],
        months=[
            MonthBar(
                month=m.month,
                new_mrr=m.new_mrr,
                expansion_mrr=m.expansion_mrr,
                contraction_mrr=m.contraction_mrr,
                churned_mrr=m.churned_mrr,
                new_logos=m.new_logos,
                churned_logos=m.churned_logos,
                customers_at_opening=m.customers_at_opening,
                logo_churn_rate=m.logo_churn_rate,
            )
            for m in months
        ],
        top_customers=[TopCustomer(customer_id=c, name=names.get(c, ""), mrr=m) for c, m in top],
        mrr_start=line[0][1] if line else Decimal("0.00"),
        mrr_end=line[-1][1] if line else Decimal("0.00"),
        computed_now=read.computed,
        computed_note=read.note,
    )


def mrr_kpi(
    uow: UnitOfWork, actor: Actor, *, venture_id: int | None = None, day: date | None = None
) -> MrrKpiView:
    """The venture's MRR on ``day`` (default: its business date today)."""
    venture = _venture(uow, actor, venture_id, "saas.dashboard.read")
    if day is None:
        day = clock.today(venture.timezone)
    elif problem := business_date_problem(day):
        raise Invalid.field("day", problem)
    if day <= clock.today(venture.timezone):
        [row] = mrr_days(uow, [venture], day, day).rows
        mrr, customers, active_subs = row.mrr, row.customers, row.active_subscriptions
    else:  # a day to come: what the subscriptions (and their cancellations) say it will be
        subs = _subs(uow, pk(venture), day, day)
        active = [s for s in subs if rules.is_active(s, day)]
        mrr = rules.mrr_on(active, day)
        customers, active_subs = len(rules.mrr_by_customer(active, day)), len(active)
    return MrrKpiView(
        venture_id=pk(venture),
        venture_code=venture.code,
        currency=venture.currency,
        day=day,
        mrr=mrr,
        customers=customers,
        active_subscriptions=active_subs,
    )


def overview_numbers(
    uow: UnitOfWork, ventures: list[Venture], period: DateRange
) -> dict[int, OverviewPart]:
    """Each SaaS venture's row on the leadership overview: MRR and paying customers on the
    period's last day (up to today) against the previous period's last day, from SaasMrrDaily."""
    before = period.previous()
    read = mrr_days(uow, ventures, before.end, period.end)
    out = {}
    for v in ventures:
        mine = [r for r in read.rows if r.venture_id == pk(v)]
        now = [r for r in mine if r.day >= period.start]
        then = [r for r in mine if r.day <= before.end]
        cur, prev = (now[-1] if now else None), (then[-1] if then else None)
        out[pk(v)] = OverviewPart(
            [
                number("mrr", "MRR", "money", cur and cur.mrr, prev and prev.mrr, v.currency),
                number(
                    "customers",
                    "Customers",
                    "count",
                    cur and cur.customers,
                    prev and prev.customers,
                ),
            ],
            read.computed,
        )
    return out
