"""Holdings rules, pure: the last-4-digits rule and per-currency totals (USD and INR are
never added together)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.holdings.rules import (
    Balance,
    balance_series,
    balances_on,
    last4_problem,
    totals_by_type,
)
from domain.money import Currency

USD, INR = Currency.USD, Currency.INR


def test_adding_inr_and_usd_snapshots_gives_two_totals() -> None:
    snaps = [
        Balance(1, date(2026, 10, 31), USD, Decimal("1000.00")),
        Balance(2, date(2026, 10, 31), USD, Decimal("250.50")),
        Balance(3, date(2026, 10, 31), INR, Decimal("100000.00")),
        Balance(4, date(2026, 10, 31), INR, Decimal("23456.75")),
    ]
    totals = balances_on(snaps, date(2026, 11, 1))
    assert dict(totals) == {USD: Decimal("1250.50"), INR: Decimal("123456.75")}


def test_the_balance_on_a_date_is_each_accounts_latest_snapshot_on_or_before_it() -> None:
    snaps = [
        Balance(1, date(2026, 9, 30), USD, Decimal("10.00")),
        Balance(1, date(2026, 10, 31), USD, Decimal("20.00")),
        Balance(1, date(2026, 11, 30), USD, Decimal("40.00")),
        Balance(2, date(2026, 9, 30), INR, Decimal("5.00")),
    ]
    assert dict(balances_on(snaps, date(2026, 10, 31))) == {
        USD: Decimal("20.00"),
        INR: Decimal("5.00"),
    }
    assert dict(balances_on(snaps, date(2026, 11, 15))) == {
        USD: Decimal("20.00"),
        INR: Decimal("5.00"),
    }
    assert dict(balances_on(snaps, date(2026, 9, 29))) == {}


def test_the_series_has_one_line_per_currency_never_a_mixed_total() -> None:
    snaps = [
        Balance(1, date(2026, 1, 1), USD, Decimal("100.00")),
        Balance(2, date(2026, 1, 2), INR, Decimal("7000.00")),
        Balance(1, date(2026, 1, 3), USD, Decimal("150.00")),
    ]
    days = [date(2026, 1, d) for d in (1, 2, 3)]
    series = balance_series(snaps, days)
    assert set(series) == {USD, INR}
    assert series[USD] == [
        (date(2026, 1, 1), Decimal("100.00")),
        (date(2026, 1, 2), Decimal("100.00")),
        (date(2026, 1, 3), Decimal("150.00")),
    ]
    assert series[INR] == [
        (date(2026, 1, 2), Decimal("7000.00")),
        (date(2026, 1, 3), Decimal("7000.00")),
    ]


def test_assets_by_type_are_per_currency() -> None:
    out = totals_by_type(
        [
            ("REAL_ESTATE", USD, Decimal("100.00")),
            ("REAL_ESTATE", INR, Decimal("900.00")),
            ("REAL_ESTATE", USD, Decimal("50.00")),
            ("VEHICLE", INR, Decimal("10.00")),
        ]
    )
    assert dict(out["REAL_ESTATE"]) == {USD: Decimal("150.00"), INR: Decimal("900.00")}
    assert dict(out["VEHICLE"]) == {INR: Decimal("10.00")}


@pytest.mark.parametrize("value", ["1234", "0000", "0042"])
def test_four_digits_are_the_last_four(value: str) -> None:
    assert last4_problem(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("12345", "last 4 digits only"),
        ("1234567890123456", "never stored"),
        ("123", "exactly 4 digits"),
        ("12a4", "digits only"),
        ("12-4", "digits only"),
        ("١٢٣٤", "digits only"),  # Arabic-Indic digits are not ASCII digits
        ("", "digits only"),
    ],
)
def test_anything_but_four_digits_is_refused(value: str, words: str) -> None:
    problem = last4_problem(value)
    assert problem is not None and words in problem
