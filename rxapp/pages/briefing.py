"""/briefing: the daily briefing of one business date in the reader's scope: "3 fires, 5 storms,
2 wins", then the fires, the storms and the wins, each grouped by venture, every item linking to
its evidence. Compact enough for one laptop screen; prints without the navigation
(assets/styles.css, @media print)."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import date_field, filter_form
from rxapp.components.layout import app_shell
from rxapp.components.ui import code_badge, empty_state
from rxapp.pages import page
from rxapp.state.briefing import BriefingRow, BriefingState

S = BriefingState

GROUPS = (
    ("Fires", "flame", "red", S.fires, "briefing-fires"),
    ("Storms", "cloud-lightning", "amber", S.storms, "briefing-storms"),
    ("Wins", "trophy", "green", S.wins, "briefing-wins"),
)


def _day_picker() -> rx.Component:
    return rx.hstack(
        rx.icon_button(
            rx.icon("chevron-left", size=16),
            variant="soft",
            color_scheme="gray",
            on_click=S.shift_day(-1),
            id="briefing-prev",
            aria_label="Previous day",
        ),
        filter_form(
            rx.hstack(
                rx.box(
                    date_field("Day", name="day", id="briefing-day", value=S.f_day), width="170px"
                ),
                rx.button("Show", type="submit", variant="soft", id="briefing-apply"),
                spacing="2",
                align="end",
            ),
            id="briefing-filters",
            on_submit=S.apply_day,
            form_key=S.f_day,
        ),
        rx.icon_button(
            rx.icon("chevron-right", size=16),
            variant="soft",
            color_scheme="gray",
            on_click=S.shift_day(1),
            id="briefing-next",
            aria_label="Next day",
        ),
        rx.button(
            rx.icon("printer", size=14),
            "Print",
            variant="outline",
            on_click=rx.call_script("window.print()"),
            id="briefing-print",
        ),
        rx.cond(
            S.digest_eligible,
            rx.tooltip(
                rx.el.label(
                    rx.switch(
                        checked=S.digest_on,
                        on_change=S.set_digest,
                        id="briefing-digest",
                        size="1",
                    ),
                    rx.text("Morning email", size="2"),
                    display="flex",
                    align_items="center",
                    gap="6px",
                    padding_bottom="6px",
                ),
                content="This briefing by email at 08:00, your ventures only",
            ),
            rx.fragment(),
        ),
        spacing="2",
        align="end",
        class_name="no-print",
    )


def _item(r: BriefingRow, color: str) -> rx.Component:
    return rx.vstack(
        rx.cond(
            r.venture_head,
            rx.hstack(
                code_badge(r.venture_code),
                rx.text(r.venture_name, size="2", weight="bold"),
                align="center",
                spacing="2",
                padding_top="6px",
                class_name="briefing-venture",
            ),
            rx.fragment(),
        ),
        rx.hstack(
            rx.box(
                width="3px",
                align_self="stretch",
                background=f"var(--{color}-9)",
                border_radius="2px",
            ),
            rx.vstack(
                rx.hstack(
                    rx.cond(
                        r.link != "",
                        rx.link(
                            r.title,
                            href=r.link,
                            weight="medium",
                            size="2",
                            class_name="briefing-link",
                        ),
                        rx.text(r.title, weight="medium", size="2"),
                    ),
                    rx.badge(r.section, variant="soft", color_scheme="gray", size="1"),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(r.detail, size="1", color_scheme="gray"),
                spacing="0",
            ),
            spacing="2",
            width="100%",
            padding_left="4px",
        ),
        spacing="1",
        width="100%",
        class_name="briefing-item",
        id="briefing-item-" + r.id.to_string(),
    )


def _group(title: str, icon: str, color: str, rows: rx.Var, id: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,  # type: ignore[attr-defined]
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon(icon, size=16, color=f"var(--{color}-11)"),
                    rx.text(title, size="3", weight="bold"),
                    rx.badge(rows.length(), color_scheme=color, variant="soft"),  # type: ignore[attr-defined]
                    align="center",
                    spacing="2",
                ),
                rx.foreach(rows, lambda r: _item(r, color)),
                spacing="1",
                width="100%",
            ),
            width="100%",
            id=id,
            class_name="briefing-group",
        ),
        rx.fragment(),
    )


@page("briefing", on_load=S.load)
def briefing_page() -> rx.Component:
    content = rx.vstack(
        _day_picker(),
        rx.hstack(
            rx.text(S.day_label, size="2", color_scheme="gray"),
            rx.text(S.summary, size="4", weight="bold", id="briefing-summary"),
            align="baseline",
            spacing="3",
        ),
        rx.cond(
            (S.fires.length() + S.storms.length() + S.wins.length()) > 0,
            rx.grid(
                *(_group(*g) for g in GROUPS),
                columns=rx.breakpoints(initial="1", lg="3"),
                spacing="3",
                width="100%",
                align_items="start",
            ),
            empty_state(
                "newspaper",
                "Nothing on this day's briefing",
                "Fires, storms and wins of your ventures show here once the morning's briefing "
                "job has run, and as lost loads and big deliveries happen.",
                id="briefing-empty",
            ),
        ),
        rx.cond(
            S.left_out > 0,
            rx.text(
                S.left_out.to_string() + " more items of this day are not shown.",
                size="1",
                color_scheme="gray",
            ),
            rx.fragment(),
        ),
        spacing="3",
        width="100%",
        id="briefing",
    )
    return app_shell(
        content,
        page_key="briefing",
        title="Daily briefing",
        section="Command center",
        subtitle="What is on fire, what to watch and what went well, in your ventures.",
        reload=S.load,
    )
