"""BPO's incentive metrics (spec/incentives.md, metric registry): over the call logs whose
``started_at`` falls on business date D in the venture's timezone, credited to the agent's user.

- ``bpo_dials``: sum of dial_count; ``bpo_connects``: connected calls; ``bpo_talk_minutes``: sum
  of talk seconds / 60; ``bpo_appointments``, ``bpo_deals``: calls with an appointment set, a
  deal won; ``bpo_revenue``: sum of revenue (integer cents until the one exact division).

One read of the venture's calls in the UTC span of [start, end] through SQLAlchemy's typed
columns (aware UTC instants on both databases), business dates and talk seconds computed here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, select
from sqlmodel import col

from domain import clock
from domain.bpo.models import BpoAgent, BpoCallLog
from domain.bpo.rules import talk_seconds
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import Venture
from domain.verticals import Metric, MetricSource

SCHEMA = {
    "item_id": pl.Int64,
    "user_id": pl.Int64,
    "day": pl.Date,
    "dials": pl.Int64,
    "connects": pl.Int64,
    "talk_seconds": pl.Int64,
    "appointments": pl.Int64,
    "deals": pl.Int64,
    "revenue_cents": pl.Int64,
}


def _stmt(venture_id: int, lo: Any, hi: Any) -> Any:
    C = BpoCallLog
    return (
        select(
            col(C.id),
            col(BpoAgent.user_id),
            col(C.started_at),
            col(C.ended_at),
            col(C.dial_count),
            col(C.connected),
            col(C.appointment_set),
            col(C.deal_won),
            col(C.revenue),
        )
        .join(BpoAgent, col(BpoAgent.id) == C.agent_id)
        .where(col(C.venture_id) == venture_id, col(C.started_at) >= lo, col(C.started_at) < hi)
    )


def _read(conn: Connection, venture_id: int, start: date, end: date) -> pl.DataFrame:
    tz = str(
        conn.execute(
            select(col(Venture.timezone)).where(col(Venture.id) == venture_id)
        ).scalar_one()
    )
    lo, hi = clock.day_bounds_utc(start, tz)[0], clock.day_bounds_utc(end, tz)[1]
    rows = [
        {
            "item_id": cid,
            "user_id": uid,
            "day": clock.business_date(s, tz),
            "dials": dials,
            "connects": int(connected),
            "talk_seconds": talk_seconds(s, e),
            "appointments": int(appt),
            "deals": int(won),
            "revenue_cents": int(rev * 100),
        }
        for cid, uid, s, e, dials, connected, appt, won, rev in conn.execute(
            _stmt(venture_id, lo, hi)
        )
    ]
    return pl.DataFrame(rows, schema=SCHEMA)


def read_calls(
    engine: Engine, venture_id: int, start: date, end: date, conn: Connection | None = None
) -> pl.DataFrame:
    if conn is not None:
        return _read(conn, venture_id, start, end)
    with engine.connect() as own:
        return _read(own, venture_id, start, end)


def calls_inputs(engine: Engine, venture_id: int, start: date, end: date) -> list[TableInputs]:
    with engine.connect() as conn:
        df = _read(conn, venture_id, start, end)
    return [table_inputs("bpo_call_log", df.to_dicts(), key="item_id")]


CALLS = MetricSource(
    key="bpo.calls",
    vertical="bpo",
    title="Call logs started on the day, credited to the agent's user",
    metrics=(
        Metric("bpo_dials", "Dials", "dials"),
        Metric("bpo_connects", "Connects", "connects"),
        Metric("bpo_talk_minutes", "Talk minutes", "talk_seconds", 60),
        Metric("bpo_appointments", "Appointments", "appointments"),
        Metric("bpo_deals", "Deals", "deals"),
        Metric("bpo_revenue", "Call revenue", "revenue_cents", 100, is_money=True),
    ),
    read=read_calls,
    inputs=calls_inputs,
    table="bpo_call_log",
)
