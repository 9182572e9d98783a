"""Demo incentive plans: for every venture with metrics, a plan whose rules use every calc type
that fits its metrics, and the last 60 days committed through the real commit.

The seed runs the commit in process (``commit.backfill``) under a run id of its own
(``demo-<CODE>-<anchor>``) rather than as a notebook run: seeding stays deterministic (the same
anchor gives the same rows, run ids included) and fast. Days committed later by the scheduler or
by hand are job runs like any other.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from domain.db import pk
from domain.incentives import commit
from domain.incentives.metrics import registry
from domain.incentives.models import IncentivePlan, IncentiveRule, PlanStatus
from domain.incentives.services import check_rule
from domain.org.models import Venture

if TYPE_CHECKING:
    from domain.demo import DemoContext

HISTORY_DAYS = 60

# The rules of a freight venture's plan: every calc type, on the metric it suits.
FREIGHT_RULES: list[dict[str, Any]] = [
    {
        "name": "Margin share",
        "metric_key": "load_margin",
        "calc_type": "PERCENT_OF_METRIC",
        "rate": Decimal("0.02"),
    },
    {
        "name": "Per delivered load",
        "metric_key": "loads_delivered",
        "calc_type": "FLAT_PER_UNIT",
        "rate": Decimal("5"),
    },
    {
        "name": "Revenue kicker",
        "metric_key": "load_revenue",
        "calc_type": "CURRENCY_PER_DOLLAR",
        "rate": Decimal("0.001"),
    },
    {
        "name": "Daily target",
        "metric_key": "loads_delivered",
        "calc_type": "BONUS_ON_TARGET",
        "config": {"threshold": "3", "bonus": "25"},
    },
    {
        "name": "Miles slab",
        "metric_key": "load_miles",
        "calc_type": "TIERED_SLAB",
        "config": {
            "mode": "marginal",
            "tiers": [
                {"from": "0", "to": "1000", "rate": "0.01"},
                {"from": "1000", "to": "3000", "rate": "0.02"},
                {"from": "3000", "to": None, "rate": "0.03"},
            ],
        },
    },
    {
        "name": "Healthy load bonus",
        "metric_key": "load_margin",
        "calc_type": "LOAD_LEVEL_BONUS",
        "config": {"bonus": "10", "percent_of_margin": "0.01", "min_margin_pct": "0.12"},
    },
]

# A hotel venture's plan: its staff are paid for answering guests and winning disputes back.
HOSPITALITY_RULES: list[dict[str, Any]] = [
    {
        "name": "Per review answered",
        "metric_key": "hotel_reviews_responded",
        "calc_type": "FLAT_PER_UNIT",
        "rate": Decimal("2"),
    },
    {
        "name": "Dispute won bonus",
        "metric_key": "hotel_disputes_won",
        "calc_type": "FLAT_PER_UNIT",
        "rate": Decimal("15"),
    },
    {
        "name": "Recovery share",
        "metric_key": "hotel_dispute_recovered",
        "calc_type": "PERCENT_OF_METRIC",
        "rate": Decimal("0.03"),
    },
]

# A BPO venture's plan (INR): a slab on the day's deals, a share of the revenue they bring.
BPO_RULES: list[dict[str, Any]] = [
    {
        "name": "Deals slab",
        "metric_key": "bpo_deals",
        "calc_type": "TIERED_SLAB",
        "config": {
            "mode": "marginal",
            "tiers": [
                {"from": "0", "to": "2", "rate": "150"},
                {"from": "2", "to": "5", "rate": "250"},
                {"from": "5", "to": None, "rate": "400"},
            ],
        },
    },
    {
        "name": "Revenue share",
        "metric_key": "bpo_revenue",
        "calc_type": "PERCENT_OF_METRIC",
        "rate": Decimal("0.01"),
    },
]

RULES_BY_VERTICAL = {
    "freight": FREIGHT_RULES,
    "hospitality": HOSPITALITY_RULES,
    "bpo": BPO_RULES,
}


def seed(ctx: DemoContext) -> None:
    s = ctx.uow.session
    verticals = {m.vertical for m in registry().values()}
    plans: list[tuple[int, str]] = []
    ventures = s.execute(
        select(Venture).where(col(Venture.is_active).is_(True)).order_by(col(Venture.code))
    ).scalars()
    from domain.verticals import verticals as wings

    types_of = {v.key: v.venture_types for v in wings()}
    for venture in ventures:
        for vertical in sorted(verticals):
            if venture.type.value not in types_of.get(vertical, frozenset()):
                continue
            plan = IncentivePlan(
                venture_id=pk(venture),
                name=f"{venture.code} Sales {ctx.anchor.year}",
                currency=venture.currency,
                effective_from=ctx.anchor - timedelta(days=HISTORY_DAYS + 30),
                status=PlanStatus.ACTIVE,
            )
            s.add(plan)
            s.flush()
            for rule in RULES_BY_VERTICAL.get(vertical, []):
                s.add(IncentiveRule(plan_id=pk(plan), **check_rule(rule)))
            plans.append((pk(venture), venture.code))
    ctx.uow.session.commit()  # the commit reads the plans through its own connections
    start = ctx.anchor - timedelta(days=HISTORY_DAYS)
    end = ctx.anchor - timedelta(days=1)
    for venture_id, code in plans:
        result = commit.backfill(
            venture_id,
            start,
            end,
            run_id=f"demo-{code}-{ctx.anchor.isoformat()}",
            dry_run=False,
            engine=ctx.engine,
        )
        ctx.count("incentive plans", 1)
        ctx.count("incentive days", len(result.rows))
