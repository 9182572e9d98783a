"""/incentives/commit: venture and date, the dry run's rows, then the commit with progress and the
run that wrote the rows."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import date_field, field, filter_card, submit_button
from rxapp.components.freight import num_cell
from rxapp.components.layout import app_shell
from rxapp.components.ui import confirm_dialog, data_table, empty_state, muted, section_heading
from rxapp.pages import page
from rxapp.state.incentive_commit import IncentiveCommitState
from rxapp.views.incentives import CommitLine

S = IncentiveCommitState


def _form() -> rx.Component:
    return filter_card(
        rx.vstack(
            rx.hstack(
                rx.box(
                    field(
                        "Venture",
                        rx.select.root(
                            rx.select.trigger(id="commit-venture", width="100%"),
                            rx.select.content(
                                rx.foreach(
                                    S.choices, lambda o: rx.select.item(o.label, value=o.value)
                                )
                            ),
                            name="venture",
                            default_value=S.c_venture,
                        ),
                        html_for="commit-venture",
                        error=S.err_venture,
                    ),
                    width="180px",
                ),
                rx.box(
                    date_field(
                        "Business date",
                        name="date",
                        id="commit-date",
                        value=S.c_date,
                        error=S.err_date,
                    ),
                    width="200px",
                ),
                submit_button("Dry run", busy=S.busy, id="commit-dry-run", variant="soft"),
                rx.button(
                    rx.icon("hand-coins", size=14),
                    "Commit",
                    type="button",
                    on_click=S.ask_commit,
                    disabled=(S.dry_key == "") | S.committing,
                    loading=S.committing,
                    id="commit-go",
                ),
                spacing="3",
                align="end",
                wrap="wrap",
                width="100%",
            ),
            rx.cond(
                S.form_error != "",
                rx.callout(
                    S.form_error,
                    icon="circle-alert",
                    color_scheme="red",
                    size="1",
                    id="commit-error",
                ),
            ),
            muted(
                "A dry run computes the day and writes nothing. Commit replaces that day's rows "
                "for the venture, as a job run with a report.",
                size="1",
            ),
            spacing="2",
            width="100%",
        ),
        id="commit-form",
        on_submit=S.dry_run,
        form_key=S.form_key,
    )


def _line(r: CommitLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.user),
        rx.table.cell(r.currency),
        num_cell(r.amount),
        rx.table.cell(
            rx.el.ul(
                rx.foreach(r.lines, lambda line: rx.el.li(rx.text(line, size="1"))),
                style={"paddingLeft": "1.1em", "margin": 0},
            )
        ),
    )


def _rows(rows: rx.Var, id: str) -> rx.Component:
    return data_table(
        ["Person", "Currency", ("Amount", "right"), "Breakdown"],
        rx.table.body(rx.foreach(rows, _line)),
        id=id,
        max_height="480px",
    )


def _progress() -> rx.Component:
    return rx.cond(
        S.committing,
        rx.card(
            rx.vstack(
                rx.text(S.progress_text, size="2", id="commit-progress-text"),
                rx.progress(value=S.progress, max=100, width="100%"),
                spacing="2",
                width="100%",
            ),
            width="100%",
            id="commit-progress",
        ),
    )


def _result() -> rx.Component:
    return rx.cond(
        S.result_status != "",
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.badge(S.result_status, color_scheme=S.result_color, variant="soft"),
                    rx.text(S.result_text, size="2", id="commit-result-text"),
                    spacing="3",
                    align="center",
                    wrap="wrap",
                ),
                rx.cond(
                    S.result_url != "",
                    rx.link(
                        rx.hstack(
                            rx.icon("file-text", size=14),
                            rx.text("Open the report of run ", S.result_run_id),
                            spacing="1",
                        ),
                        href=S.result_url,
                        is_external=True,
                        id="commit-report",
                    ),
                    rx.text("Run ", S.result_run_id, size="1", color_scheme="gray"),
                ),
                rx.cond(S.result_rows.length() > 0, _rows(S.result_rows, "commit-written")),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="commit-result",
            data_run_id=S.result_run_id,
        ),
    )


def _dry() -> rx.Component:
    return rx.cond(
        S.dry_key != "",
        rx.vstack(
            section_heading("Dry run: " + S.dry_title),
            rx.text(
                S.dry_count.to_string() + " rows · " + S.dry_totals,
                weight="bold",
                id="commit-dry-totals",
            ),
            rx.cond(
                S.dry_count > 0,
                _rows(S.dry_rows, "commit-dry-rows"),
                muted("Nobody is paid on this day: a commit would leave no rows."),
            ),
            spacing="3",
            width="100%",
        ),
    )


def _content() -> rx.Component:
    return rx.cond(
        S.choices.length() == 0,
        empty_state(
            "hand-coins",
            "No venture to commit",
            "Ventures in your scope where you may commit incentives appear here.",
            id="commit-none",
        ),
        rx.vstack(
            _form(),
            _progress(),
            _result(),
            _dry(),
            confirm_dialog(
                open=S.confirm_open,
                on_open_change=S.set_confirm_open,
                title="Commit incentives for " + S.dry_title + "?",
                description=(
                    "This replaces the day's incentive rows with "
                    + S.dry_count.to_string()
                    + " rows totalling "
                    + S.dry_totals
                    + ", written by a new job run."
                ),
                confirm_label="Commit",
                on_confirm=S.commit,
                danger=False,
                busy=S.committing,
                id="commit-confirm",
            ),
            spacing="4",
            width="100%",
        ),
    )


@page("incentives_commit", on_load=S.load)
def incentive_commit_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="incentives_commit",
        title="Commit incentives",
        section="Incentives",
        reload=S.load,
    )
