"""The calc types over a whole frame (``frame_calc``, what a commit or backfill pays) give, for
every metric value, the cents of ``calc.amount`` (spec/incentives.md: Decimal, each rule's amount
half-up to cents, a negative day pays nothing)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from domain.incentives import frame_calc
from domain.incentives.calc import amount, load_calc

TIERS = [
    {"from": "0", "to": "1000", "rate": "0.01"},
    {"from": "1000", "to": "3000.5", "rate": "0.025"},
    {"from": "3000.5", "rate": "0.033333"},
]
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("PERCENT_OF_METRIC", "0.02", {}),
    ("PERCENT_OF_METRIC", "0.333333", {}),
    ("FLAT_PER_UNIT", "5", {}),
    ("FLAT_PER_UNIT", "0.005", {}),
    ("CURRENCY_PER_DOLLAR", "83.123456", {}),
    ("BONUS_ON_TARGET", "0", {"threshold": "3", "bonus": "25"}),
    ("BONUS_ON_TARGET", "0", {"threshold": "1000.005", "bonus": "0.01"}),
    ("TIERED_SLAB", "0", {"mode": "marginal", "tiers": TIERS}),
    ("TIERED_SLAB", "0", {"mode": "retro", "tiers": TIERS}),
    ("TIERED_SLAB", "0", {"mode": "marginal", "tiers": TIERS[:2]}),  # closed last tier
    ("TIERED_SLAB", "0", {"mode": "retro", "tiers": [{"from": "0", "rate": "1.5"}]}),
]


def _totals() -> list[int]:
    rng = random.Random(11)
    edges = [0, 1, -1, -250_000, 5, 49, 50, 99_999, 100_000, 100_001, 300_049, 300_050, 300_051]
    return edges + [rng.randint(-(10**6), 10**9) for _ in range(400)] + [10**13, 10**15 + 7]


@pytest.mark.parametrize(("calc_type", "rate", "config"), CASES)
@pytest.mark.parametrize("scale", [1, 100, 1000])
def test_each_calc_type_over_a_frame_pays_the_cents_of_the_calc(
    calc_type: str, rate: str, config: dict[str, Any], scale: int
) -> None:
    calc = load_calc(calc_type, Decimal(rate), config)
    totals = _totals()
    expr = frame_calc.amount_cents(calc, pl.col("t"), scale)
    assert expr is not None
    got = pl.DataFrame({"t": totals}).select(expr.alias("a"))["a"].to_list()
    expected = [int(amount(calc, Decimal(t) / scale) * 100) for t in totals]
    assert got == expected
    assert any(expected)


def test_load_level_cents_are_the_calc_of_the_summed_loads() -> None:
    from domain.incentives.calc import LoadLevelBonus, load_level_amount

    calc = load_calc("LOAD_LEVEL_BONUS", None, {"bonus": "10.5", "percent_of_margin": "0.012345"})
    assert isinstance(calc, LoadLevelBonus)
    rng = random.Random(3)
    pairs = [(0, 0), (1, -100_000), (3, 7)] + [
        (rng.randint(0, 40), rng.randint(-(10**6), 10**8)) for _ in range(300)
    ]
    expr = frame_calc.load_level_cents(calc, pl.col("n"), pl.col("m"))
    assert expr is not None
    frame = pl.DataFrame({"n": [n for n, _ in pairs], "m": [m for _, m in pairs]})
    got = frame.select(expr.alias("a"))["a"].to_list()
    assert got == [int(load_level_amount(calc, n, m) * 100) for n, m in pairs]


def test_a_metric_whose_values_do_not_end_keeps_the_calc_path() -> None:
    """Seconds read as minutes (scale 60): the value is rounded to 28 digits where the commit
    builds it, so the frame does not pay it (exact thirds would round differently)."""
    calc = load_calc("PERCENT_OF_METRIC", Decimal("1.5"), {})
    assert frame_calc.amount_cents(calc, pl.col("t"), 60) is None
