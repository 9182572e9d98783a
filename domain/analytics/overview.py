"""The cross-venture overview for leadership (spec/briefing-and-dashboards.md, Dashboards): one
row per venture in the reader's scope with its wing's headline numbers over a period against the
previous one (freight loads delivered, revenue and margin; hotels occupancy, RevPAR and revenue;
BPO deals, conversion and revenue; SaaS MRR and customers; holdings balances per currency), each
row linking to the venture's dashboard.

Generic: no wing is imported. Each wing declares its numbers in its manifest
(``Vertical.overview``: ``OverviewSource``) and reads them from its pre-aggregated days through
``analytics.kpi_days`` (a missing day is computed once and stored, and the page says so). Money
carries its currency: a venture's amounts are in its currency (holdings: one number per
currency), and nothing is ever added across ventures, so never across currencies. The read goes
through the cache keyed by the reader's scope and the period; any wing's invalidation of a
venture drops that venture's overview entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import col, select

from domain import cache
from domain.access.actor import Actor
from domain.analytics.dashboards import Headline, dashboard_period, headline
from domain.analytics.kpi_days import computed_note
from domain.analytics.ranges import DateRange, Preset
from domain.db import UnitOfWork, pk
from domain.errors import NotFound
from domain.org.models import SECTION_OF_TYPE, Venture
from domain.schemas import View
from domain.settings import get_settings
from domain.verticals import OverviewSource, verticals

# The cache's "what" of this read; ``cache.invalidate`` of any wing's read of a venture also
# drops it (``cache.ANY``).
OVERVIEW = "analytics.overview"
READ = "overview.read"


class OverviewNumber(Headline):
    """A headline of a venture: the value of the period, of the previous one and the change (a
    ratio's in points, a count's or an amount's relative), with the currency of an amount."""

    currency: str | None = None


@dataclass
class OverviewPart:
    """What a wing returns for one venture."""

    numbers: list[OverviewNumber]
    computed: list[date] = field(default_factory=list)


class OverviewRow(View):
    venture_id: int
    code: str
    name: str
    section: str  # the wing: "freight", "hospitality", ...
    currency: str
    dashboard_path: str  # the venture's dashboard (with ?venture=<id>)
    numbers: list[OverviewNumber]


class Overview(View):
    start: date
    end: date
    previous_start: date
    previous_end: date
    rows: list[OverviewRow]
    computed_now: list[date] = []  # days that had no stored row: computed now and stored
    computed_note: str = ""


def number(
    metric: str,
    label: str,
    kind: str,
    value: Decimal | int | None,
    previous: Decimal | int | None,
    currency: str | None = None,
) -> OverviewNumber:
    """One headline of a venture (``analytics.dashboards.headline`` with its currency)."""
    h = headline(metric, label, kind, value, previous)
    return OverviewNumber(**h.model_dump(), currency=currency if kind == "money" else None)


def _sources() -> dict[str, OverviewSource]:
    return {v.key: v.overview for v in verticals() if v.overview is not None}


def _ventures(uow: UnitOfWork, actor: Actor, venture_id: int | None) -> list[Venture]:
    """The active ventures in scope whose wing has overview numbers (or the one asked for)."""
    types = [t for t, section in SECTION_OF_TYPE.items() if section in _sources()]
    stmt = (
        select(Venture)
        .where(
            actor.scope.venture_clause(Venture.id),
            col(Venture.is_active).is_(True),
            col(Venture.type).in_(sorted(types)),
        )
        .order_by(col(Venture.code))
    )
    ventures = list(uow.session.execute(stmt).scalars())
    if venture_id is not None:
        ventures = [v for v in ventures if pk(v) == venture_id]
        if not ventures:
            raise NotFound("venture", venture_id)
    return ventures


def overview(
    uow: UnitOfWork,
    actor: Actor,
    start: date | None = None,
    end: date | None = None,
    *,
    venture_id: int | None = None,
    preset: Preset | str | None = None,
) -> Overview:
    """A row per venture in the actor's scope (or the one asked for: out of scope is NotFound)
    with its headline numbers of [start, end] against the previous period of the same length.
    The period follows the dashboards' rule (default the last 30 days up to today in the
    group's timezone, at most two years, the end on or after the start: ``Invalid`` naming the
    field)."""
    actor.require(READ)
    ventures = _ventures(uow, actor, venture_id)
    period = dashboard_period(get_settings().group_timezone, start, end, preset)
    ids = [pk(v) for v in ventures]
    return cache.cached(
        OVERVIEW,
        actor,
        {"start": period.start, "end": period.end, "ventures": ids},
        ids,
        lambda: _overview(uow, ventures, period),
        Overview,
        on_hit=_nothing_computed_now,
        across=True,
    )


def _nothing_computed_now(o: Overview) -> Overview:
    """A cached overview computed nothing now (the days it computed are stored since)."""
    return o.model_copy(update={"computed_now": [], "computed_note": ""})


def _overview(uow: UnitOfWork, ventures: list[Venture], period: DateRange) -> Overview:
    sources = _sources()
    by_section: dict[str, list[Venture]] = {}
    for v in ventures:
        by_section.setdefault(SECTION_OF_TYPE[v.type], []).append(v)
    parts: dict[int, OverviewPart] = {}
    for section, group in by_section.items():
        parts.update(sources[section].read(uow, group, period))
    rows = []
    computed: set[date] = set()
    for v in ventures:
        section = SECTION_OF_TYPE[v.type]
        part = parts.get(pk(v), OverviewPart([]))
        computed.update(part.computed)
        rows.append(
            OverviewRow(
                venture_id=pk(v),
                code=v.code,
                name=v.name,
                section=section,
                currency=v.currency,
                dashboard_path=f"{sources[section].dashboard_path}?venture={pk(v)}",
                numbers=part.numbers,
            )
        )
    before = period.previous()
    days = sorted(computed)
    return Overview(
        start=period.start,
        end=period.end,
        previous_start=before.start,
        previous_end=before.end,
        rows=rows,
        computed_now=days,
        computed_note=computed_note(days),
    )
