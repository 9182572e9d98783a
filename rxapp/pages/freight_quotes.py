"""/freight/quotes: status filter, the quotes table with status changes and "convert to load"."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    date_field,
    field,
    filter_form,
    form_summary,
    select_field,
    submit_button,
)
from rxapp.components.freight import badge, lane, num_cell, two_lines
from rxapp.components.layout import app_shell
from rxapp.components.ui import (
    confirm_dialog,
    cursor_pager,
    data_table,
    empty_state,
    export_button,
)
from rxapp.pages import page
from rxapp.state.freight_quotes import FreightQuoteFormState, FreightQuotesState
from rxapp.views.freight import QuoteRow

S = FreightQuotesState


def _filters() -> rx.Component:
    return filter_form(
        rx.hstack(
            rx.box(
                select_field(
                    "Status",
                    name="status",
                    id="quotes-status",
                    value=S.f_status,
                    options=S.status_options,
                    all_label="All statuses",
                ),
                width="260px",
            ),
            rx.button("Apply", type="submit", variant="soft", id="quotes-apply"),
            spacing="2",
            align="end",
        ),
        id="quotes-filters",
        on_submit=S.apply_filters,
    )


def _status_menu(q: QuoteRow) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                "Status",
                rx.icon("chevron-down", size=12),
                size="1",
                variant="soft",
                color_scheme="gray",
                class_name="quote-status-menu",
            )
        ),
        rx.menu.content(
            rx.foreach(
                q.transitions,
                lambda o: rx.menu.item(
                    o.label,
                    on_click=S.set_status(q.id, o.value),
                    class_name="quote-status-" + o.value,
                ),
            ),
            align="end",
        ),
    )


def _row(q: QuoteRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            two_lines(
                rx.text("#" + q.id.to_string(), weight="medium", size="2"),
                q.venture_code + " · " + q.created,
            )
        ),
        rx.table.cell(badge(q.status_label, q.status_color), class_name="quote-status"),
        rx.table.cell(two_lines(q.customer, "Sales: " + q.sales, max_width="200px")),
        rx.table.cell(two_lines(lane(q.origin, q.destination), q.lane_note, max_width="300px")),
        num_cell(q.rate),
        rx.table.cell(rx.text(q.expires, size="2", white_space="nowrap", color_scheme="gray")),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    q.load_href != "",
                    rx.link(
                        rx.button(
                            rx.icon("package", size=12),
                            "Open load",
                            size="1",
                            variant="soft",
                            color_scheme="green",
                        ),
                        href=q.load_href,
                        underline="none",
                        class_name="quote-load-link",
                    ),
                    rx.fragment(),
                ),
                rx.cond(
                    q.can_convert,
                    rx.button(
                        "Convert to load",
                        size="1",
                        on_click=S.ask_convert(q.id),
                        class_name="quote-convert",
                    ),
                    rx.fragment(),
                ),
                rx.cond(q.transitions.length() > 0, _status_menu(q), rx.fragment()),
                spacing="2",
                justify="end",
                wrap="nowrap",
            ),
            text_align="right",
        ),
        align="center",
        class_name="quote-row",
        data_quote=q.id,
        data_status=q.status,
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                [
                    "Quote",
                    "Status",
                    "Customer",
                    "Lane",
                    ("Rate", "right"),
                    "Expires",
                    ("", "right"),
                ],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="quotes-table",
                max_height="calc(100vh - 300px)",
            ),
            cursor_pager(S, id_prefix="quotes"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "receipt",
            "No quotes match",
            rx.cond(
                S.can_create,
                "Price a lane for a customer with “New quote”; quotes show here newest first. "
                "Choose “All statuses”, or “All my ventures” in the header, to see more.",
                "Quotes that sales staff price for customers show here, newest first. Choose "
                "“All statuses”, or “All my ventures” in the header, to see more.",
            ),
            id="quotes-empty",
        ),
    )


Q = FreightQuoteFormState


def _q_text(label: str, name: str, placeholder: str = "", **props: object) -> rx.Component:
    id = "quote-" + name.replace("_", "-")
    return field(
        label,
        rx.input(name=name, id=id, placeholder=placeholder, width="100%", **props),
        html_for=id,
        error=Q.err[name],
    )


def _q_state(label: str, name: str) -> rx.Component:
    id = "quote-" + name.replace("_", "-")
    return field(
        label,
        rx.select.root(
            rx.select.trigger(id=id, width="100%", placeholder="State"),
            rx.select.content(
                rx.foreach(Q.state_options, lambda s: rx.select.item(s, value=s)),
                position="popper",
                max_height="260px",
            ),
            name=name,
        ),
        html_for=id,
        error=Q.err[name],
    )


def quote_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("New quote"),
            rx.dialog.description(
                "A priced lane for a customer. It starts as a draft; move it to Sent when the "
                "customer has it, and convert it to a load once accepted.",
                size="2",
                color_scheme="gray",
                margin_bottom="12px",
            ),
            rx.vstack(
                rx.cond(
                    Q.venture_choices.length() > 1,
                    field(
                        "Venture",
                        rx.select.root(
                            rx.select.trigger(id="quote-venture", width="100%"),
                            rx.select.content(
                                rx.foreach(
                                    Q.venture_choices,
                                    lambda o: rx.select.item(o.label, value=o.value),
                                ),
                                position="popper",
                            ),
                            value=Q.f_venture,
                            on_change=Q.choose_venture,
                        ),
                        html_for="quote-venture",
                    ),
                    rx.fragment(),
                ),
                rx.form(
                    rx.vstack(
                        form_summary(Q.errors, id="quote-form-errors"),
                        select_field(
                            "Customer",
                            name="customer_id",
                            id="quote-customer-id",
                            value="",
                            options=Q.customer_options,
                            placeholder="Choose a customer",
                            error=Q.err["customer_id"],
                        ),
                        rx.grid(
                            _q_text("Pickup city", "pickup_city", "City"),
                            _q_state("Pickup state", "pickup_state"),
                            _q_text("Drop city", "drop_city", "City"),
                            _q_state("Drop state", "drop_state"),
                            columns="2",
                            spacing="3",
                            width="100%",
                        ),
                        rx.grid(
                            select_field(
                                "Equipment",
                                name="equipment",
                                id="quote-equipment",
                                value="DRY_VAN",
                                options=Q.equipment_options,
                                error=Q.err["equipment"],
                            ),
                            _q_text("Miles (optional)", "miles", "e.g. 790", input_mode="numeric"),
                            date_field(
                                "Pickup date (optional)",
                                name="pickup_date",
                                id="quote-pickup-date",
                                value="",
                                error=Q.err["pickup_date"],
                            ),
                            columns="3",
                            spacing="3",
                            width="100%",
                        ),
                        rx.grid(
                            _q_text("Rate", "quoted_rate", "e.g. 2,400.00", input_mode="decimal"),
                            date_field(
                                "Expires (optional)",
                                name="expires_at",
                                id="quote-expires-at",
                                value="",
                                error=Q.err["expires_at"],
                            ),
                            columns="2",
                            spacing="3",
                            width="100%",
                        ),
                        rx.hstack(
                            rx.dialog.close(
                                rx.button(
                                    "Cancel", variant="soft", color_scheme="gray", type="button"
                                )
                            ),
                            submit_button("Save draft", busy=Q.busy, id="quote-save"),
                            spacing="3",
                            justify="end",
                            width="100%",
                        ),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=Q.save,
                    reset_on_submit=False,
                    no_validate=True,
                    key=Q.form_key,
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            max_width="600px",
            id="quote-dialog",
        ),
        open=Q.form_open,
        on_open_change=Q.set_form_open,
    )


@page("freight_quotes", on_load=S.load)
def freight_quotes_page() -> rx.Component:
    content = rx.vstack(
        _filters(),
        _table(),
        confirm_dialog(
            open=S.confirm_open,
            on_open_change=S.set_confirm_open,
            title=S.confirm_title,
            description=S.confirm_text,
            confirm_label="Create load",
            on_confirm=S.convert,
            danger=False,
            busy=S.busy,
            id="quote-convert-confirm",
        ),
        quote_dialog(),
        spacing="4",
        width="100%",
    )
    return app_shell(
        content,
        page_key="freight_quotes",
        title="Quotes",
        section="Freight",
        subtitle="Priced lanes for customers. An accepted quote becomes a load in one step.",
        reload=S.load,
        actions=rx.hstack(
            export_button(S, id="quotes-export"),
            rx.cond(
                S.can_create,
                rx.button(
                    rx.icon("plus", size=16), "New quote", on_click=Q.open_create, id="quote-new"
                ),
                rx.fragment(),
            ),
            spacing="2",
        ),
    )
