"""The SaaS wing on both databases: scope of customers and subscriptions by every path (services,
lists, a customer's page, the dashboard, the KPI), bad input that writes nothing, and MRR as the
spec defines it (operations.md, SaaS) through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.saas import queries, services
from domain.saas.models import SaasCustomer, SaasSubscription
from domain.saas.queries import SubscriptionFilter
from tests.helpers import actor, venture_id

MANAGER = "coo@vcc.example"  # every venture; the demo has no LGY-only manager
FINANCE = "finance@vcc.example"  # reads LGY's money
OTHER_HEAD = "head.hotels@vcc.example"  # may manage SaaS, but LGY is out of scope
EMPLOYEE = "success.lgy@vcc.example"  # in LGY, no SaaS permission
TODAY = clock.today("America/New_York")


def _counts() -> tuple[int, int]:
    with read_only() as uow:
        c = uow.session.execute(select(func.count()).select_from(SaasCustomer)).scalar_one()
        s = uow.session.execute(select(func.count()).select_from(SaasSubscription)).scalar_one()
        return int(c), int(s)


def _customer(name: str = "Zed Corp", domain: str = "zed.example") -> int:
    with unit_of_work() as uow:
        return services.create_customer(
            uow, actor(MANAGER), {"venture_id": venture_id("LGY"), "name": name, "domain": domain}
        ).id


def _subscribe(customer_id: int, mrr: str, started: date, plan: str = "Growth") -> int:
    with unit_of_work() as uow:
        return services.create_subscription(
            uow,
            actor(MANAGER),
            {"customer_id": customer_id, "plan": plan, "mrr": mrr, "started_at": started},
        ).id


def test_the_demo_has_two_years_of_lgy_subscriptions_with_cancellations(demo) -> None:
    with read_only() as uow:
        rows = uow.session.execute(
            select(SaasSubscription.started_at, SaasSubscription.cancelled_at).where(
                SaasSubscription.venture_id == venture_id("LGY")
            )
        ).all()
    assert rows
    assert min(r[0] for r in rows) <= TODAY - timedelta(days=600)
    assert any(r[1] is not None for r in rows)


def test_mrr_around_a_cancellation_through_the_services(demo) -> None:
    cid = _customer()
    # The demo's history ends before today: after today only this subscription moves.
    sub = _subscribe(cid, "300.00", TODAY)
    cancel_on = TODAY + timedelta(days=10)
    with unit_of_work() as uow:
        view = services.cancel_subscription(
            uow, actor(MANAGER), sub, {"cancelled_at": cancel_on, "reason": "Budget cut"}
        )
    assert view.cancelled_at == cancel_on and view.cancel_reason == "Budget cut"
    lgy = venture_id("LGY")
    with read_only() as uow:
        before = queries.mrr_kpi(uow, actor(FINANCE), venture_id=lgy, day=cancel_on - timedelta(1))
        on = queries.mrr_kpi(uow, actor(FINANCE), venture_id=lgy, day=cancel_on)
        after = queries.mrr_kpi(uow, actor(FINANCE), venture_id=lgy, day=cancel_on + timedelta(1))
    # Counted the day before its cancellation, no more on the day itself nor after.
    assert before.mrr - on.mrr == Decimal("300.00")
    assert on.mrr == after.mrr
    assert before.currency == "USD"


def test_cancelling_twice_is_refused(demo) -> None:
    sub = _subscribe(_customer(), "10.00", TODAY - timedelta(days=5))
    body = {"cancelled_at": TODAY, "reason": "Closed"}
    with unit_of_work() as uow:
        services.cancel_subscription(uow, actor(MANAGER), sub, body)
    with pytest.raises(Conflict), unit_of_work() as uow:
        services.cancel_subscription(uow, actor(MANAGER), sub, {**body, "reason": "again"})
    with read_only() as uow:
        row = uow.session.get(SaasSubscription, sub)
        assert row is not None and row.cancel_reason == "Closed"


def test_bad_input_names_the_field_and_writes_nothing(demo) -> None:
    cid = _customer()
    sub = _subscribe(cid, "20.00", TODAY - timedelta(days=3))
    counts = _counts()
    who = actor(MANAGER)
    cases = [
        (
            lambda uow: services.create_subscription(
                uow, who, {"customer_id": cid, "plan": "X", "mrr": "-1.00", "started_at": TODAY}
            ),
            "mrr",
        ),
        (
            lambda uow: services.create_subscription(
                uow,
                who,
                {
                    "customer_id": cid,
                    "plan": "X",
                    "mrr": "1.00",
                    "started_at": TODAY,
                    "venture_id": venture_id("HHG"),
                },
            ),
            "customer_id",
        ),
        (
            lambda uow: services.create_customer(
                uow, who, {"venture_id": venture_id("HHG"), "name": "N", "domain": "n.example"}
            ),
            "venture_id",
        ),
        (
            lambda uow: services.create_customer(
                uow, who, {"venture_id": venture_id("LGY"), "name": "N", "domain": "not a domain"}
            ),
            "domain",
        ),
        (
            lambda uow: services.cancel_subscription(
                uow, who, sub, {"cancelled_at": TODAY - timedelta(days=4), "reason": "x"}
            ),
            "cancelled_at",
        ),
        (lambda uow: services.update_subscription(uow, who, sub, {"mrr": "-5"}), "mrr"),
    ]
    for call, field in cases:
        with pytest.raises(Invalid) as err, unit_of_work() as uow:
            call(uow)
        assert field in err.value.fields, (field, err.value.fields)
    assert _counts() == counts
    with read_only() as uow:
        row = uow.session.get(SaasSubscription, sub)
        assert row is not None and row.cancelled_at is None and row.mrr == Decimal("20.00")


def test_a_duplicate_domain_is_a_conflict_on_domain(demo) -> None:
    _customer(domain="dup.example")
    with pytest.raises(Conflict) as err, unit_of_work() as uow:
        services.create_customer(
            uow,
            actor(MANAGER),
            {"venture_id": venture_id("LGY"), "name": "B", "domain": "dup.example"},
        )
    assert "domain" in err.value.fields


def test_scope_of_customers_and_subscriptions_by_every_path(demo) -> None:
    cid = _customer()
    sid = _subscribe(cid, "99.00", TODAY - timedelta(days=2))
    lgy = venture_id("LGY")
    outsider = actor(OTHER_HEAD)
    with read_only() as uow:
        assert queries.list_customers(uow, outsider).items == []
        assert queries.list_subscriptions(uow, outsider).items == []
        assert queries.list_customers(uow, outsider, venture_id=lgy).items == []
        with pytest.raises(NotFound):
            queries.customer_page(uow, outsider, cid)
        with pytest.raises(NotFound):
            queries.saas_dashboard(uow, outsider, venture_id=lgy)
        with pytest.raises(NotFound):
            queries.mrr_kpi(uow, outsider, venture_id=lgy)
    for call in (
        lambda uow: services.update_customer(uow, outsider, cid, {"name": "X"}),
        lambda uow: services.update_subscription(uow, outsider, sid, {"plan": "X"}),
        lambda uow: services.cancel_subscription(
            uow, outsider, sid, {"cancelled_at": TODAY, "reason": "x"}
        ),
        lambda uow: services.create_customer(
            uow, outsider, {"venture_id": lgy, "name": "X", "domain": "x.example"}
        ),
    ):
        with pytest.raises(NotFound), unit_of_work() as uow:
            call(uow)
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.create_subscription(
            uow, outsider, {"customer_id": cid, "plan": "X", "mrr": "1", "started_at": TODAY}
        )
    assert "customer_id" in err.value.fields
    # In scope without the permission: refused; the money reader reads and changes nothing.
    with read_only() as uow, pytest.raises(Forbidden):
        queries.list_customers(uow, actor(EMPLOYEE))
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.cancel_subscription(
            uow, actor(FINANCE), sid, {"cancelled_at": TODAY, "reason": "x"}
        )
    with read_only() as uow:
        page = queries.customer_page(uow, actor(FINANCE), cid)
        assert [s.id for s in page.subscriptions] == [sid]
        assert page.customer.mrr == Decimal("99.00")


def test_lists_filters_and_cursor(demo) -> None:
    lgy = venture_id("LGY")
    who = actor(FINANCE)
    with read_only() as uow:
        seen, cursor = [], None
        while True:
            page = queries.list_subscriptions(
                uow,
                who,
                SubscriptionFilter(venture_id=lgy, status="cancelled"),
                cursor=cursor,
                limit=7,
            )
            seen += page.items
            cursor = page.next_cursor
            if not page.has_more:
                break
        total = uow.session.execute(
            select(func.count())
            .select_from(SaasSubscription)
            .where(
                SaasSubscription.cancelled_at.is_not(None)  # type: ignore[union-attr]
            )
        ).scalar_one()
        assert len(seen) == len({s.id for s in seen}) == total
        assert all(s.cancelled_at is not None for s in seen)
        customers = queries.list_customers(uow, who, venture_id=lgy, limit=200).items
        kpi = queries.mrr_kpi(uow, who, venture_id=lgy)
        assert sum((c.mrr for c in customers), Decimal(0)) == kpi.mrr
        with pytest.raises(Invalid) as err:
            queries.list_subscriptions(uow, who, SubscriptionFilter(status="gone"))
        assert "status" in err.value.fields


def test_the_dashboard_is_the_rules_over_the_range(demo) -> None:
    lgy = venture_id("LGY")
    start, end = TODAY - timedelta(days=364), TODAY
    with read_only() as uow:
        dash = queries.saas_dashboard(uow, actor(FINANCE), venture_id=lgy, start=start, end=end)
        kpi_end = queries.mrr_kpi(uow, actor(FINANCE), venture_id=lgy, day=end)
        kpi_mid = queries.mrr_kpi(uow, actor(FINANCE), venture_id=lgy, day=end - timedelta(100))
    assert len(dash.mrr_line) == 365 and dash.currency == "USD"
    assert dash.mrr_end == kpi_end.mrr
    assert dash.mrr_line[-101].mrr == kpi_mid.mrr
    assert len(dash.months) in (12, 13)
    assert sum(m.churned_logos for m in dash.months) > 0
    assert [t.mrr for t in dash.top_customers] == sorted(
        (t.mrr for t in dash.top_customers), reverse=True
    )
    with read_only() as uow, pytest.raises(Invalid) as err:
        queries.saas_dashboard(uow, actor(FINANCE), venture_id=lgy, start=end, end=start)
    assert "end" in err.value.fields
