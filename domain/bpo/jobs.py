"""What BPO gives the shared jobs: BpoKpiDaily for kpi-aggregate. The jobs know neither BPO nor
its tables; they iterate the manifests.

The canonical KPI rows name the venture by code (ids differ between databases) and leave out
``id``, ``run_id`` and ``computed_at``, so a run's output hash depends on the numbers only.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import col

from domain import clock
from domain.analytics import kpi_jobs
from domain.bpo.models import BPO_VENTURE_TYPES, BpoCallLog, BpoKpiDaily, BpoKpiRecord
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import Venture
from domain.verticals import KpiComputed, KpiSource

KPI_COLUMNS = (
    "dials",
    "connects",
    "connect_rate",
    "talk_minutes",
    "avg_handle_seconds",
    "appointments",
    "deals",
    "conversion",
    "revenue",
    "avg_qa",
)


def _canonical(row: dict[str, Any], codes: dict[int, str]) -> dict[str, Any]:
    return kpi_jobs.canonical_row(row, codes, KPI_COLUMNS)


def compute_kpi_day(
    engine: Engine, codes: dict[int, str], day: date, run_id: str | None, dry_run: bool
) -> KpiComputed:
    """BpoKpiDaily of ``day`` for the ventures of ``codes``: a live run goes the span path
    (``kpi.backfill_in``: the ventures locked, Polars, the day replaced in one transaction); a
    dry run (verify) computes it again by the handlers' reader (``read_day``) and writes nothing,
    so a verification also holds the two readers to the same rows."""
    from domain.bpo import kpi

    rows: list[dict[str, Any]] = []
    if dry_run:
        with engine.connect() as conn:
            for vid, tz in sorted(kpi.bpo_timezones(conn, sorted(codes)).items()):
                if row := kpi.read_day(conn, vid, tz, day):
                    rows.append(_canonical(row.as_dict(), codes))
        return KpiComputed(rows, len(rows), "sqlalchemy (dry run)")
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        result = kpi.backfill_in(conn, sorted(codes), day, day, run_id=run_id)
    rows = [_canonical(row.as_dict(), codes) for row in result.rows]
    return KpiComputed(rows, result.rows_read, result.reader, result.timings)


def stored_kpi_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """The rows of BpoKpiDaily a run wrote, canonically."""
    return kpi_jobs.stored_rows(engine, BpoKpiDaily, KPI_COLUMNS, run_id)


def kpi_history(
    engine: Engine, venture_ids: list[int], day: date, days: int = 30
) -> list[dict[str, Any]]:
    """BpoKpiDaily of the ``days`` days up to ``day`` (the notebook's charts)."""
    start = day - timedelta(days=days - 1)
    K = BpoKpiDaily
    with engine.connect() as conn:
        rows = conn.execute(
            select(col(Venture.code), col(K.day), col(K.deals), col(K.revenue))
            .join(Venture, col(Venture.id) == K.venture_id)
            .where(col(K.venture_id).in_(venture_ids), col(K.day) >= start, col(K.day) <= day)
            .order_by(col(Venture.code), col(K.day))
        ).all()
    return [{"venture": c, "day": d, "deals": n, "revenue": rev} for c, d, n, rev in rows]


def kpi_inputs(engine: Engine, venture_ids: list[int], day: date) -> list[TableInputs]:
    """Fingerprint of every row the KPI of ``day`` reads (the same reads as the KPI)."""
    from domain.bpo import kpi

    calls: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    with engine.connect() as conn:
        c = BpoCallLog.__table__  # type: ignore[attr-defined]
        r = BpoKpiRecord.__table__  # type: ignore[attr-defined]
        for vid, tz in sorted(kpi.bpo_timezones(conn, venture_ids).items()):
            start, end = clock.day_bounds_utc(day, tz)
            calls += [
                dict(m)
                for m in conn.execute(
                    c.select().where(
                        c.c.venture_id == vid, c.c.started_at >= start, c.c.started_at < end
                    )
                ).mappings()
            ]
            records += [
                dict(m)
                for m in conn.execute(
                    r.select().where(r.c.venture_id == vid, r.c.day == day)
                ).mappings()
            ]
    return [table_inputs("bpo_call_log", calls), table_inputs("bpo_kpi_record", records)]


def summarize_kpi(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "dials": sum(r["dials"] for r in rows),
        "deals": sum(r["deals"] for r in rows),
        "revenue": str(sum((r["revenue"] for r in rows), Decimal("0.00"))),
    }


BPO_KPI = KpiSource(
    key="bpo",
    table="BpoKpiDaily",
    venture_types=BPO_VENTURE_TYPES,
    compute=compute_kpi_day,
    stored_rows=stored_kpi_rows,
    inputs=kpi_inputs,
    history=kpi_history,
    summarize=summarize_kpi,
    charts=(("deals", "Deals per day"), ("revenue", "Call revenue per day")),
)
