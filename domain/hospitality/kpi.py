"""HospitalityKpiDaily: a venture's numbers per business date, computed in Polars.

Definitions (spec/operations.md), for venture V and business date D in V's timezone:

- hotels_reporting, rooms_available, rooms_sold, room_revenue, other_revenue, total_revenue: over
  V's HotelKpiDaily rows of D (a hotel row's ``day`` is already a business date);
- occupancy = sum sold / sum available, ADR = sum room revenue / sum sold, RevPAR = sum room
  revenue / sum available: **weighted** by rooms, never a mean of the hotels' own ratios; a zero
  denominator gives ``None`` (never NaN, 0 or an error);
- reviews_received and average_rating: reviews whose ``review_date`` is D; reviews_responded:
  reviews first answered (``responded_at``) on D;
- disputes_opened: disputes created on D; disputes_won and amount_recovered: disputes resolved
  WON on D and the sum of their amounts (a dispute is in its venture's currency).

The path is freight's (../shared/notes/data-path.md): narrow reads (money as integer cents,
timestamps UTC) into Polars, business dates computed there with each venture's timezone, the
aggregation in Polars, ratios in ``Decimal``, then one DELETE of the key range and one bulk
INSERT in one transaction. A backfill reads through ``read_frame`` (connectorx on PostgreSQL, the
stdlib driver on SQLite); an event handler reads inside its own transaction through SQLAlchemy.
All feed the same pure ``compute_kpi``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import BigInteger, Connection, Engine, cast, delete, func, insert, literal_column
from sqlmodel import col, select

from domain import clock
from domain.analytics.reader import read_frame
from domain.db import get_engine
from domain.hospitality.models import (
    HOSPITALITY_VENTURE_TYPES,
    DisputeStatus,
    HospitalityKpiDaily,
    HotelDispute,
    HotelKpiDaily,
    HotelReview,
)
from domain.hospitality.rules import RATE_QUANTUM, hotel_ratios, ratio
from domain.org.models import Venture

# -- pure math ------------------------------------------------------------------------------------


def cents_to_money(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class KpiRow:
    venture_id: int
    day: date
    hotels_reporting: int = 0
    rooms_available: int = 0
    rooms_sold: int = 0
    room_revenue: Decimal = Decimal("0.00")
    other_revenue: Decimal = Decimal("0.00")
    total_revenue: Decimal = Decimal("0.00")
    occupancy: Decimal | None = None
    adr: Decimal | None = None
    revpar: Decimal | None = None
    reviews_received: int = 0
    reviews_responded: int = 0
    average_rating: Decimal | None = None
    disputes_opened: int = 0
    disputes_won: int = 0
    amount_recovered: Decimal = Decimal("0.00")

    @classmethod
    def from_sums(
        cls,
        venture_id: int,
        day: date,
        *,
        hotels: int = 0,
        available: int = 0,
        sold: int = 0,
        room_cents: int = 0,
        other_cents: int = 0,
        received: int = 0,
        rating_sum: int = 0,
        responded: int = 0,
        opened: int = 0,
        won: int = 0,
        recovered_cents: int = 0,
    ) -> KpiRow:
        room, other = cents_to_money(room_cents), cents_to_money(other_cents)
        ratios = hotel_ratios(available, sold, room)
        return cls(
            venture_id=venture_id,
            day=day,
            hotels_reporting=hotels,
            rooms_available=available,
            rooms_sold=sold,
            room_revenue=room,
            other_revenue=other,
            total_revenue=room + other,
            occupancy=ratios.occupancy,
            adr=ratios.adr,
            revpar=ratios.revpar,
            reviews_received=received,
            reviews_responded=responded,
            average_rating=ratio(rating_sum, received),
            disputes_opened=opened,
            disputes_won=won,
            amount_recovered=cents_to_money(recovered_cents),
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


TS = pl.Datetime("us", "UTC")
FRAME_SCHEMAS: dict[str, dict[str, Any]] = {
    "hotel": {
        "venture_id": pl.Int64,
        "day": pl.Date,
        "hotel_id": pl.Int64,
        "available": pl.Int64,
        "sold": pl.Int64,
        "room_c": pl.Int64,
        "other_c": pl.Int64,
    },
    "received": {"venture_id": pl.Int64, "day": pl.Date, "rating": pl.Int64},
    "responded": {"venture_id": pl.Int64, "at": TS},
    "opened": {"venture_id": pl.Int64, "at": TS},
    "won": {"venture_id": pl.Int64, "at": TS, "amount_c": pl.Int64},
}


@dataclass
class KpiFrames:
    hotel: pl.DataFrame
    received: pl.DataFrame
    responded: pl.DataFrame
    opened: pl.DataFrame
    won: pl.DataFrame

    @classmethod
    def from_rows(cls, **rows: Iterable[Sequence[Any]]) -> KpiFrames:
        """Frames from row tuples in ``FRAME_SCHEMAS`` column order (tests, the SQLAlchemy path)."""
        return cls(
            **{
                kind: pl.DataFrame(list(rows.get(kind, [])), schema=schema, orient="row")
                for kind, schema in FRAME_SCHEMAS.items()
            }
        )

    def normalized(self) -> KpiFrames:
        return KpiFrames(**{k: _normalize(getattr(self, k), k) for k in FRAME_SCHEMAS})

    @property
    def height(self) -> int:
        return sum(getattr(self, k).height for k in FRAME_SCHEMAS)


def _normalize(df: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Whatever the reader gave (naive UTC or text from SQLite, ``+00:00`` from PostgreSQL),
    make it exactly the declared schema."""
    schema = FRAME_SCHEMAS[kind]
    if df.height == 0:
        return pl.DataFrame(schema=schema)
    exprs = []
    for name, dtype in schema.items():
        c = pl.col(name)
        current = df.schema[name]
        if name == "at":
            if isinstance(current, pl.Datetime):
                c = (
                    c.dt.replace_time_zone("UTC")
                    if current.time_zone is None
                    else c.dt.convert_time_zone("UTC")
                ).dt.cast_time_unit("us")
            else:
                c = c.cast(pl.String).str.slice(0, 26).str.to_datetime(time_unit="us")
                c = c.dt.replace_time_zone("UTC")
        elif name == "day" and current == pl.String:
            c = c.str.to_date("%Y-%m-%d")
        else:
            c = c.cast(dtype)
        exprs.append(c.alias(name))
    return df.select(exprs)


