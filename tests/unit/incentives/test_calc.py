"""The six calc types of the incentives spec: amounts to the cent (computed by hand), rounding
half-up per rule, the TIERED_SLAB boundaries, every bad config refused naming its field, and the
properties that must hold for any input (Hypothesis)."""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import Invalid
from domain.incentives.calc import (
    CalcType,
    LoadFacts,
    RuleCalc,
    amount,
    config_json,
    day_total,
    load_calc,
    raw_amount,
    uses_rate,
    validate_rule,
)

D = Decimal

SPEC_TIERS: list[dict[str, Any]] = [
    {"from": "0", "to": "50", "rate": "1"},
    {"from": "50", "to": "100", "rate": "2"},
    {"from": "100", "to": None, "rate": "3"},
]


def calc(calc_type: str, rate: Any = None, config: dict[str, Any] | None = None) -> RuleCalc:
    return load_calc(calc_type, rate, config)


def slab(mode: str, tiers: list[dict[str, Any]] = SPEC_TIERS) -> RuleCalc:
    return calc("TIERED_SLAB", None, {"mode": mode, "tiers": tiers})


def load(bill: str, cost: str) -> LoadFacts:
    return LoadFacts(bill_amount=D(bill), cost_amount=D(cost))


# -- amounts, by hand -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calc_type", "rate", "m", "expected"),
    [
        # PERCENT_OF_METRIC: the rate is a fraction (0.02 = 2 %).
        ("PERCENT_OF_METRIC", "0.02", "4210.00", "84.20"),
        ("PERCENT_OF_METRIC", "0.025", "1234.56", "30.86"),  # 30.864
        ("PERCENT_OF_METRIC", "0.5", "0.01", "0.01"),  # 0.005 half-up
        ("PERCENT_OF_METRIC", "0.02", "0", "0.00"),
        # FLAT_PER_UNIT: so much per unit.
        ("FLAT_PER_UNIT", "25", 7, "175.00"),
        ("FLAT_PER_UNIT", "1", "0.125", "0.13"),  # half-up, not half-even (0.12)
        ("FLAT_PER_UNIT", "1", "2.675", "2.68"),  # exact in Decimal: no binary 2.67499...
        ("FLAT_PER_UNIT", "1", "0.004", "0.00"),
        ("FLAT_PER_UNIT", "0", 12, "0.00"),
        # CURRENCY_PER_DOLLAR: so much of the plan's currency per dollar of a money metric.
        ("CURRENCY_PER_DOLLAR", "0.75", "1999.99", "1499.99"),  # 1499.9925
        ("CURRENCY_PER_DOLLAR", "1.5", "333.33", "500.00"),  # 499.995 half-up
        ("CURRENCY_PER_DOLLAR", "83.125", "10.01", "832.08"),  # 832.08125
    ],
)
def test_rate_types(calc_type: str, rate: str, m: Any, expected: str) -> None:
    m = m if isinstance(m, int) else D(m)
    got = amount(calc(calc_type, rate), m)
    assert got == D(expected)
    assert str(got) == expected  # always two decimals


@pytest.mark.parametrize(
    ("m", "expected"),
    [("0", "0.00"), ("9.99", "0.00"), ("10", "150.00"), ("10.000001", "150.00"), ("250", "150.00")],
)
def test_bonus_on_target(m: str, expected: str) -> None:
    rule = calc("BONUS_ON_TARGET", None, {"threshold": "10", "bonus": "150.00"})
    assert amount(rule, D(m)) == D(expected)


def test_spec_example_marginal_210_retro_360() -> None:
    # 50 x 1 + 50 x 2 + 20 x 3 = 210 ; 120 x 3 = 360
    assert amount(slab("marginal"), D(120)) == D("210.00")
    assert amount(slab("retro"), D(120)) == D("360.00")


