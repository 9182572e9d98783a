"""/admin/jobs: health headline, runs started here (live progress), the per-job table, open
alerts, recent runs with their reports, and the run-now, run-detail and pause/resume dialogs."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from rxapp.components.forms import (
    checkbox_item,
    field,
    filter_form,
    form_dialog,
    form_summary,
    submit_button,
)
from rxapp.components.layout import app_shell
from rxapp.components.run_compare import run_compare
from rxapp.components.ui import (
    cursor_pager,
    data_table,
    empty_state,
    export_button,
    section_heading,
)
from rxapp.pages import page
from rxapp.state.admin_jobs import (
    ActiveRun,
    AdminJobsState,
    AlertRow,
    JobRow,
    ProviderRow,
    RunRow,
    VerificationRow,
)

S = AdminJobsState

NOWRAP = {"whiteSpace": "nowrap"}
MONO = {"fontFamily": "var(--code-font-family)", "fontSize": "12px"}


def _badge(label: Var | str, color: Var | str, icon: Var | str | None = None, **props: object):
    children: list = [rx.icon(icon, size=12)] if icon is not None else []
    props.setdefault("variant", "soft")
    return rx.badge(*children, label, color_scheme=color, **props)


def _muted(text: Var | str, **props: object) -> rx.Component:
    props.setdefault("size", "2")
    return rx.text(text, color_scheme="gray", **props)


def _small(text: Var | str, **props: object) -> rx.Component:
    return rx.text(text, size="1", color_scheme="gray", **props)


# -- headline -------------------------------------------------------------------------------------


def _stat(label: str, value: rx.Component, hint: rx.Component, *, id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray", weight="medium"),
            value,
            hint,
            spacing="2",
            width="100%",
        ),
        width="100%",
        id=id,
    )


def _number(value: Var, *, danger: Var | bool = False) -> rx.Component:
    return rx.text(
        value,
        size="6",
        weight="bold",
        color=rx.cond(danger, "var(--red-11)", "var(--gray-12)"),
        style={"fontVariantNumeric": "tabular-nums", "lineHeight": "1.2"},
    )


def _overview() -> rx.Component:
    return rx.grid(
        _stat(
            "Overall",
            rx.hstack(
                _badge(
                    S.overall_label,
                    S.overall_color,
                    S.overall_icon,
                    size="3",
                    id="jobs-overall-badge",
                    data_status=S.overall,
                ),
                align="center",
                min_height="30px",
            ),
            rx.vstack(
                rx.text(S.overall_text, size="1", color_scheme="gray", id="jobs-overall-text"),
                _small(S.checked_at),
                spacing="0",
            ),
            id="jobs-overall",
        ),
        _stat(
            "Running now",
            _number(S.running_count.to_string()),
            _small(rx.cond(S.running_count > 0, "Progress in the table below", "No run in flight")),
            id="jobs-running",
        ),
        _stat(
            "Open alerts",
            _number(S.open_alerts.to_string(), danger=S.open_alerts > 0),
            _small(
                rx.cond(S.open_alerts > 0, "Listed below until acknowledged", "Nothing to look at")
            ),
            id="jobs-alerts-count",
        ),
        _stat(
            "Outbox backlog",
            rx.cond(S.outbox_available, _number(S.outbox_backlog), _number("n/a")),
            _small(rx.cond(S.outbox_available, S.outbox_oldest, "No events outbox in this build")),
            id="jobs-outbox",
        ),
        _stat(
            "Dead events",
            rx.cond(
                S.outbox_available,
                _number(S.outbox_dead, danger=S.dead_events > 0),
                _number("n/a"),
            ),
            _small(
                rx.cond(
                    S.dead_events > 0,
                    "Events that gave up: see the runbook",
                    "No event gave up",
                )
            ),
            id="jobs-dead",
        ),
        columns=rx.breakpoints(initial="2", md="3", lg="5"),
        spacing="4",
        width="100%",
    )


def _provider(p: ProviderRow) -> rx.Component:
    return rx.hstack(
        _badge(p.label, p.color, size="1"),
        _small(p.detail),
        align="center",
        spacing="2",
        class_name="provider-breaker",
        data_provider=p.provider,
        data_state=p.label,
    )


def _providers() -> rx.Component:
    """Each external provider's circuit breaker: open means calls fail fast (see the runbook)."""
    return rx.card(
        rx.vstack(
            rx.text("Providers (circuit breakers)", size="2", color_scheme="gray", weight="medium"),
            rx.flex(rx.foreach(S.providers, _provider), wrap="wrap", spacing="4"),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="jobs-providers",
    )


# -- runs started from this page -------------------------------------------------------------------


def _active_run(a: ActiveRun) -> rx.Component:
    return rx.card(
        rx.hstack(
            _badge(a.status_label, a.status_color, size="2", class_name="active-status"),
            rx.vstack(
                rx.text(a.what, size="2", weight="medium"),
                rx.text("Run " + a.run_id, size="1", color_scheme="gray", style=MONO),
                spacing="0",
                min_width="0",
            ),
            rx.spacer(),
            rx.vstack(
                rx.text(a.progress, size="1", color_scheme="gray", class_name="active-progress"),
                rx.progress(
                    value=a.pct,
                    max=100,
                    size="2",
                    width="220px",
                    color_scheme=rx.cond(a.status == "FAILED", "red", "indigo"),
                ),
                spacing="1",
                align="end",
            ),
            rx.cond(
                a.html_url != "",
                rx.link(
                    rx.button(
                        rx.icon("file-text", size=14),
                        "Open report",
                        size="1",
                        variant="soft",
                    ),
                    href=a.html_url,
                    is_external=True,
                    class_name="active-report",
                ),
                rx.fragment(),
            ),
            align="center",
            spacing="4",
            width="100%",
        ),
        rx.cond(
            a.error != "",
            rx.text(a.error, size="1", color="var(--red-11)", margin_top="6px"),
            rx.fragment(),
        ),
        width="100%",
        class_name="active-run",
        data_status=a.status,
        data_run_id=a.run_id,
    )


def _active_runs() -> rx.Component:
    return rx.cond(
        S.active.length() > 0,
        rx.vstack(rx.foreach(S.active, _active_run), spacing="2", width="100%", id="active-runs"),
        rx.fragment(),
    )


# -- jobs table -----------------------------------------------------------------------------------


def _job_actions(j: JobRow) -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.can_run,
            rx.button(
                rx.icon("play", size=13),
                "Run now",
                size="1",
                variant="soft",
                on_click=S.open_run_dialog(j.job),
                class_name="job-run",
                style=NOWRAP,
            ),
            rx.fragment(),
        ),
        rx.cond(
            S.can_manage,
            rx.cond(
                j.paused,
                rx.button(
                    rx.icon("circle-play", size=13),
                    "Resume",
                    size="1",
                    variant="soft",
                    color_scheme="green",
                    on_click=S.ask("resume", j.job),
                    class_name="job-resume",
                    style=NOWRAP,
                ),
                rx.button(
                    rx.icon("circle-pause", size=13),
                    "Pause",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.ask("pause", j.job),
                    class_name="job-pause",
                    style=NOWRAP,
                ),
            ),
            rx.fragment(),
        ),
        spacing="1",
        align="stretch",
    )


