"""Delivering recorded events to their handlers (after commit, and again from the sweeper).

Each handler runs in its own unit of work, which also writes the handler's delivery row: either
both commit or neither does. The delivery row is claimed first (inserted if missing, then locked
FOR UPDATE), so two dispatchers of one event (the inline one and the sweeper, or two sweepers) run
a handler one after the other, and the second finds it processed and skips it. A handler that
raises is logged and recorded on its delivery row and the event is rescheduled with backoff; the
user's change, committed long before, is untouched. After ``MAX_ATTEMPTS`` rounds with a failure
the event is marked dead (visible on the admin page).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import Engine, update
from sqlmodel import col, select

from domain import clock
from domain.db import UnitOfWork, dialect_insert, get_engine, pk, read_only, unit_of_work
from domain.events.models import OutboxDelivery, OutboxEvent
from domain.events.outbox import MAX_ATTEMPTS
from domain.events.registry import handlers_for
from domain.events.types import RecordedEvent

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` failed rounds: 30 s, 1 min, 2 min ... 6 h."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


class Outcome(StrEnum):
    PROCESSED = "processed"  # every handler has succeeded
    RETRY = "retry"  # a handler failed; rescheduled
    DEAD = "dead"  # a handler failed for the last allowed time
    SKIPPED = "skipped"  # already processed or dead, or unknown id


@dataclass
class DispatchResult:
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    handled: list[tuple[int, str]] = field(default_factory=list)  # (event id, handler) that ran OK
    errors: dict[tuple[int, str], str] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes.values() if o is outcome)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _delivery(uow: UnitOfWork, event_id: int, handler: str) -> OutboxDelivery:
    """The (event, handler) delivery row, created if missing and locked until the transaction
    ends: the unique (event_id, handler) decides who creates it, never a prior read."""
    table = OutboxDelivery.__table__  # type: ignore[attr-defined]
    insert = dialect_insert(uow.session.get_bind())
    uow.session.execute(
        insert(table)
        .values(event_id=event_id, handler=handler, attempts=0)
        .on_conflict_do_nothing(index_elements=["event_id", "handler"])
    )
    return uow.session.execute(
        select(OutboxDelivery)
        .where(OutboxDelivery.event_id == event_id, OutboxDelivery.handler == handler)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def dispatch_event(
    event_id: int, *, engine: Engine | None = None, force: bool = False
) -> DispatchResult:
    return dispatch([event_id], engine=engine, force=force)


def dispatch(
    event_ids: Sequence[int], *, engine: Engine | None = None, force: bool = False
) -> DispatchResult:
    """Deliver each event to the handlers that have not yet succeeded for it.

    ``force`` re-runs every handler even of processed events (used to prove idempotency and to
    replay after a handler bug fix); a processed event stays processed.
    """
    engine = engine or get_engine()
    result = DispatchResult()
    for event_id in event_ids:
        result.outcomes[event_id] = _dispatch_one(engine, event_id, force, result)
    return result


def _dispatch_one(engine: Engine, event_id: int, force: bool, result: DispatchResult) -> Outcome:
    with read_only(engine) as uow:
        row = uow.session.get(OutboxEvent, event_id)
        if row is None or (not force and (row.processed_at is not None or row.dead_at is not None)):
            return Outcome.SKIPPED
        event = RecordedEvent(
            id=pk(row),
            type=row.type,
            venture_id=row.venture_id,
            payload=dict(row.payload or {}),
            created_at=row.created_at,
            attempts=row.attempts,
        )
        done = set(
            uow.session.execute(
                select(OutboxDelivery.handler).where(
                    OutboxDelivery.event_id == event_id,
                    col(OutboxDelivery.processed_at).is_not(None),
                )
            ).scalars()
        )
        already_processed = row.processed_at is not None
    failures: dict[str, str] = {}
    for name, handler in handlers_for(event.type):
        if name in done and not force:
            continue
        try:
            with unit_of_work(engine) as huow:
                delivery = _delivery(huow, event.id, name)
                if delivery.processed_at is not None and not force:
                    continue  # another dispatcher delivered it while this one waited
                handler(huow, event)
                now = clock.now()
                delivery.attempts += 1
                delivery.processed_at = delivery.processed_at or now
                delivery.last_attempt_at = now
                delivery.last_error = None
            result.handled.append((event.id, name))
        except Exception as exc:
            log.exception("handler %s failed for event %s (%s)", name, event.id, event.type)
            failures[name] = _error_text(exc)
            result.errors[(event.id, name)] = failures[name]
            try:
                with unit_of_work(engine) as fuow:
                    delivery = _delivery(fuow, event.id, name)
                    delivery.attempts += 1
                    delivery.last_attempt_at = clock.now()
                    delivery.last_error = failures[name]
            except Exception:  # the event row below still records the failure
                log.exception("could not record the failure of %s for event %s", name, event.id)
    return _settle(engine, event, failures, already_processed)


def _settle(
    engine: Engine, event: RecordedEvent, failures: dict[str, str], already_processed: bool
) -> Outcome:
    now = clock.now()
    with unit_of_work(engine) as uow:
        row = uow.session.get(OutboxEvent, event.id, with_for_update=True)
        if row is None:
            return Outcome.SKIPPED
        row.attempts += 1
        if not failures:
            row.processed_at = row.processed_at or now
            row.last_error = None
            return Outcome.PROCESSED
        row.last_error = "; ".join(f"{name}: {err}" for name, err in failures.items())[:4000]
        if already_processed:  # a forced replay failed: the event stays processed
            return Outcome.RETRY
        if row.attempts >= MAX_ATTEMPTS:
            row.dead_at = now
            return Outcome.DEAD
        row.next_attempt_at = now + backoff(row.attempts)
        return Outcome.RETRY


def retry_now(event_id: int, *, engine: Engine | None = None) -> None:
    """Make a pending event due now (the admin "retry now" button, tests)."""
    with unit_of_work(engine or get_engine()) as uow:
        uow.session.execute(
            update(OutboxEvent)
            .where(col(OutboxEvent.id) == event_id)
            .values(next_attempt_at=clock.now())
        )
