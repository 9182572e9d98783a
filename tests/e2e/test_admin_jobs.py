"""/admin/jobs in the browser: the CEO runs kpi-aggregate now (dry run), watches its progress
while the page stays usable, sees it succeed, opens its HTML report in a new tab; screenshots of
the page in both themes (test-artifacts/screenshots/)."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1440, "height": 900}
RUN_TIMEOUT = 120_000
BAD_TEXT = (r"\bNone\b", r"\bundefined\b", r"\bnull\b", r"\[object ", r"\{['\"]", r"\bNaN\b")


def _no_raw_values(page: Page, where: str) -> None:
    body = page.locator("body").inner_text()
    for bad in BAD_TEXT:
        assert not re.search(bad, body), f"{bad!r} on {where}"


def _open_jobs(page: Page) -> None:
    page.goto("/admin/jobs")
    wait_ready(page)
    expect(page.locator("#jobs-table")).to_be_visible(timeout=TIMEOUT)


def test_ceo_runs_kpi_aggregate_now_and_opens_its_report(
    browser: Browser, base_url: str, screenshots_dir: Path
) -> None:
    context = browser.new_context(base_url=base_url, color_scheme="light", viewport=VIEWPORT)
    try:
        page = context.new_page()
        login(page, "ceo@vcc.example")
        _open_jobs(page)
        expect(page.locator(".job-row[data-job='kpi-aggregate']")).to_be_visible()
        expect(page.locator(".job-row[data-job='housekeeping']")).to_be_visible()
        expect(page.locator("#jobs-overall-badge")).to_have_attribute(
            "data-status", re.compile(r"^(ok|degraded|failing)$")
        )

        # Run now: the dialog, the job, a dry run.
        page.locator("#run-now").click()
        dialog = page.locator("#run-dialog")
        expect(dialog).to_be_visible()
        page.locator("#run-job").click()
        page.get_by_role("option", name="KPI aggregation (kpi-aggregate)").click()
        expect(page.locator("#run-venture")).to_be_visible()
        page.locator("#run-dry").check()
        page.locator("#run-start").click()
        expect(dialog).to_be_hidden(timeout=TIMEOUT)

        active = page.locator("#active-runs .active-run").last
        expect(active).to_be_visible(timeout=TIMEOUT)
        run_id = active.get_attribute("data-run-id") or ""
        assert re.fullmatch(r"\d{8}T\d{6}-[0-9a-f]{8}", run_id), run_id

        # While it runs the page answers other events: filter the runs table.
        page.locator("#runs-apply").click()

        # Progress: RUNNING with cells done out of the notebook's cells, then SUCCEEDED.
        seen: set[str] = set()
        deadline = time.monotonic() + RUN_TIMEOUT / 1000
        while time.monotonic() < deadline:
            status = active.get_attribute("data-status") or ""
            progress = active.locator(".active-progress").inner_text()
            seen.add(f"{status}: {progress}")
            if status != "RUNNING":
                break
            time.sleep(0.1)
        assert any(re.match(r"RUNNING: \d+ of \d+ cells", s) for s in seen), seen
        expect(active).to_have_attribute("data-status", "SUCCEEDED")
        expect(active.locator(".active-status")).to_have_text("Succeeded")
        expect(page.get_by_text(re.compile(r"kpi-aggregate succeeded in"))).to_be_visible(
            timeout=TIMEOUT
        )
        row = page.locator(f"#runs-table .run-row[data-run-id='{run_id}']")
        expect(row).to_have_attribute("data-status", "SUCCEEDED", timeout=TIMEOUT)
        expect(row.locator(".run-status")).to_have_text("Succeeded")
        expect(page.locator(".job-row[data-job='kpi-aggregate'] .job-running")).to_have_count(0)

        expect(row.locator(".run-report")).to_have_attribute(
            "href", f"/api/v1/admin/jobs/runs/{run_id}/html"
        )
        expect(row.locator(".run-report")).to_have_attribute("target", "_blank")

        # The closing toast links to the report, which opens in a new tab (the session cookie
        # authenticates the API).
        toast = page.locator("[data-sonner-toast][data-type='success']").filter(
            has_text="kpi-aggregate succeeded"
        )
        with context.expect_page() as opened:
            toast.get_by_role("button", name="Open report").click()
        report = opened.value
        report.wait_for_load_state()
        assert report.url.endswith(f"/api/v1/admin/jobs/runs/{run_id}/html"), report.url
        expect(report.locator("body")).to_contain_text("KPI aggregation", timeout=TIMEOUT)
        expect(report.locator("body")).to_contain_text(run_id)
        report.screenshot(path=str(screenshots_dir / "admin-jobs-report-ceo-light.png"))
        report.close()

        # The run's detail dialog.
        row.locator(".run-id").click()
        detail = page.locator("#run-detail")
        expect(detail).to_be_visible()
        expect(page.locator("#detail-status")).to_have_text("Succeeded")
        page.wait_for_timeout(400)  # the dialog's opening animation
        page.screenshot(path=str(screenshots_dir / "admin-jobs-detail-ceo-light.png"))
        page.locator("#detail-close").click()
        expect(detail).to_be_hidden()

        page.wait_for_load_state("networkidle")
        _no_raw_values(page, "/admin/jobs (light)")
        shot = screenshots_dir / "admin-jobs-run-now-ceo-light.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()


@pytest.fixture(scope="module")
def troubled_jobs(e2e_database_url: str) -> dict[str, str]:
    """Rows for the states the page must show: a failed live housekeeping run with its error
    and failing cell, a run stuck past its timeout, and an open alert."""
    from domain import clock
    from domain.db import get_engine, unit_of_work
    from domain.jobs.alerts import raise_alert
    from domain.jobs.models import AlertKind, JobRun, RunStatus, TriggeredBy

    now = clock.now()
    day = clock.today("America/New_York")
    failed = f"{now:%Y%m%dT%H%M%S}-e2efa11d"
    stuck = f"{now:%Y%m%dT%H%M%S}-e2e57c4c"
    with unit_of_work(get_engine(e2e_database_url)) as uow:
        uow.session.add(
            JobRun(
                run_id=failed,
                job="housekeeping",
                business_date=day - timedelta(days=1),
                status=RunStatus.FAILED,
                triggered_by=TriggeredBy.SCHEDULE,
                lock_key=f"housekeeping:all:{day - timedelta(days=1)}",
                timeout_seconds=900,
                started_at=now - timedelta(hours=20),
                ended_at=now - timedelta(hours=20) + timedelta(seconds=4),
                cells_total=6,
                cells_done=3,
                error="OperationalError: database is locked",
                error_cell="cell [3]: report = task.sweep(ctx.business_date, dry_run=ctx.dry_run)",
            )
        )
        uow.session.add(
            JobRun(
                run_id=stuck,
                job="housekeeping",
                business_date=day,
                status=RunStatus.RUNNING,
                triggered_by=TriggeredBy.SCHEDULE,
                lock_key=f"housekeeping:all:{day}",
                timeout_seconds=900,
                started_at=now - timedelta(minutes=40),
                cells_total=6,
                cells_done=4,
            )
        )
        raise_alert(
            uow,
            AlertKind.JOB_PAUSED,
            job="housekeeping",
            title="housekeeping paused after 3 consecutive failures",
            message="The scheduler will not run housekeeping until it is resumed.",
            run_id=failed,
        )
    return {"failed": failed, "stuck": stuck}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_jobs_page_shows_failures_stuck_runs_and_alerts(
    browser: Browser,
    base_url: str,
    screenshots_dir: Path,
    troubled_jobs: dict[str, str],
    scheme: str,
) -> None:
    context = browser.new_context(base_url=base_url, color_scheme=scheme, viewport=VIEWPORT)
    try:
        page = context.new_page()
        login(page, "ceo@vcc.example")
        _open_jobs(page)
        expect(page.locator("#jobs-overall-badge")).to_have_attribute("data-status", "degraded")
        house = page.locator(".job-row[data-job='housekeeping']")
        expect(house.locator(".job-stuck")).to_be_visible()
        expect(house.locator(".job-failure-error")).to_have_text(
            "OperationalError: database is locked"
        )
        expect(house.locator(".job-running")).to_contain_text("4 of 6 cells")
        expect(page.locator("#jobs-alerts .alert-row")).to_have_count(1)
        page.wait_for_load_state("networkidle")
        _no_raw_values(page, f"/admin/jobs ({scheme})")
        page.screenshot(path=str(screenshots_dir / f"admin-jobs-ceo-{scheme}.png"), full_page=True)
        if scheme == "dark":
            page.locator("#run-now").click()
            expect(page.locator("#run-dialog")).to_be_visible()
            page.wait_for_timeout(400)  # the dialog's opening animation
            page.screenshot(path=str(screenshots_dir / "admin-jobs-run-dialog-ceo-dark.png"))
    finally:
        context.close()


def test_ceo_acknowledges_an_alert_and_pauses_and_resumes_a_job(
    page: Page, troubled_jobs: dict[str, str]
) -> None:
    page.set_viewport_size(VIEWPORT)
    login(page, "ceo@vcc.example")
    _open_jobs(page)
    page.locator("#jobs-alerts .alert-ack").first.click()
    expect(page.locator("#jobs-alerts")).to_have_count(0, timeout=TIMEOUT)
    expect(page.get_by_text(re.compile(r"^Acknowledged: housekeeping paused"))).to_be_visible()

    kpi = page.locator(".job-row[data-job='kpi-aggregate']")
    kpi.locator(".job-pause").click()
    confirm = page.locator("#job-confirm")
    expect(confirm).to_contain_text("Pause kpi-aggregate?")
    expect(confirm).to_contain_text("The scheduler stops running KPI aggregation (kpi-aggregate)")
    page.locator("#pause-reason").fill("freight data being corrected")
    page.locator("#job-confirm-confirm").click()
    expect(kpi.locator(".job-paused")).to_be_visible(timeout=TIMEOUT)
    expect(kpi).to_contain_text("freight data being corrected")
    kpi.locator(".job-resume").click()
    expect(confirm).to_contain_text("Resume kpi-aggregate?")
    page.locator("#job-confirm-confirm").click()
    expect(kpi.locator(".job-paused")).to_have_count(0, timeout=TIMEOUT)
    expect(kpi.locator(".job-pause")).to_be_visible()


def test_the_coo_and_finance_are_refused_the_page_and_its_api(
    browser: Browser, base_url: str
) -> None:
    """Job health is the global admins' (jobs-and-notebooks.md); both roles have the Admin section
    for its other pages, the page typed by hand answers "no access"."""
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
    try:
        page = context.new_page()
        for email in ("coo@vcc.example", "finance@vcc.example"):
            context.clear_cookies()
            login(page, email)
            page.goto("/admin/jobs")
            expect(page.locator("#forbidden")).to_be_visible(timeout=TIMEOUT)
            expect(page.locator("#run-now")).to_have_count(0)
            resp = page.request.get("/api/v1/admin/jobs/health")
            assert resp.status == 403 and resp.json()["error"]["code"] == "forbidden"
    finally:
        context.close()
