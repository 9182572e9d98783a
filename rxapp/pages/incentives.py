"""/incentives (My incentives) and /incentives/venture (Venture incentives)."""

from __future__ import annotations

import reflex as rx

from rxapp.components.charts import bar_chart, chart_card
from rxapp.components.forms import date_field, field, filter_card, submit_button
from rxapp.components.freight import num_cell
from rxapp.components.layout import app_shell
from rxapp.components.ui import code_badge, data_table, empty_state, muted, section_heading
from rxapp.pages import page
from rxapp.state.incentives import MyIncentivesState, VentureIncentivesState
from rxapp.views.incentives import MonthRow, MyDayRow, RunRow, UserRow
from rxapp.views.payouts import MyPayoutRow

M = MyIncentivesState
V = VentureIncentivesState


def run_link(run_id: rx.Var, url: rx.Var, *, id_prefix: str) -> rx.Component:
    """The run that wrote a row: a link to its report when it opens for the reader, else its id."""
    return rx.cond(
        url != "",
        rx.link(
            rx.hstack(rx.icon("file-text", size=13), rx.text("Run ", run_id), spacing="1"),
            href=url,
            is_external=True,
            size="1",
            class_name=f"{id_prefix}-report",
        ),
        rx.cond(
            run_id != "",
            rx.text("Run ", run_id, size="1", color_scheme="gray", class_name=f"{id_prefix}-run"),
            rx.fragment(),
        ),
    )


# -- My incentives --------------------------------------------------------------------------------


def _month_picker() -> rx.Component:
    return rx.hstack(
        rx.el.label(rx.text("Month", size="2", weight="medium"), html_for="my-inc-month"),
        rx.select.root(
            rx.select.trigger(id="my-inc-month", width="160px"),
            rx.select.content(
                rx.foreach(M.month_options, lambda o: rx.select.item(o.label, value=o.value))
            ),
            value=M.month,
            on_change=M.choose_month,
        ),
        spacing="3",
        align="center",
    )


def _month_row(r: MonthRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(r.month_label, on_click=M.choose_month(r.month), cursor="pointer")
        ),
        rx.table.cell(code_badge(r.venture)),
        rx.table.cell(r.currency),
        num_cell(r.amount),
        num_cell(r.days),
    )


def _day_card(d: MyDayRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(d.day, size="3", weight="medium"),
                code_badge(d.venture),
                rx.spacer(),
                rx.text(
                    d.amount,
                    size="3",
                    weight="bold",
                    style={"fontVariantNumeric": "tabular-nums"},
                ),
                align="center",
                width="100%",
            ),
            rx.el.ul(
                rx.foreach(d.lines, lambda line: rx.el.li(rx.text(line, size="2"))),
                style={"paddingLeft": "1.1em", "margin": 0},
                class_name="inc-explanations",
            ),
            run_link(d.run_id, d.run_url, id_prefix="my-inc"),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="my-inc-day",
        data_day=d.key,
    )


def _my_payout(r: MyPayoutRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.period),
        rx.table.cell(code_badge(r.venture)),
        rx.table.cell(r.currency),
        num_cell(r.amount),
        rx.table.cell(rx.badge(r.status, color_scheme=r.status_color, variant="soft")),
        class_name="my-payout",
        data_key=r.key,
    )


def _my_payouts() -> rx.Component:
    return rx.vstack(
        section_heading("My payouts"),
        rx.cond(
            M.payouts.length() > 0,
            data_table(
                ["Period", "Venture", "Currency", ("Amount", "right"), "Status"],
                rx.table.body(rx.foreach(M.payouts, _my_payout)),
                id="my-payouts",
            ),
            muted("No payouts yet. A period's payouts appear here once finance creates them."),
        ),
        spacing="3",
        width="100%",
    )


def _my_content() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            _month_picker(),
            rx.spacer(),
            rx.hstack(
                rx.foreach(
                    M.month_totals,
                    lambda t: rx.badge(t, size="2", variant="soft", class_name="my-inc-total"),
                ),
                spacing="2",
                wrap="wrap",
                id="my-inc-month-totals",
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            M.changes.length() > 0,
            rx.callout.root(
                rx.callout.icon(rx.icon("history")),
                rx.vstack(
                    rx.text("Recomputed days", weight="bold"),
                    rx.foreach(
                        M.changes, lambda c: rx.text(c, size="2", class_name="my-inc-change")
                    ),
                    spacing="1",
                ),
                color_scheme="amber",
                variant="surface",
                width="100%",
                id="my-inc-changes",
            ),
        ),
        section_heading("Days of " + M.month_title),
        rx.cond(
            M.days.length() > 0,
            rx.vstack(rx.foreach(M.days, _day_card), spacing="3", width="100%", id="my-inc-days"),
            empty_state(
                "wallet",
                "No incentives this month",
                "Days appear here once finance commits a day on which a plan paid you.",
                id="my-inc-empty",
            ),
        ),
        section_heading("Totals per month"),
        rx.cond(
            M.months.length() > 0,
            data_table(
                [
                    "Month",
                    "Venture",
                    "Currency",
                    ("Amount", "right"),
                    ("Days", "right"),
                ],
                rx.table.body(rx.foreach(M.months, _month_row)),
                id="my-inc-months",
            ),
            muted("No incentive rows in the last 12 months."),
        ),
        _my_payouts(),
        spacing="4",
        width="100%",
    )


