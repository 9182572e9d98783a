"""FreightKpiDaily: the spec's numbers per (venture, business date), computed in Polars.

Definitions (spec/operations.md), for venture V and business date D in V's timezone:

- loads_created / loads_covered / loads_delivered / loads_lost: loads whose ``created_at`` /
  ``covered_at`` / ``delivered_at`` / ``lost_at`` falls on D (``covered_at`` is the last time the
  load entered COVERED);
- revenue, cost, profit: sums of bill, cost and bill - cost over the loads delivered on D, a null
  amount counting as 0;
- margin_pct = profit / revenue and coverage_rate = covered / created, ``None`` when the
  denominator is 0 (never 0, NaN or an error);
- active_customers: distinct customers with a load created in [D-29, D]; active_carriers:
  distinct carriers with a load delivered in [D-29, D].

The path (../shared/notes/data-path.md): four narrow, index-served reads (money as integer cents,
timestamps as UTC) into Polars, business dates computed there with each venture's timezone, the
aggregation in Polars, ratios in ``Decimal``, and one DELETE of the key range + one bulk INSERT in a
single transaction. Backfills read with connectorx on PostgreSQL and with the stdlib driver on
SQLite (connectorx's own SQLite library must not share a process with ours: see
``domain.analytics.reader.connectorx_uri``); the one-day recompute of an event handler reads
inside its own transaction through SQLAlchemy (a few thousand rows) so that it is atomic with the
handler's delivery record.
All feed the same pure ``compute_kpi``.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import BigInteger, Connection, Engine, cast, delete, func, insert, literal_column
from sqlmodel import col, select

from domain import clock
from domain.analytics.kpi_days import replace_days
from domain.analytics.reader import connectorx_uri
from domain.db import get_engine
from domain.freight.models import FREIGHT_VENTURE_TYPES, FreightKpiDaily, Load
from domain.freight.rules import CENT, margin, rate
from domain.freight.rules import RATE_QUANTUM as RATE_QUANTUM
from domain.org.models import Venture

log = logging.getLogger(__name__)

WINDOW_DAYS = 30  # "the last 30 days", D included

# -- pure math ------------------------------------------------------------------------------------


def load_margin(bill: Decimal | None, cost: Decimal | None) -> Decimal:
    """bill - cost with nulls as 0, in cents (the margin rule: ``rules.margin``)."""
    return margin(bill, cost).amount


def load_margin_pct(bill: Decimal | None, cost: Decimal | None) -> Decimal | None:
    """margin / bill; ``None`` when there is no bill amount (the margin rule: ``rules.margin``)."""
    return margin(bill, cost).pct


def cents_to_money(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


@dataclass(frozen=True)
class KpiRow:
    venture_id: int
    day: date
    loads_created: int = 0
    loads_covered: int = 0
    loads_delivered: int = 0
    loads_lost: int = 0
    revenue: Decimal = Decimal("0.00")
    cost: Decimal = Decimal("0.00")
    profit: Decimal = Decimal("0.00")
    margin_pct: Decimal | None = None
    coverage_rate: Decimal | None = None
    active_customers: int = 0
    active_carriers: int = 0

    @classmethod
    def from_counts(
        cls,
        venture_id: int,
        day: date,
        *,
        created: int = 0,
        covered: int = 0,
        delivered: int = 0,
        lost: int = 0,
        revenue_cents: int = 0,
        cost_cents: int = 0,
        active_customers: int = 0,
        active_carriers: int = 0,
    ) -> KpiRow:
        revenue, cost = cents_to_money(revenue_cents), cents_to_money(cost_cents)
        profit = margin(revenue, cost)
        return cls(
            venture_id=venture_id,
            day=day,
            loads_created=created,
            loads_covered=covered,
            loads_delivered=delivered,
            loads_lost=lost,
            revenue=revenue,
            cost=cost,
            profit=profit.amount,
            margin_pct=profit.pct,
            coverage_rate=rate(covered, created),
            active_customers=active_customers,
            active_carriers=active_carriers,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# The frames compute_kpi reads: one per kind of event, timestamps UTC, money in integer cents.
FRAME_SCHEMAS: dict[str, dict[str, Any]] = {
    "created": {"venture_id": pl.Int64, "at": pl.Datetime("us", "UTC"), "customer_id": pl.Int64},
    "covered": {"venture_id": pl.Int64, "at": pl.Datetime("us", "UTC")},
    "delivered": {
        "venture_id": pl.Int64,
        "at": pl.Datetime("us", "UTC"),
        "carrier_id": pl.Int64,
        "bill_c": pl.Int64,
        "cost_c": pl.Int64,
    },
    "lost": {"venture_id": pl.Int64, "at": pl.Datetime("us", "UTC")},
}


@dataclass
class KpiFrames:
    created: pl.DataFrame
    covered: pl.DataFrame
    delivered: pl.DataFrame
    lost: pl.DataFrame

    @classmethod
    def from_rows(cls, **rows: Iterable[Sequence[Any]]) -> KpiFrames:
        """Frames from row tuples in ``FRAME_SCHEMAS`` column order (tests, the SQLAlchemy path)."""
        frames = {
            kind: pl.DataFrame(list(rows.get(kind, [])), schema=schema, orient="row")
            for kind, schema in FRAME_SCHEMAS.items()
        }
        return cls(**frames)

    def normalized(self) -> KpiFrames:
        return KpiFrames(**{k: _normalize(getattr(self, k), k) for k in FRAME_SCHEMAS})

    @property
    def height(self) -> int:
        return sum(getattr(self, k).height for k in FRAME_SCHEMAS)


def _normalize(df: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Whatever the reader gave (naive UTC from SQLite, ``+00:00`` from PostgreSQL, strings for
    empty expression columns), make it exactly the declared schema."""
    schema = FRAME_SCHEMAS[kind]
    exprs = []
    for name, dtype in schema.items():
        c = pl.col(name)
        if name == "at":
            current = df.schema[name]
            if current.is_integer():  # epoch seconds (the SQLite reader)
                c = pl.from_epoch(c, time_unit="s").dt.replace_time_zone("UTC")
                c = c.dt.cast_time_unit("us")
            elif isinstance(current, pl.Datetime):
                c = (
                    c.dt.replace_time_zone("UTC")
                    if current.time_zone is None
                    else c.dt.convert_time_zone("UTC")
                )
                c = c.dt.cast_time_unit("us")
            else:
                c = c.cast(pl.String).str.to_datetime(
                    "%Y-%m-%d %H:%M:%S%.f", time_unit="us", time_zone="UTC"
                )
        else:
            c = c.cast(dtype)
        exprs.append(c.alias(name))
    return df.select(exprs)


