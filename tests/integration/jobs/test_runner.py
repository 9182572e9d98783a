"""The runner, executing a real notebook through papermill in the `vcc` kernel, on both
databases: success and its record, failures, timeouts, locks, dry runs, alerts, pausing."""

from __future__ import annotations

import io
import json
import logging
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import psutil
import pytest
from sqlmodel import select

from domain.access.models import AuditLog
from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, Invalid, NotFound
from domain.jobs import locks
from domain.jobs.hashing import rows_hash
from domain.jobs.models import Alert, AlertKind, JobRun, JobState, RunStatus, TriggeredBy
from domain.jobs.runner import lock_key, run_job, run_slot
from domain.observability.logs import configure_logging
from domain.observability.models import ErrorEvent
from tests.integration.jobs.conftest import actor_with_role, make_ventures

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

DAY = date(2026, 11, 26)


def _alerts() -> list[Alert]:
    with read_only() as uow:
        return list(uow.session.execute(select(Alert).order_by(Alert.id)).scalars())


def _kernels() -> list[psutil.Process]:
    return [
        p
        for p in psutil.Process().children(recursive=True)
        if "ipykernel" in " ".join(p.cmdline())
        and p.is_running()
        and p.status() != psutil.STATUS_ZOMBIE
    ]


def test_a_run_succeeds_and_leaves_its_record(db: TestDatabase, jobs_env: Path) -> None:
    make_ventures("AFL", "MBR")
    seen: list[tuple[int, int]] = []
    view = run_job("test-echo", business_date=DAY, progress=lambda _r, d, t: seen.append((d, t)))

    assert view.status == RunStatus.SUCCEEDED, view.error
    assert (view.job, view.business_date, view.venture, view.dry_run) == (
        "test-echo",
        DAY,
        "all",
        False,
    )
    assert view.triggered_by == TriggeredBy.CLI and view.attempt == 1
    assert view.cells_done == view.cells_total > 0 and seen[-1][0] == seen[-1][1]
    expected = [
        {"code": "AFL", "name_length": 13, "timezone": "America/New_York", "salt": ""},
        {"code": "MBR", "name_length": 13, "timezone": "America/New_York", "salt": ""},
    ]
    assert view.output_hash == rows_hash(expected)[1]
    assert view.result_summary == {"ventures": 2}
    assert view.inputs["venture"]["count"] == 2 and view.input_fingerprint

    folder = jobs_env / "test-echo" / "2026-11-26"
    assert view.notebook_path == f"test-echo/2026-11-26/{view.run_id}.ipynb"
    for suffix in (".ipynb", ".html", ".manifest.json", ".result.json"):
        assert (folder / f"{view.run_id}{suffix}").is_file(), suffix
    manifest = json.loads((folder / f"{view.run_id}.manifest.json").read_text())
    assert manifest["output_hash"] == view.output_hash
    assert manifest["parameters"] == {
        "business_date": "2026-11-26",
        "venture": "all",
        "dry_run": False,
    }
    assert manifest["inputs"]["fingerprint"] == view.input_fingerprint
    assert len(manifest["inputs"]["tables"]["venture"]["rows"]) == 2
    assert manifest["code_version"]["notebook_sha256"] and manifest["code_version"]["git"]
    html = (folder / f"{view.run_id}.html").read_text()
    assert '"ventures": 2' in html  # the results cell has a text/plain copy
    assert "jobkit.start(" not in html  # code cells are hidden for reviewers
    executed = (folder / f"{view.run_id}.ipynb").read_text()
    assert db.url.split("@")[0] not in executed  # the database URL never lands in the record

    with read_only() as uow:
        trail = uow.session.execute(
            select(AuditLog).where(AuditLog.action == "job.run", AuditLog.entity_id == view.run_id)
        ).scalar_one()
    assert trail.detail["job"] == "test-echo" and trail.detail["triggered_by"] == "CLI"
    assert _alerts() == []
    assert not locks.holder_of(lock_key("test-echo", "all", DAY))  # released


def test_a_failing_cell_is_recorded_with_its_cell_and_alerts(db: TestDatabase, mailbox) -> None:
    root, out = logging.getLogger(), io.StringIO()
    level = root.level
    handler = configure_logging(json_format=True, level="INFO", stream=out)
    try:
        view = run_job("test-echo", business_date=DAY, params={"fail": True})
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    # Every log line the run wrote carries its id (the alert's warning, the runner's outcome).
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert {x["logger"] for x in lines} >= {"domain.jobs.alerts", "domain.jobs.runner"}
    assert {x.get("run_id") for x in lines if x["logger"].startswith("domain.jobs")} == {
        view.run_id
    }
    assert view.status == RunStatus.FAILED
    assert view.error == "RuntimeError: asked to fail"
    assert view.error_cell and "import time" in view.error_cell
    assert view.html_path and view.output_hash is None
    alert = _alerts()[0]
    assert alert.kind == AlertKind.RUN_FAILED and alert.run_id == view.run_id
    assert alert.emailed_to == ["ops@example.com"] and alert.emailed_at is not None
    assert "asked to fail" in mailbox.last_to("ops@example.com").body  # type: ignore[attr-defined]
    # The kernel's exception is an unhandled error of the job: on the errors page too.
    with read_only() as uow:
        (error,) = uow.session.execute(select(ErrorEvent)).scalars()
    assert (error.kind, error.where) == ("job", "job test-echo: RuntimeError")
    assert "asked to fail" in error.message and "import time" in error.message


