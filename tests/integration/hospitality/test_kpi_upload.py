"""The hotel KPI CSV (spec/operations.md): all-or-nothing, every bad line named; a good file
upserts by (hotel code, date) and the touched (venture, date) KPIs are recomputed once each."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from domain.db import read_only, unit_of_work
from domain.errors import Invalid, NotFound
from domain.hospitality import kpi, services
from domain.hospitality.models import HospitalityKpiDaily, HotelKpiDaily
from tests.helpers import actor
from tests.integration.hospitality.conftest import MANAGER, hhg, hotels, kpi_csv, yesterday


def _stored(day_from, day_to) -> dict:
    with read_only() as uow:
        rows = uow.session.execute(
            select(HotelKpiDaily).where(
                HotelKpiDaily.venture_id == hhg(),
                col(HotelKpiDaily.day) >= day_from,
                col(HotelKpiDaily.day) <= day_to,
            )
        ).scalars()
        return {(r.hotel_id, r.day): (r.rooms_sold, r.room_revenue) for r in rows}


def test_one_bad_line_among_500_writes_nothing_then_the_fixed_file_writes_500(
    demo, monkeypatch
) -> None:
    n_hotels = len(hotels())
    days = 500 // n_hotels
    assert n_hotels * days == 500
    first, last = yesterday() - timedelta(days=days - 1), yesterday()
    before = _stored(first, last)
    # Data index 337 is file line 339 (the header is line 1).
    h, day = hotels()[337 // days], yesterday() - timedelta(days=337 % days)
    bad = kpi_csv(days, bad={337: f"{h.code},{day},100,120,99.00,0,0,0"})
    with pytest.raises(Invalid) as refused, unit_of_work() as uow:
        services.upload_hotel_kpi_csv(uow, actor(MANAGER), hhg(), bad)
    assert refused.value.fields == {"line 339: rooms_sold": "is more than rooms_available (100)"}
    assert "1 bad line" in refused.value.message
    assert _stored(first, last) == before  # nothing written

    recomputed: Counter = Counter()
    real = kpi.compute_kpi

    def spy(frames, tzs, start, end):
        rows = real(frames, tzs, start, end)
        recomputed.update((r.venture_id, r.day) for r in rows)
        return rows

    monkeypatch.setattr(kpi, "compute_kpi", spy)
    with unit_of_work() as uow:
        result = services.upload_hotel_kpi_csv(
            uow, actor(MANAGER), hhg(), kpi_csv(days, sold=50), filename="nov.csv"
        )
    assert (result.rows_written, result.hotels, result.days) == (500, n_hotels, days)
    assert result.written == f"500 rows written for {n_hotels} hotels"
    after = _stored(first, last)
    assert len(after) == 500
    assert all(
        sold == min(50, h.rooms)
        for h in hotels()
        for (hid, _), (sold, _) in after.items()
        if hid == h.id
    )
    touched = {(hhg(), first + timedelta(days=d)) for d in range(days)}
    assert set(recomputed) == touched and set(recomputed.values()) == {1}  # each day once
    with read_only() as uow:
        day = uow.session.execute(
            select(HospitalityKpiDaily).where(
                HospitalityKpiDaily.venture_id == hhg(), HospitalityKpiDaily.day == last
            )
        ).scalar_one()
    sold = sum(min(50, h.rooms) for h in hotels())
    available = sum(h.rooms for h in hotels())
    assert (day.rooms_sold, day.rooms_available) == (sold, available)
    assert day.occupancy == (Decimal(sold) / available).quantize(Decimal("0.000001"))
    assert day.adr == Decimal("150.00") and day.room_revenue == Decimal(sold * 150)


def test_uploading_the_same_file_again_updates_the_same_rows(demo) -> None:
    with unit_of_work() as uow:
        services.upload_hotel_kpi_csv(uow, actor(MANAGER), hhg(), kpi_csv(2, sold=5))
    with read_only() as uow:
        n_before = uow.session.execute(select(func.count()).select_from(HotelKpiDaily)).scalar()
    with unit_of_work() as uow:
        services.upload_hotel_kpi_csv(uow, actor(MANAGER), hhg(), kpi_csv(2, sold=7))
    with read_only() as uow:
        n_after = uow.session.execute(select(func.count()).select_from(HotelKpiDaily)).scalar()
    assert n_after == n_before
    got = _stored(yesterday(), yesterday())
    assert {sold for sold, _ in got.values()} == {7}


def test_the_form_refuses_sold_above_available_and_a_future_day(demo) -> None:
    hotel = hotels()[0]
    data = {
        "hotel_id": hotel.id,
        "day": (yesterday() + timedelta(days=2)).isoformat(),
        "rooms_available": 10,
        "rooms_sold": 11,
        "room_revenue": "100.00",
    }
    with pytest.raises(Invalid) as refused, unit_of_work() as uow:
        services.upsert_hotel_kpi(uow, actor(MANAGER), data)
    assert set(refused.value.fields) == {"rooms_sold", "day"}
    ok = data | {"day": yesterday().isoformat(), "rooms_sold": 4}
    with unit_of_work() as uow:
        view = services.upsert_hotel_kpi(uow, actor(MANAGER), ok)
    assert view.occupancy == Decimal("0.400000") and view.adr == Decimal("25.00")


def test_someone_outside_the_venture_cannot_upload(demo) -> None:
    with pytest.raises(NotFound), unit_of_work() as uow:
        services.upload_hotel_kpi_csv(uow, actor("manager.afl@vcc.example"), hhg(), kpi_csv(1))
