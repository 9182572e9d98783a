"""/freight/loads/<id>: the load, its timeline, the allowed status buttons and their dialogs."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, form_dialog, form_summary, submit_button
from rxapp.components.freight import badge, fact, money_text
from rxapp.components.layout import app_shell
from rxapp.components.ui import code_badge, section_heading
from rxapp.pages import page
from rxapp.pages.freight_outreach import send_dialog
from rxapp.state.freight_load import ActionRow, EventRow, FreightLoadState, OutreachLine
from rxapp.state.freight_outreach import FreightSendState

S = FreightLoadState
L = FreightLoadState.card


def _action_button(a: ActionRow) -> rx.Component:
    return rx.button(
        rx.icon(a.icon, size=14),
        a.label,
        color_scheme=a.color,
        variant=a.variant,
        on_click=S.ask(a.status),
        id="transition-" + a.status,
        class_name="transition-button",
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.cond(
            S.can_edit,
            rx.link(
                rx.button(
                    rx.icon("pencil", size=14),
                    "Edit",
                    variant="soft",
                    color_scheme="gray",
                    id="load-edit",
                ),
                href="/freight/loads/" + L.id.to_string() + "/edit",
                underline="none",
            ),
            rx.fragment(),
        ),
        rx.cond(
            S.can_send_outreach,
            rx.button(
                rx.icon("send", size=14),
                "Find carriers",
                variant="soft",
                on_click=FreightSendState.open_send(L.id),
                id="load-outreach",
            ),
            rx.fragment(),
        ),
        rx.foreach(S.actions, _action_button),
        spacing="2",
        wrap="wrap",
        justify="end",
        id="load-actions",
    )


def _stop(label: str, place: rx.Var, when: rx.Var, icon: str) -> rx.Component:
    return rx.hstack(
        rx.center(
            rx.icon(icon, size=16, color="var(--accent-11)"),
            width="32px",
            height="32px",
            border_radius="var(--radius-3)",
            background="var(--accent-a3)",
            flex_shrink="0",
        ),
        rx.vstack(
            rx.text(label, size="1", color_scheme="gray", weight="medium"),
            rx.text(place, size="3", weight="medium"),
            rx.text(when, size="2", color_scheme="gray"),
            spacing="0",
        ),
        spacing="3",
        align="start",
    )


def _lane_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading("Lane"),
            rx.grid(
                _stop("Pickup", L.origin, L.pickup, "map-pin"),
                rx.center(
                    rx.vstack(
                        rx.icon("arrow-right", size=18, color="var(--gray-9)"),
                        rx.text(L.miles, size="1", color_scheme="gray", white_space="nowrap"),
                        align="center",
                        spacing="1",
                    ),
                ),
                _stop("Drop", L.destination, L.drop, "flag"),
                columns="minmax(0, 1fr) auto minmax(0, 1fr)",
                spacing="4",
                width="100%",
                align="center",
            ),
            rx.hstack(
                rx.icon("container", size=14, color="var(--gray-10)"),
                rx.text(L.equipment, size="2", color_scheme="gray"),
                align="center",
                spacing="2",
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
        id="load-lane",
    )


def _money_tile(label: str, value: rx.Var, *, negative: rx.Var | bool = False, id: str):
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray", weight="medium"),
        money_text(value, negative=negative, size="5", weight="bold", id=id),
        spacing="1",
        align="end",
        width="100%",
    )


def _money_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading("Money"),
            rx.grid(
                _money_tile("Bill", L.bill, id="load-bill"),
                _money_tile("Carrier cost", L.cost, id="load-cost"),
                _money_tile("Margin", L.margin, negative=L.margin_negative, id="load-margin"),
                _money_tile(
                    "Margin %", L.margin_pct, negative=L.margin_negative, id="load-margin-pct"
                ),
                columns=rx.breakpoints(initial="2", md="4"),
                spacing="4",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
        id="load-money",
    )


def _event(e: EventRow) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.center(
                rx.icon(e.icon, size=14, color="var(--" + e.color + "-11)"),
                width="28px",
                height="28px",
                border_radius="50%",
                background="var(--" + e.color + "-a3)",
                flex_shrink="0",
            ),
            rx.box(
                width="2px",
                flex="1",
                background="var(--gray-a4)",
                min_height="12px",
                class_name="timeline-line",
            ),
            spacing="1",
            align="center",
            align_self="stretch",
        ),
        rx.vstack(
            rx.text(e.title, size="2", weight="medium"),
            rx.text(e.who + " · " + e.at, size="1", color_scheme="gray"),
            rx.cond(
                e.note != "",
                rx.text(e.note, size="2", color="var(--gray-11)", class_name="event-note"),
                rx.fragment(),
            ),
            spacing="1",
            padding_bottom="14px",
        ),
        spacing="3",
        align="start",
        width="100%",
        class_name="timeline-event",
    )


def _timeline() -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading("Timeline", subtitle="Every status change, newest first"),
            rx.cond(
                S.timeline.length() > 0,
                rx.vstack(
                    rx.foreach(S.timeline, _event),
                    spacing="0",
                    width="100%",
                    style={"& .timeline-event:last-child .timeline-line": {"display": "none"}},
                ),
                rx.text("No history recorded.", size="2", color_scheme="gray"),
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
        id="load-timeline",
    )


def _facts() -> rx.Component:
    return rx.card(
        rx.data_list.root(
            fact("Status", badge(L.status_label, L.status_color, L.status_icon), id="load-status"),
            fact("Venture", code_badge(L.venture_code)),
            fact(
                "Customer",
                rx.link(L.customer, href=L.customer_href, id="load-customer"),
            ),
            fact(
                "Carrier",
                rx.cond(
                    L.carrier != "",
                    rx.link(L.carrier, href=L.carrier_href, id="load-carrier"),
                    rx.text("No carrier yet", color_scheme="gray", id="load-carrier"),
                ),
            ),
            fact("Office", L.office),
            fact("Sales", L.sales),
            fact("Dispatcher", L.dispatcher),
            fact("Created", L.created),
            rx.cond(L.covered != "", fact("Covered", L.covered), rx.fragment()),
            rx.cond(L.delivered != "", fact("Delivered", L.delivered), rx.fragment()),
            rx.cond(L.billing_date != "", fact("Billing date", L.billing_date), rx.fragment()),
            rx.cond(L.lost != "", fact("Lost", L.lost), rx.fragment()),
            rx.cond(
                L.lost_reason != "",
                fact("Lost reason", rx.text(L.lost_reason, id="load-lost-reason")),
                rx.fragment(),
            ),
            rx.cond(L.lost_note != "", fact("Lost note", L.lost_note), rx.fragment()),
            rx.cond(L.quote != "", fact("From", L.quote), rx.fragment()),
            orientation="horizontal",
            size="2",
        ),
        width="100%",
        id="load-facts",
    )


def _outreach_line(o: OutreachLine) -> rx.Component:
    return rx.hstack(
        rx.icon(rx.cond(o.channel == "SMS", "message-square", "mail"), size=14),
        rx.vstack(
            rx.text(
                o.channel + " to " + o.sent.to_string() + " carriers",
                size="2",
                weight="medium",
            ),
            rx.text(o.who + " · " + o.when, size="1", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        rx.cond(
            o.awarded,
            badge("Awarded", "green", "trophy"),
            rx.cond(o.failed > 0, badge(o.failed.to_string() + " failed", "red"), rx.fragment()),
        ),
        align="center",
        spacing="3",
        width="100%",
    )


def _outreach() -> rx.Component:
    return rx.cond(
        S.outreach.length() > 0,
        rx.card(
            rx.vstack(
                section_heading(
                    "Outreach",
                    action=rx.link(
                        "Recipients and award",
                        href="/freight/outreach?load=" + L.id.to_string(),
                        size="2",
                        id="load-outreach-link",
                    ),
                ),
                rx.vstack(rx.foreach(S.outreach, _outreach_line), spacing="3", width="100%"),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        rx.fragment(),
    )


def _terminal_note() -> rx.Component:
    return rx.cond(
        L.terminal,
        rx.callout.root(
            rx.callout.icon(rx.icon("lock", size=16)),
            rx.callout.text(
                rx.cond(
                    L.status == "LOST",
                    "This load is lost: final, no further changes.",
                    "This load is delivered: final, no further changes.",
                )
            ),
            color_scheme=rx.cond(L.status == "LOST", "red", "green"),
            variant="surface",
            size="1",
            width="100%",
        ),
        rx.cond(
            S.actions.length() == 0,
            rx.text(
                "Your role can read this load but not change it.",
                size="2",
                color_scheme="gray",
            ),
            rx.fragment(),
        ),
    )


def transition_dialog() -> rx.Component:
    lost = S.dlg_kind == "lost"
    return form_dialog(
        form_summary(S.dlg_errors, id="transition-errors"),
        rx.cond(
            S.dlg_kind == "cover",
            rx.vstack(
                field(
                    "Find a carrier",
                    rx.debounce_input(
                        rx.input(
                            rx.input.slot(rx.icon("search", size=14)),
                            placeholder="Name",
                            value=S.carrier_search,
                            on_change=S.find_carriers,
                            id="cover-search",
                            name="carrier_search",
                            width="100%",
                        ),
                        debounce_timeout=250,
                    ),
                    html_for="cover-search",
                ),
                field(
                    "Carrier",
                    rx.select.root(
                        rx.select.trigger(
                            id="cover-carrier",
                            width="100%",
                            placeholder=rx.cond(
                                S.carrier_options.length() > 0,
                                "Choose a carrier",
                                "No eligible carrier matches",
                            ),
                        ),
                        rx.select.content(
                            rx.foreach(
                                S.carrier_options,
                                lambda o: rx.select.item(o.label, value=o.value),
                            ),
                            position="popper",
                            max_height="280px",
                        ),
                        name="carrier_id",
                    ),
                    html_for="cover-carrier",
                    help_text="Same equipment; carriers based in the pickup state first.",
                    error=S.err_carrier,
                ),
                field(
                    "Carrier rate (optional)",
                    rx.input(
                        name="cost_amount",
                        id="cover-cost",
                        placeholder="e.g. 1,850.00",
                        input_mode="decimal",
                        width="100%",
                    ),
                    html_for="cover-cost",
                    help_text="What we pay the carrier; sets the load's cost.",
                    error=S.err_cost,
                ),
                spacing="3",
                width="100%",
            ),
            rx.fragment(),
        ),
        rx.cond(
            lost,
            field(
                "Reason",
                rx.select.root(
                    rx.select.trigger(
                        id="lost-reason", width="100%", placeholder="Why was it lost?"
                    ),
                    rx.select.content(
                        rx.foreach(
                            S.reason_options,
                            lambda o: rx.select.item(o.label, value=o.value),
                        ),
                        position="popper",
                    ),
                    name="lost_reason",
                ),
                html_for="lost-reason",
                error=S.err_reason,
            ),
            rx.fragment(),
        ),
        field(
            rx.cond(lost, "Note", "Note (optional)"),
            rx.text_area(
                name="note",
                id="transition-note",
                rows="3",
                width="100%",
                placeholder=rx.cond(lost, "What happened? (optional)", "Shown on the timeline"),
            ),
            html_for="transition-note",
            error=S.err_note,
        ),
        title=S.dlg_title,
        description=S.dlg_text,
        submit=submit_button(
            S.dlg_confirm,
            busy=S.busy,
            id="transition-confirm",
            color_scheme=rx.cond(lost, "red", "indigo"),
        ),
        on_submit=S.transition,
        open=S.dlg_open,
        on_open_change=S.set_dialog_open,
        id="transition-dialog",
        max_width="520px",
        cancel_id="transition-cancel",
        no_validate=True,
    )


def _content() -> rx.Component:
    return rx.vstack(
        _terminal_note(),
        rx.grid(
            rx.vstack(_lane_card(), _money_card(), _timeline(), spacing="4", width="100%"),
            rx.vstack(_facts(), _outreach(), spacing="4", width="100%"),
            grid_template_columns=rx.breakpoints(
                initial="minmax(0, 1fr)", lg="minmax(0, 2fr) minmax(320px, 1fr)"
            ),
            spacing="5",
            width="100%",
            align="start",
        ),
        transition_dialog(),
        send_dialog(),
        spacing="4",
        width="100%",
        id="load-detail",
    )


@page("freight_load", on_load=S.load)
def freight_load_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="freight_load",
        nav_key="freight_loads",
        title=rx.cond(
            L.reference != "",
            rx.fragment(
                rx.el.span(L.reference, id="load-reference"),
                badge(
                    L.status_label,
                    L.status_color,
                    L.status_icon,
                    size="2",
                    id="load-badge",
                    margin_left="12px",
                    vertical_align="middle",
                ),
            ),
            "Load",
        ),
        subtitle=rx.cond(L.customer != "", L.customer + " · " + L.venture_code, ""),
        section="Freight",
        crumb=rx.cond(L.reference != "", L.reference, "Load"),
        reload=S.load,
        actions=rx.cond(S.ready_page == "freight_load", _actions(), rx.fragment()),
    )
