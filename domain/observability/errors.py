"""Unhandled errors: recorded as ErrorEvent rows (grouped by stack hash, counted) and, when
``SENTRY_DSN`` is set, sent to Sentry. Nothing is sent anywhere otherwise.

``record_error`` is called by the interfaces' last-resort handlers (a page event, an API call, a
job run). It never raises: an error while recording an error (the database is down) is logged and
dropped, so the original failure is what the caller sees.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from domain import clock
from domain.db import unit_of_work
from domain.errors import NotFound
from domain.observability.models import ErrorEvent
from domain.org.models import User
from domain.pagination import Page, SortKey, paginate
from domain.schemas import View
from domain.settings import PROJECT_ROOT, get_settings

if TYPE_CHECKING:
    from domain.access.actor import Actor
    from domain.db import UnitOfWork

log = logging.getLogger(__name__)

KINDS = ("page", "api", "job")
MAX_STACK = 20_000
_PROJECT_DIRS = tuple(str(PROJECT_ROOT / d) for d in ("domain", "rxapp", "notebooks"))


def project_frames(tb: TracebackType | None) -> list[traceback.FrameSummary]:
    """The frames of our own code (not Reflex, FastAPI, SQLAlchemy...), outermost first."""
    return [f for f in traceback.extract_tb(tb) if f.filename.startswith(_PROJECT_DIRS)]


def stack_hash(kind: str, where: str, exc: BaseException) -> str:
    """Same kind, place, exception type and chain of our functions -> same hash. Line numbers
    and the message are left out, so an unrelated edit or another id in the text does not
    split one bug into many rows."""
    parts = [kind, where, type(exc).__qualname__]
    for frame in project_frames(exc.__traceback__):
        rel = Path(frame.filename).resolve().relative_to(PROJECT_ROOT).as_posix()
        parts.append(f"{rel}:{frame.name}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _stack_text(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return text if len(text) <= MAX_STACK else text[:1000] + "\n...\n" + text[-(MAX_STACK - 1005) :]


def record_error(
    exc: BaseException, *, kind: str, where: str, user_id: int | None = None
) -> int | None:
    """Count ``exc`` on its ErrorEvent row (created on first sight); report it to Sentry when
    configured. Returns the row id, or None when even recording failed (logged)."""
    report_to_sentry(exc, kind=kind, where=where, user_id=user_id)
    try:
        return _upsert(exc, kind=kind, where=where[:200], user_id=user_id)
    except Exception:  # never let error recording hide the error
        log.exception("could not record the error %r in %s", exc, where)
        return None


def _upsert(exc: BaseException, *, kind: str, where: str, user_id: int | None) -> int:
    digest = stack_hash(kind, where, exc)
    message = (str(exc) or type(exc).__name__)[:1000]
    stack = _stack_text(exc)
    for attempt in range(2):  # a concurrent first sighting of the same bug: count on its row
        try:
            with unit_of_work() as uow:
                row = uow.session.execute(
                    select(ErrorEvent).where(ErrorEvent.stack_hash == digest).with_for_update()
                ).scalar_one_or_none()
                now = clock.now()
                if row is None:
                    row = ErrorEvent(
                        stack_hash=digest,
                        kind=kind,
                        where=where,
                        error_type=type(exc).__qualname__[:200],
                        message=message,
                        stack=stack,
                        first_seen_at=now,
                        last_seen_at=now,
                        last_user_id=user_id,
                    )
                    uow.session.add(row)
                else:
                    row.count += 1
                    row.message, row.stack, row.last_seen_at = message, stack, now
                    row.last_user_id = user_id
                uow.flush()
                assert row.id is not None
                return row.id
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


# -- Sentry ---------------------------------------------------------------------------------------

_sentry_lock = threading.Lock()
_sentry_dsn: str | None = None


def report_to_sentry(
    exc: BaseException, *, kind: str, where: str, user_id: int | None = None
) -> bool:
    """Send ``exc`` to Sentry when ``SENTRY_DSN`` is set (the sentry-sdk package); otherwise do
    nothing. Returns whether it was handed to the SDK."""
    global _sentry_dsn
    dsn = get_settings().sentry_dsn
    if not dsn:
        return False
    try:
        import sentry_sdk

        with _sentry_lock:
            if _sentry_dsn != dsn:
                sentry_sdk.init(
                    dsn=dsn,
                    environment=get_settings().env,
                    default_integrations=False,  # only what we hand it, nothing automatic
                )
                _sentry_dsn = dsn
        with sentry_sdk.new_scope() as scope:
            scope.set_tag("kind", kind)
            scope.set_tag("where", where)
            if user_id is not None:
                scope.set_user({"id": str(user_id)})
            sentry_sdk.capture_exception(exc)
        return True
    except Exception:
        log.exception("could not report the error to Sentry")
        return False


def flush_sentry(timeout: float = 5.0) -> None:
    """Wait for queued Sentry events to be sent (tests; short-lived processes)."""
    if _sentry_dsn is None:
        return
    import sentry_sdk

    sentry_sdk.flush(timeout=timeout)


# -- reading ------------------------------------------------------------------------------------


class ErrorEventView(View):
    id: int
    kind: str
    where: str
    error_type: str
    message: str
    stack: str
    count: int
    first_seen_at: datetime
    last_seen_at: datetime
    last_user_id: int | None
    last_user_email: str | None


@dataclass(frozen=True)
class ErrorFilter:
    kind: str | None = None  # page | api | job
    search: str | None = None  # in the place, the type or the message


def _view(row: ErrorEvent, email: str | None) -> ErrorEventView:
    assert row.id is not None
    return ErrorEventView(
        id=row.id,
        kind=row.kind,
        where=row.where,
        error_type=row.error_type,
        message=row.message,
        stack=row.stack,
        count=row.count,
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        last_user_id=row.last_user_id,
        last_user_email=email,
    )


def list_error_events(
    uow: UnitOfWork,
    actor: Actor,
    filters: ErrorFilter | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[ErrorEventView]:
    """Errors seen most recently first (global admins only: stacks can show anyone's data)."""
    actor.require("admin.errors.read")
    f = filters or ErrorFilter()
    stmt = select(ErrorEvent, User.email).outerjoin(
        User, col(User.id) == col(ErrorEvent.last_user_id)
    )
    if f.kind:
        stmt = stmt.where(col(ErrorEvent.kind) == f.kind)
    if f.search and f.search.strip():
        term = f"%{f.search.strip().lower()}%"
        stmt = stmt.where(
            col(ErrorEvent.where).ilike(term)
            | col(ErrorEvent.error_type).ilike(term)
            | col(ErrorEvent.message).ilike(term)
        )
    keys = [SortKey(ErrorEvent.last_seen_at), SortKey(ErrorEvent.id)]
    page = paginate(
        uow.session,
        stmt,
        keys,
        lambda r: (r[0].last_seen_at, r[0].id),
        cursor=cursor,
        limit=limit,
        scalars=False,
    )
    return page.map(lambda r: _view(r[0], r[1]))


def get_error_event(uow: UnitOfWork, actor: Actor, error_id: int) -> ErrorEventView:
    actor.require("admin.errors.read")
    row = uow.session.get(ErrorEvent, error_id)
    if row is None:
        raise NotFound("error", error_id)
    user = uow.session.get(User, row.last_user_id) if row.last_user_id else None
    return _view(row, user.email if user else None)
