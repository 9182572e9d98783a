"""The date range of a dashboard: the rule every range obeys and the quick ranges (presets).

Pure: "today" is an argument, the business date of the ventures whose numbers are shown (the
caller reads it in their timezone). Every dashboard (freight now, each wing's later) and its API
check a range here, so a web form and an API call are refused alike, naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.errors import Invalid
from domain.schemas import business_date_problem

# The longest range a dashboard reads: two years, one of them a leap year.
MAX_RANGE_DAYS = 731
DEFAULT_DAYS = 30


class Preset(StrEnum):
    """The quick ranges a dashboard offers, each ending on a given day (by default today)."""

    LAST_7_DAYS = "7"
    LAST_30_DAYS = "30"
    LAST_90_DAYS = "90"
    THIS_MONTH = "month"


PRESET_LABELS = {
    Preset.LAST_7_DAYS: "7 days",
    Preset.LAST_30_DAYS: "30 days",
    Preset.LAST_90_DAYS: "90 days",
    Preset.THIS_MONTH: "This month",
}


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> DateRange:
        """The period of the same length just before this one (what the headlines compare to)."""
        end = self.start - timedelta(days=1)
        return DateRange(end - timedelta(days=self.days - 1), end)


def check_range(start: date | None, end: date | None) -> DateRange:
    """The range ``[start, end]`` if a dashboard may read it; else ``Invalid`` naming each bad
    field: both dates are required, each a business date within the input bounds, the end on or
    after the start, and at most ``MAX_RANGE_DAYS`` days."""
    errors: dict[str, str] = {}
    for name, value in (("start", start), ("end", end)):
        if value is None:
            errors[name] = "is required"
        elif problem := business_date_problem(value):
            errors[name] = problem
    if errors:
        raise Invalid(errors)
    assert start is not None and end is not None
    if end < start:
        raise Invalid.field("end", "must be on or after the start date")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise Invalid.field("start", f"must be at most {MAX_RANGE_DAYS} days before the end date")
    return DateRange(start, end)


def preset_range(preset: Preset | str, end: date) -> DateRange:
    """The quick range ``preset`` ending on ``end``: the last 7, 30 or 90 days up to it, or its
    month so far. An unknown preset is ``Invalid`` on ``preset``."""
    try:
        chosen = Preset(preset)
    except ValueError:
        known = ", ".join(p.value for p in Preset)
        raise Invalid.field("preset", f"must be one of {known}") from None
    if chosen is Preset.THIS_MONTH:
        return check_range(end.replace(day=1), end)
    return check_range(end - timedelta(days=int(chosen.value) - 1), end)


def default_range(today: date) -> DateRange:
    """What a dashboard shows first: the last ``DEFAULT_DAYS`` days up to today."""
    return check_range(today - timedelta(days=DEFAULT_DAYS - 1), today)


def resolve_range(
    start: date | None, end: date | None, preset: Preset | str | None, today: date
) -> DateRange:
    """A dashboard's period from what the reader sent: a ``preset`` ending on ``end`` (default
    ``today``), else ``[start, end]`` with ``end`` defaulting to ``today`` and ``start`` to the
    last ``DEFAULT_DAYS`` days up to it. Each refusal names its field."""
    for name, value in (("start", start), ("end", end)):  # before any arithmetic with them
        if value is not None and (problem := business_date_problem(value)):
            raise Invalid.field(name, problem)
    end = end or today
    if preset is not None:
        if start is not None:
            raise Invalid.field("start", "is not given with a preset (it ends on the end date)")
        return preset_range(preset, end)
    return check_range(start or end - timedelta(days=DEFAULT_DAYS - 1), end)
