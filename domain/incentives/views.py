"""Views built from rows, and the sentences that explain an amount."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.incentives.calc import CalcType
from domain.incentives.metrics import registry
from domain.incentives.models import IncentiveDaily, IncentivePlan, IncentiveRule
from domain.incentives.schemas import BreakdownLine, DailyView, PlanView, RuleView


def number(value: Decimal, money: bool) -> str:
    """4210 -> "4,210.00" for money, "4,210" for a whole count, "12.5" otherwise."""
    if money:
        return f"{value.quantize(Decimal('0.01')):,}"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def metric_label(key: str) -> str:
    found = registry().get(key)
    return found.label if found else key


def _is_money(key: str) -> bool:
    found = registry().get(key)
    return bool(found and found.is_money)


def rule_summary(calc_type: str, rate: Decimal, config: dict[str, Any], metric_key: str) -> str:
    label = metric_label(metric_key)
    kind = CalcType(calc_type)
    if kind is CalcType.PERCENT_OF_METRIC:
        return f"{percent(rate)} of {label}"
    if kind is CalcType.FLAT_PER_UNIT:
        return f"{number(rate, False)} per unit of {label}"
    if kind is CalcType.CURRENCY_PER_DOLLAR:
        return f"{number(rate, False)} per dollar of {label}"
    if kind is CalcType.BONUS_ON_TARGET:
        threshold = Decimal(str(config.get("threshold", 0)))
        bonus = Decimal(str(config.get("bonus", 0)))
        return (
            f"bonus {number(bonus, True)} when {label} reaches "
            f"{number(threshold, _is_money(metric_key))}"
        )
    if kind is CalcType.TIERED_SLAB:
        tiers = len(config.get("tiers", []))
        return f"{config.get('mode', 'marginal')} slab of {tiers} tiers on {label}"
    parts = []
    if Decimal(str(config.get("bonus", 0))):
        parts.append(f"{number(Decimal(str(config['bonus'])), True)} per load")
    if Decimal(str(config.get("percent_of_margin", 0))):
        parts.append(f"{percent(Decimal(str(config['percent_of_margin'])))} of each load's margin")
    return " + ".join(parts) or "load bonus"


def explain(b: dict[str, Any]) -> str:
    """One breakdown line as a sentence: "Load margin 4,210.00 x 2 % = 84.20 under rule
    'Margin share' of plan 'AFL Sales 2026'"."""
    key = str(b["metric_key"])
    label, money = metric_label(key), _is_money(key)
    m, rate, amount = (Decimal(str(b[k])) for k in ("metric_value", "rate", "amount"))
    kind = CalcType(str(b["calc_type"]))
    shown, paid = number(m, money), number(amount, True)
    if kind is CalcType.PERCENT_OF_METRIC:
        how = f"{label} {shown} x {percent(rate)} = {paid}"
    elif kind in (CalcType.FLAT_PER_UNIT, CalcType.CURRENCY_PER_DOLLAR):
        how = f"{label} {shown} x {number(rate, False)} = {paid}"
    elif kind is CalcType.BONUS_ON_TARGET:
        how = f"{label} {shown} reached the target: bonus {paid}"
    elif kind is CalcType.TIERED_SLAB:
        how = f"{label} {shown} on the tiers = {paid}"
    else:
        how = f"load bonus on {label.lower()} {shown} = {paid}"
    return f"{how} under rule '{b['rule']}' of plan '{b['plan']}'"


def breakdown_lines(breakdown: list[dict[str, Any]]) -> list[BreakdownLine]:
    return [
        BreakdownLine(
            plan_id=int(b["plan_id"]),
            plan=str(b["plan"]),
            rule_id=int(b["rule_id"]),
            rule=str(b["rule"]),
            metric_key=str(b["metric_key"]),
            metric_label=metric_label(str(b["metric_key"])),
            metric_value=Decimal(str(b["metric_value"])),
            calc_type=str(b["calc_type"]),
            rate=Decimal(str(b["rate"])),
            amount=Decimal(str(b["amount"])),
            explanation=explain(b),
        )
        for b in breakdown
    ]


def daily_view(
    row: IncentiveDaily, user_name: str, venture_code: str, run_html: str | None
) -> DailyView:
    assert row.id is not None
    return DailyView(
        id=row.id,
        user_id=row.user_id,
        user_name=user_name,
        venture_id=row.venture_id,
        venture_code=venture_code,
        business_date=row.business_date,
        currency=row.currency,
        amount=row.amount,
        breakdown=breakdown_lines(row.breakdown),
        run_id=row.run_id,
        run_html=run_html,
    )


def rule_view(rule: IncentiveRule) -> RuleView:
    assert rule.id is not None
    return RuleView(
        id=rule.id,
        plan_id=rule.plan_id,
        name=rule.name,
        metric_key=rule.metric_key,
        metric_label=metric_label(rule.metric_key),
        calc_type=str(rule.calc_type),
        rate=rule.rate,
        config=dict(rule.config or {}),
        roles=list(rule.roles or []),
        enabled=rule.enabled,
        summary=rule_summary(str(rule.calc_type), rule.rate, rule.config or {}, rule.metric_key),
    )


def plan_view(
    plan: IncentivePlan, rules: list[IncentiveRule], venture_code: str, can_manage: bool
) -> PlanView:
    assert plan.id is not None
    return PlanView(
        id=plan.id,
        venture_id=plan.venture_id,
        venture_code=venture_code,
        name=plan.name,
        currency=plan.currency,
        effective_from=plan.effective_from,
        effective_to=plan.effective_to,
        status=plan.status,
        rules=[rule_view(r) for r in sorted(rules, key=lambda r: r.id or 0)],
        can_manage=can_manage,
    )
