"""The hospitality dashboard through the cache (spec: Caching): a hotel KPI upload shows on the
next read of that venture's dashboard, in-process and with a real Redis."""

from __future__ import annotations

from domain import cache
from domain.db import read_only, unit_of_work
from domain.hospitality import services
from domain.hospitality.dashboard import hospitality_dashboard
from domain.hospitality.schemas import HospitalityDashboard
from tests.helpers import actor
from tests.integration.hospitality.conftest import MANAGER, hhg, hotels, kpi_csv


def read() -> HospitalityDashboard:
    with read_only() as uow:
        return hospitality_dashboard(uow, actor(MANAGER), venture_id=hhg(), preset="7")


def upload_shows_on_the_next_read() -> None:
    sold = min(h.rooms for h in hotels()) - 1
    before = read()
    # From the cache (which says nothing was computed for this read).
    assert read() == before.model_copy(update={"computed_now": [], "computed_note": ""})
    with unit_of_work() as uow:
        services.upload_hotel_kpi_csv(uow, actor(MANAGER), hhg(), kpi_csv(3, sold=sold))
    after = read()
    assert after.current.rooms_sold != before.current.rooms_sold
    cache.use_cache(None)  # nothing cached: the database's own numbers
    assert read().current == after.current


def test_a_kpi_upload_shows_on_the_next_read_in_process(demo) -> None:
    upload_shows_on_the_next_read()


def test_a_kpi_upload_shows_on_the_next_read_with_redis(demo, redis_cache) -> None:
    upload_shows_on_the_next_read()
