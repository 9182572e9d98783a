"""/admin/jobs: job health (overall and per job), open alerts, the outbox, recent runs with their
reports, and the operator's actions: run now, verify a run, pause / resume a job, acknowledge an
alert.

Every handler re-resolves the Actor and calls ``domain.jobs``; the domain decides
(``admin.jobs.read`` to see the page, ``admin.jobs.run`` to run and verify,
``admin.jobs.manage`` to pause, resume and acknowledge). The ``can_*`` flags only choose which
buttons to show.

Slow work never runs on the event loop: "Run now" is a background event that asks
``runner.start_run`` for a run id (the run itself goes on in a thread of the runner), then polls
``queries.get_run`` every second, showing RUNNING with its cells done until the run ends; "Verify"
runs ``verify.verify_run`` in a worker thread. Reads for a refresh also run in a worker thread
(``_fetch``), and only the assignment of their result holds the state lock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

import reflex as rx
from reflex_components_sonner.toast import ToastAction

from domain import clock
from domain.access.actor import Actor
from domain.db import read_only, unit_of_work
from domain.errors import DomainError, Invalid, NotFound
from domain.jobs import runner
from domain.jobs.alerts import AlertView, acknowledge_alert, list_alerts
from domain.jobs.health import JobHealthView, JobsHealthView, job_health
from domain.jobs.models import RunStatus, TriggeredBy, VerificationStatus
from domain.jobs.queries import RunDetailView, RunFilter, RunView, get_run, list_runs
from domain.jobs.registry import get_job
from domain.jobs.services import JobView, list_jobs, pause_job, resume_job
from domain.jobs.verify import verify_run
from domain.org.queries import list_ventures
from domain.settings import get_settings
from rxapp.export import CsvExport, ExportPlan, csv_time
from rxapp.format import fmt_date, fmt_datetime, humanize_key, timezone_label, viewer_timezone
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.run_compare import RunCompare
from rxapp.state.session import SessionState

PAGE_KEY = "admin_jobs"
PAGE_SIZE = 20
POLL_SECONDS = 1.0
API = "/api/v1/admin/jobs/runs"

HEALTH_LABELS = {"ok": "OK", "degraded": "Degraded", "failing": "Failing"}
HEALTH_COLORS = {"ok": "green", "degraded": "amber", "failing": "red"}
HEALTH_ICONS = {"ok": "circle-check", "degraded": "triangle-alert", "failing": "circle-x"}
RUN_LABELS = {
    RunStatus.RUNNING: "Running",
    RunStatus.SUCCEEDED: "Succeeded",
    RunStatus.FAILED: "Failed",
    RunStatus.TIMED_OUT: "Timed out",
    RunStatus.SKIPPED_LOCKED: "Skipped (locked)",
}
RUN_COLORS = {
    RunStatus.RUNNING: "blue",
    RunStatus.SUCCEEDED: "green",
    RunStatus.FAILED: "red",
    RunStatus.TIMED_OUT: "orange",
    RunStatus.SKIPPED_LOCKED: "gray",
}
RUN_ICONS = {
    RunStatus.RUNNING: "loader",
    RunStatus.SUCCEEDED: "circle-check",
    RunStatus.FAILED: "circle-x",
    RunStatus.TIMED_OUT: "timer-off",
    RunStatus.SKIPPED_LOCKED: "lock",
}
VERIFY_LABELS = {
    VerificationStatus.VERIFIED: "Verified",
    VerificationStatus.INPUTS_CHANGED: "Inputs changed",
    VerificationStatus.MISMATCH: "Mismatch",
    VerificationStatus.ERROR: "Verify failed",
}
VERIFY_COLORS = {
    VerificationStatus.VERIFIED: "green",
    VerificationStatus.INPUTS_CHANGED: "amber",
    VerificationStatus.MISMATCH: "red",
    VerificationStatus.ERROR: "red",
}
TRIGGER_LABELS = {
    TriggeredBy.SCHEDULE: "Schedule",
    TriggeredBy.USER: "Run now",
    TriggeredBy.CLI: "Command line",
    TriggeredBy.VERIFY: "Verify",
}
ALERT_LABELS = {
    "RUN_FAILED": "Run failed",
    "RUN_TIMED_OUT": "Run timed out",
    "JOB_PAUSED": "Job paused",
    "VERIFY_MISMATCH": "Verify mismatch",
    "APPROVED_INPUTS_CHANGED": "Approved payouts: inputs changed",
}
RUN_FIELDS = {"job": "Job", "business_date": "Business date", "venture": "Venture"}


# -- rows (what the page renders; plain strings, never raw values) ---------------------------------


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


@dataclasses.dataclass
class JobRow:
    job: str = ""
    title: str = ""
    description: str = ""
    critical: bool = False
    status: str = "ok"
    status_label: str = ""
    status_color: str = "gray"
    status_icon: str = "circle"
    paused: bool = False
    paused_note: str = ""
    failures: int = 0
    has_last_run: bool = False
    last_run_at: str = ""
    last_run_full: str = ""
    last_run_label: str = ""
    last_run_color: str = "gray"
    last_run_id: str = ""
    has_success: bool = False
    last_success_at: str = ""
    last_success_full: str = ""
    has_failure: bool = False
    failure_at: str = ""
    failure_full: str = ""
    failure_label: str = ""
    failure_error: str = ""
    failure_error_short: str = ""
    failure_cell: str = ""
    failure_run_id: str = ""
    failure_html: str = ""
    running: bool = False
    running_since: str = ""
    running_progress: str = ""
    running_pct: int = 0
    stuck: bool = False
    stuck_reason: str = ""
    schedule: str = ""
    next_run: str = ""
    next_run_full: str = ""


@dataclasses.dataclass
class RunRow:
    run_id: str = ""
    job: str = ""
    venture: str = ""
    business_date: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    status_icon: str = "circle"
    running: bool = False
    progress: str = ""
    pct: int = 0
    dry_run: bool = False
    trigger: str = ""
    started: str = ""
    started_full: str = ""
    duration: str = ""
    error: str = ""
    html_url: str = ""
    manifest_url: str = ""
    notebook_url: str = ""
    verification: str = ""
    verification_color: str = "gray"
    can_verify: bool = False


@dataclasses.dataclass
class AlertRow:
    id: int = 0
    kind: str = ""
    kind_label: str = ""
    color: str = "red"
    title: str = ""
    message: str = ""
    raised: str = ""
    run_id: str = ""
    html_url: str = ""


@dataclasses.dataclass
class ProviderRow:
    """One external provider's circuit breaker (this web process's)."""

    provider: str = ""
    label: str = ""  # closed | open | half-open | fake
    color: str = "gray"
    detail: str = ""


PROVIDER_NAMES = {"fmcsa": "FMCSA", "sendgrid": "SendGrid (email)", "twilio": "Twilio (SMS)"}


def _provider_row(p: Any) -> ProviderRow:
    name = PROVIDER_NAMES.get(p.provider, p.provider)
    if not p.in_use:
        return ProviderRow(p.provider, "fake", "gray", f"{name}: the fake (demo/tests), no calls")
    if p.state == "open":
        detail = f"{name}: calls fail fast since {_when(p.opened_at)}" + (
            f"; a trial call after {_when(p.trial_at)}" if p.trial_at else ""
        )
        return ProviderRow(p.provider, "open", "red", detail)
    if p.state == "half-open":
        return ProviderRow(p.provider, "half-open", "amber", f"{name}: the next call is a trial")
    failures = f"{p.consecutive_failures} recent failure(s)" if p.consecutive_failures else "ok"
    return ProviderRow(p.provider, "closed", "green", f"{name}: {failures}")


@dataclasses.dataclass
class ActiveRun:
    """A run started from this page: its progress until it ends."""

    run_id: str = ""
    job: str = ""
    what: str = ""
    status: str = "RUNNING"
    status_label: str = "Starting"
    status_color: str = "blue"
    progress: str = "Waiting for the lock"
    pct: int = 0
    done: bool = False
    error: str = ""
    html_url: str = ""


@dataclasses.dataclass
class Fact:
    label: str = ""
    value: str = ""


@dataclasses.dataclass
class VerificationRow:
    when: str = ""
    label: str = ""
    color: str = "gray"
    message: str = ""


@dataclasses.dataclass
class Snapshot:
    """Everything one refresh reads (built in a worker thread, applied under the state lock)."""

    health: JobsHealthView
    alerts: list[AlertView]
    runs: list[RunView]
    has_more: bool
    next_cursor: str | None


# -- formatting ---------------------------------------------------------------------------------


def _when(instant: datetime | None, *, empty: str = "") -> str:
    """``Today, 07:30`` / ``Yesterday, 07:30`` / ``25 Nov 2026, 07:30`` in the viewer's timezone,
    like every time of the app (the zone is shown next to the column titles)."""
    if instant is None:
        return empty
    tz = viewer_timezone()
    local = clock.local_time(instant, tz)
    today = clock.today(tz)
    if local.date() == today:
        day = "Today"
    elif local.date() == today - timedelta(days=1):
        day = "Yesterday"
    elif local.date() == today + timedelta(days=1):
        day = "Tomorrow"
    else:
        day = clock.format_business_date(local.date())
    return f"{day}, {local:%H:%M}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def _cron(cron: str | None) -> str:
    """A readable schedule: ``30 7 * * *`` is "Daily at 07:30"; others show the expression."""
    if not cron:
        return "Not scheduled"
    parts = cron.split()
    if (
        len(parts) == 5
        and parts[2:] == ["*", "*", "*"]
        and parts[0].isdigit()
        and parts[1].isdigit()
    ):
        return f"Daily at {int(parts[1]):02d}:{int(parts[0]):02d}"
    return f"Cron {cron}"


def _short(text: str | None, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(done: int, total: int) -> int:
    return int(100 * min(done, total) / total) if total else 0


def _cells(done: int, total: int) -> str:
    return f"{min(done, total)} of {total} cells" if total else "Starting"


def _venture(code: str) -> str:
    return "All ventures" if code == "all" else code


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "":
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{humanize_key(str(k)).lower()} {_value(v)}" for k, v in value.items())
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return fmt_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _facts(values: dict[str, Any]) -> list[Fact]:
    return [
        Fact(humanize_key(str(k)), _venture(v) if k == "venture" else _value(v))
        for k, v in values.items()
    ]


def _type_of(venture: Any) -> str:
    return str(getattr(venture.type, "value", venture.type))


def _copy_active(a: Any) -> ActiveRun:
    return ActiveRun(**{f.name: getattr(a, f.name) for f in dataclasses.fields(ActiveRun)})


def _url(run_id: str, kind: str) -> str:
    return f"{API}/{run_id}/{kind}"


def _run_row(r: RunView, can_run: bool) -> RunRow:
    status = RunStatus(r.status)
    running = status == RunStatus.RUNNING
    verification = VerificationStatus(r.verification) if r.verification else None
    return RunRow(
        run_id=r.run_id,
        job=r.job,
        venture=_venture(r.venture),
        business_date=fmt_date(r.business_date),
        status=status.value,
        status_label=RUN_LABELS[status],
        status_color=RUN_COLORS[status],
        status_icon=RUN_ICONS[status],
        running=running,
        progress=_cells(r.cells_done, r.cells_total) if running else "",
        pct=_pct(r.cells_done, r.cells_total),
        dry_run=r.dry_run,
        trigger=TRIGGER_LABELS.get(TriggeredBy(r.triggered_by), str(r.triggered_by)),
        started=_when(r.started_at),
        started_full=fmt_datetime(r.started_at),
        duration=_duration(r.duration_seconds) if not running else "",
        error=_short(r.error, 160),
        html_url=_url(r.run_id, "html") if r.html_path else "",
        manifest_url=_url(r.run_id, "manifest") if r.manifest_path else "",
        notebook_url=_url(r.run_id, "notebook") if r.notebook_path else "",
        verification=VERIFY_LABELS[verification] if verification else "",
        verification_color=VERIFY_COLORS[verification] if verification else "gray",
        can_verify=(
            can_run
            and status == RunStatus.SUCCEEDED
            and TriggeredBy(r.triggered_by) != TriggeredBy.VERIFY
        ),
    )


def _job_row(j: JobHealthView) -> JobRow:
    row = JobRow(
        job=j.job,
        title=j.title,
        description=j.description,
        critical=j.critical,
        status=j.status,
        status_label=HEALTH_LABELS[j.status],
        status_color=HEALTH_COLORS[j.status],
        status_icon=HEALTH_ICONS[j.status],
        paused=j.paused,
        paused_note=_short(j.paused_reason, 160)
        + (f" (since {_when(j.paused_at)})" if j.paused_at else ""),
        failures=j.consecutive_failures,
        stuck=j.stuck,
        schedule=_cron(j.schedule),
        next_run=_when(j.next_run_at),
        next_run_full=fmt_datetime(j.next_run_at),
    )
    if j.last_run is not None:
        status = RunStatus(j.last_run.status)
        row.has_last_run = True
        row.last_run_at = _when(j.last_run.started_at)
        row.last_run_full = fmt_datetime(j.last_run.started_at)
        row.last_run_label = RUN_LABELS[status]
        row.last_run_color = RUN_COLORS[status]
        row.last_run_id = j.last_run.run_id
    if j.last_success_at is not None:
        row.has_success = True
        row.last_success_at = _when(j.last_success_at)
        row.last_success_full = fmt_datetime(j.last_success_at)
    if j.last_failure is not None:
        f = j.last_failure
        row.has_failure = True
        row.failure_at = _when(f.started_at)
        row.failure_full = fmt_datetime(f.started_at)
        row.failure_label = RUN_LABELS[RunStatus(f.status)]
        row.failure_error = f.error or "No error recorded"
        row.failure_error_short = _short(f.error or "No error recorded", 90)
        row.failure_cell = _short(f.error_cell, 90)
        row.failure_run_id = f.run_id
        row.failure_html = _url(f.run_id, "html") if f.html_path else ""
    if j.running:
        first = j.running[0]
        row.running = True
        row.running_since = "Since " + _when(first.since)
        more = f" (and {len(j.running) - 1} more runs)" if len(j.running) > 1 else ""
        row.running_progress = _cells(first.cells_done, first.cells_total) + more
        row.running_pct = _pct(first.cells_done, first.cells_total)
        stuck = next((r for r in j.running if r.stuck), None)
        row.stuck_reason = (stuck.stuck_reason or "") if stuck else ""
    return row


def _alert_row(a: AlertView) -> AlertRow:
    kind = str(a.kind)
    return AlertRow(
        id=a.id,
        kind=kind,
        kind_label=ALERT_LABELS.get(kind, humanize_key(kind.lower())),
        color="amber" if kind == "JOB_PAUSED" else "red",
        title=a.title,
        message=_short(a.message, 400),
        raised=_when(a.created_at),
        run_id=a.run_id or "",
        html_url=_url(a.run_id, "html") if a.run_id else "",
    )


# -- blocking reads (worker threads) ---------------------------------------------------------------


def _run_filter(job: str, status: str) -> RunFilter:
    return RunFilter(
        job=job if job != "all" else None,
        status=RunStatus(status) if status != "all" else None,
    )


RUNS_CSV_HEADER = (
    "Run",
    "Job",
    "Venture",
    "Business date",
    "Status",
    "Dry run",
    "Attempt",
    "Triggered by",
    "Started (UTC)",
    "Ended (UTC)",
    "Duration (s)",
    "Error",
    "Failing cell",
    "Input fingerprint",
    "Output hash",
    "Verifies run",
    "Verification",
    "Verified (UTC)",
    "Code version",
)


def _run_csv_row(r: RunView) -> list[str]:
    """The record of a run for a reviewer's spreadsheet: raw codes, hashes, UTC times."""
    return [
        r.run_id,
        r.job,
        r.venture,
        r.business_date.isoformat(),
        RunStatus(r.status).value,
        "yes" if r.dry_run else "no",
        str(r.attempt),
        TriggeredBy(r.triggered_by).value,
        csv_time(r.started_at),
        csv_time(r.ended_at),
        "" if r.duration_seconds is None else f"{r.duration_seconds:.1f}",
        r.error or "",
        r.error_cell or "",
        r.input_fingerprint or "",
        r.output_hash or "",
        r.verifies_run_id or "",
        VerificationStatus(r.verification).value if r.verification else "",
        csv_time(r.verified_at),
        r.code_version or "",
    ]


