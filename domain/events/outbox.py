"""Recording events in the use case's transaction, and reading the outbox's health."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, update
from sqlmodel import col, select

from domain import clock
from domain.db import UnitOfWork, get_engine, pk, read_only, unit_of_work
from domain.events.models import OutboxEvent
from domain.events.types import DomainEvent
from domain.schemas import View

log = logging.getLogger(__name__)

# The sweeper leaves a fresh event to the inline dispatcher for this long, so the two do not race.
DISPATCH_GRACE = timedelta(seconds=60)
MAX_ATTEMPTS = 10

_inline = True
# Delivers committed events by id; the dispatcher installs itself here when ``domain.events`` is
# imported, so the outbox (below the dispatcher) never imports it.
Deliver = Callable[[list[int], Engine], object]
_deliver: Deliver | None = None


def install_dispatcher(deliver: Deliver) -> None:
    global _deliver
    _deliver = deliver


def inline_dispatch_enabled() -> bool:
    return _inline


@contextmanager
def dispatch_paused() -> Iterator[None]:
    """Record events without dispatching them after commit (bulk jobs, tests of the sweeper)."""
    global _inline
    previous, _inline = _inline, False
    try:
        yield
    finally:
        _inline = previous


def record(uow: UnitOfWork, event: DomainEvent) -> OutboxEvent:
    """Add ``event`` to the outbox in the current transaction. Once the transaction commits, the
    dispatcher delivers it to its handlers; if it rolls back, the event never existed."""
    now = clock.now()
    row = OutboxEvent(
        type=event.type,
        venture_id=event.venture_id,
        payload=event.payload(),
        created_at=now,
        next_attempt_at=now + DISPATCH_GRACE,
    )
    uow.session.add(row)
    if not uow.pending_events:
        uow.after_commit(lambda: _dispatch_pending(uow))
    uow.pending_events.append(row)
    return row


def _dispatch_pending(uow: UnitOfWork) -> None:
    rows, uow.pending_events = list(uow.pending_events), []
    if not rows or not _inline or _deliver is None:
        return
    _deliver([pk(r) for r in rows], uow.engine)


class OutboxStats(View):
    pending: int  # not processed, not dead (includes retrying)
    retrying: int  # pending with at least one failed attempt
    dead: int
    oldest_pending_at: datetime | None
    processed_last_24h: int


def stats(*, engine: Engine | None = None) -> OutboxStats:
    """Backlog and dead counts for the admin jobs health page."""
    with read_only(engine or get_engine()) as uow:
        s = uow.session
        not_done = col(OutboxEvent.processed_at).is_(None) & col(OutboxEvent.dead_at).is_(None)
        pending, oldest = s.execute(
            select(func.count(), func.min(OutboxEvent.created_at)).where(not_done)
        ).one()
        retrying = s.execute(
            select(func.count()).where(not_done, col(OutboxEvent.attempts) > 0)
        ).scalar_one()
        dead = s.execute(
            select(func.count()).where(col(OutboxEvent.dead_at).is_not(None))
        ).scalar_one()
        since = clock.now() - timedelta(hours=24)
        done = s.execute(
            select(func.count()).where(col(OutboxEvent.processed_at) >= since)
        ).scalar_one()
    if oldest is not None and oldest.tzinfo is None:  # aggregates bypass the column type
        oldest = oldest.replace(tzinfo=UTC)
    return OutboxStats(
        pending=pending,
        retrying=retrying,
        dead=dead,
        oldest_pending_at=oldest,
        processed_last_24h=done,
    )


class DeadEventView(View):
    id: int
    type: str
    venture_id: int | None
    created_at: datetime
    dead_at: datetime
    attempts: int
    last_error: str | None


def list_dead(*, engine: Engine | None = None, limit: int = 100) -> list[DeadEventView]:
    with read_only(engine or get_engine()) as uow:
        rows = uow.session.execute(
            select(OutboxEvent)
            .where(col(OutboxEvent.dead_at).is_not(None))
            .order_by(col(OutboxEvent.dead_at).desc(), col(OutboxEvent.id).desc())
            .limit(limit)
        ).scalars()
        return [
            DeadEventView(
                id=pk(r),
                type=r.type,
                venture_id=r.venture_id,
                created_at=r.created_at,
                dead_at=r.dead_at,
                attempts=r.attempts,
                last_error=r.last_error,
            )
            for r in rows
            if r.dead_at is not None
        ]


def requeue(event_ids: Sequence[int], *, engine: Engine | None = None) -> int:
    """Give dead events a fresh set of attempts (after the cause was fixed)."""
    if not event_ids:
        return 0
    with unit_of_work(engine or get_engine()) as uow:
        result = uow.session.execute(
            update(OutboxEvent)
            .where(col(OutboxEvent.id).in_(list(event_ids)), col(OutboxEvent.dead_at).is_not(None))
            .values(dead_at=None, attempts=0, next_attempt_at=clock.now())
        )
        return int(getattr(result, "rowcount", 0) or 0)
