"""Freight's business rules, pure (no database, no session): the one place each is written.

- the load and quote state machines: which status may follow which, final statuses, the statuses
  that still need a carrier, the quotes that may be edited or converted. Unit-tested for every
  pair. Same-to-same is a no-op; anything not in the table is refused with a message naming both
  statuses;
- carrier eligibility: who may cover a load or receive outreach (``carrier_problem``), and the
  same rule as a SQL condition for lists (``eligible_clause``);
- the margin rule (``margin``): amount and percentage, for one load or a period;
- the lane's dates: the drop on or after the pickup (``drop_date_problem``).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sqlalchemy import and_, or_
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from domain.errors import Conflict, Invalid
from domain.freight.models import AuthorityStatus, Carrier, LoadStatus, QuoteStatus, SafetyRating
from domain.schemas import business_date_problem

# -- the load state machine -----------------------------------------------------------------------

L = LoadStatus

# spec/operations.md, Freight: from -> allowed targets.
LOAD_TRANSITIONS: dict[LoadStatus, frozenset[LoadStatus]] = {
    L.OPEN: frozenset({L.WORKING, L.LOST, L.DORMANT}),
    L.WORKING: frozenset({L.COVERED, L.AT_RISK, L.LOST, L.DORMANT}),
    L.AT_RISK: frozenset({L.COVERED, L.WORKING, L.LOST}),
    L.COVERED: frozenset({L.IN_TRANSIT, L.DELIVERED, L.FELL_OFF, L.LOST}),
    L.IN_TRANSIT: frozenset({L.DELIVERED, L.FELL_OFF, L.LOST}),
    L.FELL_OFF: frozenset({L.COVERED, L.WORKING, L.LOST}),
    L.DORMANT: frozenset({L.OPEN, L.WORKING}),
    L.DELIVERED: frozenset(),
    L.LOST: frozenset(),
}

TERMINAL_LOAD_STATUSES = frozenset(s for s, targets in LOAD_TRANSITIONS.items() if not targets)
# Loads a carrier can still be found for (the coverage board; outreach targets).
NEEDS_COVER = frozenset({L.OPEN, L.WORKING, L.AT_RISK, L.FELL_OFF})
# Display order of the statuses (the pipeline), used for buttons and filters.
LOAD_STATUS_ORDER = (
    L.OPEN,
    L.WORKING,
    L.AT_RISK,
    L.COVERED,
    L.IN_TRANSIT,
    L.DELIVERED,
    L.FELL_OFF,
    L.DORMANT,
    L.LOST,
)


def allowed_load_transitions(current: LoadStatus) -> list[LoadStatus]:
    """The statuses ``current`` may move to, in pipeline order."""
    targets = LOAD_TRANSITIONS[current]
    return [s for s in LOAD_STATUS_ORDER if s in targets]


def can_transition(current: LoadStatus, target: LoadStatus) -> bool:
    return target in LOAD_TRANSITIONS[current]


def check_load_transition(current: LoadStatus, target: LoadStatus) -> bool:
    """``False`` for a same-to-same no-op, ``True`` for an allowed change; raises otherwise."""
    if current == target:
        return False
    if target not in LOAD_TRANSITIONS[current]:
        if current in TERMINAL_LOAD_STATUSES:
            raise Conflict(f"A {current.value} load is final: it cannot move to {target.value}.")
        allowed = ", ".join(s.value for s in allowed_load_transitions(current))
        raise Conflict(
            f"A load cannot move from {current.value} to {target.value} "
            f"(from {current.value}: {allowed})."
        )
    return True


# -- the quote state machine ----------------------------------------------------------------------

Q = QuoteStatus

# The spec lists quote statuses without a table: the lifecycle chosen (docs/ARCHITECTURE.md).
QUOTE_TRANSITIONS: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    Q.DRAFT: frozenset({Q.SENT, Q.EXPIRED}),
    Q.SENT: frozenset({Q.NO_RESPONSE, Q.REJECTED, Q.COUNTERED, Q.ACCEPTED, Q.EXPIRED}),
    Q.NO_RESPONSE: frozenset({Q.SENT, Q.REJECTED, Q.COUNTERED, Q.ACCEPTED, Q.EXPIRED}),
    Q.COUNTERED: frozenset({Q.SENT, Q.REJECTED, Q.ACCEPTED, Q.EXPIRED}),
    Q.ACCEPTED: frozenset({Q.BOOKED, Q.REJECTED}),
    Q.BOOKED: frozenset(),
    Q.REJECTED: frozenset(),
    Q.EXPIRED: frozenset(),
}
QUOTE_STATUS_ORDER = (
    Q.DRAFT,
    Q.SENT,
    Q.NO_RESPONSE,
    Q.COUNTERED,
    Q.ACCEPTED,
    Q.BOOKED,
    Q.REJECTED,
    Q.EXPIRED,
)
CONVERTIBLE_QUOTE_STATUSES = frozenset({Q.ACCEPTED, Q.BOOKED})
EDITABLE_QUOTES = frozenset(
    {QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.NO_RESPONSE, QuoteStatus.COUNTERED}
)


def allowed_quote_transitions(current: QuoteStatus) -> list[QuoteStatus]:
    targets = QUOTE_TRANSITIONS[current]
    return [s for s in QUOTE_STATUS_ORDER if s in targets]


def check_quote_transition(current: QuoteStatus, target: QuoteStatus) -> bool:
    if current == target:
        return False
    if target not in QUOTE_TRANSITIONS[current]:
        allowed = ", ".join(s.value for s in allowed_quote_transitions(current)) or "nothing"
        raise Conflict(
            f"A quote cannot move from {current.value} to {target.value} "
            f"(from {current.value}: {allowed})."
        )
    return True


# -- the lane -------------------------------------------------------------------------------------


def drop_date_problem(pickup: date, drop: date) -> str | None:
    """Why a lane's drop date cannot follow its pickup date, or None (loads and conversions)."""
    return "must be on or after the pickup date" if drop < pickup else None


