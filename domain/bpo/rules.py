"""BPO's pure rules: the call-centre ratios (spec/operations.md, BPO).

Ratios are ratios of sums (a venture's connect rate is its connects over its dials, never an
average of agents' rates); a ratio whose denominator is 0 is ``None`` (shown "n/a"), never 0,
NaN or an error.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

RATE_QUANTUM = Decimal("0.000001")  # NUMERIC(12,6)


def _dec(value: Decimal | int | None) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def ratio(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """numerator / denominator to 6 places; ``None`` when the denominator is 0 or missing."""
    den = _dec(denominator)
    if den == 0:
        return None
    return (_dec(numerator) / den).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def talk_seconds(started_at: datetime, ended_at: datetime | None) -> int:
    """Talk seconds of a call: ended - started, whole seconds; 0 while the call has no end."""
    if ended_at is None:
        return 0
    return max(0, int((ended_at - started_at).total_seconds()))


def talk_minutes(seconds: int) -> Decimal:
    return (Decimal(seconds) / 60).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


class CallRatios(NamedTuple):
    connect_rate: Decimal | None  # connects / dials
    avg_handle_seconds: Decimal | None  # talk seconds / connected calls
    conversion: Decimal | None  # deals / connects


def call_ratios(dials: int, connects: int, talk_secs: int, deals: int) -> CallRatios:
    """The ratios of one agent-day, or of the *sums* of many (the venture figure)."""
    return CallRatios(
        connect_rate=ratio(connects, dials),
        avg_handle_seconds=ratio(talk_secs, connects),
        conversion=ratio(deals, connects),
    )


def average(values: list[Decimal]) -> Decimal | None:
    """The mean of the values given (QA scores), ``None`` when there is none."""
    if not values:
        return None
    return ratio(sum(values, Decimal(0)), len(values))


def call_problems(
    started_at: datetime, ended_at: datetime | None, dial_count: int
) -> dict[str, str]:
    """The field errors of a call: it cannot end before it starts, and dials at least once."""
    errors: dict[str, str] = {}
    if ended_at is not None and ended_at < started_at:
        errors["ended_at"] = "is before started_at"
    if dial_count < 1:
        errors["dial_count"] = "must be at least 1"
    return errors


def qa_problem(qa_score: Decimal | None) -> str | None:
    if qa_score is not None and not Decimal(0) <= qa_score <= Decimal(100):
        return "must be between 0 and 100"
    return None
