"""The shared jobs (spec: jobs-and-notebooks.md); a wing's own jobs come from its manifest.

| job | notebook | default schedule (group timezone) | business date | critical |
|---|---|---|---|---|
| housekeeping | notebooks/housekeeping.ipynb | 06:00 | today | no |
| kpi-aggregate | notebooks/kpi_aggregate.ipynb | 07:30 | yesterday | no |
| briefing | notebooks/briefing.ipynb | 07:45, one run per active venture | yesterday | no |
| briefing-digest | notebooks/briefing_digest.ipynb | 08:00, after the briefing | yesterday | no |

incentives-daily (07:00, yesterday, critical) and payouts (by period, critical) come from the
incentives wing's manifest.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from domain.jobs.config import NOTEBOOKS_DIR
from domain.jobs.hashing import TableInputs
from domain.jobs.registry import JobParams, JobSpec, register
from domain.jobs.tasks import briefing, kpi_aggregate
from domain.verticals import verticals

# Jobs whose FAILED / TIMED_OUT runs alert (spec), named before their wings register them.
CRITICAL_JOBS = frozenset({"incentives-daily", "payouts"})


def _kpi_inputs(engine: Engine, p: JobParams) -> list[TableInputs]:
    return kpi_aggregate.inputs(engine, list(p.venture_ids), p.business_date)


def _kpi_stored(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    return kpi_aggregate.stored_rows(engine, run_id)


def _housekeeping_inputs(engine: Engine, p: JobParams) -> list[TableInputs]:
    from domain.jobs.tasks import housekeeping

    return housekeeping.inputs(engine)


KPI_AGGREGATE = register(
    JobSpec(
        name="kpi-aggregate",
        title="KPI aggregation",
        notebook=NOTEBOOKS_DIR / "kpi_aggregate.ipynb",
        description="Recomputes the daily KPI table of each wing that has one for one business "
        "date and shows the last 30 days.",
        timeout_seconds=30 * 60,
        venture_types=kpi_aggregate.venture_types(),
        default_cron="30 7 * * *",
        date_offset_days=-1,
        inputs=_kpi_inputs,
        stored_output=_kpi_stored,
        extra_parameters=lambda p: {"verticals": ",".join(kpi_aggregate.source_keys())},
    )
)

HOUSEKEEPING = register(
    JobSpec(
        name="housekeeping",
        title="Housekeeping",
        notebook=NOTEBOOKS_DIR / "housekeeping.ipynb",
        description="Each wing's daily chores (freight: SENT quotes past their expiry become "
        "NO_RESPONSE) and the events outbox sweep.",
        timeout_seconds=15 * 60,
        takes_venture=False,
        default_cron="0 6 * * *",
        date_offset_days=0,
        inputs=_housekeeping_inputs,
    )
)

BRIEFING = register(
    JobSpec(
        name="briefing",
        title="Daily briefing",
        notebook=NOTEBOOKS_DIR / "briefing.ipynb",
        description="Each wing's checks of one business date against the days before it "
        "(coverage, losses, hotel KPIs, reviews, overdue tasks, missing EODs): the fires, storms "
        "and wins of the briefing page.",
        timeout_seconds=15 * 60,
        default_cron="45 7 * * *",
        date_offset_days=-1,
        per_venture=briefing.active_codes,
    )
)

BRIEFING_DIGEST = register(
    JobSpec(
        name="briefing-digest",
        title="Briefing email digest",
        notebook=NOTEBOOKS_DIR / "briefing_digest.ipynb",
        description="The optional morning email: each leadership reader's briefing items of the "
        "business date (their ventures only), one email per reader and date, a failed one "
        "tried again by the next run.",
        timeout_seconds=15 * 60,
        takes_venture=False,
        default_cron="0 8 * * *",
        date_offset_days=-1,
    )
)

for _wing in verticals():
    for _spec in _wing.jobs:
        register(_spec)
