"""Form building blocks: a label above the control, help or error text under it."""

import reflex as rx


def field(
    label: str,
    control: rx.Component,
    *,
    html_for: str,
    help_text: str | None = None,
    trailing: rx.Component | None = None,
) -> rx.Component:
    """A labelled form field. ``trailing`` sits right of the label (e.g. "Forgot password?")."""
    header = rx.hstack(
        rx.el.label(
            rx.text(label, size="2", weight="medium"),
            html_for=html_for,
        ),
        rx.spacer(),
        trailing if trailing is not None else rx.fragment(),
        width="100%",
        align="center",
    )
    parts: list[rx.Component] = [header, control]
    if help_text:
        parts.append(rx.text(help_text, size="1", color_scheme="gray"))
    return rx.vstack(*parts, spacing="1", width="100%")
