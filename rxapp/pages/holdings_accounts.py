"""/holdings/accounts: bank accounts (last 4 digits only) with their latest balance, and the
form that records a balance for a date."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import date_field, field, form_dialog, form_summary, submit_button
from rxapp.components.freight import num_cell
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state
from rxapp.pages import page
from rxapp.state.holdings_lists import HoldingsAccountsState
from rxapp.views.holdings import AccountRow

S = HoldingsAccountsState


def _row(a: AccountRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(a.name),
        rx.table.cell(a.bank),
        rx.table.cell(a.number),
        rx.table.cell(a.currency),
        num_cell(a.balance),
        rx.table.cell(a.as_of),
        rx.table.cell(
            rx.cond(
                S.can_record,
                rx.button(
                    "Record balance",
                    size="1",
                    variant="soft",
                    on_click=S.open_snapshot(a.id),
                    id="record-balance-" + a.id.to_string(),  # type: ignore[attr-defined]
                ),
                rx.fragment(),
            )
        ),
        align="center",
        class_name="account-row",
    )


def _snapshot_dialog() -> rx.Component:
    return form_dialog(
        form_summary(S.errors, id="snapshot-errors"),
        date_field("Date", name="day", id="snapshot-day", value="", error=S.err["day"]),
        field(
            "Balance",
            rx.input(
                id="snapshot-balance",
                name="balance",
                placeholder="e.g. 125000.00",
                input_mode="decimal",
                width="100%",
            ),
            html_for="snapshot-balance",
            help_text="In the account's currency; negative when overdrawn.",
            error=S.err["balance"],
        ),
        title=S.snapshot_title,
        description="One balance per account and date.",
        submit=submit_button("Record", busy=S.busy, id="snapshot-save"),
        on_submit=S.record,
        open=S.snapshot_open,
        on_open_change=S.set_snapshot_open,
        id="snapshot-dialog",
        max_width="460px",
        key=S.form_key,
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.rows.length() > 0,
            data_table(
                ["Account", "Bank", "Number", "Currency", ("Latest balance", "right"), "As of", ""],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="holdings-accounts-table",
            ),
            empty_state(
                "landmark",
                "No bank accounts yet",
                "Bank accounts of your holdings ventures appear here once added (API: POST "
                "/api/v1/holdings/accounts).",
                id="holdings-accounts-empty",
            ),
        ),
        cursor_pager(S, id_prefix="holdings-accounts"),
        _snapshot_dialog(),
        spacing="4",
        width="100%",
    )


@page("holdings_accounts", on_load=S.load)
def holdings_accounts_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="holdings_accounts",
        title="Bank accounts",
        section="Holdings",
        crumb="Bank accounts",
        reload=S.load,
    )
