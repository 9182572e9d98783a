"""What SaaS gives the shared jobs: SaasMrrDaily for kpi-aggregate (the jobs iterate the
manifests and know no wing). Canonical rows name the venture by code and leave out ``id``,
``run_id`` and ``computed_at``, so a run's output hash depends on the numbers only."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlmodel import col

from domain.analytics import kpi_jobs
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import Venture
from domain.saas.models import SAAS_VENTURE_TYPES, SaasMrrDaily, SaasSubscription
from domain.verticals import KpiComputed, KpiSource

KPI_COLUMNS = ("mrr", "customers", "active_subscriptions")


def _saas_ids(conn: Connection, ids: list[int]) -> list[int]:
    return kpi_jobs.ventures_of_types(conn, ids, SAAS_VENTURE_TYPES)


def _canonical(row: dict[str, Any], codes: dict[int, str]) -> dict[str, Any]:
    return kpi_jobs.canonical_row(row, codes, KPI_COLUMNS)


def compute_kpi_day(
    engine: Engine, codes: dict[int, str], day: date, run_id: str | None, dry_run: bool
) -> KpiComputed:
    """SaasMrrDaily of ``day`` for the SaaS ventures of ``codes`` (each replaced under the
    venture's lock), or computed by the same ``compute_days`` and not written."""
    from domain.saas import kpi

    rows: list[dict[str, Any]] = []
    if dry_run:
        with engine.connect() as conn:
            for vid in _saas_ids(conn, sorted(codes)):
                for r in kpi.compute_days(vid, kpi._subs(conn, vid, day, day), [day]):
                    rows.append(_canonical(r.as_dict(), codes))
        return KpiComputed(rows, len(rows), "sqlalchemy (dry run)")
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        for vid in _saas_ids(conn, sorted(codes)):
            for r in kpi.recompute_days_in(conn, vid, [day], run_id=run_id):
                rows.append(_canonical(r.as_dict(), codes))
    return KpiComputed(rows, len(rows), "sqlalchemy")


def stored_kpi_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """The rows of SaasMrrDaily a run wrote, canonically."""
    return kpi_jobs.stored_rows(engine, SaasMrrDaily, KPI_COLUMNS, run_id)


def kpi_history(
    engine: Engine, venture_ids: list[int], day: date, days: int = 30
) -> list[dict[str, Any]]:
    """SaasMrrDaily of the ``days`` days up to ``day`` (the notebook's chart)."""
    start = day - timedelta(days=days - 1)
    K = SaasMrrDaily
    with engine.connect() as conn:
        rows = conn.execute(
            select(col(Venture.code), col(K.day), col(K.mrr), col(K.customers))
            .join(Venture, col(Venture.id) == K.venture_id)
            .where(col(K.venture_id).in_(venture_ids), col(K.day) >= start, col(K.day) <= day)
            .order_by(col(Venture.code), col(K.day))
        ).all()
    return [{"venture": c, "day": d, "mrr": m, "customers": n} for c, d, m, n in rows]


def kpi_inputs(engine: Engine, venture_ids: list[int], day: date) -> list[TableInputs]:
    """Fingerprint of the subscriptions the MRR of ``day`` reads."""
    s = SaasSubscription.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        subs = [
            dict(m)
            for m in conn.execute(
                s.select().where(
                    s.c.venture_id.in_(_saas_ids(conn, venture_ids)),
                    s.c.started_at <= day,
                    s.c.cancelled_at.is_(None) | (s.c.cancelled_at >= day),
                )
            ).mappings()
        ]
    return [table_inputs("saas_subscription", subs)]


def summarize_kpi(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "ventures": len(rows),
        "customers": sum(r["customers"] for r in rows),
        "mrr": str(sum((r["mrr"] for r in rows), Decimal("0.00"))),  # one currency per venture
    }


SAAS_KPI = KpiSource(
    key="saas",
    table="SaasMrrDaily",
    venture_types=SAAS_VENTURE_TYPES,
    compute=compute_kpi_day,
    stored_rows=stored_kpi_rows,
    inputs=kpi_inputs,
    history=kpi_history,
    summarize=summarize_kpi,
    charts=(("mrr", "MRR per day"),),
)
