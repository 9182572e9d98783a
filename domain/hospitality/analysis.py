"""Hospitality reads for analysts (notebooks/analysis/): scoped selects for ``domain.analytics``,
and the monthly roll-up of hotel days with the wing's weighted ratios.

``hotel_days`` returns a narrow SQLAlchemy select of the hotel KPI days the actor works with (the
rule of ``list_hotel_kpi``: the hotels of the actor's offices, every office for the roles that
have all), money as integer cents so Polars sums it exactly. ``by_month`` then sums the days per
month and computes the ratios **of the sums** (spec/operations.md: occupancy = sum sold / sum
available, ADR = sum room revenue / sum sold, RevPAR = sum room revenue / sum available; never a
mean of per-hotel or per-day ratios), a zero denominator giving null. Money ratios are rounded
half-up to the cent in integer arithmetic (as ``rules.money_ratio`` does on Decimals).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import BigInteger, Integer, cast, func, literal_column, select
from sqlalchemy.sql import Select
from sqlmodel import col

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.hospitality.access import hotel_office_clause
from domain.hospitality.models import HotelKpiDaily, HotelProperty
from domain.org.models import Venture

MONEY = pl.Decimal(38, 2)


def _cents(column: Any, dialect: str) -> Any:
    kind = Integer if dialect == "sqlite" else BigInteger
    return func.coalesce(cast(func.round(col(column) * literal_column("100")), kind), 0)


def hotel_days(
    uow: UnitOfWork, actor: Actor, *, start: date, end: date, venture: str = "all"
) -> Select[Any]:
    """Hotel KPI days of [start, end] the actor may see: venture code and currency, hotel code,
    name and rooms, the business date, rooms available and sold, room and other revenue in
    cents. ``venture`` narrows to one venture code (one out of scope matches nothing)."""
    actor.require("hospitality.kpi.read")
    dialect = uow.session.get_bind().dialect.name
    K, H = HotelKpiDaily, HotelProperty
    stmt = (
        select(
            col(Venture.code).label("venture"),
            col(Venture.currency).label("currency"),
            col(H.code).label("hotel"),
            col(H.name).label("hotel_name"),
            col(H.rooms).label("rooms"),
            col(K.day),
            col(K.rooms_available).label("available"),
            col(K.rooms_sold).label("sold"),
            _cents(K.room_revenue, dialect).label("room_c"),
            _cents(K.other_revenue, dialect).label("other_c"),
        )
        .join(H, col(H.id) == K.hotel_id)
        .join(Venture, col(Venture.id) == K.venture_id)
        .where(col(K.day) >= start, col(K.day) <= end, hotel_office_clause(uow, actor))
    )
    if venture != "all":
        stmt = stmt.where(col(Venture.code) == venture.strip().upper())
    return stmt


def _half_up_div(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """round(num / den) half-up for non-negative integers, exactly; null when den is 0."""
    return pl.when(den > 0).then((num * 2 + den) // (den * 2)).otherwise(None)


def _money(cents: pl.Expr) -> pl.Expr:
    """Integer cents as an exact decimal amount (Python ``Decimal`` out of the frame)."""
    return cents.cast(MONEY) / 100


def by_month(days: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """The hotel days summed per ``by`` (e.g. ``["venture", "currency", "hotel"]``) and month,
    with the weighted ratios of the sums: ``occupancy`` (0..1, 6 places), ``adr`` and ``revpar``
    (exact decimals to the cent, rounded half-up), null when their denominator is 0. Keep
    ``currency`` in ``by`` whenever hotels of several ventures are summed: amounts of two
    currencies never add.
    """
    return _roll_up(_typed(days).with_columns(pl.col("day").dt.truncate("1mo").alias("month")), by)


def over_range(days: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """``by_month`` over the whole frame as one period (the range's sums, not a mean of its
    months); ``month`` is the first day of the frame."""
    typed = _typed(days)
    return _roll_up(typed.with_columns(pl.col("day").min().alias("month")), by)


def _typed(days: pl.DataFrame) -> pl.DataFrame:
    day = pl.col("day")
    if days.schema["day"] == pl.String:  # SQLite gives dates as ISO text
        day = day.str.to_date("%Y-%m-%d")
    return days.with_columns(
        day.cast(pl.Date),
        *(pl.col(c).cast(pl.Int64) for c in ("available", "sold", "room_c", "other_c")),
    )


def _roll_up(frame: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    sums = frame.group_by([*by, "month"]).agg(
        pl.col("day").n_unique().alias("days"),
        pl.col("available").sum(),
        pl.col("sold").sum(),
        pl.col("room_c").sum(),
        pl.col("other_c").sum(),
    )
    avail, sold, room = pl.col("available"), pl.col("sold"), pl.col("room_c")
    return (
        sums.with_columns(
            pl.when(avail > 0).then((sold / avail).round(6)).otherwise(None).alias("occupancy"),
            _money(_half_up_div(room, sold)).alias("adr"),
            _money(_half_up_div(room, avail)).alias("revpar"),
            _money(room).alias("room_revenue"),
            _money(room + pl.col("other_c")).alias("total_revenue"),
        )
        .drop("room_c", "other_c")
        .sort([*by, "month"])
    )