def _with_day(df: pl.DataFrame, tz_by_venture: dict[int, str]) -> pl.DataFrame:
    """Add the business date of ``at`` in each row's venture timezone (DST included)."""
    if df.height == 0:
        return df.with_columns(pl.lit(None, pl.Date).alias("day"))
    by_tz: dict[str, list[int]] = defaultdict(list)
    for vid, tz in tz_by_venture.items():
        by_tz[tz].append(vid)
    parts = [
        df.filter(pl.col("venture_id").is_in(ids)).with_columns(
            pl.col("at").dt.convert_time_zone(tz).dt.date().alias("day")
        )
        for tz, ids in sorted(by_tz.items())
    ]
    return pl.concat(parts)


def compute_kpi(
    frames: KpiFrames, tz_by_venture: dict[int, str], start: date, end: date
) -> list[KpiRow]:
    """The KPI rows of every venture of ``tz_by_venture`` and every day of [start, end] (days
    without activity included). Pure: no database."""
    if end < start or not tz_by_venture:
        return []
    f = frames.normalized()
    keys = ["venture_id", "day"]

    def in_range(df: pl.DataFrame) -> pl.DataFrame:
        return df.filter(pl.col("day").is_between(start, end, closed="both"))

    hotel = (
        in_range(f.hotel)
        .group_by(keys)
        .agg(
            pl.col("hotel_id").n_unique().cast(pl.Int64).alias("hotels"),
            pl.col("available").sum().cast(pl.Int64),
            pl.col("sold").sum().cast(pl.Int64),
            pl.col("room_c").fill_null(0).sum().cast(pl.Int64),
            pl.col("other_c").fill_null(0).sum().cast(pl.Int64),
        )
    )
    received = (
        in_range(f.received)
        .group_by(keys)
        .agg(
            pl.len().cast(pl.Int64).alias("received"),
            pl.col("rating").sum().cast(pl.Int64).alias("rating_sum"),
        )
    )

    def count(df: pl.DataFrame, name: str) -> pl.DataFrame:
        return (
            in_range(_with_day(df, tz_by_venture))
            .group_by(keys)
            .agg(pl.len().cast(pl.Int64).alias(name))
        )

    won = (
        in_range(_with_day(f.won, tz_by_venture))
        .group_by(keys)
        .agg(
            pl.len().cast(pl.Int64).alias("won"),
            pl.col("amount_c").fill_null(0).sum().cast(pl.Int64).alias("recovered_c"),
        )
    )
    days = pl.DataFrame({"day": pl.date_range(start, end, "1d", eager=True)})
    ventures = pl.DataFrame({"venture_id": sorted(tz_by_venture)}, schema={"venture_id": pl.Int64})
    table = ventures.join(days, how="cross")
    for part in (
        hotel,
        received,
        count(f.responded, "responded"),
        count(f.opened, "opened"),
        won,
    ):
        table = table.join(part, on=keys, how="left")
    table = table.fill_null(0).sort(keys)
    return [
        KpiRow.from_sums(
            r["venture_id"],
            r["day"],
            hotels=r["hotels"],
            available=r["available"],
            sold=r["sold"],
            room_cents=r["room_c"],
            other_cents=r["other_c"],
            received=r["received"],
            rating_sum=r["rating_sum"],
            responded=r["responded"],
            opened=r["opened"],
            won=r["won"],
            recovered_cents=r["recovered_c"],
        )
        for r in table.iter_rows(named=True)
    ]


