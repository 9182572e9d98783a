"""The venture's hotel ratios are weighted by rooms (spec/operations.md, HospitalityKpiDaily):
"occupancy = sum sold / sum available ... never a mean of per-hotel ratios"; a zero denominator
is None, "never 0 and never an error"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from domain.hospitality.kpi import KpiFrames, compute_kpi, unweighted_occupancy
from domain.hospitality.rules import hotel_ratios

D = date(2026, 11, 20)
NY = {1: "America/New_York"}


def _frames(*hotels: tuple[int, int, int, int], **other) -> KpiFrames:
    """hotels: (hotel_id, available, sold, room revenue cents) on D in venture 1."""
    return KpiFrames.from_rows(
        hotel=[(1, D, h, avail, sold, cents, 0) for h, avail, sold, cents in hotels], **other
    )


def test_two_hotels_of_10_and_300_rooms_weigh_as_their_rooms() -> None:
    # The inn sells 10 of 10 rooms at 100.00; the tower 60 of 300 at 200.00.
    frames = _frames((1, 10, 10, 10 * 100_00), (2, 300, 60, 60 * 200_00))
    (row,) = compute_kpi(frames, NY, D, D)
    assert row.rooms_available == 310 and row.rooms_sold == 70
    assert row.occupancy == Decimal("0.225806")  # 70 / 310
    assert row.adr == Decimal("185.71")  # 13,000.00 / 70
    assert row.revpar == Decimal("41.94")  # 13,000.00 / 310
    assert row.room_revenue == Decimal("13000.00")
    # The trap: the mean of the two hotels' occupancies (1.0 and 0.2) is 0.6.
    assert unweighted_occupancy([(10, 10), (300, 60)]) == Decimal("0.600000")
    assert row.occupancy != unweighted_occupancy([(10, 10), (300, 60)])


def test_zero_rooms_available_gives_none_never_nan_or_an_error() -> None:
    (row,) = compute_kpi(_frames((1, 0, 0, 0)), NY, D, D)
    assert row.occupancy is None and row.adr is None and row.revpar is None
    assert hotel_ratios(0, 0, Decimal("0")) == (None, None, None)
    # Rooms available but none sold: occupancy and RevPAR are 0, ADR has no rooms to divide by.
    assert hotel_ratios(10, 0, Decimal("0")) == (Decimal("0.000000"), None, Decimal("0.00"))


def test_a_day_without_any_row_is_there_with_nothing_known() -> None:
    (row,) = compute_kpi(KpiFrames.from_rows(), NY, D, D)
    assert (row.hotels_reporting, row.rooms_available, row.occupancy) == (0, 0, None)
    assert row.average_rating is None and row.amount_recovered == Decimal("0.00")


def test_responses_and_disputes_count_on_the_business_date_of_the_venture() -> None:
    # 03:30 UTC on the 21st is still the evening of the 20th in New York.
    late = datetime(2026, 11, 21, 3, 30, tzinfo=UTC)
    next_day = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
    frames = KpiFrames.from_rows(
        received=[(1, D, 2), (1, D, 5)],
        responded=[(1, late), (1, next_day)],
        opened=[(1, late)],
        won=[(1, late, 150_00), (1, late, 25_50)],
    )
    (row,) = compute_kpi(frames, NY, D, D)
    assert row.reviews_received == 2 and row.average_rating == Decimal("3.500000")
    assert row.reviews_responded == 1
    assert row.disputes_opened == 1
    assert row.disputes_won == 2 and row.amount_recovered == Decimal("175.50")
