"""The job registry: every job the runner, the CLI, the scheduler and the admin page know.

A job is a notebook plus what the runner needs around it: its timeout, whether it is critical
(failures alert), the default schedule, how its business date follows from the firing time, the
function that fingerprints the rows it reads, and the function that reads back the rows a run
wrote (by ``run_id``) so the runner can check the notebook's summary against the database.
Built-in jobs are registered in ``domain.jobs.catalog``; later verticals register theirs there.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from domain.errors import NotFound
from domain.jobs.hashing import TableInputs


@dataclass(frozen=True)
class JobParams:
    """The resolved parameters of one run."""

    job: str
    business_date: date
    venture: str  # "all" or a venture code
    venture_ids: tuple[int, ...]  # the ventures the run covers
    dry_run: bool
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def venture_id(self) -> int | None:
        """The one venture the run names (None for "all")."""
        return self.venture_ids[0] if self.venture != "all" and self.venture_ids else None


InputsFn = Callable[[Engine, JobParams], list[TableInputs]]
StoredOutputFn = Callable[[Engine, str], list[dict[str, Any]]]
ExtraParamsFn = Callable[[JobParams], dict[str, Any]]


@dataclass(frozen=True)
class JobSpec:
    name: str
    title: str
    notebook: Path
    description: str = ""
    timeout_seconds: int = 30 * 60
    critical: bool = False
    # False: the job has no venture parameter (it always covers the whole group).
    takes_venture: bool = True
    # Venture types "all" expands to (None: every active venture).
    venture_types: frozenset[str] | None = None
    default_cron: str | None = None
    # Business date = the firing time's date in the schedule timezone + this many days.
    date_offset_days: int = 0
    inputs: InputsFn | None = None
    stored_output: StoredOutputFn | None = None
    extra_parameters: ExtraParamsFn | None = None
    # FINANCE users see this job's runs for the ventures in their scope (payouts, incentives).
    finance_visible: bool = False
    # The permission a person needs (in the venture's scope) to run or verify this job by hand.
    run_permission: str = "admin.jobs.run"
    # When set, a scheduled "all" fires one run per venture code this returns for the business
    # date (incentives: one run per venture with an active plan) instead of one run for all.
    per_venture: Callable[[Engine, date], list[str]] | None = None
    # Checked by the runner once a live run holds its lock, before anything is recorded: a
    # DomainError it raises refuses the run (the request was wrong or already done, e.g. payouts
    # that exist for the period), so a refused request neither records a run nor alerts.
    precheck: Callable[[Engine, JobParams], None] | None = None
    # Keep the run's result rows (the rows of its output hash) as Parquet beside its manifest
    # (``domain.jobs.archive``): what "explain the change" compares between two runs of a key.
    archive: bool = False


_jobs: dict[str, JobSpec] = {}
_loaded = False
_lock = threading.Lock()


def register(spec: JobSpec) -> JobSpec:
    _jobs[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    _jobs.pop(name, None)


def _ensure_loaded() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        from domain.jobs.config import job_settings

        importlib.import_module("domain.jobs.catalog")
        for module in job_settings().job_modules:
            importlib.import_module(module)
        _loaded = True


def get_job(name: str) -> JobSpec:
    _ensure_loaded()
    try:
        return _jobs[name]
    except KeyError:
        raise NotFound("job", name) from None


def all_jobs() -> list[JobSpec]:
    _ensure_loaded()
    return [_jobs[n] for n in sorted(_jobs)]


def scheduled_ventures(
    job: str, venture: str, business_date: date, engine: Engine | None = None
) -> list[str]:
    """The venture of each run a scheduled slot fires: one per venture for a job that runs per
    venture (``JobSpec.per_venture``) when the slot says "all", else the slot's own."""
    spec = get_job(job)
    if venture != "all" or spec.per_venture is None:
        return [venture]
    if engine is None:
        from domain.db import get_engine

        engine = get_engine()
    return spec.per_venture(engine, business_date)


def job_names() -> list[str]:
    return [j.name for j in all_jobs()]
