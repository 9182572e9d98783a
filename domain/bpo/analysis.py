"""BPO reads for analysts (notebooks/analysis/bpo_funnel.ipynb): a scoped select of call logs for
``domain.analytics``, and the funnel by any grouping with the wing's ratios of sums.

``call_facts`` returns a narrow SQLAlchemy select of the call logs the actor reads (the rule of
``list_calls``: managers the calls of their ventures, narrowed to their offices' campaigns for
roles with assigned offices; an agent only their own), with the campaign, the agent's name and
email, the counts as 0/1 integers and revenue as integer cents. ``frame`` types what the reader
gave and adds each call's business date (its venture's timezone) and keeps [start, end].
``funnel`` sums per group and takes the ratios **of the sums** (spec/operations.md, BPO: connect
rate = connects / dials, conversion = deals / connects; appointment rate = appointments /
connects), a zero denominator giving null, never 0 or NaN.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
from sqlalchemy import BigInteger, Integer, cast, func, literal_column, select
from sqlalchemy.sql import Select
from sqlmodel import col

from domain import clock
from domain.access.actor import Actor
from domain.bpo.access import call_clause
from domain.bpo.kpi import TS, normalize, with_business_day
from domain.bpo.models import BPO_VENTURE_TYPES, BpoAgent, BpoCallLog, BpoCampaign
from domain.db import UnitOfWork
from domain.org.models import User, Venture

MONEY = pl.Decimal(38, 2)
SCHEMA: dict[str, Any] = {
    "venture_id": pl.Int64,
    "venture": pl.String,
    "currency": pl.String,
    "timezone": pl.String,
    "campaign": pl.String,
    "agent": pl.String,
    "agent_email": pl.String,
    "started_at": TS,
    "dials": pl.Int64,
    "connects": pl.Int64,
    "appointments": pl.Int64,
    "deals": pl.Int64,
    "revenue_c": pl.Int64,
}


def call_facts(
    uow: UnitOfWork, actor: Actor, *, start: date, end: date, venture: str = "all"
) -> Select[Any]:
    """Call logs the actor reads that may fall on [start, end] (the UTC span of those dates in
    every BPO timezone; ``frame`` keeps the exact business dates). ``venture`` narrows to one
    venture code (one out of scope matches nothing)."""
    actor.require("bpo.calls.read")
    kind = Integer if uow.session.get_bind().dialect.name == "sqlite" else BigInteger
    zones = set(
        uow.session.execute(
            select(col(Venture.timezone)).where(col(Venture.type).in_(sorted(BPO_VENTURE_TYPES)))
        ).scalars()
    ) or {"UTC"}
    lo = min(clock.day_bounds_utc(start, tz)[0] for tz in zones)
    hi = max(clock.day_bounds_utc(end, tz)[1] for tz in zones)
    C = BpoCallLog

    def flag(column: Any) -> Any:
        return cast(col(column), Integer)  # boolean -> 0/1 (PostgreSQL casts it to int4 only)

    stmt = (
        select(
            col(C.venture_id),
            col(Venture.code).label("venture"),
            col(Venture.currency).label("currency"),
            col(Venture.timezone).label("timezone"),
            col(BpoCampaign.name).label("campaign"),
            col(User.name).label("agent"),
            col(User.email).label("agent_email"),
            col(C.started_at),
            col(C.dial_count).label("dials"),
            flag(C.connected).label("connects"),
            flag(C.appointment_set).label("appointments"),
            flag(C.deal_won).label("deals"),
            func.coalesce(cast(func.round(col(C.revenue) * literal_column("100")), kind), 0).label(
                "revenue_c"
            ),
        )
        .join(Venture, col(Venture.id) == C.venture_id)
        .join(BpoCampaign, col(BpoCampaign.id) == C.campaign_id)
        .join(BpoAgent, col(BpoAgent.id) == C.agent_id)
        .join(User, col(User.id) == BpoAgent.user_id)
        .where(col(C.started_at) >= lo, col(C.started_at) < hi, call_clause(uow, actor))
    )
    if venture != "all":
        stmt = stmt.where(col(Venture.code) == venture.strip().upper())
    return stmt


def frame(calls: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """The read typed (``SCHEMA``), each call's business date ``day`` added, [start, end] kept."""
    typed = normalize(calls, SCHEMA)
    zones = dict(typed.select("venture_id", "timezone").unique().iter_rows())
    return with_business_day(typed, zones).filter(pl.col("day").is_between(start, end))


def _rate(num: str, den: str) -> pl.Expr:
    return pl.when(pl.col(den) > 0).then((pl.col(num) / pl.col(den)).round(6)).otherwise(None)


def funnel(calls: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Dials -> connects -> appointments -> deals per ``by`` (keep ``currency`` in it whenever
    ventures of two currencies are summed), with the ratios of the sums and revenue as an exact
    decimal. Sorted by deals, most first."""
    return (
        calls.group_by(by)
        .agg(
            pl.len().alias("calls"),
            pl.col("dials").sum(),
            pl.col("connects").sum(),
            pl.col("appointments").sum(),
            pl.col("deals").sum(),
            pl.col("revenue_c").sum(),
        )
        .with_columns(
            _rate("connects", "dials").alias("connect_rate"),
            _rate("appointments", "connects").alias("appointment_rate"),
            _rate("deals", "connects").alias("conversion"),
            (pl.col("revenue_c").cast(MONEY) / 100).alias("revenue"),
        )
        .drop("revenue_c")
        .sort(["deals", *by], descending=[True, *([False] * len(by))])
    )


def by_week(calls: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """``funnel`` per ``by`` and week (weeks starting Monday), oldest week first."""
    weekly = calls.with_columns(pl.col("day").dt.truncate("1w").alias("week"))
    return funnel(weekly, [*by, "week"]).sort([*by, "week"])


def default_range(end: date, days: int = 90) -> tuple[date, date]:
    return end - timedelta(days=days - 1), end
