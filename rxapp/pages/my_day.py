"""/ (My Day): greeting, my ventures, my quick links, and honest placeholders for what later
releases fill (tasks, briefing, points, incentives)."""

from __future__ import annotations

import reflex as rx

from rxapp.components.layout import app_shell
from rxapp.components.quick_links import quick_links_panel
from rxapp.components.ui import code_badge, empty_state, section_heading
from rxapp.state.ventures import MyDayState, VentureCard


def venture_card(v: VentureCard) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    code_badge(v.code),
                    rx.spacer(),
                    rx.badge(v.type_label, variant="soft", color_scheme="gray"),
                    width="100%",
                    align="center",
                ),
                rx.text(v.name, size="3", weight="bold", trim="both"),
                rx.hstack(
                    rx.hstack(
                        rx.icon("map-pin", size=13, color="var(--gray-10)"),
                        rx.text(v.offices_text, size="1", color_scheme="gray"),
                        spacing="1",
                        align="center",
                    ),
                    rx.hstack(
                        rx.icon("banknote", size=13, color="var(--gray-10)"),
                        rx.text(v.currency, size="1", color_scheme="gray"),
                        spacing="1",
                        align="center",
                    ),
                    spacing="4",
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
            height="100%",
            class_name="venture-card",
            _hover={"boxShadow": "var(--shadow-3)"},
        ),
        href=v.href,
        underline="none",
        color="inherit",
        width="100%",
        data_code=v.code,
    )


def placeholder_card(icon: str, title: str, text: str, id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=16, color="var(--gray-10)"),
                rx.text(title, size="2", weight="medium"),
                rx.spacer(),
                rx.badge("Coming soon", variant="outline", color_scheme="gray", size="1"),
                align="center",
                spacing="2",
                width="100%",
            ),
            rx.text(text, size="2", color_scheme="gray"),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id=id,
    )


def _ventures() -> rx.Component:
    return rx.vstack(
        section_heading(
            "My ventures",
            action=rx.link("All ventures", href="/ventures", size="2"),
        ),
        rx.cond(
            MyDayState.ventures.length() > 0,
            rx.grid(
                rx.foreach(MyDayState.ventures, venture_card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="3",
                width="100%",
                id="my-ventures",
            ),
            empty_state(
                "building-2",
                "No ventures assigned to you",
                "Your ventures appear here once an administrator adds you to one.",
                id="my-ventures-empty",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _placeholders() -> rx.Component:
    return rx.grid(
        placeholder_card(
            "list-checks",
            "My tasks",
            "Tasks assigned to you, due today and overdue, arrive with the operations release "
            "(tasks and end-of-day reports).",
            "placeholder-tasks",
        ),
        placeholder_card(
            "newspaper",
            "Morning briefing",
            "A daily summary of what changed in your ventures arrives with the briefing release.",
            "placeholder-briefing",
        ),
        placeholder_card(
            "trophy",
            "My points",
            "Points for the work you complete arrive with the gamification release.",
            "placeholder-points",
        ),
        placeholder_card(
            "wallet",
            "My incentives",
            "Your incentive earnings for the month arrive with the incentives release, once "
            "finance commits the first run.",
            "placeholder-incentives",
        ),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="3",
        width="100%",
    )


def _content() -> rx.Component:
    left = rx.vstack(
        _ventures(),
        rx.vstack(
            section_heading("My work"),
            _placeholders(),
            spacing="3",
            width="100%",
        ),
        spacing="6",
        width="100%",
    )
    right = rx.card(
        rx.vstack(
            section_heading("Quick links"),
            quick_links_panel(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
    return rx.grid(
        left,
        right,
        grid_template_columns=rx.breakpoints(
            initial="minmax(0, 1fr)", lg="minmax(0, 2fr) minmax(320px, 1fr)"
        ),
        spacing="5",
        width="100%",
        align="start",
        id="my-day",
    )


def my_day_page() -> rx.Component:
    title = rx.cond(
        MyDayState.first_name != "",
        MyDayState.greeting + ", " + MyDayState.first_name,
        "My Day",
    )
    return app_shell(
        _content(),
        page_key="my_day",
        title=title,
        section="Command center",
        crumb="My Day",
        reload=MyDayState.load,
        subtitle=MyDayState.today,
    )
