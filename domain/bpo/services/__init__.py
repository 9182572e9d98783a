"""BPO use cases, split by aggregate. Each: validate -> authorize (scope) -> change -> record
events -> audit, in the caller's unit of work (one transaction); handlers run after it commits."""

from __future__ import annotations

from domain.bpo.services.calls import import_calls_csv, log_call
from domain.bpo.services.campaigns import (
    create_agent,
    create_campaign,
    update_agent,
    update_campaign,
)
from domain.bpo.services.kpi import import_kpi_csv, upsert_kpi_record

__all__ = [
    "create_agent",
    "create_campaign",
    "import_calls_csv",
    "import_kpi_csv",
    "log_call",
    "update_agent",
    "update_campaign",
    "upsert_kpi_record",
]
