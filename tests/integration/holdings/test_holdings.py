"""Holdings services and queries on both databases: scope of every entity by every path, bad
input refused naming the field with nothing written, per-currency totals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.holdings.queries import lists, totals
from domain.holdings.services import accounts, assets
from domain.money import Currency
from tests.helpers import actor, venture_id
from tests.integration.holdings.conftest import (
    ACCOUNTING,
    AUDITOR,
    CEO,
    EMPLOYEE,
    FINANCE,
    OTHER_FINANCE,
    OTHER_HEAD,
    account_of,
    counts,
    ksh,
    second_holdings_venture,
)

ACCOUNT = {"bank": "Chase", "name": "Escrow", "last4": "4321", "currency": "USD"}
ASSET = {"name": "Plant", "type": "EQUIPMENT", "value_estimate": "1000.00", "currency": "INR"}
DAY = date(2026, 11, 15)


def _refused(exc_type, fn, *args):
    before = counts()
    with pytest.raises(exc_type) as info, unit_of_work() as uow:
        fn(uow, *args)
    assert counts() == before, "a refusal wrote something"
    return info.value


def test_the_demo_has_usd_and_inr_accounts_and_two_totals(demo) -> None:
    with read_only() as uow:
        view = totals.balances(uow, actor(FINANCE), venture_id=ksh())
    assert {t.currency for t in view.totals} == {Currency.USD, Currency.INR}
    assert view.accounts == 2


def test_adding_a_usd_and_an_inr_snapshot_moves_each_total_alone(demo) -> None:
    fin = actor(FINANCE)
    usd, inr = account_of(Currency.USD), account_of(Currency.INR)
    with read_only() as uow:
        before = {t.currency: t.amount for t in totals.balances(uow, fin, DAY).totals}
    with unit_of_work() as uow:
        accounts.record_snapshot(
            uow, fin, {"account_id": usd.id, "day": DAY.isoformat(), "balance": "100.00"}
        )
        accounts.record_snapshot(
            uow, fin, {"account_id": inr.id, "day": DAY.isoformat(), "balance": "5000.00"}
        )
    with read_only() as uow:
        after = {t.currency: t.amount for t in totals.balances(uow, fin, DAY).totals}
    assert after == {Currency.USD: Decimal("100.00"), Currency.INR: Decimal("5000.00")}
    assert set(before) == set(after)


@pytest.mark.parametrize(
    ("last4", "words"),
    [("12345", "last 4 digits only"), ("4111111111111111", "never stored"), ("12a4", "digits")],
)
def test_an_account_number_that_is_not_four_digits_is_refused_not_truncated(
    demo, last4: str, words: str
) -> None:
    err = _refused(
        Invalid,
        accounts.create_account,
        actor(FINANCE),
        {**ACCOUNT, "venture_id": ksh(), "last4": last4},
    )
    assert words in err.fields["last4"]


def test_a_longer_number_on_update_is_refused_too(demo) -> None:
    usd = account_of(Currency.USD)
    err = _refused(Invalid, accounts.update_account, actor(FINANCE), usd.id, {"last4": "98765"})
    assert "last4" in err.fields
    with read_only() as uow:
        assert lists.get_account_view(uow, actor(FINANCE), usd.id).last4 == usd.last4


def test_a_snapshot_in_another_currency_than_its_account_is_refused(demo) -> None:
    inr = account_of(Currency.INR)
    err = _refused(
        Invalid,
        accounts.record_snapshot,
        actor(FINANCE),
        {"account_id": inr.id, "day": DAY.isoformat(), "balance": "1.00", "currency": "USD"},
    )
    assert "INR" in err.fields["currency"]


def test_a_second_balance_for_the_same_account_and_day_is_a_conflict(demo) -> None:
    usd = account_of(Currency.USD)
    data = {"account_id": usd.id, "day": DAY.isoformat(), "balance": "10.00"}
    with unit_of_work() as uow:
        accounts.record_snapshot(uow, actor(FINANCE), data)
    err = _refused(Conflict, accounts.record_snapshot, actor(FINANCE), {**data, "balance": "9.00"})
    assert "day" in err.fields


def test_an_asset_in_a_venture_that_is_not_holdings_is_refused(demo) -> None:
    err = _refused(
        Invalid, assets.create_asset, actor(CEO), {**ASSET, "venture_id": venture_id("HHG")}
    )
    assert "venture_id" in err.fields


def test_bad_amounts_name_their_field(demo) -> None:
    err = _refused(
        Invalid,
        assets.create_asset,
        actor(FINANCE),
        {**ASSET, "venture_id": ksh(), "value_estimate": "-1.00", "currency": "EUR"},
    )
    assert {"value_estimate", "currency"} <= set(err.fields)


@pytest.mark.parametrize("who", [OTHER_FINANCE, OTHER_HEAD])
def test_another_ventures_rows_are_not_found_by_every_path(demo, who: str) -> None:
    """People who may keep holdings, but not KSH's: every id of KSH answers NotFound."""
    other = actor(who)
    usd = account_of(Currency.USD)
    fin = actor(FINANCE)
    with unit_of_work() as uow:
        asset = assets.create_asset(uow, fin, {**ASSET, "venture_id": ksh()})
        snap = accounts.record_snapshot(
            uow, fin, {"account_id": usd.id, "day": DAY.isoformat(), "balance": "1.00"}
        )
    _refused(NotFound, assets.create_asset, other, {**ASSET, "venture_id": ksh()})
    _refused(NotFound, assets.update_asset, other, asset.id, {"name": "x"})
    _refused(NotFound, accounts.create_account, other, {**ACCOUNT, "venture_id": ksh()})
    _refused(NotFound, accounts.update_account, other, usd.id, {"name": "x"})
    _refused(
        NotFound,
        accounts.record_snapshot,
        other,
        {"account_id": usd.id, "day": DAY.isoformat(), "balance": "1.00"},
    )
    _refused(NotFound, accounts.update_snapshot, other, snap.id, {"balance": "2.00"})
    with read_only() as uow:
        assert lists.list_assets(uow, other).items == []
        assert lists.list_accounts(uow, other).items == []
        assert lists.list_snapshots(uow, other).items == []
        assert totals.balances(uow, other).totals == []
        dash = totals.holdings_dashboard(uow, other)
        assert dash.series == [] and dash.assets_by_type == []
        for call in (
            lambda: lists.get_account_view(uow, other, usd.id),
            lambda: lists.list_snapshots(uow, other, account_id=usd.id),
            lambda: lists.list_assets(uow, other, venture_id=ksh()).items[0],
            lambda: totals.holdings_dashboard(uow, other, venture_id=ksh()),
        ):
            with pytest.raises((NotFound, IndexError)):
                call()


