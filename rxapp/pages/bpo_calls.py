"""/bpo/calls (the call logs in scope with filters and cursor pages) and /bpo/my-calls (the
agent's own calls of today), both with the log-a-call form."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    date_field,
    field,
    filter_actions,
    filter_bar,
    filter_card,
    form_dialog,
    form_summary,
    select_field,
    submit_button,
)
from rxapp.components.freight import num_cell, two_lines
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state
from rxapp.pages import page
from rxapp.state.bpo_calls import BpoCallFormState, BpoCallsState, BpoMyCallsState
from rxapp.views.bpo import CallRow

S = BpoCallsState
M = BpoMyCallsState
F = BpoCallFormState


# -- the form -------------------------------------------------------------------------------------


def _input(label: str, name: str, *, type: str = "text", placeholder: str = "") -> rx.Component:
    id = "call-form-" + name.replace("_", "-")
    return field(
        label,
        rx.input(
            name=name,
            id=id,
            type=type,
            default_value=F.val[name],
            placeholder=placeholder,
            width="100%",
        ),
        html_for=id,
        error=F.err[name],
    )


def _check(label: str, name: str) -> rx.Component:
    id = "call-form-" + name.replace("_", "-")
    return rx.vstack(
        rx.el.label(
            rx.hstack(
                rx.checkbox(name=name, id=id, default_checked=F.val[name] == "on"),
                rx.text(label, size="2"),
                spacing="2",
                align="center",
            ),
            html_for=id,
        ),
        rx.cond(
            F.err[name] != "", rx.text(F.err[name], size="1", color_scheme="red"), rx.fragment()
        ),
        spacing="1",
    )


def call_dialog() -> rx.Component:
    return form_dialog(
        form_summary(F.errors, id="call-form-errors"),
        rx.grid(
            select_field(
                "Campaign",
                name="campaign_id",
                id="call-form-campaign-id",
                value=F.val["campaign_id"],
                options=F.campaign_options,
                placeholder="Choose a campaign",
                error=F.err["campaign_id"],
            ),
            _input("Dials", "dial_count", placeholder="1"),
            _input("Started", "started_at", type="datetime-local"),
            _input("Ended", "ended_at", type="datetime-local"),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.hstack(
            _check("Connected", "connected"),
            _check("Appointment set", "appointment_set"),
            _check("Deal won", "deal_won"),
            spacing="5",
            wrap="wrap",
        ),
        _input("Revenue", "revenue", placeholder="0.00"),
        field(
            "Notes",
            rx.text_area(
                name="notes", id="call-form-notes", default_value=F.val["notes"], rows="3"
            ),
            html_for="call-form-notes",
            error=F.err["notes"],
        ),
        title="Log a call",
        description="One call of yours: when it started and ended (your local time), the dials "
        "it took and how far it got.",
        submit=submit_button("Log call", busy=F.busy, id="call-form-save"),
        on_submit=F.save,
        open=F.form_open,
        on_open_change=F.set_form_open,
        id="call-form",
        max_width="560px",
        no_validate=True,
        key=F.form_key,
    )


def _log_button() -> rx.Component:
    return rx.button(rx.icon("phone", size=16), "Log a call", on_click=F.open_form, id="call-new")


# -- rows -----------------------------------------------------------------------------------------


def _row(r: CallRow, *, with_agent: bool) -> rx.Component:
    cells = [
        rx.table.row_header_cell(rx.text(r.started, size="2", white_space="nowrap")),
        rx.table.cell(two_lines(rx.text(r.campaign, size="2", weight="medium"), r.notes)),
    ]
    if with_agent:
        cells.append(rx.table.cell(rx.text(r.agent, size="2")))
    cells += [
        num_cell(r.dials),
        num_cell(r.talk),
        rx.table.cell(rx.badge(r.outcome_label, color_scheme=r.outcome_color, variant="soft")),
        num_cell(r.revenue),
    ]
    return rx.table.row(*cells, align="center", class_name="call-row", data_outcome=r.outcome)


def _columns(with_agent: bool) -> list:
    cols: list = ["Started", "Campaign"]
    if with_agent:
        cols.append("Agent")
    return [*cols, ("Dials", "right"), ("Talk", "right"), "Outcome", ("Revenue", "right")]


# -- /bpo/calls -----------------------------------------------------------------------------------


def _filters() -> rx.Component:
    return filter_card(
        filter_bar(
            select_field(
                "Campaign",
                name="campaign",
                id="calls-campaign",
                value=S.f_campaign,
                options=S.campaign_options,
                all_label="All campaigns",
            ),
            select_field(
                "Agent",
                name="agent",
                id="calls-agent",
                value=S.f_agent,
                options=S.agent_options,
                all_label="All agents",
            ),
            select_field(
                "Outcome",
                name="outcome",
                id="calls-outcome",
                value=S.f_outcome,
                options=S.outcome_options,
                all_label="Any outcome",
            ),
            date_field("From", name="from", id="calls-from", value=S.f_from),
            date_field("To", name="to", id="calls-to", value=S.f_to, error=S.filter_error),
            filter_actions("calls", on_clear=S.clear_filters),
            columns="6",
        ),
        id="calls-filters",
        on_submit=S.apply_filters,
        form_key=S.form_key,
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            rx.text(S.page_summary, size="2", color_scheme="gray"),
            data_table(
                _columns(True),
                rx.table.body(rx.foreach(S.rows, lambda r: _row(r, with_agent=True))),
                id="calls-table",
                max_height="calc(100vh - 360px)",
            ),
            cursor_pager(S, id_prefix="calls"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "phone",
            "No calls match",
            "Calls show here newest first once agents log them or a dialer export is imported. "
            "Clear the filters to see every call.",
            id="calls-empty",
        ),
    )


@page("bpo_calls", on_load=S.load)
def bpo_calls_page() -> rx.Component:
    return app_shell(
        rx.vstack(_filters(), _table(), call_dialog(), spacing="4", width="100%"),
        page_key="bpo_calls",
        title="Call logs",
        section="BPO",
        subtitle="Every call in your campaigns, newest first.",
        reload=S.load,
        actions=rx.cond(S.can_log, _log_button(), rx.fragment()),
    )


# -- /bpo/my-calls --------------------------------------------------------------------------------


@page("bpo_my_calls", on_load=M.load)
def bpo_my_calls_page() -> rx.Component:
    content = rx.cond(
        M.is_agent,
        rx.vstack(
            rx.text(M.summary, size="3", weight="medium", id="my-calls-summary"),
            rx.cond(
                M.rows.length() > 0,
                data_table(
                    _columns(False),
                    rx.table.body(rx.foreach(M.rows, lambda r: _row(r, with_agent=False))),
                    id="my-calls-table",
                ),
                empty_state(
                    "phone",
                    "No calls yet today",
                    "Log each call with “Log a call”; it shows here straight away.",
                    id="my-calls-empty",
                ),
            ),
            call_dialog(),
            spacing="4",
            width="100%",
        ),
        empty_state(
            "headset",
            "You are not a BPO agent",
            "Your venture head adds you as an agent of a campaign; then your calls show here.",
            id="my-calls-not-agent",
        ),
    )
    return app_shell(
        content,
        page_key="bpo_my_calls",
        title="My calls today",
        section="BPO",
        subtitle="Your own calls of today (your venture's business date).",
        reload=M.load,
        actions=rx.cond(M.is_agent, _log_button(), rx.fragment()),
    )
