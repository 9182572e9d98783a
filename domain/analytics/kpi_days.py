"""The write of a wing's pre-aggregated KPI days (one row per venture and business date), shared
by the wings that adopt it (BPO first): a per-venture lock, then the days replaced (one DELETE,
one bulk INSERT) in the caller's transaction, so an older recompute never commits last.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, delete, insert

from domain import clock


def lock_ventures(conn: Connection, namespace: str, venture_ids: Sequence[int]) -> None:
    """Serialize one wing's KPI writes per venture on PostgreSQL (a transaction-scoped advisory
    lock keyed by the wing's ``namespace`` and the venture); SQLite's write transaction already
    holds the database's single write lock."""
    if conn.dialect.name != "postgresql":
        return
    space = zlib.crc32(namespace.encode()) & 0x7FFF_FFFF
    for vid in sorted(set(venture_ids)):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(space)}, {int(vid)})")


def replace_days(
    conn: Connection,
    table: Table,
    venture_ids: Sequence[int],
    days: Sequence[date],
    rows: Sequence[Mapping[str, Any]],
    run_id: str | None,
) -> None:
    """Replace the ``days`` of ``venture_ids`` in ``table`` (columns ``venture_id``, ``day``,
    ``computed_at``, ``run_id``) by ``rows``."""
    if not venture_ids or not days:
        return
    conn.execute(
        delete(table).where(
            table.c.venture_id.in_(sorted(set(venture_ids))), table.c.day.in_(sorted(set(days)))
        )
    )
    if rows:
        now = clock.now()
        conn.execute(
            insert(table), [dict(r) | {"computed_at": now, "run_id": run_id} for r in rows]
        )
