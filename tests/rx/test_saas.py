"""The SaaS pages' handlers, driven as a client would: the dashboard (MRR line, month bars, top
customers; a bad range named under the dates), the customers list (search, create), a customer's
page (add a subscription, a bad one names its field and writes nothing, cancel once), and scope:
a user without SaaS cannot open the pages; another venture's customer looks like not found."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from domain import clock
from domain.db import read_only
from domain.saas.models import SaasCustomer, SaasSubscription
from rxapp.state.saas_customers import SaasCustomersState, SaasCustomerState
from rxapp.state.saas_dashboard import SaasDashboardState
from tests.rx.conftest import Tab, toasts

MANAGER = "coo@vcc.example"
FINANCE = "finance@vcc.example"
TODAY = clock.today("America/New_York")


def _tab(email: str, path: str) -> Tab:
    tab = Tab(path)
    tab.login(email)
    return tab


def _subs() -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(SaasSubscription)).scalar())


def test_the_dashboard_shows_mrr_movements_and_top_customers(demo) -> None:
    tab = _tab(FINANCE, "/saas/dashboard")
    tab.call(SaasDashboardState, "load")
    state = tab.state(SaasDashboardState)
    assert tab.session.ready_page == "saas_dashboard"
    assert len(state.mrr_line) == 30 and state.months and state.top
    assert state.top[0].href.startswith("/saas/customers/")
    start = (TODAY - timedelta(days=364)).isoformat()
    tab.call(SaasDashboardState, "apply_range", {"from": start, "to": TODAY.isoformat()})
    assert len(state.mrr_line) == 365 and len(state.months) >= 12
    tab.call(SaasDashboardState, "apply_range", {"from": TODAY.isoformat(), "to": start})
    assert state.range_error != "" and len(state.mrr_line) == 365  # refused, nothing changed


def test_customers_list_create_add_and_cancel_once(demo) -> None:
    tab = _tab(MANAGER, "/saas/customers")
    tab.call(SaasCustomersState, "load")
    lst = tab.state(SaasCustomersState)
    assert tab.session.ready_page == "saas_customers" and lst.can_manage and lst.rows
    tab.call(SaasCustomersState, "apply_filters", {"q": lst.rows[0].name})
    assert lst.rows and all(lst.f_q.lower() in r.name.lower() for r in lst.rows)

    tab.call(SaasCustomersState, "open_create")
    vid = lst.manage_ventures[0].value
    tab.call(
        SaasCustomersState, "create_customer", {"venture_id": vid, "name": "X", "domain": "bad"}
    )
    assert lst.c_err["domain"] and lst.create_open
    events = tab.call(
        SaasCustomersState,
        "create_customer",
        {"venture_id": vid, "name": "Rx Co", "domain": "rx.example"},
    )
    with read_only() as uow:
        cid = uow.session.execute(
            select(SaasCustomer.id).where(SaasCustomer.domain == "rx.example")
        ).scalar_one()
    assert any(f"/saas/customers/{cid}" in str(e) for e in events)

    tab.navigate(f"/saas/customers/{cid}")
    tab.call(SaasCustomerState, "load")
    page = tab.state(SaasCustomerState)
    assert tab.session.ready_page == "saas_customer" and page.name == "Rx Co" and page.subs == []
    tab.call(SaasCustomerState, "open_add")
    before = _subs()
    bad = {"plan": "Growth", "mrr": "-5", "started_at": TODAY.isoformat()}
    tab.call(SaasCustomerState, "add_subscription", bad)
    assert page.a_err["mrr"] and _subs() == before
    tab.call(SaasCustomerState, "add_subscription", bad | {"mrr": "199.00"})
    assert len(page.subs) == 1 and page.subs[0].is_active and not page.add_open
    sid = page.subs[0].id
    tab.call(SaasCustomerState, "open_cancel", sid)
    assert page.cancel_open
    early = (TODAY - timedelta(days=1)).isoformat()
    tab.call(SaasCustomerState, "cancel", {"cancelled_at": early, "reason": "Budget"})
    assert page.x_err["cancelled_at"] and page.subs[0].is_active
    tab.call(SaasCustomerState, "cancel", {"cancelled_at": TODAY.isoformat(), "reason": "Budget"})
    assert not page.subs[0].is_active and page.subs[0].reason == "Budget"
    events = tab.call(SaasCustomerState, "open_cancel", sid)  # already cancelled: refused
    assert not page.cancel_open and toasts(events)


def test_no_saas_pages_without_saas_and_no_other_customers(demo) -> None:
    tab = _tab("csr.afl@vcc.example", "/saas/customers")
    tab.call(SaasCustomersState, "load")
    assert tab.session.denied_page == "saas_customers"
    with read_only() as uow:
        cid = uow.session.execute(select(SaasCustomer.id).limit(1)).scalar_one()
    tab = _tab("head.hotels@vcc.example", f"/saas/customers/{cid}")
    tab.call(SaasCustomerState, "load")
    assert tab.session.denied_page == "saas_customer" and tab.state(SaasCustomerState).name == ""
