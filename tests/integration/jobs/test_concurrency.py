"""Separate processes: two runs of one (job, venture, date) started at the same moment execute
once; a runner killed with SIGKILL leaves a lock that expires, and the next run succeeds."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from typing import TYPE_CHECKING

import psutil
import pytest
from sqlmodel import select

from domain.db import read_only
from domain.jobs import locks
from domain.jobs.models import JobRun, RunStatus
from domain.jobs.runner import lock_key, run_job
from tests.integration.jobs.conftest import ROOT, make_ventures, run_env

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

DAY = date(2026, 11, 26)


def _vcc(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "domain.cli", *args],
        cwd=ROOT,
        env=run_env(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_runs_at_the_same_moment_execute_once(db: TestDatabase) -> None:
    make_ventures("AFL")
    args = ("jobs", "run", "test-sleepy", "--date", DAY.isoformat(), "--json")
    procs = [_vcc(db.url, *args) for _ in range(2)]
    results = [(p, *p.communicate(timeout=180)) for p in procs]
    codes = sorted(p.returncode for p, _, _ in results)
    assert codes == [0, 3], [(o, e) for _, o, e in results]  # 3: skipped (locked)
    views = sorted((json.loads(out) for _, out, _ in results), key=lambda v: v["status"])
    assert [v["status"] for v in views] == ["SKIPPED_LOCKED", "SUCCEEDED"]
    skipped, ran = views
    assert ran["run_id"] in skipped["error"]  # it names the run holding the lock
    with read_only() as uow:
        statuses = sorted(r.status for r in uow.session.execute(select(JobRun)).scalars())
    assert statuses == [RunStatus.SKIPPED_LOCKED, RunStatus.SUCCEEDED]


def test_a_killed_runner_leaves_a_lock_that_expires(
    db: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from domain.jobs.config import reset_job_settings

    monkeypatch.setenv("VCC_JOB_LEASE_SECONDS", "3")
    reset_job_settings()
    make_ventures("AFL")
    proc = _vcc(
        db.url, "jobs", "run", "test-echo", "--date", DAY.isoformat(), "-p", "sleep_seconds=60"
    )
    key = lock_key("test-echo", "all", DAY)
    deadline = time.monotonic() + 60
    kernels: list[psutil.Process] = []
    while not kernels:  # wait until the notebook is executing in its kernel
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        kernels = [
            c
            for c in psutil.Process(proc.pid).children(recursive=True)
            if "ipykernel" in " ".join(c.cmdline())
        ]
        time.sleep(0.2)
    holder = locks.holder_of(key)
    assert holder is not None and holder.pid == proc.pid
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    try:
        # Right away the lease still holds: a new run is SKIPPED_LOCKED.
        assert run_job("test-echo", business_date=DAY).status == RunStatus.SKIPPED_LOCKED
        time.sleep(3.5)  # the test lease (VCC_JOB_LEASE_SECONDS=3) runs out
        view = run_job("test-echo", business_date=DAY)
        assert view.status == RunStatus.SUCCEEDED, view.error
        with read_only() as uow:
            dead = uow.session.execute(
                select(JobRun).where(JobRun.run_id == holder.holder)
            ).scalar_one()
        assert dead.status == RunStatus.FAILED and "abandoned" in (dead.error or "")
        assert locks.holder_of(key) is None
    finally:
        for k in kernels:  # the orphaned kernel exits on its own (parent poller); be sure
            with contextlib.suppress(psutil.NoSuchProcess):
                k.kill()
