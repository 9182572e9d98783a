"""/incentives/payouts: create a period's payouts (with progress), the periods per venture, a run's
review (payouts, report, reconciliation, the comparison with the previous run of the period) with
approve, re-run (replace), mark paid, void and the payroll CSV per currency."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    date_field,
    field,
    filter_card,
    form_dialog,
    form_summary,
    submit_button,
)
from rxapp.components.freight import num_cell
from rxapp.components.layout import app_shell
from rxapp.components.run_compare import run_compare
from rxapp.components.ui import (
    code_badge,
    confirm_dialog,
    data_table,
    empty_state,
    muted,
    section_heading,
)
from rxapp.pages import page
from rxapp.state.payouts import PayoutsState
from rxapp.views.payouts import PayoutRow, PeriodRow

S = PayoutsState


# -- create ---------------------------------------------------------------------------------------


def _create_form() -> rx.Component:
    return filter_card(
        rx.vstack(
            form_summary(S.create_errors, id="payouts-create-errors"),
            rx.hstack(
                rx.box(
                    field(
                        "Venture",
                        rx.select.root(
                            rx.select.trigger(id="payouts-venture", width="100%"),
                            rx.select.content(
                                rx.foreach(
                                    S.create_choices,
                                    lambda o: rx.select.item(o.label, value=o.value),
                                )
                            ),
                            name="venture",
                            default_value=S.c_venture,
                        ),
                        html_for="payouts-venture",
                        error=S.create_err["venture"],
                    ),
                    width="160px",
                ),
                rx.box(
                    date_field(
                        "From",
                        name="from",
                        id="payouts-from",
                        value=S.c_from,
                        error=S.create_err["period_start"],
                    ),
                    width="190px",
                ),
                rx.box(
                    date_field(
                        "To",
                        name="to",
                        id="payouts-to",
                        value=S.c_to,
                        error=S.create_err["period_end"],
                    ),
                    width="190px",
                ),
                submit_button("Create payouts", busy=S.creating, id="payouts-create"),
                spacing="3",
                align="end",
                wrap="wrap",
                width="100%",
            ),
            muted(
                "Creates the period's CALCULATED payouts (per person and currency, the sum of "
                "the committed days) as a run of the payouts notebook, with a report.",
                size="1",
            ),
            rx.cond(
                S.progress_text != "",
                rx.vstack(
                    rx.text(S.progress_text, size="2", id="payouts-progress-text"),
                    rx.progress(value=S.progress, max=100, width="100%"),
                    spacing="2",
                    width="100%",
                    id="payouts-progress",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        id="payouts-create-form",
        on_submit=S.create,
        form_key=S.form_key,
    )


# -- periods --------------------------------------------------------------------------------------


def _period(r: PeriodRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                r.period,
                on_click=S.review(r.run_id),
                cursor="pointer",
                class_name="payouts-open",
            )
        ),
        rx.table.cell(code_badge(r.venture)),
        rx.table.cell(rx.badge(r.status, color_scheme=r.status_color, variant="soft")),
        num_cell(r.payees),
        rx.table.cell(r.totals, style={"fontVariantNumeric": "tabular-nums"}),
        rx.table.cell(rx.text(r.run_id, size="1", color_scheme="gray")),
        rx.table.cell(rx.text(r.approved, size="1")),
        class_name="payouts-period",
        data_run_id=r.run_id,
    )


def _periods() -> rx.Component:
    return rx.vstack(
        section_heading("Periods"),
        rx.cond(
            S.periods.length() > 0,
            data_table(
                [
                    "Period",
                    "Venture",
                    "Status",
                    ("Payees", "right"),
                    "Total per currency",
                    "Run",
                    "Approved",
                ],
                rx.table.body(rx.foreach(S.periods, _period)),
                id="payouts-periods",
                max_height="420px",
            ),
            empty_state(
                "banknote",
                "No payout periods yet",
                "Periods appear here once finance creates the payouts of a period above.",
                id="payouts-empty",
            ),
        ),
        spacing="3",
        width="100%",
    )


# -- review ---------------------------------------------------------------------------------------


def _payout(r: PayoutRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.user),
        rx.table.cell(r.currency),
        num_cell(r.amount),
        num_cell(r.days),
        rx.table.cell(rx.badge(r.status, color_scheme=r.status_color, variant="soft")),
        rx.table.cell(rx.text(r.note, size="1", color_scheme="gray")),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    r.may_pay,
                    rx.button(
                        "Mark paid",
                        size="1",
                        variant="soft",
                        on_click=S.mark_paid(r.id),
                        class_name="payout-pay",
                    ),
                ),
                rx.cond(
                    r.may_void,
                    rx.button(
                        "Void",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=S.ask_void(r.id),
                        class_name="payout-void",
                    ),
                ),
                spacing="2",
            )
        ),
        class_name="payout-row",
        data_id=r.id,
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.cond(
            S.may_approve,
            rx.button(
                rx.icon("signature", size=14),
                "Approve run",
                on_click=S.ask_approve,
                loading=S.approving,
                id="payouts-approve",
            ),
        ),
        rx.cond(
            S.may_pay_all,
            rx.button(
                rx.icon("banknote", size=14),
                "Mark all paid",
                variant="soft",
                on_click=S.mark_all_paid,
                id="payouts-pay-all",
            ),
        ),
        rx.cond(
            S.may_replace,
            rx.button(
                rx.icon("refresh-cw", size=14),
                "Re-run (replace)",
                variant="soft",
                color_scheme="gray",
                on_click=S.ask_rerun,
                loading=S.creating,
                id="payouts-rerun",
            ),
        ),
        rx.foreach(
            S.r_currencies,
            lambda c: rx.button(
                rx.icon("download", size=14),
                "Payroll CSV " + c,
                variant="soft",
                color_scheme="gray",
                on_click=S.export_payroll(c),
                class_name="payouts-export",
                data_currency=c,
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def _review() -> rx.Component:
    return rx.cond(
        S.run_id != "",
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(S.r_title, size="4", id="payouts-review-title"),
                    rx.badge(
                        S.r_status,
                        color_scheme=S.r_status_color,
                        variant="soft",
                        id="payouts-review-status",
                    ),
                    rx.spacer(),
                    rx.icon_button(
                        rx.icon("x", size=14),
                        variant="ghost",
                        color_scheme="gray",
                        on_click=S.close_review,
                        aria_label="Close the review",
                        id="payouts-review-close",
                    ),
                    align="center",
                    spacing="3",
                    width="100%",
                ),
                rx.text(
                    S.r_payees.to_string() + " payees · " + S.r_totals,
                    size="5",
                    weight="bold",
                    id="payouts-review-totals",
                    style={"fontVariantNumeric": "tabular-nums"},
                ),
                rx.hstack(
                    rx.cond(
                        S.r_report_url != "",
                        rx.link(
                            rx.hstack(
                                rx.icon("file-text", size=14),
                                rx.text("Open the report of run ", S.run_id),
                                spacing="1",
                            ),
                            href=S.r_report_url,
                            is_external=True,
                            id="payouts-report",
                        ),
                        rx.text("Run ", S.run_id, size="1", color_scheme="gray"),
                    ),
                    rx.text("Output hash ", rx.code(S.r_hash), size="1", id="payouts-hash"),
                    spacing="4",
                    align="center",
                    wrap="wrap",
                ),
                rx.callout(
                    rx.vstack(
                        rx.text("Reconciliation (payouts against the committed days)"),
                        rx.foreach(S.r_reconciliation, lambda line: rx.text(line, size="1")),
                        spacing="1",
                    ),
                    icon=rx.cond(S.r_reconciled, "circle-check", "circle-alert"),
                    color_scheme=rx.cond(S.r_reconciled, "green", "red"),
                    size="1",
                    id="payouts-reconciliation",
                ),
                rx.cond(
                    S.r_signed != "",
                    rx.text(S.r_signed, size="2", color_scheme="green", id="payouts-signed"),
                ),
                rx.cond(
                    S.approve_error != "",
                    rx.callout(
                        S.approve_error,
                        icon="circle-alert",
                        color_scheme="red",
                        size="1",
                        id="payouts-approve-error",
                    ),
                ),
                _actions(),
                data_table(
                    [
                        "Person",
                        "Currency",
                        ("Amount", "right"),
                        ("Days", "right"),
                        "Status",
                        "",
                        "",
                    ],
                    rx.table.body(rx.foreach(S.r_payouts, _payout)),
                    id="payouts-review-table",
                    max_height="520px",
                ),
                run_compare(S, S.run_id, id_prefix="payouts-compare"),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="payouts-review",
            data_run_id=S.run_id,
        ),
    )


# -- dialogs --------------------------------------------------------------------------------------


def _dialogs() -> rx.Component:
    return rx.fragment(
        confirm_dialog(
            open=S.approve_open,
            on_open_change=S.set_approve_open,
            title="Approve the payouts of " + S.r_title + "?",
            description=S.approve_text,
            confirm_label="Approve",
            on_confirm=S.approve,
            danger=False,
            busy=S.approving,
            id="payouts-approve-confirm",
        ),
        confirm_dialog(
            open=S.rerun_open,
            on_open_change=S.set_rerun_open,
            title="Re-run the payouts of " + S.r_title + "?",
            description=(
                "The period's CALCULATED payouts are voided and computed again from the "
                "committed days, as a new run to approve."
            ),
            confirm_label="Re-run (replace)",
            on_confirm=S.rerun,
            danger=True,
            busy=S.creating,
            id="payouts-rerun-confirm",
        ),
        form_dialog(
            form_summary(S.void_errors, id="payout-void-errors"),
            field(
                "Reason",
                rx.text_area(name="reason", id="payout-void-reason", width="100%"),
                html_for="payout-void-reason",
                error=S.void_err["reason"],
                help_text="Kept with the payout and in the audit log.",
            ),
            title=S.void_title,
            description="A voided payout is never paid; the period may then be re-run.",
            submit=submit_button(
                "Void", busy=S.voiding, id="payout-void-submit", color_scheme="red"
            ),
            on_submit=S.void,
            open=S.void_open,
            on_open_change=S.set_void_open,
            id="payout-void-dialog",
            max_width="460px",
            cancel_id="payout-void-cancel",
        ),
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.cond(S.create_choices.length() > 0, _create_form()),
        _review(),
        _periods(),
        _dialogs(),
        spacing="4",
        width="100%",
    )


@page("incentives_payouts", on_load=S.load)
def payouts_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="incentives_payouts",
        title="Payouts",
        section="Incentives",
        reload=S.refresh,
        subtitle="A period's pay per person and currency: created by a run, approved by finance "
        "as a whole, then paid.",
    )
