"""Hospitality's incentive metrics (spec/incentives.md, metric registry).

- ``hotel_reviews_responded``: reviews first answered on business date D, credited to who
  answered (the responder stamped by the first non-empty response);
- ``hotel_disputes_won`` and ``hotel_dispute_recovered``: disputes resolved WON on D, credited
  to the dispute's owner (else whoever resolved it), and their amounts (integer cents).

Each source is one narrow read of the venture's rows in the UTC span of [start, end]; business
dates are computed in Polars with the venture's timezone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Integer, cast, func, select
from sqlmodel import col

from domain import clock
from domain.analytics.reader import read_frame
from domain.hospitality.models import DisputeStatus, HotelDispute, HotelReview
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import Venture
from domain.verticals import Metric, MetricSource

REVIEW_SCHEMA = {"item_id": pl.Int64, "user_id": pl.Int64, "day": pl.Date}
DISPUTE_SCHEMA = REVIEW_SCHEMA | {"recovered_cents": pl.Int64}


def _tz(bind: Engine | Connection, venture_id: int) -> str:
    def read(conn: Connection) -> str:
        return str(
            conn.execute(
                select(col(Venture.timezone)).where(col(Venture.id) == venture_id)
            ).scalar_one()
        )

    if isinstance(bind, Connection):
        return read(bind)
    with bind.connect() as conn:
        return read(conn)


def _span(tz: str, start: date, end: date) -> tuple[Any, Any]:
    return clock.day_bounds_utc(start, tz)[0], clock.day_bounds_utc(end, tz)[1]


def _days(
    df: pl.DataFrame, tz: str, start: date, end: date, schema: dict[str, Any]
) -> pl.DataFrame:
    if df.height == 0:
        return pl.DataFrame(schema=schema)
    at = pl.col("at")
    if isinstance(df.schema["at"], pl.Datetime):
        at = at.dt.replace_time_zone("UTC") if df.schema["at"].time_zone is None else at
    else:
        at = at.cast(pl.String).str.slice(0, 26).str.to_datetime(time_unit="us")
        at = at.dt.replace_time_zone("UTC")
    out = df.with_columns(at.dt.convert_time_zone(tz).dt.date().alias("day")).filter(
        pl.col("day").is_between(start, end, closed="both")
    )
    return out.select([pl.col(n).cast(t) for n, t in schema.items()])


def _review_stmt(venture_id: int, lo: Any, hi: Any) -> Any:
    return select(
        col(HotelReview.id).label("item_id"),
        col(HotelReview.responded_by_id).label("user_id"),
        col(HotelReview.responded_at).label("at"),
    ).where(
        col(HotelReview.venture_id) == venture_id,
        col(HotelReview.responded_at) >= lo,
        col(HotelReview.responded_at) < hi,
        col(HotelReview.responded_by_id).is_not(None),
    )


def read_responded(
    engine: Engine, venture_id: int, start: date, end: date, conn: Connection | None = None
) -> pl.DataFrame:
    tz = _tz(conn or engine, venture_id)
    lo, hi = _span(tz, start, end)
    df = read_frame(_review_stmt(venture_id, lo, hi), engine=engine, conn=conn)
    return _days(df, tz, start, end, REVIEW_SCHEMA)


def _dispute_stmt(venture_id: int, lo: Any, hi: Any) -> Any:
    D = HotelDispute
    return select(
        col(D.id).label("item_id"),
        func.coalesce(D.owner_id, D.resolved_by_id).label("user_id"),
        col(D.resolved_at).label("at"),
        cast(func.round(func.coalesce(D.amount, 0) * 100), Integer).label("recovered_cents"),
    ).where(
        col(D.venture_id) == venture_id,
        col(D.resolved_at) >= lo,
        col(D.resolved_at) < hi,
        col(D.status) == DisputeStatus.WON,
    )


def read_won(
    engine: Engine, venture_id: int, start: date, end: date, conn: Connection | None = None
) -> pl.DataFrame:
    tz = _tz(conn or engine, venture_id)
    lo, hi = _span(tz, start, end)
    df = read_frame(_dispute_stmt(venture_id, lo, hi), engine=engine, conn=conn)
    return _days(df, tz, start, end, DISPUTE_SCHEMA)


def _inputs(engine: Engine, stmt: Any, table: str) -> list[TableInputs]:
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    return [table_inputs(table, rows)]


def responded_inputs(engine: Engine, venture_id: int, start: date, end: date) -> list[TableInputs]:
    lo, hi = _span(_tz(engine, venture_id), start, end)
    return _inputs(engine, _review_stmt(venture_id, lo, hi), "hotel_review")


def won_inputs(engine: Engine, venture_id: int, start: date, end: date) -> list[TableInputs]:
    lo, hi = _span(_tz(engine, venture_id), start, end)
    return _inputs(engine, _dispute_stmt(venture_id, lo, hi), "hotel_dispute")


REVIEWS_RESPONDED = MetricSource(
    key="hospitality.reviews_responded",
    vertical="hospitality",
    title="Reviews first answered, credited to who answered",
    metrics=(Metric("hotel_reviews_responded", "Hotel reviews answered"),),
    read=read_responded,
    inputs=responded_inputs,
)

DISPUTES_WON = MetricSource(
    key="hospitality.disputes_won",
    vertical="hospitality",
    title="Disputes resolved WON, credited to the owner (else the resolver)",
    metrics=(
        Metric("hotel_disputes_won", "Hotel disputes won"),
        Metric(
            "hotel_dispute_recovered", "Amount recovered", "recovered_cents", 100, is_money=True
        ),
    ),
    read=read_won,
    inputs=won_inputs,
)
