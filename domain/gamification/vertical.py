"""Gamification's manifest: points handlers on the outbox and the reconciliation chore.

Listed in ``WINGS`` after the wings whose events it consumes (freight, operations, hospitality).
"""

from __future__ import annotations

from domain.gamification.reconcile import RECONCILE_BALANCES
from domain.verticals import Vertical

VERTICAL = Vertical(
    key="gamification",
    title="Gamification",
    handler_modules=("domain.gamification.handlers",),
    housekeeping=(RECONCILE_BALANCES,),
    audit_actions={"gamification.config.updated": "Gamification config changed"},
)
