"""/freight/dashboard: headline cards, then charts, then the daily table they came from."""

from __future__ import annotations

import reflex as rx

from rxapp.components.charts import bar_chart, chart_card, headline_card, line_chart
from rxapp.components.dashboard import dashboard_skeleton, range_form
from rxapp.components.freight import num_cell
from rxapp.components.layout import app_shell
from rxapp.components.ui import data_table, empty_state, section_heading
from rxapp.pages import page
from rxapp.state.freight_dashboard import DayRow, FreightDashboardState

S = FreightDashboardState


def _range_form() -> rx.Component:
    return range_form(
        S,
        "dash",
        rx.button(
            rx.icon("download", size=14),
            "Export CSV",
            type="button",
            variant="soft",
            color_scheme="gray",
            on_click=S.export_csv,
            id="dash-export",
        ),
    )


def _headlines() -> rx.Component:
    return rx.grid(
        rx.foreach(S.headlines, headline_card),
        columns=rx.breakpoints(initial="1", sm="2", md="3", lg="5"),
        spacing="3",
        width="100%",
        id="dash-headlines",
    )


def _charts() -> rx.Component:
    money = chart_card(
        "Revenue and profit",
        "Loads delivered each day, in " + S.currency,
        line_chart(
            S.series,
            [
                ("revenue", "Revenue", "var(--accent-9)"),
                ("profit", "Profit", "var(--green-9)"),
            ],
            kind="money",
            y_label="Amount (" + "USD" + ")",
            id="chart-money",
        ),
    )
    loads = chart_card(
        "Loads per day",
        "Created, covered, delivered and lost, by business date",
        bar_chart(
            S.series,
            [
                ("created", "Created", "var(--blue-9)"),
                ("covered", "Covered", "var(--violet-9)"),
                ("delivered", "Delivered", "var(--green-9)"),
                ("lost", "Lost", "var(--red-9)"),
            ],
            kind="count",
            y_label="Loads",
            id="chart-loads",
        ),
    )
    rates = chart_card(
        "Coverage and margin",
        "Coverage = covered / created; margin = profit / revenue; gaps: nothing that day",
        line_chart(
            S.series,
            [
                ("coverage", "Coverage", "var(--violet-9)"),
                ("margin", "Margin", "var(--amber-9)"),
            ],
            kind="pct",
            y_label="Percent",
            id="chart-rates",
        ),
    )
    return rx.vstack(
        money,
        rx.grid(
            loads,
            rates,
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _day(r: DayRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(r.day, size="2", white_space="nowrap")),
        num_cell(r.created),
        num_cell(r.covered),
        num_cell(r.delivered),
        num_cell(r.lost),
        num_cell(r.revenue),
        num_cell(r.cost),
        num_cell(r.profit, negative=r.profit_negative),
        rx.table.cell(
            rx.text(
                r.margin,
                size="2",
                color=rx.cond(r.margin == "n/a", "var(--gray-10)", "inherit"),
            ),
            text_align="right",
        ),
        rx.table.cell(
            rx.text(
                r.coverage,
                size="2",
                color=rx.cond(r.coverage == "n/a", "var(--gray-10)", "inherit"),
            ),
            text_align="right",
        ),
        align="center",
        class_name="kpi-row",
    )


def _table() -> rx.Component:
    return rx.vstack(
        section_heading("By day", subtitle="The numbers behind the charts, newest first"),
        data_table(
            [
                "Date",
                ("Created", "right"),
                ("Covered", "right"),
                ("Delivered", "right"),
                ("Lost", "right"),
                ("Revenue", "right"),
                ("Cost", "right"),
                ("Profit", "right"),
                ("Margin", "right"),
                ("Coverage", "right"),
            ],
            rx.table.body(rx.foreach(S.days, _day)),
            id="kpi-table",
            max_height="480px",
        ),
        spacing="3",
        width="100%",
    )


def _content() -> rx.Component:
    body = rx.cond(
        S.headlines.length() > 0,
        rx.vstack(
            _headlines(),
            rx.cond(
                S.has_data,
                rx.fragment(),
                empty_state(
                    "chart-line",
                    "No freight activity in this range",
                    "Loads created, covered, delivered or lost in these dates show here. Widen "
                    "the range, or choose “All my ventures” in the header.",
                    id="dash-empty",
                ),
            ),
            _charts(),
            _table(),
            spacing="5",
            width="100%",
            opacity=rx.cond(S.loading, "0.55", "1"),
            transition="opacity 0.15s ease",
        ),
        empty_state(
            "chart-line",
            "No numbers to show",
            "Choose a range of at most two years in your freight ventures.",
            id="dash-none",
        ),
    )
    return rx.vstack(
        _range_form(),
        rx.hstack(
            rx.text(S.period, size="2", color_scheme="gray", id="dash-period"),
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
        id="freight-dashboard",
    )


@page("freight_dashboard", on_load=S.load)
def freight_dashboard_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="freight_dashboard",
        title="Freight dashboard",
        section="Freight",
        crumb="Dashboard",
        subtitle="Daily freight numbers of your ventures (or the one chosen in the header), "
        "against the previous period of the same length.",
        reload=S.load,
        skeleton=dashboard_skeleton(),
    )
