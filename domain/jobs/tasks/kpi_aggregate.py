"""kpi-aggregate: recompute the daily KPI tables of one business date, one per wing.

Each wing declares its KPI table in its manifest (``domain.verticals.KpiSource``: freight's
FreightKpiDaily today); this task iterates them and knows none. A live run writes through the
source (one delete + one bulk insert, every row carrying the run id); a dry run computes the same
rows and writes nothing. The result rows are each source's canonical rows (venture code, day,
numbers: no ids, no run id, no timestamps), so the output hash depends on the numbers only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from domain.db import get_engine
from domain.jobs.hashing import TableInputs
from domain.org.models import Venture
from domain.verticals import KpiSource, kpi_sources


class JobInputError(ValueError):
    """A parameter the notebook cannot work with: the run fails with this message."""


def source_keys() -> list[str]:
    return [s.key for s in kpi_sources()]


def venture_types() -> frozenset[str]:
    """The venture types whose ventures have a KPI table ("all" expands to these)."""
    return frozenset(t for s in kpi_sources() for t in s.venture_types)


def parse_verticals(value: str | None) -> list[KpiSource]:
    """The KPI sources a run recomputes: the comma-separated keys given, or all of them."""
    by_key = {s.key: s for s in kpi_sources()}
    names = [v.strip().lower() for v in (value or "").split(",") if v.strip()] or list(by_key)
    unknown = [v for v in names if v not in by_key]
    if unknown:
        raise JobInputError(
            f"verticals {', '.join(unknown)}: not built yet (this build has {', '.join(by_key)})"
        )
    return [by_key[n] for n in names]


@dataclass
class KpiAggregate:
    business_date: date
    venture: str
    dry_run: bool
    rows: list[dict[str, Any]]  # every source's canonical rows
    ventures: dict[int, str]  # id -> code of the ventures covered
    rows_read: int = 0
    reader: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    by_source: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    source_ventures: dict[str, dict[int, str]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, Any]:
        return {
            "verticals": list(self.by_source),
            "ventures": sorted(self.ventures.values()),
            "rows": len(self.rows),
            "rows_read": self.rows_read,
            **self.summaries,
        }


def ventures_of(engine: Engine, venture: str, types: frozenset[str]) -> dict[int, str]:
    """id -> code of the active ventures of ``types`` that ``venture`` (a code or "all") names."""
    with engine.connect() as conn:
        stmt = select(Venture.id, Venture.code).where(
            col(Venture.type).in_(sorted(types)), col(Venture.is_active).is_(True)
        )
        if venture != "all":
            stmt = stmt.where(Venture.code == venture)
        return {int(i): str(c) for i, c in conn.execute(stmt)}


def aggregate(
    business_date: date,
    venture: str = "all",
    *,
    run_id: str | None,
    dry_run: bool,
    verticals: str | None = None,
    engine: Engine | None = None,
) -> KpiAggregate:
    """Recompute (live) or compute (dry run) the KPI rows of ``business_date``."""
    sources = parse_verticals(verticals)
    engine = engine or get_engine()
    if not dry_run and not run_id:
        raise JobInputError("a live run needs its run_id (run it through `vcc jobs run`)")
    result = KpiAggregate(business_date, venture, dry_run, [], {})
    readers = []
    for source in sources:
        codes = ventures_of(engine, venture, source.venture_types)
        result.ventures.update(codes)
        result.source_ventures[source.key] = codes
        rows: list[dict[str, Any]] = []
        if codes:
            computed = source.compute(engine, codes, business_date, run_id, dry_run)
            rows = computed.rows
            result.rows_read += computed.rows_read
            readers.append(computed.reader)
            for phase, seconds in computed.timings.items():
                result.timings[f"{source.key}.{phase}"] = seconds
        result.by_source[source.key] = rows
        result.summaries[source.key] = source.summarize(rows)
        result.rows.extend(rows)
    if venture != "all" and not result.ventures:
        keys = ", ".join(s.key for s in sources)
        raise JobInputError(f"venture {venture} is not an active venture of {keys}")
    result.reader = ", ".join(sorted(set(readers)))
    return result


def stored_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """Every KPI row a run wrote (the truth the notebook's rows must match)."""
    return [r for s in kpi_sources() for r in s.stored_rows(engine, run_id)]


def inputs(engine: Engine, venture_ids: list[int], business_date: date) -> list[TableInputs]:
    """Fingerprint of every source row the KPI days of ``business_date`` read."""
    out: list[TableInputs] = []
    with engine.connect() as conn:
        types = {
            int(i): str(t)
            for i, t in conn.execute(
                select(Venture.id, Venture.type).where(col(Venture.id).in_(venture_ids))
            )
        }
    for source in kpi_sources():
        ids = [i for i in venture_ids if types.get(i) in source.venture_types]
        out.extend(source.inputs(engine, ids, business_date))
    return out


def charts(
    engine: Engine, result: KpiAggregate
) -> list[tuple[str, dict[str, list[tuple[str, float]]]]]:
    """(title, series per venture) of each source's charts over the 30 days up to the date."""
    out = []
    for source in parse_verticals(",".join(result.by_source)):
        ids = sorted(result.source_ventures.get(source.key, {}))
        hist = source.history(engine, ids, result.business_date) if ids else []
        for metric, title in source.charts:
            out.append((title, chart_series(hist, metric)))
    return out


def chart_series(hist: list[dict[str, Any]], metric: str) -> dict[str, list[tuple[str, float]]]:
    series: dict[str, list[tuple[str, float]]] = {}
    for r in hist:
        d = r["day"]
        label = d.strftime("%m-%d") if isinstance(d, date | datetime) else str(d)
        series.setdefault(r["venture"], []).append((label, float(r[metric] or 0)))
    return series
