"""The 404 page (a route that does not exist). The 403 "no access" panel is part of the shell
(rxapp.components.layout.forbidden_panel), shown at the URL that was refused."""

from __future__ import annotations

import reflex as rx

from rxapp.components.brand import brand_mark
from rxapp.components.layout import centered_page


def not_found_page() -> rx.Component:
    return centered_page(
        rx.card(
            rx.vstack(
                brand_mark("40px"),
                rx.text("404 · Page not found", size="1", weight="medium", color_scheme="gray"),
                rx.heading(
                    "There is no page at this address",
                    size="5",
                    align="center",
                    id="not-found-title",
                ),
                rx.text(
                    "The link may be old or mistyped. Your pages are in the sidebar, and Ctrl+K "
                    "finds any page or venture.",
                    size="2",
                    color_scheme="gray",
                    align="center",
                ),
                rx.link(
                    rx.button(rx.icon("sun", size=14), "Go to My Day", size="3"),
                    href="/",
                    underline="none",
                ),
                align="center",
                spacing="3",
                width="100%",
            ),
            size="4",
            width="100%",
            id="not-found",
        ),
    )
