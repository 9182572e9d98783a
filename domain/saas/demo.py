"""Demo SaaS data for the SAAS ventures (LGY): two years of customers and their subscriptions.

Customers sign up over the two years before the anchor, most on a Starter or Growth plan; some
later add a seat pack (expansion), some move to a bigger plan (their old subscription cancelled
the day the new one starts), about a quarter cancel for good with a reason. Deterministic under
the seed and the anchor; the subscriptions are written with SQLAlchemy Core ``insert`` in chunks.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from domain import clock
from domain.db import pk
from domain.demo import DemoContext, Size
from domain.saas import kpi
from domain.saas.models import SAAS_VENTURE_TYPES, SaasCustomer, SaasSubscription

log = logging.getLogger(__name__)

DAYS = 730
CHUNK = 5_000
# Days up to the anchor whose MRR the demo stores (two 90-day dashboard periods).
KPI_DAYS = 180


@dataclass(frozen=True)
class Plan:
    customers: int


PLANS = {
    Size.SMALL: Plan(customers=40),
    Size.MEDIUM: Plan(customers=400),
    Size.LARGE: Plan(customers=3_000),
}

# (plan, MRR in the venture's currency, weight)
TIERS = [
    ("Starter", Decimal("49.00"), 0.45),
    ("Growth", Decimal("199.00"), 0.4),
    ("Scale", Decimal("799.00"), 0.15),
]
UPGRADE = {"Starter": ("Growth", Decimal("199.00")), "Growth": ("Scale", Decimal("799.00"))}
SEAT_PACK = ("Seat pack", Decimal("25.00"))
REASONS = [
    "Moved to a competitor",
    "Budget cut",
    "Company closed",
    "Not using it enough",
    "Missing integrations",
]
NAMES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Aperture",
    "Gringotts",
    "Oscorp",
    "Pied",
]
KINDS = ["Labs", "Analytics", "Foods", "Logistics", "Studio", "Health", "Capital", "Retail"]


def _tier(rng: Any) -> tuple[str, Decimal]:
    x, acc = rng.random(), 0.0
    for plan, mrr, weight in TIERS:
        acc += weight
        if x < acc:
            return plan, mrr
    return TIERS[-1][0], TIERS[-1][1]


def seed(ctx: DemoContext) -> None:
    t0 = time.perf_counter()
    ventures = [v for v in ctx.ventures.values() if v.type in SAAS_VENTURE_TYPES]
    for venture in sorted(ventures, key=lambda v: v.code):
        _seed_venture(ctx, venture, PLANS[ctx.size].customers)
    log.info("demo saas in %.1f s", time.perf_counter() - t0)


def _seed_venture(ctx: DemoContext, venture: Any, n: int) -> None:
    rng = ctx.rng
    today = clock.business_date(ctx.as_of, venture.timezone)
    first = today - timedelta(days=DAYS)
    slug = venture.code.lower()
    customers = []
    for i in range(n):
        base = f"{NAMES[i % len(NAMES)]} {KINDS[(i // len(NAMES)) % len(KINDS)]}"
        suffix = i // (len(NAMES) * len(KINDS))
        name = base if suffix == 0 else f"{base} {suffix + 1}"
        domain = f"{name.lower().replace(' ', '-')}.{slug}-demo.example"
        customers.append(SaasCustomer(venture_id=pk(venture), name=name, domain=domain))
    ctx.uow.session.add_all(customers)
    ctx.uow.session.flush()
    ctx.uow.session.commit()  # the bulk rows below go through their own connections

    rows: list[dict[str, Any]] = []

    def add(
        cid: int, plan: str, mrr: Decimal, start: date, stop: date | None, why: str | None
    ) -> None:
        rows.append(
            {
                "customer_id": cid,
                "venture_id": pk(venture),
                "plan": plan,
                "mrr": mrr,
                "started_at": start,
                "cancelled_at": stop,
                "cancel_reason": why,
                "created_at": clock.now(),
            }
        )

    for c in customers:
        cid = pk(c)
        start = first + timedelta(days=rng.randrange(DAYS - 7))
        plan, mrr = _tier(rng)
        left = (today - start).days
        churn = rng.random() < 0.25 and left > 45
        end = start + timedelta(days=rng.randrange(30, left)) if churn else None
        why = rng.choice(REASONS) if churn else None
        upgrade_at = None
        if plan in UPGRADE and rng.random() < 0.2 and left > 90:
            upgrade_at = start + timedelta(days=rng.randrange(60, left - 15))
            if end is not None and upgrade_at >= end:
                upgrade_at = None
        if upgrade_at is not None:
            add(cid, plan, mrr, start, upgrade_at, "Upgraded")
            new_plan, new_mrr = UPGRADE[plan]
            add(cid, new_plan, new_mrr, upgrade_at, end, why)
        else:
            add(cid, plan, mrr, start, end, why)
        if rng.random() < 0.3 and left > 60:
            seats_at = start + timedelta(days=rng.randrange(20, left - 10))
            if end is None or seats_at < end:
                seats = SEAT_PACK[1] * rng.randint(1, 4)
                add(cid, SEAT_PACK[0], seats, seats_at, end, why)
    table = SaasSubscription.__table__  # type: ignore[attr-defined]
    for i in range(0, len(rows), CHUNK):
        with ctx.engine.begin() as conn:
            conn.execute(insert(table), rows[i : i + CHUNK])
    # The dashboards' pre-aggregate: the last KPI_DAYS days written by the wing's KPI write.
    with ctx.engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        kpi_days = [today - timedelta(days=i) for i in range(KPI_DAYS)]
        written = kpi.recompute_days_in(conn, pk(venture), kpi_days)
    ctx.count("saas_customers", len(customers))
    ctx.count("saas_subscriptions", len(rows))
    ctx.count("saas_mrr_days", len(written))
