"""Money: ``Decimal`` amounts, half-up rounding to cents, and per-currency totals.

USD and INR are never added together: totals are kept per currency (``MoneyTotals``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

CENT = Decimal("0.01")


class Currency(StrEnum):
    USD = "USD"
    INR = "INR"


CURRENCY_SYMBOLS = {Currency.USD: "$", Currency.INR: "₹"}


def to_money(value: Decimal | int | str | float | None) -> Decimal:
    """Quantize to cents with half-up rounding. ``None`` counts as zero (spec: a null cost is 0).

    Floats are accepted only through their shortest repr, never their binary expansion.
    """
    if value is None:
        return Decimal("0.00")
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a money amount: {value!r}") from exc


def parse_currency(code: str) -> Currency:
    try:
        return Currency(code.strip().upper())
    except ValueError as exc:
        raise ValueError(f"unknown currency {code!r}; expected one of USD, INR") from exc


def ratio(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """A ratio that is ``None`` (shown as "n/a") when the denominator is zero or missing."""
    if denominator is None or Decimal(denominator) == 0:
        return None
    return Decimal(numerator or 0) / Decimal(denominator)


def _group_indian(integer: str) -> str:
    if len(integer) <= 3:
        return integer
    head, tail = integer[:-3], integer[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail])


def format_money(amount: Decimal | int | str | None, currency: Currency | str) -> str:
    """``$12,345.67`` for USD, ``₹1,23,456.00`` (lakh grouping) for INR; negatives as ``-$5.00``."""
    cur = Currency(currency)
    value = to_money(amount)
    sign = "-" if value < 0 else ""
    integer, _, cents = f"{abs(value):.2f}".partition(".")
    grouped = _group_indian(integer) if cur is Currency.INR else f"{int(integer):,}"
    return f"{sign}{CURRENCY_SYMBOLS[cur]}{grouped}.{cents}"


class MoneyTotals(Mapping[Currency, Decimal]):
    """Sums kept per currency. Adding an INR amount to a USD total is impossible by construction."""

    def __init__(self, items: Iterable[tuple[Currency | str, Decimal | int | str | None]] = ()):
        self._totals: dict[Currency, Decimal] = {}
        for currency, amount in items:
            self.add(currency, amount)

    def add(self, currency: Currency | str, amount: Decimal | int | str | None) -> None:
        cur = Currency(currency)
        self._totals[cur] = self._totals.get(cur, Decimal("0.00")) + to_money(amount)

    def __getitem__(self, key: Currency) -> Decimal:
        return self._totals[Currency(key)]

    def __iter__(self) -> Iterator[Currency]:
        return iter(sorted(self._totals))

    def __len__(self) -> int:
        return len(self._totals)

    def formatted(self) -> list[str]:
        return [format_money(self._totals[c], c) for c in self]

    def as_strings(self) -> dict[str, str]:
        return {str(c): f"{self._totals[c]:.2f}" for c in self}