@pytest.mark.parametrize(
    ("m", "marginal", "retro"),
    [
        ("0", "0.00", "0.00"),
        ("49.99", "49.99", "49.99"),  # tier 1 only
        ("50", "50.00", "100.00"),  # on the boundary: tier 2 (50 x 2)
        ("50.01", "50.02", "100.02"),  # 50 + 0.01 x 2 ; 50.01 x 2
        ("99.99", "149.98", "199.98"),  # 50 + 49.99 x 2 ; 99.99 x 2
        ("100", "150.00", "300.00"),  # on the boundary: tier 3 (100 x 3)
        ("25.555", "25.56", "25.56"),  # half-up after the slab
        ("1000", "2850.00", "3000.00"),  # 50 + 100 + 900 x 3
    ],
)
def test_tiered_slab_boundaries(m: str, marginal: str, retro: str) -> None:
    assert amount(slab("marginal"), D(m)) == D(marginal)
    assert amount(slab("retro"), D(m)) == D(retro)


def test_tiered_slab_fractional_rates() -> None:
    tiers: list[dict[str, Any]] = [
        {"from": "0", "to": "1000", "rate": "0.01"},
        {"from": "1000", "to": None, "rate": "0.015"},
    ]
    assert amount(slab("marginal", tiers), D(1500)) == D("17.50")  # 10 + 500 x 0.015
    assert amount(slab("retro", tiers), D(1500)) == D("22.50")  # 1500 x 0.015
    assert amount(slab("retro", tiers), D("1000.33")) == D("15.00")  # 15.00495


def test_tiered_slab_with_a_closed_last_tier() -> None:
    tiers = [{"from": 0, "to": 10, "rate": 1}, {"from": 10, "to": 20, "rate": 2}]
    # marginal: the slice above the last tier is in no tier and pays nothing (10 + 20)
    assert amount(slab("marginal", tiers), D(30)) == D("30.00")
    # retro: all of m at the rate of the highest tier reached
    assert amount(slab("retro", tiers), D(30)) == D("60.00")
    assert amount(slab("retro", tiers), D(20)) == D("40.00")


LLB = {
    "bonus": "25",
    "percent_of_margin": "0.10",
    "min_margin_pct": "0.15",
    "min_bill_amount": "1000",
}


def test_load_level_bonus_with_filters() -> None:
    rule = calc("LOAD_LEVEL_BONUS", None, LLB)
    loads = [
        load("2000.00", "1600.00"),  # margin 400 (20 %): 25 + 40 = 65
        load("900.00", "500.00"),  # billed under 1000: out
        load("1500.00", "1300.00"),  # margin 200 (13.3 %): out
        load("1000.00", "850.00"),  # exactly 1000 and exactly 15 %: in, 25 + 15 = 40
        load("0.00", "0.00"),  # billed 0: no margin percentage, out
    ]
    assert amount(rule, 5, loads) == D("105.00")
    assert amount(rule, 5, []) == D("0.00")


def test_load_level_bonus_without_filters() -> None:
    rule = calc("LOAD_LEVEL_BONUS", None, {"bonus": "25", "percent_of_margin": "0.10"})
    loads = [load("0.00", "0.00"), load("1200.00", "1000.00")]  # 25 ; 25 + 20
    assert amount(rule, 2, loads) == D("70.00")


def test_load_level_bonus_a_loss_pays_nothing_and_takes_nothing_back() -> None:
    rule = calc("LOAD_LEVEL_BONUS", None, {"bonus": "25", "percent_of_margin": "0.10"})
    loss = load("1000.00", "1500.00")  # 25 - 50 = -25: counts 0
    assert amount(rule, 1, [loss]) == D("0.00")
    assert amount(rule, 2, [loss, load("1000.00", "900.00")]) == D("35.00")  # 0 + 25 + 10
    small_loss = load("1000.00", "1100.00")  # 25 - 10 = 15
    assert amount(rule, 1, [small_loss]) == D("15.00")


def test_load_level_bonus_min_margin_zero_still_refuses_a_load_billed_zero() -> None:
    rule = calc(
        "LOAD_LEVEL_BONUS", None, {"bonus": "5", "percent_of_margin": "0", "min_margin_pct": "0"}
    )
    assert amount(rule, 2, [load("0.00", "0.00"), load("10.00", "10.00")]) == D("5.00")