def test_a_run_over_its_timeout_is_killed_and_alerts(db: TestDatabase) -> None:
    view = run_job("test-slow", business_date=DAY)  # sleeps 60 s, timeout 3 s
    assert view.status == RunStatus.TIMED_OUT
    assert "timed out after 3 s" in (view.error or "")
    assert view.duration_seconds is not None and view.duration_seconds < 20
    assert _kernels() == []  # the kernel is gone
    assert [a.kind for a in _alerts()] == [AlertKind.RUN_TIMED_OUT]


def test_a_held_lock_means_skipped_locked(db: TestDatabase) -> None:
    key = lock_key("test-echo", "all", DAY)
    assert locks.acquire(key, "someone-else", 60)
    view = run_job("test-echo", business_date=DAY)
    assert view.status == RunStatus.SKIPPED_LOCKED
    assert "someone-else" in (view.error or "") and view.notebook_path is None
    assert locks.holder_of(key).holder == "someone-else"  # type: ignore[union-attr]
    with read_only() as uow:
        assert uow.session.execute(select(AuditLog).where(AuditLog.action == "job.run")).first()


def test_a_dry_run_is_flagged_and_never_alerts(db: TestDatabase) -> None:
    make_ventures("AFL")
    assert locks.acquire(lock_key("test-echo", "all", DAY), "live-run", 60)
    view = run_job("test-echo", business_date=DAY, dry_run=True)  # not blocked by the live run
    assert view.status == RunStatus.SUCCEEDED and view.dry_run
    failed = run_job("test-echo", business_date=DAY, dry_run=True, params={"fail": True})
    assert failed.status == RunStatus.FAILED and _alerts() == []


def test_a_broken_results_contract_fails_the_run(db: TestDatabase) -> None:
    view = run_job("test-echo", business_date=DAY, params={"tamper": True})
    assert view.status == RunStatus.FAILED
    assert view.error == ("results check failed: the result file and the 'results' cell disagree")


def test_three_failures_in_a_row_pause_the_job(db: TestDatabase) -> None:
    with unit_of_work() as uow:
        for i in range(2):
            uow.session.add(
                JobRun(
                    run_id=f"old-{i}",
                    job="test-echo",
                    business_date=DAY,
                    status=RunStatus.FAILED,
                    triggered_by=TriggeredBy.SCHEDULE,
                    lock_key="k",
                    timeout_seconds=60,
                )
            )
    view = run_job("test-echo", business_date=DAY, params={"fail": True})
    assert view.status == RunStatus.FAILED
    with read_only() as uow:
        state = uow.session.get(JobState, "test-echo")
    assert (
        state is not None
        and state.paused
        and "3 consecutive failures" in (state.paused_reason or "")
    )
    assert [a.kind for a in _alerts()] == [AlertKind.RUN_FAILED, AlertKind.JOB_PAUSED]
    assert run_slot("test-echo", DAY) is None  # the scheduler's entry point skips a paused job


def test_cancel_kills_the_kernel(db: TestDatabase) -> None:
    cancel = threading.Event()
    threading.Timer(2.0, cancel.set).start()
    view = run_job("test-echo", business_date=DAY, params={"sleep_seconds": 60}, cancel=cancel)
    assert view.status == RunStatus.FAILED and "cancelled" in (view.error or "")
    assert _kernels() == []


def test_requests_are_validated_and_authorized(db: TestDatabase) -> None:
    make_ventures("AFL")
    with pytest.raises(NotFound):
        run_job("no-such-job")
    with pytest.raises(Invalid) as err:
        run_job("test-echo", venture="ZZZ")
    assert "venture" in err.value.fields
    with pytest.raises(Invalid) as err:
        run_job("housekeeping", venture="AFL")
    assert "venture" in err.value.fields
    with pytest.raises(Invalid) as err:
        run_job("test-echo", params={"run_id": "mine"})
    assert "run_id" in err.value.fields
    with pytest.raises(Forbidden):
        run_job("test-echo", actor=actor_with_role("COO"))  # reads jobs, does not run them
    with read_only() as uow:
        assert uow.session.execute(select(JobRun)).first() is None  # nothing half-written


def test_run_now_in_the_background_for_the_web_app(db: TestDatabase) -> None:
    import time

    from domain.jobs.queries import get_run
    from domain.jobs.runner import start_run

    make_ventures("AFL")
    admin = actor_with_role("ADMIN")
    with pytest.raises(Invalid):  # bad input fails at once, before any thread
        start_run("test-echo", actor=admin, venture="ZZZ")  # type: ignore[arg-type]
    run_id = start_run("test-echo", actor=admin, business_date=DAY)  # type: ignore[arg-type]
    seen = set()
    deadline = time.monotonic() + 60
    while True:
        with read_only() as uow:
            try:
                run = get_run(uow, admin, run_id).run  # type: ignore[arg-type]
            except NotFound:  # the moment before it takes its lock
                run = None
        if run is not None:
            seen.add(run.status)
            if run.finished:
                break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert run.status == RunStatus.SUCCEEDED and RunStatus.RUNNING in seen
    assert run.triggered_by == TriggeredBy.USER
    assert run.triggered_by_user_id == admin.user_id  # type: ignore[attr-defined]
