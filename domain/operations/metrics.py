"""Operations' incentive metric (spec/incentives.md, metric registry): ``tasks_completed``.

Source rows on business date D: the venture's tasks with status DONE whose first completion
(``completed_on``, the business date of ``completed_at`` in the venture's timezone) is D,
credited to the assignee. One narrow read covered by ``ix_operations_task_venture_completed``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, select
from sqlmodel import col

from domain.analytics.reader import read_frame
from domain.jobs.hashing import TableInputs, table_inputs
from domain.operations.models import Task, TaskStatus
from domain.verticals import Metric, MetricSource

SCHEMA = {"item_id": pl.Int64, "user_id": pl.Int64, "day": pl.Date}


def _where(venture_id: int, start: date, end: date) -> tuple[Any, ...]:
    return (
        col(Task.venture_id) == venture_id,
        col(Task.completed_on) >= start,
        col(Task.completed_on) <= end,
        col(Task.status) == TaskStatus.DONE,
    )


def read_completed(
    engine: Engine, venture_id: int, start: date, end: date, conn: Connection | None = None
) -> pl.DataFrame:
    stmt: Any = select(
        col(Task.id).label("item_id"),
        col(Task.assignee_id).label("user_id"),
        col(Task.completed_on).label("day"),
    ).where(*_where(venture_id, start, end))
    df = read_frame(stmt, engine=engine, conn=conn)
    if df.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    return df.select(
        pl.col("item_id").cast(pl.Int64),
        pl.col("user_id").cast(pl.Int64),
        pl.col("day").cast(pl.Date),
    )


def completed_inputs(engine: Engine, venture_id: int, start: date, end: date) -> list[TableInputs]:
    """Every column the metric reads, per task: a reassigned or reopened task changes it."""
    stmt = select(
        col(Task.id), col(Task.assignee_id), col(Task.completed_on), col(Task.status)
    ).where(*_where(venture_id, start, end))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    return [table_inputs("operations_task", rows)]


COMPLETED_TASKS = MetricSource(
    key="operations.completed_tasks",
    vertical="operations",
    title="Tasks completed by completion date, credited to the assignee",
    metrics=(Metric("tasks_completed", "Tasks completed"),),
    read=read_completed,
    inputs=completed_inputs,
)
