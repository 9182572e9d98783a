"""The holdings pages' handlers, driven as a client would: the dashboard (a card and a chart per
currency, never a mixed total; assets by type), the assets list, the bank accounts with their
latest balance and the snapshot form (a second balance of a day refused on the form, nothing
written), and who may open them."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.db import read_only
from domain.holdings.models import BankSnapshot
from domain.money import Currency
from rxapp.state.holdings_dashboard import HoldingsDashboardState
from rxapp.state.holdings_lists import HoldingsAccountsState, HoldingsAssetsState
from tests.integration.holdings.conftest import (
    AUDITOR,
    EMPLOYEE,
    FINANCE,
    account_of,
    second_holdings_venture,
)
from tests.rx.conftest import Tab, toasts


def _tab(email: str, path: str) -> Tab:
    tab = Tab(path)
    tab.login(email)
    return tab


def _snapshots() -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(BankSnapshot)).scalar_one())


def test_the_dashboard_has_a_card_and_a_line_per_currency(demo) -> None:
    tab = _tab(FINANCE, "/holdings/dashboard")
    tab.call(HoldingsDashboardState, "load")
    state = tab.state(HoldingsDashboardState)
    assert tab.session.ready_page == "holdings_dashboard"
    assert {h.metric for h in state.headlines} == {"balance_USD", "balance_INR"}
    usd = next(h for h in state.headlines if h.metric == "balance_USD")
    inr = next(h for h in state.headlines if h.metric == "balance_INR")
    assert usd.value.startswith("$") and inr.value.startswith("₹")
    assert len(state.usd_series) == 90 and len(state.inr_series) == 90
    assert state.by_type
    tab.call(HoldingsDashboardState, "preset", "7")
    assert len(state.usd_series) == 7 and state.chosen == "7"


def test_assets_and_accounts_list_and_a_balance_is_recorded_once(demo) -> None:
    tab = _tab(FINANCE, "/holdings/assets")
    tab.call(HoldingsAssetsState, "load")
    assert tab.session.ready_page == "holdings_assets"
    assert tab.state(HoldingsAssetsState).rows

    tab = _tab(FINANCE, "/holdings/accounts")
    tab.call(HoldingsAccountsState, "load")
    state = tab.state(HoldingsAccountsState)
    assert tab.session.ready_page == "holdings_accounts" and state.can_record
    assert {r.currency for r in state.rows} == {"USD", "INR"}
    assert all(r.number.startswith("····") and len(r.number) == 8 for r in state.rows)

    inr = account_of(Currency.INR)
    tab.call(HoldingsAccountsState, "open_snapshot", inr.id)
    assert state.snapshot_open and "INR" in state.snapshot_title
    before = _snapshots()
    tab.call(HoldingsAccountsState, "record", {"day": "", "balance": "abc"})
    assert state.err["day"] and state.err["balance"] and _snapshots() == before
    events = tab.call(HoldingsAccountsState, "record", {"day": "2026-11-20", "balance": "1,234.50"})
    assert not state.snapshot_open and any("₹1,234.50" in t for t in toasts(events))
    assert _snapshots() == before + 1
    tab.call(HoldingsAccountsState, "open_snapshot", inr.id)
    tab.call(HoldingsAccountsState, "record", {"day": "2026-11-20", "balance": "1.00"})
    # The 409 of the unique key, shown on the form (naming the date), nothing written.
    assert state.snapshot_open and _snapshots() == before + 1
    assert any("already has a balance" in m for m in [state.err["day"], *state.errors])


def test_another_ventures_account_and_roles_without_holdings(demo) -> None:
    _venture, account_id, _snap, _asset = second_holdings_venture()
    tab = _tab(FINANCE, "/holdings/accounts")
    tab.call(HoldingsAccountsState, "load")
    state = tab.state(HoldingsAccountsState)
    assert account_id not in {r.id for r in state.rows}
    assert toasts(tab.call(HoldingsAccountsState, "open_snapshot", account_id))
    assert not state.snapshot_open

    # The auditor reads but records nothing.
    tab = _tab(AUDITOR, "/holdings/accounts")
    tab.call(HoldingsAccountsState, "load")
    assert tab.session.ready_page == "holdings_accounts"
    assert not tab.state(HoldingsAccountsState).can_record

    # No holdings section: the page is refused.
    tab = _tab(EMPLOYEE, "/holdings/dashboard")
    tab.call(HoldingsDashboardState, "load")
    assert tab.session.ready_page != "holdings_dashboard"
