"""What every wing's dashboard read does the same way: resolve the period from the request (typed
dates, a preset, or the default last 30 days ending today in the ventures' timezone), refuse
ventures in several currencies (never added), and compare a headline with the previous period.

Generic: no wing is imported. Freight, hospitality and BPO dashboards build their own rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from domain import clock
from domain.analytics.ranges import DEFAULT_DAYS, DateRange, Preset, check_range, preset_range
from domain.errors import Invalid
from domain.schemas import View, business_date_problem
from domain.settings import get_settings

RATE_QUANTUM = Decimal("0.000001")


class _Venture(Protocol):
    @property
    def timezone(self) -> str: ...

    @property
    def currency(self) -> str: ...


class Headline(View):
    metric: str
    label: str
    kind: str  # count | money | ratio
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None  # relative for counts and money, points for ratios


def ratio(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """numerator / denominator to 6 places; ``None`` when the denominator is 0 or missing (never
    NaN, never 0 for an undefined ratio)."""
    den = Decimal(denominator or 0)
    if den == 0:
        return None
    return (Decimal(numerator or 0) / den).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def headline(
    metric: str, label: str, kind: str, value: Decimal | int | None, previous: Decimal | int | None
) -> Headline:
    """A metric of the period against the previous one: the change of a ratio in points (a
    difference), of a count or an amount relative to the previous value (``None`` from 0)."""
    a = None if value is None else Decimal(value)
    b = None if previous is None else Decimal(previous)
    if kind == "ratio":
        change = None if a is None or b is None else a - b
    else:
        change = ratio((a or 0) - (b or 0), b)
    return Headline(metric=metric, label=label, kind=kind, value=a, previous=b, change=change)


def dashboard_timezone(ventures: Iterable[_Venture]) -> str:
    """The timezone of "today": the venture's when one is shown, else the group's."""
    shown = list(ventures)
    return shown[0].timezone if len(shown) == 1 else get_settings().group_timezone


def dashboard_period(
    tz: str, start: date | None, end: date | None, preset: Preset | str | None
) -> DateRange:
    """The period a dashboard shows: ``preset`` (a quick range ending on ``end``), or
    ``[start, end]`` where ``end`` defaults to today in ``tz`` and ``start`` to 30 days before
    it. Refusals name ``start`` or ``end``."""
    for name, value in (("start", start), ("end", end)):  # before any arithmetic with them
        if value is not None and (problem := business_date_problem(value)):
            raise Invalid.field(name, problem)
    end = end or clock.today(tz)
    if preset is not None:
        if start is not None:
            raise Invalid.field("start", "is not given with a preset (it ends on the end date)")
        return preset_range(preset, end)
    return check_range(start or end - timedelta(days=DEFAULT_DAYS - 1), end)


def single_currency(ventures: Iterable[_Venture]) -> str | None:
    """The one currency of the ventures in view; several are refused (never added together)."""
    currencies = sorted({v.currency for v in ventures})
    if len(currencies) > 1:
        raise Invalid.field(
            "venture_id",
            "the ventures in view report in different currencies ("
            + ", ".join(currencies)
            + "): choose one venture",
        )
    return currencies[0] if currencies else None
