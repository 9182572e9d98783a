"""/audit: the audit log with filters and Newer / Older pages."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, filter_actions, filter_card
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state, export_button
from rxapp.pages import page
from rxapp.state.audit import AuditRow, AuditState

S = AuditState


def _select(name: str, id: str, value: rx.Var, all_label: str, options: rx.Var) -> rx.Component:
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


def _filters() -> rx.Component:
    return filter_card(
        rx.vstack(
            rx.grid(
                field(
                    "User",
                    _select("user", "audit-user", S.f_user, "Anyone", S.people),
                    html_for="audit-user",
                ),
                field(
                    "Action",
                    _select("action", "audit-action", S.f_action, "Any action", S.actions),
                    html_for="audit-action",
                ),
                field(
                    "Venture",
                    _select("venture", "audit-venture", S.f_venture, "Any venture", S.ventures),
                    html_for="audit-venture",
                ),
                field(
                    "From",
                    rx.input(
                        type="date",
                        name="from",
                        id="audit-from",
                        default_value=S.f_from,
                        width="100%",
                    ),
                    html_for="audit-from",
                ),
                field(
                    "To",
                    rx.input(
                        type="date",
                        name="to",
                        id="audit-to",
                        default_value=S.f_to,
                        width="100%",
                    ),
                    html_for="audit-to",
                    error=S.filter_error,
                ),
                filter_actions(
                    "audit",
                    on_clear=S.clear_filters,
                    align="end",
                    height="100%",
                    padding_top="22px",
                ),
                columns=rx.breakpoints(initial="1", sm="2", lg="6"),
                spacing="3",
                width="100%",
                align="start",
            ),
            rx.text(
                S.dates_caption,
                size="1",
                color_scheme="gray",
            ),
            spacing="2",
            width="100%",
        ),
        id="audit-filters",
        on_submit=S.apply_filters,
        form_key=S.form_key,
    )


def _row(r: AuditRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r.at, size="2", white_space="nowrap")),
        rx.table.row_header_cell(
            rx.tooltip(
                rx.badge(r.action_label, color_scheme=r.action_color, variant="soft"),
                content=r.action,
            ),
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(r.who, size="2"),
                rx.cond(
                    r.as_whom != "",
                    rx.text("acting as " + r.as_whom, size="1", color="var(--amber-11)"),
                    rx.fragment(),
                ),
                spacing="0",
            )
        ),
        rx.table.cell(rx.text(r.entity, size="2", color_scheme="gray")),
        rx.table.cell(rx.text(r.venture, size="2")),
        rx.table.cell(
            rx.tooltip(
                rx.text(
                    r.detail,
                    size="1",
                    color_scheme="gray",
                    class_name="audit-detail",
                    style={
                        "maxWidth": "420px",
                        "overflow": "hidden",
                        "textOverflow": "ellipsis",
                        "whiteSpace": "nowrap",
                    },
                ),
                content=rx.cond(r.ip != "", r.detail + " · IP " + r.ip, r.detail),
            ),
        ),
        align="center",
        class_name="audit-row",
        data_action=r.action,
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                ["When", "Action", "By", "Record", "Venture", "Details"],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="audit-table",
                max_height="calc(100vh - 330px)",
            ),
            cursor_pager(S, id_prefix="audit"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "scroll-text",
            "No audit entries match",
            "Sign-ins, user and venture changes, quick-link edits and impersonation appear here. "
            "Widen the dates or clear the filters.",
            id="audit-empty",
        ),
    )


@page("audit", on_load=S.load)
def audit_page() -> rx.Component:
    return app_shell(
        rx.vstack(_filters(), _table(), spacing="4", width="100%"),
        page_key="audit",
        title="Audit log",
        section="Admin",
        reload=S.load,
        actions=export_button(S, id="audit-export"),
    )
