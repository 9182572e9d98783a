"""The daily briefing's signals: the one table of thresholds and the pure rules that read it.

The briefing job (``domain.jobs.tasks.briefing``) compares a venture's business date D
("yesterday" when the scheduler fires) with the days before it. Each wing measures its own
numbers (``briefing_signals.py`` in the wing, declared as ``BriefingSignal`` in its manifest) and
asks the rules below for a severity, so every threshold of spec/briefing-and-dashboards.md
lives in :data:`THRESHOLDS` and nowhere else. A rule returns ``None`` when nothing fires; the
thresholds are inclusive ("dropped by >= 0.10").

Every item a signal writes has a source key ``signal:<signal>[:<id>]``: unique per (venture,
date, key), so a re-run of the day replaces the day's signal items rather than adding to them.

- freight.coverage_drop: covered / created on D against the 7 days before (ratio of sums);
  WARN at a drop >= 0.10, CRITICAL >= 0.15; read only with >= 5 loads created on D.
- freight.lost_to_rate: the share of D's lost loads with reason RATE; WARN >= 0.50,
  CRITICAL >= 0.70; read only with >= 3 losses on D.
- freight.internal_error: D's losses with reason INTERNAL_ERROR; WARN >= 1; CRITICAL >= 3 or
  >= 30 % of D's losses.
- hotel.occupancy_drop / hotel.revpar_drop: a hotel's occupancy (points) and RevPAR (relative) of
  D-2..D against D-6..D-3; WARN at 10 points / 15 %, CRITICAL at 15 points / 25 %.
- hotel.low_review_unanswered: reviews rated <= 3 without a response 48 h after they were
  recorded; WARN at 1. hotel.top_review: reviews of D rated >= 4.5, a win (INFO) each.
- bpo.conversion_drop: deals / connects on D against the 7 days before (points); WARN >= 3,
  CRITICAL >= 7. bpo.low_qa: D's average QA score; WARN < 75, CRITICAL < 65.
- ops.overdue_tasks: open tasks due on or before D; WARN >= 1, CRITICAL >= 15.
- ops.missing_eod: people of an office without an EOD report for a weekday D; WARN at 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.briefing.models import Section, Severity

SIGNAL_PREFIX = "signal"


@dataclass(frozen=True)
class Threshold:
    warn: Decimal | None  # None: this signal never warns (a win, or critical only)
    critical: Decimal | None  # None: it never becomes a fire
    minimum: int = 0  # how many observations the day needs before the signal is read at all
    below: bool = False  # True: fires when the value is *below* the threshold (QA score)


# The thresholds of spec/briefing-and-dashboards.md, "Daily briefing". Nothing else in the code
# compares a briefing number with a constant.
THRESHOLDS: dict[str, Threshold] = {
    "freight.coverage_drop": Threshold(Decimal("0.10"), Decimal("0.15"), minimum=5),
    "freight.lost_to_rate": Threshold(Decimal("0.50"), Decimal("0.70"), minimum=3),
    "freight.internal_error": Threshold(Decimal("1"), Decimal("3")),
    "freight.internal_error_share": Threshold(None, Decimal("0.30")),
    "hotel.occupancy_drop": Threshold(Decimal("10"), Decimal("15")),
    "hotel.revpar_drop": Threshold(Decimal("0.15"), Decimal("0.25")),
    "hotel.low_review_rating": Threshold(Decimal("3"), None),  # rating <= 3
    "hotel.low_review_hours": Threshold(Decimal("48"), None),  # unanswered after 48 h
    "hotel.low_review_unanswered": Threshold(Decimal("1"), None),  # how many are waiting
    "hotel.top_review_rating": Threshold(Decimal("4.5"), None),  # rating >= 4.5: a win
    "bpo.conversion_drop": Threshold(Decimal("3"), Decimal("7")),
    "bpo.low_qa": Threshold(Decimal("75"), Decimal("65"), below=True),
    "ops.overdue_tasks": Threshold(Decimal("1"), Decimal("15")),
    "ops.missing_eod": Threshold(Decimal("1"), None),
}

# The baseline windows (business dates): the 7 days before D; hotels compare D-2..D with the 4
# days before them.
BASELINE_DAYS = 7
HOTEL_RECENT_DAYS = 3
HOTEL_BEFORE_DAYS = 4


def level(key: str, value: Decimal | int | None) -> Severity | None:
    """The severity ``value`` reaches on the signal ``key`` (None: below every threshold)."""
    if value is None:
        return None
    t = THRESHOLDS[key]
    v = Decimal(value)
    if t.below:
        if t.critical is not None and v < t.critical:
            return Severity.CRITICAL
        if t.warn is not None and v < t.warn:
            return Severity.WARN
        return None
    if t.critical is not None and v >= t.critical:
        return Severity.CRITICAL
    if t.warn is not None and v >= t.warn:
        return Severity.WARN
    return None


def worst(*levels: Severity | None) -> Severity | None:
    """The most severe of ``levels`` (CRITICAL over WARN), None when none fired."""
    fired = [s for s in levels if s is not None]
    if Severity.CRITICAL in fired:
        return Severity.CRITICAL
    if Severity.WARN in fired:
        return Severity.WARN
    return fired[0] if fired else None


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator, None (never NaN, never an error) when the denominator is 0."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def drop(before: Decimal | None, now: Decimal | None) -> Decimal | None:
    """How far ``now`` fell below ``before`` (negative when it rose); None when either is."""
    if before is None or now is None:
        return None
    return before - now


def relative_drop(before: Decimal | None, now: Decimal | None) -> Decimal | None:
    """The drop as a share of ``before`` (0.2 = 20 % lower); None when ``before`` is 0 or None."""
    if before is None or now is None or before <= 0:
        return None
    return (before - now) / before


def coverage_drop(
    created: int, covered: int, base_created: int, base_covered: int
) -> tuple[Severity | None, Decimal | None]:
    """Freight coverage (covered / created) on D against the 7 days before, as ratios of sums.
    Read only when D had at least the threshold's minimum of loads created."""
    if created < THRESHOLDS["freight.coverage_drop"].minimum:
        return None, None
    fell = drop(ratio(base_covered, base_created), ratio(covered, created))
    return level("freight.coverage_drop", fell), fell


