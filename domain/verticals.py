"""The wings of the product and the manifest each declares.

A wing (freight today; hospitality, BPO, SaaS, holdings, operations, incentives and
gamification next) keeps everything of its own in its folder and describes itself in one
``vertical.py`` that returns a :class:`Vertical`. The shared registries (events, demo, jobs,
briefing, navigation) never import a wing: they iterate :func:`verticals`, which imports each
manifest by name from :data:`WINGS`. Adding a wing touches its own folder, its line in ``WINGS``,
its rows in the permission table and its migration (docs/ARCHITECTURE.md, "Adding a vertical").
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl
    from sqlalchemy import Connection, Engine

    from domain.analytics.overview import OverviewPart
    from domain.analytics.ranges import DateRange
    from domain.briefing.signals import Draft, SignalVenture
    from domain.db import UnitOfWork
    from domain.demo import DemoContext
    from domain.jobs.hashing import TableInputs
    from domain.jobs.registry import JobSpec

# The manifests, in dependency order (a wing's demo data may refer to an earlier wing's rows).
WINGS: tuple[str, ...] = (
    "domain.freight.vertical",
    "domain.operations.vertical",
    "domain.hospitality.vertical",
    "domain.saas.vertical",
    "domain.holdings.vertical",
    "domain.bpo.vertical",
    "domain.incentives.vertical",
    "domain.gamification.vertical",  # after the wings whose events it awards points on
)


@dataclass(frozen=True)
class KpiComputed:
    """What a KPI source computed for one business date."""

    rows: list[dict[str, Any]]  # canonical: venture code, day, the numbers (no ids, no run id)
    rows_read: int = 0
    reader: str = ""
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class KpiSource:
    """A wing's daily KPI table, recomputed by the kpi-aggregate job for one business date.

    ``compute(engine, codes, day, run_id, dry_run)``: ``codes`` maps the ids of the ventures to
    cover to their codes; a live run writes its rows carrying ``run_id``, a dry run writes
    nothing. ``stored_rows(engine, run_id)`` reads back, canonically, what a live run wrote (the
    runner checks the notebook's rows against it). ``inputs`` fingerprints the source rows the day
    reads (verify). ``history`` gives the stored days up to ``day`` for the notebook's charts.
    """

    key: str  # the wing's key: "freight"
    table: str  # "FreightKpiDaily"
    venture_types: frozenset[str]
    compute: Callable[[Engine, dict[int, str], date, str | None, bool], KpiComputed]
    stored_rows: Callable[[Engine, str], list[dict[str, Any]]]
    inputs: Callable[[Engine, list[int], date], list[TableInputs]]
    history: Callable[[Engine, list[int], date], list[dict[str, Any]]]
    summarize: Callable[[list[dict[str, Any]]], dict[str, Any]]
    charts: tuple[tuple[str, str], ...] = ()  # (metric of ``history``, chart title)


@dataclass(frozen=True)
class HousekeepingStep:
    """A daily chore of the housekeeping job (freight: SENT quotes past expiry time out).

    ``candidates(engine, cutoff)`` lists what is due (a dry run stops there);
    ``run(engine, cutoff, candidates)`` does it and returns (the service's count, the candidates
    it changed); ``inputs(engine, cutoff)`` fingerprints what it acts on.
    """

    action: str  # the result rows' "action": "quote_no_response"
    counted_as: str  # the summary's key: "quotes_timed_out"
    title: str  # the notebook's table title
    candidates: Callable[[Engine, datetime], list[dict[str, Any]]]
    run: Callable[[Engine, datetime, list[dict[str, Any]]], tuple[int, list[dict[str, Any]]]]
    inputs: Callable[[Engine, datetime], list[TableInputs]]


@dataclass(frozen=True)
class Metric:
    """A value per (user, venture, business date) that incentive rules may pay on.

    The value is ``sum(column) / scale`` over the source's rows of the user and the day (``column``
    None: the number of rows). Sums stay integers (money as cents, talk as seconds) until the
    one exact division, so no float ever touches money.
    """

    key: str  # "load_margin": what a rule names
    label: str  # "Load margin"
    column: str | None = None  # the source frame's integer column summed; None counts rows
    scale: int = 1  # 100 for money read as cents, 60 for minutes read as seconds
    is_money: bool = False


@dataclass(frozen=True)
class MetricSource:
    """Where a wing's incentive metrics come from: one narrow read of its source rows.

    ``read(engine, venture_id, start, end, conn)`` returns one row per counted item of the venture
    whose business date is in ``[start, end]``, with the integer columns ``item_id``,
    ``user_id`` (the credited user), the date column ``day`` and the columns its metrics sum.
    ``inputs`` fingerprints the same rows (verify); ``row_labels`` names the rows of ``table``
    that changed between two runs (explain). With ``item_facts`` the rows also carry
    ``bill_cents`` and ``cost_cents`` per item: load-level rules pay on each item. ``conn``, when
    given, is the caller's open connection (the commit's locked transaction): read through it
    rather than taking another from the pool.
    """

    key: str  # "freight.delivered_loads"
    vertical: str  # "freight"
    title: str
    metrics: tuple[Metric, ...]
    read: Callable[[Engine, int, date, date, Connection | None], pl.DataFrame]
    inputs: Callable[[Engine, int, date, date], list[TableInputs]]
    item_facts: bool = False
    # The table ``inputs`` fingerprints ("freight_load") and, for "explain the change", what
    # names its rows to a person: row key -> (label, credited user id), e.g. "load AFL-0001234".
    table: str = ""
    row_labels: Callable[[Engine, list[str]], dict[str, tuple[str, int | None]]] | None = None


@dataclass(frozen=True)
class BriefingSignal:
    """One check of the daily briefing job (spec/briefing-and-dashboards.md, "Daily briefing").

    ``evaluate(conn, venture)`` reads the wing's rows for the venture's business date
    ``venture.day`` through ``conn`` and returns the items that fire (thresholds from
    ``domain.briefing.signals.THRESHOLDS``). ``inputs(engine, venture_id, day)`` fingerprints
    what it reads (verify).
    """

    key: str  # "freight.coverage_drop"
    title: str  # "Freight coverage dropped"
    venture_types: frozenset[str]  # empty: every venture
    evaluate: Callable[[Connection, SignalVenture], list[Draft]]
    inputs: Callable[[Engine, int, date], list[TableInputs]] | None = None


@dataclass(frozen=True)
class OverviewSource:
    """A wing's headline numbers per venture on the leadership overview
    (``domain.analytics.overview``), read from the wing's pre-aggregated days.

    ``read(uow, ventures, period)`` gets the wing's ventures in the reader's scope (``Venture``
    rows) and the period; it returns each venture's numbers of the period against the previous
    one and the days it had to compute (``OverviewPart``).
    """

    dashboard_path: str  # "/freight/dashboard": where a venture's row links
    read: Callable[[UnitOfWork, list[Any], DateRange], dict[int, OverviewPart]]


@dataclass(frozen=True)
class Vertical:
    """What a wing contributes to the shared registries."""

    key: str  # "freight": the wing's name, its navigation section when it has one
    title: str
    # Venture types whose ventures this wing serves (empty: every venture, e.g. operations).
    venture_types: frozenset[str] = frozenset()
    # The module of the wing's tables ("" for ``domain.<key>.models``): Alembic and the tests
    # import it through ``domain.models``.
    models: str = ""
    # Modules whose import registers the wing's event handlers (``@handles``), in run order.
    handler_modules: tuple[str, ...] = ()
    # Modules whose import registers the entities the wing's briefing items are about
    # (``domain.briefing.entities.register_entity``): who may read an item is the entity's rule.
    briefing_modules: tuple[str, ...] = ()
    # Writes the wing's demo data into the organisation the org seeder made.
    demo_seed: Callable[[DemoContext], None] | None = None
    # Audit action names the wing writes ("freight.load.created", ...), with their labels.
    audit_actions: dict[str, str] = field(default_factory=dict)
    # The wing's daily KPI tables (kpi-aggregate), housekeeping chores and jobs of its own.
    kpi_sources: tuple[KpiSource, ...] = ()
    housekeeping: tuple[HousekeepingStep, ...] = ()
    jobs: tuple[JobSpec, ...] = ()
    # Where the wing's incentive metrics are read from (spec/incentives.md, metric registry).
    metric_sources: tuple[MetricSource, ...] = ()
    # The wing's checks of the daily briefing job.
    briefing_signals: tuple[BriefingSignal, ...] = ()
    # The wing's columns on the leadership overview (spec/briefing-and-dashboards.md).
    overview: OverviewSource | None = None

    @property
    def models_module(self) -> str:
        return self.models or f"domain.{self.key}.models"


@cache
def verticals() -> tuple[Vertical, ...]:
    """Every wing's manifest, in the order of :data:`WINGS`."""
    out = []
    for name in WINGS:
        manifest = importlib.import_module(name).VERTICAL
        if not isinstance(manifest, Vertical):
            raise TypeError(f"{name}.VERTICAL is not a Vertical")
        out.append(manifest)
    keys = [v.key for v in out]
    if len(keys) != len(set(keys)):
        raise RuntimeError(f"two wings share a key: {keys}")
    return tuple(out)


def handler_modules() -> list[str]:
    return [m for v in verticals() for m in v.handler_modules]


def briefing_modules() -> list[str]:
    return [m for v in verticals() for m in v.briefing_modules]


def briefing_signals() -> list[BriefingSignal]:
    return [b for v in verticals() for b in v.briefing_signals]


def kpi_sources() -> list[KpiSource]:
    return [k for v in verticals() for k in v.kpi_sources]


def housekeeping_steps() -> list[HousekeepingStep]:
    return [h for v in verticals() for h in v.housekeeping]


def metric_sources() -> list[MetricSource]:
    return [m for v in verticals() for m in v.metric_sources]


def audit_actions() -> dict[str, str]:
    """Every wing's audit actions and their labels."""
    out: dict[str, str] = {}
    for v in verticals():
        out.update(v.audit_actions)
    return out
