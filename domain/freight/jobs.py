"""What freight gives the shared jobs: its KPI table for kpi-aggregate, and the quote timeouts of
housekeeping. The jobs know neither freight nor its tables; they iterate the manifests.

The canonical KPI rows name the venture by code (ids differ between databases) and leave out
``id``, ``run_id`` and ``computed_at``, so a run's output hash depends on the numbers only.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from domain.analytics import kpi_jobs
from domain.db import unit_of_work
from domain.freight.models import (
    FREIGHT_VENTURE_TYPES,
    Carrier,
    FreightKpiDaily,
    FreightQuote,
    Load,
)
from domain.freight.models import QuoteStatus as QS
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import Venture
from domain.verticals import HousekeepingStep, KpiComputed, KpiSource

log = logging.getLogger(__name__)

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


def _canonical(row: dict[str, Any], codes: dict[int, str]) -> dict[str, Any]:
    return kpi_jobs.canonical_row(row, codes, KPI_COLUMNS)


def compute_kpi_day(
    engine: Engine, codes: dict[int, str], day: date, run_id: str | None, dry_run: bool
) -> KpiComputed:
    """FreightKpiDaily of ``day`` for the ventures of ``codes``: written through ``backfill_kpi``
    (one delete + one bulk insert), or computed by the same pure ``compute_kpi`` and not written."""
    from domain.freight import kpi

    ids = sorted(codes)
    if dry_run:
        with engine.connect() as conn:
            tzs = kpi.freight_timezones(conn, ids)
            frames = kpi.extract_sqlalchemy(conn, ids, kpi.Window.of(tzs, day, day))
        computed = kpi.compute_kpi(frames, tzs, day, day)
        rows = [_canonical(r.as_dict(), codes) for r in computed]
        return KpiComputed(rows, frames.height, "sqlalchemy (dry run)")
    result = kpi.backfill_kpi(ids, day, day, run_id=run_id, engine=engine)
    return KpiComputed(
        [_canonical(r.as_dict(), codes) for r in result.rows],
        result.rows_read,
        result.reader,
        dict(result.timings),
    )


def stored_kpi_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """The rows of FreightKpiDaily a run wrote, canonically."""
    return kpi_jobs.stored_rows(engine, FreightKpiDaily, KPI_COLUMNS, run_id)


def kpi_history(
    engine: Engine, venture_ids: list[int], day: date, days: int = 30
) -> list[dict[str, Any]]:
    """FreightKpiDaily of the ``days`` days up to ``day`` (the notebook's charts)."""
    start = day - timedelta(days=days - 1)
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
                col(FreightKpiDaily.day) <= day,
            )
            .order_by(col(Venture.code), col(FreightKpiDaily.day))
        ).all()
    return [
        {"venture": c, "day": d, "revenue": rev, "profit": prof, "loads_delivered": n}
        for c, d, rev, prof, n in rows
    ]


def kpi_inputs(engine: Engine, venture_ids: list[int], day: date) -> list[TableInputs]:
    """Fingerprint of the loads the KPI of ``day`` reads: those created or delivered in the 30-day
    window, covered or lost on the day (the same windows as the KPI reads), with every column the
    numbers depend on. Any edit of such a load changes the fingerprint."""
    from domain.freight import kpi

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
            w = kpi.Window.of(tzs, day, day)
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


