"""Pure holdings rules: the account-number rule and the per-currency totals.

Totals are ``MoneyTotals`` (``domain.money``): an INR and a USD amount are never added together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.money import Currency, MoneyTotals


def last4_problem(value: str) -> str | None:
    """Why ``value`` is not the last 4 digits of an account number (None when it is).
    A longer number is refused, never truncated: only the last 4 digits are ever stored."""
    if not value.isascii() or not value.isdigit():
        return "must be digits only (the last 4 digits of the account number)"
    if len(value) > 4:
        return (
            f"must be the last 4 digits only; {len(value)} digits were given and "
            "a full account number is never stored"
        )
    if len(value) < 4:
        return "must be exactly 4 digits"
    return None


@dataclass(frozen=True)
class Balance:
    """One snapshot as the totals read it."""

    account_id: int
    day: date
    currency: Currency
    balance: Decimal


def latest_per_account(snapshots: Iterable[Balance], on: date) -> dict[int, Balance]:
    """Each account's latest snapshot on or before ``on``."""
    latest: dict[int, Balance] = {}
    for s in snapshots:
        if s.day > on:
            continue
        held = latest.get(s.account_id)
        if held is None or s.day > held.day:
            latest[s.account_id] = s
    return latest


def balances_on(snapshots: Iterable[Balance], on: date) -> MoneyTotals:
    """Total balance per currency on ``on``: each account's latest snapshot on or before it."""
    return MoneyTotals((b.currency, b.balance) for b in latest_per_account(snapshots, on).values())


def balance_series(
    snapshots: Iterable[Balance], days: Sequence[date]
) -> dict[Currency, list[tuple[date, Decimal]]]:
    """For each currency, its total on each of ``days`` (ascending): one series per currency,
    never a mixed total. A currency appears from the first day an account of it has a balance."""
    rows = sorted(snapshots, key=lambda b: (b.day, b.account_id))
    out: dict[Currency, list[tuple[date, Decimal]]] = {}
    latest: dict[int, Balance] = {}
    i = 0
    for day in sorted(days):
        while i < len(rows) and rows[i].day <= day:
            latest[rows[i].account_id] = rows[i]
            i += 1
        totals = MoneyTotals((b.currency, b.balance) for b in latest.values())
        for cur in totals:
            out.setdefault(cur, []).append((day, totals[cur]))
    return out


def totals_by_type(
    assets: Iterable[tuple[str, Currency | str, Decimal]],
) -> dict[str, MoneyTotals]:
    """Estimated value of assets per type, per currency."""
    out: dict[str, MoneyTotals] = {}
    for kind, currency, value in assets:
        out.setdefault(str(kind), MoneyTotals()).add(currency, value)
    return dict(sorted(out.items()))
