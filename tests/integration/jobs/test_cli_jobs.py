"""`vcc jobs ...` and `vcc scheduler` as real subprocesses: output, JSON, exit codes, one-line
errors. The behaviour does not depend on the database, so these run on SQLite only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.integration.jobs.conftest import ROOT, make_ventures, run_env

if TYPE_CHECKING:
    from tests.conftest import TestDatabase


# Collected for SQLite only (not collected-then-skipped on PostgreSQL).
pytestmark = pytest.mark.parametrize("db", ["sqlite"], indirect=True)


@pytest.fixture
def sqlite_db(db: TestDatabase) -> TestDatabase:
    assert db.backend == "sqlite"
    return db


def vcc(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "domain.cli", *args],
        cwd=ROOT,
        env=run_env(url, **env),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_run_show_verify_and_the_exit_codes(sqlite_db: TestDatabase) -> None:
    url = sqlite_db.url
    make_ventures("AFL")
    r = vcc(url, "jobs", "run", "test-echo", "--date", "2026-11-26", "--json")
    assert r.returncode == 0, r.stderr
    view = json.loads(r.stdout)
    assert view["status"] == "SUCCEEDED" and view["business_date"] == "2026-11-26"

    r = vcc(url, "jobs", "show", view["run_id"])
    assert r.returncode == 0 and "output hash: " + view["output_hash"] in r.stdout
    assert ".html" in r.stdout

    r = vcc(url, "jobs", "verify", view["run_id"])
    assert r.returncode == 0 and r.stdout.startswith("VERIFIED: same inputs, same output")

    r = vcc(url, "jobs", "run", "test-echo", "--date", "2026-11-26", "-p", "fail=true")
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: run ")
    assert "FAILED: RuntimeError: asked to fail (cell [4]: import time)" in r.stderr

    r = vcc(url, "jobs", "runs", "--job", "test-echo")
    assert r.returncode == 0 and r.stdout.count("test-echo 2026-11-26") == 3  # incl. verify's

    r = vcc(url, "jobs", "alerts")
    assert r.returncode == 0 and "RUN_FAILED: test-echo failed" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("jobs", "run", "nope"), "error: job nope not found"),
        (
            ("jobs", "run", "test-echo", "--venture", "ZZZ"),
            "error: venture: no venture with code 'ZZZ'",
        ),
        (
            ("jobs", "run", "test-echo", "--date", "26/11/2026"),
            "error: date: '26/11/2026' is not a date",
        ),
        (
            ("jobs", "run", "housekeeping", "--venture", "AFL"),
            "error: venture: housekeeping always",
        ),
        (("jobs", "verify", "nope"), "error: run nope not found"),
        (("jobs", "resume", "test-echo"), "error: test-echo is not paused"),
    ],
)
def test_bad_input_is_one_line(
    sqlite_db: TestDatabase, args: tuple[str, ...], message: str
) -> None:
    r = vcc(sqlite_db.url, *args)
    assert r.returncode == 1 and r.stderr.startswith(message) and r.stderr.count("\n") == 1, (
        r.stderr
    )


def test_list_pause_resume(sqlite_db: TestDatabase) -> None:
    url = sqlite_db.url
    r = vcc(url, "jobs", "pause", "housekeeping", "--reason", "quote service down")
    assert r.returncode == 0 and "quote service down" in r.stdout
    r = vcc(url, "jobs", "list")
    assert r.returncode == 0 and r.stdout.startswith("overall: ok")
    assert "kpi-aggregate" in r.stdout and "30 7 * * *" in r.stdout
    line = next(x for x in r.stdout.splitlines() if x.startswith("housekeeping"))
    assert "PAUSED" in line and "next -" in line
    health = json.loads(vcc(url, "jobs", "list", "--json").stdout)
    assert {j["job"] for j in health["jobs"]} >= {"kpi-aggregate", "housekeeping", "test-echo"}
    assert vcc(url, "jobs", "resume", "housekeeping").returncode == 0


def test_run_today_runs_each_scheduled_job_once(sqlite_db: TestDatabase, tmp_path: Path) -> None:
    make_ventures("AFL")
    f = tmp_path / "schedule.toml"
    f.write_text(
        "[jobs.kpi-aggregate]\nenabled = false\n[jobs.housekeeping]\nenabled = false\n"
        "[jobs.briefing]\nenabled = false\n[jobs.briefing-digest]\nenabled = false\n"
        '[jobs.test-echo]\ncron = "0 6 * * *"\nday_offset = -1\n'
    )
    r = vcc(sqlite_db.url, "jobs", "run-today", VCC_JOB_SCHEDULE=str(f))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("SUCCEEDED test-echo ")
    r = vcc(sqlite_db.url, "jobs", "run-today", "--json", VCC_JOB_SCHEDULE=str(f))
    assert r.returncode == 0 and json.loads(r.stdout)[0]["status"] == "ALREADY_DONE"
