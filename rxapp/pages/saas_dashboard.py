"""/saas/dashboard: the MRR line, the monthly MRR movements and the top customers by MRR."""

from __future__ import annotations

import reflex as rx

from rxapp.components.charts import bar_chart, chart_card, line_chart
from rxapp.components.forms import date_field, filter_card, submit_button
from rxapp.components.layout import app_shell
from rxapp.components.ui import data_table, empty_state, section_heading
from rxapp.pages import page
from rxapp.state.saas_dashboard import SaasDashboardState
from rxapp.views.saas import TopCustomerRow

S = SaasDashboardState
MOVEMENTS = (
    ("new", "New", "var(--green-9)"),
    ("expansion", "Expansion", "var(--teal-9)"),
    ("contraction", "Contraction", "var(--amber-9)"),
    ("churned", "Churned", "var(--red-9)"),
)


def _range_form() -> rx.Component:
    return filter_card(
        rx.hstack(
            rx.box(date_field("From", name="from", id="sdash-from", value=S.f_from), width="180px"),
            rx.box(
                date_field("To", name="to", id="sdash-to", value=S.f_to, error=S.range_error),
                width="180px",
            ),
            submit_button("Apply", busy=False, id="sdash-apply"),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        id="sdash-range",
        on_submit=S.apply_range,
        form_key=S.form_key,
    )


def _top(row: TopCustomerRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.rank),
        rx.table.cell(rx.link(row.name, href=row.href)),
        rx.table.cell(row.mrr, text_align="right"),
        class_name="top-customer-row",
    )


def _content() -> rx.Component:
    body = rx.vstack(
        rx.hstack(
            rx.badge("MRR at the start: ", S.mrr_start, variant="soft", size="2"),
            rx.badge("MRR at the end: ", S.mrr_end, variant="soft", size="2", id="sdash-mrr-end"),
            rx.badge("Churned logos: ", S.churned_logos, color_scheme="red", variant="soft"),
            spacing="3",
            wrap="wrap",
        ),
        rx.grid(
            chart_card(
                "MRR",
                "Monthly recurring revenue on each day",
                line_chart(
                    S.mrr_line,
                    [("mrr", "MRR", "var(--accent-9)")],
                    kind="money",
                    y_label="MRR",
                    height=240,
                    id="schart-mrr",
                ),
            ),
            chart_card(
                "MRR movements by month",
                "New and expansion above zero; contraction and churn below",
                bar_chart(
                    S.months,
                    list(MOVEMENTS),
                    kind="money",
                    y_label="MRR",
                    x_label="Month",
                    height=240,
                    id="schart-movements",
                ),
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        section_heading("Top customers", subtitle="By MRR on the last day of the range"),
        data_table(
            ["#", "Customer", ("MRR", "right")],
            rx.table.body(rx.foreach(S.top, _top)),
            id="top-customers-table",
        ),
        spacing="4",
        width="100%",
    )
    return rx.vstack(
        _range_form(),
        rx.text(S.period, size="2", color_scheme="gray", id="sdash-period"),
        rx.cond(
            S.computed_note != "",
            rx.badge(
                rx.icon("info", size=12),
                S.computed_note,
                color_scheme="blue",
                variant="soft",
                id="sdash-computed",
            ),
            rx.fragment(),
        ),
        rx.cond(
            S.mrr_line.length() > 0,
            body,
            empty_state(
                "chart-line",
                "No numbers to show",
                "Choose a range of at most two years in one of your SaaS ventures.",
                id="sdash-none",
            ),
        ),
        spacing="4",
        width="100%",
        id="saas-dashboard",
    )


@page("saas_dashboard", on_load=S.load)
def saas_dashboard_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="saas_dashboard",
        title="SaaS dashboard",
        section="SaaS",
        crumb="Dashboard",
        subtitle="MRR, its monthly movements and the largest customers of your SaaS venture.",
        reload=S.load,
    )
