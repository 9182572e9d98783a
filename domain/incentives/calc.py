"""The six calc types: what one rule pays one user for one day, from the day's metric value.

Pure: Decimal in, cents out, no database, no clock. A rule's calc is its ``calc_type``, its
``rate`` and its ``config``, validated together into one model of the :data:`RuleCalc`
discriminated union (one model per calc type). A bad rule is refused with
``domain.errors.Invalid`` naming each field as the rule form shows it: ``rate``, ``calc_type``,
``config.threshold``, ``config.tiers[1].from``...

``rate`` is the rule's rate for the three types that multiply the metric by it
(PERCENT_OF_METRIC, FLAT_PER_UNIT, CURRENCY_PER_DOLLAR). The other three take their numbers from
their config (a bonus, the tiers' own rates) and keep ``rate`` at 0: a rate they would ignore is
refused rather than stored as if it meant something.

Amounts (:func:`amount`):

- every computation runs in one fixed Decimal context, so a day recomputes to the same cents
  whatever the caller's context is;
- a negative metric value (a day's margin can be negative) pays nothing: it counts as 0;
- the rule's amount is rounded half-up to cents and is never negative;
- a user's day amount is the sum of the rounded rule amounts (:func:`day_total`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from domain.errors import Invalid
from domain.money import to_money
from domain.schemas import friendly_message

ZERO = Decimal("0.00")

# Every amount is computed in this context (40 digits: a metric of 18 digits times a rate of 12
# fits exactly), rounding half-up, and an impossible operation raises instead of giving NaN.
_CONTEXT = Context(
    prec=40, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow]
)


class CalcType(StrEnum):
    PERCENT_OF_METRIC = "PERCENT_OF_METRIC"
    FLAT_PER_UNIT = "FLAT_PER_UNIT"
    CURRENCY_PER_DOLLAR = "CURRENCY_PER_DOLLAR"
    BONUS_ON_TARGET = "BONUS_ON_TARGET"
    TIERED_SLAB = "TIERED_SLAB"
    LOAD_LEVEL_BONUS = "LOAD_LEVEL_BONUS"


# The calc types whose amount is ``m x rate``; the others keep ``rate`` at 0.
RATE_TYPES = frozenset(
    {CalcType.PERCENT_OF_METRIC, CalcType.FLAT_PER_UNIT, CalcType.CURRENCY_PER_DOLLAR}
)
# The vertical whose metrics count loads (LOAD_LEVEL_BONUS pays per load).
LOAD_VERTICAL = "freight"


class TierMode(StrEnum):
    MARGINAL = "marginal"  # each slice of m inside a tier at that tier's rate
    RETRO = "retro"  # all of m at the rate of the highest tier m reaches


# The numbers a rule holds, bounded so that every one fits its column (a rate: NUMERIC(12,6);
# money: NUMERIC(14,2)) and every product stays exact in the calc context.
Rate = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=6)]
Fraction = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=6)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]  # a metric value

MAX_TIERS = 50


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Problems(ValueError):
    """Raised by a validator that finds problems below its own field: each is (path relative to
    the field, message). Turned into one ``Invalid`` entry per path by :func:`_invalid`."""

    def __init__(self, problems: list[tuple[tuple[int | str, ...], str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def _plain(value: Decimal) -> str:
    """``50`` for 50.00, ``0.5`` for 0.500000: a number as a person writes it."""
    return format(value.normalize(), "f")


# -- configs, one per calc type -------------------------------------------------------------------


class NoConfig(_Model):
    """PERCENT_OF_METRIC, FLAT_PER_UNIT and CURRENCY_PER_DOLLAR: the rate is all there is."""


class BonusOnTargetConfig(_Model):
    """``bonus`` when the day's metric reaches ``threshold`` (m >= threshold), else 0."""

    threshold: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=6)]
    bonus: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]


class Tier(_Model):
    """One slab: from ``from`` (inclusive) up to ``to`` (exclusive; None = no end) at ``rate``."""

    from_: Annotated[Quantity, Field(alias="from")]
    to: Quantity | None = None
    rate: Rate