def lost_to_rate(lost: int, lost_rate: int) -> tuple[Severity | None, Decimal | None]:
    """The share of D's lost loads lost on rate (read only with the minimum of losses)."""
    if lost < THRESHOLDS["freight.lost_to_rate"].minimum:
        return None, None
    share = ratio(lost_rate, lost)
    return level("freight.lost_to_rate", share), share


def internal_error(lost: int, internal: int) -> Severity | None:
    """Any loss on INTERNAL_ERROR warns; three or more, or 30 % of the day's losses, is a fire."""
    if internal <= 0:
        return None
    return worst(
        level("freight.internal_error", internal),
        level("freight.internal_error_share", ratio(internal, lost)),
    )


def qa_level(average_qa: Decimal | None) -> Severity | None:
    return level("bpo.low_qa", average_qa)


@dataclass(frozen=True)
class SignalVenture:
    """The venture and business date a signal reads."""

    id: int
    code: str
    type: str
    timezone: str
    currency: str
    day: date


@dataclass(frozen=True)
class Draft:
    """An item a signal wants on the briefing of its venture and date."""

    signal: str  # the THRESHOLDS key (or the signal's own key for a win)
    section: Section
    severity: Severity
    title: str
    detail: str
    link: str | None
    subject: str = ""  # what it is about inside the venture ("" for the venture itself)
    evidence: dict[str, Any] = field(default_factory=dict)  # the numbers compared

    @property
    def source_key(self) -> str:
        key = f"{SIGNAL_PREFIX}:{self.signal}"
        return f"{key}:{self.subject}" if self.subject else key


def points(value: Decimal | None) -> str:
    """A share as percentage points for a sentence ("0.125" -> "12.5 pts")."""
    if value is None:
        return "n/a"
    return f"{(value * 100).quantize(Decimal('0.1'))} pts"


def percent(value: Decimal | None) -> str:
    if value is None:
        return "n/a"
    return f"{(value * 100).quantize(Decimal('0.1'))} %"
