"""Engine, sessions and the unit of work (one transaction per use case).

Interfaces open a unit of work, call one service, and leave: the unit of work commits on a clean
exit, rolls back on an exception, and runs the after-commit hooks (event dispatch) only once the
data is durable. Services may call ``uow.commit()`` themselves when a record must survive the
error they are about to raise (a failed-login counter, for instance).
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import Session

from domain.settings import get_settings

log = logging.getLogger(__name__)

_url_override: str | None = None


def database_url() -> str:
    return _url_override or get_settings().database_url


def use_database(url: str | None) -> None:
    """Point the default engine at ``url`` (tests, the CLI ``--database`` option)."""
    global _url_override
    _url_override = url


def is_sqlite(url_or_engine: str | Engine) -> bool:
    url = url_or_engine.url if isinstance(url_or_engine, Engine) else make_url(url_or_engine)
    return url.get_backend_name() == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy own transaction boundaries (pysqlite's implicit BEGIN is unreliable).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Write transactions take the lock up front so two writers queue instead of failing on
        # a read->write upgrade; read-only units of work stay DEFERRED.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


_engines: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured database)."""
    url = url or database_url()
    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = _create_engine(url)
    return engine


def _create_engine(url: str) -> Engine:
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if is_sqlite(url):
        path = make_url(url).database
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs.update(pool_size=5, max_overflow=10, pool_recycle=1800)
    engine = create_engine(url, **kwargs)
    if is_sqlite(url):
        _configure_sqlite(engine)
    # Forked workers (Granian, multiprocessing) must not share pooled connections.
    ref = weakref.ref(engine)

    def _dispose_in_child() -> None:
        eng = ref()
        if eng is not None:
            eng.dispose(close=False)

    os.register_at_fork(after_in_child=_dispose_in_child)
    return engine


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def dialect_insert(bind: Any) -> Any:
    """The ``insert`` of ``bind``'s dialect (an Engine, Connection or a session's bind), whose
    ``on_conflict_do_nothing`` / ``on_conflict_do_update`` every race-safe "insert once" and
    upsert of the domain uses: PostgreSQL's or SQLite's, the same statement on both."""
    return (postgresql if bind.dialect.name == "postgresql" else sqlite).insert


def pk(row: Any) -> int:
    """The primary key of a flushed row (typed ``int``, never ``None``)."""
    value = row.id
    if value is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet: flush first")
    return int(value)


class UnitOfWork:
    """One database transaction for one use case, plus hooks that run after it commits."""

    def __init__(self, engine: Engine | None = None, *, write: bool = True) -> None:
        self.engine = engine or get_engine()
        options: dict[str, Any] = {}
        if write and is_sqlite(self.engine):
            options["sqlite_begin"] = "IMMEDIATE"
        bind = self.engine.execution_options(**options) if options else self.engine
        self.session = Session(bind=bind, expire_on_commit=False)
        self._after_commit: list[Callable[[], None]] = []
        self._after_rollback: list[Callable[[], None]] = []
        self.pending_events: list[Any] = []

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the current transaction has committed (never if it rolls back)."""
        self._after_commit.append(fn)

    def after_rollback(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` if the current transaction rolls back (never if it commits): a fact learnt
        from outside (an FMCSA answer) that must outlive a refused use case."""
        self._after_rollback.append(fn)

    def flush(self) -> None:
        self.session.flush()

    def commit(self) -> None:
        self.session.commit()
        self._after_rollback.clear()
        hooks, self._after_commit = self._after_commit, []
        for hook in hooks:
            try:
                hook()
            except Exception:  # a follow-up never undoes or fails the committed use case
                log.exception("after-commit hook failed")

    def rollback(self) -> None:
        self.session.rollback()
        self._after_commit.clear()
        self.pending_events.clear()
        hooks, self._after_rollback = self._after_rollback, []
        for hook in hooks:
            try:
                hook()
            except Exception:
                log.exception("after-rollback hook failed")

    def close(self) -> None:
        self.session.close()


@contextmanager
def unit_of_work(engine: Engine | None = None, *, write: bool = True) -> Iterator[UnitOfWork]:
    uow = UnitOfWork(engine, write=write)
    try:
        yield uow
        uow.commit()
    except BaseException:
        uow.rollback()
        raise
    finally:
        uow.close()


@contextmanager
def read_only(engine: Engine | None = None) -> Iterator[UnitOfWork]:
    """A unit of work for queries: no write lock on SQLite; nothing is committed. Closing (not
    rolling back) ends the transaction without expiring the rows already read."""
    uow = UnitOfWork(engine, write=False)
    try:
        yield uow
    finally:
        uow.close()


# -- schema state -------------------------------------------------------------------------------


# The errors of a database that cannot be reached (down, refused, dropped connection): the API
# answers them 503 like an unmigrated one, without the interfaces importing SQLAlchemy.
DATABASE_UNREACHABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


class NotMigrated(RuntimeError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"The database is not migrated ({detail}). Run `vcc db upgrade` first.")


def schema_status(engine: Engine | None = None) -> tuple[str | None, str]:
    """(current revision in the database, head revision of the code)."""
    from domain.migrations import current_revision, head_revision

    return current_revision(engine or get_engine()), head_revision()


def require_migrated(engine: Engine | None = None) -> None:
    engine = engine or get_engine()
    try:
        current, head = schema_status(engine)
    except Exception as exc:  # unreachable database: say so, naming the URL without secrets
        shown = engine.url.render_as_string(hide_password=True)
        raise NotMigrated(f"cannot read {shown}: {exc}") from exc
    if current is None:
        raise NotMigrated("no schema found")
    if current != head:
        raise NotMigrated(f"database at {current}, code expects {head}")


def table_names(engine: Engine | None = None) -> list[str]:
    return inspect(engine or get_engine()).get_table_names()
