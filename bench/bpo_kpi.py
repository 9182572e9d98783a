"""BPO KPI backfill at the large demo size: ours against an ORM row loop, same run, same rows.

A BpoKpiDaily backfill of 90 days (every BPO venture, up to yesterday; the large demo holds about
300,000 call logs there) through the paths:

- **ours**: ``domain.bpo.kpi.backfill_kpi``, the span path (kpi-aggregate, the demo seed): two
  narrow reads into Polars (connectorx on PostgreSQL, the stdlib driver on SQLite), business
  dates and integer sums in Polars, the ratios in ``Decimal``, one DELETE + one bulk INSERT in
  one transaction.
- **ours, handler reader**: ``recompute_days_in`` over the 90 days in one transaction, the event
  handlers' path: a SQLAlchemy Core read per day into ``compute_day``, the same write.
- **ORM loop** (the baseline, like ``bench/hospitality_kpi.py``'s): whole ORM rows of the calls
  and KPI records, business dates and Decimal sums in Python dicts, the same ratio rules
  (``rules.call_ratios``), an ORM write-back (delete + ``add_all``).

All paths must give the same rows: asserted on the computed rows and on the rows read back from
the table after each run. Rounds, memory and the table come from ``bench/compare.py``.

    .venv/bin/python bench/bpo_kpi.py --db sqlite:////tmp/vcc-bpobench/large.db --seed
    .venv/bin/python bench/bpo_kpi.py --seed \
        --db postgresql://vcc_test:vcc_test@localhost:5432/vcc_bpobench

``--seed`` migrates and seeds the large demo first when the database is empty (timed).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func
from sqlmodel import col, select

from bench import compare
from domain import clock
from domain.bpo import kpi
from domain.bpo.models import BPO_VENTURE_TYPES, BpoCallLog, BpoKpiDaily, BpoKpiRecord
from domain.bpo.rules import average, call_ratios, talk_minutes, talk_seconds
from domain.db import get_engine, read_only, unit_of_work
from domain.org.models import Venture

DAYS = 90
RUN_IDS = {"ours": "bench-ours", "handler": "bench-handler", "orm": "bench-orm"}
LABELS = {
    "ours": "ours: `backfill_kpi` (Polars span path)",
    "handler": "ours, handler reader: `recompute_days_in`",
    "orm": "baseline: ORM row loop + ORM write-back",
}
Rows = list[kpi.BpoKpiRow]


def setup() -> tuple[list[int], dict[int, str], date, date]:
    with read_only() as uow:
        tzs = {
            int(v.id): v.timezone  # type: ignore[arg-type]
            for v in uow.session.execute(
                select(Venture).where(col(Venture.type).in_(sorted(BPO_VENTURE_TYPES)))
            ).scalars()
        }
    if not tzs:
        raise SystemExit("no BPO venture: seed the large demo first (--seed)")
    end = max(clock.today(tz) for tz in tzs.values()) - timedelta(days=1)
    return sorted(tzs), tzs, end - timedelta(days=DAYS - 1), end


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# -- the paths ------------------------------------------------------------------------------------


def ours(ids: list[int], start: date, end: date, timings: dict[str, float]) -> Rows:
    result = kpi.backfill_kpi(ids, start, end, run_id=RUN_IDS["ours"])
    timings.update(result.timings)
    return result.rows


def handler(ids: list[int], start: date, end: date, timings: dict[str, float]) -> Rows:
    """The event handlers' function over the whole range, one venture after the other, in one
    transaction (as an import touching 90 days would)."""
    rows: Rows = []
    engine = get_engine().execution_options(sqlite_begin="IMMEDIATE")
    with engine.begin() as conn:
        for v in ids:
            rows += kpi.recompute_days_in(conn, v, _days(start, end), run_id=RUN_IDS["handler"])
    return sorted(rows, key=lambda r: (r.venture_id, r.day))


def orm(ids: list[int], start: date, end: date, timings: dict[str, float]) -> Rows:
    """What one writes without thinking about the data path: load ORM rows, loop in Python, sum
    Decimals in dicts, write ORM objects back."""
    t0 = time.perf_counter()
    with unit_of_work() as uow:
        s = uow.session
        tz = {
            int(v.id): v.timezone  # type: ignore[arg-type]
            for v in s.execute(select(Venture).where(col(Venture.id).in_(ids))).scalars()
        }
        lo = min(clock.day_bounds_utc(start, z)[0] for z in tz.values())
        hi = max(clock.day_bounds_utc(end, z)[1] for z in tz.values())
        sums: dict[tuple[int, date], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
        scores: dict[tuple[int, date], list[Decimal]] = defaultdict(list)
        for c in s.execute(
            select(BpoCallLog).where(
                col(BpoCallLog.venture_id).in_(ids),
                col(BpoCallLog.started_at) >= lo,
                col(BpoCallLog.started_at) < hi,
            )
        ).scalars():
            day = clock.business_date(c.started_at, tz[c.venture_id])
            if not start <= day <= end:
                continue
            x = sums[(c.venture_id, day)]
            x["calls"] += 1
            x["dials"] += c.dial_count
            x["connects"] += int(c.connected)
            x["talk"] += talk_seconds(c.started_at, c.ended_at)
            x["appointments"] += int(c.appointment_set)
            x["deals"] += int(c.deal_won)
            x["revenue"] += c.revenue
        for r in s.execute(
            select(BpoKpiRecord).where(
                col(BpoKpiRecord.venture_id).in_(ids),
                col(BpoKpiRecord.day) >= start,
                col(BpoKpiRecord.day) <= end,
            )
        ).scalars():
            if r.qa_score is not None:
                scores[(r.venture_id, r.day)].append(r.qa_score)
        rows = []
        for key in sorted(set(sums) | set(scores)):
            x = sums.get(key, {})
            ratios = call_ratios(
                x.get("dials", 0), x.get("connects", 0), x.get("talk", 0), x.get("deals", 0)
            )
            rows.append(
                kpi.BpoKpiRow(
                    venture_id=key[0],
                    day=key[1],
                    dials=x.get("dials", 0),
                    connects=x.get("connects", 0),
                    connect_rate=ratios.connect_rate,
                    talk_minutes=talk_minutes(x.get("talk", 0)),
                    avg_handle_seconds=ratios.avg_handle_seconds,
                    appointments=x.get("appointments", 0),
                    deals=x.get("deals", 0),
                    conversion=ratios.conversion,
                    revenue=Decimal(x.get("revenue", 0)).quantize(Decimal("0.01")),
                    avg_qa=average(scores.get(key, [])),
                )
            )
        t1 = time.perf_counter()
        s.execute(
            delete(BpoKpiDaily).where(
                col(BpoKpiDaily.venture_id).in_(ids),
                col(BpoKpiDaily.day) >= start,
                col(BpoKpiDaily.day) <= end,
            )
        )
        s.add_all(BpoKpiDaily(**r.as_dict(), run_id=RUN_IDS["orm"]) for r in rows)
    timings.update({"read+compute": t1 - t0, "write": time.perf_counter() - t1})
    return rows


PATHS: dict[str, Callable[[list[int], date, date, dict[str, float]], Rows]] = {
    "ours": ours,
    "handler": handler,
    "orm": orm,
}


def stored_rows(ids: list[int], start: date, end: date, run_id: str) -> Rows:
    """The rows in the table after a run (every row of the range must be this run's)."""
    names = list(kpi.BpoKpiRow.__dataclass_fields__)
    with read_only() as uow:
        found = list(
            uow.session.execute(
                select(BpoKpiDaily)
                .where(
                    col(BpoKpiDaily.venture_id).in_(ids),
                    col(BpoKpiDaily.day) >= start,
                    col(BpoKpiDaily.day) <= end,
                )
                .order_by(col(BpoKpiDaily.venture_id), col(BpoKpiDaily.day))
            ).scalars()
        )
    assert {r.run_id for r in found} <= {run_id}, "rows of another run left in the range"
    return [kpi.BpoKpiRow(**{n: getattr(r, n) for n in names}) for r in found]


def volumes(ids: list[int], start: date, end: date) -> dict[str, int]:
    tzs = setup()[1]
    lo = min(clock.day_bounds_utc(start, z)[0] for z in tzs.values())
    hi = max(clock.day_bounds_utc(end, z)[1] for z in tzs.values())
    C, R = BpoCallLog, BpoKpiRecord
    counts = {
        "call logs": select(func.count()).where(
            col(C.venture_id).in_(ids), col(C.started_at) >= lo, col(C.started_at) < hi
        ),
        "kpi records": select(func.count()).where(
            col(R.venture_id).in_(ids), col(R.day) >= start, col(R.day) <= end
        ),
        "call logs (whole table)": select(func.count()).select_from(C),
    }
    with read_only() as uow:
        return {k: int(uow.session.execute(q).scalar_one()) for k, q in counts.items()}


BENCH = compare.KpiBench(
    script=__file__,
    doc=__doc__ or "",
    paths=PATHS,
    labels=LABELS,
    run_ids=RUN_IDS,
    days=DAYS,
    setup=setup,
    volumes=volumes,
    stored=stored_rows,
    ventures_noun="BPO venture(s)",
    table_name="BpoKpiDaily",
)


if __name__ == "__main__":
    compare.kpi_main(BENCH)
