"""BpoKpiDaily: a venture's call-centre numbers per business date.

Definitions (spec/operations.md, BPO), for venture V and business date D in V's timezone:

- dials (sum of dial_count), connects (connected calls), talk minutes (sum of talk seconds / 60),
  appointments, deals and revenue: over V's call logs whose ``started_at`` falls on D;
- connect rate = connects / dials, average handle time = talk seconds / connected calls,
  conversion = deals / connects: ratios of the day's sums, ``None`` for a zero denominator;
- average QA: the mean of the QA scores of V's KPI records of D (records without a score left
  out), ``None`` without any.

A day with neither a call nor a KPI record has no row. The compute is pure (``compute_day``);
the write replaces the (venture, day) under the venture's lock, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlmodel import col

from domain import clock
from domain.analytics.kpi_days import lock_ventures, replace_days
from domain.bpo.models import BPO_VENTURE_TYPES, BpoCallLog, BpoKpiDaily, BpoKpiRecord
from domain.bpo.rules import average, call_ratios, talk_minutes, talk_seconds
from domain.db import get_engine
from domain.org.models import Venture

LOCK_NAMESPACE = "bpo.kpi_daily"


@dataclass(frozen=True)
class CallFacts:
    """What a day's KPI needs of one call log."""

    started_at: datetime
    ended_at: datetime | None
    dial_count: int
    connected: bool
    appointment_set: bool
    deal_won: bool
    revenue: Decimal


@dataclass(frozen=True)
class BpoKpiRow:
    venture_id: int
    day: date
    dials: int
    connects: int
    connect_rate: Decimal | None
    talk_minutes: Decimal
    avg_handle_seconds: Decimal | None
    appointments: int
    deals: int
    conversion: Decimal | None
    revenue: Decimal
    avg_qa: Decimal | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compute_day(
    venture_id: int, day: date, calls: Iterable[CallFacts], qa_scores: Iterable[Decimal | None]
) -> BpoKpiRow | None:
    """The row of (venture, day) from its calls and its KPI records' QA scores (pure)."""
    calls = list(calls)
    scores = [s for s in qa_scores if s is not None]
    if not calls and not scores:
        return None
    dials = sum(c.dial_count for c in calls)
    connects = sum(1 for c in calls if c.connected)
    secs = sum(talk_seconds(c.started_at, c.ended_at) for c in calls)
    deals = sum(1 for c in calls if c.deal_won)
    ratios = call_ratios(dials, connects, secs, deals)
    return BpoKpiRow(
        venture_id=venture_id,
        day=day,
        dials=dials,
        connects=connects,
        connect_rate=ratios.connect_rate,
        talk_minutes=talk_minutes(secs),
        avg_handle_seconds=ratios.avg_handle_seconds,
        appointments=sum(1 for c in calls if c.appointment_set),
        deals=deals,
        conversion=ratios.conversion,
        revenue=sum((c.revenue for c in calls), Decimal("0.00")),
        avg_qa=average(scores),
    )


def bpo_timezones(conn: Connection, venture_ids: Sequence[int] | None) -> dict[int, str]:
    stmt = select(col(Venture.id), col(Venture.timezone)).where(
        col(Venture.type).in_(sorted(BPO_VENTURE_TYPES))
    )
    if venture_ids is not None:
        stmt = stmt.where(col(Venture.id).in_(list(venture_ids)))
    return {int(v or 0): str(tz) for v, tz in conn.execute(stmt)}


def read_day(conn: Connection, venture_id: int, tz: str, day: date) -> BpoKpiRow | None:
    start, end = clock.day_bounds_utc(day, tz)
    calls = [
        CallFacts(*row)
        for row in conn.execute(
            select(
                col(BpoCallLog.started_at),
                col(BpoCallLog.ended_at),
                col(BpoCallLog.dial_count),
                col(BpoCallLog.connected),
                col(BpoCallLog.appointment_set),
                col(BpoCallLog.deal_won),
                col(BpoCallLog.revenue),
            ).where(
                col(BpoCallLog.venture_id) == venture_id,
                col(BpoCallLog.started_at) >= start,
                col(BpoCallLog.started_at) < end,
            )
        )
    ]
    scores = conn.execute(
        select(col(BpoKpiRecord.qa_score)).where(
            col(BpoKpiRecord.venture_id) == venture_id, col(BpoKpiRecord.day) == day
        )
    ).scalars()
    return compute_day(venture_id, day, calls, scores)


def empty_day(venture_id: int, day: date) -> BpoKpiRow:
    """The row of a day with neither a call nor a KPI record: zeros, every ratio undefined."""
    return BpoKpiRow(
        venture_id=venture_id,
        day=day,
        dials=0,
        connects=0,
        connect_rate=None,
        talk_minutes=Decimal("0"),
        avg_handle_seconds=None,
        appointments=0,
        deals=0,
        conversion=None,
        revenue=Decimal("0.00"),
        avg_qa=None,
    )


def recompute_days_in(
    conn: Connection,
    venture_id: int,
    days: Iterable[date],
    *,
    run_id: str | None = None,
    keep_empty: bool = False,
) -> list[BpoKpiRow]:
    """Recompute the given business dates of one venture inside the caller's transaction (the
    event handlers, the job): locked per venture, each day deleted and inserted again. With
    ``keep_empty`` (a dashboard's missing days) a day with nothing to count is stored as a row
    of zeros, so that it is computed once; otherwise it has no row."""
    wanted = sorted(set(days))
    tzs = bpo_timezones(conn, [venture_id])
    if not tzs:
        raise ValueError(f"venture {venture_id} is not a BPO venture")
    if not wanted:
        return []
    lock_ventures(conn, LOCK_NAMESPACE, [venture_id])
    rows: list[BpoKpiRow] = []
    for d in wanted:
        row = read_day(conn, venture_id, tzs[venture_id], d)
        if row is None and keep_empty:
            row = empty_day(venture_id, d)
        if row is not None:
            rows.append(row)
    table = BpoKpiDaily.__table__  # type: ignore[attr-defined]
    replace_days(conn, table, [venture_id], wanted, [r.as_dict() for r in rows], run_id)
    return rows


def recompute_kpi_day(
    venture_id: int, day: date, *, run_id: str | None = None, engine: Engine | None = None
) -> list[BpoKpiRow]:
    """Recompute and store one venture's business date (own transaction)."""
    engine = engine or get_engine()
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        return recompute_days_in(conn, venture_id, [day], run_id=run_id)
