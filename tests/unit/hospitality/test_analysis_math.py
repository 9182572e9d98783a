"""The analysts' monthly roll-up keeps the wing's rule (spec/operations.md, HospitalityKpiDaily):
"occupancy = sum sold / sum available ... never a mean of per-hotel ratios"; a zero denominator
is None, never 0; money ratios to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl

from domain.hospitality.analysis import by_month, over_range


def _days(*rows: tuple[str, date, int, int, int]) -> pl.DataFrame:
    """(hotel, day, available, sold, room revenue cents) of one USD venture."""
    return pl.DataFrame(
        [("HHG", "USD", h, d, a, s, c, 0) for h, d, a, s, c in rows],
        schema=["venture", "currency", "hotel", "day", "available", "sold", "room_c", "other_c"],
        orient="row",
    )


def test_a_10_and_a_300_room_hotel_weigh_as_their_rooms() -> None:
    # The inn sells 10 of 10 rooms at 100.00 on two days, the tower 60 of 300 at 200.00.
    days = _days(
        *(("INN", date(2026, 11, d), 10, 10, 10 * 100_00) for d in (1, 2)),
        *(("TWR", date(2026, 11, d), 300, 60, 60 * 200_00) for d in (1, 2)),
    )
    (month,) = by_month(days, ["venture", "currency"]).iter_rows(named=True)
    assert (month["month"], month["days"], month["available"], month["sold"]) == (
        date(2026, 11, 1),
        2,
        620,
        140,
    )
    assert month["occupancy"] == 0.225806  # 140 / 620, not the hotels' mean (1.0 + 0.2) / 2
    assert month["adr"] == Decimal("185.71")  # 26,000.00 / 140
    assert month["revpar"] == Decimal("41.94")  # 26,000.00 / 620
    hotels = by_month(days, ["venture", "currency", "hotel"])
    assert hotels["occupancy"].to_list() == [1.0, 0.2]


def test_no_rooms_available_gives_null_and_money_rounds_half_up() -> None:
    days = _days(
        ("TWR", date(2026, 10, 31), 0, 0, 0),  # closed for works
        ("INN", date(2026, 11, 1), 2, 2, 5),  # 0.05 over 2 rooms: 0.025, half-up 0.03
        ("INN", date(2026, 12, 1), 4, 1, 1),  # 0.01 over 4 rooms: 0.0025, rounds to 0.00
    )
    rows = {(r["hotel"], r["month"]): r for r in by_month(days, ["hotel"]).iter_rows(named=True)}
    closed = rows[("TWR", date(2026, 10, 1))]
    assert (closed["occupancy"], closed["adr"], closed["revpar"]) == (None, None, None)
    november = rows[("INN", date(2026, 11, 1))]
    assert (november["adr"], november["revpar"]) == (Decimal("0.03"), Decimal("0.03"))
    december = rows[("INN", date(2026, 12, 1))]
    assert (december["occupancy"], december["adr"], december["revpar"]) == (
        0.25,
        Decimal("0.01"),
        Decimal("0.00"),
    )


def test_the_range_is_one_sum_not_a_mean_of_months() -> None:
    days = _days(
        ("INN", date(2026, 10, 1), 10, 10, 1000_00),  # October: full, 100.00 a room
        *(("INN", date(2026, 11, d), 10, 0, 0) for d in range(1, 10)),  # nine empty days
    )
    (whole,) = over_range(days, ["hotel"]).iter_rows(named=True)
    assert (whole["month"], whole["available"], whole["sold"]) == (date(2026, 10, 1), 100, 10)
    assert (whole["occupancy"], whole["revpar"]) == (
        0.1,
        Decimal("10.00"),
    )  # the months' mean is 0.5
