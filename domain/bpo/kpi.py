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

Two readers feed the same definitions. The event handlers recompute a day or two through
SQLAlchemy (``read_day`` -> ``compute_day``). A span of days (the kpi-aggregate job, the demo
seed, a backfill) goes the data path of ../shared/notes/data-path.md: two narrow reads (money as
integer cents, QA scores as integer millionths, timestamps UTC) into Polars through
``read_frame``, business dates and sums there (``compute_frames``), the ratios in ``Decimal`` by
the same ``rules``, then one DELETE of the days and one bulk INSERT (``backfill_kpi``). A unit
test holds the two computes to the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import BigInteger, Connection, Engine, cast, func, literal_column, select
from sqlmodel import col

from domain import clock
from domain.analytics.kpi_days import lock_ventures, replace_days
from domain.analytics.reader import read_frame
from domain.bpo.models import BPO_VENTURE_TYPES, BpoCallLog, BpoKpiDaily, BpoKpiRecord
from domain.bpo.rules import average, call_ratios, ratio, talk_minutes, talk_seconds
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


# == the span path: Polars ========================================================================

TS = pl.Datetime("us", "UTC")
CALLS_SCHEMA: dict[str, Any] = {
    "venture_id": pl.Int64,
    "started_at": TS,
    "ended_at": TS,
    "dial_count": pl.Int64,
    "connected": pl.Int64,
    "appointment_set": pl.Int64,
    "deal_won": pl.Int64,
    "revenue_c": pl.Int64,
}
QA_SCHEMA: dict[str, Any] = {"venture_id": pl.Int64, "day": pl.Date, "qa_micro": pl.Int64}
MICRO = Decimal(1_000_000)


def _scaled(column: Any, factor: int) -> Any:
    """``round(column * factor)`` as a BIGINT: exact integers for the frame (cents, millionths)."""
    return cast(func.round(col(column) * literal_column(str(factor))), BigInteger)


def span_statements(
    venture_ids: Sequence[int], start: date, end: date, lo: datetime, hi: datetime
) -> dict[str, Any]:
    """The two narrow reads of [start, end]: calls started in the UTC span [lo, hi) (cut to each
    venture's business dates in Polars), KPI records' QA scores of the dates."""
    ids = sorted(venture_ids)
    C, R = BpoCallLog, BpoKpiRecord
    return {
        "calls": select(
            col(C.venture_id),
            col(C.started_at),
            col(C.ended_at),
            col(C.dial_count),
            col(C.connected),
            col(C.appointment_set),
            col(C.deal_won),
            func.coalesce(_scaled(C.revenue, 100), 0).label("revenue_c"),
        ).where(col(C.venture_id).in_(ids), col(C.started_at) >= lo, col(C.started_at) < hi),
        "qa": select(
            col(R.venture_id), col(R.day), _scaled(R.qa_score, 1_000_000).label("qa_micro")
        ).where(
            col(R.venture_id).in_(ids),
            col(R.day) >= start,
            col(R.day) <= end,
            col(R.qa_score).is_not(None),
        ),
    }


def _as_utc(c: pl.Expr, current: pl.DataType) -> pl.Expr:
    if isinstance(current, pl.Datetime):
        c = c.dt.replace_time_zone("UTC") if current.time_zone is None else c
        return c.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    # text (SQLite through a reader that skips the column type): naive UTC
    c = c.cast(pl.String).str.slice(0, 26).str.to_datetime(time_unit="us")
    return c.dt.replace_time_zone("UTC")


def normalize(df: pl.DataFrame, schema: dict[str, Any]) -> pl.DataFrame:
    """Whatever the reader gave (aware or naive UTC, text, decimals), exactly ``schema``."""
    if df.height == 0:
        return pl.DataFrame(schema=schema)
    exprs = []
    for name, dtype in schema.items():
        c, current = pl.col(name), df.schema[name]
        if dtype == TS:
            c = _as_utc(c, current)
        elif dtype == pl.Date and current == pl.String:
            c = c.str.to_date("%Y-%m-%d")
        else:
            c = c.cast(dtype)
        exprs.append(c.alias(name))
    return df.select(exprs)


def with_business_day(calls: pl.DataFrame, tz_by_venture: dict[int, str]) -> pl.DataFrame:
    """Add each call's business date ``day`` (``started_at``, aware UTC, in its venture's
    timezone, DST included); calls of a venture not in ``tz_by_venture`` are dropped."""
    by_tz: dict[str, list[int]] = {}
    for vid, tz in tz_by_venture.items():
        by_tz.setdefault(tz, []).append(vid)
    parts = [
        calls.filter(pl.col("venture_id").is_in(ids)).with_columns(
            pl.col("started_at").dt.convert_time_zone(tz).dt.date().alias("day")
        )
        for tz, ids in sorted(by_tz.items())
    ]
    return pl.concat(parts) if parts else calls.with_columns(pl.lit(None, pl.Date).alias("day"))


