"""The calc types as Polars expressions over a whole range's (user, day) sums at once.

``calc.amount`` is the rule: Decimal in a 40-digit context, half-up to cents. A backfill asks it
for tens of thousands of amounts, one Python call each; here the same amounts come out of one
expression per rule over the frame of every (user, day) of the range, in exact integers
(``Int128``): a metric is read as an integer sum (cents, units) with its scale, and every number of
a rule's config has at most 6 decimal places (``calc.Rate``, ``Quantity``, ``Money``), so each
scales to an integer and every product is exact, as in the calc context. Half-up to cents of a
positive ``N / D`` is ``(2N + D) // 2D``; a raw amount of 0 or less pays 0 (``calc.amount``).

``amount_cents`` gives None when a number does not scale exactly (a config outside the validated
bounds, a metric scale such as 60 whose values do not end): the commit then asks ``calc.amount``
for that rule. ``tests/unit/test_frame_calc.py``
checks both give the same cents.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from domain.incentives.calc import (
    BonusOnTarget,
    CurrencyPerDollar,
    FlatPerUnit,
    LoadLevelBonus,
    PercentOfMetric,
    RuleCalc,
    TieredSlab,
    TierMode,
)

PLACES = 6  # every rate, fraction and quantity of a config: at most 6 decimal places
_ONE = 10**PLACES


def scaled(value: Decimal, places: int = PLACES) -> int | None:
    """``value x 10^places`` as an exact integer, or None when it is not one."""
    s = value.scaleb(places)
    return int(s) if s == s.to_integral_value() else None


def _i(value: int) -> pl.Expr:
    return pl.lit(value, pl.Int128)


def half_up_cents(numerator: pl.Expr, denominator: int) -> pl.Expr:
    """``numerator / denominator`` (an amount in cents) rounded half-up; 0 when not positive."""
    d = _i(denominator)
    return pl.when(numerator > 0).then((numerator * 2 + d) // (d * 2)).otherwise(_i(0))


def amount_cents(calc: RuleCalc, total: pl.Expr, scale: int) -> pl.Expr | None:
    """The rule's amount in cents (Int128) for a metric value ``total / scale``, ``total`` the
    integer sum of the metric's column. LOAD_LEVEL_BONUS pays per load: see
    :func:`load_level_cents`."""
    if not _terminating(scale):
        return None
    t = total.cast(pl.Int128)
    value = pl.max_horizontal(t, _i(0))  # a negative day pays nothing (calc._metric)
    if isinstance(calc, PercentOfMetric | FlatPerUnit | CurrencyPerDollar):
        rate = scaled(calc.rate)
        if rate is None:
            return None
        # cents = value x rate x 100 = total x rate6 x 100 / (scale x 10^6)
        return half_up_cents(value * rate, scale * _ONE // 100)
    if isinstance(calc, BonusOnTarget):
        threshold = scaled(calc.config.threshold)
        bonus = scaled(calc.config.bonus, 2)
        if threshold is None or bonus is None:
            return None
        reached = value * _ONE >= _i(threshold) * scale
        return pl.when(reached).then(_i(bonus)).otherwise(_i(0))
    if isinstance(calc, TieredSlab):
        return _tiered(calc, value, scale)
    return None


def _terminating(scale: int) -> bool:
    """Whether ``total / scale`` is an exact decimal (scale = 2^a 5^b), as the metric value the
    commit hands ``calc.amount`` is: a value of seconds in minutes (scale 60) is rounded to 28
    digits there, so its rules keep the calc's own path."""
    if scale <= 0:
        return False
    for p in (2, 5):
        while scale % p == 0:
            scale //= p
    return scale == 1


def _tiered(calc: TieredSlab, value: pl.Expr, scale: int) -> pl.Expr | None:
    tiers = []
    for tier in calc.config.tiers:
        lo, rate = scaled(tier.from_), scaled(tier.rate)
        hi = None if tier.to is None else scaled(tier.to)
        if lo is None or rate is None or (tier.to is not None and hi is None):
            return None
        tiers.append((lo, hi, rate))
    # In units of 1 / (scale x 10^6) of the metric: the value is total x 10^6.
    v = value * _ONE
    if calc.config.mode is TierMode.RETRO:
        # All of m at the rate of the highest tier m reaches (a boundary: the upper tier).
        rate_of: pl.Expr = _i(tiers[0][2])
        for lo, _hi, rate in tiers[1:]:
            rate_of = pl.when(v >= _i(lo) * scale).then(_i(rate)).otherwise(rate_of)
        return half_up_cents(value * rate_of, scale * _ONE // 100)
    # Marginal: each slice of m inside a tier at its rate (above a closed last tier: nothing).
    raw = _i(0)
    for lo, hi, rate in tiers:
        top = v if hi is None else pl.min_horizontal(v, _i(hi) * scale)
        raw = raw + pl.max_horizontal(top - _i(lo) * scale, _i(0)) * rate
    return half_up_cents(raw, scale * _ONE * _ONE // 100)


def load_level_cents(calc: LoadLevelBonus, count: pl.Expr, margin_cents: pl.Expr) -> pl.Expr | None:
    """LOAD_LEVEL_BONUS from its qualifying loads summed beforehand (``calc.load_level_amount``):
    ``count`` x bonus + share x the margins' sum, in cents."""
    bonus, share = scaled(calc.config.bonus, 2), scaled(calc.config.percent_of_margin)
    if bonus is None or share is None:
        return None
    # x 10^6: count x bonus_cents x 10^6 + share6 x margin_cents
    raw = count.cast(pl.Int128) * bonus * _ONE + margin_cents.cast(pl.Int128) * share
    return half_up_cents(raw, _ONE)
