"""The commit on a demo day (spec/incentives.md, "IncentiveDaily and the commit"): the rows a
hand computation of the demo plan expects, idempotence, a failed commit, people who left, and one
user paid in two currencies. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.incentives.commit import commit_incentives
from domain.incentives.models import IncentiveDaily
from domain.incentives.services import add_rule, create_plan
from domain.org.models import MembershipPeriod
from domain.org.services import set_user_ventures
from tests.helpers import actor, user_id, venture_id
from tests.integration.incentives.conftest import busiest_day, delivered, rows_of, without_run

CSR = "csr.afl@vcc.example"
CENT = Decimal("0.01")


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def hand_computed(day: date) -> dict[str, Decimal]:
    """The demo plan of AFL for the CSR's loads of ``day``, rule by rule, from the spec."""
    loads = delivered("AFL", CSR, day)
    count = Decimal(len(loads))
    bill = sum((Decimal(str(ld.bill_amount or 0)) for ld in loads), Decimal(0))
    cost = sum((Decimal(str(ld.cost_amount or 0)) for ld in loads), Decimal(0))
    miles = Decimal(sum(ld.miles or 0 for ld in loads))
    margin = bill - cost
    # Miles slab, marginal: 0-1000 @ 0.01, 1000-3000 @ 0.02, 3000- @ 0.03.
    slab = (
        min(miles, Decimal(1000)) * Decimal("0.01")
        + max(min(miles, Decimal(3000)) - 1000, Decimal(0)) * Decimal("0.02")
        + max(miles - 3000, Decimal(0)) * Decimal("0.03")
    )
    # Healthy load bonus: each load with margin >= 12 % of its bill: 10 + 1 % of its margin.
    healthy = Decimal(0)
    for ld in loads:
        b, c = Decimal(str(ld.bill_amount or 0)), Decimal(str(ld.cost_amount or 0))
        if b > 0 and (b - c) >= Decimal("0.12") * b:
            healthy += max(Decimal(10) + Decimal("0.01") * (b - c), Decimal(0))
    amounts = {
        "Margin share": q(margin * Decimal("0.02")) if margin > 0 else Decimal("0.00"),
        "Per delivered load": q(count * 5),
        "Revenue kicker": q(bill * Decimal("0.001")),
        "Daily target": Decimal("25.00") if count >= 3 else Decimal("0.00"),
        "Miles slab": q(slab),
        "Healthy load bonus": q(healthy),
    }
    return {k: v for k, v in amounts.items() if v > 0}


def test_a_commit_writes_the_rows_computed_by_hand(demo) -> None:
    day = busiest_day("AFL", CSR)
    expected = hand_computed(day)
    assert len(expected) >= 4  # the day exercises most rules
    commit_incentives(venture_id("AFL"), day, run_id="t-hand", dry_run=False)
    rows = [r for r in rows_of("AFL", day) if r["user_id"] == user_id(CSR)]
    assert len(rows) == 1
    row = rows[0]
    assert row["currency"] == "USD" and row["run_id"] == "t-hand"
    got = {b["rule"]: Decimal(b["amount"]) for b in row["breakdown"]}
    assert got == expected
    assert row["amount"] == sum(expected.values(), Decimal("0.00"))
    loads = delivered("AFL", CSR, day)
    by_rule = {b["rule"]: b for b in row["breakdown"]}
    assert Decimal(by_rule["Per delivered load"]["metric_value"]) == len(loads)


def test_committing_twice_leaves_identical_rows(demo) -> None:
    day = busiest_day("AFL", CSR)
    vid = venture_id("AFL")
    first = commit_incentives(vid, day, run_id="t-1", dry_run=False)
    once = rows_of("AFL", day)
    assert once and {r["run_id"] for r in once} == {"t-1"}
    assert len(once) == len(first.rows)
    commit_incentives(vid, day, run_id="t-2", dry_run=False)
    twice = rows_of("AFL", day)
    assert without_run(twice) == without_run(once)
    assert {r["run_id"] for r in twice} == {"t-2"}
    # The seed committed the same day through the same function: the same rows.
    dry = commit_incentives(vid, day, run_id=None, dry_run=True)
    assert [(r.user_id, r.currency, r.amount) for r in dry.rows] == [
        (r["user_id"], r["currency"], r["amount"]) for r in twice
    ]


def test_a_failing_commit_keeps_the_previous_rows(demo) -> None:
    day = busiest_day("AFL", CSR)
    vid = venture_id("AFL")
    before = rows_of("AFL", day)
    assert before

    def explode(_computation: object) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        commit_incentives(vid, day, run_id="t-fail", dry_run=False, before_write=explode)
    assert rows_of("AFL", day) == before
    with read_only() as uow:
        written = uow.session.execute(
            select(IncentiveDaily.id).where(IncentiveDaily.run_id == "t-fail")
        ).all()
    assert written == []


def test_a_user_who_left_after_the_day_is_still_paid_for_it(demo) -> None:
    day = busiest_day("AFL", CSR)
    vid = venture_id("AFL")
    commit_incentives(vid, day, run_id="t-before", dry_run=False)
    paid = [r for r in rows_of("AFL", day) if r["user_id"] == user_id(CSR)]
    assert paid
    with unit_of_work() as uow:
        set_user_ventures(uow, actor("admin@vcc.example"), user_id(CSR), [venture_id("MBR")])
    with read_only() as uow:
        periods = list(
            uow.session.execute(
                select(MembershipPeriod).where(
                    MembershipPeriod.user_id == user_id(CSR), MembershipPeriod.venture_id == vid
                )
            ).scalars()
        )
    assert periods and all(p.valid_to is not None for p in periods)  # no longer a member
    assert max(p.valid_to for p in periods if p.valid_to) >= day
    commit_incentives(vid, day, run_id="t-after", dry_run=False)
    again = [r for r in rows_of("AFL", day) if r["user_id"] == user_id(CSR)]
    assert without_run(again) == without_run(paid)
    # From the day after they left, a commit pays them nothing in AFL.
    today = clock.today("America/New_York")
    later = commit_incentives(vid, today, run_id=None, dry_run=True)
    assert user_id(CSR) not in {r.user_id for r in later.rows}


def test_inr_and_usd_plans_of_one_user_give_two_rows(demo) -> None:
    day = busiest_day("AFL", CSR)
    vid = venture_id("AFL")
    finance = actor("finance@vcc.example")
    with unit_of_work() as uow:
        plan = create_plan(
            uow,
            finance,
            {
                "venture_id": vid,
                "name": "AFL India desk",
                "currency": "INR",
                "effective_from": day - timedelta(days=5),
                "status": "ACTIVE",
            },
        )
        add_rule(
            uow,
            finance,
            plan.id,
            {
                "name": "Per load (INR)",
                "metric_key": "loads_delivered",
                "calc_type": "FLAT_PER_UNIT",
                "rate": "100",
            },
        )
    commit_incentives(vid, day, run_id="t-two", dry_run=False)
    mine = [r for r in rows_of("AFL", day) if r["user_id"] == user_id(CSR)]
    assert sorted(r["currency"] for r in mine) == ["INR", "USD"]
    inr = next(r for r in mine if r["currency"] == "INR")
    usd = next(r for r in mine if r["currency"] == "USD")
    assert inr["amount"] == Decimal(100 * len(delivered("AFL", CSR, day))).quantize(CENT)
    assert [b["rule"] for b in inr["breakdown"]] == ["Per load (INR)"]
    assert usd["amount"] == sum(hand_computed(day).values(), Decimal("0.00"))
