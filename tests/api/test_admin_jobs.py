"""``/api/v1/admin/jobs``: health in each state (ok, degraded after one failure, failing after
three, stuck), who may read it, the runs list and detail, and each run's files (HTML report,
manifest, notebook) with their scope rules. Runs are real: the runner executes the tiny fixture
notebook of tests/integration/jobs in a real kernel; reports go to a temp folder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.jobs import registry
from domain.jobs.models import Alert, JobRun, JobState, RunStatus, TriggeredBy
from domain.jobs.registry import JobSpec
from domain.jobs.runner import run_job
from tests.api.conftest import as_user, assert_error
from tests.integration.jobs.testjobs import NOTEBOOK, venture_inputs

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

DAY = date(2026, 11, 26)
CEO, ADMIN, COO = "ceo@vcc.example", "admin@vcc.example", "coo@vcc.example"
FINANCE, FINANCE_INDIA, CSR = (
    "finance@vcc.example",
    "finance.india@vcc.example",
    "csr.afl@vcc.example",
)
BASE = "/api/v1/admin/jobs"

# A finance job (FINANCE sees its runs for the ventures in their scope), per venture.
FINANCE_JOB = JobSpec(
    name="test-finance",
    title="Test finance job",
    notebook=NOTEBOOK,
    timeout_seconds=60,
    inputs=venture_inputs,
    finance_visible=True,
)


@pytest.fixture(autouse=True)
def jobs_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Reports in a temp folder; the fixture jobs registered (and removed afterwards)."""
    from domain.jobs.config import reset_job_settings
    from domain.settings import reset_settings
    from tests.integration.jobs import testjobs

    reports = tmp_path / "reports"
    monkeypatch.setenv("VCC_REPORTS_DIR", str(reports))
    monkeypatch.setenv("VCC_ALERT_EMAILS", "ops@example.com")
    reset_settings()
    reset_job_settings()
    testjobs.register_all()
    registry.register(FINANCE_JOB)
    yield reports
    testjobs.unregister_all()
    registry.unregister(FINANCE_JOB.name)
    reset_settings()
    reset_job_settings()


def _health(client: TestClient, email: str = CEO) -> dict[str, Any]:
    resp = client.get(f"{BASE}/health", headers=as_user(email))
    assert resp.status_code == 200, resp.text
    return resp.json()


def _job(health: dict[str, Any], name: str) -> dict[str, Any]:
    return next(j for j in health["jobs"] if j["job"] == name)


def _echo_failure() -> str:
    view = run_job("test-echo", business_date=DAY, params={"fail": True})
    assert view.status == RunStatus.FAILED, view.error
    return view.run_id


# -- health ---------------------------------------------------------------------------------------


def test_health_ok_then_degraded_after_one_failure_then_failing_after_three(
    org_demo: TestDatabase, client: TestClient
) -> None:
    h = _health(client)
    assert h["status"] == "ok" and h["open_alerts"] == 0
    assert {"housekeeping", "kpi-aggregate", "test-echo"} <= {j["job"] for j in h["jobs"]}
    kpi = _job(h, "kpi-aggregate")
    assert kpi["schedule"] == "30 7 * * *" and kpi["next_run_at"] and not kpi["paused"]
    assert h["outbox"]["available"] and h["outbox"]["dead"] == 0

    ok = run_job("test-echo", business_date=DAY)
    assert ok.status == RunStatus.SUCCEEDED, ok.error
    echo = _job(_health(client), "test-echo")
    assert echo["status"] == "ok" and echo["last_success_run_id"] == ok.run_id
    assert echo["last_run"]["run_id"] == ok.run_id and echo["last_run"]["status"] == "SUCCEEDED"

    first = _echo_failure()
    h = _health(client)
    echo = _job(h, "test-echo")
    assert (h["status"], echo["status"], echo["consecutive_failures"]) == (
        "degraded",
        "degraded",
        1,
    )
    assert echo["last_failure"]["run_id"] == first
    assert echo["last_failure"]["error"] == "RuntimeError: asked to fail"
    assert echo["last_failure"]["error_cell"]  # the failing cell is named
    assert echo["last_success_run_id"] == ok.run_id
    assert h["open_alerts"] == 1  # test-echo is critical: its failure alerts

    _echo_failure()
    assert _job(_health(client), "test-echo")["consecutive_failures"] == 2
    _echo_failure()
    h = _health(client)
    echo = _job(h, "test-echo")
    assert (h["status"], echo["status"], echo["consecutive_failures"]) == ("failing", "failing", 3)
    # The runner paused it after the third failure: no next run, and an alert says so.
    assert echo["paused"] and "3 consecutive failures" in echo["paused_reason"]
    assert echo["next_run_at"] is None
    assert h["open_alerts"] == 4  # three failures and the pause


