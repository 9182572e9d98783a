from decimal import Decimal

import pytest

from domain.money import Currency, MoneyTotals, format_money, ratio, to_money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.005", "1.01"),  # half-up, not banker's rounding
        ("1.015", "1.02"),
        ("1.025", "1.03"),
        ("2.675", "2.68"),
        ("-1.005", "-1.01"),  # half away from zero
        ("0.004", "0.00"),
        ("0.005", "0.01"),
        (1.005, "1.01"),  # floats through their repr, not their binary expansion
        (None, "0.00"),
        (12, "12.00"),
    ],
)
def test_half_up_to_cents(raw: object, expected: str) -> None:
    assert to_money(raw) == Decimal(expected)  # type: ignore[arg-type]


def test_bad_amount_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not a money amount"):
        to_money("12,50")


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("12345.67", "USD", "$12,345.67"),
        ("123456", "INR", "₹1,23,456.00"),
        ("12345678.9", "INR", "₹1,23,45,678.90"),
        ("999", "INR", "₹999.00"),
        ("-5", "USD", "-$5.00"),
        ("0", "USD", "$0.00"),
    ],
)
def test_format(amount: str, currency: str, text: str) -> None:
    assert format_money(Decimal(amount), currency) == text


def test_totals_never_mix_currencies() -> None:
    totals = MoneyTotals([("USD", "10.10"), ("INR", "100"), ("USD", "0.905")])
    assert totals[Currency.USD] == Decimal("11.01")
    assert totals[Currency.INR] == Decimal("100.00")
    assert list(totals) == [Currency.INR, Currency.USD]
    assert totals.as_strings() == {"INR": "100.00", "USD": "11.01"}
    with pytest.raises(ValueError):
        totals.add("EUR", 1)


def test_ratio_with_zero_denominator_is_none() -> None:
    assert ratio(5, 0) is None
    assert ratio(5, None) is None
    assert ratio(None, 4) == Decimal(0)
    assert ratio(1, 4) == Decimal("0.25")
