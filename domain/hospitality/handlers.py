"""Hospitality's event handlers: keep HospitalityKpiDaily of the (venture, business date) touched
fresh. Idempotent by construction: a day is recomputed from its rows, never incremented. An
upload touching many days recomputes each of them once, in one pass."""

from __future__ import annotations

from domain import cache
from domain.db import UnitOfWork
from domain.events.registry import handles
from domain.events.types import RecordedEvent
from domain.hospitality.events import HotelDisputeResolved, HotelKpiUploaded, HotelReviewResponded
from domain.hospitality.kpi import recompute_days_in


@handles(HotelKpiUploaded.type, name="hospitality.kpi_days")
def recompute_uploaded_days(uow: UnitOfWork, event: RecordedEvent) -> None:
    ev = event.parse(HotelKpiUploaded)
    recompute_days_in(uow.session.connection(), ev.venture_id, ev.days)
    # After the recomputed days commit, never before (a read in between would cache old days).
    cache.invalidate_after_commit(uow, "hospitality.dashboard", ev.venture_id)


@handles(HotelReviewResponded.type, HotelDisputeResolved.type, name="hospitality.kpi_day")
def recompute_kpi_for_event(uow: UnitOfWork, event: RecordedEvent) -> None:
    ev: HotelReviewResponded | HotelDisputeResolved
    if event.type == HotelReviewResponded.type:
        ev = event.parse(HotelReviewResponded)
    else:
        ev = event.parse(HotelDisputeResolved)
    recompute_days_in(uow.session.connection(), ev.venture_id, [ev.business_date])
    cache.invalidate_after_commit(uow, "hospitality.dashboard", ev.venture_id)