def summarize_kpi(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def total(name: str) -> Any:
        money = name in ("revenue", "cost", "profit")
        return sum((r[name] for r in rows), Decimal("0.00") if money else 0)

    return {
        "loads_created": total("loads_created"),
        "loads_delivered": total("loads_delivered"),
        "loads_lost": total("loads_lost"),
        "revenue": str(total("revenue")),
        "profit": str(total("profit")),
    }


FREIGHT_KPI = KpiSource(
    key="freight",
    table="FreightKpiDaily",
    venture_types=FREIGHT_VENTURE_TYPES,
    compute=compute_kpi_day,
    stored_rows=stored_kpi_rows,
    inputs=kpi_inputs,
    history=kpi_history,
    summarize=summarize_kpi,
    charts=(("revenue", "Revenue per day"), ("loads_delivered", "Loads delivered per day")),
)


# -- housekeeping: SENT quotes past their expiry become NO_RESPONSE ------------------------------


def _quotes(engine: Engine, stmt: Any) -> list[dict[str, Any]]:
    stmt = stmt.join(Venture, col(Venture.id) == FreightQuote.venture_id).order_by(
        col(FreightQuote.id)
    )
    with engine.connect() as conn:
        return [{"quote_id": i, "venture": c, "expires_at": e} for i, c, e in conn.execute(stmt)]


def expired_quotes(engine: Engine, cutoff: datetime) -> list[dict[str, Any]]:
    return _quotes(
        engine,
        select(FreightQuote.id, Venture.code, FreightQuote.expires_at).where(
            FreightQuote.status == QS.SENT, col(FreightQuote.expires_at) <= cutoff
        ),
    )


def time_out_quotes(
    engine: Engine, cutoff: datetime, candidates: list[dict[str, Any]]
) -> tuple[int, list[dict[str, Any]]]:
    """Run the quote expiry service; the candidates that are NO_RESPONSE now are what this run
    did (a quote that expired in between is in the service's count, not in the rows)."""
    from domain.access.scope import system_actor
    from domain.freight.services import expire_quotes

    with unit_of_work(engine) as uow:
        count = int(expire_quotes(uow, system_actor(uow.session)))
    done = _quotes(
        engine,
        select(FreightQuote.id, Venture.code, FreightQuote.expires_at).where(
            col(FreightQuote.id).in_([q["quote_id"] for q in candidates]),
            FreightQuote.status == QS.NO_RESPONSE,
        ),
    )
    return count, done


def quote_timeout_inputs(engine: Engine, cutoff: datetime) -> list[TableInputs]:
    with engine.connect() as conn:
        quotes = conn.execute(
            select(FreightQuote.id, FreightQuote.status, FreightQuote.expires_at).where(
                FreightQuote.status == QS.SENT, col(FreightQuote.expires_at) <= cutoff
            )
        ).mappings()
        return [table_inputs("freight_quote", [dict(r) for r in quotes])]


QUOTE_TIMEOUTS = HousekeepingStep(
    action="quote_no_response",
    counted_as="quotes_timed_out",
    title="Quotes SENT past their expiry, timed out to NO_RESPONSE",
    candidates=expired_quotes,
    run=time_out_quotes,
    inputs=quote_timeout_inputs,
)


# -- housekeeping: FMCSA snapshots of active carriers, refreshed nightly -------------------------

REFRESH_BATCH = 50  # carriers per transaction


def stale_carriers(engine: Engine, cutoff: datetime) -> list[dict[str, Any]]:
    """Active, unblocked carriers whose snapshot is older than the maximum age (or missing)."""
    from domain.settings import get_settings

    max_age = timedelta(hours=get_settings().integrations.fmcsa_max_age_hours)
    stmt = (
        select(Carrier.id, Carrier.mc_number, Carrier.fmcsa_checked_at)
        .where(
            col(Carrier.is_active).is_(True),
            col(Carrier.is_blocked).is_(False),
            (col(Carrier.fmcsa_checked_at).is_(None))
            | (col(Carrier.fmcsa_checked_at) < cutoff - max_age),
        )
        .order_by(col(Carrier.fmcsa_checked_at).nulls_first(), col(Carrier.id))
    )
    with engine.connect() as conn:
        return [{"carrier_id": i, "mc_number": mc} for i, mc, _ in conn.execute(stmt)]


def refresh_carriers(
    engine: Engine,
    cutoff: datetime,
    candidates: list[dict[str, Any]],
    *,
    lookup: Any = None,
    sleep: Any = None,
) -> tuple[int, list[dict[str, Any]]]:
    """Refresh the candidates' snapshots, a batch per transaction, never faster than
    ``VCC_FMCSA_PER_MINUTE`` lookups a minute against the real provider. A failed lookup keeps
    the old snapshot and is logged (not in the rows); an open breaker ends the run early (the
    rest waits for the next night or a person)."""
    import time

    from domain.access.scope import system_actor
    from domain.freight.services.carriers import refresh_snapshot
    from domain.integrations.fmcsa import get_carrier_lookup
    from domain.integrations.http import ProviderCircuitOpen
    from domain.settings import get_settings

    lookup = lookup or get_carrier_lookup()
    sleep = sleep or time.sleep
    paced = getattr(lookup, "rate_limited", True)
    interval = 60.0 / get_settings().integrations.fmcsa_per_minute
    done: list[dict[str, Any]] = []
    refreshed = failed = 0
    ids = [c["carrier_id"] for c in candidates]
    for start in range(0, len(ids), REFRESH_BATCH):
        with unit_of_work(engine) as uow:
            actor = system_actor(uow.session)
            rows = uow.session.execute(
                select(Carrier).where(col(Carrier.id).in_(ids[start : start + REFRESH_BATCH]))
            ).scalars()
            for carrier in sorted(rows, key=lambda c: ids.index(c.id)):
                if paced and (refreshed or failed):
                    sleep(interval)
                failure = refresh_snapshot(uow, actor, carrier, lookup=lookup)
                if failure is None:  # done rows are the candidates' rows: a dry run's equal
                    refreshed += 1
                    done.append({"carrier_id": carrier.id, "mc_number": carrier.mc_number})
                    continue
                failed += 1
                log.warning("FMCSA refresh of carrier %s failed: %s", carrier.id, failure)
                if isinstance(failure, ProviderCircuitOpen):
                    return refreshed, done
    return refreshed, done


def fmcsa_refresh_inputs(engine: Engine, cutoff: datetime) -> list[TableInputs]:
    due = [c["carrier_id"] for c in stale_carriers(engine, cutoff)]
    with engine.connect() as conn:
        rows = conn.execute(
            sa_select(
                col(Carrier.id),
                col(Carrier.authority_status),
                col(Carrier.safety_rating),
                col(Carrier.insurance_on_file),
                col(Carrier.fmcsa_checked_at),
            ).where(col(Carrier.id).in_(due))
        ).mappings()
        return [table_inputs("freight_carrier", [dict(r) for r in rows])]


FMCSA_REFRESH = HousekeepingStep(
    action="fmcsa_refresh",
    counted_as="carriers_fmcsa_refreshed",
    title="Carriers whose FMCSA snapshot was older than its maximum age, checked again",
    candidates=stale_carriers,
    run=refresh_carriers,
    inputs=fmcsa_refresh_inputs,
)