def _with_day(df: pl.DataFrame, tz_by_venture: dict[int, str]) -> pl.DataFrame:
    """Add the business date of ``at`` in each row's venture timezone.

    Rather than converting every timestamp, the UTC start of each business date in the span
    (from zoneinfo, DST included) is computed once and each timestamp is placed between them by
    a vectorized binary search.
    """
    if df.height == 0:
        return df.with_columns(pl.lit(None, pl.Date).alias("day"))
    by_tz: dict[str, list[int]] = defaultdict(list)
    for vid, tz in tz_by_venture.items():
        by_tz[tz].append(vid)
    first_at: datetime = df["at"].min()  # type: ignore[assignment]
    last_at: datetime = df["at"].max()  # type: ignore[assignment]
    parts = []
    for tz, ids in sorted(by_tz.items()):
        part = df.filter(pl.col("venture_id").is_in(ids))
        lo = clock.business_date(first_at, tz) - timedelta(days=1)
        n = (clock.business_date(last_at, tz) - lo).days + 2
        starts = pl.Series(
            [clock.day_bounds_utc(lo + timedelta(days=i), tz)[0] for i in range(n)],
            dtype=pl.Datetime("us", "UTC"),
        )
        index = starts.search_sorted(part["at"], side="right") - 1
        parts.append(
            part.with_columns(index.cast(pl.Int64).alias("day")).with_columns(
                (pl.lit(lo) + pl.duration(days=pl.col("day"))).cast(pl.Date).alias("day")
            )
        )
    return pl.concat(parts) if parts else df.with_columns(pl.lit(None, pl.Date).alias("day"))


