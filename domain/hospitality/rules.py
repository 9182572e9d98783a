"""Hospitality's pure rules: the hotel ratios (spec/operations.md, Hospitality).

Every ratio is computed from sums, never averaged: a venture's occupancy is its hotels' rooms
sold over their rooms available (a 10-room inn and a 300-room tower weigh as their rooms), and
a ratio whose denominator is 0 is ``None`` (shown "n/a"), never 0, NaN or an error.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from domain.hospitality.models import DisputeStatus

RATE_QUANTUM = Decimal("0.000001")  # NUMERIC(12,6)
CENT = Decimal("0.01")


def _dec(value: Decimal | int | None) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def ratio(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """numerator / denominator to 6 places; ``None`` when the denominator is 0 or missing."""
    den = _dec(denominator)
    if den == 0:
        return None
    return (_dec(numerator) / den).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def money_ratio(amount: Decimal | None, denominator: int | None) -> Decimal | None:
    """An amount per unit (ADR, RevPAR) in cents; ``None`` when the denominator is 0."""
    den = _dec(denominator)
    if den == 0:
        return None
    return (_dec(amount) / den).quantize(CENT, rounding=ROUND_HALF_UP)


class HotelRatios(NamedTuple):
    occupancy: Decimal | None  # rooms sold / rooms available
    adr: Decimal | None  # room revenue / rooms sold
    revpar: Decimal | None  # room revenue / rooms available


def hotel_ratios(rooms_available: int, rooms_sold: int, room_revenue: Decimal) -> HotelRatios:
    """The ratios of one hotel-day, or of the *sums* of many (the weighted venture figure)."""
    return HotelRatios(
        occupancy=ratio(rooms_sold, rooms_available),
        adr=money_ratio(room_revenue, rooms_sold),
        revpar=money_ratio(room_revenue, rooms_available),
    )


def sold_problem(rooms_available: int, rooms_sold: int) -> str | None:
    if rooms_sold > rooms_available:
        return f"is more than rooms_available ({rooms_available})"
    return None


RESOLUTIONS = frozenset({DisputeStatus.WON, DisputeStatus.LOST, DisputeStatus.CLOSED_NO_ACTION})