def test_health_shows_a_run_past_its_timeout_as_stuck(
    org_demo: TestDatabase, client: TestClient
) -> None:
    started = clock.now() - timedelta(minutes=10)
    with unit_of_work() as uow:
        uow.session.add(
            JobRun(
                run_id="20261127T070000-deadbeef",
                job="test-sleepy",
                business_date=DAY,
                status=RunStatus.RUNNING,
                triggered_by=TriggeredBy.SCHEDULE,
                lock_key=f"test-sleepy:all:{DAY.isoformat()}",
                timeout_seconds=60,
                started_at=started,
                cells_total=5,
                cells_done=2,
            )
        )
    h = _health(client)
    job = _job(h, "test-sleepy")
    assert h["status"] == "degraded" and job["status"] == "degraded" and job["stuck"]
    [running] = job["running"]
    assert running["run_id"] == "20261127T070000-deadbeef" and running["stuck"]
    assert (running["cells_done"], running["cells_total"]) == (2, 5)
    assert "longer than its timeout (60 s)" in running["stuck_reason"]
    assert running["running_seconds"] >= 600


def test_health_is_for_global_admins(org_demo: TestDatabase, client: TestClient) -> None:
    """jobs-and-notebooks.md: "GET /api/v1/admin/jobs/health (global admins ...)"."""
    for email in (CEO, ADMIN):
        assert client.get(f"{BASE}/health", headers=as_user(email)).status_code == 200
    for email in (COO, FINANCE, CSR):
        assert_error(client.get(f"{BASE}/health", headers=as_user(email)), 403, "forbidden")
    resp = client.get(f"{BASE}/health")
    assert_error(resp, 401, "unauthenticated")
    assert resp.headers["www-authenticate"].startswith("Bearer")
    assert_error(
        client.get(f"{BASE}/health", headers={"Authorization": "Bearer forged"}),
        401,
        "unauthenticated",
    )


# -- runs -----------------------------------------------------------------------------------------


def test_runs_list_filters_pages_and_detail(org_demo: TestDatabase, client: TestClient) -> None:
    ok = run_job("test-echo", business_date=DAY)
    dry = run_job("test-echo", business_date=DAY, dry_run=True)
    assert ok.status == dry.status == RunStatus.SUCCEEDED
    ceo = as_user(CEO)

    resp = client.get(f"{BASE}/runs", headers=ceo)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [r["run_id"] for r in body["items"]] == [dry.run_id, ok.run_id]  # newest first
    assert body["has_more"] is False and body["next_cursor"] is None

    page1 = client.get(f"{BASE}/runs", params={"limit": 1}, headers=ceo).json()
    assert [r["run_id"] for r in page1["items"]] == [dry.run_id] and page1["has_more"]
    page2 = client.get(
        f"{BASE}/runs", params={"limit": 1, "cursor": page1["next_cursor"]}, headers=ceo
    ).json()
    assert [r["run_id"] for r in page2["items"]] == [ok.run_id] and not page2["has_more"]

    live = client.get(f"{BASE}/runs", params={"include_dry_runs": "false"}, headers=ceo).json()
    assert [r["run_id"] for r in live["items"]] == [ok.run_id]
    none = client.get(
        f"{BASE}/runs", params={"job": "kpi-aggregate", "status": "SUCCEEDED"}, headers=ceo
    ).json()
    assert none["items"] == []
    assert_error(
        client.get(f"{BASE}/runs", params={"status": "BOGUS"}, headers=ceo), 400, "invalid"
    )
    assert_error(client.get(f"{BASE}/runs", params={"cursor": "x"}, headers=ceo), 400, "invalid")

    detail = client.get(f"{BASE}/runs/{ok.run_id}", headers=ceo).json()
    assert detail["run"]["status"] == "SUCCEEDED" and detail["run"]["html_path"]
    assert detail["run"]["parameters"]["business_date"] == DAY.isoformat()
    assert detail["verifications"] == []
    assert_error(client.get(f"{BASE}/runs/20990101T000000-00000000", headers=ceo), 404, "not_found")
    assert_error(client.get(f"{BASE}/runs/not%20an%20id", headers=ceo), 400, "invalid")

    # FINANCE reads only finance jobs' runs (none here); other roles not at all.
    fin = client.get(f"{BASE}/runs", headers=as_user(FINANCE))
    assert fin.status_code == 200 and fin.json()["items"] == []
    assert_error(client.get(f"{BASE}/runs/{ok.run_id}", headers=as_user(FINANCE)), 404, "not_found")
    assert_error(client.get(f"{BASE}/runs", headers=as_user(CSR)), 403, "forbidden")
    assert_error(client.get(f"{BASE}/runs"), 401, "unauthenticated")


