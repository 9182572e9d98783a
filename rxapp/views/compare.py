"""What "Compare with the previous run of this key" shows: display rows built from the domain's
``Explanation`` (``domain.incentives.explain``): per user and rule the metric and the amount
before and after with their changes, the net change per currency (never added across
currencies), and the input rows that changed, named for a person ("load AFL-0001234").
Pure functions; no state, no database."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from domain.incentives.explain import Explanation, InputChange, RuleChange, fmt_metric
from domain.incentives.metrics import registry
from domain.money import MoneyTotals, format_money
from rxapp.format import fmt_date, fmt_datetime

CHANGE_COLORS = {"added": "green", "removed": "red", "changed": "amber"}


@dataclasses.dataclass
class CompareRow:
    """One user's one rule (payouts: one user's payout) whose metric or amount differs."""

    user: str = ""
    email: str = ""
    day: str = ""
    rule: str = ""
    metric: str = ""  # the metric's label ("Load margin", "Days paid")
    metric_before: str = ""
    metric_after: str = ""
    metric_delta: str = ""
    amount_before: str = ""
    amount_after: str = ""
    amount_delta: str = ""
    fell: bool = False  # the amount went down (shown in red)
    currency: str = ""


@dataclasses.dataclass
class InputRow:
    """A source row the two runs read differently."""

    label: str = ""  # "load AFL-0001234"
    change: str = ""  # added / removed / changed
    color: str = "gray"
    table: str = ""


def _day(text: str) -> str:
    """``2026-12-02`` -> ``2 Dec 2026``; a payout period ``A to B`` with both days formatted."""
    parts = [p.strip() for p in text.split(" to ")]
    try:
        return " to ".join(fmt_date(date.fromisoformat(p)) for p in parts)
    except ValueError:
        return text


def _signed(value: Decimal, text: str) -> str:
    return f"+{text}" if value > 0 else text


def _money_or_none(value: Decimal | None, currency: str) -> str:
    return "none" if value is None else format_money(value, currency)


def _metric_or_none(value: Decimal | None, money: bool) -> str:
    return "none" if value is None else fmt_metric(value, money)


def compare_row(r: RuleChange) -> CompareRow:
    found = registry().get(r.metric_key or "")
    money = bool(found and found.is_money)
    label = r.metric_label or (found.label if found else "") or "metric"
    metric_delta = r.metric_delta
    return CompareRow(
        user=r.user_name or r.user_email or f"user {r.user_id}",
        email=r.user_email,
        day=_day(r.day),
        rule=r.rule or "Payout",
        metric=label[:1].upper() + label[1:],
        metric_before=_metric_or_none(r.metric_before, money),
        metric_after=_metric_or_none(r.metric_after, money),
        metric_delta=(
            _signed(metric_delta, fmt_metric(metric_delta, money)) if metric_delta else "no change"
        ),
        amount_before=_money_or_none(r.amount_before, r.currency),
        amount_after=_money_or_none(r.amount_after, r.currency),
        amount_delta=(
            _signed(r.amount_delta, format_money(r.amount_delta, r.currency))
            if r.amount_delta
            else "no change"
        ),
        fell=r.amount_delta < 0,
        currency=r.currency,
    )


def input_row(i: InputChange) -> InputRow:
    return InputRow(
        label=i.label, change=i.change, color=CHANGE_COLORS.get(i.change, "gray"), table=i.table
    )


def _totals(items: Iterable[tuple[str, Decimal | None]]) -> dict[str, Decimal]:
    return {str(c): v for c, v in MoneyTotals(items).items()}


def net_change(found: Explanation) -> list[str]:
    """Per currency: the total before, after and the change (``USD: $1,200.00 to $1,198.00
    (-$2.00)``), from the per-user amounts; currencies are never added together."""
    before = _totals((a.currency, a.amount_before) for a in found.amounts)
    after = _totals((a.currency, a.amount_after) for a in found.amounts)
    out = []
    for cur in sorted(set(before) | set(after)):
        b, a = before.get(cur, Decimal(0)), after.get(cur, Decimal(0))
        delta = a - b
        out.append(
            f"{cur}: {format_money(b, cur)} to {format_money(a, cur)} "
            f"({_signed(delta, format_money(delta, cur)) if delta else 'no change'})"
        )
    return out


def run_label(run_id: str, started: datetime) -> str:
    """``run 20261202T073000-ab12cd34 (started 2 Dec 2026, 07:30 EST)``."""
    return f"run {run_id} (started {fmt_datetime(started)})"
