"""The pure step of the commit (spec/incentives.md): who is paid on D, in which currency, with
which breakdown. Amounts are hand-computed from the spec's calc rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.incentives.calc import LoadFacts, load_calc
from domain.incentives.engine import PayingRule, Period, pay

D = date(2026, 11, 30)
V = 1


def rule(
    rule_id: int,
    metric: str,
    calc_type: str,
    rate: str = "0",
    config: dict | None = None,
    *,
    currency: str = "USD",
    roles: frozenset[str] = frozenset(),
    start: date = date(2026, 1, 1),
    end: date | None = None,
    plan_id: int = 10,
    items: bool = False,
) -> PayingRule:
    return PayingRule(
        plan_id=plan_id,
        plan=f"Plan {plan_id}",
        currency=currency,
        effective_from=start,
        effective_to=end,
        rule_id=rule_id,
        rule=f"Rule {rule_id}",
        metric_key=metric,
        calc=load_calc(calc_type, Decimal(rate), config or {}),
        roles=roles,
        item_facts=items,
    )


def member(user: int, role: str = "CSR", start: date = date(2025, 1, 1), end: date | None = None):
    return Period(user, role, start, end)


def test_a_member_is_paid_every_rule_and_the_day_is_the_sum_of_rounded_amounts() -> None:
    rules = [
        rule(1, "load_margin", "PERCENT_OF_METRIC", "0.02"),  # 4210.00 x 2 % = 84.20
        rule(2, "loads_delivered", "FLAT_PER_UNIT", "5"),  # 3 x 5 = 15.00
        rule(3, "load_revenue", "CURRENCY_PER_DOLLAR", "0.0015"),  # 10001.00 x 0.0015 = 15.0015
    ]
    values = {
        (7, D): {
            "load_margin": Decimal("4210.00"),
            "loads_delivered": Decimal(3),
            "load_revenue": Decimal("10001.00"),
        }
    }
    [row] = pay(V, rules, [member(7)], values)
    assert (row.user_id, row.business_date, row.currency) == (7, D, "USD")
    assert [b["amount"] for b in row.breakdown] == ["84.20", "15.00", "15.00"]
    assert row.amount == Decimal("114.20")


def test_no_row_for_a_non_member_a_zero_amount_or_a_role_the_rule_does_not_pay() -> None:
    rules = [
        rule(1, "loads_delivered", "FLAT_PER_UNIT", "5", roles=frozenset({"DISPATCHER"})),
        rule(2, "loads_delivered", "BONUS_ON_TARGET", config={"threshold": 3, "bonus": 25}),
    ]
    values = {(7, D): {"loads_delivered": Decimal(2)}, (8, D): {"loads_delivered": Decimal(9)}}
    # 7 is a CSR (rule 1 is for dispatchers) below the target (2 < 3): nothing at all.
    # 8 is not a member of the venture on D: nothing either.
    assert pay(V, rules, [member(7), member(8, end=date(2026, 11, 29))], values) == []


def test_the_role_on_the_day_decides_not_the_role_today() -> None:
    rules = [rule(1, "loads_delivered", "FLAT_PER_UNIT", "5", roles=frozenset({"CSR"}))]
    periods = [
        member(7, "CSR", date(2025, 1, 1), date(2026, 11, 30)),
        member(7, "TEAM_LEAD", date(2026, 12, 1)),
    ]
    values = {
        (7, D): {"loads_delivered": Decimal(1)},
        (7, date(2026, 12, 1)): {"loads_delivered": Decimal(1)},
    }
    rows = pay(V, rules, periods, values)
    assert [(r.business_date, r.amount) for r in rows] == [(D, Decimal("5.00"))]


def test_two_currencies_are_two_rows_never_added() -> None:
    rules = [
        rule(1, "loads_delivered", "FLAT_PER_UNIT", "5", currency="USD", plan_id=10),
        rule(2, "loads_delivered", "FLAT_PER_UNIT", "400", currency="INR", plan_id=11),
    ]
    rows = pay(V, rules, [member(7)], {(7, D): {"loads_delivered": Decimal(2)}})
    assert sorted((r.currency, r.amount) for r in rows) == [
        ("INR", Decimal("800.00")),
        ("USD", Decimal("10.00")),
    ]


def test_a_plan_pays_only_inside_its_dates() -> None:
    rules = [rule(1, "loads_delivered", "FLAT_PER_UNIT", "5", start=date(2026, 12, 1))]
    assert pay(V, rules, [member(7)], {(7, D): {"loads_delivered": Decimal(4)}}) == []


def test_load_level_bonus_pays_on_each_counted_load_that_passes_the_filters() -> None:
    rules = [
        rule(
            1,
            "load_margin",
            "LOAD_LEVEL_BONUS",
            config={"bonus": "10", "percent_of_margin": "0.01", "min_margin_pct": "0.12"},
            items=True,
        )
    ]
    loads = [
        LoadFacts(Decimal("2000.00"), Decimal("1700.00")),  # 15 %: 10 + 3.00
        LoadFacts(Decimal("1000.00"), Decimal("950.00")),  # 5 %: filtered out
    ]
    [row] = pay(
        V, rules, [member(7)], {(7, D): {"load_margin": Decimal("350.00")}}, {(7, D): loads}
    )
    assert row.amount == Decimal("13.00")
    assert row.breakdown[0]["metric_value"] == "350"
