"""The product's mark and name, shown on the login page and (later) in the sidebar."""

import reflex as rx

PRODUCT_NAME = "Venture Command Center"


def brand_mark(size: str = "40px") -> rx.Component:
    """A rounded accent tile with the product's icon."""
    return rx.center(
        rx.icon("layout-dashboard", size=22, color="var(--accent-contrast)"),
        width=size,
        height=size,
        min_width=size,
        border_radius="var(--radius-3)",
        background="var(--accent-9)",
        box_shadow="var(--shadow-2)",
    )


def brand(subtitle: str | None = None) -> rx.Component:
    """Mark + product name, with an optional one-line subtitle under the name."""
    name = rx.heading(PRODUCT_NAME, size="4", weight="bold", trim="both")
    text = (
        rx.vstack(name, rx.text(subtitle, size="2", color_scheme="gray"), spacing="1")
        if subtitle
        else name
    )
    return rx.hstack(brand_mark(), text, align="center", spacing="3")
