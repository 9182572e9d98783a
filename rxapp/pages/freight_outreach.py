"""/freight/outreach (messages, recipients' status, award) and the "Find carriers" send dialog
that the load page opens."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, form_dialog, form_summary, submit_button
from rxapp.components.freight import badge
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state, export_button
from rxapp.pages import page
from rxapp.state.freight_outreach import (
    CandidateRow,
    FreightOutreachState,
    FreightSendState,
    OutreachRow,
    RecipientRow,
)

S = FreightOutreachState
D = FreightOutreachState.detail
T = FreightSendState


def _row(o: OutreachRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                o.load_reference,
                href=o.load_href,
                weight="medium",
                style={"fontFamily": "var(--code-font-family)", "whiteSpace": "nowrap"},
            )
        ),
        rx.table.cell(badge(o.load_status, o.load_status_color, o.load_status_icon)),
        rx.table.cell(
            rx.hstack(
                rx.icon(rx.cond(o.channel == "SMS", "message-square", "mail"), size=14),
                rx.text(o.channel, size="2"),
                align="center",
                spacing="2",
            )
        ),
        rx.table.cell(rx.text(o.when, size="2", white_space="nowrap")),
        rx.table.cell(rx.text(o.sent_by, size="2")),
        rx.table.cell(rx.text(o.sent.to_string(), size="2"), text_align="right"),
        rx.table.cell(
            rx.text(
                o.failed.to_string(),
                size="2",
                color=rx.cond(o.failed > 0, "var(--red-11)", "var(--gray-11)"),
            ),
            text_align="right",
        ),
        rx.table.cell(
            rx.cond(
                o.awarded_to != "",
                badge(o.awarded_to, "green", "trophy"),
                rx.cond(
                    o.can_award,
                    rx.text("Open for award", size="2", color_scheme="gray"),
                    rx.text("—", size="2", color_scheme="gray"),
                ),
            )
        ),
        rx.table.cell(
            rx.button(
                rx.cond(o.can_award, "Recipients and award", "Recipients"),
                size="1",
                variant="soft",
                color_scheme=rx.cond(o.can_award, "indigo", "gray"),
                on_click=S.open_outreach(o.id),
                class_name="outreach-open",
            ),
            text_align="right",
        ),
        align="center",
        class_name="outreach-row",
        data_reference=o.load_reference,
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                [
                    "Load",
                    "Load status",
                    "Channel",
                    "Sent",
                    "By",
                    ("Delivered to", "right"),
                    ("Failed", "right"),
                    "Award",
                    ("", "right"),
                ],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="outreach-table",
                max_height="calc(100vh - 300px)",
            ),
            cursor_pager(S, id_prefix="outreach"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "send",
            "No outreach yet",
            "Open a load that still needs a carrier and press “Find carriers” to message "
            "eligible carriers by SMS or email; the messages and each carrier's status show here.",
            id="outreach-empty",
            action=rx.link("Loads that need a carrier", href="/freight/loads?status=needs_cover"),
        ),
    )


def _recipient(r: RecipientRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(r.carrier, href=r.carrier_href, weight="medium"),
                rx.text(r.address, size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.vstack(
                badge(r.status, r.status_color),
                rx.cond(
                    r.error != "", rx.text(r.error, size="1", color="var(--red-11)"), rx.fragment()
                ),
                spacing="1",
            )
        ),
        rx.table.cell(rx.text(r.sent_at, size="2", white_space="nowrap")),
        rx.table.cell(
            rx.cond(
                r.awarded,
                badge("Awarded", "green", "trophy"),
                rx.cond(
                    r.can_award,
                    rx.button(
                        "Award…",
                        size="1",
                        on_click=S.ask_award(r.carrier_id),
                        class_name="award-button",
                        data_carrier=r.carrier,
                    ),
                    rx.fragment(),
                ),
            ),
            text_align="right",
        ),
        align="center",
        class_name="recipient-row",
    )


def _detail_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(D.channel + " about " + D.load_reference),
            rx.dialog.description(
                D.sent_by + " · " + D.when, size="2", color_scheme="gray", margin_bottom="12px"
            ),
            rx.vstack(
                rx.box(
                    rx.cond(
                        D.subject != "",
                        rx.text(D.subject, size="2", weight="medium", margin_bottom="4px"),
                        rx.fragment(),
                    ),
                    rx.text(D.body, size="2", style={"whiteSpace": "pre-wrap"}),
                    padding="10px 12px",
                    border_radius="var(--radius-3)",
                    background="var(--gray-a2)",
                    border="1px solid var(--gray-a4)",
                    width="100%",
                ),
                rx.cond(
                    D.awarded_to != "",
                    rx.callout.root(
                        rx.callout.icon(rx.icon("trophy", size=16)),
                        rx.callout.text("Awarded to " + D.awarded_to + " · " + D.awarded_at),
                        color_scheme="green",
                        size="1",
                        width="100%",
                    ),
                    rx.fragment(),
                ),
                rx.cond(
                    D.pending > 0,
                    rx.callout.root(
                        rx.callout.icon(rx.icon("send", size=16)),
                        rx.callout.text(
                            D.pending.to_string() + " recipient(s) still being sent. ",
                            rx.link("Refresh", on_click=S.refresh_detail, id="outreach-refresh"),
                        ),
                        color_scheme="blue",
                        size="1",
                        width="100%",
                    ),
                    rx.fragment(),
                ),
                data_table(
                    ["Carrier", "Status", "Sent", ("", "right")],
                    rx.table.body(rx.foreach(D.recipients, _recipient)),
                    id="recipients-table",
                    max_height="360px",
                ),
                rx.hstack(
                    rx.cond(
                        D.can_retry,
                        rx.button(
                            rx.icon("rotate-cw", size=14),
                            "Retry failed (" + D.failed.to_string() + ")",
                            on_click=S.retry_failed,
                            loading=S.busy,
                            color_scheme="red",
                            variant="soft",
                            id="outreach-retry",
                        ),
                        rx.fragment(),
                    ),
                    rx.link(
                        rx.button("Open load", variant="soft", color_scheme="gray"),
                        href=D.load_href,
                        underline="none",
                    ),
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    justify="end",
                    spacing="3",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            max_width="720px",
            id="outreach-dialog",
        ),
        open=S.detail_open,
        on_open_change=S.set_detail_open,
    )


def _award_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(S.confirm_title),
            rx.alert_dialog.description(S.confirm_text, size="2"),
            rx.form(
                rx.vstack(
                    field(
                        "Carrier rate (optional)",
                        rx.input(
                            name="cost_amount",
                            id="award-cost",
                            placeholder="e.g. 1,850.00",
                            input_mode="decimal",
                            width="100%",
                        ),
                        html_for="award-cost",
                        help_text="What we pay the carrier; sets the load's cost.",
                        error=S.award_error,
                    ),
                    rx.hstack(
                        rx.alert_dialog.cancel(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        submit_button("Award and cover", busy=S.busy, id="award-confirm"),
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="4",
                    width="100%",
                    margin_top="12px",
                ),
                on_submit=S.award,
                reset_on_submit=False,
                width="100%",
            ),
            max_width="480px",
            id="award-dialog",
        ),
        open=S.confirm_open,
        on_open_change=S.set_confirm_open,
    )


@page("freight_outreach", on_load=S.load)
def freight_outreach_page() -> rx.Component:
    content = rx.vstack(
        rx.cond(
            S.load_filter != "",
            rx.hstack(
                rx.text("Showing outreach about " + S.load_filter, size="2"),
                rx.link("Show all", href="/freight/outreach", size="2", id="outreach-all"),
                spacing="3",
                align="center",
            ),
            rx.fragment(),
        ),
        _table(),
        _detail_dialog(),
        _award_dialog(),
        spacing="4",
        width="100%",
    )
    return app_shell(
        content,
        page_key="freight_outreach",
        title="Outreach",
        section="Freight",
        subtitle="Messages sent to carriers about loads that need one. Award a carrier that "
        "answered to cover the load.",
        reload=S.load,
        actions=export_button(S, id="outreach-export"),
    )


# -- send dialog (on the load page) ----------------------------------------------------------------


def _candidate(c: CandidateRow) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            name="carrier_" + c.id.to_string(),
            id="send-carrier-" + c.id.to_string(),
            style={"accentColor": "var(--accent-9)", "width": "15px", "height": "15px"},
        ),
        rx.vstack(
            rx.text(c.name, size="2", weight="medium"),
            rx.text(
                "MC "
                + c.mc
                + rx.cond(c.home_state != "", " · " + c.home_state, "")
                + " · "
                + c.address,
                size="1",
                color_scheme="gray",
            ),
            spacing="0",
        ),
        style={
            "display": "flex",
            "alignItems": "center",
            "gap": "10px",
            "padding": "6px 4px",
            "cursor": "pointer",
            "borderBottom": "1px solid var(--gray-a3)",
        },
        class_name="send-candidate",
    )


def send_dialog() -> rx.Component:
    return form_dialog(
        form_summary(T.errors, id="send-errors"),
        field(
            "Channel",
            rx.segmented_control.root(
                rx.segmented_control.item("SMS", value="SMS"),
                rx.segmented_control.item("Email", value="EMAIL"),
                value=T.channel,
                on_change=T.set_channel,
                id="send-channel",
            ),
            html_for="send-channel",
        ),
        field(
            "Carriers",
            rx.cond(
                T.candidates.length() > 0,
                rx.box(
                    rx.foreach(T.candidates, _candidate),
                    max_height="220px",
                    overflow_y="auto",
                    padding="2px 10px",
                    border="1px solid var(--gray-a6)",
                    border_radius="var(--radius-2)",
                    width="100%",
                    id="send-carriers",
                ),
                rx.text(
                    "No eligible carrier with this equipment has a "
                    + rx.cond(T.channel == "SMS", "phone number", "email address")
                    + " on file.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            html_for="send-carriers",
            help_text="Carriers based in the pickup state first.",
            error=T.err["carrier_ids"],
        ),
        rx.cond(
            T.channel == "EMAIL",
            field(
                "Subject",
                rx.input(
                    name="subject",
                    id="send-subject",
                    default_value="Load " + T.load_reference + " available",
                    width="100%",
                ),
                html_for="send-subject",
                error=T.err["subject"],
            ),
            rx.fragment(),
        ),
        field(
            "Message",
            rx.text_area(
                name="body",
                id="send-body",
                default_value=T.body,
                rows="4",
                width="100%",
            ),
            html_for="send-body",
            error=T.err["body"],
        ),
        title="Find a carrier for " + T.load_reference,
        description="Message up to 50 eligible carriers with the right equipment. Replies go to "
        "your phone or inbox; award the one you book on the Outreach page.",
        submit=rx.button(
            rx.cond(T.busy, rx.spinner(size="1"), rx.icon("send", size=14)),
            "Send",
            type="submit",
            disabled=T.busy,
            id="send-submit",
        ),
        on_submit=T.send,
        open=T.send_open,
        on_open_change=T.set_send_open,
        id="send-dialog",
        max_width="560px",
        key=T.form_key,
    )
