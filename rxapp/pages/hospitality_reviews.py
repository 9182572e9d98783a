"""/hospitality/reviews: filters, the reviews table and the respond dialog."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    checkbox_item,
    field,
    filter_actions,
    filter_bar,
    filter_card,
    form_dialog,
    form_summary,
    select_field,
    submit_button,
)
from rxapp.components.freight import badge, two_lines
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state
from rxapp.pages import page
from rxapp.state.hospitality_reviews import HospitalityReviewsState
from rxapp.views.hospitality import ReviewRow

S = HospitalityReviewsState


def _filters() -> rx.Component:
    return filter_card(
        filter_bar(
            select_field(
                "Hotel",
                name="hotel",
                id="reviews-hotel",
                value=S.f_hotel,
                options=S.hotel_options,
                all_label="All hotels",
            ),
            select_field(
                "Source",
                name="source",
                id="reviews-source",
                value=S.f_source,
                options=S.source_options,
                all_label="All sources",
            ),
            rx.vstack(
                checkbox_item(
                    "Unanswered only",
                    name="unanswered",
                    checked=S.f_unanswered,
                    id="reviews-unanswered",
                ),
                checkbox_item("Rating 3 or lower", name="low", checked=S.f_low, id="reviews-low"),
                spacing="0",
            ),
            filter_actions("reviews", on_clear=S.clear_filters),
            columns="4",
        ),
        id="reviews-filters",
        on_submit=S.apply_filters,
        form_key=S.form_key,
    )


def _stars(r: ReviewRow) -> rx.Component:
    return rx.text(
        r.stars,
        size="2",
        color=rx.cond(r.low, "var(--red-11)", "var(--amber-11)"),
        white_space="nowrap",
        custom_attrs={"title": r.rating.to_string() + " of 5"},
        class_name="review-stars",
    )


def _row(r: ReviewRow) -> rx.Component:
    answer = rx.cond(
        r.answered,
        two_lines(
            badge("Answered", "green", "check"),
            "by " + r.responder + " · " + r.responded_at,
            max_width="220px",
        ),
        badge("Unanswered", rx.cond(r.low, "red", "amber"), "message-circle"),
    )
    return rx.table.row(
        rx.table.row_header_cell(
            two_lines(rx.text(r.date, size="2", white_space="nowrap"), r.source_label)
        ),
        rx.table.cell(two_lines(rx.text(r.hotel_code, size="2", weight="medium"), r.hotel_name)),
        rx.table.cell(_stars(r)),
        rx.table.cell(
            two_lines(
                rx.text(r.reviewer, size="2", weight="medium"),
                r.text,
                max_width="420px",
            )
        ),
        rx.table.cell(answer),
        rx.table.cell(
            rx.cond(
                S.can_respond,
                rx.button(
                    rx.cond(r.answered, "Edit response", "Respond"),
                    size="1",
                    variant=rx.cond(r.answered, "soft", "solid"),
                    on_click=S.open_respond(r.id),
                    class_name="review-respond",
                ),
                rx.fragment(),
            ),
            text_align="right",
        ),
        align="center",
        class_name="review-row",
        data_review=r.id,
        data_rating=r.rating,
        data_answered=rx.cond(r.answered, "yes", "no"),
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                ["Date", "Hotel", "Rating", "Review", "Answer", ("", "right")],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="reviews-table",
                max_height="calc(100vh - 320px)",
            ),
            cursor_pager(S, id_prefix="reviews"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "message-square-text",
            "No reviews match",
            "Guest reviews of your hotels show here, newest first. Clear the filters to see "
            "answered and higher-rated reviews too.",
            id="reviews-empty",
        ),
    )


def respond_dialog() -> rx.Component:
    r = S.review
    return form_dialog(
        rx.card(
            rx.vstack(
                rx.hstack(
                    _stars(r),
                    rx.text(r.reviewer, size="2", weight="medium"),
                    rx.spacer(),
                    rx.text(r.source_label + " · " + r.date, size="1", color_scheme="gray"),
                    width="100%",
                    align="center",
                ),
                rx.text(r.text, size="2", style={"whiteSpace": "pre-wrap"}),
                spacing="2",
                width="100%",
            ),
            variant="surface",
            width="100%",
        ),
        rx.cond(
            r.answered,
            rx.callout.root(
                rx.callout.icon(rx.icon("info", size=16)),
                rx.callout.text(
                    "First answered by " + r.responder + " on " + r.responded_at + ". "
                    "Editing changes the text; the first responder stays.",
                    id="respond-first",
                ),
                color_scheme="blue",
                size="1",
                width="100%",
            ),
            rx.fragment(),
        ),
        form_summary(S.errors, id="respond-errors"),
        field(
            "Response",
            rx.text_area(
                name="response_text",
                id="respond-text",
                default_value=r.response,
                placeholder="Thank the guest and say what you did about it",
                rows="6",
                width="100%",
            ),
            html_for="respond-text",
            error=S.err["response_text"],
        ),
        title=r.hotel_code + " · " + r.hotel_name,
        description=None,
        submit=submit_button("Save response", busy=S.busy, id="respond-save"),
        on_submit=S.respond,
        open=S.respond_open,
        on_open_change=S.set_respond_open,
        id="respond-dialog",
        max_width="600px",
        no_validate=True,
        key=S.respond_key,
    )


@page("hospitality_reviews", on_load=S.load)
def hospitality_reviews_page() -> rx.Component:
    return app_shell(
        rx.vstack(_filters(), _table(), respond_dialog(), spacing="4", width="100%"),
        page_key="hospitality_reviews",
        title="Reviews",
        section="Hospitality",
        subtitle="Guest reviews from every source. Answer the low ones first: the first answer "
        "is stamped with who gave it and when.",
        reload=S.load,
    )
