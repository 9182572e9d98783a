"""SaaS's manifest: what the SaaS wing adds to the shared registries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.saas.audit import LABELS as AUDIT_LABELS
from domain.saas.models import SAAS_VENTURE_TYPES
from domain.verticals import Vertical

if TYPE_CHECKING:
    from domain.demo import DemoContext


def _demo_seed(ctx: DemoContext) -> None:
    from domain.saas.demo import seed

    seed(ctx)


VERTICAL = Vertical(
    key="saas",
    title="SaaS",
    venture_types=SAAS_VENTURE_TYPES,
    demo_seed=_demo_seed,
    audit_actions={str(action): label for action, label in AUDIT_LABELS.items()},
)
