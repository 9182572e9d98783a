"""What holdings gives the shared jobs: HoldingsBalanceDaily for kpi-aggregate (the jobs iterate
the manifests and know no wing). Canonical rows name the venture by code and keep the currency
(never a total across currencies); no ``id``, ``run_id`` or ``computed_at``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlmodel import col

from domain.analytics import kpi_jobs
from domain.holdings.models import HOLDINGS_VENTURE_TYPES, BankSnapshot, HoldingsBalanceDaily
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import Venture
from domain.verticals import KpiComputed, KpiSource

KPI_COLUMNS = ("currency", "balance", "accounts")


def _holdings_ids(conn: Connection, ids: list[int]) -> list[int]:
    return kpi_jobs.ventures_of_types(conn, ids, HOLDINGS_VENTURE_TYPES)


def _canonical(row: dict[str, Any], codes: dict[int, str]) -> dict[str, Any]:
    return kpi_jobs.canonical_row(row, codes, KPI_COLUMNS, as_text=("currency",))


def compute_kpi_day(
    engine: Engine, codes: dict[int, str], day: date, run_id: str | None, dry_run: bool
) -> KpiComputed:
    """HoldingsBalanceDaily of ``day`` for the holdings ventures of ``codes`` (each replaced
    under the venture's lock), or computed by the same ``compute_days`` and not written."""
    from domain.holdings import kpi

    rows: list[dict[str, Any]] = []
    if dry_run:
        with engine.connect() as conn:
            for vid in _holdings_ids(conn, sorted(codes)):
                _, currency = kpi._venture(conn, vid)
                snaps = kpi._snapshots(conn, vid, day)
                for r in kpi.compute_days(vid, currency, snaps, [day]):
                    rows.append(_canonical(r.as_dict(), codes))
        return KpiComputed(rows, len(rows), "sqlalchemy (dry run)")
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        for vid in _holdings_ids(conn, sorted(codes)):
            for r in kpi.recompute_days_in(conn, vid, [day], run_id=run_id):
                rows.append(_canonical(r.as_dict(), codes))
    return KpiComputed(rows, len(rows), "sqlalchemy")


def stored_kpi_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """The rows of HoldingsBalanceDaily a run wrote, canonically."""
    return kpi_jobs.stored_rows(
        engine, HoldingsBalanceDaily, KPI_COLUMNS, run_id, as_text=("currency",)
    )


def kpi_history(
    engine: Engine, venture_ids: list[int], day: date, days: int = 30
) -> list[dict[str, Any]]:
    """HoldingsBalanceDaily of the ``days`` days up to ``day``: one series per venture and
    currency (the notebook's chart never adds currencies)."""
    start = day - timedelta(days=days - 1)
    K = HoldingsBalanceDaily
    with engine.connect() as conn:
        rows = conn.execute(
            select(col(Venture.code), col(K.day), col(K.currency), col(K.balance))
            .join(Venture, col(Venture.id) == K.venture_id)
            .where(
                col(K.venture_id).in_(venture_ids),
                col(K.day) >= start,
                col(K.day) <= day,
                col(K.accounts) > 0,
            )
            .order_by(col(Venture.code), col(K.currency), col(K.day))
        ).all()
    return [{"venture": f"{c} {cur}", "day": d, "balance": b} for c, d, cur, b in rows]


def kpi_inputs(engine: Engine, venture_ids: list[int], day: date) -> list[TableInputs]:
    """Fingerprint of the snapshots the balances of ``day`` read (every one up to it)."""
    s = BankSnapshot.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        snaps = [
            dict(m)
            for m in conn.execute(
                s.select().where(
                    s.c.venture_id.in_(_holdings_ids(conn, venture_ids)), s.c.day <= day
                )
            ).mappings()
        ]
    return [table_inputs("bank_snapshot", snaps)]


def summarize_kpi(rows: list[dict[str, Any]]) -> dict[str, Any]:
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for r in rows:
        totals[str(r["currency"])] += r["balance"]
    return {f"balance_{cur}": str(amount) for cur, amount in sorted(totals.items())}


HOLDINGS_KPI = KpiSource(
    key="holdings",
    table="HoldingsBalanceDaily",
    venture_types=HOLDINGS_VENTURE_TYPES,
    compute=compute_kpi_day,
    stored_rows=stored_kpi_rows,
    inputs=kpi_inputs,
    history=kpi_history,
    summarize=summarize_kpi,
    charts=(("balance", "Bank balances per day (per currency)"),),
)
