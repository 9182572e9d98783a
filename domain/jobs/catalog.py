"""The built-in jobs (spec: jobs-and-notebooks.md). Later verticals register theirs here.

| job | notebook | default schedule (group timezone) | business date | critical |
|---|---|---|---|---|
| housekeeping | notebooks/housekeeping.ipynb | 06:00 | today | no |
| kpi-aggregate | notebooks/kpi_aggregate.ipynb | 07:30 | yesterday | no |
| incentives-daily | (issue: incentives) | 07:00 | yesterday | yes |
| payouts | (issue: incentives) | - (by period) | - | yes |
| briefing | (issue: briefing) | 07:45 | today | no |
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from domain.jobs.config import NOTEBOOKS_DIR
from domain.jobs.hashing import TableInputs
from domain.jobs.registry import JobParams, JobSpec, register

# Jobs whose FAILED / TIMED_OUT runs alert (spec): registered by their own issues.
CRITICAL_JOBS = frozenset({"incentives-daily", "payouts"})


def _kpi_inputs(engine: Engine, p: JobParams) -> list[TableInputs]:
    from domain.jobs.tasks import kpi_aggregate

    return kpi_aggregate.inputs(engine, list(p.venture_ids), p.business_date)


def _kpi_stored(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    from domain.jobs.tasks import kpi_aggregate

    return kpi_aggregate.stored_rows(engine, run_id)


def _housekeeping_inputs(engine: Engine, p: JobParams) -> list[TableInputs]:
    from domain.jobs.tasks import housekeeping

    return housekeeping.inputs(engine)


KPI_AGGREGATE = register(
    JobSpec(
        name="kpi-aggregate",
        title="KPI aggregation",
        notebook=NOTEBOOKS_DIR / "kpi_aggregate.ipynb",
        description="Recomputes the daily KPI tables (freight; other verticals join later) for "
        "one business date and shows the last 30 days.",
        timeout_seconds=30 * 60,
        venture_types=frozenset({"LOGISTICS", "TRANSPORT"}),
        default_cron="30 7 * * *",
        date_offset_days=-1,
        inputs=_kpi_inputs,
        stored_output=_kpi_stored,
        extra_parameters=lambda p: {"verticals": "freight"},
    )
)

HOUSEKEEPING = register(
    JobSpec(
        name="housekeeping",
        title="Housekeeping",
        notebook=NOTEBOOKS_DIR / "housekeeping.ipynb",
        description="Times out SENT quotes past their expiry (NO_RESPONSE) and sweeps the "
        "events outbox.",
        timeout_seconds=15 * 60,
        takes_venture=False,
        default_cron="0 6 * * *",
        date_offset_days=0,
        inputs=_housekeeping_inputs,
    )
)
