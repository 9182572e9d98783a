"""Fixture jobs for the runner's tests, registered through ``VCC_JOB_MODULES`` so that
subprocesses (the CLI, the concurrency harness) know them too.

``test-echo`` reads the ventures (its input fingerprint) and returns one row per venture; the
notebook parameters ``sleep_seconds`` and ``fail`` make it slow or failing. ``test-slow`` is the
same notebook with a 3-second timeout, marked critical so a timeout alerts.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from domain.jobs.hashing import TableInputs, table_inputs
from domain.jobs.registry import JobParams, JobSpec, register, unregister
from domain.org.models import Venture

NOTEBOOK = Path(__file__).resolve().parent / "fixtures" / "echo.ipynb"


def venture_inputs(engine: Engine, p: JobParams) -> list[TableInputs]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Venture.id, Venture.code, Venture.name, Venture.timezone).where(
                Venture.id.in_(p.venture_ids)  # type: ignore[union-attr]
            )
        ).mappings()
        return [table_inputs("venture", rows)]


ECHO = JobSpec(
    name="test-echo",
    title="Test echo",
    notebook=NOTEBOOK,
    timeout_seconds=60,
    critical=True,
    inputs=venture_inputs,
)
SLOW = JobSpec(
    name="test-slow",
    title="Test slow (3 s timeout)",
    notebook=NOTEBOOK,
    timeout_seconds=3,
    critical=True,
    inputs=venture_inputs,
    extra_parameters=lambda p: {"sleep_seconds": 60.0},
)
SLEEPY = JobSpec(
    name="test-sleepy",
    title="Test sleepy (5 s)",
    notebook=NOTEBOOK,
    timeout_seconds=60,
    inputs=venture_inputs,
    extra_parameters=lambda p: {"sleep_seconds": 5.0},
)

FIXTURE_JOBS = (ECHO, SLOW, SLEEPY)


def register_all() -> None:
    for spec in FIXTURE_JOBS:
        register(spec)


def unregister_all() -> None:
    for spec in FIXTURE_JOBS:
        unregister(spec.name)


register_all()  # subprocesses import this module through VCC_JOB_MODULES
