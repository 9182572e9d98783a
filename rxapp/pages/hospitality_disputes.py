"""/hospitality/disputes: status filter, the disputes table (actions on open disputes only; a
resolved one shows final), the create and update dialogs and the resolve confirmation."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    date_field,
    field,
    filter_form,
    form_dialog,
    form_summary,
    select_field,
    submit_button,
)
from rxapp.components.freight import badge, num_cell, two_lines
from rxapp.components.layout import app_shell
from rxapp.components.ui import confirm_dialog, cursor_pager, data_table, empty_state
from rxapp.pages import page
from rxapp.state.hospitality_disputes import HospitalityDisputesState
from rxapp.views.hospitality import DisputeRow

S = HospitalityDisputesState


def _filters() -> rx.Component:
    return filter_form(
        rx.hstack(
            rx.box(
                select_field(
                    "Status",
                    name="status",
                    id="disputes-status",
                    value=S.f_status,
                    options=S.status_options,
                    all_label="All statuses",
                ),
                width="260px",
            ),
            rx.button("Apply", type="submit", variant="soft", id="disputes-apply"),
            spacing="2",
            align="end",
        ),
        id="disputes-filters",
        on_submit=S.apply_filters,
    )


def _actions(d: DisputeRow) -> rx.Component:
    def resolve(value: str, label: str) -> rx.Component:
        return rx.menu.item(
            label, on_click=S.ask_resolve(d.id, value), class_name="dispute-resolve-" + value
        )

    return rx.cond(
        d.final,
        rx.hstack(
            rx.icon("lock", size=12, color="var(--gray-10)"),
            rx.text("Final", size="1", color_scheme="gray"),
            spacing="1",
            align="center",
            justify="end",
            class_name="dispute-final",
        ),
        rx.cond(
            S.can_manage,
            rx.hstack(
                rx.button(
                    "Update",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.open_edit(d.id),
                    class_name="dispute-edit",
                ),
                rx.menu.root(
                    rx.menu.trigger(
                        rx.button(
                            "Resolve",
                            rx.icon("chevron-down", size=12),
                            size="1",
                            class_name="dispute-resolve-menu",
                        )
                    ),
                    rx.menu.content(
                        resolve("WON", "Won"),
                        resolve("LOST", "Lost"),
                        resolve("CLOSED_NO_ACTION", "Closed, no action"),
                        align="end",
                    ),
                ),
                spacing="2",
                justify="end",
                wrap="nowrap",
            ),
            rx.fragment(),
        ),
    )


def _row(d: DisputeRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            two_lines(rx.text("#" + d.id.to_string(), size="2", weight="medium"), d.created)
        ),
        rx.table.cell(two_lines(rx.text(d.hotel_code, size="2", weight="medium"), d.hotel_name)),
        rx.table.cell(two_lines(d.type_label, d.channel + " · " + d.reference)),
        num_cell(d.amount),
        rx.table.cell(
            rx.cond(
                d.final,
                two_lines(badge(d.status_label, d.status_color), d.resolved_at),
                badge(d.status_label, d.status_color),
            ),
            class_name="dispute-status",
        ),
        rx.table.cell(
            rx.text(
                d.evidence_due,
                size="2",
                white_space="nowrap",
                color=rx.cond(d.overdue, "var(--red-11)", "inherit"),
            )
        ),
        rx.table.cell(rx.text(d.owner, size="2")),
        rx.table.cell(_actions(d), text_align="right"),
        align="center",
        class_name="dispute-row",
        data_dispute=d.id,
        data_status=d.status,
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                [
                    "Dispute",
                    "Hotel",
                    "Type",
                    ("Amount", "right"),
                    "Status",
                    "Evidence due",
                    "Owner",
                    ("", "right"),
                ],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="disputes-table",
                max_height="calc(100vh - 300px)",
            ),
            cursor_pager(S, id_prefix="disputes"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "scale",
            "No disputes match",
            "Chargebacks, OTA and guest disputes of your hotels show here, newest first. "
            "Choose “All statuses” to see resolved ones.",
            id="disputes-empty",
        ),
    )


def _text(label: str, name: str, prefix: str, err: object, **props: object) -> rx.Component:
    id = f"{prefix}-{name.replace('_', '-')}"
    return field(label, rx.input(name=name, id=id, width="100%", **props), html_for=id, error=err)


def create_dialog() -> rx.Component:
    return form_dialog(
        form_summary(S.c_errors, id="dispute-create-errors"),
        select_field(
            "Hotel",
            name="hotel_id",
            id="dispute-hotel-id",
            value="",
            options=S.hotel_options,
            placeholder="Choose a hotel",
            error=S.c_err["hotel_id"],
        ),
        rx.grid(
            select_field(
                "Type",
                name="type",
                id="dispute-type",
                value="CHARGEBACK",
                options=S.type_options,
                error=S.c_err["type"],
            ),
            _text("Channel", "channel", "dispute", S.c_err["channel"], placeholder="Visa"),
            _text("Reference (optional)", "reference", "dispute", S.c_err["reference"]),
            _text(
                "Amount",
                "amount",
                "dispute",
                S.c_err["amount"],
                placeholder="e.g. 480.00",
                input_mode="decimal",
            ),
            date_field(
                "Evidence due (optional)",
                name="evidence_due_date",
                id="dispute-evidence-due-date",
                value="",
                error=S.c_err["evidence_due_date"],
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        field(
            "Notes (optional)",
            rx.text_area(name="description", id="dispute-description", rows="3", width="100%"),
            html_for="dispute-description",
            error=S.c_err["description"],
        ),
        title="New dispute",
        description="A chargeback, OTA dispute or guest claim against one of your hotels. It "
        "starts open; resolve it once the outcome is known.",
        submit=submit_button("Open dispute", busy=S.busy, id="dispute-create-save"),
        on_submit=S.create,
        open=S.create_open,
        on_open_change=S.set_create_open,
        id="dispute-create",
        max_width="600px",
        no_validate=True,
        key=S.create_key,
    )


def edit_dialog() -> rx.Component:
    d = S.dispute
    return form_dialog(
        form_summary(S.e_errors, id="dispute-edit-errors"),
        rx.grid(
            select_field(
                "Status",
                name="status",
                id="dispute-edit-status",
                value=d.status,
                options=S.edit_status_options,
                error=S.e_err["status"],
            ),
            date_field(
                "Evidence due",
                name="evidence_due_date",
                id="dispute-edit-evidence-due-date",
                value=d.evidence_due_iso,
                error=S.e_err["evidence_due_date"],
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        _text(
            "Reference",
            "reference",
            "dispute-edit",
            S.e_err["reference"],
            default_value=d.reference_value,
        ),
        field(
            "Notes",
            rx.text_area(
                name="description",
                id="dispute-edit-description",
                default_value=d.description,
                rows="3",
                width="100%",
            ),
            html_for="dispute-edit-description",
            error=S.e_err["description"],
        ),
        title="Update dispute #" + d.id.to_string(),
        description=d.hotel_code + " · " + d.type_label + " · " + d.amount,
        submit=submit_button("Save", busy=S.busy, id="dispute-edit-save"),
        on_submit=S.save_edit,
        open=S.edit_open,
        on_open_change=S.set_edit_open,
        id="dispute-edit",
        max_width="560px",
        no_validate=True,
        key=S.edit_key,
    )


@page("hospitality_disputes", on_load=S.load)
def hospitality_disputes_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            _filters(),
            _table(),
            create_dialog(),
            edit_dialog(),
            confirm_dialog(
                open=S.confirm_open,
                on_open_change=S.set_confirm_open,
                title=S.confirm_title,
                description=S.confirm_text,
                confirm_label=S.confirm_label,
                on_confirm=S.resolve,
                danger=S.confirm_danger,
                busy=S.busy,
                id="dispute-resolve-confirm",
            ),
            spacing="4",
            width="100%",
        ),
        page_key="hospitality_disputes",
        title="Disputes",
        section="Hospitality",
        subtitle="Chargebacks, OTA and guest disputes. Resolving one (won, lost or closed) is "
        "final.",
        reload=S.load,
        actions=rx.cond(
            S.can_manage,
            rx.button(
                rx.icon("plus", size=16), "New dispute", on_click=S.open_create, id="dispute-new"
            ),
            rx.fragment(),
        ),
    )