class TieredSlabConfig(_Model):
    """Tiers contiguous from 0, ascending, only the last open-ended (``to`` null), none
    overlapping. A value exactly on a boundary belongs to the upper tier."""

    mode: TierMode
    tiers: list[Tier] = Field(min_length=1, max_length=MAX_TIERS)

    @field_validator("tiers")
    @classmethod
    def _contiguous(cls, tiers: list[Tier]) -> list[Tier]:
        problems: list[tuple[tuple[int | str, ...], str]] = []
        for i, tier in enumerate(tiers):
            if i == 0 and tier.from_ != 0:
                problems.append(((0, "from"), "must be 0: the first tier starts at 0"))
            if i > 0:
                prev = tiers[i - 1]
                if prev.to is None:
                    problems.append(
                        ((i - 1, "to"), "is required: only the last tier may be open-ended")
                    )
                elif tier.from_ != prev.to:
                    why = "the tiers overlap" if tier.from_ < prev.to else "there is a gap"
                    problems.append(
                        ((i, "from"), f"must start where tier {i} ends ({_plain(prev.to)}): {why}")
                    )
            if tier.to is not None and tier.to <= tier.from_:
                problems.append(((i, "to"), f"must be more than from ({_plain(tier.from_)})"))
        if problems:
            raise _Problems(problems)
        return tiers


class LoadLevelBonusConfig(_Model):
    """Per counted load that passes the filters: ``bonus`` + ``percent_of_margin`` x the load's
    margin. ``min_margin_pct`` (a fraction: 0.15 = 15 %) keeps loads whose margin / bill_amount
    reaches it (a load billed 0 never does); ``min_bill_amount`` keeps loads billed at least it."""

    bonus: Money
    percent_of_margin: Fraction
    min_margin_pct: Annotated[Fraction, Field(le=1)] | None = None
    min_bill_amount: Money | None = None


# -- the rule's calc: calc type + rate + config, a discriminated union ----------------------------


class _RateCalc(_Model):
    rate: Rate
    config: NoConfig = NoConfig()


class _ConfigCalc(_Model):
    rate: Rate = ZERO

    @field_validator("rate")
    @classmethod
    def _unused(cls, rate: Decimal) -> Decimal:
        if rate != 0:
            kind = cls.model_fields["calc_type"].default
            raise ValueError(f"is not used by {kind} (its config holds the amounts); leave it 0")
        return rate


class PercentOfMetric(_RateCalc):
    """m x rate; the rate is a fraction (0.02 = 2 %)."""

    calc_type: Literal[CalcType.PERCENT_OF_METRIC] = CalcType.PERCENT_OF_METRIC


class FlatPerUnit(_RateCalc):
    """m x rate: so much per unit counted (per load, per dial...)."""

    calc_type: Literal[CalcType.FLAT_PER_UNIT] = CalcType.FLAT_PER_UNIT


class CurrencyPerDollar(_RateCalc):
    """m x rate, with m a money metric: so much of the plan's currency per dollar."""

    calc_type: Literal[CalcType.CURRENCY_PER_DOLLAR] = CalcType.CURRENCY_PER_DOLLAR


class BonusOnTarget(_ConfigCalc):
    calc_type: Literal[CalcType.BONUS_ON_TARGET] = CalcType.BONUS_ON_TARGET
    config: BonusOnTargetConfig


class TieredSlab(_ConfigCalc):
    calc_type: Literal[CalcType.TIERED_SLAB] = CalcType.TIERED_SLAB
    config: TieredSlabConfig


class LoadLevelBonus(_ConfigCalc):
    calc_type: Literal[CalcType.LOAD_LEVEL_BONUS] = CalcType.LOAD_LEVEL_BONUS
    config: LoadLevelBonusConfig


RuleCalc = Annotated[
    PercentOfMetric | FlatPerUnit | CurrencyPerDollar | BonusOnTarget | TieredSlab | LoadLevelBonus,
    Field(discriminator="calc_type"),
]
_RULE_CALC: TypeAdapter[RuleCalc] = TypeAdapter(RuleCalc)


# -- validation ----------------------------------------------------------------------------------


