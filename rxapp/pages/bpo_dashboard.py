"""/bpo/dashboard: headline cards, the funnel per campaign (chart and table), trend charts, then
the agent leaderboard by deals."""

from __future__ import annotations

import reflex as rx

from rxapp.components.charts import bar_chart, chart_card, headline_card, line_chart
from rxapp.components.dashboard import dashboard_skeleton, range_form
from rxapp.components.freight import num_cell, two_lines
from rxapp.components.layout import app_shell
from rxapp.components.ui import data_table, empty_state, section_heading
from rxapp.pages import page
from rxapp.state.bpo_dashboard import BpoDashboardState
from rxapp.views.bpo import FunnelTableRow, LeaderTableRow

S = BpoDashboardState

FUNNEL = (
    ("dials", "Dials", "var(--gray-9)"),
    ("connects", "Connects", "var(--accent-9)"),
    ("appointments", "Appointments", "var(--amber-9)"),
    ("deals", "Deals", "var(--green-9)"),
)
# (data keys, title, subtitle, kind, chart)
TRENDS = (
    (
        ("dials", "connects"),
        "Dials and connects",
        "Per business date, all campaigns",
        "count",
        "line",
    ),
    (
        ("connect_rate", "conversion"),
        "Connect rate and conversion",
        "Connects / dials, deals / connects",
        "pct",
        "line",
    ),
    (("appointments", "deals"), "Appointments and deals", "Set and won that day", "count", "bar"),
    (("revenue",), "Revenue", "Of the deals won that day", "money", "bar"),
    (("talk_minutes",), "Talk minutes", "Connected time that day", "count", "bar"),
    (("average_qa",), "Average QA", "Quality score, 0-100", "count", "line"),
)
LABELS = {
    "dials": "Dials",
    "connects": "Connects",
    "connect_rate": "Connect rate",
    "conversion": "Conversion",
    "appointments": "Appointments",
    "deals": "Deals",
    "revenue": "Revenue",
    "talk_minutes": "Talk minutes",
    "average_qa": "Average QA",
}
PALETTE = ("var(--accent-9)", "var(--green-9)")
Y_LABELS = {"pct": "Percent", "money": "Amount", "count": "Count"}


def _funnel_row(r: FunnelTableRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            two_lines(rx.text(r.campaign, size="2", weight="medium"), r.client)
        ),
        num_cell(r.dials),
        num_cell(r.connects),
        num_cell(r.appointments),
        num_cell(r.deals),
        num_cell(r.connect_rate),
        num_cell(r.appointment_rate),
        num_cell(r.conversion),
        num_cell(r.revenue),
        align="center",
        class_name="funnel-row",
        data_campaign=r.campaign,
    )


def _funnel() -> rx.Component:
    return rx.vstack(
        section_heading(
            "Funnel by campaign",
            subtitle="Dials → connects → appointments → deals of the calls logged in the period",
        ),
        chart_card(
            "Funnel",
            "Each campaign's four steps side by side",
            bar_chart(
                S.funnel_series,
                list(FUNNEL),
                kind="count",
                y_label="Count",
                x_label="Campaign",
                x_key="campaign",
                height=260,
                id="bpo-funnel-chart",
            ),
        ),
        data_table(
            [
                "Campaign",
                ("Dials", "right"),
                ("Connects", "right"),
                ("Appointments", "right"),
                ("Deals", "right"),
                ("Connect rate", "right"),
                ("Appt. rate", "right"),
                ("Conversion", "right"),
                ("Revenue", "right"),
            ],
            rx.table.body(rx.foreach(S.funnel, _funnel_row)),
            id="bpo-funnel-table",
        ),
        spacing="3",
        width="100%",
    )


def _trends() -> rx.Component:
    cards = []
    for keys, title, subtitle, kind, chart in TRENDS:
        draw = line_chart if chart == "line" else bar_chart
        series = [(k, LABELS[k], PALETTE[i % 2]) for i, k in enumerate(keys)]
        cards.append(
            chart_card(
                title,
                subtitle,
                draw(
                    S.series,
                    series,
                    kind=kind,
                    y_label=Y_LABELS[kind],
                    height=220,
                    id=f"bpo-chart-{keys[0].replace('_', '-')}",
                ),
            )
        )
    return rx.grid(*cards, columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%")


def _leader(r: LeaderTableRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r.rank, size="2", color_scheme="gray")),
        rx.table.row_header_cell(two_lines(rx.text(r.name, size="2", weight="medium"), r.campaign)),
        num_cell(r.deals),
        num_cell(r.revenue),
        num_cell(r.appointments),
        num_cell(r.connects),
        num_cell(r.calls),
        num_cell(r.conversion),
        align="center",
        class_name="leader-row",
        data_agent=r.name,
    )


def _leaders() -> rx.Component:
    return rx.vstack(
        section_heading("Agent leaderboard", subtitle="By deals won in the period, then revenue"),
        rx.cond(
            S.leaders.length() > 0,
            data_table(
                [
                    "#",
                    "Agent",
                    ("Deals", "right"),
                    ("Revenue", "right"),
                    ("Appointments", "right"),
                    ("Connects", "right"),
                    ("Calls", "right"),
                    ("Conversion", "right"),
                ],
                rx.table.body(rx.foreach(S.leaders, _leader)),
                id="bpo-leaders",
            ),
            rx.text("No calls logged in this range.", size="2", color_scheme="gray"),
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
                columns=rx.breakpoints(initial="1", sm="2", md="4"),
                spacing="3",
                width="100%",
                id="bpo-headlines",
            ),
            rx.cond(
                S.has_data,
                rx.fragment(),
                empty_state(
                    "headset",
                    "No calls in this range",
                    "Agents log calls on My calls today, or import a dialer export on Import; "
                    "widen the range or choose “All my ventures” in the header.",
                    id="bpo-dash-empty",
                ),
            ),
            _funnel(),
            _trends(),
            _leaders(),
            spacing="5",
            width="100%",
            opacity=rx.cond(S.loading, "0.55", "1"),
            transition="opacity 0.15s ease",
        ),
        empty_state(
            "chart-line",
            "No numbers to show",
            "Choose a range of at most two years in your BPO ventures (one currency).",
            id="bpo-dash-none",
        ),
    )
    return rx.vstack(
        range_form(S, "bdash"),
        rx.text(S.period, size="2", color_scheme="gray", id="bdash-period"),
        rx.cond(
            S.computed_note != "",
            rx.badge(
                rx.icon("info", size=12),
                S.computed_note,
                color_scheme="blue",
                variant="soft",
                id="bdash-computed",
            ),
            rx.fragment(),
        ),
        body,
        spacing="4",
        width="100%",
        id="bpo-dashboard",
    )


@page("bpo_dashboard", on_load=S.load)
def bpo_dashboard_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="bpo_dashboard",
        title="BPO dashboard",
        section="BPO",
        crumb="Dashboard",
        subtitle="Your campaigns' calls (or the venture chosen in the header) against the "
        "previous period of the same length.",
        reload=S.load,
        skeleton=dashboard_skeleton(),
    )