def test_load_level_bonus_rounds_the_rule_amount_not_each_load() -> None:
    rule = calc("LOAD_LEVEL_BONUS", None, {"bonus": "0", "percent_of_margin": "0.05"})
    loads = [load("0.10", "0.00"), load("0.10", "0.00")]  # 0.005 + 0.005 = 0.01
    assert raw_amount(rule, 2, loads) == D("0.0100")
    assert amount(rule, 2, loads) == D("0.01")


@pytest.mark.parametrize(
    "rule",
    [
        calc("PERCENT_OF_METRIC", "0.02"),
        calc("FLAT_PER_UNIT", "10"),
        calc("CURRENCY_PER_DOLLAR", "1"),
        calc("BONUS_ON_TARGET", None, {"threshold": "1", "bonus": "5"}),
        slab("marginal"),
        slab("retro"),
    ],
)
def test_a_negative_metric_pays_nothing(rule: RuleCalc) -> None:
    assert amount(rule, D("-4210.00")) == D("0.00")
    assert str(amount(rule, D("-0.001"))) == "0.00"  # never "-0.00"


def test_amounts_do_not_depend_on_the_callers_decimal_context() -> None:
    rule = calc("PERCENT_OF_METRIC", "0.025")
    with localcontext() as ctx:
        ctx.prec = 3
        assert amount(rule, D("1234567.89")) == D("30864.20")  # 30864.19725


def test_a_float_metric_is_refused() -> None:
    with pytest.raises(TypeError):
        amount(calc("FLAT_PER_UNIT", "1"), 2.675)  # type: ignore[arg-type]


def test_day_total_sums_rounded_rule_amounts() -> None:
    assert day_total([D("84.20"), D("150.00"), D("0.01")]) == D("234.21")
    # Rounded per rule, then summed: 0.005 + 0.005 pays 0.02, not round(0.010) = 0.01.
    assert day_total([D("0.005"), D("0.005")]) == D("0.02")
    assert str(day_total([])) == "0.00"


# -- storing a calc -------------------------------------------------------------------------------


def test_config_round_trips_as_json_strings() -> None:
    rule = slab("retro")
    stored = config_json(rule)
    assert stored == {
        "mode": "retro",
        "tiers": [
            {"from": "0", "to": "50", "rate": "1"},
            {"from": "50", "to": "100", "rate": "2"},
            {"from": "100", "rate": "3"},
        ],
    }
    assert load_calc("TIERED_SLAB", D(0), stored) == rule
    assert config_json(calc("PERCENT_OF_METRIC", "0.02")) == {}
    assert calc("PERCENT_OF_METRIC", "0.02").rate == D("0.02")


def test_uses_rate() -> None:
    assert [t for t in CalcType if uses_rate(t)] == [
        CalcType.PERCENT_OF_METRIC,
        CalcType.FLAT_PER_UNIT,
        CalcType.CURRENCY_PER_DOLLAR,
    ]


def test_calc_type_is_read_case_insensitively() -> None:
    assert calc(" percent_of_metric ", "0.02").calc_type is CalcType.PERCENT_OF_METRIC


# -- bad rules, refused naming the field ----------------------------------------------------------

MONEY = ("load_margin", True, "freight")
COUNT = ("loads_delivered", False, "freight")
BPO_COUNT = ("bpo_dials", False, "bpo")
BPO_MONEY = ("bpo_revenue", True, "bpo")


def tiers(*rows: tuple[Any, Any, Any]) -> dict[str, Any]:
    return {"mode": "marginal", "tiers": [{"from": f, "to": t, "rate": r} for f, t, r in rows]}


