"""/holdings/dashboard: a headline card per currency, a balance chart per currency (never a
mixed total), and the assets' estimated value by type."""

from __future__ import annotations

import reflex as rx

from rxapp.components.charts import chart_card, headline_card, line_chart
from rxapp.components.freight import num_cell
from rxapp.components.layout import app_shell
from rxapp.components.ui import data_table, empty_state, section_heading
from rxapp.pages import page
from rxapp.pages.freight_dashboard import dashboard_skeleton
from rxapp.state.holdings_dashboard import PRESETS, HoldingsDashboardState

S = HoldingsDashboardState


def _presets() -> rx.Component:
    return rx.hstack(
        *(
            rx.button(
                label,
                type="button",
                size="2",
                variant=rx.cond(S.chosen == value, "solid", "soft"),
                color_scheme="gray",
                on_click=S.preset(value),
                id=f"holdings-preset-{value}",
            )
            for value, label in PRESETS.items()
        ),
        spacing="2",
        wrap="wrap",
    )


def _chart(currency: str, data: rx.Var) -> rx.Component:
    return rx.cond(
        data.length() > 0,  # type: ignore[attr-defined]
        chart_card(
            f"Bank balances in {currency}",
            "Sum of each account's latest balance on each day",
            line_chart(
                data,
                [("balance", f"Balance ({currency})", "var(--accent-9)")],
                kind="money",
                y_label=f"Amount ({currency})",
                height=240,
                id=f"holdings-chart-{currency.lower()}",
            ),
        ),
        rx.fragment(),
    )


def _type_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["type"]),
        rx.table.cell(row["currency"]),
        num_cell(row["value"]),
        align="center",
    )


def _content() -> rx.Component:
    return rx.vstack(
        _presets(),
        rx.text(S.period, size="2", color_scheme="gray", id="holdings-period"),
        rx.cond(
            S.computed_note != "",
            rx.badge(
                rx.icon("info", size=12),
                S.computed_note,
                color_scheme="blue",
                variant="soft",
                id="holdings-computed",
            ),
            rx.fragment(),
        ),
        rx.cond(
            S.headlines.length() > 0,
            rx.grid(
                rx.foreach(S.headlines, headline_card),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
                id="holdings-headlines",
            ),
            empty_state(
                "landmark",
                "No bank balances yet",
                "Record a balance on Bank accounts, or choose another venture in the header.",
                id="holdings-empty",
            ),
        ),
        rx.grid(
            _chart("USD", S.usd_series),
            _chart("INR", S.inr_series),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        section_heading("Assets by type", subtitle="Estimated value, per currency"),
        data_table(
            ["Type", "Currency", ("Estimated value", "right")],
            rx.table.body(rx.foreach(S.by_type, _type_row)),
            id="holdings-assets-by-type",
        ),
        spacing="4",
        width="100%",
        id="holdings-dashboard",
    )


@page("holdings_dashboard", on_load=S.load)
def holdings_dashboard_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="holdings_dashboard",
        title="Holdings dashboard",
        section="Holdings",
        crumb="Dashboard",
        subtitle="Bank balances per currency over time and the assets by type.",
        reload=S.load,
        skeleton=dashboard_skeleton(),
    )
