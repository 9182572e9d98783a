"""Freight's manifest: what the brokerage wing adds to the shared registries."""

from __future__ import annotations

from domain.freight.demo import seed as demo_seed
from domain.verticals import Vertical

VERTICAL = Vertical(
    key="freight",
    title="Freight",
    venture_types=frozenset({"LOGISTICS", "TRANSPORT"}),
    handler_modules=("domain.freight.handlers",),
    demo_seed=demo_seed,
)