@pytest.mark.parametrize(
    ("metric", "calc_type", "rate", "config", "field", "reason"),
    [
        (MONEY, "PERCENT_OF_METRIC", "-0.02", None, "rate", "must be 0 or more"),
        (COUNT, "FLAT_PER_UNIT", None, None, "rate", "is required"),
        (COUNT, "FLAT_PER_UNIT", "ten", None, "rate", "must be a number"),
        (COUNT, "FLAT_PER_UNIT", True, None, "rate", "must be a number"),
        (COUNT, "FLAT_PER_UNIT", "NaN", None, "rate", "must be a number"),
        (COUNT, "FLAT_PER_UNIT", "0.0000001", None, "rate", "at most 6 decimal places"),
        (COUNT, "FLAT_PER_UNIT", "1e20", None, "rate", "is too large"),
        (COUNT, "FLAT_PER_UNIT", "5", {"bonus": 1}, "config.bonus", "not a setting of"),
        (COUNT, "CURRENCY_PER_DOLLAR", "1", None, "calc_type", "needs a money metric"),
        (BPO_COUNT, "CURRENCY_PER_DOLLAR", "1", None, "calc_type", "needs a money metric"),
        (BPO_MONEY, "LOAD_LEVEL_BONUS", None, LLB, "calc_type", "needs a freight metric"),
        (COUNT, "COMMISSION", "1", None, "calc_type", "must be one of PERCENT_OF_METRIC"),
        (COUNT, "", "1", None, "calc_type", "must be one of"),
        (
            COUNT,
            "BONUS_ON_TARGET",
            None,
            {"threshold": 0, "bonus": 5},
            "config.threshold",
            "more than 0",
        ),
        (
            COUNT,
            "BONUS_ON_TARGET",
            None,
            {"threshold": -3, "bonus": 5},
            "config.threshold",
            "more than 0",
        ),
        (
            COUNT,
            "BONUS_ON_TARGET",
            None,
            {"threshold": 5, "bonus": 0},
            "config.bonus",
            "more than 0",
        ),
        (COUNT, "BONUS_ON_TARGET", None, {"bonus": 5}, "config.threshold", "is required"),
        (COUNT, "BONUS_ON_TARGET", None, {"threshold": 5}, "config.bonus", "is required"),
        (COUNT, "BONUS_ON_TARGET", None, None, "config.threshold", "is required"),
        (
            COUNT,
            "BONUS_ON_TARGET",
            None,
            {"threshold": 5, "bonus": "1.005"},
            "config.bonus",
            "2 decimal places",
        ),
        (
            COUNT,
            "BONUS_ON_TARGET",
            "2",
            {"threshold": 5, "bonus": 5},
            "rate",
            "is not used by BONUS_ON_TARGET",
        ),
        (COUNT, "BONUS_ON_TARGET", None, "5", "config", "must be an object"),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((1, 50, 1), (50, None, 2)),
            "config.tiers[0].from",
            "must be 0",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((0, 50, 1), (40, None, 2)),
            "config.tiers[1].from",
            "must start where tier 1 ends (50): the tiers overlap",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((0, 50, 1), (60, None, 2)),
            "config.tiers[1].from",
            "must start where tier 1 ends (50): there is a gap",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((0, "50.00", 1), (50, 100, 2), (90, None, 3)),
            "config.tiers[2].from",
            "must start where tier 2 ends (100)",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((0, None, 1), (50, None, 2)),
            "config.tiers[0].to",
            "only the last tier may be open-ended",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((0, 50, 1), (50, 50, 2)),
            "config.tiers[1].to",
            "must be more than from (50)",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((0, 50, 1), (50, 20, 2)),
            "config.tiers[1].to",
            "must be more than from (50)",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((0, 50, 1), (50, None, -2)),
            "config.tiers[1].rate",
            "must be 0 or more",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((0, 50, 1), (50, None, None)),
            "config.tiers[1].rate",
            "must be a number",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            tiers((0, 50, 1), ("x", None, 2)),
            "config.tiers[1].from",
            "must be a number",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            {"mode": "marginal", "tiers": [{"to": 5, "rate": 1}]},
            "config.tiers[0].from",
            "is required",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            {"mode": "marginal", "tiers": []},
            "config.tiers",
            "at least one tier",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            {"mode": "marginal", "tiers": "0-50"},
            "config.tiers",
            "must be a list",
        ),
        (
            COUNT,
            "TIERED_SLAB",
            None,
            {"mode": "stepped", "tiers": SPEC_TIERS},
            "config.mode",
            "'marginal' or 'retro'",
        ),
        (COUNT, "TIERED_SLAB", None, {"tiers": SPEC_TIERS}, "config.mode", "is required"),
        (
            COUNT,
            "TIERED_SLAB",
            "3",
            {"mode": "retro", "tiers": SPEC_TIERS},
            "rate",
            "is not used by TIERED_SLAB",
        ),
        (
            MONEY,
            "LOAD_LEVEL_BONUS",
            None,
            LLB | {"bonus": "-1"},
            "config.bonus",
            "must be 0 or more",
        ),
        (
            MONEY,
            "LOAD_LEVEL_BONUS",
            None,
            LLB | {"percent_of_margin": "-0.1"},
            "config.percent_of_margin",
            "must be 0 or more",
        ),
        (
            MONEY,
            "LOAD_LEVEL_BONUS",
            None,
            LLB | {"min_margin_pct": "15"},
            "config.min_margin_pct",
            "must be at most 1",
        ),
        (
            MONEY,
            "LOAD_LEVEL_BONUS",
            None,
            LLB | {"min_margin_pct": "-0.1"},
            "config.min_margin_pct",
            "must be 0 or more",
        ),
        (
            MONEY,
            "LOAD_LEVEL_BONUS",
            None,
            LLB | {"min_bill_amount": "-5"},
            "config.min_bill_amount",
            "must be 0 or more",
        ),
        (
            MONEY,
            "LOAD_LEVEL_BONUS",
            None,
            {"bonus": "25"},
            "config.percent_of_margin",
            "is required",
        ),
        (
            MONEY,
            "LOAD_LEVEL_BONUS",
            None,
            LLB | {"per_mile": "1"},
            "config.per_mile",
            "not a setting of LOAD_LEVEL_BONUS",
        ),
    ],
)
def test_bad_rule_is_refused_naming_the_field(
    metric: tuple[str, bool, str],
    calc_type: str,
    rate: Any,
    config: Any,
    field: str,
    reason: str,
) -> None:
    with pytest.raises(Invalid) as err:
        validate_rule(*metric, calc_type, rate, config)
    assert field in err.value.fields, err.value.fields
    assert reason in err.value.fields[field]
    assert f"{field}: " in err.value.message


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(Invalid) as err:
        validate_rule(*BPO_COUNT, "CURRENCY_PER_DOLLAR", "-1", {"x": 1})
    assert set(err.value.fields) == {"calc_type", "rate", "config.x"}


