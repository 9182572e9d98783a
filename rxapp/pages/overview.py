"""/overview: leadership's overview of the ventures in scope: the range form, then one row per
venture with its headline numbers and a link to its dashboard."""

from __future__ import annotations

from typing import Any

import reflex as rx

from rxapp.components.dashboard import dashboard_skeleton, range_form
from rxapp.components.layout import app_shell
from rxapp.components.ui import data_table, empty_state
from rxapp.pages import page
from rxapp.state.overview import OverviewState, VentureRow

S = OverviewState


def _metric(label: Any, value: Any, change: Any, color: Any, arrow: Any) -> rx.Component:
    return rx.table.cell(
        rx.cond(
            label != "",
            rx.vstack(
                rx.text(label, size="1", color_scheme="gray"),
                rx.text(
                    value,
                    size="3",
                    weight="medium",
                    style={"fontVariantNumeric": "tabular-nums"},
                ),
                rx.badge(
                    rx.icon(arrow, size=12),
                    change,
                    color_scheme=color,
                    variant="soft",
                ),
                spacing="0",
                align="end",
            ),
            rx.fragment(),
        ),
        text_align="right",
    )


def _row(r: VentureRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(r.name, href=r.path, weight="medium", id="overview-link-" + r.code),
                rx.text(r.code, size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(rx.badge(r.section, variant="soft", color_scheme="gray")),
        _metric(r.l1, r.v1, r.c1, r.k1, r.a1),
        _metric(r.l2, r.v2, r.c2, r.k2, r.a2),
        _metric(r.l3, r.v3, r.c3, r.k3, r.a3),
        align="center",
        class_name="overview-row",
    )


def _content() -> rx.Component:
    body = rx.cond(
        S.rows.length() > 0,
        rx.box(
            data_table(
                ["Venture", "Wing", ("Headline numbers", "right"), ("", "right"), ("", "right")],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="overview-table",
            ),
            width="100%",
            opacity=rx.cond(S.loading, "0.55", "1"),
            transition="opacity 0.15s ease",
        ),
        empty_state(
            "layout-dashboard",
            "No ventures to show",
            "Your ventures appear here with their headline numbers. Choose “All my ventures” in "
            "the header, or a range of at most two years.",
            id="overview-empty",
        ),
    )
    return rx.vstack(
        range_form(S, "overview"),
        rx.hstack(
            rx.text(S.period, size="2", color_scheme="gray", id="overview-period"),
            rx.cond(
                S.computed_note != "",
                rx.badge(
                    rx.icon("info", size=12),
                    S.computed_note,
                    color_scheme="blue",
                    variant="soft",
                    id="overview-computed",
                ),
                rx.fragment(),
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        body,
        spacing="4",
        width="100%",
        id="overview",
    )


@page("overview", on_load=S.load)
def overview_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="overview",
        title="Ventures overview",
        section="Command center",
        crumb="Overview",
        subtitle="Each venture's headline numbers against the previous period of the same "
        "length; open a venture's dashboard from its name.",
        reload=S.load,
        skeleton=dashboard_skeleton(),
    )