def test_the_html_report_opens_in_the_browser_with_the_session_cookie(
    org_demo: TestDatabase, client: TestClient
) -> None:
    from tests.api.conftest import session_token

    run = run_job("test-echo", business_date=DAY)
    assert run.status == RunStatus.SUCCEEDED, run.error
    client.cookies.set("vcc_session", session_token(CEO))
    try:
        resp = client.get(f"{BASE}/runs/{run.run_id}/html")
    finally:
        client.cookies.clear()
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("text/html")
    assert resp.headers["content-security-policy"].startswith("sandbox")
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "inline" in resp.headers["content-disposition"]
    assert "<html" in resp.text.lower() and "test-echo" in resp.text
    assert run.run_id in resp.text  # the context banner names the run

    ceo = as_user(CEO)
    manifest = client.get(f"{BASE}/runs/{run.run_id}/manifest", headers=ceo)
    assert manifest.status_code == 200 and manifest.headers["content-type"] == "application/json"
    doc = manifest.json()
    assert doc["run_id"] == run.run_id and doc["status"] == "SUCCEEDED"
    assert doc["output_hash"] == run.output_hash

    notebook = client.get(f"{BASE}/runs/{run.run_id}/notebook", headers=ceo)
    assert notebook.status_code == 200
    assert notebook.headers["content-disposition"].startswith("attachment")
    assert f"{run.run_id}.ipynb" in notebook.headers["content-disposition"]
    assert json.loads(notebook.content)["nbformat"] == 4

    for kind in ("html", "manifest", "notebook"):
        url = f"{BASE}/runs/{run.run_id}/{kind}"
        assert_error(client.get(url, headers=as_user(FINANCE)), 404, "not_found")  # not finance's
        assert_error(client.get(url, headers=as_user(CSR)), 403, "forbidden")
        assert_error(client.get(url), 401, "unauthenticated")
        unknown = f"{BASE}/runs/20990101T000000-00000000/{kind}"
        assert_error(client.get(unknown, headers=ceo), 404, "not_found")


def test_finance_opens_finance_runs_of_its_ventures_only(
    org_demo: TestDatabase, client: TestClient
) -> None:
    run = run_job("test-finance", business_date=DAY, venture="AFL")
    assert run.status == RunStatus.SUCCEEDED, run.error
    url = f"{BASE}/runs/{run.run_id}/html"
    assert client.get(url, headers=as_user(FINANCE)).status_code == 200  # AFL is theirs
    assert_error(client.get(url, headers=as_user(FINANCE_INDIA)), 404, "not_found")  # PBP only
    listed = client.get(f"{BASE}/runs", headers=as_user(FINANCE_INDIA)).json()
    assert listed["items"] == []
    assert_error(client.get(f"{BASE}/health", headers=as_user(FINANCE)), 403, "forbidden")


def test_a_file_outside_the_reports_folder_or_missing_is_not_served(
    org_demo: TestDatabase, client: TestClient, tmp_path: Path
) -> None:
    run = run_job("test-echo", business_date=DAY)
    secret = tmp_path / "secret.html"
    secret.write_text("<p>not a report</p>")
    with unit_of_work() as uow:
        row = uow.session.execute(select(JobRun).where(JobRun.run_id == run.run_id)).scalar_one()
        row.html_path = "../secret.html"  # resolves outside the reports folder
        row.manifest_path = "kpi-aggregate/nowhere.manifest.json"  # missing
    ceo = as_user(CEO)
    assert_error(client.get(f"{BASE}/runs/{run.run_id}/html", headers=ceo), 404, "not_found")
    assert_error(client.get(f"{BASE}/runs/{run.run_id}/manifest", headers=ceo), 404, "not_found")
    # Nothing here changed any job state.
    with read_only() as uow:
        assert uow.session.execute(select(JobState)).all() == []
        assert uow.session.execute(select(Alert)).all() == []


def test_the_openapi_document_lists_the_jobs_routes(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/health", "/runs", "/runs/{run_id}", "/runs/{run_id}/html"):
        assert f"{BASE}{p}" in paths
    assert f"{BASE}/runs/{{run_id}}/manifest" in paths
    assert f"{BASE}/runs/{{run_id}}/notebook" in paths
