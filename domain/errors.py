"""The four failures a use case can end in, plus authentication failures.

Interfaces translate them once: the API to ``{error: {code, message, fields?}}`` with 404 / 403 /
400 / 409 / 401, the UI to a message or the 403/404 page, the CLI to a one-line error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class DomainError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class NotFound(DomainError):
    """The row does not exist *or is outside the actor's scope*: the two are indistinguishable."""

    code = "not_found"
    http_status = 404

    def __init__(self, entity: str, key: object | None = None) -> None:
        super().__init__(f"{entity} not found" if key is None else f"{entity} {key} not found")
        self.entity = entity
        self.key = key


class Forbidden(DomainError):
    """The actor can see the data but may not do this to it."""

    code = "forbidden"
    http_status = 403

    def __init__(self, message: str = "You are not allowed to do this.", action: str = "") -> None:
        super().__init__(message)
        self.action = action


class Invalid(DomainError):
    """Bad input: ``fields`` maps each offending field to a message naming the reason."""

    code = "invalid"
    http_status = 400

    def __init__(self, fields: dict[str, str] | None = None, message: str | None = None) -> None:
        self.fields = dict(fields or {})
        if message is None:
            message = (
                "; ".join(f"{k}: {v}" for k, v in self.fields.items()) or "The input is not valid."
            )
        super().__init__(message)

    @classmethod
    def field(cls, name: str, reason: str) -> Invalid:
        return cls({name: reason})

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "fields": self.fields}


class Conflict(DomainError):
    """The change collides with the current state (duplicate, already resolved, locked row...).
    ``fields`` names the field that collides when there is one (a duplicate key)."""

    code = "conflict"
    http_status = 409

    def __init__(self, message: str | None = None, fields: dict[str, str] | None = None) -> None:
        self.fields = dict(fields or {})
        if message is None:
            message = (
                "; ".join(f"{k}: {v}" for k, v in self.fields.items())
                or "The change collides with the current state."
            )
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        if self.fields:
            body["fields"] = self.fields
        return body


class RateLimited(DomainError):
    """Too many attempts from one account or address in a short window."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, retry_after_seconds: int = 900) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class ServiceUnavailable(DomainError):
    """An outside service the use case needs (email, SMS, FMCSA) did not answer; what was
    committed stays, the user may try again."""

    code = "unavailable"
    http_status = 503


class Unauthenticated(DomainError):
    """Login failed, or the session/token is missing, expired or revoked."""

    code = "unauthenticated"
    http_status = 401

    def __init__(
        self,
        message: str = "Please log in.",
        reason: str = "invalid",
        until: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason  # invalid | locked | expired | inactive
        self.until = until


# -- unique constraints -> Conflict ---------------------------------------------------------------


@dataclass(frozen=True)
class Unique:
    """A unique constraint (or unique index) of ``table`` over ``columns`` that a user can hit,
    and how a duplicate is reported: ``field`` (the input field) and the reason."""

    table: str
    columns: tuple[str, ...]
    field: str
    reason: str


_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")
_PG_KEY = re.compile(r"^Key \((.+?)\)=")


def unique_violation(exc: IntegrityError) -> tuple[str, tuple[str, ...]] | None:
    """``(table, columns)`` of the unique constraint or index ``exc`` violated; None when it is
    another integrity error (a foreign key, NOT NULL, CHECK)."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg (PostgreSQL): SQLSTATE 23505 unique_violation
        if getattr(orig, "sqlstate", None) != "23505":
            return None
        key = _PG_KEY.match(diag.message_detail or "")
        columns = tuple(c.strip().strip('"') for c in key.group(1).split(",")) if key else ()
        return (diag.table_name or "", columns)
    found = _SQLITE_UNIQUE.search(str(orig))  # sqlite3: "... failed: table.a, table.b"
    if found is None:
        return None
    parts = [p.strip() for p in found.group(1).split(",")]
    return (parts[0].split(".", 1)[0], tuple(p.split(".", 1)[-1] for p in parts))


@contextmanager
def duplicates_as_conflict(session: Session, *constraints: Unique) -> Iterator[None]:
    """Run the block's writes in a SAVEPOINT and flush them; a violation of one of
    ``constraints`` becomes ``Conflict`` naming its field (HTTP 409), with the block's writes
    rolled back. Check-then-insert races end here too: the database decides, never a 500.

    Objects must be added (or changed) *inside* the block: opening the SAVEPOINT flushes what
    is already pending."""
    try:
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError as exc:
        hit = unique_violation(exc)
        for c in constraints:
            if hit == (c.table, c.columns):
                raise Conflict(fields={c.field: c.reason}) from None
        raise