def _path(loc: Sequence[int | str]) -> str:
    """``config.tiers[1].from`` from Pydantic's ``("config", "tiers", 1, "from")``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "config"


def _message(err: Mapping[str, Any], kind: CalcType) -> str:
    ctx = err.get("ctx") or {}
    match err.get("type"):
        case "missing":
            return "is required"
        case "extra_forbidden":
            return f"is not a setting of {kind}"
        case "decimal_type" | "decimal_parsing" | "finite_number":
            return "must be a number"
        case "decimal_max_places":
            return f"must have at most {ctx.get('decimal_places')} decimal places"
        case "decimal_max_digits" | "decimal_whole_digits":
            return "is too large"
        case "model_type" | "model_attributes_type" | "dict_type":
            return "must be an object"
        case "list_type":
            return "must be a list"
        case "too_short":
            return "must have at least one tier"
        case "too_long":
            return f"must have at most {MAX_TIERS} tiers"
        case "greater_than":
            return f"must be more than {ctx.get('gt')}"
        case "less_than_equal":
            return f"must be at most {ctx.get('le')}"
    return friendly_message(str(err.get("msg", "is not valid")))


def _invalid(exc: ValidationError, kind: CalcType) -> Invalid:
    fields: dict[str, str] = {}
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        if loc and loc[0] == kind.value:  # the union's tag
            loc = loc[1:]
        found = (err.get("ctx") or {}).get("error")
        if isinstance(found, _Problems):
            for below, message in found.problems:
                fields.setdefault(_path((*loc, *below)), message)
        else:
            fields.setdefault(_path(loc), _message(err, kind))
    return Invalid(fields)


def parse_calc_type(calc_type: CalcType | str) -> CalcType:
    """The calc type named, or ``Invalid`` on ``calc_type``."""
    if isinstance(calc_type, str):
        calc_type = calc_type.strip().upper()
    try:
        return CalcType(calc_type)
    except ValueError:
        raise Invalid.field(
            "calc_type", "must be one of " + ", ".join(t.value for t in CalcType)
        ) from None


def load_calc(
    calc_type: CalcType | str,
    rate: Decimal | int | str | None,
    config: Mapping[str, Any] | None,
) -> RuleCalc:
    """A rule's calc from its calc type, rate and config (as stored, or as typed in a form),
    without the checks that need the metric (:func:`validate_rule` adds them). Raises
    ``Invalid`` naming each bad field."""
    kind = parse_calc_type(calc_type)
    data: dict[str, Any] = {"calc_type": kind.value, "config": {} if config is None else config}
    if rate is not None:
        data["rate"] = rate
    try:
        return _RULE_CALC.validate_python(data)
    except ValidationError as exc:
        raise _invalid(exc, kind) from None


def validate_rule(
    metric_key: str,
    is_money: bool,
    metric_vertical: str,
    calc_type: CalcType | str,
    rate: Decimal | int | str | None,
    config: Mapping[str, Any] | None,
) -> RuleCalc:
    """Validate a rule being saved: its calc (:func:`load_calc`) and that the calc type suits its
    metric (CURRENCY_PER_DOLLAR needs a money metric, LOAD_LEVEL_BONUS a freight one). Every
    problem is reported at once, each on its field. Whether ``metric_key`` exists is the metric
    registry's check, made before this one."""
    kind = parse_calc_type(calc_type)
    fields: dict[str, str] = {}
    if kind is CalcType.CURRENCY_PER_DOLLAR and not is_money:
        fields["calc_type"] = (
            f"CURRENCY_PER_DOLLAR needs a money metric; {metric_key} is not a money amount"
        )
    if kind is CalcType.LOAD_LEVEL_BONUS and metric_vertical != LOAD_VERTICAL:
        fields["calc_type"] = (
            f"LOAD_LEVEL_BONUS needs a freight metric; {metric_key} is a {metric_vertical} metric"
        )
    try:
        calc = load_calc(kind, rate, config)
    except Invalid as exc:
        fields.update((k, v) for k, v in exc.fields.items() if k not in fields)
    if fields:
        raise Invalid(fields)
    return calc


def config_json(calc: RuleCalc) -> dict[str, Any]:
    """The calc's config as stored on the rule (JSON: Decimals as strings, so nothing is lost to
    floating point; a tier's lower bound under its key ``from``)."""
    return calc.config.model_dump(mode="json", by_alias=True, exclude_none=True)


def uses_rate(calc_type: CalcType | str) -> bool:
    """Whether the rule's ``rate`` means something for this calc type (the form hides it else)."""
    return parse_calc_type(calc_type) in RATE_TYPES


# -- amounts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadFacts:
    """What LOAD_LEVEL_BONUS needs of one counted load (a null cost is passed as 0)."""

    bill_amount: Decimal
    cost_amount: Decimal

    @property
    def margin(self) -> Decimal:
        return self.bill_amount - self.cost_amount


def cents(value: Decimal) -> Decimal:
    """Half-up to cents, in the calc context."""
    with localcontext(_CONTEXT):
        return to_money(value)


def _metric(m: Decimal | int) -> Decimal:
    if isinstance(m, bool) or not isinstance(m, Decimal | int):
        raise TypeError(f"a metric value is a Decimal or an int, not {type(m).__name__}")
    value = Decimal(m)
    if not value.is_finite():
        raise ValueError(f"a metric value must be a finite number, not {value}")
    return max(value, Decimal(0))  # a negative day pays nothing


