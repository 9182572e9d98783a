"""housekeeping: quote timeouts (SENT past expires_at -> NO_RESPONSE) and the outbox sweep.

The scheduler also sweeps the outbox every few minutes on its own (retries must not wait a day);
this job's sweep is the daily, reported one. Dormant-customer tasks and the points balance
reconciliation join when gamification exists.

Canonical result rows: one per quote this run timed out, and the number of outbox events that
were due when it started. A dry run reports what it would do and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from domain import clock
from domain.db import get_engine, unit_of_work
from domain.jobs.hashing import TableInputs, table_inputs
from domain.jobs.tasks.kpi_aggregate import JobInputError
from domain.org.models import Venture


@dataclass
class Housekeeping:
    business_date: date
    dry_run: bool
    cutoff: datetime
    quotes: list[dict[str, Any]]  # the quotes timed out (or that would be)
    due_events: int
    quotes_expired: int = 0  # the freight service's own count (live runs)
    sweep: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [{"action": "quote_no_response", **q} for q in self.quotes] + [
            {"action": "outbox_due", "events": self.due_events}
        ]

    @property
    def summary(self) -> dict[str, Any]:
        return {
            "quotes_timed_out": len(self.quotes) if self.dry_run else self.quotes_expired,
            "outbox_due": self.due_events,
            "outbox_sweep": self.sweep or None,
        }


def _expired_quotes(engine: Engine, cutoff: datetime, ids: list[int] | None = None) -> Any:
    from domain.freight.models import FreightQuote, QuoteStatus

    stmt = (
        select(FreightQuote.id, Venture.code, FreightQuote.expires_at)
        .join(Venture, col(Venture.id) == FreightQuote.venture_id)
        .order_by(col(FreightQuote.id))
    )
    if ids is None:
        stmt = stmt.where(
            FreightQuote.status == QuoteStatus.SENT,
            col(FreightQuote.expires_at) <= cutoff,
        )
    else:
        stmt = stmt.where(
            col(FreightQuote.id).in_(ids), FreightQuote.status == QuoteStatus.NO_RESPONSE
        )
    with engine.connect() as conn:
        return [{"quote_id": i, "venture": c, "expires_at": e} for i, c, e in conn.execute(stmt)]


def _expire_quotes_service() -> Any:
    try:
        from domain.freight import services
    except ImportError as exc:
        raise JobInputError(
            "housekeeping needs domain.freight.services (issue 4), missing from this build"
        ) from exc
    fn = getattr(services, "expire_quotes", None)
    if fn is None:
        raise JobInputError(
            "housekeeping needs domain.freight.services.expire_quotes, missing from this build"
        )
    return fn


def run(business_date: date, *, dry_run: bool, engine: Engine | None = None) -> Housekeeping:
    from domain.events.sweeper import due_event_ids, sweep

    engine = engine or get_engine()
    cutoff = clock.now()
    candidates = _expired_quotes(engine, cutoff)
    due = len(due_event_ids(engine=engine, limit=1_000_000))
    result = Housekeeping(business_date, dry_run, cutoff, candidates, due)
    if dry_run:
        return result
    expire_quotes = _expire_quotes_service()
    with unit_of_work(engine) as uow:
        from domain.access.scope import system_actor

        result.quotes_expired = int(expire_quotes(uow, system_actor(uow.session)))
    # The quotes of the snapshot that are NO_RESPONSE now: what this run did (a quote that
    # expired in between is in the service's count, not in the rows).
    result.quotes = _expired_quotes(engine, cutoff, [q["quote_id"] for q in candidates])
    swept = sweep(engine=engine)
    result.sweep = {
        "processed": swept.processed,
        "retried": swept.retried,
        "dead": swept.dead,
        "skipped": swept.skipped,
    }
    return result


def inputs(engine: Engine) -> list[TableInputs]:
    """What housekeeping acts on: quotes SENT past their expiry, outbox events due now."""
    from domain.events.models import OutboxEvent
    from domain.freight.models import FreightQuote, QuoteStatus

    now = clock.now()
    with engine.connect() as conn:
        quotes = conn.execute(
            select(FreightQuote.id, FreightQuote.status, FreightQuote.expires_at).where(
                FreightQuote.status == QuoteStatus.SENT, col(FreightQuote.expires_at) <= now
            )
        ).mappings()
        q = table_inputs("freight_quote", [dict(r) for r in quotes])
        events = conn.execute(
            select(OutboxEvent.id, OutboxEvent.attempts).where(
                col(OutboxEvent.processed_at).is_(None),
                col(OutboxEvent.dead_at).is_(None),
                col(OutboxEvent.next_attempt_at) <= now,
            )
        ).mappings()
        e = table_inputs("outbox_event", [dict(r) for r in events])
    return [q, e]