def compute_frames(
    calls: pl.DataFrame,
    qa: pl.DataFrame,
    tz_by_venture: dict[int, str],
    start: date,
    end: date,
) -> list[BpoKpiRow]:
    """The rows of every (venture, day) of [start, end] with a call or a QA score, from the
    frames of ``span_statements`` (pure: no database). Sums stay integers (cents, seconds,
    millionths) until the ratios, computed by ``rules`` in ``Decimal`` as ``compute_day`` does.
    """
    if end < start or not tz_by_venture:
        return []
    keys = ["venture_id", "day"]
    calls = with_business_day(normalize(calls, CALLS_SCHEMA), tz_by_venture)
    talk = (pl.col("ended_at") - pl.col("started_at")).dt.total_microseconds() // 1_000_000
    per_day = (
        calls.filter(pl.col("day").is_between(start, end))
        .with_columns(talk.fill_null(0).clip(lower_bound=0).alias("talk_s"))
        .group_by(keys)
        .agg(
            pl.len().cast(pl.Int64).alias("calls"),
            pl.col("dial_count").sum().cast(pl.Int64).alias("dials"),
            pl.col("connected").sum().cast(pl.Int64).alias("connects"),
            pl.col("talk_s").sum().cast(pl.Int64),
            pl.col("appointment_set").sum().cast(pl.Int64).alias("appointments"),
            pl.col("deal_won").sum().cast(pl.Int64).alias("deals"),
            pl.col("revenue_c").sum().cast(pl.Int64),
        )
    )
    scores = (
        normalize(qa, QA_SCHEMA)
        .filter(pl.col("day").is_between(start, end))
        .group_by(keys)
        .agg(
            pl.len().cast(pl.Int64).alias("scored"),
            pl.col("qa_micro").sum().cast(pl.Int64).alias("qa_sum"),
        )
    )
    table = (
        per_day.join(scores, on=keys, how="full", coalesce=True)
        .filter(pl.col("venture_id").is_in(sorted(tz_by_venture)))
        .fill_null(0)
        .sort(keys)
    )
    rows = []
    for r in table.iter_rows(named=True):
        ratios = call_ratios(r["dials"], r["connects"], r["talk_s"], r["deals"])
        rows.append(
            BpoKpiRow(
                venture_id=r["venture_id"],
                day=r["day"],
                dials=r["dials"],
                connects=r["connects"],
                connect_rate=ratios.connect_rate,
                talk_minutes=talk_minutes(r["talk_s"]),
                avg_handle_seconds=ratios.avg_handle_seconds,
                appointments=r["appointments"],
                deals=r["deals"],
                conversion=ratios.conversion,
                revenue=(Decimal(r["revenue_c"]) / 100).quantize(Decimal("0.01")),
                avg_qa=ratio(Decimal(r["qa_sum"]) / MICRO, r["scored"]),
            )
        )
    return rows


@dataclass
class KpiResult:
    rows: list[BpoKpiRow]
    venture_ids: list[int]
    start: date
    end: date
    run_id: str | None
    rows_read: int = 0
    reader: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def rows_written(self) -> int:
        return len(self.rows)


def backfill_in(
    conn: Connection,
    venture_ids: Sequence[int] | None,
    start: date,
    end: date,
    *,
    run_id: str | None = None,
) -> KpiResult:
    """Recompute and store every (venture, day) of [start, end] of the BPO ventures asked for
    (all when ``None``) inside the caller's write transaction: the ventures locked, two narrow
    reads into Polars, one compute, the days replaced (one DELETE, one bulk INSERT)."""
    if end < start:
        raise ValueError("end is before start")
    t0 = time.perf_counter()
    tzs = bpo_timezones(conn, venture_ids)
    ids = sorted(tzs)
    if not ids:
        return KpiResult([], [], start, end, run_id)
    lock_ventures(conn, LOCK_NAMESPACE, ids)
    lo = min(clock.day_bounds_utc(start, tz)[0] for tz in tzs.values())
    hi = max(clock.day_bounds_utc(end, tz)[1] for tz in tzs.values())
    frames = {
        k: read_frame(s, conn=conn) for k, s in span_statements(ids, start, end, lo, hi).items()
    }
    t1 = time.perf_counter()
    rows = compute_frames(frames["calls"], frames["qa"], tzs, start, end)
    t2 = time.perf_counter()
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    table = BpoKpiDaily.__table__  # type: ignore[attr-defined]
    replace_days(conn, table, ids, days, [r.as_dict() for r in rows], run_id)
    t3 = time.perf_counter()
    reader = "connectorx" if conn.dialect.name == "postgresql" else "sqlite3"
    return KpiResult(
        rows,
        ids,
        start,
        end,
        run_id,
        sum(f.height for f in frames.values()),
        reader,
        {"extract": t1 - t0, "compute": t2 - t1, "write": t3 - t2},
    )


def backfill_kpi(
    venture_ids: Sequence[int] | None,
    start: date,
    end: date,
    *,
    run_id: str | None = None,
    engine: Engine | None = None,
) -> KpiResult:
    """``backfill_in`` in a write transaction of its own."""
    engine = engine or get_engine()
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        return backfill_in(conn, venture_ids, start, end, run_id=run_id)
