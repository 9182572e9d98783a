"""SaaS's manifest: what the SaaS wing adds to the shared registries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.saas.audit import LABELS as AUDIT_LABELS
from domain.saas.jobs import SAAS_KPI
from domain.saas.models import SAAS_VENTURE_TYPES
from domain.verticals import OverviewSource, Vertical

if TYPE_CHECKING:
    from domain.demo import DemoContext


def _demo_seed(ctx: DemoContext) -> None:
    from domain.saas.demo import seed

    seed(ctx)


def _overview(uow: Any, ventures: list[Any], period: Any) -> dict[int, Any]:
    from domain.saas.queries.dashboard import (
        overview_numbers,  # the dashboard's reads: only when the overview runs
    )

    return overview_numbers(uow, ventures, period)


VERTICAL = Vertical(
    key="saas",
    title="SaaS",
    venture_types=SAAS_VENTURE_TYPES,
    demo_seed=_demo_seed,
    audit_actions={str(action): label for action, label in AUDIT_LABELS.items()},
    kpi_sources=(SAAS_KPI,),
    overview=OverviewSource("/saas/dashboard", _overview),
)
