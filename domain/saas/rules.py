"""The SaaS rules, pure (no database): MRR on a date and the monthly MRR movements.

Definitions (docs/ARCHITECTURE.md, "SaaS wing"):

- **MRR on a date** d = the sum of ``mrr`` of the subscriptions started on or before d and not
  cancelled on or before d (a subscription cancelled on d no longer counts on d).
- A **month's movements** compare each customer's MRR at the month's opening (the last day of
  the previous month) with its MRR at the month's close (its last day, or ``as_of`` for the
  month in progress):
  - **new MRR**: customers at 0 at the opening and above 0 at the close (their whole close MRR);
  - **expansion MRR**: customers above 0 at both ends whose MRR grew (the increase);
  - **contraction MRR**: customers above 0 at both ends whose MRR fell (the decrease);
  - **churned MRR**: customers above 0 at the opening and at 0 at the close (their whole
    opening MRR); each such customer is one **churned logo**;
  - **logo churn rate** = churned logos / customers above 0 at the opening (None with none).
  So close MRR = opening MRR + new + expansion - contraction - churned, exactly. A subscription
  started and cancelled within one month moves nothing (it is in neither end).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Sub:
    """What the rules need of a subscription."""

    customer_id: int
    mrr: Decimal
    started_at: date
    cancelled_at: date | None = None


def cancel_problem(started_at: date, cancelled_at: date) -> str | None:
    """Why a subscription started on ``started_at`` cannot be cancelled on ``cancelled_at``."""
    if cancelled_at < started_at:
        return f"must be on or after the start date ({started_at.isoformat()})"
    return None


def is_active(sub: Sub, day: date) -> bool:
    return sub.started_at <= day and (sub.cancelled_at is None or sub.cancelled_at > day)


def mrr_on(subs: Iterable[Sub], day: date) -> Decimal:
    """The MRR on ``day``."""
    return sum((s.mrr for s in subs if is_active(s, day)), ZERO)


def mrr_by_customer(subs: Iterable[Sub], day: date) -> dict[int, Decimal]:
    """Each customer's MRR on ``day`` (customers at 0 left out)."""
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for s in subs:
        if is_active(s, day):
            out[s.customer_id] += s.mrr
    return {c: m for c, m in out.items() if m > 0}


def mrr_series(subs: Iterable[Sub], start: date, end: date) -> list[tuple[date, Decimal]]:
    """The MRR on every day of ``[start, end]``, in one pass over the subscriptions."""
    if end < start:
        return []
    opening = ZERO
    deltas: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for s in subs:
        stop = s.cancelled_at
        if s.started_at <= start and (stop is None or stop > start):
            opening += s.mrr
        elif start < s.started_at <= end and (stop is None or stop > s.started_at):
            deltas[s.started_at] += s.mrr
        if stop is not None and start < stop <= end and stop > s.started_at:
            deltas[stop] -= s.mrr
    out, level, day = [], opening, start
    while day <= end:
        if day != start:
            level += deltas.get(day, ZERO)
        out.append((day, level))
        day += timedelta(days=1)
    return out


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month touching ``[start, end]``."""
    out, m = [], month_start(start)
    while m <= end:
        out.append(m)
        m = month_end(m) + timedelta(days=1)
    return out


@dataclass(frozen=True)
class MonthMovement:
    month: date  # its first day
    opening_mrr: Decimal
    closing_mrr: Decimal
    new_mrr: Decimal
    expansion_mrr: Decimal
    contraction_mrr: Decimal
    churned_mrr: Decimal
    customers_at_opening: int
    new_logos: int
    churned_logos: int

    @property
    def logo_churn_rate(self) -> Decimal | None:
        if self.customers_at_opening == 0:
            return None
        return (Decimal(self.churned_logos) / Decimal(self.customers_at_opening)).quantize(
            Decimal("0.0001")
        )


def month_movement(subs: Sequence[Sub], month: date, as_of: date | None = None) -> MonthMovement:
    """The movements of the month holding ``month``, closed on its last day or on ``as_of``
    when that falls inside it."""
    first = month_start(month)
    close = month_end(first)
    if as_of is not None and first <= as_of < close:
        close = as_of
    before = mrr_by_customer(subs, first - timedelta(days=1))
    after = mrr_by_customer(subs, close)
    new = expansion = contraction = churned = ZERO
    new_logos = churned_logos = 0
    for customer in before.keys() | after.keys():
        a, b = before.get(customer, ZERO), after.get(customer, ZERO)
        if a == 0 and b > 0:
            new += b
            new_logos += 1
        elif a > 0 and b == 0:
            churned += a
            churned_logos += 1
        elif b > a:
            expansion += b - a
        elif a > b:
            contraction += a - b
    return MonthMovement(
        month=first,
        opening_mrr=sum(before.values(), ZERO),
        closing_mrr=sum(after.values(), ZERO),
        new_mrr=new,
        expansion_mrr=expansion,
        contraction_mrr=contraction,
        churned_mrr=churned,
        customers_at_opening=len(before),
        new_logos=new_logos,
        churned_logos=churned_logos,
    )


def movements(subs: Sequence[Sub], start: date, end: date) -> list[MonthMovement]:
    """The movements of every month touching ``[start, end]`` (the last closed on ``end``)."""
    return [month_movement(subs, m, as_of=end) for m in months_between(start, end)]


def top_customers(subs: Iterable[Sub], day: date, n: int = 10) -> list[tuple[int, Decimal]]:
    """The ``n`` customers with the most MRR on ``day`` (ties by id), largest first."""
    ranked = sorted(mrr_by_customer(subs, day).items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:n]
