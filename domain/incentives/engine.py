"""Who earns what on a day: the pure step of the commit (no database).

Input: the venture's paying rules (each with its plan's currency and dates), every member's
role periods, and the metric values per (user, day) (plus the load facts per (user, day) for
load-level rules). Output: one row per (user, day, currency) with a positive amount and its
breakdown. Each rule's amount is rounded half-up to cents by the calc; the day's amount is the
sum of those rounded amounts (spec/incentives.md, rounding).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.incentives.calc import ZERO, LoadFacts, RuleCalc, amount


@dataclass(frozen=True)
class PayingRule:
    """An enabled rule of an ACTIVE plan, its config already validated."""

    plan_id: int
    plan: str
    currency: str
    effective_from: date
    effective_to: date | None
    rule_id: int
    rule: str
    metric_key: str
    calc: RuleCalc
    roles: frozenset[str] = frozenset()  # empty: every role
    item_facts: bool = False  # pays on each load (LOAD_LEVEL_BONUS)

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def pays(self, role: str) -> bool:
        return not self.roles or role in self.roles


@dataclass(frozen=True)
class Period:
    """A membership of the venture: the user's role on the days ``valid_from..valid_to``."""

    user_id: int
    role: str
    valid_from: date
    valid_to: date | None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass
class DailyRow:
    user_id: int
    venture_id: int
    business_date: date
    currency: str
    amount: Decimal = Decimal("0.00")
    breakdown: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, date, str]:
        return (self.user_id, self.business_date, self.currency)


def roles_by_user(periods: Iterable[Period]) -> dict[int, list[Period]]:
    out: dict[int, list[Period]] = defaultdict(list)
    for p in periods:
        out[p.user_id].append(p)
    return out


def role_on(periods: Sequence[Period], day: date) -> str | None:
    for p in periods:
        if p.covers(day):
            return p.role
    return None


def _shown(value: Decimal) -> str:
    """A metric value as the breakdown shows it: exact, or to 4 places when it does not end."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    exact = value.normalize()
    if -exact.as_tuple().exponent <= 4:  # type: ignore[operator]
        return f"{exact:f}"
    return str(value.quantize(Decimal("0.0001")))


def pay(
    venture_id: int,
    rules: Sequence[PayingRule],
    periods: Iterable[Period],
    values: Mapping[tuple[int, date], Mapping[str, Decimal]],
    items: Mapping[tuple[int, date], Sequence[LoadFacts]] | None = None,
    item_amounts: Mapping[tuple[int, int, date], Decimal] | None = None,
    summed: Collection[int] | None = None,
) -> list[DailyRow]:
    """The rows of every (user, day) that has a metric value, sorted by day, user, currency.

    A rule whose id is in ``summed`` pays what the commit computed beforehand for the whole
    range (``item_amounts``: (rule id, user, day) -> its amount, rounded; absent: 0). Without
    ``summed``, the load-level rules with an entry in ``item_amounts`` pay from it. Any other
    load-level rule pays from ``items`` (the loads of the user's day); any other rule from
    ``calc.amount`` of its metric value.

    A (user, day) without any metric value earns nothing under any calc type (every amount of
    a zero metric is zero), so only the pairs present in ``values`` are visited.

    A backfill visits tens of thousands of (user, day) pairs, so the loop does each thing once:
    the rules that apply to a (day, role) are chosen once per pair of them; a rule's amount is a
    pure function of the metric value (load-level rules aside), so it is computed once per
    (rule, value); a metric value is formatted once per value.
    """
    by_user = roles_by_user(periods)
    items = items or {}
    out: dict[tuple[int, date, str], DailyRow] = {}
    prepared = [
        (i, rule, str(rule.calc.calc_type), str(rule.calc.rate)) for i, rule in enumerate(rules)
    ]
    applicable: dict[tuple[date, str], list[tuple[int, PayingRule, str, str]]] = {}
    amounts: dict[tuple[int, Decimal], tuple[Decimal, str]] = {}
    shown: dict[Decimal, str] = {}
    if summed is None:
        summed = {k[0] for k in item_amounts} if item_amounts else set()
    item_amounts = item_amounts or {}
    texts: dict[Decimal, str] = {}
    for (user_id, day), metrics in values.items():
        role = role_on(by_user.get(user_id, ()), day)
        if role is None:  # not a member of the venture that day
            continue
        todo = applicable.get((day, role))
        if todo is None:
            todo = applicable[(day, role)] = [
                p for p in prepared if p[1].covers(day) and p[1].pays(role)
            ]
        for i, rule, calc_type, rate in todo:
            m = metrics.get(rule.metric_key)
            if m is None:
                continue
            if rule.rule_id in summed:
                paid = item_amounts.get((rule.rule_id, user_id, day), ZERO)
                if paid <= 0:
                    continue
                paid_text = texts.get(paid)
                if paid_text is None:
                    paid_text = texts[paid] = str(paid)
            elif rule.item_facts:
                paid = amount(rule.calc, m, items.get((user_id, day), ()))
                paid_text = str(paid)
            elif type(m) is not Decimal or not m.is_finite():  # amount() takes or refuses it
                paid = amount(rule.calc, m)
                paid_text = str(paid)
            else:
                found = amounts.get((i, m))
                if found is None:
                    got = amount(rule.calc, m)
                    found = amounts[(i, m)] = (got, str(got))
                paid, paid_text = found
            if paid <= 0:
                continue
            row = out.get((user_id, day, rule.currency))
            if row is None:
                row = out[(user_id, day, rule.currency)] = DailyRow(
                    user_id, venture_id, day, rule.currency
                )
            row.amount += paid
            m_text = shown.get(m) if m else None  # (a zero is formatted each time: -0 is "-0")
            if m_text is None:
                m_text = shown[m] = _shown(m)
            row.breakdown.append(
                {
                    "plan_id": rule.plan_id,
                    "plan": rule.plan,
                    "rule_id": rule.rule_id,
                    "rule": rule.rule,
                    "metric_key": rule.metric_key,
                    "metric_value": m_text,
                    "calc_type": calc_type,
                    "rate": rate,
                    "amount": paid_text,
                }
            )
    for row in out.values():
        row.breakdown.sort(key=lambda b: (b["plan_id"], b["rule_id"]))
    return sorted(out.values(), key=lambda r: (r.business_date, r.user_id, r.currency))
