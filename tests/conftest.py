"""Shared fixtures: the databases the suite runs on, a clean database per test, demo actors.

SQLite always; PostgreSQL too when ``TEST_DATABASE_URL`` is set (``make test`` sets it when a
local cluster can be started, CI always). Each pytest session gets its own PostgreSQL database
(created from the URL's, dropped at the end), so parallel runs never share tables.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ["VCC_ENV"] = "test"
os.environ.setdefault("VCC_EMAIL_PROVIDER", "fake")

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from domain import db as dbmod
from domain.settings import reset_settings

reset_settings()

PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
if os.environ.get("CI", "").lower() == "true" and not PG_URL:
    raise pytest.UsageError("CI=true requires TEST_DATABASE_URL (PostgreSQL) to be set")


def pytest_report_header(config: pytest.Config) -> str:
    if PG_URL:
        shown = make_url(PG_URL).render_as_string(hide_password=True)
        return f"databases: SQLite and PostgreSQL ({shown})"
    return "databases: SQLite only (TEST_DATABASE_URL not set)"


def _normalise(url: str) -> str:
    from domain.settings import Settings

    return Settings(DATABASE_URL=url).database_url  # type: ignore[call-arg]


class TestDatabase:
    """A migrated database. ``reset()`` empties it: on SQLite by copying back the pages of the
    database as migrated (taken here), on PostgreSQL with the ``cleanup`` statements."""

    def __init__(self, backend: str, url: str, cleanup: list[str] | None = None) -> None:
        self.backend = backend
        self.url = url
        self.engine: Engine = dbmod.get_engine(url)
        self.cleanup_statements = cleanup or []
        self.empty = _sqlite_copy(self.engine) if backend == "sqlite" else None

    def reset(self) -> None:
        if self.empty is not None:
            _sqlite_put(self.engine, self.empty)
            return
        with self.engine.begin() as conn:
            for stmt in self.cleanup_statements:
                conn.exec_driver_sql(stmt)


# SQLite: a database's pages copied whole with SQLite's online backup (into memory, and back into
# the test database through a pooled connection). Putting back the small demo this way takes about
# 10 ms where inserting its 21,000 rows took about 2 s, and emptying about 3 ms where a DELETE per
# table took about 0.3 s: with some 700 SQLite tests per run, that was minutes of CI. The copy is
# the same schema, rows, ids and sequences; the other pooled connections see it at their next
# statement (SQLite re-reads a changed file and schema by itself).
def _sqlite_copy(engine: Engine) -> sqlite3.Connection:
    copy = sqlite3.connect(":memory:")
    raw = engine.raw_connection()
    try:
        raw.driver_connection.backup(copy)  # type: ignore[union-attr]
    finally:
        raw.close()
    return copy


def _refuse_a_locked_database(status: int, _remaining: int, _total: int) -> None:
    # A step that found the database locked has already waited the connection's busy timeout
    # (30 s); Python would retry it for ever. A test that left a transaction open fails here.
    if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        raise sqlite3.OperationalError("test database is locked: a connection holds a transaction")


def _sqlite_put(engine: Engine, copy: sqlite3.Connection) -> None:
    raw = engine.raw_connection()
    try:
        copy.backup(raw.driver_connection, progress=_refuse_a_locked_database)  # type: ignore[arg-type]
    finally:
        raw.close()


def _tables_in_delete_order() -> list[str]:
    from sqlmodel import SQLModel

    import domain.models  # noqa: F401

    return [t.name for t in reversed(SQLModel.metadata.sorted_tables)]


def _make_sqlite(tmp: Path) -> TestDatabase:
    from domain.migrations import upgrade

    url = f"sqlite:///{tmp / 'test.db'}"
    upgrade(url)
    return TestDatabase("sqlite", url)


def _make_postgres() -> tuple[TestDatabase, str | None]:
    from domain.migrations import upgrade

    base = make_url(_normalise(PG_URL))
    name = f"{base.database}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    created: str | None = None
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        created = name
        url = base.set(database=name).render_as_string(hide_password=False)
    except Exception:
        # No CREATEDB privilege: use the given database, emptied first.
        url = base.render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        admin.dispose()
    upgrade(url)
    tables = ", ".join(f'"{t}"' for t in _tables_in_delete_order())
    return TestDatabase("postgresql", url, [f"TRUNCATE {tables} RESTART IDENTITY CASCADE"]), created


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestDatabase]]:
    dbs = {"sqlite": _make_sqlite(tmp_path_factory.mktemp("sqlite"))}
    created = None
    if PG_URL:
        dbs["postgresql"], created = _make_postgres()
    yield dbs
    dbmod.dispose_engines()
    if created:
        admin = create_engine(make_url(_normalise(PG_URL)), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db(
    request: pytest.FixtureRequest, databases: dict[str, TestDatabase]
) -> Iterator[TestDatabase]:
    """A migrated, empty database on each backend; the default engine points at it."""
    from domain import clock
    from domain.cache import use_cache
    from domain.integrations.email import RecordingEmailSender, set_email_sender

    database = databases[request.param]
    dbmod.use_database(database.url)
    use_cache(None)  # a fresh cache per test database: its ids and dates repeat across tests
    set_email_sender(RecordingEmailSender())
    try:
        yield database
    finally:
        clock._frozen = None
        set_email_sender(None)
        dbmod.use_database(None)
        database.reset()


# The seeded demo database per backend, taken after the first seed of the session: the
# database's pages (SQLite, see _sqlite_copy) or each table's COPY text (PostgreSQL, where COPY is
# several times faster than inserts).
_DEMO_SNAPSHOTS: dict[str, Any] = {}


def _snapshot(engine: Engine) -> Any:
    if engine.dialect.name == "sqlite":
        return _sqlite_copy(engine)
    from sqlmodel import SQLModel

    import domain.models  # noqa: F401

    raw = engine.raw_connection()
    try:
        out = []
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            for table in SQLModel.metadata.sorted_tables:
                with cur.copy(f'COPY "{table.name}" TO STDOUT') as copy:
                    out.append((table, b"".join(bytes(block) for block in copy)))
        raw.commit()
        return out
    finally:
        raw.close()


def _restore(engine: Engine, snapshot: Any) -> None:
    """Put the snapshot back into the (empty) database: the same rows, ids and all."""
    if isinstance(snapshot, sqlite3.Connection):
        _sqlite_put(engine, snapshot)
        return
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            for table, data in snapshot:
                if data:
                    with cur.copy(f'COPY "{table.name}" FROM STDIN') as copy:
                        copy.write(data)
                    if "id" in table.c:
                        cur.execute(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'(SELECT max(id) FROM "{table.name}"))'
                        )
        raw.commit()
    finally:
        raw.close()


@pytest.fixture
def demo(db: TestDatabase) -> TestDatabase:
    """The small demo data (organisation, freight, ...) in the test database.

    The generator runs once per backend and session; later tests get the same rows back from a
    snapshot, which is several times faster than generating them again.
    """
    from domain.demo import seed

    snapshot = _DEMO_SNAPSHOTS.get(db.backend)
    if snapshot is None:
        seed("small", 7, engine=db.engine)
        _DEMO_SNAPSHOTS[db.backend] = _snapshot(db.engine)
    else:
        _restore(db.engine, snapshot)
    return db


@pytest.fixture
def mailbox() -> object:
    from domain.integrations.email import get_email_sender

    return get_email_sender()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests last: the fast suites report first, and the one production server the e2e
    session starts is up only at the end. Tests marked ``postgres_only`` (races SQLite cannot
    have: it serialises writers) are collected for the PostgreSQL database only."""
    sqlite_only_copies = [
        item
        for item in items
        if item.get_closest_marker("postgres_only") is not None
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("db") == "sqlite"
    ]
    if sqlite_only_copies:
        config.hook.pytest_deselected(items=sqlite_only_copies)
        items[:] = [item for item in items if item not in sqlite_only_copies]
    items.sort(key=lambda item: "/e2e/" in str(item.path).replace("\\", "/"))


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private ``redis-server`` on a free port for the session (no persistence, no system
    service). Absent binary: the Redis tests skip, except under CI where it is an error."""
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed (.ci/run installs it)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    for _ in range(200):  # up to ~10 s for the server to accept connections
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("redis-server did not start")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def redis_cache(db: TestDatabase, redis_url: str) -> Iterator[str]:
    """The process's cache on the session's Redis, emptied first; back to in-process after
    (after ``db``, which resets the cache to in-process at its start)."""
    import redis

    from domain import cache

    redis.Redis.from_url(redis_url).flushdb()
    cache.use_cache(cache.build(redis_url))
    try:
        yield redis_url
    finally:
        cache.use_cache(None)