def test_good_rules_are_accepted_for_their_metrics() -> None:
    assert validate_rule(*MONEY, "CURRENCY_PER_DOLLAR", "1", None).rate == D(1)
    assert validate_rule(*BPO_MONEY, "CURRENCY_PER_DOLLAR", "1", {}).rate == D(1)
    assert validate_rule(*COUNT, "LOAD_LEVEL_BONUS", None, LLB).calc_type == "LOAD_LEVEL_BONUS"
    assert validate_rule(*BPO_COUNT, "TIERED_SLAB", "0", tiers((0, 10, 1), (10, None, 2)))
    assert validate_rule(*BPO_COUNT, "PERCENT_OF_METRIC", 0, None).rate == 0


# -- properties -----------------------------------------------------------------------------------

values = st.decimals(min_value=0, max_value=10**6, places=2)
any_values = st.decimals(min_value=-(10**6), max_value=10**6, places=2)
rates = st.decimals(min_value=0, max_value=100, places=3)


@st.composite
def tier_configs(draw: st.DrawFn, ascending: bool, mode: str) -> RuleCalc:
    """Valid tiers: contiguous from 0, last open-ended or not; with ``ascending``, each tier's
    rate is at least the one below it."""
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=5000), max_size=5)))
    tier_rates = draw(st.lists(rates, min_size=len(cuts) + 1, max_size=len(cuts) + 1))
    if ascending:
        tier_rates.sort()
    bounds = [0, *cuts]
    last_to = draw(st.none() | st.integers(min_value=bounds[-1] + 1, max_value=10_000))
    rows = [
        {"from": lo, "to": hi, "rate": r}
        for lo, hi, r in zip(bounds, [*cuts, last_to], tier_rates, strict=True)
    ]
    return slab(mode, rows)


