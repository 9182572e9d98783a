"""A wing's pre-aggregated KPI days (rows per venture and business date), shared by every wing.

The write: a per-venture lock, then the days replaced (one DELETE, one bulk INSERT) in the
caller's transaction, so an older recompute never commits last. The dashboards' read
(``read_kpi_days``): the stored rows of a range, and each day without a row computed once through
the wing's own KPI write, stored, and named in a note the page shows.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection, Table, delete, insert, select

from domain import clock

if TYPE_CHECKING:
    from domain.db import UnitOfWork


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


# -- a dashboard's read of a range: stored days, missing days computed once and stored ---------


class _VentureLike(Protocol):
    @property
    def id(self) -> int | None: ...

    @property
    def timezone(self) -> str: ...


# The wing's normal KPI write of some business dates of one venture, inside the caller's
# transaction (its event handlers' and job's path): ``(conn, venture_id, days) -> None``. It
# writes each day it is given (a day with nothing to count included, so that it is stored).
ComputeDays = Callable[[Connection, int, list[date]], Any]


@dataclass
class DaysRead:
    """The rows of a range (``table``'s columns by name) and the days this read computed."""

    rows: list[Any]
    computed: list[date] = field(default_factory=list)

    @property
    def note(self) -> str:
        return computed_note(self.computed)


def computed_note(days: Sequence[date]) -> str:
    """What a page says when a read had to compute (and store) days: "3 days were computed now:
    1 Dec 2026, 2 Dec 2026, 3 Dec 2026." (empty when none were)."""
    unique = sorted(set(days))
    if not unique:
        return ""
    n = len(unique)
    shown = [clock.format_business_date(d) for d in unique[:MAX_NOTED_DAYS]]
    more = f" and {n - MAX_NOTED_DAYS} more" if n > MAX_NOTED_DAYS else ""
    verb = "days were" if n != 1 else "day was"
    return f"{n} {verb} computed now (no stored numbers yet) and stored: {', '.join(shown)}{more}."


MAX_NOTED_DAYS = 5


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def missing_days(
    rows: Iterable[Any], ventures: Sequence[_VentureLike], start: date, end: date
) -> dict[int, list[date]]:
    """Per venture, the days of [start, end] up to its today (in its timezone) with no row:
    a day that has not happened yet is not missing."""
    have = {(int(r.venture_id), r.day) for r in rows}
    out: dict[int, list[date]] = {}
    for v in ventures:
        vid = int(v.id or 0)
        last = min(end, clock.today(v.timezone))
        days = [d for d in _days(start, last) if (vid, d) not in have] if start <= last else []
        if days:
            out[vid] = days
    return out


def _select(table: Table, venture_ids: Sequence[int], start: date, end: date) -> Any:
    return (
        select(table)
        .where(
            table.c.venture_id.in_(sorted(set(venture_ids))),
            table.c.day >= start,
            table.c.day <= end,
        )
        .order_by(table.c.venture_id, table.c.day)
    )


def read_kpi_days(
    uow: UnitOfWork,
    table: Table,
    ventures: Sequence[_VentureLike],
    start: date,
    end: date,
    compute: ComputeDays,
) -> DaysRead:
    """The rows of ``table`` (one or more per venture and business date) of the ``ventures`` over
    [start, end], and every day without a row computed once by the wing's own write
    (``compute``), stored, and listed in ``computed``.

    Missing days are written in their own short transaction, per venture under a lock on the
    table and venture (PostgreSQL advisory lock; SQLite's single write lock), and checked again
    inside it: of two first readers of the same missing day, one computes and stores it, the
    other finds it stored and reads it (never a duplicate, never a failure)."""
    ids = [int(v.id or 0) for v in ventures]
    if not ids:
        return DaysRead([])
    stored = list(uow.session.execute(_select(table, ids, start, end)))
    missing = missing_days(stored, ventures, start, end)
    if not missing:
        return DaysRead(stored)
    filled, computed = _fill(uow, table, missing, compute)
    return DaysRead(
        sorted([*stored, *filled], key=lambda r: (r.venture_id, r.day)), sorted(set(computed))
    )


def _fill(
    uow: UnitOfWork, table: Table, missing: Mapping[int, list[date]], compute: ComputeDays
) -> tuple[list[Any], list[date]]:
    from domain.db import is_sqlite

    bind = uow.session.get_bind()
    holds_write_lock = is_sqlite(uow.engine) and (
        bind.get_execution_options().get("sqlite_begin") == "IMMEDIATE"
    )
    if holds_write_lock:  # SQLite: a second writer would wait on this session's own lock
        return _fill_in(uow.session.connection(), table, missing, compute)
    with uow.engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        return _fill_in(conn, table, missing, compute)


def _stored_of(conn: Connection, table: Table, venture_id: int, days: list[date]) -> list[Any]:
    wanted = set(days)
    stmt = _select(table, [venture_id], min(days), max(days))
    return [r for r in conn.execute(stmt) if r.day in wanted]


def _fill_in(
    conn: Connection, table: Table, missing: Mapping[int, list[date]], compute: ComputeDays
) -> tuple[list[Any], list[date]]:
    rows: list[Any] = []
    computed: list[date] = []
    for vid in sorted(missing):
        days = sorted(set(missing[vid]))
        lock_ventures(conn, f"read:{table.name}", [vid])
        # Another reader may have stored some of them while this one waited for the lock.
        still = sorted(set(days) - {r.day for r in _stored_of(conn, table, vid, days)})
        if still:
            compute(conn, vid, still)
            computed += still
        rows += _stored_of(conn, table, vid, days)
    return rows, computed
