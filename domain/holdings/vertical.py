"""The holdings wing's manifest: assets, bank accounts and balance snapshots of HOLDINGS
ventures (spec/operations.md, Holdings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.holdings.audit import LABELS as AUDIT_LABELS
from domain.holdings.jobs import HOLDINGS_KPI
from domain.org.models import VentureType
from domain.verticals import OverviewSource, Vertical

if TYPE_CHECKING:
    from domain.demo import DemoContext


def _demo_seed(ctx: DemoContext) -> None:
    from domain.holdings.demo import seed

    seed(ctx)


def _overview(uow: Any, ventures: list[Any], period: Any) -> dict[int, Any]:
    from domain.holdings.queries.totals import (
        overview_numbers,  # the dashboard's reads: only when the overview runs
    )

    return overview_numbers(uow, ventures, period)


VERTICAL = Vertical(
    key="holdings",
    title="Holdings",
    venture_types=frozenset({VentureType.HOLDINGS}),
    demo_seed=_demo_seed,
    audit_actions={str(action): label for action, label in AUDIT_LABELS.items()},
    kpi_sources=(HOLDINGS_KPI,),
    overview=OverviewSource("/holdings/dashboard", _overview),
)
