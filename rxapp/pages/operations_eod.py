"""/operations/eod: per office of a venture and a day, who has not submitted their end-of-day
report; the day's reports with "Reviewed" and "Needs attention" (a note, in a dialog), and their
CSV export."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    date_field,
    field,
    filter_form,
    form_dialog,
    form_summary,
    select_field,
    submit_button,
)
from rxapp.components.layout import app_shell
from rxapp.components.ui import code_badge, empty_state, export_button, section_heading
from rxapp.pages import page
from rxapp.state.operations import EodReviewState
from rxapp.views.operations import EodRow, OfficeMissingRow

S = EodReviewState


def _filters() -> rx.Component:
    return filter_form(
        rx.hstack(
            rx.box(
                select_field(
                    "Venture",
                    name="venture",
                    id="eod-venture",
                    value=S.f_venture,
                    options=S.venture_options,
                ),
                width="280px",
            ),
            rx.box(date_field("Day", name="day", id="eod-day", value=S.f_day), width="180px"),
            rx.button("Show", type="submit", variant="soft", id="eod-apply"),
            spacing="3",
            align="end",
        ),
        id="eod-filters",
        on_submit=S.apply_filters,
        form_key=S.f_day,
    )


def _office(o: OfficeMissingRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                code_badge(o.venture_code),
                rx.text(o.office, size="3", weight="bold"),
                rx.spacer(),
                rx.text(o.counts, size="1", color_scheme="gray"),
                align="center",
                width="100%",
            ),
            rx.cond(
                o.missing.length() > 0,
                rx.vstack(
                    rx.text("Not submitted", size="1", weight="medium", color_scheme="red"),
                    rx.foreach(
                        o.missing,
                        lambda n: rx.text(n, size="2", class_name="eod-missing-person"),
                    ),
                    spacing="1",
                ),
                rx.text("Everyone has submitted.", size="2", color_scheme="green"),
            ),
            spacing="2",
            width="100%",
        ),
        class_name="eod-office",
        width="100%",
    )


def _report(r: EodRow) -> rx.Component:
    def block(label: str, text: rx.Var) -> rx.Component:
        return rx.cond(
            text != "",
            rx.vstack(
                rx.text(label, size="1", weight="medium", color_scheme="gray"),
                rx.text(text, size="2", white_space="pre-wrap"),
                spacing="0",
            ),
            rx.fragment(),
        )

    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(r.person, size="3", weight="bold"),
                rx.badge(r.status_label, color_scheme=r.status_color, variant="soft"),
                rx.spacer(),
                rx.text(r.hours, size="1", color_scheme="gray"),
                align="center",
                width="100%",
            ),
            rx.text(r.summary, size="2", white_space="pre-wrap"),
            block("Accomplishments", r.accomplishments),
            block("Blockers", r.blockers),
            block("Tomorrow", r.tomorrow),
            block("Review note", r.review_note),
            rx.hstack(
                rx.text("Submitted " + r.submitted, size="1", color_scheme="gray"),
                rx.spacer(),
                rx.cond(
                    r.can_review,
                    rx.hstack(
                        rx.button(
                            "Reviewed",
                            size="1",
                            variant="soft",
                            color_scheme="green",
                            on_click=S.mark_reviewed(r.id),
                            disabled=S.busy,
                            class_name="eod-mark-reviewed",
                        ),
                        rx.button(
                            "Needs attention",
                            size="1",
                            variant="soft",
                            color_scheme="red",
                            on_click=S.ask_attention(r.id),
                            class_name="eod-mark-attention",
                        ),
                        spacing="2",
                    ),
                    rx.fragment(),
                ),
                width="100%",
                align="center",
            ),
            spacing="2",
            width="100%",
        ),
        class_name="eod-report",
        data_report=r.id,
        width="100%",
    )


def _attention_dialog() -> rx.Component:
    return form_dialog(
        form_summary(S.errors, id="eod-attention-summary"),
        field(
            "Note",
            rx.text_area(name="note", id="eod-attention-note", width="100%", rows="3"),
            html_for="eod-attention-note",
            error=S.err["note"],
        ),
        title="Needs attention",
        description="Tell " + S.review_person + " what to look at.",
        submit=submit_button("Save", busy=S.busy, id="eod-attention-save"),
        on_submit=S.save_attention,
        open=S.review_open,
        on_open_change=S.set_review_open,
        id="eod-attention",
        max_width="480px",
    )


@page("operations_eod", on_load=S.load)
def operations_eod_page() -> rx.Component:
    content = rx.vstack(
        _filters(),
        section_heading("Who has not submitted · " + S.day_label),
        rx.cond(
            S.offices.length() > 0,
            rx.grid(
                rx.foreach(S.offices, _office),
                columns=rx.breakpoints(initial="1", md="2", xl="3"),
                spacing="3",
                width="100%",
                id="eod-offices",
            ),
            empty_state(
                "building", "No offices", "No office of this venture is yours.", id="eod-no-offices"
            ),
        ),
        section_heading("Reports"),
        rx.cond(
            S.reports.length() > 0,
            rx.vstack(rx.foreach(S.reports, _report), spacing="3", width="100%", id="eod-reports"),
            empty_state(
                "clipboard-check",
                "No reports yet",
                "Reports of this day show here.",
                id="eod-empty",
            ),
        ),
        _attention_dialog(),
        spacing="4",
        width="100%",
    )
    return app_shell(
        content,
        page_key="operations_eod",
        title="End-of-day reports",
        section="Operations",
        subtitle="Who has not submitted, per office and day, and the reports to review.",
        reload=S.load,
        actions=export_button(S, id="eod-export", rows=S.reports),
    )
