"""housekeeping: each wing's daily chores (freight: SENT quotes past expiry become NO_RESPONSE)
and the outbox sweep.

The chores come from the manifests (``domain.verticals.HousekeepingStep``); this task knows no
wing. The scheduler also sweeps the outbox every few minutes on its own (retries must not wait a
day); this job's sweep is the daily, reported one.

Canonical result rows: one per thing a chore did (``{"action": ..., ...}``), and the number of
outbox events that were due when it started. A dry run reports what it would do and changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from domain import clock
from domain.db import get_engine
from domain.jobs.hashing import TableInputs, table_inputs
from domain.verticals import housekeeping_steps


@dataclass
class Housekeeping:
    business_date: date
    dry_run: bool
    cutoff: datetime
    done: dict[str, list[dict[str, Any]]]  # action -> what it did (or would do)
    due_events: int
    counts: dict[str, int] = field(default_factory=dict)  # the services' own counts (live)
    sweep: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [{"action": action, **r} for action, rows in self.done.items() for r in rows] + [
            {"action": "outbox_due", "events": self.due_events}
        ]

    @property
    def tables(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """(title, rows) of each chore, for the notebook."""
        state = " (dry run: what it would do)" if self.dry_run else ""
        return [(s.title + state, self.done.get(s.action, [])) for s in housekeeping_steps()]

    @property
    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for step in housekeeping_steps():
            rows = self.done.get(step.action, [])
            out[step.counted_as] = len(rows) if self.dry_run else self.counts.get(step.action, 0)
        return out | {"outbox_due": self.due_events, "outbox_sweep": self.sweep or None}


def run(business_date: date, *, dry_run: bool, engine: Engine | None = None) -> Housekeeping:
    from domain.events.sweeper import due_event_ids, sweep

    engine = engine or get_engine()
    cutoff = clock.now()
    steps = housekeeping_steps()
    candidates = {step.action: step.candidates(engine, cutoff) for step in steps}
    due = len(due_event_ids(engine=engine, limit=1_000_000))
    result = Housekeeping(business_date, dry_run, cutoff, candidates, due)
    if dry_run:
        return result
    for step in steps:
        count, done = step.run(engine, cutoff, candidates[step.action])
        result.counts[step.action] = count
        result.done[step.action] = done
    swept = sweep(engine=engine)
    result.sweep = {
        "processed": swept.processed,
        "retried": swept.retried,
        "dead": swept.dead,
        "skipped": swept.skipped,
    }
    return result


def inputs(engine: Engine) -> list[TableInputs]:
    """What housekeeping acts on: each chore's due rows, outbox events due now."""
    from domain.events.models import OutboxEvent

    now = clock.now()
    out = [t for step in housekeeping_steps() for t in step.inputs(engine, now)]
    with engine.connect() as conn:
        events = conn.execute(
            select(OutboxEvent.id, OutboxEvent.attempts).where(
                col(OutboxEvent.processed_at).is_(None),
                col(OutboxEvent.dead_at).is_(None),
                col(OutboxEvent.next_attempt_at) <= now,
            )
        ).mappings()
        out.append(table_inputs("outbox_event", [dict(r) for r in events]))
    return out