def _job_row(j: JobRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.hstack(
                    rx.text(j.title, size="2", weight="medium", style=NOWRAP),
                    rx.cond(
                        j.critical,
                        _badge("Critical", "red", variant="outline", size="1"),
                        rx.fragment(),
                    ),
                    spacing="2",
                    align="center",
                ),
                rx.text(j.job, size="1", color_scheme="gray", style=MONO),
                spacing="1",
            ),
            title=j.description,
        ),
        rx.table.cell(
            rx.vstack(
                _badge(j.status_label, j.status_color, j.status_icon, class_name="job-status"),
                rx.cond(
                    j.stuck,
                    rx.tooltip(
                        _badge("Stuck", "orange", "octagon-alert", class_name="job-stuck"),
                        content=j.stuck_reason,
                    ),
                    rx.fragment(),
                ),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.cond(
                    j.has_last_run,
                    rx.hstack(
                        rx.text(j.last_run_at, size="2", style=NOWRAP, title=j.last_run_full),
                        _badge(j.last_run_label, j.last_run_color, size="1"),
                        spacing="2",
                        align="center",
                    ),
                    _muted("Never run"),
                ),
                rx.cond(
                    j.has_success,
                    _small(
                        "Last success " + j.last_success_at,
                        title=j.last_success_full,
                        style=NOWRAP,
                        class_name="job-last-success",
                    ),
                    _small("No success yet", style=NOWRAP, class_name="job-last-success"),
                ),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.cond(
                j.has_failure,
                rx.vstack(
                    rx.hstack(
                        rx.text(j.failure_at, size="2", style=NOWRAP, title=j.failure_full),
                        rx.cond(
                            j.failure_html != "",
                            rx.link(
                                "Report",
                                href=j.failure_html,
                                is_external=True,
                                size="1",
                                class_name="job-failure-report",
                            ),
                            rx.fragment(),
                        ),
                        spacing="2",
                        align="baseline",
                    ),
                    rx.text(
                        j.failure_error_short,
                        size="1",
                        color="var(--red-11)",
                        title=j.failure_error,
                        class_name="job-failure-error",
                    ),
                    rx.cond(
                        j.failure_cell != "",
                        rx.text(j.failure_cell, size="1", color_scheme="gray", style=MONO),
                        rx.fragment(),
                    ),
                    spacing="1",
                    max_width="260px",
                ),
                _muted("No failures"),
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(
                    j.failures,
                    size="2",
                    weight=rx.cond(j.failures > 0, "bold", "regular"),
                    color=rx.cond(j.failures > 0, "var(--red-11)", "var(--gray-11)"),
                    class_name="job-failures",
                ),
                rx.cond(j.failures > 0, _small("in a row", style=NOWRAP), rx.fragment()),
                spacing="0",
                align="end",
            ),
            text_align="right",
            title="Consecutive failed or timed-out live runs (3 pause the job)",
        ),
        rx.table.cell(
            rx.cond(
                j.running,
                rx.vstack(
                    rx.text(j.running_since, size="2", style=NOWRAP),
                    rx.progress(value=j.running_pct, max=100, size="1", width="120px"),
                    _small(j.running_progress),
                    spacing="1",
                    class_name="job-running",
                ),
                _muted("Idle"),
            )
        ),
        rx.table.cell(
            rx.cond(
                j.paused,
                rx.vstack(
                    _badge("Paused", "amber", "circle-pause", class_name="job-paused"),
                    _small(j.paused_note, max_width="240px"),
                    spacing="1",
                ),
                rx.vstack(
                    rx.cond(
                        j.next_run != "",
                        rx.text(j.next_run, size="2", style=NOWRAP, title=j.next_run_full),
                        _muted("Not scheduled"),
                    ),
                    _small(j.schedule),
                    spacing="0",
                ),
            )
        ),
        rx.table.cell(_job_actions(j), text_align="right"),
        align="start",
        class_name="job-row",
        data_job=j.job,
        data_status=j.status,
    )


