"""Rows of a domain-built select into a Polars frame, the measured way for each database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl
from sqlalchemy import Connection

from domain.db import get_engine, read_only

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.sql import Select

    from domain.access.actor import Actor


def connectorx_uri(engine: Engine) -> str | None:
    """The URI connectorx wants for a PostgreSQL engine (``postgresql://u:p@h/db``, no driver).

    None for SQLite on purpose: connectorx bundles its own SQLite library, and two SQLite
    libraries in one process break each other's file locks (measured: after a connectorx read,
    the next connect of the app failed with "disk I/O error"). SQLite is read through the stdlib
    driver instead.
    """
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql").render_as_string(hide_password=False)
    return None


def read_frame(stmt: Select[Any], *, engine: Engine | Connection | None = None) -> pl.DataFrame:
    """The rows of ``stmt`` as a Polars frame.

    PostgreSQL: the statement compiled with its values inline (they come from the domain's own
    clauses: ids, dates, codes) and read by connectorx straight into Arrow. SQLite: executed on
    a read-only connection through the stdlib driver. Either way the read stays what the select
    says: narrow columns, filtered rows, the actor's scope already in its WHERE clause.

    Given a Connection (a caller holding a lock on it), SQLite reads through that connection, so
    the caller needs no second connection from the pool while it holds the first.
    """
    engine = engine or get_engine()
    uri = connectorx_uri(engine.engine)
    if uri is not None:
        sql = str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        return pl.read_database_uri(sql, uri, engine="connectorx")
    if isinstance(engine, Connection):  # read inside the caller's transaction
        return pl.read_database(stmt, engine)
    with engine.connect() as conn:
        return pl.read_database(stmt, conn)


def actor_of(email: str) -> Actor:
    """The Actor of an analyst by email: a notebook reads what that person may see."""
    from sqlmodel import select

    from domain.access.auth import normalise_email
    from domain.access.scope import actor_for
    from domain.errors import NotFound
    from domain.org.models import User

    with read_only() as uow:
        user = uow.session.execute(
            select(User).where(User.email == normalise_email(email), User.is_active)
        ).scalar_one_or_none()
        if user is None:
            raise NotFound("user", email)
        return actor_for(uow.session, user)