@st.composite
def ascending_slabs(draw: st.DrawFn) -> tuple[RuleCalc, RuleCalc]:
    """The same ascending tiers, marginal and retro."""
    rule = draw(tier_configs(ascending=True, mode="marginal"))
    assert rule.calc_type is CalcType.TIERED_SLAB
    return rule, load_calc("TIERED_SLAB", 0, {**config_json(rule), "mode": "retro"})


@settings(max_examples=200, deadline=None)
@given(ascending_slabs(), values)
def test_marginal_never_pays_more_than_retro_when_rates_ascend(
    rules: tuple[RuleCalc, RuleCalc], m: Decimal
) -> None:
    # Precondition: tier rates non-decreasing. Then every slice of m is paid at most the rate of
    # the highest tier m reaches, which retro pays on all of m.
    marginal, retro = rules
    assert raw_amount(marginal, m) <= raw_amount(retro, m)
    assert amount(marginal, m) <= amount(retro, m)


@settings(max_examples=200, deadline=None)
@given(ascending_slabs(), values, values)
def test_both_modes_are_non_decreasing_in_m_when_rates_ascend(
    rules: tuple[RuleCalc, RuleCalc], a: Decimal, b: Decimal
) -> None:
    # Precondition: tier rates non-decreasing (retro can fall at a boundary otherwise; marginal
    # only needs rates >= 0, which validation guarantees).
    lo, hi = sorted((a, b))
    for rule in rules:
        assert amount(rule, lo) <= amount(rule, hi)


@settings(max_examples=100, deadline=None)
@given(tier_configs(ascending=False, mode="marginal"), values, values)
def test_marginal_is_non_decreasing_for_any_tier_rates(
    rule: RuleCalc, a: Decimal, b: Decimal
) -> None:
    lo, hi = sorted((a, b))
    assert amount(rule, lo) <= amount(rule, hi)


loads_st = st.lists(
    st.builds(
        LoadFacts,
        bill_amount=st.decimals(min_value=-1000, max_value=10**5, places=2),
        cost_amount=st.decimals(min_value=0, max_value=10**5, places=2),
    ),
    max_size=8,
)


@st.composite
def any_rule(draw: st.DrawFn) -> RuleCalc:
    kind = draw(st.sampled_from(list(CalcType)))
    if kind in (CalcType.PERCENT_OF_METRIC, CalcType.FLAT_PER_UNIT, CalcType.CURRENCY_PER_DOLLAR):
        return calc(kind, draw(rates))
    if kind is CalcType.BONUS_ON_TARGET:
        threshold = draw(st.decimals(min_value="0.01", max_value=10**4, places=2))
        bonus = draw(st.decimals(min_value="0.01", max_value=10**4, places=2))
        return calc(kind, None, {"threshold": threshold, "bonus": bonus})
    if kind is CalcType.TIERED_SLAB:
        mode = draw(st.sampled_from(["marginal", "retro"]))
        return draw(tier_configs(ascending=draw(st.booleans()), mode=mode))
    config = {
        "bonus": draw(st.decimals(min_value=0, max_value=500, places=2)),
        "percent_of_margin": draw(st.decimals(min_value=0, max_value=1, places=3)),
        "min_margin_pct": draw(st.none() | st.decimals(min_value=0, max_value=1, places=3)),
        "min_bill_amount": draw(st.none() | st.decimals(min_value=0, max_value=5000, places=2)),
    }
    return calc(kind, None, config)


@settings(max_examples=300, deadline=None)
@given(any_rule(), any_values, loads_st)
def test_amounts_are_never_negative_and_are_rounded_half_up(
    rule: RuleCalc, m: Decimal, loads: list[LoadFacts]
) -> None:
    raw = raw_amount(rule, m, loads)
    got = amount(rule, m, loads)
    assert raw >= 0
    assert got >= 0
    assert got.as_tuple().exponent == -2  # cents, always
    assert abs(got - raw) <= D("0.005")
    assert got == raw.quantize(D("0.01"), rounding=ROUND_HALF_UP)  # a half cent goes up
