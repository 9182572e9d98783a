"""Freight's event handlers: keep FreightKpiDaily of the (venture, business date) touched fresh.

Idempotent by construction: the day is recomputed from the loads, not incremented.
"""

from __future__ import annotations

from domain import cache
from domain.db import UnitOfWork
from domain.events.registry import handles
from domain.events.types import RecordedEvent
from domain.freight.events import LoadCovered, LoadDelivered, LoadLost
from domain.freight.kpi import recompute_in

DAY_EVENTS: dict[str, type[LoadCovered | LoadDelivered | LoadLost]] = {
    e.type: e for e in (LoadCovered, LoadDelivered, LoadLost)
}


@handles(*DAY_EVENTS, name="freight.kpi_day")
def recompute_kpi_for_event(uow: UnitOfWork, event: RecordedEvent) -> None:
    """Typed like every handler: the payload parsed as its event class."""
    ev = event.parse(DAY_EVENTS[event.type])
    if ev.venture_id is None:
        return
    recompute_in(uow.session.connection(), ev.venture_id, ev.business_date)
    # After the recomputed day commits, never before: a read in between would cache the old day.
    cache.invalidate_after_commit(uow, "freight.dashboard", ev.venture_id)
