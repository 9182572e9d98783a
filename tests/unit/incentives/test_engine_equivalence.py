"""``engine.pay`` gives, for every (user, day), what the rules pay one by one: a rule pays a member
whose role it names on a day its plan covers, its amount is the calc's amount of the day's metric
value (rounded per rule), zero amounts write nothing, and each currency has its own row with the
sum of its rules' amounts. Checked against that plain reading of the spec on many (user, day)
pairs that repeat metric values (the engine computes each (rule, value) once)."""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.incentives.calc import LoadFacts, amount, load_calc
from domain.incentives.engine import PayingRule, Period, _shown, pay

D = Decimal
START = date(2026, 9, 1)

CALCS: list[tuple[str, str, Any, dict[str, Any] | None]] = [
    ("load_margin", "PERCENT_OF_METRIC", "0.02", None),
    ("loads_delivered", "FLAT_PER_UNIT", "5", None),
    ("load_revenue", "CURRENCY_PER_DOLLAR", "0.001", None),
    ("loads_delivered", "BONUS_ON_TARGET", None, {"threshold": "3", "bonus": "25"}),
    (
        "load_miles",
        "TIERED_SLAB",
        None,
        {
            "mode": "marginal",
            "tiers": [
                {"from": "0", "to": "1000", "rate": "0.01"},
                {"from": "1000", "to": None, "rate": "0.02"},
            ],
        },
    ),
    (
        "load_margin",
        "LOAD_LEVEL_BONUS",
        None,
        {"bonus": "10", "percent_of_margin": "0.01", "min_margin_pct": "0.12"},
    ),
]


def rules() -> list[PayingRule]:
    out = []
    for i, (metric, kind, rate, config) in enumerate(CALCS):
        usd = i != 2  # one rule in INR: two rows for a user who earns under both
        out.append(
            PayingRule(
                plan_id=1 if usd else 2,
                plan="USD plan" if usd else "INR plan",
                currency="USD" if usd else "INR",
                effective_from=START + timedelta(days=2 if i == 1 else 0),  # starts later
                effective_to=None if i != 3 else START + timedelta(days=20),  # ends earlier
                rule_id=10 + i,
                rule=f"rule {i}",
                metric_key=metric,
                calc=load_calc(kind, rate, config),
                roles=frozenset({"DISPATCHER"}) if i == 4 else frozenset(),
                item_facts=kind == "LOAD_LEVEL_BONUS",
            )
        )
    return out


def spec_rows(
    venture_id: int,
    paying: list[PayingRule],
    periods: list[Period],
    values: dict[tuple[int, date], dict[str, Decimal]],
    items: dict[tuple[int, date], list[LoadFacts]],
) -> list[tuple[Any, ...]]:
    out: dict[tuple[int, date, str], list[Any]] = {}
    for (user, day), metrics in values.items():
        role = next((p.role for p in periods if p.user_id == user and p.covers(day)), None)
        if role is None:
            continue
        for r in paying:
            if not r.covers(day) or (r.roles and role not in r.roles):
                continue
            m = metrics.get(r.metric_key)
            if m is None:
                continue
            paid = amount(r.calc, m, items.get((user, day), []) if r.item_facts else ())
            if paid <= 0:
                continue
            row = out.setdefault((user, day, r.currency), [D("0.00"), []])
            row[0] += paid
            row[1].append((r.rule_id, _shown(m), str(paid)))
    return sorted((k[1], k[0], k[2], v[0], tuple(v[1])) for k, v in out.items())