def unweighted_occupancy(rows: Iterable[tuple[int, int]]) -> Decimal | None:
    """The mean of per-hotel occupancies: the WRONG venture figure, kept only so a test can show
    the difference (``(available, sold)`` pairs; hotels with no rooms left out)."""
    rates = [ratio(sold, avail) for avail, sold in rows if avail]
    known = [r for r in rates if r is not None]
    if not known:
        return None
    return (sum(known, Decimal(0)) / len(known)).quantize(RATE_QUANTUM)


# == database readers and writers ================================================================


@dataclass
class Window:
    """UTC bounds of the timestamp reads for [start, end] over the ventures' timezones."""

    lo: datetime
    hi: datetime

    @classmethod
    def of(cls, tz_by_venture: dict[int, str], start: date, end: date) -> Window:
        tzs = set(tz_by_venture.values())
        return cls(
            lo=min(clock.day_bounds_utc(start, tz)[0] for tz in tzs),
            hi=max(clock.day_bounds_utc(end, tz)[1] for tz in tzs),
        )


def _cents(column: Any) -> Any:
    return func.coalesce(cast(func.round(col(column) * literal_column("100")), BigInteger), 0)


def kpi_statements(venture_ids: Sequence[int], start: date, end: date, w: Window) -> dict[str, Any]:
    """The five narrow reads, in ``FRAME_SCHEMAS`` column order."""
    ids = sorted(venture_ids)
    K, R, D = HotelKpiDaily, HotelReview, HotelDispute
    return {
        "hotel": select(  # type: ignore[call-overload]
            col(K.venture_id),
            col(K.day),
            col(K.hotel_id),
            col(K.rooms_available).label("available"),
            col(K.rooms_sold).label("sold"),
            _cents(K.room_revenue).label("room_c"),
            _cents(K.other_revenue).label("other_c"),
        ).where(col(K.venture_id).in_(ids), col(K.day) >= start, col(K.day) <= end),
        "received": select(col(R.venture_id), col(R.review_date).label("day"), col(R.rating)).where(
            col(R.venture_id).in_(ids), col(R.review_date) >= start, col(R.review_date) <= end
        ),
        "responded": select(col(R.venture_id), col(R.responded_at).label("at")).where(
            col(R.venture_id).in_(ids), col(R.responded_at) >= w.lo, col(R.responded_at) < w.hi
        ),
        "opened": select(col(D.venture_id), col(D.created_at).label("at")).where(
            col(D.venture_id).in_(ids), col(D.created_at) >= w.lo, col(D.created_at) < w.hi
        ),
        "won": select(
            col(D.venture_id), col(D.resolved_at).label("at"), _cents(D.amount).label("amount_c")
        ).where(
            col(D.venture_id).in_(ids),
            col(D.resolved_at) >= w.lo,
            col(D.resolved_at) < w.hi,
            col(D.status) == DisputeStatus.WON,
        ),
    }


def extract_sqlalchemy(
    conn: Connection, venture_ids: Sequence[int], start: date, end: date, w: Window
) -> KpiFrames:
    """The reads through a SQLAlchemy connection (inside the caller's transaction)."""
    stmts = kpi_statements(venture_ids, start, end, w)
    return KpiFrames.from_rows(
        **{kind: [tuple(r) for r in conn.execute(stmt)] for kind, stmt in stmts.items()}
    )


def extract_frames(
    engine: Engine, conn: Connection, venture_ids: Sequence[int], start: date, end: date, w: Window
) -> KpiFrames:
    """The reads as frames: connectorx on PostgreSQL, the stdlib driver on SQLite (on ``conn``,
    inside its transaction)."""
    stmts = kpi_statements(venture_ids, start, end, w)
    frames = {}
    for kind, stmt in stmts.items():
        df = read_frame(stmt, engine=engine, conn=conn)
        frames[kind] = df if df.height else pl.DataFrame(schema=FRAME_SCHEMAS[kind])
    return KpiFrames(**frames)


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
    holds the database's single write lock), so an older recompute never commits last."""
    if conn.dialect.name != "postgresql":
        return
    for vid in sorted(set(venture_ids)):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({0x484F53 << 24 | int(vid)})")


