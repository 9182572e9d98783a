"""BPO's manifest: what the call-centre wing adds to the shared registries."""

from __future__ import annotations

from domain.bpo.audit import LABELS as AUDIT_LABELS
from domain.bpo.jobs import BPO_KPI
from domain.bpo.metrics import CALLS
from domain.bpo.models import BPO_VENTURE_TYPES
from domain.verticals import Vertical

VERTICAL = Vertical(
    key="bpo",
    title="BPO",
    venture_types=BPO_VENTURE_TYPES,
    handler_modules=("domain.bpo.handlers",),
    kpi_sources=(BPO_KPI,),
    metric_sources=(CALLS,),
    audit_actions={str(action): label for action, label in AUDIT_LABELS.items()},
)