# -- inputs of the reads -------------------------------------------------------------------------


def check_dates(**dates: date | None) -> None:
    """Business-date arguments within the bounds every input obeys (domain.schemas)."""
    errors = {
        name: problem
        for name, value in dates.items()
        if value is not None and (problem := business_date_problem(value))
    }
    if errors:
        raise Invalid(errors)


# -- carrier eligibility --------------------------------------------------------------------------


def fmcsa_failed(c: Carrier) -> bool:
    """A snapshot exists and says the carrier may not haul: authority not active, an
    UNSATISFACTORY rating, or no insurance on file. Never checked is not failed (shown as such)."""
    if c.fmcsa_checked_at is None:
        return False
    return (
        c.authority_status is not AuthorityStatus.ACTIVE
        or c.safety_rating is SafetyRating.UNSATISFACTORY
        or c.insurance_on_file is not True
    )


def carrier_problem(c: Carrier) -> str | None:
    """Why ``c`` may not cover a load or receive outreach, or None when it may."""
    if not c.is_active:
        return "inactive"
    if c.is_blocked:
        return f"blocked ({c.blocked_reason})" if c.blocked_reason else "blocked"
    if fmcsa_failed(c):
        if c.authority_status is not AuthorityStatus.ACTIVE:
            status = c.authority_status.value if c.authority_status else "unknown"
            return f"FMCSA authority {status}"
        if c.safety_rating is SafetyRating.UNSATISFACTORY:
            return "FMCSA safety rating UNSATISFACTORY"
        return "no insurance on file with FMCSA"
    return None


def eligible_clause() -> ColumnElement[bool]:
    """``carrier_problem(c) is None`` as SQL."""
    fmcsa_ok = or_(
        col(Carrier.fmcsa_checked_at).is_(None),
        and_(
            col(Carrier.authority_status) == AuthorityStatus.ACTIVE,
            or_(
                col(Carrier.safety_rating).is_(None),
                col(Carrier.safety_rating) != SafetyRating.UNSATISFACTORY,
            ),
            col(Carrier.insurance_on_file).is_(True),
        ),
    )
    return and_(col(Carrier.is_active).is_(True), col(Carrier.is_blocked).is_(False), fmcsa_ok)


# -- money ----------------------------------------------------------------------------------------

RATE_QUANTUM = Decimal("0.000001")  # NUMERIC(12,6)
CENT = Decimal("0.01")


def _dec(value: Decimal | int | str | None) -> Decimal:
    return Decimal("0") if value is None else Decimal(value)


def rate(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """numerator / denominator to 6 places; ``None`` when the denominator is 0 or missing."""
    den = _dec(denominator)
    if den == 0:
        return None
    return (_dec(numerator) / den).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


class Margin(NamedTuple):
    amount: Decimal  # revenue - cost, in cents
    pct: Decimal | None  # amount / revenue to 6 places; None when there is no revenue


def margin(revenue: Decimal | int | None, cost: Decimal | int | None) -> Margin:
    """THE margin rule, for one load (its bill and cost) or a period (the sums over its delivered
    loads): amount = revenue - cost with a missing amount counting as 0, rounded to cents;
    pct = amount / revenue, ``None`` when the revenue is 0 or missing (never 0, NaN or an error)."""
    amount = (_dec(revenue) - _dec(cost)).quantize(CENT, rounding=ROUND_HALF_UP)
    return Margin(amount, rate(amount, revenue))


def margin_known(bill: Decimal | None, cost: Decimal | None) -> bool:
    """Whether one load's margin means something yet: both amounts known (an uncovered load has
    no cost, so its "margin" would be the whole bill). Shown as n/a until then; sums over loads
    still count a missing amount as 0 (spec/operations.md), so a period's margin is ``margin``."""
    return bill is not None and cost is not None
