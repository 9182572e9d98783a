"""What hospitality gives the shared jobs: its KPI table for kpi-aggregate. The jobs know neither
hospitality nor its tables; they iterate the manifests.

The canonical KPI rows name the venture by code (ids differ between databases) and leave out
``id``, ``run_id`` and ``computed_at``, so a run's output hash depends on the numbers only.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from domain.analytics import kpi_jobs
from domain.hospitality.models import (
    HOSPITALITY_VENTURE_TYPES,
    HospitalityKpiDaily,
    HotelDispute,
    HotelKpiDaily,
    HotelReview,
)
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import Venture
from domain.verticals import KpiComputed, KpiSource

KPI_COLUMNS = (
    "hotels_reporting",
    "rooms_available",
    "rooms_sold",
    "room_revenue",
    "other_revenue",
    "total_revenue",
    "occupancy",
    "adr",
    "revpar",
    "reviews_received",
    "reviews_responded",
    "average_rating",
    "disputes_opened",
    "disputes_won",
    "amount_recovered",
)


def _canonical(row: dict[str, Any], codes: dict[int, str]) -> dict[str, Any]:
    return kpi_jobs.canonical_row(row, codes, KPI_COLUMNS)


def compute_kpi_day(
    engine: Engine, codes: dict[int, str], day: date, run_id: str | None, dry_run: bool
) -> KpiComputed:
    """HospitalityKpiDaily of ``day`` for the ventures of ``codes``: written through
    ``backfill_kpi``, or computed by the same pure ``compute_kpi`` and not written."""
    from domain.hospitality import kpi

    ids = sorted(codes)
    if dry_run:
        with engine.connect() as conn:
            tzs = kpi.hospitality_timezones(conn, ids)
            frames = kpi.extract_sqlalchemy(conn, ids, day, day, kpi.Window.of(tzs, day, day))
        computed = kpi.compute_kpi(frames, tzs, day, day)
        rows = [_canonical(r.as_dict(), codes) for r in computed]
        return KpiComputed(rows, frames.height, "sqlalchemy (dry run)")
    result = kpi.backfill_kpi(ids, day, day, run_id=run_id, engine=engine)
    return KpiComputed(
        [_canonical(r.as_dict(), codes) for r in result.rows],
        result.rows_read,
        result.reader,
        dict(result.timings),
    )


def stored_kpi_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """The rows of HospitalityKpiDaily a run wrote, canonically."""
    return kpi_jobs.stored_rows(engine, HospitalityKpiDaily, KPI_COLUMNS, run_id)


def kpi_history(
    engine: Engine, venture_ids: list[int], day: date, days: int = 30
) -> list[dict[str, Any]]:
    """HospitalityKpiDaily of the ``days`` days up to ``day`` (the notebook's charts)."""
    start = day - timedelta(days=days - 1)
    K = HospitalityKpiDaily
    with engine.connect() as conn:
        rows = conn.execute(
            select(col(Venture.code), col(K.day), col(K.total_revenue), col(K.revpar))
            .join(Venture, col(Venture.id) == K.venture_id)
            .where(col(K.venture_id).in_(venture_ids), col(K.day) >= start, col(K.day) <= day)
            .order_by(col(Venture.code), col(K.day))
        ).all()
    return [
        {"venture": c, "day": d, "total_revenue": rev, "revpar": revpar or Decimal("0.00")}
        for c, d, rev, revpar in rows
    ]


def kpi_inputs(engine: Engine, venture_ids: list[int], day: date) -> list[TableInputs]:
    """Fingerprint of every row the KPI of ``day`` reads (the same reads as the KPI)."""
    from domain.hospitality import kpi

    out: list[TableInputs] = []
    with engine.connect() as conn:
        tzs = kpi.hospitality_timezones(conn, venture_ids)
        if not tzs:
            return [
                table_inputs(t, []) for t in ("hotel_kpi_daily", "hotel_review", "hotel_dispute")
            ]
        stmts = kpi.kpi_statements(sorted(tzs), day, day, kpi.Window.of(tzs, day, day))
        ids = sorted(tzs)
        k = HotelKpiDaily.__table__  # type: ignore[attr-defined]
        hotel_rows = conn.execute(k.select().where(k.c.venture_id.in_(ids), k.c.day == day))
        out.append(table_inputs("hotel_kpi_daily", [dict(r) for r in hotel_rows.mappings()]))
        review_ids = {
            r[0]
            for stmt in (stmts["received"], stmts["responded"])
            for r in conn.execute(stmt.with_only_columns(col(HotelReview.id)))
        }
        r_t = HotelReview.__table__  # type: ignore[attr-defined]
        reviews = conn.execute(r_t.select().where(r_t.c.id.in_(sorted(review_ids))))
        out.append(table_inputs("hotel_review", [dict(r) for r in reviews.mappings()]))
        dispute_ids = {
            r[0]
            for stmt in (stmts["opened"], stmts["won"])
            for r in conn.execute(stmt.with_only_columns(col(HotelDispute.id)))
        }
        d_t = HotelDispute.__table__  # type: ignore[attr-defined]
        disputes = conn.execute(d_t.select().where(d_t.c.id.in_(sorted(dispute_ids))))
        out.append(table_inputs("hotel_dispute", [dict(r) for r in disputes.mappings()]))
    return out


def summarize_kpi(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def total(name: str) -> Any:
        money = name in ("total_revenue", "room_revenue", "amount_recovered")
        return sum((r[name] for r in rows), Decimal("0.00") if money else 0)

    return {
        "rooms_sold": total("rooms_sold"),
        "total_revenue": str(total("total_revenue")),
        "reviews_responded": total("reviews_responded"),
        "disputes_won": total("disputes_won"),
    }


HOSPITALITY_KPI = KpiSource(
    key="hospitality",
    table="HospitalityKpiDaily",
    venture_types=HOSPITALITY_VENTURE_TYPES,
    compute=compute_kpi_day,
    stored_rows=stored_kpi_rows,
    inputs=kpi_inputs,
    history=kpi_history,
    summarize=summarize_kpi,
    charts=(("total_revenue", "Hotel revenue per day"), ("revpar", "RevPAR per day")),
)
