"""/bpo/campaigns and /bpo/agents: cursor lists with an add/edit dialog each."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    field,
    form_dialog,
    form_summary,
    select_field,
    submit_button,
)
from rxapp.components.freight import two_lines
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state, status_badge
from rxapp.pages import page
from rxapp.state.bpo_setup import BpoAgentsState, BpoCampaignsState
from rxapp.views.bpo import AgentRow, CampaignRow

C = BpoCampaignsState
A = BpoAgentsState


def _active(S: type, id: str) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(name="active", id=id, default_checked=S.val["active"] == "on"),
            rx.text("Active", size="2"),
            spacing="2",
            align="center",
        ),
        html_for=id,
    )


def _edit(on_click: object, cls: str) -> rx.Component:
    return rx.button(
        rx.icon("pencil", size=12),
        "Edit",
        size="1",
        variant="soft",
        color_scheme="gray",
        on_click=on_click,
        class_name=cls,
    )


# -- campaigns ------------------------------------------------------------------------------------


def _campaign(r: CampaignRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(two_lines(rx.text(r.name, size="2", weight="medium"), r.client)),
        rx.table.cell(rx.text(r.venture, size="2")),
        rx.table.cell(rx.text(r.office, size="2")),
        rx.table.cell(status_badge(r.active)),
        rx.table.cell(
            rx.cond(C.can_manage, _edit(C.open_form(r.id), "campaign-edit"), rx.fragment()),
            text_align="right",
        ),
        align="center",
        class_name="campaign-row",
        data_campaign=r.name,
    )


def _campaign_dialog() -> rx.Component:
    def text(label: str, name: str) -> rx.Component:
        id = f"campaign-form-{name}"
        return field(
            label,
            rx.input(name=name, id=id, default_value=C.val[name], width="100%"),
            html_for=id,
            error=C.err[name],
        )

    return form_dialog(
        form_summary(C.errors, id="campaign-form-errors"),
        rx.cond(
            C.editing,
            rx.fragment(),
            select_field(
                "Venture",
                name="venture_id",
                id="campaign-form-venture",
                value=C.val["venture_id"],
                options=C.venture_options,
                error=C.err["venture_id"],
            ),
        ),
        text("Name", "name"),
        text("Client", "client"),
        select_field(
            "Office",
            name="office_id",
            id="campaign-form-office",
            value=C.val["office_id"],
            options=C.office_options,
            placeholder="Choose an office",
            error=C.err["office_id"],
        ),
        _active(C, "campaign-form-active"),
        title=rx.cond(C.editing, "Edit campaign", "New campaign"),
        description="A campaign is the work for one client that agents log calls on.",
        submit=submit_button("Save campaign", busy=C.busy, id="campaign-form-save"),
        on_submit=C.save,
        open=C.form_open,
        on_open_change=C.set_form_open,
        id="campaign-form",
        max_width="480px",
        no_validate=True,
        key=C.form_key,
    )


@page("bpo_campaigns", on_load=C.load)
def bpo_campaigns_page() -> rx.Component:
    table = rx.cond(
        C.rows.length() > 0,
        rx.vstack(
            data_table(
                ["Campaign", "Venture", "Office", "Status", ("", "right")],
                rx.table.body(rx.foreach(C.rows, _campaign)),
                id="campaigns-table",
            ),
            cursor_pager(C, id_prefix="campaigns"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "megaphone",
            "No campaigns yet",
            "A venture head adds campaigns with “New campaign”; agents then log calls on them.",
            id="campaigns-empty",
        ),
    )
    return app_shell(
        rx.vstack(table, _campaign_dialog(), spacing="4", width="100%"),
        page_key="bpo_campaigns",
        title="Campaigns",
        section="BPO",
        subtitle="The clients' campaigns of your BPO ventures.",
        reload=C.load,
        actions=rx.cond(
            C.can_manage,
            rx.button(
                rx.icon("plus", size=16), "New campaign", on_click=C.open_form(0), id="campaign-new"
            ),
            rx.fragment(),
        ),
    )


# -- agents ---------------------------------------------------------------------------------------


def _agent(r: AgentRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(two_lines(rx.text(r.name, size="2", weight="medium"), r.email)),
        rx.table.cell(rx.text(r.campaign, size="2")),
        rx.table.cell(rx.text(r.venture, size="2")),
        rx.table.cell(status_badge(r.active)),
        rx.table.cell(
            rx.cond(A.can_manage, _edit(A.open_form(r.id), "agent-edit"), rx.fragment()),
            text_align="right",
        ),
        align="center",
        class_name="agent-row",
        data_agent=r.name,
    )


def _agent_dialog() -> rx.Component:
    return form_dialog(
        form_summary(A.errors, id="agent-form-errors"),
        rx.cond(
            A.editing,
            rx.fragment(),
            select_field(
                "Person",
                name="user_id",
                id="agent-form-user",
                value=A.val["user_id"],
                options=A.user_options,
                placeholder="Choose a person",
                error=A.err["user_id"],
            ),
        ),
        select_field(
            "Campaign",
            name="campaign_id",
            id="agent-form-campaign",
            value=A.val["campaign_id"],
            options=A.campaign_options,
            placeholder="Choose a campaign",
            error=A.err["campaign_id"],
        ),
        _active(A, "agent-form-active"),
        title=rx.cond(A.editing, "Edit agent", "New agent"),
        description="An agent links a person of the venture to the calls they log.",
        submit=submit_button("Save agent", busy=A.busy, id="agent-form-save"),
        on_submit=A.save,
        open=A.form_open,
        on_open_change=A.set_form_open,
        id="agent-form",
        max_width="480px",
        no_validate=True,
        key=A.form_key,
    )


@page("bpo_agents", on_load=A.load)
def bpo_agents_page() -> rx.Component:
    table = rx.cond(
        A.rows.length() > 0,
        rx.vstack(
            data_table(
                ["Agent", "Campaign", "Venture", "Status", ("", "right")],
                rx.table.body(rx.foreach(A.rows, _agent)),
                id="agents-table",
            ),
            cursor_pager(A, id_prefix="agents"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "users",
            "No agents yet",
            "Add the people who take calls with “New agent”.",
            id="agents-empty",
        ),
    )
    return app_shell(
        rx.vstack(table, _agent_dialog(), spacing="4", width="100%"),
        page_key="bpo_agents",
        title="Agents",
        section="BPO",
        subtitle="The people who log calls, and their campaign.",
        reload=A.load,
        actions=rx.cond(
            A.can_manage,
            rx.button(
                rx.icon("plus", size=16), "New agent", on_click=A.open_form(0), id="agent-new"
            ),
            rx.fragment(),
        ),
    )