def _fetch(actor: Actor, job: str, status: str, cursor: str | None) -> Snapshot:
    filters = _run_filter(job, status)
    with read_only() as uow:
        health = job_health(uow, actor)
        alerts = list_alerts(uow, actor, open_only=True, limit=20).items
        page = list_runs(uow, actor, filters, cursor=cursor, limit=PAGE_SIZE)
    return Snapshot(health, alerts, page.items, page.has_more, page.next_cursor)


def _get_run(actor: Actor, run_id: str) -> RunDetailView:
    with read_only() as uow:
        return get_run(uow, actor, run_id)


def _jobs_and_ventures(actor: Actor) -> tuple[list[JobView], list[Any]]:
    with read_only() as uow:
        return list_jobs(uow, actor), list_ventures(uow, actor)


def _archived(job: str) -> bool:
    """Whether the job keeps its result rows (the runs "compare with the previous run" reads)."""
    try:
        return get_job(job).archive
    except NotFound:
        return False


def _parse_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid.field("business_date", "must be a date (YYYY-MM-DD)") from None


def _sentence(message: str) -> str:
    message = message.strip()
    return message[:1].upper() + message[1:] if message else message


class AdminJobsState(CursorPages, CsvExport, RunCompare, SessionState):
    # overall
    overall: str = "ok"
    overall_label: str = ""
    overall_color: str = "gray"
    overall_icon: str = "circle"
    overall_text: str = ""
    checked_at: str = ""
    tz_label: str = ""
    open_alerts: int = 0
    outbox_available: bool = False
    outbox_backlog: str = ""
    outbox_oldest: str = ""
    outbox_dead: str = ""
    dead_events: int = 0
    running_count: int = 0
    providers: list[ProviderRow] = []

    jobs: list[JobRow] = []
    alerts: list[AlertRow] = []
    runs: list[RunRow] = []
    active: list[ActiveRun] = []

    can_run: bool = False
    can_manage: bool = False

    # recent runs: filters and cursor pages
    job_options: list[Option] = []
    status_options: list[Option] = []
    f_job: str = "all"
    f_status: str = "all"
    form_key: int = 0
    refreshing: bool = False

    # "Run now" dialog
    run_open: bool = False
    run_job: str = ""
    run_date: str = ""
    run_date_help: str = ""
    run_takes_venture: bool = True
    run_venture_options: list[Option] = []
    run_dry: bool = False
    err_job: str = ""
    err_date: str = ""
    err_venture: str = ""
    run_errors: list[str] = []
    run_busy: bool = False

    # verify in progress (run ids)
    verifying: list[str] = []

    # run detail dialog
    detail_open: bool = False
    d_run_id: str = ""
    d_title: str = ""
    d_status_label: str = ""
    d_status_color: str = "gray"
    d_facts: list[Fact] = []
    d_parameters: list[Fact] = []
    d_summary: list[Fact] = []
    d_inputs: list[Fact] = []
    d_error: str = ""
    d_error_cell: str = ""
    d_verifications: list[VerificationRow] = []
    d_html_url: str = ""
    d_manifest_url: str = ""
    d_notebook_url: str = ""
    d_can_compare: bool = False  # a succeeded run of a job that archives its result rows

    # pause / resume confirmation
    confirm_open: bool = False
    confirm_action: str = ""  # pause | resume
    confirm_title: str = ""
    confirm_text: str = ""
    confirm_label: str = ""
    confirm_busy: bool = False

    _confirm_job: str = ""
    _venture_codes: dict[str, list[str]] = {}  # job -> venture codes it may run for
    _ventures: dict[str, str] = {}  # code -> name

    @rx.var
    def page_summary(self) -> str:
        if not self.runs:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Runs {start} to {start + len(self.runs) - 1}, newest first"

    # -- loading -------------------------------------------------------------------------------

    def _apply(self, snap: Snapshot, actor: Actor) -> None:
        h = snap.health
        self.overall = h.status
        self.overall_label = HEALTH_LABELS[h.status]
        self.overall_color = HEALTH_COLORS[h.status]
        self.overall_icon = HEALTH_ICONS[h.status]
        bad = [j for j in h.jobs if j.status != "ok"]
        if h.status == "ok" and not bad:
            self.overall_text = f"All {len(h.jobs)} jobs healthy"
        elif bad:
            names = ", ".join(j.job for j in bad)
            self.overall_text = f"{len(bad)} of {len(h.jobs)} jobs need a look: {names}"
        elif any(p.in_use and p.state == "open" for p in h.providers):
            self.overall_text = "A provider's circuit breaker is open: see below"
        else:
            self.overall_text = "Dead outbox events need a look"
        self.checked_at = "Checked " + _when(h.generated_at)
        self.open_alerts = h.open_alerts
        self.outbox_available = h.outbox.available
        self.outbox_backlog = f"{h.outbox.backlog or 0:,}"
        self.outbox_oldest = (
            "Oldest waiting since " + _when(h.outbox.oldest_pending_at)
            if h.outbox.oldest_pending_at
            else "Nothing waiting"
        )
        self.dead_events = h.outbox.dead or 0
        self.outbox_dead = f"{self.dead_events:,}"
        self.running_count = sum(len(j.running) for j in h.jobs)
        self.providers = [_provider_row(p) for p in h.providers]
        self.jobs = [_job_row(j) for j in h.jobs]
        self.alerts = [_alert_row(a) for a in snap.alerts]
        can_run = actor.can("admin.jobs.run")
        self.runs = [_run_row(r, can_run) for r in snap.runs]
        self._took(snap.has_more, snap.next_cursor)

    def _refresh(self, actor: Actor) -> None:
        """Synchronous refresh (short reads, for the quick handlers)."""
        self._apply(_fetch(actor, self.f_job, self.f_status, self._page_cursor()), actor)

    def _export_plan(self, actor: Actor) -> ExportPlan[RunView]:
        filters = _run_filter(self.f_job, self.f_status)
        return ExportPlan(
            "runs",
            "job-runs",
            RUNS_CSV_HEADER,
            lambda uow, cursor, size: list_runs(uow, actor, filters, cursor=cursor, limit=size),
            _run_csv_row,
        )

    def _reload_page(self, actor: Actor) -> rx.event.EventSpec | None:
        return self._safe_refresh(actor)

    def _safe_refresh(self, actor: Actor) -> rx.event.EventSpec | None:
        try:
            self._refresh(actor)
        except DomainError as exc:
            return rx.toast.error(exc.message)
        return None

    def _options(self, actor: Actor) -> None:
        self.can_run = actor.can("admin.jobs.run")
        self.can_manage = actor.can("admin.jobs.manage")
        jobs, ventures = _jobs_and_ventures(actor)
        self.job_options = [Option(j.name, f"{j.title} ({j.name})") for j in jobs]
        self.status_options = [Option(s.value, RUN_LABELS[s]) for s in RunStatus]
        active = [v for v in ventures if v.is_active]
        self._ventures = {v.code: v.name for v in active}
        codes: dict[str, list[str]] = {}
        for j in jobs:
            spec = get_job(j.name)
            if not spec.takes_venture:
                codes[j.name] = []
                continue
            types = spec.venture_types
            codes[j.name] = [
                v.code
                for v in active
                if types is None or str(getattr(v.type, "value", v.type)) in types
            ]
        self._venture_codes = codes
        self.tz_label = timezone_label()

    @rx.event
    @guarded(page=PAGE_KEY)
    def load(self, actor: Actor):
        self._first_page()
        self.run_open = self.detail_open = self.confirm_open = False
        try:
            self._options(actor)
            self._refresh(actor)
        except DomainError as exc:
            self._deny(PAGE_KEY)
            return rx.toast.error(exc.message)
        self._ready(PAGE_KEY)
        return None

    @rx.event(background=True)
    async def refresh(self):
        async with self:
            if self.refreshing:
                return
            actor = self._actor()
            bounce = self._bounce() if actor is None else None
            self.refreshing = actor is not None
            args = (self.f_job, self.f_status, self._page_cursor())
        if actor is None:
            yield bounce
            return
        try:
            snap = await asyncio.to_thread(_fetch, actor, *args)
        except DomainError as exc:
            async with self:
                self.refreshing = False
            yield rx.toast.error(exc.message)
            return
        async with self:
            self._apply(snap, actor)
            self.refreshing = False

    # -- recent runs: filters and pages --------------------------------------------------------

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        job = str(form_data.get("job") or "all")
        status = str(form_data.get("status") or "all")
        self.f_job = job if job in {o.value for o in self.job_options} else "all"
        self.f_status = status if status in {s.value for s in RunStatus} else "all"
        self._first_page()
        return self._safe_refresh(actor)

    @rx.event
    @guarded
    def clear_filters(self, actor: Actor):
        self.f_job = self.f_status = "all"
        self.form_key += 1
        self._first_page()
        return self._safe_refresh(actor)

    # -- run now -------------------------------------------------------------------------------

    def _clear_run_errors(self) -> None:
        self.err_job = self.err_date = self.err_venture = ""
        self.run_errors = []

    def _choose(self, job: str) -> None:
        names = {o.value for o in self.job_options}
        job = job if job in names else (self.job_options[0].value if self.job_options else "")
        self.run_job = job
        codes = self._venture_codes.get(job, [])
        self.run_takes_venture = bool(codes)
        self.run_venture_options = [Option("all", "All ventures")] + [
            Option(c, f"{self._ventures.get(c, c)} ({c})") for c in codes
        ]
        try:
            spec = get_job(job)
        except NotFound:
            self.run_date, self.run_date_help = "", ""
            return
        default = clock.today(get_settings().group_timezone) + timedelta(days=spec.date_offset_days)
        self.run_date = default.isoformat()
        relative = {0: "today", -1: "yesterday"}.get(spec.date_offset_days, fmt_date(default))
        self.run_date_help = f"The business date the job computes; its usual date is {relative}."

    @rx.event
    @guarded
    def open_run_dialog(self, actor: Actor, job: str = ""):
        if not actor.can("admin.jobs.run"):
            return rx.toast.error("Your role does not allow running jobs.")
        self._clear_run_errors()
        self._choose(str(job or ""))
        self.run_dry = False
        self.run_open = True
        return None

    @rx.event
    def set_run_open(self, open: bool) -> None:
        if not self.run_busy:
            self.run_open = bool(open)

    @rx.event
    def choose_job(self, job: str) -> None:
        self._clear_run_errors()
        self._choose(str(job or ""))

    def _show_run_invalid(self, exc: Invalid) -> None:
        self.run_errors = []
        for name, message in exc.fields.items():
            text = _sentence(message)
            if name == "venture":
                self.err_venture = text
            elif name == "business_date":
                self.err_date = text
            elif name == "job":
                self.err_job = text
            else:
                self.run_errors.append(f"{RUN_FIELDS.get(name, humanize_key(name))}: {message}")
        if not exc.fields:
            self.run_errors = [exc.message]

    @rx.event(background=True)
    async def start_run(self, form_data: dict[str, Any]):
        async with self:
            if self.run_busy:
                return
            actor = self._actor()
            bounce = self._bounce() if actor is None else None
            self.run_busy = actor is not None
            self._clear_run_errors()
            job = str(form_data.get("job") or self.run_job or "").strip()
            venture = str(form_data.get("venture") or "all").strip() or "all"
            raw_date = str(form_data.get("business_date") or "")
            dry_run = form_data.get("dry_run") not in (None, "", False, "off")
            self.run_dry = dry_run
        if actor is None:
            yield bounce
            return
        try:
            business_date = _parse_date(raw_date)
            run_id = await asyncio.to_thread(
                runner.start_run,
                job,
                actor=actor,
                business_date=business_date,
                venture=venture,
                dry_run=dry_run,
                triggered_by=TriggeredBy.USER,
            )
        except Invalid as exc:
            async with self:
                self._show_run_invalid(exc)
                self.run_busy = False
            return
        except NotFound as exc:
            async with self:
                if exc.entity == "job":
                    self.err_job = f"No job named {job!r}"
                else:
                    self.run_errors = [exc.message]
                self.run_busy = False
            return
        except DomainError as exc:
            async with self:
                self.run_errors = [exc.message]
                self.run_busy = False
            return
        what = " · ".join(
            p
            for p in (
                job,
                _venture(venture.upper() if venture.lower() != "all" else "all"),
                fmt_date(business_date) if business_date else "usual date",
                "dry run" if dry_run else "",
            )
            if p
        )
        async with self:
            self.run_busy = False
            self.run_open = False
            keep = [_copy_active(a) for a in self.active if not a.done][-3:]
            self.active = [*keep, ActiveRun(run_id=run_id, job=job, what=what)]
        yield rx.toast.info(f"Started {job}: run {run_id}.", duration=4000)
        async for event in _watch(self, actor, run_id, job):
            yield event

    def _update_active(self, run: RunView) -> None:
        status = RunStatus(run.status)
        updated = []
        for a in self.active:
            a = _copy_active(a)
            if a.run_id == run.run_id:
                a.status = status.value
                a.status_label = RUN_LABELS[status]
                a.status_color = RUN_COLORS[status]
                a.done = status != RunStatus.RUNNING
                a.pct = (
                    100 if status == RunStatus.SUCCEEDED else _pct(run.cells_done, run.cells_total)
                )
                a.progress = (
                    f"Finished in {_duration(run.duration_seconds)}"
                    if a.done
                    else _cells(run.cells_done, run.cells_total)
                )
                a.error = _short(run.error, 200) if status != RunStatus.SUCCEEDED else ""
                a.html_url = _url(run.run_id, "html") if run.html_path else ""
            updated.append(a)
        self.active = updated

    # -- verify --------------------------------------------------------------------------------

    @rx.event(background=True)
    async def verify(self, run_id: str):
        run_id = str(run_id or "")[:40]
        async with self:
            actor = self._actor()
            bounce = self._bounce() if actor is None else None
            busy = run_id in self.verifying
            if actor is not None and not busy:
                self.verifying = [*self.verifying, run_id]
        if actor is None:
            yield bounce
            return
        if busy or not run_id:
            return
        try:
            view = await asyncio.to_thread(verify_run, run_id, actor=actor)
        except DomainError as exc:
            async with self:
                self.verifying = [r for r in self.verifying if r != run_id]
            yield rx.toast.error(f"Could not verify run {run_id}: {exc.message}")
            return
        async with self:
            args = (self.f_job, self.f_status, self._page_cursor())
        try:
            snap = await asyncio.to_thread(_fetch, actor, *args)
        except DomainError:
            snap = None
        async with self:
            self.verifying = [r for r in self.verifying if r != run_id]
            if snap is not None:
                self._apply(snap, actor)
        status = VerificationStatus(view.status)
        text = f"Run {run_id}: {VERIFY_LABELS[status].lower()}. {_sentence(view.message)}."
        if status == VerificationStatus.VERIFIED:
            yield rx.toast.success(text, duration=8000)
        elif status == VerificationStatus.INPUTS_CHANGED:
            yield rx.toast.warning(text, duration=15000)
        else:
            yield rx.toast.error(text, duration=15000)

    # -- run detail ----------------------------------------------------------------------------

    @rx.event
    @guarded
    def open_detail(self, actor: Actor, run_id: str):
        detail = _get_run(actor, str(run_id or "")[:40])
        r = detail.run
        status = RunStatus(r.status)
        self.d_run_id = r.run_id
        self.d_title = f"{r.job} · {_venture(r.venture)} · {fmt_date(r.business_date)}"
        self.d_status_label = RUN_LABELS[status]
        self.d_status_color = RUN_COLORS[status]
        facts = [
            Fact("Run", r.run_id),
            Fact("Triggered by", TRIGGER_LABELS.get(TriggeredBy(r.triggered_by), "")),
            Fact("Dry run", "yes (writes nothing)" if r.dry_run else "no"),
            Fact("Attempt", str(r.attempt)),
            Fact("Started", fmt_datetime(r.started_at)),
            Fact("Ended", fmt_datetime(r.ended_at, empty="Still running")),
            Fact("Duration", _duration(r.duration_seconds) or "Still running"),
            Fact("Cells", _cells(r.cells_done, r.cells_total)),
            Fact("Timeout", _duration(float(r.timeout_seconds))),
            Fact("Code version", r.code_version or "unknown"),
            Fact("Input fingerprint", (r.input_fingerprint or "none")[:16]),
            Fact("Output hash", (r.output_hash or "none")[:16]),
        ]
        if r.verifies_run_id:
            facts.append(Fact("Verifies run", r.verifies_run_id))
        self.d_facts = facts
        self.d_parameters = _facts(r.parameters)
        self.d_summary = _facts(r.result_summary)
        self.d_inputs = [
            Fact(str(table), f"{int(info.get('count', 0)):,} rows")
            if isinstance(info, dict)
            else Fact(str(table), _value(info))
            for table, info in r.inputs.items()
        ]
        self.d_error = r.error or ""
        self.d_error_cell = r.error_cell or ""
        self.d_verifications = [
            VerificationRow(
                when=_when(v.created_at),
                label=VERIFY_LABELS[VerificationStatus(v.status)],
                color=VERIFY_COLORS[VerificationStatus(v.status)],
                message=_sentence(v.message),
            )
            for v in detail.verifications
        ]
        self.d_html_url = _url(r.run_id, "html") if r.html_path else ""
        self.d_manifest_url = _url(r.run_id, "manifest") if r.manifest_path else ""
        self.d_notebook_url = _url(r.run_id, "notebook") if r.notebook_path else ""
        self.d_can_compare = status == RunStatus.SUCCEEDED and _archived(r.job)
        self._reset_compare()
        self.detail_open = True
        return None

    @rx.event
    def set_detail_open(self, open: bool) -> None:
        self.detail_open = bool(open)

    # -- pause / resume ------------------------------------------------------------------------

    @rx.event
    @guarded
    def ask(self, actor: Actor, action: str, job: str):
        row = next((j for j in self.jobs if j.job == str(job)), None)
        if row is None or action not in ("pause", "resume"):
            return None
        self._confirm_job = row.job
        self.confirm_action = action
        if action == "pause":
            self.confirm_title = f"Pause {row.job}?"
            self.confirm_text = (
                f"The scheduler stops running {row.title} ({row.job}) until someone resumes it; "
                f"its next run ({row.next_run or 'none scheduled'}) will not happen. Runs started "
                "by hand still work."
            )
            self.confirm_label = f"Pause {row.job}"
        else:
            self.confirm_title = f"Resume {row.job}?"
            self.confirm_text = (
                f"The scheduler runs {row.title} ({row.job}) again from its next slot "
                f"({row.schedule.lower()}); its count of consecutive failures restarts now."
            )
            self.confirm_label = f"Resume {row.job}"
        self.confirm_open = True
        return None

    @rx.event
    def set_confirm_open(self, open: bool) -> None:
        self.confirm_open = bool(open)

    @rx.event
    @guarded
    def confirm(self, actor: Actor, form_data: dict[str, Any] | None = None):
        action, job = self.confirm_action, self._confirm_job
        self.confirm_open = False
        self._confirm_job, self.confirm_action = "", ""
        if not job or action not in ("pause", "resume"):
            return None
        reason = str((form_data or {}).get("reason") or "")[:400]
        with unit_of_work() as uow:
            if action == "pause":
                pause_job(uow, actor, job, reason)
                message = f"{job} is paused: the scheduler will not run it until resumed."
            else:
                resume_job(uow, actor, job)
                message = f"{job} is resumed: the scheduler runs it from its next slot."
        return [e for e in (self._safe_refresh(actor), rx.toast.success(message)) if e]

    # -- alerts --------------------------------------------------------------------------------

    @rx.event
    @guarded
    def acknowledge(self, actor: Actor, alert_id: int):
        try:
            with unit_of_work() as uow:
                view = acknowledge_alert(uow, actor, int(alert_id))
        except (DomainError, TypeError, ValueError) as exc:
            return rx.toast.error(getattr(exc, "message", "No such alert."))
        done = rx.toast.success(f"Acknowledged: {view.title}.")
        return [e for e in (self._safe_refresh(actor), done) if e]


