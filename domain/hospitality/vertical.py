"""Hospitality's manifest: what the hotels wing adds to the shared registries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.hospitality.audit import LABELS as AUDIT_LABELS
from domain.hospitality.briefing_signals import SIGNALS as BRIEFING_SIGNALS
from domain.hospitality.jobs import HOSPITALITY_KPI
from domain.hospitality.metrics import DISPUTES_WON, REVIEWS_RESPONDED
from domain.hospitality.models import HOSPITALITY_VENTURE_TYPES
from domain.verticals import OverviewSource, Vertical

if TYPE_CHECKING:
    from domain.demo import DemoContext


def _demo_seed(ctx: DemoContext) -> None:
    from domain.hospitality.demo import seed  # heavy (Polars, the KPI backfill): only when seeding

    seed(ctx)


def _overview(uow: Any, ventures: list[Any], period: Any) -> dict[int, Any]:
    from domain.hospitality.dashboard import (
        overview_numbers,  # the dashboard's reads: only when the overview runs
    )

    return overview_numbers(uow, ventures, period)


VERTICAL = Vertical(
    key="hospitality",
    title="Hospitality",
    venture_types=HOSPITALITY_VENTURE_TYPES,
    handler_modules=("domain.hospitality.handlers",),
    demo_seed=_demo_seed,
    audit_actions={str(action): label for action, label in AUDIT_LABELS.items()},
    kpi_sources=(HOSPITALITY_KPI,),
    metric_sources=(REVIEWS_RESPONDED, DISPUTES_WON),
    briefing_signals=BRIEFING_SIGNALS,
    overview=OverviewSource("/hospitality/dashboard", _overview),
)