def _in_range(df: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    return df.filter(pl.col("day").is_between(start, end, closed="both"))


def active_counts(
    pairs: pl.DataFrame, id_col: str, start: date, end: date, name: str
) -> pl.DataFrame:
    """Per (venture, day in [start, end]) the number of distinct ``id_col`` seen on that day or
    the ``WINDOW_DAYS - 1`` days before.

    Each id's days are merged into disjoint intervals [first, last + 29] (a gap of 30 days or
    more starts a new interval), so one id counts once per day; then +1/-1 at the interval ends
    and a running sum per venture give the count of every day at once.
    """
    key = ["venture_id", id_col]
    p = (
        pairs.filter(pl.col(id_col).is_not_null())
        .select("venture_id", id_col, "day")
        .unique()
        .sort([*key, "day"])
    )
    if p.height == 0:
        return pl.DataFrame(schema={"venture_id": pl.Int64, "day": pl.Date, name: pl.Int64})
    # Sorted by (venture, id, day): a new interval starts where the id changes or the gap to the
    # previous day is 30 days or more (plain shifts, no per-group windows).
    new_interval = (
        (pl.col("venture_id") != pl.col("venture_id").shift(1))
        | (pl.col(id_col) != pl.col(id_col).shift(1))
        | ((pl.col("day") - pl.col("day").shift(1)).dt.total_days() >= WINDOW_DAYS)
    ).fill_null(True)
    p = p.with_columns(new_interval.cast(pl.Int64).cum_sum().alias("g"))
    intervals = p.group_by("g").agg(
        pl.col("venture_id").first(),
        pl.col("day").min().alias("first"),
        pl.col("day").max().alias("last"),
    )
    deltas = (
        pl.concat(
            [
                intervals.select("venture_id", pl.col("first").alias("day"), pl.lit(1).alias("d")),
                intervals.select(
                    "venture_id",
                    (pl.col("last") + pl.duration(days=WINDOW_DAYS)).alias("day"),
                    pl.lit(-1).alias("d"),
                ),
            ]
        )
        .group_by(["venture_id", "day"])
        .agg(pl.col("d").sum())
    )
    first_day: date = deltas["day"].min()  # type: ignore[assignment]
    lo = min(start, first_day)
    days = pl.DataFrame({"day": pl.date_range(lo, end, "1d", eager=True)})
    grid = deltas.select("venture_id").unique().join(days, how="cross")
    running = (
        grid.join(deltas, on=["venture_id", "day"], how="left")
        .with_columns(pl.col("d").fill_null(0))
        .sort(["venture_id", "day"])
        .with_columns(pl.col("d").cum_sum().over("venture_id").cast(pl.Int64).alias(name))
    )
    return _in_range(running, start, end).select("venture_id", "day", name)


def compute_kpi(
    frames: KpiFrames, tz_by_venture: dict[int, str], start: date, end: date
) -> list[KpiRow]:
    """The KPI rows of every venture of ``tz_by_venture`` and every day of [start, end] (days
    without activity included). Pure: no database."""
    if end < start or not tz_by_venture:
        return []
    f = frames.normalized()
    created = _with_day(f.created, tz_by_venture)
    covered = _with_day(f.covered, tz_by_venture)
    delivered = _with_day(f.delivered, tz_by_venture)
    lost = _with_day(f.lost, tz_by_venture)
    keys = ["venture_id", "day"]

    def count(df: pl.DataFrame, name: str) -> pl.DataFrame:
        return _in_range(df, start, end).group_by(keys).agg(pl.len().cast(pl.Int64).alias(name))

    money = (
        _in_range(delivered, start, end)
        .group_by(keys)
        .agg(
            pl.len().cast(pl.Int64).alias("delivered"),
            pl.col("bill_c").fill_null(0).sum().cast(pl.Int64).alias("revenue_c"),
            pl.col("cost_c").fill_null(0).sum().cast(pl.Int64).alias("cost_c"),
        )
    )
    days = pl.DataFrame({"day": pl.date_range(start, end, "1d", eager=True)})
    ventures = pl.DataFrame({"venture_id": sorted(tz_by_venture)}, schema={"venture_id": pl.Int64})
    table = ventures.join(days, how="cross")
    for part in (
        count(created, "created"),
        count(covered, "covered"),
        money,
        count(lost, "lost"),
        active_counts(created, "customer_id", start, end, "active_customers"),
        active_counts(delivered, "carrier_id", start, end, "active_carriers"),
    ):
        table = table.join(part, on=keys, how="left")
    table = table.fill_null(0).sort(keys)
    return [
        KpiRow.from_counts(
            r["venture_id"],
            r["day"],
            created=r["created"],
            covered=r["covered"],
            delivered=r["delivered"],
            lost=r["lost"],
            revenue_cents=r["revenue_c"],
            cost_cents=r["cost_c"],
            active_customers=r["active_customers"],
            active_carriers=r["active_carriers"],
        )
        for r in table.iter_rows(named=True)
    ]


# == database readers and writers ================================================================
# (they will move to the shared analytics module; everything above this line is pure)

# -- reading --------------------------------------------------------------------------------------


@dataclass
class Window:
    """UTC bounds of the reads for [start, end]: the 30-day lookback reads start earlier."""

    wide_lo: datetime  # start - 29 days (created, delivered)
    lo: datetime  # start (covered, lost)
    hi: datetime  # end + 1 day, exclusive

    @classmethod
    def of(cls, tz_by_venture: dict[int, str], start: date, end: date) -> Window:
        tzs = set(tz_by_venture.values())
        lookback = start - timedelta(days=WINDOW_DAYS - 1)
        return cls(
            wide_lo=min(clock.day_bounds_utc(lookback, tz)[0] for tz in tzs),
            lo=min(clock.day_bounds_utc(start, tz)[0] for tz in tzs),
            hi=max(clock.day_bounds_utc(end, tz)[1] for tz in tzs),
        )


def _cents(column: Any) -> Any:
    return func.coalesce(cast(func.round(col(column) * literal_column("100")), BigInteger), 0)


def extract_sqlalchemy(conn: Connection, venture_ids: Sequence[int], w: Window) -> KpiFrames:
    """The four reads through a SQLAlchemy connection (inside the caller's transaction)."""
    ids = list(venture_ids)
    vid = col(Load.venture_id).in_(ids)

    def rows(*cols: Any, at: Any, lo: datetime) -> list[Any]:
        stmt = select(*cols).where(vid, col(at) >= lo, col(at) < w.hi)
        return [tuple(r) for r in conn.execute(stmt)]

    return KpiFrames.from_rows(
        created=rows(
            Load.venture_id, Load.created_at, Load.customer_id, at=Load.created_at, lo=w.wide_lo
        ),
        covered=rows(Load.venture_id, Load.covered_at, at=Load.covered_at, lo=w.lo),
        delivered=rows(
            Load.venture_id,
            Load.delivered_at,
            Load.carrier_id,
            _cents(Load.bill_amount),
            _cents(Load.cost_amount),
            at=Load.delivered_at,
            lo=w.wide_lo,
        ),
        lost=rows(Load.venture_id, Load.lost_at, at=Load.lost_at, lo=w.lo),
    )


# Reads covering more than this many days skip the date index on SQLite (its planner keeps using
# the index for whole-table ranges, three times slower than a scan: data-path.md §3.2).
FULL_SCAN_DAYS = 400


def bulk_queries(
    dialect: str, venture_ids: Sequence[int], w: Window, *, full_scan: bool = False
) -> dict[str, str]:
    """The four narrow reads as SQL text: ids and bounds are rendered as literals (integers and
    timestamps we produced), money as integer cents, timestamps as stored (UTC)."""
    ids = ",".join(str(int(v)) for v in venture_ids)
    hint = " NOT INDEXED" if full_scan and dialect == "sqlite" else ""

    def ts(value: datetime) -> str:
        value = value.astimezone(UTC)
        if dialect == "sqlite":  # stored as naive UTC text, compared as text
            return "'" + value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") + "'"
        return "'" + value.isoformat() + "'::timestamptz"

    def cents(column: str) -> str:
        if dialect == "sqlite":
            return f"COALESCE(CAST(ROUND({column}*100) AS INTEGER), 0)"
        return f"COALESCE(ROUND({column}*100), 0)::bigint"

    def sql(cols: str, at: str, lo: datetime) -> str:
        return (
            f"SELECT {cols} FROM freight_load{hint} WHERE venture_id IN ({ids}) "
            f"AND {at} >= {ts(lo)} AND {at} < {ts(w.hi)}"
        )

    return {
        "created": sql("venture_id, created_at AS at, customer_id", "created_at", w.wide_lo),
        "covered": sql("venture_id, covered_at AS at", "covered_at", w.lo),
        "delivered": sql(
            f"venture_id, delivered_at AS at, carrier_id, {cents('bill_amount')} AS bill_c, "
            f"{cents('cost_amount')} AS cost_c",
            "delivered_at",
            w.wide_lo,
        ),
        "lost": sql("venture_id, lost_at AS at", "lost_at", w.lo),
    }


def extract_connectorx(
    uri: str, venture_ids: Sequence[int], w: Window, *, full_scan: bool = False
) -> KpiFrames:
    """PostgreSQL: the four reads with connectorx straight into Arrow/Polars, two at a time
    (connectorx releases the GIL; each read is mostly connection setup and server time)."""
    from concurrent.futures import ThreadPoolExecutor

    queries = bulk_queries("postgresql", venture_ids, w, full_scan=full_scan)

    def read(query: str) -> pl.DataFrame:
        return pl.read_database_uri(query, uri, engine="connectorx")

    with ThreadPoolExecutor(max_workers=2) as pool:
        frames = dict(zip(queries, pool.map(read, queries.values()), strict=True))
    return KpiFrames(**frames)


def _sqlite_epoch() -> str:
    import sqlite3

    # unixepoch() exists from SQLite 3.38; strftime('%s') everywhere (same whole seconds).
    if sqlite3.sqlite_version_info >= (3, 38, 0):
        return "unixepoch({})"
    return "CAST(strftime('%s', {}) AS INTEGER)"


def extract_sqlite(
    conn: Connection, venture_ids: Sequence[int], w: Window, *, full_scan: bool = False
) -> KpiFrames:
    """SQLite: the reads through the stdlib driver on the caller's own connection (same
    transaction), one venture at a time, each served by a covering index.

    Each read comes back as one CSV text (``group_concat``) that Polars parses: measured at the
    large size, about twice as fast as fetching the rows as Python tuples, which was the
    bottleneck once the indexes covered the reads. Timestamps come as whole epoch seconds,
    exact for business dates (a day starts on a whole second in every timezone, so dropping the
    fraction never moves an instant across midnight); a NULL becomes an empty field.
    """
    import io

    epoch = _sqlite_epoch()
    hint = " NOT INDEXED" if full_scan else ""

    def ts(value: datetime) -> str:
        return "'" + value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds") + "'"

    def cents(column: str) -> str:
        return f"COALESCE(CAST(ROUND({column}*100) AS INTEGER), 0)"

    reads = {
        "created": ("created_at", w.wide_lo, ["COALESCE(customer_id, '')"]),
        "covered": ("covered_at", w.lo, []),
        "delivered": (
            "delivered_at",
            w.wide_lo,
            ["COALESCE(carrier_id, '')", cents("bill_amount"), cents("cost_amount")],
        ),
        "lost": ("lost_at", w.lo, []),
    }
    raw = conn.connection.dbapi_connection
    assert raw is not None
    frames: dict[str, pl.DataFrame] = {}
    for kind, (at, lo, extra) in reads.items():
        names = list(FRAME_SCHEMAS[kind])[1:]  # at (epoch seconds) and the rest; venture added
        schema = {n: pl.Int64 for n in names}
        line = " || ',' || ".join([epoch.format(at), *extra])
        parts = []
        for vid in venture_ids:
            sql = (
                f"SELECT group_concat({line}, char(10)) FROM freight_load{hint} "
                f"WHERE venture_id = {int(vid)} AND {at} >= {ts(lo)} AND {at} < {ts(w.hi)}"
            )
            cursor = raw.cursor()
            try:
                (text,) = cursor.execute(sql).fetchone()
            finally:
                cursor.close()
            if not text:
                continue
            df = pl.read_csv(io.StringIO(text), has_header=False, new_columns=names, schema=schema)
            parts.append(df.select(pl.lit(int(vid), pl.Int64).alias("venture_id"), *names))
        frames[kind] = (
            pl.concat(parts) if parts else pl.DataFrame(schema={"venture_id": pl.Int64} | schema)
        )
    return KpiFrames(**frames)


# -- writing --------------------------------------------------------------------------------------


@dataclass
class KpiResult:
    rows: list[KpiRow]
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


def _lock_ventures(conn: Connection, venture_ids: Sequence[int]) -> None:
    """Serialize KPI writes per venture on PostgreSQL (SQLite: the write transaction already
    holds the database's single write lock). Without it, two recomputes reading before each
    other's commit could leave the older numbers last."""
    if conn.dialect.name != "postgresql":
        return
    for vid in sorted(set(venture_ids)):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({0x46524B << 24 | int(vid)})")


def write_rows(
    conn: Connection,
    rows: Sequence[KpiRow],
    venture_ids: Sequence[int],
    start: date,
    end: date,
    run_id: str | None,
) -> None:
    """Replace the key range: one DELETE, one bulk INSERT (no stale rows left behind)."""
    table = FreightKpiDaily.__table__  # type: ignore[attr-defined]
    conn.execute(
        delete(table).where(
            table.c.venture_id.in_(list(venture_ids)), table.c.day >= start, table.c.day <= end
        )
    )
    if rows:
        now = clock.now()
        conn.execute(
            insert(table), [r.as_dict() | {"computed_at": now, "run_id": run_id} for r in rows]
        )


def freight_timezones(conn: Connection, venture_ids: Sequence[int] | None) -> dict[int, str]:
    """Timezone of each freight venture asked for (all freight ventures when ``None``)."""
    stmt = select(Venture.id, Venture.timezone).where(
        col(Venture.type).in_(sorted(FREIGHT_VENTURE_TYPES))
    )
    if venture_ids is not None:
        stmt = stmt.where(col(Venture.id).in_(list(venture_ids)))
    return {int(v): str(tz) for v, tz in conn.execute(stmt)}


def _write_engine(engine: Engine) -> Engine:
    # SQLite: take the write lock when the transaction begins (see domain/db.py).
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def recompute_in(
    conn: Connection, venture_id: int, day: date, *, run_id: str | None = None
) -> KpiResult:
    """Recompute one (venture, day) inside the caller's transaction (event handlers)."""
    return recompute_days_in(conn, venture_id, [day], run_id=run_id)


def recompute_days_in(
    conn: Connection, venture_id: int, days: Iterable[date], *, run_id: str | None = None
) -> KpiResult:
    """Recompute the given business dates of one venture inside the caller's transaction (event
    handlers, a dashboard's missing days): one read of their span, one compute, each given day
    replaced (the days between them untouched)."""
    wanted = sorted(set(days))
    tzs = freight_timezones(conn, [venture_id])
    if not tzs:
        raise ValueError(f"venture {venture_id} is not a freight venture")
    if not wanted:
        return KpiResult([], [venture_id], date.min, date.min, run_id)
    start, end = wanted[0], wanted[-1]
    t0 = time.perf_counter()
    _lock_ventures(conn, [venture_id])
    frames = extract_sqlalchemy(conn, [venture_id], Window.of(tzs, start, end))
    t1 = time.perf_counter()
    keep = set(wanted)
    rows = [r for r in compute_kpi(frames, tzs, start, end) if r.day in keep]
    t2 = time.perf_counter()
    table = FreightKpiDaily.__table__  # type: ignore[attr-defined]
    replace_days(conn, table, [venture_id], wanted, [r.as_dict() for r in rows], run_id)
    t3 = time.perf_counter()
    return KpiResult(
        rows=rows,
        venture_ids=[venture_id],
        start=start,
        end=end,
        run_id=run_id,
        rows_read=frames.height,
        reader="sqlalchemy",
        timings={"extract": t1 - t0, "compute": t2 - t1, "write": t3 - t2},
    )


def recompute_kpi_day(
    venture_id: int, day: date, *, run_id: str | None = None, engine: Engine | None = None
) -> KpiResult:
    """Recompute and store FreightKpiDaily of one venture and business date (own transaction)."""
    engine = engine or get_engine()
    with _write_engine(engine).begin() as conn:
        return recompute_in(conn, venture_id, day, run_id=run_id)


def backfill_kpi(
    venture_ids: Sequence[int] | None,
    start: date,
    end: date,
    *,
    run_id: str | None = None,
    engine: Engine | None = None,
) -> KpiResult:
    """Recompute and store every (venture, day) of [start, end] for the given freight ventures
    (all freight ventures when ``None``): narrow reads into Polars (connectorx on PostgreSQL, the
    stdlib driver on SQLite), compute there, one delete + one insert, one transaction."""
    if end < start:
        raise ValueError("end is before start")
    engine = engine or get_engine()
    timings: dict[str, float] = {}
    with _write_engine(engine).begin() as conn:
        t0 = time.perf_counter()
        tzs = freight_timezones(conn, venture_ids)
        ids = sorted(tzs)
        if not ids:
            return KpiResult([], [], start, end, run_id)
        _lock_ventures(conn, ids)
        window = Window.of(tzs, start, end)
        full = (end - start).days + WINDOW_DAYS >= FULL_SCAN_DAYS
        uri = connectorx_uri(engine)
        if uri is not None:
            frames, reader = extract_connectorx(uri, ids, window, full_scan=full), "connectorx"
        elif engine.dialect.name == "sqlite":
            frames, reader = extract_sqlite(conn, ids, window, full_scan=full), "sqlite3"
        else:
            frames, reader = extract_sqlalchemy(conn, ids, window), "sqlalchemy"
        t1 = time.perf_counter()
        rows = compute_kpi(frames, tzs, start, end)
        t2 = time.perf_counter()
        write_rows(conn, rows, ids, start, end, run_id)
        t3 = time.perf_counter()
    timings.update(extract=t1 - t0, compute=t2 - t1, write=t3 - t2)
    return KpiResult(rows, ids, start, end, run_id, frames.height, reader, timings)
