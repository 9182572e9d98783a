"""The sweeper: retries events that were not processed (a handler failed, or the process died
between commit and dispatch). Run by the job runner every few minutes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import col, select

from domain import clock
from domain.db import get_engine, read_only
from domain.events.dispatcher import Outcome, dispatch
from domain.events.models import OutboxEvent


@dataclass(frozen=True)
class SweepResult:
    processed: int  # events whose every handler has now succeeded
    retried: int  # events that failed again and were rescheduled
    dead: int  # events that failed for the last allowed time
    skipped: int = 0  # picked but processed meanwhile by someone else

    @property
    def picked(self) -> int:
        return self.processed + self.retried + self.dead + self.skipped


def due_event_ids(*, engine: Engine | None = None, limit: int = 500) -> list[int]:
    with read_only(engine or get_engine()) as uow:
        return list(
            uow.session.execute(
                select(OutboxEvent.id)
                .where(
                    col(OutboxEvent.processed_at).is_(None),
                    col(OutboxEvent.dead_at).is_(None),
                    col(OutboxEvent.next_attempt_at) <= clock.now(),
                )
                .order_by(col(OutboxEvent.next_attempt_at), col(OutboxEvent.id))
                .limit(limit)
            ).scalars()
        )


def sweep(*, engine: Engine | None = None, limit: int = 500) -> SweepResult:
    """Dispatch up to ``limit`` due events, oldest due first."""
    engine = engine or get_engine()
    result = dispatch(due_event_ids(engine=engine, limit=limit), engine=engine)
    return SweepResult(
        processed=result.count(Outcome.PROCESSED),
        retried=result.count(Outcome.RETRY),
        dead=result.count(Outcome.DEAD),
        skipped=result.count(Outcome.SKIPPED),
    )