def _tiered(config: TieredSlabConfig, m: Decimal) -> Decimal:
    if config.mode is TierMode.RETRO:
        rate = config.tiers[0].rate
        for tier in config.tiers:
            if m < tier.from_:
                break
            rate = tier.rate  # on the boundary: the upper tier
        return m * rate
    total = Decimal(0)
    for tier in config.tiers:
        if m <= tier.from_:
            break
        top = m if tier.to is None else min(m, tier.to)
        total += (top - tier.from_) * tier.rate
    return total  # a slice above a closed last tier is in no tier: it pays nothing


def _load_level(config: LoadLevelBonusConfig, loads: Iterable[LoadFacts]) -> Decimal:
    """The sum over the loads that pass the filters (a backfill runs this for every load, so the
    config is read once and each load's margin computed once)."""
    bonus, share = config.bonus, config.percent_of_margin
    min_bill, min_pct = config.min_bill_amount, config.min_margin_pct
    zero = Decimal(0)
    total = zero
    for load in loads:
        bill = load.bill_amount
        if min_bill is not None and bill < min_bill:
            continue
        margin = bill - load.cost_amount
        # margin / bill >= min_pct, without dividing; a load billed 0 or less never passes
        if min_pct is not None and (bill <= 0 or margin < min_pct * bill):
            continue
        # A load at a loss earns at least nothing; it never takes back another load's bonus.
        total += max(bonus + share * margin, zero)
    return total


def load_level_amount(calc: LoadLevelBonus, count: int, margin_cents: int) -> Decimal:
    """LOAD_LEVEL_BONUS from its qualifying loads summed beforehand: ``count`` loads that pass
    the filters and earn a non-negative amount each, ``margin_cents`` the sum of their margins
    in cents. The same cents as :func:`amount` over those loads: both sums are exact in the calc
    context (count x bonus + share x margin sum = the sum of bonus + share x margin)."""
    config = calc.config
    with localcontext(_CONTEXT):
        raw = count * config.bonus + config.percent_of_margin * (Decimal(margin_cents) / 100)
        return to_money(raw) if raw > 0 else ZERO


def _times_rate(calc: Any, value: Decimal, loads: Sequence[LoadFacts]) -> Decimal:
    return value * calc.rate


def _on_target(calc: Any, value: Decimal, loads: Sequence[LoadFacts]) -> Decimal:
    config: BonusOnTargetConfig = calc.config
    return config.bonus if value >= config.threshold else Decimal(0)


def _slab(calc: Any, value: Decimal, loads: Sequence[LoadFacts]) -> Decimal:
    return _tiered(calc.config, value)


def _per_load(calc: Any, value: Decimal, loads: Sequence[LoadFacts]) -> Decimal:
    return _load_level(calc.config, loads)


# The raw amount of each calc type, found by the calc's class: a backfill asks for hundreds of
# thousands of amounts, and matching the class patterns of a Pydantic union costs more than the
# arithmetic.
_RAW: dict[type, Any] = {
    PercentOfMetric: _times_rate,
    FlatPerUnit: _times_rate,
    CurrencyPerDollar: _times_rate,
    BonusOnTarget: _on_target,
    TieredSlab: _slab,
    LoadLevelBonus: _per_load,
}


def _raw_of(calc: RuleCalc) -> Any:
    found = _RAW.get(type(calc))
    if found is None:  # a subclass of a calc type pays as its calc type
        found = next((fn for cls, fn in _RAW.items() if isinstance(calc, cls)), None)
        if found is None:
            raise TypeError(f"not a rule calc: {calc!r}")
    return found


def raw_amount(calc: RuleCalc, m: Decimal | int, loads: Sequence[LoadFacts] = ()) -> Decimal:
    """The rule's amount before rounding (never negative). ``loads`` serves LOAD_LEVEL_BONUS
    only: the user's loads counted by the rule's metric on the day; ``m`` is unused there."""
    value = _metric(m)
    fn = _raw_of(calc)
    with localcontext(_CONTEXT):
        raw: Decimal = fn(calc, value, loads)
        return raw if raw > 0 else Decimal(0)


def amount(calc: RuleCalc, m: Decimal | int, loads: Sequence[LoadFacts] = ()) -> Decimal:
    """What the rule pays for the day: :func:`raw_amount` rounded half-up to cents, >= 0.00."""
    value = _metric(m)
    fn = _raw_of(calc)
    with localcontext(_CONTEXT):  # one context for the amount and its rounding (cents())
        raw: Decimal = fn(calc, value, loads)
        return to_money(raw) if raw > 0 else ZERO


def day_total(amounts: Iterable[Decimal]) -> Decimal:
    """A user's day amount in one currency: the sum of the rules' rounded amounts."""
    with localcontext(_CONTEXT):
        return sum((cents(a) for a in amounts), ZERO)
