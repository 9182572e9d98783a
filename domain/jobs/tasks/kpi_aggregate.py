"""kpi-aggregate: recompute the daily KPI tables of one business date, per vertical.

Freight (FreightKpiDaily) is computed by ``domain.freight.kpi``; hospitality and BPO join when
their verticals exist (``VERTICALS``). A live run writes through ``backfill_kpi`` (one delete +
one bulk insert, every row carrying the run id); a dry run computes the same rows with the same
pure ``compute_kpi`` and writes nothing.

The canonical result rows name the venture by code (ids differ between databases) and leave out
``id``, ``run_id`` and ``computed_at``, so the output hash depends on the numbers only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from domain.db import get_engine
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import Venture

VERTICALS = ("freight",)  # hospitality, bpo: when their KpiDaily tables exist
FREIGHT_TYPES = frozenset({"LOGISTICS", "TRANSPORT"})
KPI_COLUMNS = (
    "loads_created",
    "loads_covered",
    "loads_delivered",
    "loads_lost",
    "revenue",
    "cost",
    "profit",
    "margin_pct",
    "coverage_rate",
    "active_customers",
    "active_carriers",
)


class JobInputError(ValueError):
    """A parameter the notebook cannot work with: the run fails with this message."""


def parse_verticals(value: str | None) -> list[str]:
    names = [v.strip().lower() for v in (value or "freight").split(",") if v.strip()]
    unknown = [v for v in names if v not in VERTICALS]
    if unknown:
        raise JobInputError(
            f"verticals {', '.join(unknown)}: not built yet (this build has {', '.join(VERTICALS)})"
        )
    return names


@dataclass
class KpiAggregate:
    business_date: date
    venture: str
    dry_run: bool
    rows: list[dict[str, Any]]  # canonical result rows
    ventures: dict[int, str]  # id -> code of the ventures covered
    loads_read: int = 0
    reader: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, Any]:
        def total(name: str) -> Any:
            return sum(
                (r[name] for r in self.rows),
                Decimal("0.00") if name in ("revenue", "cost", "profit") else 0,
            )

        return {
            "verticals": ["freight"],
            "ventures": sorted(self.ventures.values()),
            "rows": len(self.rows),
            "loads_read": self.loads_read,
            "loads_created": total("loads_created"),
            "loads_delivered": total("loads_delivered"),
            "loads_lost": total("loads_lost"),
            "revenue": str(total("revenue")),
            "profit": str(total("profit")),
        }


def freight_ventures(engine: Engine, venture: str) -> dict[int, str]:
    """id -> code of the active freight ventures ``venture`` (a code or "all") names."""
    with engine.connect() as conn:
        stmt = select(Venture.id, Venture.code).where(
            col(Venture.type).in_(sorted(FREIGHT_TYPES)), col(Venture.is_active).is_(True)
        )
        if venture != "all":
            stmt = stmt.where(Venture.code == venture)
        found = {int(i): str(c) for i, c in conn.execute(stmt)}
    if venture != "all" and not found:
        raise JobInputError(f"venture {venture} is not an active freight venture")
    return found


def _canonical(row: dict[str, Any], codes: dict[int, str]) -> dict[str, Any]:
    out = {"venture": codes[int(row["venture_id"])], "day": row["day"]}
    out.update({k: row[k] for k in KPI_COLUMNS})
    return out


def aggregate(
    business_date: date,
    venture: str = "all",
    *,
    run_id: str | None,
    dry_run: bool,
    verticals: str | None = "freight",
    engine: Engine | None = None,
) -> KpiAggregate:
    """Recompute (live) or compute (dry run) the KPI rows of ``business_date``."""
    from domain.freight import kpi

    parse_verticals(verticals)
    engine = engine or get_engine()
    codes = freight_ventures(engine, venture)
    ids = sorted(codes)
    if not ids:
        return KpiAggregate(business_date, venture, dry_run, [], {})
    if dry_run:
        with engine.connect() as conn:
            tzs = kpi.freight_timezones(conn, ids)
            frames = kpi.extract_sqlalchemy(
                conn, ids, kpi.Window.of(tzs, business_date, business_date)
            )
        computed = kpi.compute_kpi(frames, tzs, business_date, business_date)
        rows = [_canonical(r.as_dict(), codes) for r in computed]
        return KpiAggregate(
            business_date, venture, True, rows, codes, frames.height, "sqlalchemy (dry run)"
        )
    if not run_id:
        raise JobInputError("a live run needs its run_id (run it through `vcc jobs run`)")
    result = kpi.backfill_kpi(ids, business_date, business_date, run_id=run_id, engine=engine)
    rows = [_canonical(r.as_dict(), codes) for r in result.rows]
    return KpiAggregate(
        business_date,
        venture,
        False,
        rows,
        codes,
        result.rows_read,
        result.reader,
        dict(result.timings),
    )


def stored_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """The FreightKpiDaily rows a run wrote (the truth the notebook's summary must match)."""
    from domain.freight.models import FreightKpiDaily

    table = FreightKpiDaily.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        stmt = (
            select(
                col(Venture.code).label("venture"), table.c.day, *[table.c[c] for c in KPI_COLUMNS]
            )
            .select_from(table)
            .join(Venture, col(Venture.id) == table.c.venture_id)
            .where(table.c.run_id == run_id)
        )
        rows = conn.execute(stmt).mappings()
        return [dict(r) for r in rows]


def history(
    engine: Engine, venture_ids: list[int], business_date: date, days: int = 30
) -> list[dict[str, Any]]:
    """FreightKpiDaily of the ``days`` days up to ``business_date`` (the notebook's chart)."""
    from domain.freight.models import FreightKpiDaily

    start = business_date - timedelta(days=days - 1)
    with engine.connect() as conn:
        rows = conn.execute(
            sa_select(
                col(Venture.code),
                col(FreightKpiDaily.day),
                col(FreightKpiDaily.revenue),
                col(FreightKpiDaily.profit),
                col(FreightKpiDaily.loads_delivered),
            )
            .join(Venture, col(Venture.id) == FreightKpiDaily.venture_id)
            .where(
                col(FreightKpiDaily.venture_id).in_(venture_ids),
                col(FreightKpiDaily.day) >= start,
                col(FreightKpiDaily.day) <= business_date,
            )
            .order_by(col(Venture.code), col(FreightKpiDaily.day))
        ).all()
    return [
        {"venture": c, "day": d, "revenue": rev, "profit": prof, "loads_delivered": n}
        for c, d, rev, prof, n in rows
    ]


def inputs(engine: Engine, venture_ids: list[int], business_date: date) -> list[TableInputs]:
    """Fingerprint of the loads the KPI of ``business_date`` reads: those created or delivered
    in the 30-day window, covered or lost on the day (the same windows as the KPI reads), with
    every column the numbers depend on. Any edit of such a load changes the fingerprint."""
    from domain.freight import kpi
    from domain.freight.models import Load

    columns = [
        col(c)
        for c in (
            Load.id,
            Load.venture_id,
            Load.customer_id,
            Load.carrier_id,
            Load.status,
            Load.created_at,
            Load.covered_at,
            Load.delivered_at,
            Load.lost_at,
            Load.bill_amount,
            Load.cost_amount,
        )
    ]
    found: dict[int, dict[str, Any]] = {}
    with engine.connect() as conn:
        tzs = kpi.freight_timezones(conn, venture_ids)
        if tzs:
            w = kpi.Window.of(tzs, business_date, business_date)
            ids = sorted(tzs)
            # One index-served read per timestamp (an OR of four ranges would scan).
            for at, lo in (
                (Load.created_at, w.wide_lo),
                (Load.covered_at, w.lo),
                (Load.delivered_at, w.wide_lo),
                (Load.lost_at, w.lo),
            ):
                for row in conn.execute(
                    select(*columns).where(
                        col(Load.venture_id).in_(ids), col(at) >= lo, col(at) < w.hi
                    )
                ).mappings():
                    found[int(row["id"])] = dict(row)
    return [table_inputs("freight_load", found.values())]


def chart_series(hist: list[dict[str, Any]], metric: str) -> dict[str, list[tuple[str, float]]]:
    series: dict[str, list[tuple[str, float]]] = {}
    for r in hist:
        d = r["day"]
        label = d.strftime("%m-%d") if isinstance(d, date | datetime) else str(d)
        series.setdefault(r["venture"], []).append((label, float(r[metric] or 0)))
    return series
