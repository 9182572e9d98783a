"""Lease locks on (job, venture, date) keys, in the database, for SQLite and PostgreSQL alike.

Acquire is one atomic step either way: ``INSERT ... ON CONFLICT DO NOTHING`` takes a free key;
if the key exists, ``UPDATE ... WHERE key = :k AND expires_at < :now`` takes it over only when
the previous lease has expired. Two processes racing get exactly one winner: PostgreSQL
re-checks the UPDATE's WHERE clause against the committed row (the loser matches 0 rows), and
SQLite serialises writers (``BEGIN IMMEDIATE``). Each acquire runs in its own short
transaction, never inside a caller's unit of work, so a lock is visible to others at once.

A run may need several keys (a run over all ventures holds the key of every venture it covers:
see ``runner.lock_keys``). ``acquire_all`` takes them all or none, in ONE transaction and in
sorted order: a competitor inserting one of the same keys waits on PostgreSQL for that
transaction to end (it wins if the set is rolled back, loses if it commits), and the fixed order
means two sets never wait on each other in a cycle. So two overlapping sets never both win, and
a set that loses leaves nothing behind to block a third run.

A holder renews its lease (``Lease`` runs a heartbeat thread); a holder that dies (SIGKILL, a
lost machine) stops renewing and the key is free again once ``expires_at`` passes.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update
from sqlmodel import col

from domain import clock
from domain.db import dialect_insert, get_engine, is_sqlite
from domain.jobs.models import JobLock

log = logging.getLogger(__name__)

HOST = socket.gethostname()[:120]


@dataclass(frozen=True)
class LockHolder:
    key: str
    holder: str
    acquired_at: datetime
    expires_at: datetime
    host: str
    pid: int | None


def write_engine(engine: Engine) -> Engine:
    """Writes take SQLite's write lock up front (``BEGIN IMMEDIATE``), as the unit of work does."""
    return engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine


def _values(holder: str, lease_seconds: float, now: datetime) -> dict[str, Any]:
    return {
        "holder": holder,
        "acquired_at": now,
        "renewed_at": now,
        "expires_at": now + timedelta(seconds=lease_seconds),
        "host": HOST,
        "pid": os.getpid(),
    }


def _take(conn: Connection, key: str, values: dict[str, Any], now: datetime) -> bool:
    """Insert ``key`` or take it over from an expired lease, inside the caller's transaction."""
    insert = dialect_insert(conn)
    stmt = (
        insert(JobLock)
        .values(key=key, **values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(JobLock.key))  # rowcount is not reliable here on psycopg 3
    )
    if conn.execute(stmt).first() is not None:
        return True
    taken = conn.execute(
        update(JobLock)
        .where(col(JobLock.key) == key, col(JobLock.expires_at) < now)
        .values(**values)
    )
    if taken.rowcount == 1:
        log.warning("job lock %s taken over from an expired lease", key)
        return True
    return False


class _Held(Exception):
    """One key of a set is held: roll the whole set back."""


def acquire(key: str, holder: str, lease_seconds: float, *, engine: Engine | None = None) -> bool:
    """Take ``key`` for ``holder`` for ``lease_seconds``. True when this caller won."""
    return acquire_all([key], holder, lease_seconds, engine=engine)


def acquire_all(
    keys: Sequence[str], holder: str, lease_seconds: float, *, engine: Engine | None = None
) -> bool:
    """Take every key of ``keys`` for ``holder``, or none of them (one transaction, sorted
    order). True when this caller holds them all."""
    engine = engine or get_engine()
    now = clock.now()
    values = _values(holder, lease_seconds, now)
    try:
        with write_engine(engine).begin() as conn:
            for key in sorted(set(keys)):
                if not _take(conn, key, values, now):
                    raise _Held(key)
    except _Held:
        return False
    return True


def renew(key: str, holder: str, lease_seconds: float, *, engine: Engine | None = None) -> bool:
    """Extend the lease; False when ``holder`` no longer holds ``key`` (it expired and was
    taken over)."""
    return renew_all([key], holder, lease_seconds, engine=engine)


