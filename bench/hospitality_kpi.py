"""Hospitality KPI backfill at the large demo size: ours against an ORM row loop, same run, same
rows.

A HospitalityKpiDaily backfill of 90 days (every hospitality venture, up to yesterday) through
the paths:

- **ours**: ``domain.hospitality.kpi.backfill_kpi``, the path of the kpi-aggregate job: five
  narrow reads into Polars (connectorx on PostgreSQL, the stdlib driver on SQLite), the business
  dates and sums in Polars, one DELETE + one bulk INSERT in one transaction.
- **ours, handler reader**: ``recompute_days_in`` over the 90 days in one transaction, the event
  handlers' path: the same reads and the same ``compute_kpi``, rows fetched through SQLAlchemy.
- **ORM loop** (the baseline, like ``bench/freight.py``'s): whole ORM rows of the hotel days,
  reviews and disputes, business dates and Decimal sums in Python dicts, the same ratio rules
  (``rules.hotel_ratios``), an ORM write-back (delete + ``add_all``).

All paths must give the same rows: asserted on the computed rows and on the rows read back from
the table after each run. The paths run in interleaved rounds (each path once per round, the
order turned each round; the box is shared), the table shows the median of ``--repeat`` (>= 3).
Memory: each path once more in a fresh process, its peak RSS (``VmHWM``) after a reset of the
peak past the imports (``/proc/self/clear_refs``), and the Python allocations' peak of a run in
process under ``tracemalloc`` (Arrow memory is not seen by it).

    .venv/bin/python bench/hospitality_kpi.py --db sqlite:////tmp/vcc-hospbench/large.db
    .venv/bin/python bench/hospitality_kpi.py --db postgresql://vcc_test:vcc_test@localhost:5432/vcc_hbench

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
from domain.db import get_engine, read_only, unit_of_work
from domain.hospitality import kpi
from domain.hospitality.models import (
    HOSPITALITY_VENTURE_TYPES,
    DisputeStatus,
    HospitalityKpiDaily,
    HotelDispute,
    HotelKpiDaily,
    HotelReview,
)
from domain.hospitality.rules import hotel_ratios, ratio
from domain.org.models import Venture

DAYS = 90
RUN_IDS = {"ours": "bench-ours", "handler": "bench-handler", "orm": "bench-orm"}
LABELS = {
    "ours": "ours: `backfill_kpi` (the kpi-aggregate path)",
    "handler": "ours, handler reader: `recompute_days_in`",
    "orm": "baseline: ORM row loop + ORM write-back",
}


def setup() -> tuple[list[int], dict[int, str], date, date]:
    with read_only() as uow:
        tzs = {
            int(v.id): v.timezone  # type: ignore[arg-type]
            for v in uow.session.execute(
                select(Venture).where(col(Venture.type).in_(sorted(HOSPITALITY_VENTURE_TYPES)))
            ).scalars()
        }
    if not tzs:
        raise SystemExit("no hospitality venture: seed the large demo first (--seed)")
    end = max(clock.today(tz) for tz in tzs.values()) - timedelta(days=1)
    return sorted(tzs), tzs, end - timedelta(days=DAYS - 1), end


# -- the paths ------------------------------------------------------------------------------------


def ours(ids: list[int], start: date, end: date, timings: dict[str, float]) -> list[kpi.KpiRow]:
    result = kpi.backfill_kpi(ids, start, end, run_id=RUN_IDS["ours"])
    timings.update(result.timings)
    return result.rows


def handler(ids: list[int], start: date, end: date, timings: dict[str, float]) -> list[kpi.KpiRow]:
    """The event handlers' function over the whole range, one venture after the other, in one
    transaction (as an upload touching 90 days would)."""
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    rows: list[kpi.KpiRow] = []
    engine = get_engine().execution_options(sqlite_begin="IMMEDIATE")
    with engine.begin() as conn:
        for v in ids:
            result = kpi.recompute_days_in(conn, v, days, run_id=RUN_IDS["handler"])
            rows += result.rows
            for k, t in result.timings.items():
                timings[k] = timings.get(k, 0.0) + t
    return sorted(rows, key=lambda r: (r.venture_id, r.day))


def orm(ids: list[int], start: date, end: date, timings: dict[str, float]) -> list[kpi.KpiRow]:
    """What one writes without thinking about the data path: load ORM rows, loop in Python, sum
    Decimals in dicts, write ORM objects back."""
    t0 = time.perf_counter()
    with unit_of_work() as uow:
        s = uow.session
        tz = {
            int(v.id): v.timezone  # type: ignore[arg-type]
            for v in s.execute(select(Venture).where(col(Venture.id).in_(ids))).scalars()
        }
        w = kpi.Window.of(tz, start, end)
        sums: dict[tuple[int, date], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
        hotels: dict[tuple[int, date], set[int]] = defaultdict(set)
        for k in s.execute(
            select(HotelKpiDaily).where(
                col(HotelKpiDaily.venture_id).in_(ids),
                col(HotelKpiDaily.day) >= start,
                col(HotelKpiDaily.day) <= end,
            )
        ).scalars():
            key = (k.venture_id, k.day)
            hotels[key].add(k.hotel_id)
            c = sums[key]
            c["available"] += k.rooms_available
            c["sold"] += k.rooms_sold
            c["room"] += k.room_revenue or Decimal(0)
            c["other"] += k.other_revenue or Decimal(0)
        for r in s.execute(
            select(HotelReview).where(
                col(HotelReview.venture_id).in_(ids),
                col(HotelReview.review_date) >= start,
                col(HotelReview.review_date) <= end,
            )
        ).scalars():
            c = sums[(r.venture_id, r.review_date)]
            c["received"] += 1
            c["rating"] += r.rating
        for r in s.execute(
            select(HotelReview).where(
                col(HotelReview.venture_id).in_(ids),
                col(HotelReview.responded_at) >= w.lo,
                col(HotelReview.responded_at) < w.hi,
            )
        ).scalars():
            assert r.responded_at is not None
            sums[(r.venture_id, clock.business_date(r.responded_at, tz[r.venture_id]))][
                "responded"
            ] += 1
        for d in s.execute(
            select(HotelDispute).where(
                col(HotelDispute.venture_id).in_(ids),
                col(HotelDispute.created_at) >= w.lo,
                col(HotelDispute.created_at) < w.hi,
            )
        ).scalars():
            sums[(d.venture_id, clock.business_date(d.created_at, tz[d.venture_id]))]["opened"] += 1
        for d in s.execute(
            select(HotelDispute).where(
                col(HotelDispute.venture_id).in_(ids),
                col(HotelDispute.resolved_at) >= w.lo,
                col(HotelDispute.resolved_at) < w.hi,
                col(HotelDispute.status) == DisputeStatus.WON,
            )
        ).scalars():
            assert d.resolved_at is not None
            c = sums[(d.venture_id, clock.business_date(d.resolved_at, tz[d.venture_id]))]
            c["won"] += 1
            c["recovered"] += d.amount or Decimal(0)
        rows = []
        for v in sorted(ids):
            day = start
            while day <= end:
                c = sums.get((v, day), {})
                room = Decimal(c.get("room", 0)).quantize(Decimal("0.01"))
                other = Decimal(c.get("other", 0)).quantize(Decimal("0.01"))
                ratios = hotel_ratios(c.get("available", 0), c.get("sold", 0), room)
                rows.append(
                    kpi.KpiRow(
                        venture_id=v,
                        day=day,
                        hotels_reporting=len(hotels.get((v, day), ())),
                        rooms_available=c.get("available", 0),
                        rooms_sold=c.get("sold", 0),
                        room_revenue=room,
                        other_revenue=other,
                        total_revenue=room + other,
                        occupancy=ratios.occupancy,
                        adr=ratios.adr,
                        revpar=ratios.revpar,
                        reviews_received=c.get("received", 0),
                        reviews_responded=c.get("responded", 0),
                        average_rating=ratio(c.get("rating", 0), c.get("received", 0)),
                        disputes_opened=c.get("opened", 0),
                        disputes_won=c.get("won", 0),
                        amount_recovered=Decimal(c.get("recovered", 0)).quantize(Decimal("0.01")),
                    )
                )
                day += timedelta(days=1)
        t1 = time.perf_counter()
        s.execute(
            delete(HospitalityKpiDaily).where(
                col(HospitalityKpiDaily.venture_id).in_(ids),
                col(HospitalityKpiDaily.day) >= start,
                col(HospitalityKpiDaily.day) <= end,
            )
        )
        s.add_all(HospitalityKpiDaily(**r.as_dict(), run_id=RUN_IDS["orm"]) for r in rows)
    timings.update({"read+compute": t1 - t0, "write": time.perf_counter() - t1})
    return rows


PATHS: dict[str, Callable[[list[int], date, date, dict[str, float]], list[kpi.KpiRow]]] = {
    "ours": ours,
    "handler": handler,
    "orm": orm,
}


def stored_rows(ids: list[int], start: date, end: date, run_id: str) -> list[kpi.KpiRow]:
    """The rows in the table after a run, as KpiRows (every row of the range must be this run's)."""
    names = [f for f in kpi.KpiRow.__dataclass_fields__]
    with read_only() as uow:
        found = list(
            uow.session.execute(
                select(HospitalityKpiDaily)
                .where(
                    col(HospitalityKpiDaily.venture_id).in_(ids),
                    col(HospitalityKpiDaily.day) >= start,
                    col(HospitalityKpiDaily.day) <= end,
                )
                .order_by(col(HospitalityKpiDaily.venture_id), col(HospitalityKpiDaily.day))
            ).scalars()
        )
    assert {r.run_id for r in found} <= {run_id}, "rows of another run left in the range"
    return [kpi.KpiRow(**{n: getattr(r, n) for n in names}) for r in found]


# -- main -----------------------------------------------------------------------------------------


def volumes(ids: list[int], start: date, end: date) -> dict[str, int]:
    w = kpi.Window.of(setup()[1], start, end)
    K, R, D = HotelKpiDaily, HotelReview, HotelDispute
    counts = {
        "hotel days": select(func.count()).where(
            col(K.venture_id).in_(ids), col(K.day) >= start, col(K.day) <= end
        ),
        "reviews": select(func.count()).where(
            col(R.venture_id).in_(ids), col(R.review_date) >= start, col(R.review_date) <= end
        ),
        "disputes": select(func.count()).where(
            col(D.venture_id).in_(ids), col(D.created_at) >= w.lo, col(D.created_at) < w.hi
        ),
        "hotel days (whole table)": select(func.count()).select_from(K),
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
    ventures_noun="hospitality venture(s)",
    table_name="HospitalityKpiDaily",
)


if __name__ == "__main__":
    compare.kpi_main(BENCH)
