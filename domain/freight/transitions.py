"""The load and quote state machines now live in ``domain.freight.rules`` (the wing's pure rules);
this module keeps the old import path."""

from __future__ import annotations

from domain.errors import Conflict
from domain.freight.models import LoadStatus, QuoteStatus
from domain.freight.rules import (
    CONVERTIBLE_QUOTE_STATUSES,
    LOAD_STATUS_ORDER,
    LOAD_TRANSITIONS,
    NEEDS_COVER,
    QUOTE_STATUS_ORDER,
    QUOTE_TRANSITIONS,
    TERMINAL_LOAD_STATUSES,
    L,
    Q,
    allowed_load_transitions,
    allowed_quote_transitions,
    can_transition,
    check_load_transition,
    check_quote_transition,
)

__all__ = [
    "CONVERTIBLE_QUOTE_STATUSES",
    "LOAD_STATUS_ORDER",
    "LOAD_TRANSITIONS",
    "NEEDS_COVER",
    "QUOTE_STATUS_ORDER",
    "QUOTE_TRANSITIONS",
    "TERMINAL_LOAD_STATUSES",
    "Conflict",
    "L",
    "LoadStatus",
    "Q",
    "QuoteStatus",
    "allowed_load_transitions",
    "allowed_quote_transitions",
    "can_transition",
    "check_load_transition",
    "check_quote_transition",
]