def _jobs_table() -> rx.Component:
    return rx.vstack(
        section_heading(
            "Schedule and health",
            subtitle="Live runs only: dry runs and verify re-runs are listed in Recent runs.",
        ),
        data_table(
            [
                "Job",
                "Health",
                "Last run",
                "Last failure",
                ("Failures", "right"),
                "Running now",
                "Next run",
                ("", "right"),
            ],
            rx.table.body(rx.foreach(S.jobs, _job_row)),
            id="jobs-table",
        ),
        spacing="3",
        width="100%",
    )


# -- alerts ---------------------------------------------------------------------------------------


def _alert(a: AlertRow) -> rx.Component:
    return rx.hstack(
        _badge(a.kind_label, a.color, "bell", class_name="alert-kind"),
        rx.vstack(
            rx.text(a.title, size="2", weight="medium"),
            rx.text(a.message, size="1", color_scheme="gray", style={"whiteSpace": "pre-line"}),
            _small("Raised " + a.raised),
            spacing="1",
            min_width="0",
            flex="1",
        ),
        rx.hstack(
            rx.cond(
                a.html_url != "",
                rx.link(
                    rx.button(rx.icon("file-text", size=13), "Report", size="1", variant="soft"),
                    href=a.html_url,
                    is_external=True,
                ),
                rx.fragment(),
            ),
            rx.cond(
                S.can_manage,
                rx.button(
                    rx.icon("check", size=13),
                    "Acknowledge",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.acknowledge(a.id),
                    class_name="alert-ack",
                ),
                rx.fragment(),
            ),
            spacing="2",
            flex_shrink="0",
        ),
        align="start",
        spacing="3",
        width="100%",
        padding="12px 0",
        border_top="1px solid var(--gray-a4)",
        class_name="alert-row",
        data_alert_id=a.id,
    )


