"""Time: UTC instants and business dates.

A *business date* is the calendar date of a UTC instant in the venture's timezone. Timestamps are
always timezone-aware UTC. ``now()`` is the one place the product reads the wall clock, so tests
can freeze it (``frozen``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_frozen: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Freeze ``now()`` (tests only; not thread-safe by design)."""
    global _frozen
    previous = _frozen
    _frozen = ensure_utc(at)
    try:
        yield
    finally:
        _frozen = previous


def ensure_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: timestamps must be timezone-aware")
    return value.astimezone(UTC)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        # OSError: a name no file system accepts (too long), e.g. from a forged cookie or form.
        raise ValueError(f"unknown timezone {name[:80]!r}") from exc


def is_valid_timezone(name: str) -> bool:
    try:
        zone(name)
    except ValueError:
        return False
    return True


def business_date(instant: datetime, tz: str) -> date:
    """The calendar date of ``instant`` in timezone ``tz``."""
    return ensure_utc(instant).astimezone(zone(tz)).date()


def today(tz: str) -> date:
    return business_date(now(), tz)


def day_bounds_utc(day: date, tz: str) -> tuple[datetime, datetime]:
    """``[start, end)`` in UTC of business date ``day`` in ``tz`` (23 or 25 hours around DST)."""
    z = zone(tz)
    start = datetime.combine(day, time.min, tzinfo=z).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=z).astimezone(UTC)
    return start, end


def local_time(instant: datetime, tz: str) -> datetime:
    return ensure_utc(instant).astimezone(zone(tz))


def format_business_date(day: date) -> str:
    """``27 Nov 2026``: the house date format."""
    return f"{day.day} {day:%b %Y}"
