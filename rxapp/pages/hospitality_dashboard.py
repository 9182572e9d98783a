"""/hospitality/dashboard: headline cards, a chart per metric, then the per-hotel table."""

from __future__ import annotations

import reflex as rx

from rxapp.components.charts import bar_chart, chart_card, headline_card, line_chart
from rxapp.components.dashboard import dashboard_skeleton, range_form
from rxapp.components.freight import num_cell, two_lines
from rxapp.components.layout import app_shell
from rxapp.components.ui import data_table, empty_state, section_heading
from rxapp.pages import page
from rxapp.state.hospitality_dashboard import HospitalityDashboardState, HotelTableRow

S = HospitalityDashboardState

# (data key, title, subtitle, kind, chart)
CHARTS = (
    ("occupancy", "Occupancy", "Rooms sold / rooms available, all hotels", "pct", "line"),
    ("adr", "ADR", "Room revenue / rooms sold", "money", "line"),
    ("revpar", "RevPAR", "Room revenue / rooms available", "money", "line"),
    ("revenue", "Revenue", "Room and other revenue", "money", "bar"),
    ("reviews_responded", "Reviews answered", "First answers given that day", "count", "bar"),
    ("disputes_won", "Disputes won", "Resolved as won that day", "count", "bar"),
    ("amount_recovered", "Amount recovered", "Amounts of the disputes won", "money", "bar"),
)
COLORS = {"line": "var(--accent-9)", "bar": "var(--green-9)"}
Y_LABELS = {"pct": "Percent", "money": "Amount", "count": "Count"}


def _range_form() -> rx.Component:
    return range_form(S, "hdash")


def _charts() -> rx.Component:
    cards = []
    for key, title, subtitle, kind, chart in CHARTS:
        draw = line_chart if chart == "line" else bar_chart
        cards.append(
            chart_card(
                title,
                subtitle,
                draw(
                    S.series,
                    [(key, title, COLORS[chart])],
                    kind=kind,
                    y_label=Y_LABELS[kind],
                    height=220,
                    id=f"hchart-{key.replace('_', '-')}",
                ),
            )
        )
    return rx.grid(*cards, columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%")


def _hotel(h: HotelTableRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            two_lines(rx.text(h.code, size="2", weight="medium"), h.name + " · " + h.status)
        ),
        num_cell(h.rooms),
        num_cell(h.rooms_available),
        num_cell(h.rooms_sold),
        num_cell(h.occupancy),
        num_cell(h.adr),
        num_cell(h.revpar),
        num_cell(h.revenue),
        align="center",
        class_name="hotel-row",
        data_hotel=h.code,
    )


def _hotels() -> rx.Component:
    return rx.vstack(
        section_heading("By hotel", subtitle="Each hotel over the period: its own sums and ratios"),
        data_table(
            [
                "Hotel",
                ("Rooms", "right"),
                ("Available", "right"),
                ("Sold", "right"),
                ("Occupancy", "right"),
                ("ADR", "right"),
                ("RevPAR", "right"),
                ("Room revenue", "right"),
            ],
            rx.table.body(rx.foreach(S.hotels, _hotel)),
            id="hotels-table",
        ),
        spacing="3",
        width="100%",
    )


def _content() -> rx.Component:
    body = rx.cond(
        S.headlines.length() > 0,
        rx.vstack(
            rx.grid(
                rx.foreach(S.headlines, headline_card),
                columns=rx.breakpoints(initial="1", sm="2", md="4", lg="7"),
                spacing="3",
                width="100%",
                id="hdash-headlines",
            ),
            rx.cond(
                S.has_data,
                rx.fragment(),
                empty_state(
                    "hotel",
                    "No hotel numbers in this range",
                    "Upload the hotels' daily numbers on Hotel KPIs, widen the range, or choose "
                    "“All my ventures” in the header.",
                    id="hdash-empty",
                ),
            ),
            _charts(),
            _hotels(),
            spacing="5",
            width="100%",
            opacity=rx.cond(S.loading, "0.55", "1"),
            transition="opacity 0.15s ease",
        ),
        empty_state(
            "chart-line",
            "No numbers to show",
            "Choose a range of at most two years in your hospitality ventures (one currency).",
            id="hdash-none",
        ),
    )
    return rx.vstack(
        _range_form(),
        rx.hstack(
            rx.text(S.period, size="2", color_scheme="gray", id="hdash-period"),
            rx.cond(
                S.computed_note != "",
                rx.badge(
                    rx.icon("info", size=12), S.computed_note, color_scheme="blue", variant="soft"
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
        id="hospitality-dashboard",
    )


@page("hospitality_dashboard", on_load=S.load)
def hospitality_dashboard_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="hospitality_dashboard",
        title="Hospitality dashboard",
        section="Hospitality",
        crumb="Dashboard",
        subtitle="Your hotels' numbers (or the venture chosen in the header) against the "
        "previous period of the same length.",
        reload=S.load,
        skeleton=dashboard_skeleton(),
    )