async def _watch(state: Any, actor: Actor, run_id: str, job: str) -> AsyncIterator[Any]:
    """Poll a run started from the page until it is final (``state`` is the background task's
    state proxy); the page stays usable meanwhile. Yields the closing toast."""
    try:
        limit = get_job(job).timeout_seconds + 180
    except NotFound:
        limit = 3600
    deadline = time.monotonic() + limit
    final: RunView | None = None
    while time.monotonic() < deadline:
        await asyncio.sleep(POLL_SECONDS)
        async with state:
            args = (state.f_job, state.f_status, state._page_cursor())
        try:
            detail = await asyncio.to_thread(_get_run, actor, run_id)
        except NotFound:
            continue  # the run has not taken its lock yet
        except DomainError:
            break
        run = detail.run
        try:
            snap = await asyncio.to_thread(_fetch, actor, *args)
        except DomainError:
            snap = None
        async with state:
            state._update_active(run)
            if snap is not None:
                state._apply(snap, actor)
        if run.status != RunStatus.RUNNING:
            final = run
            break
    if final is None:
        yield rx.toast.warning(
            f"Run {run_id} of {job} is still going; its row below shows its progress."
        )
        return
    status = RunStatus(final.status)
    url = _url(run_id, "html") if final.html_path else ""
    action = (
        {"action": ToastAction(label="Open report", on_click=rx.redirect(url, is_external=True))}
        if url
        else {}
    )
    if status == RunStatus.SUCCEEDED:
        yield rx.toast.success(
            f"{job} succeeded in {_duration(final.duration_seconds)} (run {run_id}).",
            duration=10000,
            **action,
        )
    elif status == RunStatus.SKIPPED_LOCKED:
        yield rx.toast.warning(
            f"{job} was skipped: another run of the same job, venture and date is in progress.",
            duration=10000,
        )
    else:
        yield rx.toast.error(
            f"{job} {RUN_LABELS[status].lower()}: {_short(final.error, 160)}",
            duration=15000,
            **action,
        )
