"""HoldingsBalanceDaily: a holdings venture's balances per currency and business date, the
pre-aggregate its dashboards read.

For venture V, business date D and currency C: ``balance`` is the sum over V's accounts in C of
each account's latest snapshot on or before D (``rules.latest_per_account``), ``accounts`` how
many accounts had one. Never added across currencies. A computed day always has a row in V's own
currency (0 and no account when it has none), so that a stored day is visible. Written under the
venture's lock, the days replaced in the caller's transaction (``analytics.kpi_days``).

A snapshot recorded or corrected on day S changes every day from S on: ``snapshots_changed``
(called in the service's transaction) drops the stored days from S and writes the recent ones
again; an older day dropped is computed once by the next dashboard that reads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlmodel import col

from domain import clock
from domain.analytics.kpi_days import lock_ventures, replace_days
from domain.holdings import rules
from domain.holdings.models import HOLDINGS_VENTURE_TYPES, BankSnapshot, HoldingsBalanceDaily
from domain.money import Currency
from domain.org.models import Venture

LOCK_NAMESPACE = "holdings.balance_daily"
RECENT_DAYS = 90
# The cache "what" a write of the wing invalidates per venture (the leadership overview reads
# across wings and goes with it: ``cache.ANY``).
DASHBOARD = "holdings.dashboard"


@dataclass(frozen=True)
class BalanceRow:
    venture_id: int
    day: date
    currency: Currency
    balance: Decimal
    accounts: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compute_days(
    venture_id: int, own_currency: Currency, snaps: Iterable[rules.Balance], days: Iterable[date]
) -> list[BalanceRow]:
    """The rows of ``days`` from the venture's snapshots (pure): one sweep in date order keeping
    each account's latest snapshot on or before the day (``rules.latest_per_account``)."""
    ordered = sorted(snaps, key=lambda b: (b.day, b.account_id))
    latest: dict[int, rules.Balance] = {}
    out: list[BalanceRow] = []
    i = 0
    for d in sorted(set(days)):
        while i < len(ordered) and ordered[i].day <= d:
            latest[ordered[i].account_id] = ordered[i]
            i += 1
        sums: dict[Currency, Decimal] = {own_currency: Decimal("0.00")}
        counts: dict[Currency, int] = defaultdict(int)
        for b in latest.values():
            sums[b.currency] = sums.get(b.currency, Decimal("0.00")) + b.balance
            counts[b.currency] += 1
        out += [BalanceRow(venture_id, d, cur, sums[cur], counts[cur]) for cur in sorted(sums)]
    return out


def _venture(conn: Connection, venture_id: int) -> tuple[str, Currency]:
    row = conn.execute(
        select(col(Venture.timezone), col(Venture.currency)).where(
            col(Venture.id) == venture_id, col(Venture.type).in_(sorted(HOLDINGS_VENTURE_TYPES))
        )
    ).one_or_none()
    if row is None:
        raise ValueError(f"venture {venture_id} is not a holdings venture")
    return str(row[0]), Currency(row[1])


def _snapshots(conn: Connection, venture_id: int, end: date) -> list[rules.Balance]:
    S = BankSnapshot
    rows = conn.execute(
        select(col(S.account_id), col(S.day), col(S.currency), col(S.balance)).where(
            col(S.venture_id) == venture_id, col(S.day) <= end
        )
    )
    return [rules.Balance(a, d, Currency(c), b) for a, d, c, b in rows]


def recompute_days_in(
    conn: Connection, venture_id: int, days: Iterable[date], *, run_id: str | None = None
) -> list[BalanceRow]:
    """Recompute the given business dates of one venture inside the caller's transaction."""
    wanted = sorted(set(days))
    _, currency = _venture(conn, venture_id)
    if not wanted:
        return []
    lock_ventures(conn, LOCK_NAMESPACE, [venture_id])
    rows = compute_days(venture_id, currency, _snapshots(conn, venture_id, wanted[-1]), wanted)
    table = HoldingsBalanceDaily.__table__  # type: ignore[attr-defined]
    replace_days(conn, table, [venture_id], wanted, [r.as_dict() for r in rows], run_id)
    return rows


def snapshots_changed(conn: Connection, venture_id: int, effective: date) -> None:
    """A balance of the venture changed from ``effective`` on: the stored days from then on are
    dropped and the last ``RECENT_DAYS`` up to today written again (same transaction)."""
    tz, _ = _venture(conn, venture_id)
    today = clock.today(tz)
    lock_ventures(conn, LOCK_NAMESPACE, [venture_id])
    table = HoldingsBalanceDaily.__table__  # type: ignore[attr-defined]
    conn.execute(delete(table).where(table.c.venture_id == venture_id, table.c.day >= effective))
    if effective > today:
        return
    lo = max(effective, today - timedelta(days=RECENT_DAYS - 1))
    recompute_days_in(
        conn, venture_id, [lo + timedelta(days=i) for i in range((today - lo).days + 1)]
    )