def test_pay_gives_what_the_rules_pay_one_by_one() -> None:
    rng = random.Random(11)
    periods = [
        Period(1, "SALES", START, START + timedelta(days=9)),  # changes role on day 10
        Period(1, "DISPATCHER", START + timedelta(days=10), None),
        Period(2, "SALES", START, START + timedelta(days=19)),  # leaves after day 19
        Period(3, "DISPATCHER", START, None),
        Period(4, "SALES", START, None),
    ]
    values: dict[tuple[int, date], dict[str, Decimal]] = {}
    items: dict[tuple[int, date], list[LoadFacts]] = {}
    for user in (1, 2, 3, 4, 5):  # user 5 is no member: paid nothing
        for d in range(30):
            day = START + timedelta(days=d)
            loads = [
                LoadFacts(D(rng.randint(0, 300)), D(rng.choice([0, 50, 150, 280, 400])))
                for _ in range(rng.randint(0, 5))
            ]
            items[(user, day)] = loads
            values[(user, day)] = {
                "loads_delivered": D(len(loads)),
                "load_revenue": sum((x.bill_amount for x in loads), D(0)) / 100,
                "load_margin": sum((x.margin for x in loads), D(0)),  # negative on some days
                "load_miles": D(rng.choice([0, 500, 999, 1000, 1500])),  # values repeat
            }
    got = pay(7, rules(), periods, values, items)
    assert all(r.venture_id == 7 for r in got)
    mine = [
        (
            r.business_date,
            r.user_id,
            r.currency,
            r.amount,
            tuple((b["rule_id"], b["metric_value"], b["amount"]) for b in r.breakdown),
        )
        for r in got
    ]
    expected = spec_rows(7, rules(), periods, values, items)
    assert mine == expected
    assert {r.currency for r in got} == {"USD", "INR"}
    assert 5 not in {r.user_id for r in got}
    assert all(r.amount > 0 for r in got)


def test_load_level_amounts_summed_in_polars_are_the_per_load_amounts() -> None:
    """The commit sums a LOAD_LEVEL_BONUS rule's qualifying loads in Polars (integer cents);
    every (user, day) must get the cents the per-load calc gives, filters and losses included."""
    import polars as pl

    from domain.incentives.commit import _item_amounts

    rng = random.Random(5)
    rows = []
    for user in range(1, 6):
        for d in range(20):
            for _ in range(rng.randint(0, 6)):
                bill = rng.choice([0, 1, 100, 2500, 99_999, rng.randint(0, 500_000)])
                cost = rng.choice([0, bill, bill * 88 // 100, bill + 3000, rng.randint(0, 500_000)])
                rows.append((user, START + timedelta(days=d), bill, cost))
    df = pl.DataFrame(
        rows, schema={"user_id": pl.Int64, "day": pl.Date, "bill_cents": pl.Int64,
                      "cost_cents": pl.Int64}, orient="row",
    ).with_columns(margin_cents=pl.col("bill_cents") - pl.col("cost_cents"))  # fmt: skip
    configs: list[dict[str, Any]] = [
        {"bonus": "10", "percent_of_margin": "0.01", "min_margin_pct": "0.12"},
        {"bonus": "0", "percent_of_margin": "0.5"},  # a loss would be negative: counts 0
        {"bonus": "2.5", "percent_of_margin": "0.333333", "min_bill_amount": "25.00"},
        {"bonus": "1", "percent_of_margin": "0", "min_margin_pct": "0"},  # billed 0 never passes
    ]
    for i, config in enumerate(configs):
        rule = PayingRule(1, "p", "USD", START, None, i, "r", "load_margin",
                          load_calc("LOAD_LEVEL_BONUS", None, config), item_facts=True)  # fmt: skip
        got: dict[tuple[int, int, date], Decimal] = {}
        assert _item_amounts(df, rule, got)
        expected = {}
        for user in range(1, 6):
            for d in range(20):
                day = START + timedelta(days=d)
                loads = [LoadFacts(D(b) / 100, D(c) / 100) for u, x, b, c in rows
                         if u == user and x == day]  # fmt: skip
                paid = amount(rule.calc, D(0), loads)
                if paid > 0:
                    expected[(i, user, day)] = paid
        assert {k: v for k, v in got.items() if v > 0} == expected, config
        assert expected  # the case pays something
