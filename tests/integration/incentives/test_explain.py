"""Explain the change (payouts issue, item 5): two incentives-daily runs of the same day, between
which one load's cost changed, compare to exactly that user, that rule, the metric delta, the
amount delta and the load (by its reference); nothing else. Computed here by hand from the loads
and the spec's calc (PERCENT_OF_METRIC: m x rate, rounded half-up to cents)."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import update

from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, Invalid, NotFound
from domain.freight.models import Load
from domain.incentives import services
from domain.incentives.explain import explain_runs, my_changes, previous_run
from domain.incentives.models import IncentivePlan, IncentiveRule
from tests.helpers import actor, user_id, venture_id
from tests.integration.incentives.conftest import busiest_day, delivered

CSR = "csr.afl@vcc.example"
FINANCE = "finance@vcc.example"
RATE = Decimal("0.02")


def _only_margin_share() -> int:
    """Leave AFL's plan paying one rule: "Margin share", 2 % of the day's load margin."""
    with unit_of_work() as uow:
        plan_ids = list(
            uow.session.execute(
                IncentivePlan.__table__.select()  # type: ignore[attr-defined]
                .with_only_columns(IncentivePlan.id)  # type: ignore[arg-type]
                .where(IncentivePlan.venture_id == venture_id("AFL"))
            ).scalars()
        )
        uow.session.execute(
            update(IncentiveRule)
            .where(IncentiveRule.plan_id.in_(plan_ids))  # type: ignore[attr-defined]
            .values(enabled=IncentiveRule.name == "Margin share")
        )
        rule = uow.session.execute(
            IncentiveRule.__table__.select()  # type: ignore[attr-defined]
            .with_only_columns(IncentiveRule.id)  # type: ignore[arg-type]
            .where(IncentiveRule.plan_id.in_(plan_ids), IncentiveRule.name == "Margin share")  # type: ignore[attr-defined]
        ).scalar_one()
    return int(rule)


def _margin(loads: list[Load]) -> Decimal:
    return sum(
        (Decimal(str(x.bill_amount or 0)) - Decimal(str(x.cost_amount or 0)) for x in loads),
        Decimal("0"),
    )


def _pay(margin: Decimal) -> Decimal:
    return (margin * RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_one_load_cost_change_explains_to_that_user_rule_and_load(demo, reports) -> None:
    rule_id = _only_margin_share()
    day = busiest_day("AFL", CSR)
    loads = delivered("AFL", CSR, day)
    margin_before = _margin(loads)
    finance = actor(FINANCE)

    first = services.commit(finance, "AFL", day, dry_run=False)
    assert first.status == "SUCCEEDED", first.error
    edited = loads[0]
    with unit_of_work() as uow:
        uow.session.execute(
            update(Load)
            .where(Load.id == edited.id)  # type: ignore[arg-type]
            .values(cost_amount=Decimal(str(edited.cost_amount or 0)) + Decimal("100.00"))
        )
    second = services.commit(finance, "AFL", day, dry_run=False)
    assert second.status == "SUCCEEDED", second.error
    margin_after = margin_before - Decimal("100.00")

    with read_only() as uow:
        found = explain_runs(uow, finance, first.run_id, second.run_id)
    assert (found.before.run_id, found.after.run_id) == (first.run_id, second.run_id)
    [line] = found.rules
    assert line.user_id == user_id(CSR) and line.user_email == CSR
    assert (line.rule_id, line.rule, line.metric_key) == (rule_id, "Margin share", "load_margin")
    assert (line.metric_before, line.metric_after) == (margin_before, margin_after)
    assert line.metric_delta == Decimal("-100.00")
    assert (line.amount_before, line.amount_after) == (_pay(margin_before), _pay(margin_after))
    assert line.amount_delta == Decimal("-2.00")
    [amount] = found.amounts
    assert (amount.user_id, amount.amount_before, amount.amount_after) == (
        user_id(CSR),
        _pay(margin_before),
        _pay(margin_after),
    )
    [changed] = found.inputs
    assert (changed.table, changed.key, changed.change) == (
        "freight_load",
        str(edited.id),
        "changed",
    )
    assert changed.label == f"load {edited.reference}"
    assert f"load {edited.reference} changed" in amount.sentence
    assert "load margin fell from" in amount.sentence

    # Named the other way round, "before" is still the earlier run; one user only.
    with read_only() as uow:
        again = explain_runs(uow, finance, second.run_id, first.run_id, user=CSR)
    assert again.before.run_id == first.run_id and again.rules == found.rules
    with read_only() as uow:
        other = explain_runs(uow, finance, first.run_id, second.run_id, user=FINANCE)
    assert other.rules == [] and other.amounts == [] and other.inputs == []
    with read_only() as uow:
        assert previous_run(uow, finance, second.run_id).run_id == first.run_id  # type: ignore[union-attr]

    # My incentives: the CSR sees their own recomputed day explained.
    with read_only() as uow:
        mine = my_changes(uow, actor(CSR), day, day)
    [change] = mine
    assert change.day == day and change.amount_after == _pay(margin_after)
    assert f"load {edited.reference} changed" in change.sentence
    with read_only() as uow:
        assert my_changes(uow, actor(FINANCE), day, day) == []


def test_explain_refuses_unknown_runs_other_keys_and_readers_out_of_scope(demo, reports) -> None:
    day = busiest_day("AFL", CSR)
    finance = actor(FINANCE)
    first = services.commit(finance, "AFL", day, dry_run=False)
    other_day = services.commit(finance, "AFL", day - timedelta(days=1), dry_run=False)
    assert first.status == other_day.status == "SUCCEEDED"

    with read_only() as uow, pytest.raises(NotFound) as missing:
        explain_runs(uow, finance, "20990101T000000-00000000", first.run_id)
    assert "a: run" in str(missing.value)
    with read_only() as uow, pytest.raises(NotFound) as missing:
        explain_runs(uow, finance, first.run_id, "20990101T000000-00000000")
    assert "b: run" in str(missing.value)
    with read_only() as uow, pytest.raises(Invalid) as wrong:
        explain_runs(uow, finance, first.run_id, other_day.run_id)
    assert "only two runs of the same job" in wrong.value.fields["b"]
    with read_only() as uow, pytest.raises(Invalid) as same:
        explain_runs(uow, finance, first.run_id, first.run_id)
    assert "b" in same.value.fields
    with read_only() as uow, pytest.raises(Invalid) as nobody:
        explain_runs(uow, finance, first.run_id, other_day.run_id, user="nobody@vcc.example")
    assert "nobody@vcc.example" in nobody.value.fields["user"]
    # finance.india (PBP only): an AFL run reads as not found; a CSR reads no run at all.
    with read_only() as uow, pytest.raises(NotFound):
        explain_runs(uow, actor("finance.india@vcc.example"), first.run_id, other_day.run_id)
    with read_only() as uow, pytest.raises(Forbidden):
        explain_runs(uow, actor(CSR), first.run_id, other_day.run_id)