def renew_all(
    keys: Sequence[str], holder: str, lease_seconds: float, *, engine: Engine | None = None
) -> bool:
    """Extend the lease of every key; False when ``holder`` lost any of them."""
    engine = engine or get_engine()
    now = clock.now()
    wanted = sorted(set(keys))
    with write_engine(engine).begin() as conn:
        res = conn.execute(
            update(JobLock)
            .where(col(JobLock.key).in_(wanted), col(JobLock.holder) == holder)
            .values(renewed_at=now, expires_at=now + timedelta(seconds=lease_seconds))
        )
        return res.rowcount == len(wanted)


def release(key: str, holder: str, *, engine: Engine | None = None) -> bool:
    return release_all([key], holder, engine=engine) == 1


def release_all(keys: Sequence[str], holder: str, *, engine: Engine | None = None) -> int:
    """Drop the keys ``holder`` still holds; the number dropped."""
    engine = engine or get_engine()
    with write_engine(engine).begin() as conn:
        res = conn.execute(
            delete(JobLock).where(
                col(JobLock.key).in_(sorted(set(keys))), col(JobLock.holder) == holder
            )
        )
        return int(res.rowcount)


def holder_of(key: str, *, engine: Engine | None = None) -> LockHolder | None:
    engine = engine or get_engine()
    with engine.connect() as conn:
        row = conn.execute(select(JobLock).where(col(JobLock.key) == key)).mappings().first()
    if row is None:
        return None
    return LockHolder(
        key=row["key"],
        holder=row["holder"],
        acquired_at=row["acquired_at"],
        expires_at=row["expires_at"],
        host=row["host"],
        pid=row["pid"],
    )


def first_holder(
    keys: Sequence[str], *, other_than: str | None = None, engine: Engine | None = None
) -> LockHolder | None:
    """The holder of the first key of ``keys`` (in order) held by someone other than
    ``other_than``: who a run gave way to."""
    for key in keys:
        found = holder_of(key, engine=engine)
        if found is not None and found.holder != other_than:
            return found
    return None


def force_release(key: str, *, engine: Engine | None = None) -> bool:
    """Operator escape hatch (``vcc jobs unlock``): drop a lock whatever its holder."""
    engine = engine or get_engine()
    with write_engine(engine).begin() as conn:
        return conn.execute(delete(JobLock).where(col(JobLock.key) == key)).rowcount == 1


class Lease:
    """Held locks (one key, or a set taken all-or-nothing) plus the heartbeat thread renewing
    them every third of the lease."""

    def __init__(
        self,
        key: str | Sequence[str],
        holder: str,
        lease_seconds: float,
        *,
        engine: Engine | None = None,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        self.on_lost = on_lost
        self.keys: tuple[str, ...] = (key,) if isinstance(key, str) else tuple(key)
        self.key = self.keys[0]
        self.holder = holder
        self.lease_seconds = lease_seconds
        self.engine = engine or get_engine()
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> bool:
        if not acquire_all(self.keys, self.holder, self.lease_seconds, engine=self.engine):
            return False
        self._thread = threading.Thread(
            target=self._heartbeat, name=f"lease:{self.key}", daemon=True
        )
        self._thread.start()
        return True

    def _heartbeat(self) -> None:
        interval = max(self.lease_seconds / 3.0, 0.2)
        while not self._stop.wait(interval):
            try:
                if not renew_all(self.keys, self.holder, self.lease_seconds, engine=self.engine):
                    log.error("job lock %s lost by %s", ", ".join(self.keys), self.holder)
                    self.lost.set()
                    if self.on_lost is not None:
                        self.on_lost()
                    return
            except Exception:  # a database hiccup: keep trying until the lease runs out
                log.exception("renewing job lock %s failed", self.key)

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            release_all(self.keys, self.holder, engine=self.engine)
        except Exception:  # it expires on its own
            log.exception("releasing job lock %s failed", self.key)

    def __enter__(self) -> Lease:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


__all__ = [
    "Lease",
    "LockHolder",
    "acquire",
    "acquire_all",
    "first_holder",
    "force_release",
    "holder_of",
    "release",
    "release_all",
    "renew",
    "renew_all",
]
