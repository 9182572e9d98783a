"""The operations wing's manifest: tasks and end-of-day reports of every venture.

Operations serve every venture (no venture type of their own); the wing declares its tables,
audit actions, demo seeder and the incentive metric ``tasks_completed``. TaskCompleted and
EodSubmitted are recorded for gamification, which registers its handlers in its own wing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.operations.audit import LABELS as AUDIT_LABELS
from domain.operations.briefing_signals import SIGNALS as BRIEFING_SIGNALS
from domain.operations.metrics import COMPLETED_TASKS
from domain.verticals import Vertical

if TYPE_CHECKING:
    from domain.demo import DemoContext


def _demo_seed(ctx: DemoContext) -> None:
    from domain.operations.demo import seed

    seed(ctx)


VERTICAL = Vertical(
    key="operations",
    title="Operations",
    demo_seed=_demo_seed,
    audit_actions={str(action): label for action, label in AUDIT_LABELS.items()},
    metric_sources=(COMPLETED_TASKS,),
    briefing_signals=BRIEFING_SIGNALS,
)
