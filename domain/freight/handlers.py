"""Freight's event handlers: keep FreightKpiDaily of the (venture, business date) touched fresh.

Idempotent by construction: the day is recomputed from the loads, not incremented.
"""

from __future__ import annotations

from datetime import date

from domain.db import UnitOfWork
from domain.events.registry import handles
from domain.events.types import RecordedEvent
from domain.freight.kpi import recompute_in


@handles("LoadCovered", "LoadDelivered", "LoadLost", name="freight.kpi_day")
def recompute_kpi_for_event(uow: UnitOfWork, event: RecordedEvent) -> None:
    venture_id = event.venture_id
    if venture_id is None:
        return
    day = date.fromisoformat(str(event.payload["business_date"]))
    recompute_in(uow.session.connection(), venture_id, day)
