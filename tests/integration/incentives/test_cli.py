"""``vcc incentives``: commit, backfill and plans, as real subprocesses against the test database
(the system actor, like ``vcc jobs run``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from domain import clock
from domain.db import read_only
from domain.incentives.commit import commit_incentives
from domain.jobs.models import JobRun
from tests.helpers import venture_id
from tests.integration.incentives.conftest import rows_of

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

ROOT = Path(__file__).resolve().parents[3]


def vcc(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "VCC_ENV": "test"}
    return subprocess.run(
        [sys.executable, "-m", "domain.cli", "incentives", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_plans_and_commit(demo: TestDatabase, reports: Path) -> None:
    r = vcc(demo.url, "plans", "--venture", "afl", "--json")
    assert r.returncode == 0, r.stderr
    (plan,) = json.loads(r.stdout)
    assert plan["venture_code"] == "AFL" and len(plan["rules"]) == 6
    r = vcc(demo.url, "plans", "--venture", "LGY")  # the SaaS venture has no metrics, no plan
    assert r.returncode == 0 and "no incentive plans in LGY" in r.stdout
    r = vcc(demo.url, "plans")
    assert r.returncode == 0 and "Miles slab" in r.stdout

    day = clock.today("America/New_York") - timedelta(days=1)
    before = rows_of("AFL", day)
    r = vcc(
        demo.url, "commit", "--venture", "AFL", "--date", day.isoformat(), "--dry-run", "--json"
    )
    assert r.returncode == 0, r.stderr
    dry = json.loads(r.stdout)
    expected = commit_incentives(venture_id("AFL"), day, run_id=None, dry_run=True).rows
    assert dry["status"] == "DRY_RUN" and [(x["user_id"], x["amount"]) for x in dry["rows"]] == [
        (x.user_id, f"{x.amount}") for x in expected
    ]
    assert rows_of("AFL", day) == before  # nothing written

    r = vcc(demo.url, "commit", "--venture", "AFL", "--date", day.isoformat())
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"SUCCEEDED incentives AFL {day}: run ")
    run_id = r.stdout.split("run ", 1)[1].split()[0]
    assert {x["run_id"] for x in rows_of("AFL", day)} == {run_id}
    assert "under rule 'Margin share'" in r.stdout

    tomorrow = (day + timedelta(days=2)).isoformat()
    for args, field in [
        (("commit", "--venture", "AFL", "--date", tomorrow), "date: "),
        (("commit", "--venture", "AFL", "--date", "yesterday"), "date: "),
        (("commit", "--venture", "LGY", "--date", day.isoformat()), "venture: "),
        (("commit", "--venture", "NOPE", "--date", day.isoformat()), "venture NOPE not found"),
    ]:
        r = vcc(demo.url, *args)
        assert r.returncode == 1 and r.stderr.startswith(f"error: {field}"), r.stderr
        assert r.stderr.count("\n") == 1


def test_backfill_is_one_run_with_progress(demo: TestDatabase, reports: Path) -> None:
    end = clock.today("America/New_York") - timedelta(days=2)
    start = end - timedelta(days=3)
    r = vcc(demo.url, "backfill", "--venture", "AFL", "--from", str(start), "--to", str(end))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"SUCCEEDED incentives-backfill {end} venture AFL")
    assert "cells" in r.stderr  # the progress bar
    with read_only() as uow:
        runs = list(
            uow.session.execute(select(JobRun).where(JobRun.job == "incentives-backfill")).scalars()
        )
    assert len(runs) == 1
    day = start
    while day <= end:
        assert {x["run_id"] for x in rows_of("AFL", day)} <= {runs[0].run_id}
        day += timedelta(days=1)
    r = vcc(demo.url, "backfill", "--venture", "AFL", "--from", str(end), "--to", str(start))
    assert r.returncode == 1 and r.stderr.startswith("error: to: ")
