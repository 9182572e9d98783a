"""SaasMrrDaily: a SaaS venture's MRR per business date, the pre-aggregate its dashboards read.

For venture V and business date D: ``mrr`` is the sum of the MRR of V's subscriptions active on
D (started on or before D, not cancelled on or before D: ``rules.is_active``), ``customers`` the
customers paying on D, ``active_subscriptions`` the subscriptions active on D. Computed by the
pure rules of ``domain.saas.rules`` over the subscriptions touching the days; written under the
venture's lock, the days replaced in the caller's transaction (``analytics.kpi_days``).

A subscription's write changes every day from the day it takes effect: ``subscriptions_changed``
(called in the service's transaction) drops the stored days from then on and writes the recent
ones again; an older day dropped is computed once by the next dashboard that reads it.
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
from domain.org.models import Venture
from domain.saas import rules
from domain.saas.models import SAAS_VENTURE_TYPES, SaasMrrDaily, SaasSubscription

LOCK_NAMESPACE = "saas.mrr_daily"
# Days up to today a subscription change writes again at once (older ones: on the next read).
RECENT_DAYS = 90
# The cache "what" a write of the wing invalidates per venture (the leadership overview reads
# across wings and goes with it: ``cache.ANY``).
DASHBOARD = "saas.dashboard"


@dataclass(frozen=True)
class MrrRow:
    venture_id: int
    day: date
    mrr: Decimal
    customers: int
    active_subscriptions: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compute_days(venture_id: int, subs: Iterable[rules.Sub], days: Iterable[date]) -> list[MrrRow]:
    """The rows of ``days`` from the venture's subscriptions (pure): one sweep over the
    subscriptions' start and stop dates, each day the rules' ``is_active`` (from the start date
    until the day before the cancellation)."""
    wanted = sorted(set(days))
    if not wanted:
        return []
    changes: dict[date, list[tuple[int, Decimal, int]]] = defaultdict(list)
    for s in subs:
        stop = s.cancelled_at
        if stop is not None and stop <= s.started_at:
            continue  # never active
        changes[s.started_at].append((s.customer_id, s.mrr, 1))
        if stop is not None:
            changes[stop].append((s.customer_id, -s.mrr, -1))
    order = sorted(changes)
    by_customer: dict[int, Decimal] = defaultdict(lambda: rules.ZERO)
    mrr, active, paying, i = rules.ZERO, 0, 0, 0
    out = []
    for d in wanted:
        while i < len(order) and order[i] <= d:
            for customer, amount, n in changes[order[i]]:
                was = by_customer[customer] > 0
                by_customer[customer] += amount
                paying += int(by_customer[customer] > 0) - int(was)
                mrr += amount
                active += n
            i += 1
        out.append(
            MrrRow(
                venture_id=venture_id,
                day=d,
                mrr=mrr,
                customers=paying,
                active_subscriptions=active,
            )
        )
    return out


def _subs(conn: Connection, venture_id: int, start: date, end: date) -> list[rules.Sub]:
    s = SaasSubscription
    stmt = select(col(s.customer_id), col(s.mrr), col(s.started_at), col(s.cancelled_at)).where(
        col(s.venture_id) == venture_id,
        col(s.started_at) <= end,
        col(s.cancelled_at).is_(None) | (col(s.cancelled_at) >= start),
    )
    return [rules.Sub(c, m, st, ca) for c, m, st, ca in conn.execute(stmt)]


def _timezone(conn: Connection, venture_id: int) -> str:
    tz = conn.execute(
        select(col(Venture.timezone)).where(
            col(Venture.id) == venture_id, col(Venture.type).in_(sorted(SAAS_VENTURE_TYPES))
        )
    ).scalar_one_or_none()
    if tz is None:
        raise ValueError(f"venture {venture_id} is not a SaaS venture")
    return str(tz)


def recompute_days_in(
    conn: Connection, venture_id: int, days: Iterable[date], *, run_id: str | None = None
) -> list[MrrRow]:
    """Recompute the given business dates of one venture inside the caller's transaction: the
    venture locked, each day replaced (a day without any subscription stored as 0)."""
    wanted = sorted(set(days))
    _timezone(conn, venture_id)
    if not wanted:
        return []
    lock_ventures(conn, LOCK_NAMESPACE, [venture_id])
    rows = compute_days(venture_id, _subs(conn, venture_id, wanted[0], wanted[-1]), wanted)
    table = SaasMrrDaily.__table__  # type: ignore[attr-defined]
    replace_days(conn, table, [venture_id], wanted, [r.as_dict() for r in rows], run_id)
    return rows


def subscriptions_changed(conn: Connection, venture_id: int, effective: date) -> None:
    """A subscription of the venture changed from ``effective`` on: the stored days from then on
    are dropped and the last ``RECENT_DAYS`` up to today written again (same transaction)."""
    today = clock.today(_timezone(conn, venture_id))
    lock_ventures(conn, LOCK_NAMESPACE, [venture_id])
    table = SaasMrrDaily.__table__  # type: ignore[attr-defined]
    conn.execute(delete(table).where(table.c.venture_id == venture_id, table.c.day >= effective))
    if effective > today:
        return
    lo = max(effective, today - timedelta(days=RECENT_DAYS - 1))
    recompute_days_in(
        conn, venture_id, [lo + timedelta(days=i) for i in range((today - lo).days + 1)]
    )
