"""Freight's incentive metrics (spec/incentives.md, metric registry).

Source rows on business date D: the venture's loads with status DELIVERED and ``billing_date``
= D, credited to the load's sales user. One narrow read (covered by the index
``ix_freight_load_venture_billing``) feeds the four metrics; money comes as integer cents.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Integer, cast, func, select
from sqlmodel import col

from domain.analytics.reader import read_frame
from domain.freight.models import Load, LoadStatus
from domain.jobs.hashing import TableInputs, table_inputs
from domain.verticals import Metric, MetricSource


def _cents(column: Any) -> Any:
    return cast(func.round(func.coalesce(column, 0) * 100), Integer)


def _where(venture_id: int, start: date, end: date) -> tuple[Any, ...]:
    return (
        col(Load.venture_id) == venture_id,
        col(Load.billing_date) >= start,
        col(Load.billing_date) <= end,
        col(Load.status) == LoadStatus.DELIVERED,
    )


SCHEMA = {
    "item_id": pl.Int64,
    "user_id": pl.Int64,
    "day": pl.Date,
    "bill_cents": pl.Int64,
    "cost_cents": pl.Int64,
    "miles": pl.Int64,
}


# SQLite: the same read as one CSV text (``group_concat``) parsed by Polars, as the KPI
# extract does (domain/freight/kpi.py): at the large size, fetching 120,000 rows of a 90-day
# backfill as Python tuples through SQLAlchemy took 3-4x longer than the text.
_SQLITE_CSV = (
    "SELECT group_concat(id || ',' || sales_user_id || ',' || billing_date || ',' || "
    "CAST(round(coalesce(bill_amount, 0) * 100) AS INTEGER) || ',' || "
    "CAST(round(coalesce(cost_amount, 0) * 100) AS INTEGER) || ',' || coalesce(miles, 0), "
    "char(10)) FROM freight_load "
    "WHERE venture_id = ? AND billing_date >= ? AND billing_date <= ? AND status = ?"
)


def _read_sqlite(
    bind: Engine | Connection, venture_id: int, start: date, end: date
) -> pl.DataFrame:
    import io

    def csv(conn: Connection) -> str | None:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        try:
            args = (int(venture_id), start.isoformat(), end.isoformat(), LoadStatus.DELIVERED.name)
            found: str | None = cursor.execute(_SQLITE_CSV, args).fetchone()[0]
            return found
        finally:
            cursor.close()

    if isinstance(bind, Connection):  # a caller's connection: read inside its transaction
        text = csv(bind)
    else:
        with bind.connect() as conn:
            text = csv(conn)
    if not text:
        return pl.DataFrame(schema=SCHEMA)
    return pl.read_csv(io.StringIO(text), has_header=False, new_columns=list(SCHEMA), schema=SCHEMA)


def read_delivered(
    engine: Engine, venture_id: int, start: date, end: date, conn: Connection | None = None
) -> pl.DataFrame:
    if engine.dialect.name == "sqlite":
        return _with_margin(_read_sqlite(conn or engine, venture_id, start, end))
    stmt = select(
        col(Load.id).label("item_id"),
        col(Load.sales_user_id).label("user_id"),
        col(Load.billing_date).label("day"),
        _cents(Load.bill_amount).label("bill_cents"),
        _cents(Load.cost_amount).label("cost_cents"),
        func.coalesce(Load.miles, 0).label("miles"),
    ).where(*_where(venture_id, start, end))
    df = read_frame(stmt, engine=engine, conn=conn)
    if df.height == 0:
        df = pl.DataFrame(schema=SCHEMA)
    return _with_margin(df)


def _with_margin(df: pl.DataFrame) -> pl.DataFrame:
    return df.select(
        pl.col("item_id").cast(pl.Int64),
        pl.col("user_id").cast(pl.Int64),
        pl.col("day").cast(pl.Date),
        pl.col("bill_cents").cast(pl.Int64),
        pl.col("cost_cents").cast(pl.Int64),
        pl.col("miles").cast(pl.Int64),
    ).with_columns(margin_cents=pl.col("bill_cents") - pl.col("cost_cents"))


def delivered_inputs(engine: Engine, venture_id: int, start: date, end: date) -> list[TableInputs]:
    """Every column a metric reads, per load: an edited amount or a re-dated billing changes it."""
    stmt = select(
        col(Load.id),
        col(Load.sales_user_id),
        col(Load.billing_date),
        col(Load.status),
        col(Load.bill_amount),
        col(Load.cost_amount),
        col(Load.miles),
    ).where(*_where(venture_id, start, end))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    return [table_inputs("freight_load", rows)]


def load_labels(engine: Engine, keys: list[str]) -> dict[str, tuple[str, int | None]]:
    """``"load AFL-0001234"`` and the credited sales user of each load id (explain names the
    loads that changed between two runs by their reference, never by id)."""
    ids = sorted({int(k) for k in keys if str(k).isdigit()})
    if not ids:
        return {}
    stmt = select(col(Load.id), col(Load.reference), col(Load.sales_user_id)).where(
        col(Load.id).in_(ids)
    )
    with engine.connect() as conn:
        return {str(i): (f"load {ref}", u) for i, ref, u in conn.execute(stmt)}


DELIVERED_LOADS = MetricSource(
    key="freight.delivered_loads",
    vertical="freight",
    title="Delivered loads by billing date, credited to the sales user",
    metrics=(
        Metric("loads_delivered", "Loads delivered"),
        Metric("load_revenue", "Load revenue", "bill_cents", 100, is_money=True),
        Metric("load_margin", "Load margin", "margin_cents", 100, is_money=True),
        Metric("load_miles", "Load miles", "miles"),
    ),
    read=read_delivered,
    inputs=delivered_inputs,
    item_facts=True,
    table="freight_load",
    row_labels=load_labels,
)
