"""Lease locks on (job, venture, date) keys, in the database, for SQLite and PostgreSQL alike.

Acquire is one atomic step either way: ``INSERT ... ON CONFLICT DO NOTHING`` takes a free key;
if the key exists, ``UPDATE ... WHERE key = :k AND expires_at < :now`` takes it over only when
the previous lease has expired. Two processes racing get exactly one winner: PostgreSQL
re-checks the UPDATE's WHERE clause against the committed row (the loser matches 0 rows), and
SQLite serialises writers (``BEGIN IMMEDIATE``). Each statement runs in its own short
transaction, never inside a caller's unit of work, so a lock is visible to others at once.

A holder renews its lease (``Lease`` runs a heartbeat thread); a holder that dies (SIGKILL, a
lost machine) stops renewing and the key is free again once ``expires_at`` passes.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from domain import clock
from domain.db import get_engine, is_sqlite
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


def acquire(key: str, holder: str, lease_seconds: float, *, engine: Engine | None = None) -> bool:
    """Take ``key`` for ``holder`` for ``lease_seconds``. True when this caller won."""
    engine = engine or get_engine()
    now = clock.now()
    values = {
        "key": key,
        "holder": holder,
        "acquired_at": now,
        "renewed_at": now,
        "expires_at": now + timedelta(seconds=lease_seconds),
        "host": HOST,
        "pid": os.getpid(),
    }
    dialect = sqlite if is_sqlite(engine) else postgresql
    stmt = (
        dialect.insert(JobLock)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(JobLock.key))  # rowcount is not reliable here on psycopg 3
    )
    with write_engine(engine).begin() as conn:
        if conn.execute(stmt).first() is not None:
            return True
        taken = conn.execute(
            update(JobLock)
            .where(col(JobLock.key) == key, col(JobLock.expires_at) < now)
            .values(**{k: v for k, v in values.items() if k != "key"})
        )
        if taken.rowcount == 1:
            log.warning("job lock %s taken over from an expired lease", key)
            return True
    return False


def renew(key: str, holder: str, lease_seconds: float, *, engine: Engine | None = None) -> bool:
    """Extend the lease; False when ``holder`` no longer holds ``key`` (it expired and was
    taken over)."""
    engine = engine or get_engine()
    now = clock.now()
    with write_engine(engine).begin() as conn:
        res = conn.execute(
            update(JobLock)
            .where(col(JobLock.key) == key, col(JobLock.holder) == holder)
            .values(renewed_at=now, expires_at=now + timedelta(seconds=lease_seconds))
        )
        return res.rowcount == 1


def release(key: str, holder: str, *, engine: Engine | None = None) -> bool:
    engine = engine or get_engine()
    with write_engine(engine).begin() as conn:
        res = conn.execute(
            delete(JobLock).where(col(JobLock.key) == key, col(JobLock.holder) == holder)
        )
        return res.rowcount == 1


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


def force_release(key: str, *, engine: Engine | None = None) -> bool:
    """Operator escape hatch (``vcc jobs unlock``): drop a lock whatever its holder."""
    engine = engine or get_engine()
    with write_engine(engine).begin() as conn:
        return conn.execute(delete(JobLock).where(col(JobLock.key) == key)).rowcount == 1


class Lease:
    """A held lock plus the heartbeat thread renewing it every third of the lease."""

    def __init__(
        self,
        key: str,
        holder: str,
        lease_seconds: float,
        *,
        engine: Engine | None = None,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        self.on_lost = on_lost
        self.key = key
        self.holder = holder
        self.lease_seconds = lease_seconds
        self.engine = engine or get_engine()
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> bool:
        if not acquire(self.key, self.holder, self.lease_seconds, engine=self.engine):
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
                if not renew(self.key, self.holder, self.lease_seconds, engine=self.engine):
                    log.error("job lock %s lost by %s", self.key, self.holder)
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
            release(self.key, self.holder, engine=self.engine)
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


__all__ = ["Lease", "LockHolder", "acquire", "force_release", "holder_of", "release", "renew"]
