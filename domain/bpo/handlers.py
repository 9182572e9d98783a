"""BPO's event handlers: keep BpoKpiDaily of the (venture, business date) touched fresh.
Idempotent by construction: a day is recomputed from its rows, never incremented, so a call's
BpoCallCompleted delivered twice leaves the same day."""

from __future__ import annotations

from domain import cache
from domain.bpo.dashboard import DASHBOARD
from domain.bpo.events import BpoCallCompleted, BpoCallsImported, BpoKpiImported, BpoKpiUpserted
from domain.bpo.kpi import recompute_days_in
from domain.db import UnitOfWork
from domain.events.registry import handles
from domain.events.types import RecordedEvent

# A recomputed day invalidates the venture's BPO dashboard entries after commit (and with them
# the leadership overview's: any invalidation of a venture drops it, ``cache.ANY``).


@handles(BpoCallCompleted.type, BpoKpiUpserted.type, name="bpo.kpi_day")
def recompute_kpi_day(uow: UnitOfWork, event: RecordedEvent) -> None:
    ev: BpoCallCompleted | BpoKpiUpserted
    if event.type == BpoCallCompleted.type:
        ev = event.parse(BpoCallCompleted)
    else:
        ev = event.parse(BpoKpiUpserted)
    recompute_days_in(uow.session.connection(), ev.venture_id, [ev.business_date])
    cache.invalidate_after_commit(uow, DASHBOARD, ev.venture_id)


@handles(BpoCallsImported.type, BpoKpiImported.type, name="bpo.kpi_days")
def recompute_imported_days(uow: UnitOfWork, event: RecordedEvent) -> None:
    ev: BpoCallsImported | BpoKpiImported
    if event.type == BpoCallsImported.type:
        ev = event.parse(BpoCallsImported)
    else:
        ev = event.parse(BpoKpiImported)
    recompute_days_in(uow.session.connection(), ev.venture_id, ev.days)
    cache.invalidate_after_commit(uow, DASHBOARD, ev.venture_id)