def write_rows(
    conn: Connection,
    rows: Sequence[KpiRow],
    venture_ids: Sequence[int],
    start: date,
    end: date,
    run_id: str | None,
    *,
    days: Sequence[date] | None = None,
) -> None:
    """Replace the key range (or only ``days`` of it): one DELETE, one bulk INSERT."""
    table = HospitalityKpiDaily.__table__  # type: ignore[attr-defined]
    where = [table.c.venture_id.in_(list(venture_ids)), table.c.day >= start, table.c.day <= end]
    if days is not None:
        where.append(table.c.day.in_(list(days)))
    conn.execute(delete(table).where(*where))
    if rows:
        now = clock.now()
        conn.execute(
            insert(table), [r.as_dict() | {"computed_at": now, "run_id": run_id} for r in rows]
        )


def hospitality_timezones(conn: Connection, venture_ids: Sequence[int] | None) -> dict[int, str]:
    """Timezone of each hospitality venture asked for (all of them when ``None``)."""
    stmt = select(Venture.id, Venture.timezone).where(
        col(Venture.type).in_(sorted(HOSPITALITY_VENTURE_TYPES))
    )
    if venture_ids is not None:
        stmt = stmt.where(col(Venture.id).in_(list(venture_ids)))
    return {int(v): str(tz) for v, tz in conn.execute(stmt)}


def _write_engine(engine: Engine) -> Engine:
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def recompute_days_in(
    conn: Connection, venture_id: int, days: Iterable[date], *, run_id: str | None = None
) -> KpiResult:
    """Recompute the given business dates of one venture inside the caller's transaction (the
    event handlers): one read of the span, one compute, each day written once."""
    wanted = sorted(set(days))
    tzs = hospitality_timezones(conn, [venture_id])
    if not tzs:
        raise ValueError(f"venture {venture_id} is not a hospitality venture")
    if not wanted:
        return KpiResult([], [venture_id], date.min, date.min, run_id)
    start, end = wanted[0], wanted[-1]
    t0 = time.perf_counter()
    _lock_ventures(conn, [venture_id])
    frames = extract_sqlalchemy(conn, [venture_id], start, end, Window.of(tzs, start, end))
    t1 = time.perf_counter()
    keep = set(wanted)
    rows = [r for r in compute_kpi(frames, tzs, start, end) if r.day in keep]
    t2 = time.perf_counter()
    write_rows(conn, rows, [venture_id], start, end, run_id, days=wanted)
    t3 = time.perf_counter()
    return KpiResult(
        rows,
        [venture_id],
        start,
        end,
        run_id,
        frames.height,
        "sqlalchemy",
        {"extract": t1 - t0, "compute": t2 - t1, "write": t3 - t2},
    )


def recompute_kpi_day(
    venture_id: int, day: date, *, run_id: str | None = None, engine: Engine | None = None
) -> KpiResult:
    """Recompute and store one venture's business date (own transaction)."""
    engine = engine or get_engine()
    with _write_engine(engine).begin() as conn:
        return recompute_days_in(conn, venture_id, [day], run_id=run_id)


def backfill_kpi(
    venture_ids: Sequence[int] | None,
    start: date,
    end: date,
    *,
    run_id: str | None = None,
    engine: Engine | None = None,
) -> KpiResult:
    """Recompute and store every (venture, day) of [start, end] for the given hospitality
    ventures (all when ``None``): narrow reads into Polars, compute there, one delete + one
    insert, one transaction."""
    if end < start:
        raise ValueError("end is before start")
    engine = engine or get_engine()
    with _write_engine(engine).begin() as conn:
        t0 = time.perf_counter()
        tzs = hospitality_timezones(conn, venture_ids)
        ids = sorted(tzs)
        if not ids:
            return KpiResult([], [], start, end, run_id)
        _lock_ventures(conn, ids)
        window = Window.of(tzs, start, end)
        reader = "connectorx" if engine.dialect.name == "postgresql" else "sqlite3"
        frames = extract_frames(engine, conn, ids, start, end, window)
        t1 = time.perf_counter()
        rows = compute_kpi(frames, tzs, start, end)
        t2 = time.perf_counter()
        write_rows(conn, rows, ids, start, end, run_id)
        t3 = time.perf_counter()
    timings = {"extract": t1 - t0, "compute": t2 - t1, "write": t3 - t2}
    return KpiResult(rows, ids, start, end, run_id, frames.height, reader, timings)
