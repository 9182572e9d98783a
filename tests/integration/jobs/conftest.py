"""Job tests: fixture jobs registered (also in subprocesses), reports in a temp folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MODULE = "tests.integration.jobs.testjobs"


@pytest.fixture(autouse=True)
def jobs_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every job test writes its reports under a temp dir and knows the fixture jobs."""
    from domain.jobs import registry
    from domain.jobs.config import reset_job_settings
    from domain.settings import reset_settings

    reports = tmp_path / "reports"
    monkeypatch.setenv("VCC_REPORTS_DIR", str(reports))
    monkeypatch.setenv("VCC_JOB_MODULES", MODULE)
    monkeypatch.setenv("VCC_JOB_LEASE_SECONDS", "30")  # the SIGKILL test shortens it
    monkeypatch.setenv("VCC_ALERT_EMAILS", "ops@example.com")
    # Subprocesses (CLI, harness) import the fixture jobs from the repo root.
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    reset_settings()
    reset_job_settings()
    registry._loaded = False
    from tests.integration.jobs import testjobs

    testjobs.register_all()
    yield reports
    testjobs.unregister_all()  # other test folders see only the real jobs
    reset_settings()
    reset_job_settings()


def run_env(url: str, **extra: str) -> dict[str, str]:
    """Environment of a subprocess working on the test database."""
    return {**os.environ, "DATABASE_URL": url, "VCC_ENV": "test", **extra}


def make_ventures(*codes: str) -> dict[str, int]:
    """A few ventures for the fixture jobs to read (faster than the demo seed)."""
    from domain.db import pk, unit_of_work
    from domain.org.models import Venture, VentureType

    ids = {}
    with unit_of_work() as uow:
        for code in codes or ("AFL", "MBR"):
            v = Venture(
                code=code,
                slug=code.lower(),
                name=f"{code} Logistics",
                type=VentureType.LOGISTICS,
                currency="USD",
                timezone="America/New_York",
            )
            uow.session.add(v)
            uow.flush()
            ids[code] = pk(v)
    return ids


def actor_with_role(role: str) -> object:
    """A user of ``role`` (all ventures for global roles) as an Actor."""
    from domain.access.roles import Role
    from domain.access.scope import actor_for
    from domain.db import unit_of_work
    from domain.org.models import User

    with unit_of_work() as uow:
        user = User(email=f"{role.lower()}@example.com", name=role.title(), role=Role(role))
        uow.session.add(user)
        uow.flush()
        return actor_for(uow.session, user)
