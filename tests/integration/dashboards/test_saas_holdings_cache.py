"""The SaaS and holdings dashboards through the cache (spec: Caching): the write that changes
what a dashboard shows makes the next read show it (in-process and with a real Redis): a new
subscription moves the MRR, a renamed customer's name follows in the top customers, a new asset
moves the assets by type, a balance recorded today moves today's balance."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain import cache, clock
from domain.db import read_only, unit_of_work
from domain.holdings.queries import totals
from domain.holdings.services import accounts, assets
from domain.money import Currency
from domain.saas import queries as saas_queries
from domain.saas import services as saas_services
from tests.helpers import actor, venture_id
from tests.integration.holdings.conftest import FINANCE, account_of, ksh

SAAS_MANAGER = "coo@vcc.example"


def saas_read():
    with read_only() as uow:
        return saas_queries.saas_dashboard(uow, actor(SAAS_MANAGER), venture_id=venture_id("LGY"))


def holdings_read():
    with read_only() as uow:
        return totals.holdings_dashboard(uow, actor(FINANCE), venture_id=ksh(), preset="30")


def saas_no_stale_read() -> None:
    saas_read()  # stores any day without a row
    before = saas_read()
    assert saas_read() == before  # served from the cache
    coo = actor(SAAS_MANAGER)
    with unit_of_work() as uow:
        customer = saas_services.create_customer(
            uow, coo, {"venture_id": venture_id("LGY"), "name": "Zed Corp", "domain": "zed.example"}
        ).id
    with unit_of_work() as uow:
        saas_services.create_subscription(
            uow,
            coo,
            {
                "customer_id": customer,
                "plan": "Enterprise",
                "mrr": "99999.00",
                "started_at": clock.today("America/New_York") - timedelta(days=3),
            },
        )
    after = saas_read()
    assert after.mrr_end == before.mrr_end + Decimal("99999.00")
    assert [t.name for t in after.top_customers if t.customer_id == customer] == ["Zed Corp"]
    with unit_of_work() as uow:
        saas_services.update_customer(uow, coo, customer, {"name": "Zed Holdings"})
    renamed = saas_read()
    assert [t.name for t in renamed.top_customers if t.customer_id == customer] == ["Zed Holdings"]


def holdings_no_stale_read() -> None:
    holdings_read()
    before = holdings_read()
    assert holdings_read() == before
    fin = actor(FINANCE)

    def equipment_inr(dash) -> Decimal:
        return sum(
            (
                t.amount
                for t in dash.assets_by_type
                if t.type == "EQUIPMENT" and t.currency == "INR"
            ),
            Decimal("0"),
        )

    with unit_of_work() as uow:
        assets.create_asset(
            uow,
            fin,
            {
                "venture_id": ksh(),
                "name": "Plant",
                "type": "EQUIPMENT",
                "value_estimate": "1000.00",
                "currency": "INR",
            },
        )
    after = holdings_read()
    assert equipment_inr(after) == equipment_inr(before) + Decimal("1000.00")
    usd = account_of(Currency.USD)
    with unit_of_work() as uow:
        accounts.record_snapshot(
            uow, fin, {"account_id": usd.id, "day": after.end.isoformat(), "balance": "123.45"}
        )
    moved = holdings_read()
    usd_today = [b.amount for b in moved.balances if b.currency == Currency.USD]
    assert usd_today and usd_today != [b.amount for b in after.balances if b.currency == "USD"]


@pytest.mark.parametrize("backend", ["in_process", "redis"])
def test_no_stale_saas_dashboard(demo, backend, request) -> None:
    if backend == "redis":
        request.getfixturevalue("redis_cache")
        assert cache.health() == "ok"
    saas_no_stale_read()


@pytest.mark.parametrize("backend", ["in_process", "redis"])
def test_no_stale_holdings_dashboard(demo, backend, request) -> None:
    if backend == "redis":
        request.getfixturevalue("redis_cache")
        assert cache.health() == "ok"
    holdings_no_stale_read()
