"""/admin/errors: unhandled errors by place, most recent first; the stack in a dialog."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, filter_actions, filter_card
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state, export_button
from rxapp.pages import page
from rxapp.state.admin_errors import AdminErrorsState, ErrorRow

S = AdminErrorsState
MONO = {"fontFamily": "var(--code-font-family)", "fontSize": "12px"}


def _filters() -> rx.Component:
    return filter_card(
        rx.hstack(
            field(
                "Where",
                rx.select.root(
                    rx.select.trigger(id="errors-kind", width="180px"),
                    rx.select.content(
                        rx.select.item("Anywhere", value="all"),
                        rx.select.separator(),
                        rx.foreach(
                            S.kind_options, lambda o: rx.select.item(o.label, value=o.value)
                        ),
                        position="popper",
                    ),
                    name="kind",
                    default_value=S.f_kind,
                ),
                html_for="errors-kind",
            ),
            field(
                "Search",
                rx.input(
                    name="search",
                    id="errors-search",
                    placeholder="Place, error type or message",
                    default_value=S.f_search,
                    width="320px",
                ),
                html_for="errors-search",
            ),
            filter_actions("errors", on_clear=S.clear_filters, padding_top="22px"),
            spacing="3",
            align="start",
            wrap="wrap",
        ),
        id="errors-filters",
        on_submit=S.apply_filters,
        form_key=S.form_key,
    )


def _row(r: ErrorRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r.last_seen, size="2", white_space="nowrap")),
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(
                    r.where,
                    href="#",
                    on_click=S.open_error(r.id).prevent_default,
                    size="2",
                    weight="medium",
                    class_name="error-open",
                ),
                rx.badge(r.kind_label, color_scheme=r.kind_color, variant="soft", size="1"),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(r.error_type, size="2", style=MONO),
                rx.text(
                    r.message,
                    size="1",
                    color_scheme="gray",
                    style={
                        "maxWidth": "480px",
                        "overflow": "hidden",
                        "textOverflow": "ellipsis",
                        "whiteSpace": "nowrap",
                    },
                ),
                spacing="1",
            )
        ),
        rx.table.cell(rx.text(r.count, size="2", class_name="num"), align="right"),
        rx.table.cell(rx.text(r.user, size="2", color_scheme="gray")),
        align="center",
        class_name="error-row",
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                ["Last seen", "Where", "Error", ("Times", "right"), "Last user"],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="errors-table",
                max_height="calc(100vh - 300px)",
            ),
            cursor_pager(S, id_prefix="errors"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "circle-check",
            rx.cond(S.filtered, "No errors match", "No errors recorded"),
            rx.cond(
                S.filtered,
                "Clear the filters to see every recorded error.",
                "An unhandled error in a page, an API call or a job run appears here with its "
                "stack, once per place and cause, counted.",
            ),
            id="errors-empty",
        ),
    )


def _detail_dialog() -> rx.Component:
    d = S.detail
    return rx.dialog.root(
        rx.dialog.content(
            rx.hstack(
                rx.dialog.title(d.where, margin="0"),
                rx.badge(d.kind_label, color_scheme=d.kind_color, variant="soft"),
                spacing="3",
                align="center",
            ),
            rx.dialog.description(
                d.error_type
                + " · "
                + d.count
                + " times · first "
                + d.first_seen
                + " · last "
                + d.last_seen,
                size="1",
                color_scheme="gray",
                margin_bottom="12px",
            ),
            rx.vstack(
                rx.text(d.message, size="2", id="error-message"),
                rx.cond(
                    d.user != "",
                    rx.text("Last user: " + d.user, size="1", color_scheme="gray"),
                    rx.fragment(),
                ),
                rx.el.pre(
                    S.detail_stack,
                    id="error-stack",
                    style={
                        **MONO,
                        "maxHeight": "50vh",
                        "overflow": "auto",
                        "whiteSpace": "pre-wrap",
                        "wordBreak": "break-word",
                        "margin": "0",
                        "padding": "12px",
                        "width": "100%",
                        "borderRadius": "var(--radius-3)",
                        "background": "var(--gray-a2)",
                        "border": "1px solid var(--gray-a5)",
                    },
                ),
                rx.hstack(
                    rx.spacer(),
                    rx.dialog.close(
                        rx.button("Close", variant="soft", color_scheme="gray", id="error-close")
                    ),
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="860px",
        ),
        open=S.detail_open,
        on_open_change=S.set_detail_open,
    )


@page("admin_errors", on_load=S.load)
def admin_errors_page() -> rx.Component:
    return app_shell(
        rx.vstack(_filters(), _table(), _detail_dialog(), spacing="4", width="100%"),
        page_key="admin_errors",
        title="Errors",
        section="Admin",
        reload=S.load,
        subtitle="Unhandled errors in page events, API calls and job runs, grouped by place and "
        "cause. Times in " + S.tz_label + ".",
        actions=export_button(S, id="errors-export"),
    )
