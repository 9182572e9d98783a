"""The load and quote state machines: the one place that says which status may follow which.

Pure functions (no database), unit-tested for every pair. Same-to-same is a no-op; anything not in
the table is refused with a message naming both statuses.
"""

from __future__ import annotations

from domain.errors import Conflict
from domain.freight.models import LoadStatus, QuoteStatus

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
