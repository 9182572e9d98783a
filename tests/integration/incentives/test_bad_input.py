"""Bad input (spec/incentives.md; the wing's issue, "Bad input"): refused with the field named,
nothing written. Rules and plans through the services as FINANCE; commits through the commit
service."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.errors import Invalid, NotFound
from domain.incentives import services
from domain.incentives.models import IncentiveDaily, IncentivePlan, IncentiveRule
from domain.incentives.queries import list_plans
from tests.helpers import actor, venture_id

FINANCE = "finance@vcc.example"


def counts() -> tuple[int, int, int]:
    with read_only() as uow:
        return tuple(  # type: ignore[return-value]
            uow.session.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (IncentivePlan, IncentiveRule, IncentiveDaily)
        )


def afl_plan_id() -> int:
    with read_only() as uow:
        plans = list_plans(uow, actor(FINANCE), venture_id("AFL"))
    return plans[0].id


def slab(*tiers: tuple[str, str | None, str]) -> dict[str, Any]:
    return {
        "mode": "marginal",
        "tiers": [{"from": f, "to": t, "rate": r} for f, t, r in tiers],
    }


BAD_RULES: list[tuple[str, dict[str, Any], str]] = [
    (
        "overlapping tiers",
        {"calc_type": "TIERED_SLAB", "config": slab(("0", "100", "1"), ("50", None, "2"))},
        "config.tiers[1].from",
    ),
    (
        "a gap between tiers",
        {"calc_type": "TIERED_SLAB", "config": slab(("0", "100", "1"), ("150", None, "2"))},
        "config.tiers[1].from",
    ),
    (
        "a first tier not from 0",
        {"calc_type": "TIERED_SLAB", "config": slab(("10", "100", "1"), ("100", None, "2"))},
        "config.tiers[0].from",
    ),
    ("a negative rate", {"calc_type": "FLAT_PER_UNIT", "rate": "-1"}, "rate"),
    (
        "a threshold of 0",
        {"calc_type": "BONUS_ON_TARGET", "config": {"threshold": "0", "bonus": "25"}},
        "config.threshold",
    ),
    (
        "currency per dollar on a count",
        {"calc_type": "CURRENCY_PER_DOLLAR", "rate": "0.01", "metric_key": "loads_delivered"},
        "calc_type",
    ),
    ("an unknown metric", {"metric_key": "smiles_per_hour"}, "metric_key"),
    ("an unknown role", {"roles": ["CSR", "WIZARD"]}, "roles[1]"),
]


@pytest.mark.parametrize("case, change, field", BAD_RULES, ids=[c[0] for c in BAD_RULES])
def test_a_bad_rule_is_refused_naming_the_field(
    demo, case: str, change: dict[str, Any], field: str
) -> None:
    rule = {
        "name": f"Bad: {case}",
        "metric_key": "load_miles",
        "calc_type": "FLAT_PER_UNIT",
        "rate": "1",
    } | change
    plan_id = afl_plan_id()
    before = counts()
    with pytest.raises(Invalid) as exc, unit_of_work() as uow:
        services.add_rule(uow, actor(FINANCE), plan_id, rule)
    assert field in exc.value.fields, exc.value.fields
    assert counts() == before
    # The same change to an existing rule is refused the same way.
    with read_only() as uow:
        rule_id = list_plans(uow, actor(FINANCE), venture_id("AFL"))[0].rules[0].id
    with pytest.raises(Invalid) as exc, unit_of_work() as uow:
        services.update_rule(
            uow, actor(FINANCE), rule_id, {**change, "metric_key": rule["metric_key"]}
        )
    assert field in exc.value.fields, exc.value.fields


def test_effective_to_before_effective_from_is_refused(demo) -> None:
    today = clock.today("America/New_York")
    before = counts()
    with pytest.raises(Invalid) as exc, unit_of_work() as uow:
        services.create_plan(
            uow,
            actor(FINANCE),
            {
                "venture_id": venture_id("AFL"),
                "name": "Backwards",
                "currency": "USD",
                "effective_from": today,
                "effective_to": today - timedelta(days=1),
            },
        )
    assert "effective_to" in exc.value.fields
    with pytest.raises(Invalid) as exc, unit_of_work() as uow:
        services.update_plan(
            uow,
            actor(FINANCE),
            afl_plan_id(),
            {"effective_to": today - timedelta(days=400)},
        )
    assert "effective_to" in exc.value.fields
    assert counts() == before


def test_a_commit_for_a_future_date_is_refused(demo) -> None:
    before = counts()
    tomorrow = clock.today("America/New_York") + timedelta(days=1)
    for dry_run in (True, False):
        with pytest.raises(Invalid) as exc:
            services.commit(actor(FINANCE), "AFL", tomorrow, dry_run=dry_run)
        assert "date" in exc.value.fields
    assert counts() == before


def test_a_commit_of_a_venture_outside_scope_is_not_found(demo) -> None:
    before = counts()
    yesterday = clock.today("America/New_York") - timedelta(days=1)
    for dry_run in (True, False):
        with pytest.raises(NotFound):
            services.commit(actor("finance.india@vcc.example"), "AFL", yesterday, dry_run=dry_run)
        with pytest.raises(NotFound):
            services.commit(
                actor("finance.india@vcc.example"), venture_id("AFL"), yesterday, dry_run=dry_run
            )
    assert counts() == before


def test_a_commit_of_a_venture_without_plans_is_refused(demo) -> None:
    before = counts()
    yesterday = clock.today("America/New_York") - timedelta(days=1)
    with pytest.raises(Invalid) as exc:
        services.commit(actor(FINANCE), "LGY", yesterday, dry_run=False)
    assert (
        "venture" in exc.value.fields and "no active incentive plan" in exc.value.fields["venture"]
    )
    assert counts() == before