def test_roles_without_holdings_are_refused_and_readers_cannot_write(demo) -> None:
    with read_only() as uow:
        with pytest.raises(Forbidden):
            lists.list_accounts(uow, actor(EMPLOYEE))
        assert lists.list_accounts(uow, actor(AUDITOR)).items  # AUDITOR reads every venture
        assert lists.list_accounts(uow, actor(ACCOUNTING)).items == []  # KSH not in scope
    usd = account_of(Currency.USD)
    _refused(
        Forbidden,
        accounts.record_snapshot,
        actor(AUDITOR),
        {"account_id": usd.id, "day": DAY.isoformat(), "balance": "1.00"},
    )


def test_lists_page_with_cursors_and_accounts_carry_their_latest_balance(demo) -> None:
    fin = actor(FINANCE)
    with read_only() as uow:
        first = lists.list_snapshots(uow, fin, venture_id=ksh(), limit=5)
        second = lists.list_snapshots(uow, fin, venture_id=ksh(), cursor=first.next_cursor, limit=5)
        accts = lists.list_accounts(uow, fin, venture_id=ksh()).items
    assert first.has_more and len(first.items) == 5
    assert not {s.id for s in first.items} & {s.id for s in second.items}
    assert [s.day for s in first.items] == sorted((s.day for s in first.items), reverse=True)
    assert all(a.latest_balance is not None and a.latest_day is not None for a in accts)


def test_the_dashboard_has_one_series_per_currency_and_assets_by_type(demo) -> None:
    fin = actor(FINANCE)
    with read_only() as uow:
        dash = totals.holdings_dashboard(uow, fin, venture_id=ksh(), preset="90")
    assert (dash.end - dash.start) == timedelta(days=89)
    assert {s.currency for s in dash.series} == {Currency.USD, Currency.INR}
    assert all(len(s.points) == 90 for s in dash.series)
    assert dash.assets_by_type
    assert {b.currency for b in dash.balances} == {Currency.USD, Currency.INR}


def test_an_update_is_audited_and_changes_only_what_was_sent(demo) -> None:
    fin = actor(FINANCE)
    with unit_of_work() as uow:
        asset = assets.create_asset(uow, fin, {**ASSET, "venture_id": ksh(), "location": "Here"})
        changed = assets.update_asset(uow, fin, asset.id, {"value_estimate": "2000.00"})
    assert changed.value_estimate == Decimal("2000.00") and changed.location == "Here"


def test_rows_of_another_holdings_venture_are_not_found_for_a_finance_of_ksh(demo) -> None:
    """FINANCE keeps KSH's holdings; another HOLDINGS venture's ids answer NotFound."""
    other_venture, account_id, snap_id, asset_id = second_holdings_venture()
    fin = actor(FINANCE)
    _refused(NotFound, assets.update_asset, fin, asset_id, {"name": "x"})
    _refused(NotFound, accounts.update_account, fin, account_id, {"name": "x"})
    _refused(
        NotFound,
        accounts.record_snapshot,
        fin,
        {"account_id": account_id, "day": DAY.isoformat(), "balance": "1.00"},
    )
    _refused(NotFound, accounts.update_snapshot, fin, snap_id, {"balance": "2.00"})
    _refused(NotFound, accounts.create_account, fin, {**ACCOUNT, "venture_id": other_venture})
    with read_only() as uow:
        assert account_id not in {a.id for a in lists.list_accounts(uow, fin, limit=200).items}
        assert asset_id not in {a.id for a in lists.list_assets(uow, fin, limit=200).items}
        with pytest.raises(NotFound):
            lists.list_snapshots(uow, fin, account_id=account_id)
        with pytest.raises(NotFound):
            totals.holdings_dashboard(uow, fin, venture_id=other_venture)
        # The CEO sees both ventures: still two totals, never one mixed number.
        both = totals.balances(uow, actor(CEO), DAY)
        assert {t.currency for t in both.totals} == {Currency.USD, Currency.INR}
        assert both.accounts == 3
