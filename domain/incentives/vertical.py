"""The incentives wing's manifest: plans, rules, daily accruals and their jobs.

Incentives serve every venture (no venture type of their own) and read the other wings only
through the metric sources those wings declare in their manifests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.incentives.audit import LABELS as AUDIT_LABELS
from domain.incentives.jobs import INCENTIVES_BACKFILL, INCENTIVES_DAILY, PAYOUTS
from domain.incentives.reverify import PAYOUT_REVERIFY
from domain.verticals import Vertical

if TYPE_CHECKING:
    from domain.demo import DemoContext


def _demo_seed(ctx: DemoContext) -> None:
    from domain.incentives.demo import seed

    seed(ctx)


VERTICAL = Vertical(
    key="incentives",
    title="Incentives",
    demo_seed=_demo_seed,
    audit_actions={str(action): label for action, label in AUDIT_LABELS.items()},
    jobs=(INCENTIVES_DAILY, INCENTIVES_BACKFILL, PAYOUTS),
    housekeeping=(PAYOUT_REVERIFY,),
)
