"""/admin/jobs at the state level: who may open it, what a client calling the handlers directly
can do (an EMPLOYEE, or the COO, whose role does not have the page: nothing is written), and the
CEO's flow through the real runner (run now with progress until SUCCEEDED, verify, detail, pause /
resume, acknowledge an alert)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from domain import clock
from domain.access.models import AuditLog
from domain.db import read_only, unit_of_work
from domain.jobs.alerts import raise_alert
from domain.jobs.models import (
    Alert,
    AlertKind,
    JobRun,
    JobState,
    JobVerification,
    RunStatus,
    TriggeredBy,
)
from rxapp.state.admin_jobs import AdminJobsState, JobRow
from tests.rx.conftest import Tab, downloaded_text, toasts

EMPLOYEE = "frontdesk.hhg@vcc.example"
DAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from domain.settings import reset_settings

    folder = tmp_path / "reports"
    monkeypatch.setenv("VCC_REPORTS_DIR", str(folder))
    reset_settings()
    yield folder
    reset_settings()


def _tab(email: str) -> Tab:
    tab = Tab("/admin/jobs")
    tab.login(email)
    return tab


def _state(tab: Tab) -> AdminJobsState:
    return tab.state(AdminJobsState)


def _snapshot() -> dict[str, Any]:
    with read_only() as uow:
        s = uow.session

        def count(model: Any, *where: Any) -> int:
            return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()

        return {
            "runs": count(JobRun),
            "states": sorted(s.execute(select(JobState.job, JobState.paused)).all()),
            "verifications": count(JobVerification),
            "acknowledged": count(Alert, Alert.acknowledged_at.is_not(None)),  # type: ignore[union-attr]
            "job_audit": count(AuditLog, AuditLog.action.startswith("job.")),
        }


def _succeeded_run() -> str:
    """A finished run row (what verify would re-execute), without running a kernel."""
    started = clock.now() - timedelta(hours=1)
    with unit_of_work() as uow:
        uow.session.add(
            JobRun(
                run_id="20261127T063000-0badc0de",
                job="kpi-aggregate",
                business_date=DAY,
                status=RunStatus.SUCCEEDED,
                triggered_by=TriggeredBy.SCHEDULE,
                lock_key=f"kpi-aggregate:all:{DAY.isoformat()}",
                timeout_seconds=1800,
                started_at=started,
                ended_at=started + timedelta(seconds=3),
            )
        )
    return "20261127T063000-0badc0de"


def _alert() -> int:
    with unit_of_work() as uow:
        row = raise_alert(
            uow,
            AlertKind.RUN_FAILED,
            job="kpi-aggregate",
            title="kpi-aggregate failed (2026-11-26, venture all)",
            message="Run x of kpi-aggregate failed: boom",
        )
        assert row.id is not None
        return row.id


def _try_everything(tab: Tab, run_id: str, alert_id: int) -> list[Any]:
    events: list[Any] = []
    events += tab.call(AdminJobsState, "open_run_dialog", "kpi-aggregate")
    events += tab.call(
        AdminJobsState,
        "start_run",
        {"job": "kpi-aggregate", "venture": "all", "business_date": "", "dry_run": "on"},
    )
    events += tab.call(AdminJobsState, "start_run", {"job": "housekeeping", "venture": "all"})
    events += tab.call(AdminJobsState, "verify", run_id)
    # Even with the job row in the state (a client cannot put it there), the domain refuses.
    _state(tab).jobs = [JobRow(job="kpi-aggregate", title="KPI aggregation")]
    events += tab.call(AdminJobsState, "ask", "pause", "kpi-aggregate")
    events += tab.call(AdminJobsState, "confirm", {"reason": "nope"})
    events += tab.call(AdminJobsState, "acknowledge", alert_id)
    return events


@pytest.mark.parametrize(
    "email",
    [
        EMPLOYEE,
        # leadership, but the page is job health: the global admins' (jobs-and-notebooks.md)
        "coo@vcc.example",
    ],
)
def test_a_reader_without_the_page_is_refused_everything_and_nothing_is_written(
    demo, email: str
) -> None:
    run_id, alert_id = _succeeded_run(), _alert()
    before = _snapshot()
    tab = _tab(email)

    tab.call(AdminJobsState, "load")
    state = _state(tab)
    assert tab.session.denied_page == "admin_jobs" and tab.session.ready_page == ""
    assert state.jobs == [] and state.runs == [] and state.alerts == []
    assert not state.can_run and not state.can_manage

    events = _try_everything(tab, run_id, alert_id)
    assert not state.run_open and state.active == []
    assert state.run_errors == ["Your role does not allow this."]
    assert any("Could not verify" in t for t in toasts(events))
    assert len([t for t in toasts(events) if "not allow" in t]) >= 3
    # The runs CSV is the domain's list of runs: none for the EMPLOYEE (refused), for the COO
    # the finance jobs' runs it reads elsewhere too (here none), not the kpi-aggregate run.
    events = tab.call(AdminJobsState, "export_csv")
    if email == EMPLOYEE:
        assert not any("download" in str(e).lower() for e in events) and toasts(events)
    else:
        assert len(list(csv.reader(io.StringIO(downloaded_text(events))))) == 1  # the header
    assert not state.exporting
    assert _snapshot() == before


def test_the_admin_reads_health_runs_alerts_and_the_runs_csv(demo) -> None:
    run_id, alert_id = _succeeded_run(), _alert()
    tab = _tab("admin@vcc.example")
    tab.call(AdminJobsState, "load")
    state = _state(tab)
    assert tab.session.ready_page == "admin_jobs"
    assert {j.job for j in state.jobs} >= {"kpi-aggregate", "housekeeping"}
    assert [r.run_id for r in state.runs] == [run_id] and state.runs[0].can_verify
    assert [a.id for a in state.alerts] == [alert_id]
    assert state.can_run and state.can_manage

    rows = list(csv.reader(io.StringIO(downloaded_text(tab.call(AdminJobsState, "export_csv")))))
    assert rows[0][:5] == ["Run", "Job", "Venture", "Business date", "Status"]
    assert [(r[0], r[4]) for r in rows[1:]] == [(run_id, "SUCCEEDED")]
    assert rows[1][8].endswith("+00:00") and rows[1][10] == "3.0"  # UTC start, duration


def test_finance_does_not_get_the_jobs_page(demo) -> None:
    tab = _tab("finance@vcc.example")
    tab.call(AdminJobsState, "load")
    assert tab.session.denied_page == "admin_jobs" and _state(tab).jobs == []
    admin = next((s for s in tab.session.nav if s.key == "admin"), None)
    assert admin is not None and "admin_jobs" not in {p.key for p in admin.pages}


def test_run_now_form_errors_come_from_the_runner(demo) -> None:
    tab = _tab("ceo@vcc.example")
    tab.call(AdminJobsState, "load")
    state = _state(tab)
    tab.call(AdminJobsState, "open_run_dialog", "kpi-aggregate")
    assert state.run_open and state.run_job == "kpi-aggregate" and state.run_takes_venture
    codes = {o.value for o in state.run_venture_options}
    # the ventures with a daily KPI table: every wing has one (SaaS MRR, holdings balances too)
    assert {"all", "AFL", "MBR", "HHG", "PBP", "LGY", "KSH"} <= codes
    assert state.run_date == (clock.today("America/New_York") - timedelta(days=1)).isoformat()
    tab.call(AdminJobsState, "choose_job", "housekeeping")
    assert (
        not state.run_takes_venture
        and state.run_date == clock.today("America/New_York").isoformat()
    )

    before = _snapshot()
    tab.call(AdminJobsState, "start_run", {"job": "kpi-aggregate", "business_date": "26/11/2026"})
    assert state.err_date == "Must be a date (YYYY-MM-DD)" and state.run_open
    tab.call(AdminJobsState, "start_run", {"job": "kpi-aggregate", "venture": "ZZZ"})
    assert state.err_venture == "No venture with code 'ZZZ'"
    tab.call(AdminJobsState, "start_run", {"job": "housekeeping", "venture": "AFL"})
    assert "always covers every venture" in state.err_venture
    tab.call(AdminJobsState, "start_run", {"job": "nope"})
    assert state.err_job == "No job named 'nope'"
    assert state.run_open and not state.run_busy and state.active == []
    assert _snapshot() == before


def test_the_ceo_runs_now_sees_it_succeed_verifies_and_pauses(demo) -> None:
    tab = _tab("ceo@vcc.example")
    tab.call(AdminJobsState, "load")
    state = _state(tab)
    assert state.overall == "ok" and state.can_run and state.can_manage

    tab.call(AdminJobsState, "open_run_dialog", "kpi-aggregate")
    events = tab.call(
        AdminJobsState,
        "start_run",
        {"job": "kpi-aggregate", "venture": "all", "business_date": "", "dry_run": "on"},
    )
    texts = toasts(events)
    assert any("Started kpi-aggregate" in t for t in texts)
    assert any("kpi-aggregate succeeded" in t and "Open report" in t for t in texts), texts
    [active] = state.active
    assert active.status == "SUCCEEDED" and active.done and active.pct == 100
    assert active.html_url == f"/api/v1/admin/jobs/runs/{active.run_id}/html"
    assert not state.run_open and not state.run_busy
    run = state.runs[0]
    assert (run.run_id, run.status, run.dry_run, run.trigger) == (
        active.run_id,
        "SUCCEEDED",
        True,
        "Run now",
    )
    assert run.html_url and run.manifest_url and run.notebook_url and run.can_verify

    tab.call(AdminJobsState, "open_detail", run.run_id)
    assert state.detail_open and state.d_status_label == "Succeeded"
    params = {f.label: f.value for f in state.d_parameters}
    assert params["Dry run"] == "yes" and params["Venture"] == "All ventures"
    assert params["Business date"] == clock.format_business_date(
        clock.today("America/New_York") - timedelta(days=1)
    )
    assert {f.label for f in state.d_summary} >= {"Rows", "Ventures"}

    events = tab.call(AdminJobsState, "verify", run.run_id)
    assert any("verified" in t.lower() for t in toasts(events)), toasts(events)
    verified = next(r for r in state.runs if r.run_id == run.run_id)
    assert verified.verification == "Verified" and state.verifying == []

    tab.call(AdminJobsState, "ask", "pause", "kpi-aggregate")
    assert state.confirm_open and state.confirm_title == "Pause kpi-aggregate?"
    tab.call(AdminJobsState, "confirm", {"reason": "freight data being corrected"})
    row = next(j for j in state.jobs if j.job == "kpi-aggregate")
    assert row.paused and "freight data being corrected" in row.paused_note
    tab.call(AdminJobsState, "ask", "resume", "kpi-aggregate")
    tab.call(AdminJobsState, "confirm", {})
    assert not next(j for j in state.jobs if j.job == "kpi-aggregate").paused

    alert_id = _alert()
    tab.call(AdminJobsState, "refresh")
    assert [a.id for a in state.alerts] == [alert_id] and state.open_alerts == 1
    tab.call(AdminJobsState, "acknowledge", alert_id)
    assert state.alerts == [] and state.open_alerts == 0

    tab.call(AdminJobsState, "apply_filters", {"job": "housekeeping", "status": "all"})
    assert state.runs == []
    tab.call(AdminJobsState, "clear_filters")
    assert len(state.runs) == 2  # the dry run and its verify re-execution


def test_run_times_are_shown_in_the_viewer_timezone(demo) -> None:
    """Like every page (ui.md): a run started at 12:00 UTC reads 17:30 in Kolkata."""
    with clock.frozen(clock.now().replace(hour=12, minute=0, second=0, microsecond=0)):
        _succeeded_run()  # started an hour before the frozen now: 11:00 UTC
        tab = _tab("admin@vcc.example")
        tab.session.browser_timezone = "Asia%2FKolkata"
        tab.call(AdminJobsState, "load")
        state = _state(tab)
        assert state.tz_label == "IST"
        assert state.runs[0].started.endswith("16:30")
        assert state.runs[0].started_full.endswith("16:30 IST")
