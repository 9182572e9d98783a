"""One user action followed to every place it must reach (issue 16, "Cross-vertical flow tests";
spec/events-and-gamification.md, the LoadDelivered row): a CSR's big load delivered through the
real service, its event dispatched by the real outbox after commit, reaches

- the freight KPI day of its business date (one more delivered load, its bill in the revenue);
- the gamification points (LOAD_COMPLETED, 25, to the load's sales user, once);
- the incentive commit of that day (the sales user's "Per delivered load" counts it);
- the briefing: a win for the load on that day, still there after the next briefing run for the
  day, shown to the COO with a link to the load;
- the freight dashboard cache: the entry read before the delivery is not served after it, with
  the in-process cache and with a real Redis.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import col, select

from domain import cache, clock
from domain.briefing.models import Severity
from domain.briefing.queries import briefing_day
from domain.db import read_only, unit_of_work
from domain.freight import services
from domain.freight.dashboard import freight_dashboard
from domain.freight.models import FreightKpiDaily
from domain.freight.schemas import FreightDashboard
from domain.incentives.commit import commit_incentives
from domain.jobs.models import RunStatus
from domain.jobs.runner import run_job
from tests.helpers import actor, user_id, venture_id
from tests.integration.freight.conftest import make_carrier, make_load
from tests.integration.gamification.conftest import awards, balance
from tests.integration.incentives.conftest import rows_of

CSR = "csr.afl@vcc.example"
HEAD = "head.freight@vcc.example"
BIG = Decimal("12500.00")  # >= AFL's critical load amount (10,000 by default)
TZ = "America/New_York"  # AFL's timezone


def in_transit_big_load() -> int:
    """A load of the CSR's (their sales), billed above the critical amount, in transit."""
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo, bill_amount=str(BIG), sales_user_id=user_id(CSR))
    carrier = make_carrier()
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "WORKING"})
    with unit_of_work() as uow:
        services.cover_load(uow, ceo, load.id, carrier.id, cost_amount=Decimal("10000.00"))
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "IN_TRANSIT"})
    return load.id


def kpi_day(day: object) -> FreightKpiDaily | None:
    with read_only() as uow:
        return uow.session.execute(
            select(FreightKpiDaily).where(
                col(FreightKpiDaily.venture_id) == venture_id("AFL"),
                col(FreightKpiDaily.day) == day,
            )
        ).scalar_one_or_none()


def dashboard() -> FreightDashboard:
    with read_only() as uow:
        return freight_dashboard(uow, actor(HEAD), venture_id=venture_id("AFL"), preset="7")


def per_load_count(day: object) -> Decimal:
    """The CSR's "Per delivered load" metric in AFL's committed incentive rows of ``day``."""
    for row in rows_of("AFL", day):  # type: ignore[arg-type]
        if row["user_id"] == user_id(CSR):
            for part in row["breakdown"]:
                if part["rule"] == "Per delivered load":
                    return Decimal(str(part["metric_value"]))
    return Decimal(0)


def follow_a_big_delivery() -> None:
    load_id = in_transit_big_load()
    day = clock.today(TZ)
    afl, csr = venture_id("AFL"), user_id(CSR)
    before_kpi = kpi_day(day)
    delivered_before = before_kpi.loads_delivered if before_kpi else 0
    revenue_before = Decimal(before_kpi.revenue) if before_kpi else Decimal(0)
    points_before = balance(csr, afl)
    commit_incentives(afl, day, run_id="flow-before", dry_run=False)
    counted_before = per_load_count(day)
    cached = dashboard()
    assert dashboard() == cached  # the entry the delivery must make unreachable

    with unit_of_work() as uow:  # the user's one action; the outbox dispatches after commit
        services.deliver_load(uow, actor("ceo@vcc.example"), load_id)

    # The freight KPI day of the delivery's business date.
    after_kpi = kpi_day(day)
    assert after_kpi is not None and after_kpi.loads_delivered == delivered_before + 1
    assert Decimal(after_kpi.revenue) == revenue_before + BIG
    # The points: LOAD_COMPLETED to the sales user, once.
    (award,) = [
        a for a in awards("LOAD_COMPLETED") if a.idempotency_key == f"load-delivered:{load_id}"
    ]
    assert (award.user_id, award.venture_id, award.points) == (csr, afl, 25)
    assert balance(csr, afl) == points_before + 25
    # The incentive commit of that day counts it.
    commit_incentives(afl, day, run_id="flow-after", dry_run=False)
    assert per_load_count(day) == counted_before + 1
    # The dashboard: the entry read before is not served again.
    fresh = dashboard()
    assert fresh != cached
    assert fresh.current.loads_delivered == cached.current.loads_delivered + 1
    # The briefing: a win about the load, kept by the next briefing run for that day.
    run = run_job("briefing", business_date=day, venture="AFL")
    assert run.status == RunStatus.SUCCEEDED, (run.error, run.error_cell)
    with read_only() as uow:
        shown = briefing_day(uow, actor("coo@vcc.example"), day)
    (win,) = [i for i in shown.items if i.link == f"/freight/loads/{load_id}"]
    assert win.severity == Severity.INFO and win.venture_code == "AFL"
    assert win.title.startswith("Big load delivered") and "12,500.00" in win.detail
    assert shown.wins >= 1


def test_a_big_delivered_load_reaches_every_place_in_process(demo) -> None:
    assert cache.health() == "in_process"
    follow_a_big_delivery()


def test_a_big_delivered_load_reaches_every_place_with_redis(demo, redis_cache) -> None:
    assert cache.health() == "ok"
    follow_a_big_delivery()


@pytest.mark.parametrize("bill", ["9999.99"])
def test_a_delivery_below_the_critical_amount_is_no_win(demo, bill: str) -> None:
    """The same path with a bill just below the critical amount: points and KPI, no win."""
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo, bill_amount=bill, sales_user_id=user_id(CSR))
    carrier = make_carrier()
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "WORKING"})
    with unit_of_work() as uow:
        services.cover_load(uow, ceo, load.id, carrier.id, cost_amount=Decimal("8000.00"))
    with unit_of_work() as uow:
        services.deliver_load(uow, ceo, load.id)
    assert [a for a in awards("LOAD_COMPLETED") if a.idempotency_key == f"load-delivered:{load.id}"]
    with read_only() as uow:
        shown = briefing_day(uow, actor("coo@vcc.example"), clock.today(TZ))
    assert not [i for i in shown.items if i.link == f"/freight/loads/{load.id}"]
