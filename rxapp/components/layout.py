"""Page frames. The signed-in app shell (sidebar + header) arrives with the auth state."""

import reflex as rx


def centered_page(*children: rx.Component) -> rx.Component:
    """A full-height page with its content centred, on a soft accent wash (light and dark)."""
    return rx.center(
        rx.vstack(*children, align="center", spacing="5", width="100%", max_width="420px"),
        min_height="100vh",
        width="100%",
        padding="1.5rem",
        background=(
            "radial-gradient(ellipse 80% 50% at 50% -10%, var(--accent-a4), transparent), "
            "var(--color-background)"
        ),
    )


def loading_page() -> rx.Component:
    """Shown for the instant before an on_load redirect lands."""
    return rx.center(rx.spinner(size="3"), min_height="100vh", width="100%")
