"""/holdings/assets: the holdings ventures' assets, by name, with their estimated value."""

from __future__ import annotations

import reflex as rx

from rxapp.components.freight import num_cell
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state
from rxapp.pages import page
from rxapp.state.holdings_lists import HoldingsAssetsState
from rxapp.views.holdings import AssetRow

S = HoldingsAssetsState


def _row(a: AssetRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(a.name),
        rx.table.cell(a.type),
        rx.table.cell(a.location),
        num_cell(a.value),
        rx.table.cell(a.acquired),
        align="center",
        class_name="asset-row",
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.rows.length() > 0,
            data_table(
                ["Asset", "Type", "Location", ("Estimated value", "right"), "Acquired"],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="holdings-assets-table",
            ),
            empty_state(
                "building-2",
                "No assets yet",
                "Assets of your holdings ventures appear here once added (API: POST "
                "/api/v1/holdings/assets).",
                id="holdings-assets-empty",
            ),
        ),
        cursor_pager(S, id_prefix="holdings-assets"),
        spacing="4",
        width="100%",
    )


@page("holdings_assets", on_load=S.load)
def holdings_assets_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="holdings_assets",
        title="Assets",
        section="Holdings",
        crumb="Assets",
        reload=S.load,
    )