def _alerts() -> rx.Component:
    return rx.cond(
        S.alerts.length() > 0,
        rx.card(
            rx.vstack(
                section_heading(
                    "Open alerts",
                    subtitle="Failed or timed-out critical runs, paused jobs and verify "
                    "mismatches; docs/RUNBOOK.md says what each one means.",
                ),
                rx.vstack(rx.foreach(S.alerts, _alert), spacing="0", width="100%"),
                spacing="2",
                width="100%",
            ),
            width="100%",
            id="jobs-alerts",
        ),
        rx.fragment(),
    )


# -- recent runs ----------------------------------------------------------------------------------


def _select(name: str, id: str, value: Var, all_label: str, options: Var) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=id, width="100%"),
        rx.select.content(
            rx.select.item(all_label, value="all"),
            rx.select.separator(),
            rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value)),
            position="popper",
        ),
        name=name,
        default_value=value,
    )


def _run_filters() -> rx.Component:
    return filter_form(
        rx.hstack(
            rx.box(_select("job", "runs-job", S.f_job, "All jobs", S.job_options), width="260px"),
            rx.box(
                _select("status", "runs-status", S.f_status, "Any status", S.status_options),
                width="180px",
            ),
            rx.button("Apply", type="submit", variant="soft", id="runs-apply"),
            rx.button(
                "Clear",
                type="button",
                variant="soft",
                color_scheme="gray",
                on_click=S.clear_filters,
                id="runs-clear",
            ),
            export_button(S, id="runs-export", rows=S.runs),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        id="runs-filters",
        on_submit=S.apply_filters,
        form_key=S.form_key,
    )


def _file_links(r: RunRow) -> rx.Component:
    return rx.hstack(
        rx.cond(
            r.html_url != "",
            rx.link(
                rx.icon("file-text", size=13),
                "Report",
                href=r.html_url,
                is_external=True,
                size="2",
                class_name="run-report",
                style={"display": "inline-flex", "alignItems": "center", "gap": "4px"},
            ),
            _muted("No report"),
        ),
        rx.cond(
            r.manifest_url != "",
            rx.link(
                "Manifest",
                href=r.manifest_url,
                is_external=True,
                size="1",
                color_scheme="gray",
                class_name="run-manifest",
            ),
            rx.fragment(),
        ),
        rx.cond(
            r.notebook_url != "",
            rx.link(
                ".ipynb",
                href=r.notebook_url,
                size="1",
                color_scheme="gray",
                class_name="run-notebook",
            ),
            rx.fragment(),
        ),
        spacing="3",
        align="center",
        style=NOWRAP,
    )


def _run_row(r: RunRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(
                    r.run_id,
                    # A link without a target is href="#": navigating to it would reload the page
                    # (Reflex runs on_load again), so only the event runs.
                    on_click=[rx.prevent_default, S.open_detail(r.run_id)],
                    cursor="pointer",
                    style={**MONO, **NOWRAP},
                    class_name="run-id",
                ),
                rx.cond(r.dry_run, _badge("Dry run", "gray", size="1"), rx.fragment()),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(r.job, size="2", weight="medium", style=NOWRAP),
                _small(r.venture + " · " + r.business_date, style=NOWRAP),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.vstack(
                _badge(r.status_label, r.status_color, r.status_icon, class_name="run-status"),
                rx.cond(
                    r.running,
                    rx.vstack(
                        rx.progress(value=r.pct, max=100, size="1", width="100px"),
                        _small(r.progress),
                        spacing="1",
                    ),
                    rx.fragment(),
                ),
                rx.cond(
                    r.error != "",
                    rx.text(
                        r.error,
                        size="1",
                        color=rx.cond(
                            r.status == "SKIPPED_LOCKED", "var(--gray-11)", "var(--red-11)"
                        ),
                        max_width="260px",
                    ),
                    rx.fragment(),
                ),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(r.started, size="2", style=NOWRAP, title=r.started_full),
                _small(
                    rx.cond(r.duration != "", r.duration + " · " + r.trigger, r.trigger),
                    style=NOWRAP,
                ),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.cond(
                r.verification != "",
                _badge(r.verification, r.verification_color, class_name="run-verification"),
                rx.cond(r.status == "SUCCEEDED", _muted("Not verified"), rx.fragment()),
            )
        ),
        rx.table.cell(_file_links(r)),
        rx.table.cell(
            rx.cond(
                r.can_verify,
                rx.button(
                    rx.icon("shield-check", size=13),
                    "Verify",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    loading=S.verifying.contains(r.run_id),
                    on_click=S.verify(r.run_id),
                    class_name="run-verify",
                ),
                rx.fragment(),
            ),
            text_align="right",
        ),
        align="start",
        class_name="run-row",
        data_run_id=r.run_id,
        data_status=r.status,
    )


def _runs() -> rx.Component:
    return rx.vstack(
        section_heading(
            "Recent runs",
            subtitle="Every run, dry and skipped ones included; a report opens in a new tab.",
            action=_run_filters(),
        ),
        rx.cond(
            S.runs.length() > 0,
            rx.vstack(
                data_table(
                    [
                        "Run",
                        "Job, venture and date",
                        "Status",
                        "Started",
                        "Verification",
                        "Files",
                        ("", "right"),
                    ],
                    rx.table.body(rx.foreach(S.runs, _run_row)),
                    id="runs-table",
                ),
                cursor_pager(S, id_prefix="runs"),
                spacing="3",
                width="100%",
            ),
            empty_state(
                "notebook-text",
                "No runs match",
                "Runs appear here when the scheduler, `vcc jobs run` or “Run now” starts a job. "
                "Clear the filters to see every run.",
                id="runs-empty",
            ),
        ),
        spacing="3",
        width="100%",
    )


# -- dialogs --------------------------------------------------------------------------------------


def _run_dialog() -> rx.Component:
    return form_dialog(
        form_summary(S.run_errors, id="run-errors"),
        field(
            "Job",
            rx.select.root(
                rx.select.trigger(id="run-job", width="100%"),
                rx.select.content(
                    rx.foreach(
                        S.job_options,
                        lambda o: rx.select.item(o.label, value=o.value),
                    ),
                    position="popper",
                ),
                name="job",
                value=S.run_job,
                on_change=S.choose_job,
            ),
            html_for="run-job",
            error=S.err_job,
        ),
        rx.grid(
            field(
                "Business date",
                rx.vstack(
                    rx.input(
                        type="date",
                        name="business_date",
                        id="run-date",
                        default_value=S.run_date,
                        key=S.run_job,
                        width="100%",
                    ),
                    _small(S.run_date_help),
                    spacing="1",
                    width="100%",
                ),
                html_for="run-date",
                error=S.err_date,
            ),
            field(
                "Venture",
                rx.cond(
                    S.run_takes_venture,
                    rx.select.root(
                        rx.select.trigger(id="run-venture", width="100%"),
                        rx.select.content(
                            rx.foreach(
                                S.run_venture_options,
                                lambda o: rx.select.item(o.label, value=o.value),
                            ),
                            position="popper",
                        ),
                        name="venture",
                        default_value="all",
                        key=S.run_job,
                    ),
                    rx.vstack(
                        rx.input(
                            value="All ventures",
                            disabled=True,
                            id="run-venture",
                            width="100%",
                        ),
                        _small("This job always covers the whole group."),
                        spacing="1",
                        width="100%",
                    ),
                ),
                html_for="run-venture",
                error=S.err_venture,
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.vstack(
            checkbox_item(
                "Dry run",
                name="dry_run",
                checked=S.run_dry,
                id="run-dry",
            ),
            _small("Computes and renders the report but writes nothing: safe to try at any time."),
            spacing="0",
        ),
        title="Run a job now",
        description="The job's notebook runs in the background: its progress shows on this page, "
        "which stays usable, and its report opens when it ends.",
        submit=submit_button("Start run", busy=S.run_busy, id="run-start"),
        on_submit=S.start_run,
        open=S.run_open,
        on_open_change=S.set_run_open,
        id="run-dialog",
        max_width="560px",
        no_validate=True,
    )


def _fact_list(facts: Var) -> rx.Component:
    return rx.data_list.root(
        rx.foreach(
            facts,
            lambda f: rx.data_list.item(
                rx.data_list.label(f.label, min_width="140px"),
                rx.data_list.value(rx.text(f.value, size="2", style={"wordBreak": "break-word"})),
            ),
        ),
        size="1",
        width="100%",
    )


def _detail_section(title: str, facts: Var, empty: str) -> rx.Component:
    return rx.vstack(
        rx.text(title, size="2", weight="bold"),
        rx.cond(facts.length() > 0, _fact_list(facts), _muted(empty, size="1")),
        spacing="2",
        width="100%",
    )


def _verification(v: VerificationRow) -> rx.Component:
    return rx.hstack(
        _badge(v.label, v.color),
        rx.vstack(rx.text(v.message, size="1"), _small(v.when), spacing="0"),
        spacing="2",
        align="start",
    )


def _detail_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.hstack(
                rx.dialog.title(S.d_title, margin="0"),
                _badge(S.d_status_label, S.d_status_color, id="detail-status"),
                spacing="3",
                align="center",
            ),
            rx.dialog.description(
                "Run " + S.d_run_id, size="1", color_scheme="gray", style=MONO, margin_bottom="12px"
            ),
            rx.vstack(
                rx.cond(
                    S.d_error != "",
                    rx.callout.root(
                        rx.callout.icon(rx.icon("circle-alert", size=16)),
                        rx.vstack(
                            rx.callout.text(S.d_error, style={"whiteSpace": "pre-wrap"}),
                            rx.cond(
                                S.d_error_cell != "",
                                rx.callout.text("Failing " + S.d_error_cell, style=MONO),
                                rx.fragment(),
                            ),
                            spacing="1",
                        ),
                        color_scheme="red",
                        size="1",
                        width="100%",
                    ),
                    rx.fragment(),
                ),
                rx.grid(
                    _detail_section("Run", S.d_facts, ""),
                    rx.vstack(
                        _detail_section("Parameters", S.d_parameters, "No parameters"),
                        _detail_section("Result", S.d_summary, "No result recorded"),
                        _detail_section("Inputs read", S.d_inputs, "No inputs fingerprinted"),
                        spacing="4",
                        width="100%",
                    ),
                    columns="2",
                    spacing="5",
                    width="100%",
                ),
                rx.cond(
                    S.d_can_compare,
                    run_compare(S, S.d_run_id, id_prefix="detail-compare"),
                    rx.fragment(),
                ),
                rx.vstack(
                    rx.text("Verifications", size="2", weight="bold"),
                    rx.cond(
                        S.d_verifications.length() > 0,
                        rx.vstack(rx.foreach(S.d_verifications, _verification), spacing="2"),
                        _muted("Not verified yet.", size="1"),
                    ),
                    spacing="2",
                    width="100%",
                ),
                rx.hstack(
                    rx.cond(
                        S.d_html_url != "",
                        rx.link(
                            rx.button(rx.icon("file-text", size=14), "Open report"),
                            href=S.d_html_url,
                            is_external=True,
                            id="detail-report",
                        ),
                        rx.fragment(),
                    ),
                    rx.cond(
                        S.d_manifest_url != "",
                        rx.link(
                            rx.button("Manifest", variant="soft", color_scheme="gray"),
                            href=S.d_manifest_url,
                            is_external=True,
                        ),
                        rx.fragment(),
                    ),
                    rx.cond(
                        S.d_notebook_url != "",
                        rx.link(
                            rx.button(
                                rx.icon("download", size=14),
                                "Notebook",
                                variant="soft",
                                color_scheme="gray",
                            ),
                            href=S.d_notebook_url,
                        ),
                        rx.fragment(),
                    ),
                    rx.spacer(),
                    rx.dialog.close(
                        rx.button("Close", variant="soft", color_scheme="gray", id="detail-close")
                    ),
                    spacing="2",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            max_width=rx.cond(S.cmp_shown, "1100px", "820px"),
            id="run-detail",
        ),
        open=S.detail_open,
        on_open_change=S.set_detail_open,
    )


def _confirm_dialog() -> rx.Component:
    pausing = S.confirm_action == "pause"
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(S.confirm_title),
            rx.alert_dialog.description(S.confirm_text, size="2"),
            rx.form(
                rx.vstack(
                    rx.cond(
                        pausing,
                        field(
                            "Reason (optional)",
                            rx.input(
                                name="reason",
                                id="pause-reason",
                                placeholder="e.g. freight data being corrected",
                                max_length=400,
                                width="100%",
                            ),
                            html_for="pause-reason",
                            help_text="Shown on this page and in the audit log.",
                        ),
                        rx.fragment(),
                    ),
                    rx.hstack(
                        rx.alert_dialog.cancel(
                            rx.button(
                                "Cancel",
                                variant="soft",
                                color_scheme="gray",
                                type="button",
                                id="job-confirm-cancel",
                            )
                        ),
                        rx.button(
                            S.confirm_label,
                            type="submit",
                            color_scheme=rx.cond(pausing, "amber", "green"),
                            id="job-confirm-confirm",
                        ),
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="4",
                    width="100%",
                    margin_top="1rem",
                ),
                on_submit=S.confirm,
                reset_on_submit=True,
                width="100%",
            ),
            max_width="480px",
            id="job-confirm",
        ),
        open=S.confirm_open,
        on_open_change=S.set_confirm_open,
    )


@page("admin_jobs", on_load=S.load)
def admin_jobs_page() -> rx.Component:
    content = rx.vstack(
        _overview(),
        _providers(),
        _active_runs(),
        _alerts(),
        _jobs_table(),
        _runs(),
        _run_dialog(),
        _detail_dialog(),
        _confirm_dialog(),
        spacing="5",
        width="100%",
    )
    return app_shell(
        content,
        page_key="admin_jobs",
        title="Jobs",
        section="Admin",
        reload=S.load,
        subtitle="Scheduled notebooks: their health, runs and reports. Times in "
        + S.tz_label
        + ".",
        actions=rx.hstack(
            rx.button(
                rx.icon("refresh-cw", size=14),
                "Refresh",
                variant="soft",
                color_scheme="gray",
                loading=S.refreshing,
                on_click=S.refresh,
                id="jobs-refresh",
            ),
            rx.cond(
                S.can_run,
                rx.button(
                    rx.icon("play", size=14),
                    "Run now",
                    on_click=S.open_run_dialog(""),
                    id="run-now",
                ),
                rx.fragment(),
            ),
            spacing="2",
        ),
    )
