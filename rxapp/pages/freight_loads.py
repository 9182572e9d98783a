"""/freight/loads: filters, the loads table with Newer / Older pages, CSV export."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    date_field,
    field,
    filter_actions,
    filter_bar,
    filter_card,
    select_field,
)
from rxapp.components.freight import badge, clip, lane, money_text, num_cell, two_lines
from rxapp.components.layout import app_shell
from rxapp.components.ui import (
    cursor_pager,
    data_table,
    empty_state,
    export_button,
    skeleton_rows,
)
from rxapp.pages import page
from rxapp.state.freight_loads import FreightLoadsState
from rxapp.state.session import SessionState
from rxapp.views.freight import LoadRow

S = FreightLoadsState


def _filters() -> rx.Component:
    return filter_card(
        rx.vstack(
            filter_bar(
                field(
                    "Reference",
                    rx.input(
                        rx.input.slot(rx.icon("search", size=14)),
                        name="search",
                        id="loads-search",
                        placeholder="e.g. AFL-10042",
                        default_value=S.f_search,
                        width="100%",
                    ),
                    html_for="loads-search",
                ),
                select_field(
                    "Status",
                    name="status",
                    id="loads-status",
                    value=S.f_status,
                    options=S.status_options,
                    all_label="All statuses",
                ),
                select_field(
                    "Office",
                    name="office",
                    id="loads-office",
                    value=S.f_office,
                    options=S.office_options,
                    all_label="All offices",
                ),
                select_field(
                    "Customer",
                    name="customer",
                    id="loads-customer",
                    value=S.f_customer,
                    options=S.customer_options,
                    all_label="All customers",
                ),
                date_field("Created from", name="from", id="loads-from", value=S.f_from),
                date_field(
                    "Created to",
                    name="to",
                    id="loads-to",
                    value=S.f_to,
                    error=S.filter_error,
                ),
                filter_actions("loads", on_clear=S.clear_filters),
                columns="7",
            ),
            spacing="2",
            width="100%",
        ),
        id="loads-filters",
        on_submit=S.apply_filters,
        form_key=S.form_key,
    )


def _row(r: LoadRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            two_lines(
                rx.link(
                    r.reference,
                    href=r.href,
                    weight="medium",
                    class_name="load-link",
                    style={"fontFamily": "var(--code-font-family)", "whiteSpace": "nowrap"},
                ),
                r.venture_code + " · " + r.created_day,
            )
        ),
        rx.table.cell(
            badge(r.status_label, r.status_color, r.status_icon), class_name="load-status"
        ),
        rx.table.cell(
            two_lines(r.customer, r.office, max_width="180px"), class_name="load-customer"
        ),
        rx.table.cell(
            two_lines(lane(r.origin, r.destination), r.lane_note, max_width="300px"),
        ),
        rx.table.cell(
            rx.cond(
                r.carrier != "",
                clip(r.carrier, max_width="160px"),
                rx.text("—", size="2", color_scheme="gray"),
            ),
        ),
        num_cell(r.bill),
        rx.table.cell(
            rx.vstack(
                money_text(r.margin, negative=r.margin_negative),
                rx.text(r.margin_pct, size="1", color_scheme="gray"),
                spacing="0",
                align="end",
            ),
            text_align="right",
        ),
        align="center",
        class_name="load-row",
        data_reference=r.reference,
        data_status=r.status,
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                [
                    "Load",
                    "Status",
                    "Customer",
                    "Lane",
                    "Carrier",
                    ("Bill", "right"),
                    ("Margin", "right"),
                ],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="loads-table",
                max_height="calc(100vh - 360px)",
            ),
            cursor_pager(S, id_prefix="loads"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "package",
            "No loads match",
            rx.cond(
                S.filtered,
                "Nothing matches these filters. Widen the dates or clear the filters.",
                rx.cond(
                    SessionState.venture_filter != "",
                    "No loads in this venture yet. Choose “All my ventures” in the header, or "
                    "create a load.",
                    rx.cond(
                        S.can_create,
                        "No loads yet. Create one with “New load”, or convert an accepted quote.",
                        "Loads you sell, dispatch or whose customers you serve appear here.",
                    ),
                ),
            ),
            id="loads-empty",
        ),
    )


def _actions() -> rx.Component:
    return rx.hstack(
        export_button(S, id="loads-export"),
        rx.cond(
            S.can_create,
            rx.link(
                rx.button(rx.icon("plus", size=16), "New load", id="load-new"),
                href="/freight/loads/new",
                underline="none",
            ),
            rx.fragment(),
        ),
        spacing="2",
    )


def loads_skeleton() -> rx.Component:
    return rx.vstack(
        rx.skeleton(height="88px", width="100%"),
        skeleton_rows(10, height="32px"),
        spacing="4",
        width="100%",
        id="page-loading",
    )


@page("freight_loads", on_load=S.load)
def freight_loads_page() -> rx.Component:
    return app_shell(
        rx.vstack(_filters(), _table(), spacing="4", width="100%"),
        page_key="freight_loads",
        title="Loads",
        section="Freight",
        subtitle="Loads in your ventures, newest first. Dates are business dates.",
        reload=S.load,
        actions=_actions(),
        skeleton=loads_skeleton(),
    )
