"""BPO's manifest: what the call-centre wing adds to the shared registries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.bpo.audit import LABELS as AUDIT_LABELS
from domain.bpo.briefing_signals import SIGNALS as BRIEFING_SIGNALS
from domain.bpo.jobs import BPO_KPI
from domain.bpo.metrics import CALLS
from domain.bpo.models import BPO_VENTURE_TYPES
from domain.verticals import OverviewSource, Vertical


def _overview(uow: Any, ventures: list[Any], period: Any) -> dict[int, Any]:
    from domain.bpo.dashboard import (
        overview_numbers,  # the dashboard's reads: only when the overview runs
    )

    return overview_numbers(uow, ventures, period)


if TYPE_CHECKING:
    from domain.demo import DemoContext


def _demo_seed(ctx: DemoContext) -> None:
    from domain.bpo.demo import seed

    seed(ctx)


VERTICAL = Vertical(
    key="bpo",
    title="BPO",
    venture_types=BPO_VENTURE_TYPES,
    handler_modules=("domain.bpo.handlers",),
    demo_seed=_demo_seed,
    kpi_sources=(BPO_KPI,),
    metric_sources=(CALLS,),
    briefing_signals=BRIEFING_SIGNALS,
    audit_actions={str(action): label for action, label in AUDIT_LABELS.items()},
    overview=OverviewSource("/bpo/dashboard", _overview),
)
