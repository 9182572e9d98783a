"""Freight's manifest: what the brokerage wing adds to the shared registries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.freight.audit import LABELS as AUDIT_LABELS
from domain.freight.briefing_signals import SIGNALS as BRIEFING_SIGNALS
from domain.freight.jobs import FMCSA_REFRESH, FREIGHT_KPI, QUOTE_TIMEOUTS
from domain.freight.metrics import DELIVERED_LOADS
from domain.freight.models import FREIGHT_VENTURE_TYPES
from domain.verticals import OverviewSource, Vertical

if TYPE_CHECKING:
    from domain.demo import DemoContext


def _demo_seed(ctx: DemoContext) -> None:
    from domain.freight.demo import seed  # heavy (Polars, the KPI backfill): only when seeding

    seed(ctx)


def _overview(uow: Any, ventures: list[Any], period: Any) -> dict[int, Any]:
    from domain.freight.dashboard import (
        overview_numbers,  # the dashboard's reads: only when the overview runs
    )

    return overview_numbers(uow, ventures, period)


VERTICAL = Vertical(
    key="freight",
    title="Freight",
    venture_types=FREIGHT_VENTURE_TYPES,
    handler_modules=(
        "domain.freight.handlers",
        "domain.freight.briefing",
        "domain.freight.delivery",
    ),
    briefing_modules=("domain.freight.briefing",),
    demo_seed=_demo_seed,
    audit_actions={str(action): label for action, label in AUDIT_LABELS.items()},
    kpi_sources=(FREIGHT_KPI,),
    housekeeping=(QUOTE_TIMEOUTS, FMCSA_REFRESH),
    metric_sources=(DELIVERED_LOADS,),
    briefing_signals=BRIEFING_SIGNALS,
    overview=OverviewSource("/freight/dashboard", _overview),
)