@page("my_incentives", on_load=M.load)
def my_incentives_page() -> rx.Component:
    return app_shell(
        _my_content(),
        page_key="my_incentives",
        title="My incentives",
        section="Command center",
        reload=M.load,
        subtitle="Your committed incentives per day, explained rule by rule, per currency.",
    )


# -- Venture incentives ---------------------------------------------------------------------------


def _venture_form() -> rx.Component:
    return filter_card(
        rx.hstack(
            rx.box(
                field(
                    "Venture",
                    rx.select.root(
                        rx.select.trigger(id="vinc-venture", width="100%"),
                        rx.select.content(
                            rx.foreach(V.choices, lambda o: rx.select.item(o.label, value=o.value))
                        ),
                        name="venture",
                        default_value=V.venture_id,
                    ),
                    html_for="vinc-venture",
                ),
                width="160px",
            ),
            rx.box(date_field("From", name="from", id="vinc-from", value=V.f_from), width="170px"),
            rx.box(
                date_field("To", name="to", id="vinc-to", value=V.f_to, error=V.range_error),
                width="170px",
            ),
            submit_button("Apply", busy=False, id="vinc-apply"),
            rx.spacer(),
            rx.button(
                rx.icon("download", size=14),
                "Export CSV",
                type="button",
                variant="soft",
                color_scheme="gray",
                on_click=V.export_csv,
                disabled=V.users.length() == 0,
                id="vinc-export",
            ),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        id="vinc-filters",
        on_submit=V.apply,
        form_key=V.form_key,
    )


def _user(r: UserRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.user),
        rx.table.cell(r.currency),
        num_cell(r.amount),
        num_cell(r.days),
    )


def _run(r: RunRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.cond(
                r.url != "",
                rx.link(r.run_id, href=r.url, is_external=True),
                rx.text(r.run_id),
            )
        ),
        rx.table.cell(r.job),
        rx.table.cell(r.day),
        rx.table.cell(rx.badge(r.status, color_scheme=r.status_color, variant="soft")),
        rx.table.cell(r.started),
    )


def _venture_content() -> rx.Component:
    return rx.vstack(
        _venture_form(),
        rx.cond(
            V.choices.length() == 0,
            empty_state(
                "chart-column",
                "No venture to show",
                "Venture incentives appear for the ventures in your scope.",
                id="vinc-none",
            ),
            rx.vstack(
                rx.card(
                    rx.vstack(
                        muted(V.period, size="1"),
                        rx.text(V.totals, size="6", weight="bold", id="vinc-totals"),
                        spacing="1",
                    ),
                    width="100%",
                ),
                chart_card(
                    "Incentives per day",
                    "Committed amount per business date, one bar per currency (never added)",
                    bar_chart(
                        V.series,
                        [("USD", "USD", "var(--accent-9)"), ("INR", "INR", "var(--amber-9)")],
                        kind="count",
                        y_label="Amount",
                        id="vinc-chart",
                    ),
                ),
                section_heading("Per person"),
                rx.cond(
                    V.users.length() > 0,
                    data_table(
                        ["Person", "Currency", ("Amount", "right"), ("Days", "right")],
                        rx.table.body(rx.foreach(V.users, _user)),
                        id="vinc-users",
                    ),
                    muted("No incentive rows in this period."),
                ),
                section_heading("Runs"),
                rx.cond(
                    V.runs.length() > 0,
                    data_table(
                        ["Run", "Job", "Business date", "Status", "Started"],
                        rx.table.body(rx.foreach(V.runs, _run)),
                        id="vinc-runs",
                    ),
                    muted("No commit or backfill run in this period."),
                ),
                spacing="4",
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )


@page("incentives_venture", on_load=V.load)
def venture_incentives_page() -> rx.Component:
    return app_shell(
        _venture_content(),
        page_key="incentives_venture",
        title="Venture incentives",
        section="Incentives",
        reload=V.load,
    )
