"""Scope of incentives (spec/incentives.md, "Reading incentives"; spec/access.md): FINANCE of
PBP cannot read or change AFL's incentives by any domain path; an EMPLOYEE reads only their own
rows. (The API paths: tests/api/test_incentives.py.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, NotFound
from domain.incentives import services
from domain.incentives.models import IncentiveDaily
from domain.incentives.queries import list_daily, list_plans, my_incentives, venture_incentives
from domain.org.services import assign_role
from tests.helpers import actor, user_id, venture_id

INDIA = "finance.india@vcc.example"


def afl_plan() -> Any:
    with read_only() as uow:
        return list_plans(uow, actor("finance@vcc.example"), venture_id("AFL"))[0]


def test_finance_of_pbp_cannot_reach_afl_incentives(demo) -> None:
    india = actor(INDIA)
    afl = venture_id("AFL")
    plan = afl_plan()
    rule_id = plan.rules[0].id
    day = clock.today("America/New_York") - timedelta(days=2)
    with read_only() as uow:
        assert [p.venture_code for p in list_plans(uow, india)] == ["PBP"]  # its own only
    reads: list[Callable[[Any], object]] = [
        lambda uow: list_plans(uow, india, afl),
        lambda uow: venture_incentives(uow, india, afl, day - timedelta(days=30), day),
        lambda uow: list_daily(uow, india, scope="venture", venture_id=afl),
        lambda uow: services.plan_of(uow, india, plan.id),
    ]
    for read in reads:
        with pytest.raises(NotFound), read_only() as uow:
            read(uow)
    writes: list[Callable[[Any], object]] = [
        lambda uow: services.update_plan(uow, india, plan.id, {"name": "Mine now"}),
        lambda uow: services.retire_plan(uow, india, plan.id),
        lambda uow: services.add_rule(
            uow,
            india,
            plan.id,
            {"name": "x", "metric_key": "loads_delivered", "calc_type": "FLAT_PER_UNIT", "rate": 1},
        ),
        lambda uow: services.update_rule(uow, india, rule_id, {"rate": "9"}),
        lambda uow: services.create_plan(
            uow,
            india,
            {"venture_id": afl, "name": "x", "currency": "USD", "effective_from": day},
        ),
    ]
    for write in writes:
        with pytest.raises(NotFound), unit_of_work() as uow:
            write(uow)
    with pytest.raises(NotFound):
        services.commit(india, "AFL", day, dry_run=True)
    with pytest.raises(NotFound):
        services.backfill(india, "AFL", day - timedelta(days=3), day)
    with pytest.raises(NotFound):
        services.preview_rule(
            india,
            plan.id,
            {"name": "x", "metric_key": "loads_delivered", "calc_type": "FLAT_PER_UNIT", "rate": 1},
        )
    # Its own rows: none in AFL, whatever it asks.
    with read_only() as uow:
        assert list_daily(uow, india, scope="mine", venture_id=afl).items == []
    assert afl_plan() == plan  # nothing changed


def test_an_employee_sees_only_their_own_rows(demo) -> None:
    email = "kavya.iyer@vcc.example"  # a demo CSR of AFL with committed days
    with unit_of_work() as uow:
        assign_role(uow, actor("admin@vcc.example"), user_id(email), "EMPLOYEE")
    me = actor(email)
    assert me.role.value == "EMPLOYEE"
    with read_only() as uow:
        stored = sorted(
            uow.session.execute(
                select(IncentiveDaily.id).where(IncentiveDaily.user_id == user_id(email))
            ).scalars()
        )
        others = uow.session.execute(
            select(IncentiveDaily.id).where(IncentiveDaily.user_id != user_id(email))
        ).first()
    assert stored and others is not None
    seen: list[int] = []
    cursor = None
    while True:
        with read_only() as uow:
            page = list_daily(uow, me, scope="mine", cursor=cursor, limit=17)
        assert {r.user_id for r in page.items} <= {user_id(email)}
        seen += [r.id for r in page.items if r.id is not None]
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert sorted(seen) == stored
    with read_only() as uow:
        mine = my_incentives(uow, me, month=clock.today("UTC").strftime("%Y-%m"))
    assert {d.user_id for d in mine.days} <= {user_id(email)}
    afl = venture_id("AFL")
    day = clock.today("America/New_York")
    for read in (
        lambda uow: list_daily(uow, me, scope="venture", venture_id=afl),
        lambda uow: venture_incentives(uow, me, afl, day - timedelta(days=30), day),
        lambda uow: list_plans(uow, me),
    ):
        with pytest.raises(Forbidden), read_only() as uow:
            read(uow)
    with pytest.raises(Forbidden):
        services.commit(me, "AFL", day - timedelta(days=1), dry_run=True)
