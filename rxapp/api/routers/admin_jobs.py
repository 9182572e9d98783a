"""``/api/v1/admin/jobs/health``: job health, for the Admin section (``admin.jobs.read``: the
global admins, as jobs-and-notebooks.md gives it; anyone else 403). The runs and their files
are in ``job_runs``: the COO, finance and accounting read the finance jobs' runs too, so they
are not behind the Admin section."""

from __future__ import annotations

from fastapi import APIRouter

from domain.db import read_only
from domain.jobs.health import JobsHealthView, job_health
from rxapp.api.deps import CurrentActor
from rxapp.api.schemas import error_responses

router = APIRouter(
    prefix="/admin/jobs", tags=["admin: jobs"], responses=error_responses(400, 401, 403)
)


@router.get(
    "/health",
    response_model=JobsHealthView,
    summary="Job health: per job last run, success, failure, running, stuck, next run, paused",
)
def jobs_health(actor: CurrentActor) -> JobsHealthView:
    """Overall ``ok`` / ``degraded`` (1-2 consecutive failures, a stuck run, dead outbox events)
    / ``failing`` (3 consecutive failures), per job, plus outbox backlog and dead events."""
    with read_only() as uow:
        return job_health(uow, actor)
