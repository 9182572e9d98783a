"""Form building blocks: a label above the control, help text or the error under it, a summary
at the top when a form has several errors, and a submit button that cannot double-submit."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.vars import Var


def field(
    label: str,
    control: rx.Component,
    *,
    html_for: str,
    help_text: str | None = None,
    trailing: rx.Component | None = None,
    error: Var | str | None = None,
) -> rx.Component:
    """A labelled form field. ``trailing`` sits right of the label (e.g. "Forgot password?");
    ``error`` (a state var) shows in red under the control when not empty."""
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
    if error is not None:
        parts.append(
            rx.cond(
                error != "",
                rx.text(
                    error,
                    size="1",
                    color_scheme="red",
                    id=f"{html_for}-error",
                    role="alert",
                ),
                rx.fragment(),
            )
        )
    return rx.vstack(*parts, spacing="1", width="100%")


def text_input(
    id: str, name: str | None = None, *, default_value: Var | str = "", **props: object
) -> rx.Component:
    return rx.input(
        id=id,
        name=name or id,
        default_value=default_value,
        size="2",
        width="100%",
        **props,
    )


def form_summary(errors: Var, *, id: str) -> rx.Component:
    """The form's errors listed at the top (shown when there is more than one, or a general
    error that belongs to no single field)."""
    return rx.cond(
        errors.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert", size=16)),
            rx.vstack(
                rx.callout.text(
                    rx.cond(
                        errors.length() > 1,
                        "Please fix these problems:",
                        "Please fix this problem:",
                    ),
                    weight="medium",
                ),
                rx.el.ul(
                    rx.foreach(errors, lambda e: rx.el.li(rx.text(e, size="2"))),
                    style={"paddingLeft": "1.1em", "margin": 0},
                ),
                spacing="1",
            ),
            color_scheme="red",
            size="1",
            width="100%",
            id=id,
        ),
        rx.fragment(),
    )


def submit_button(label: str, *, busy: Var, id: str, **props: object) -> rx.Component:
    return rx.button(
        rx.cond(busy, rx.spinner(size="1"), rx.fragment()),
        label,
        type="submit",
        id=id,
        disabled=busy,
        **props,
    )


def checkbox_item(
    label: Var | str, *, name: Var | str, checked: Var | bool, id: Var | str
) -> rx.Component:
    """A native checkbox (always submitted by the form as ``name: "on"``) with its label."""
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            name=name,
            id=id,
            default_checked=checked,
            style={
                "accentColor": "var(--accent-9)",
                "width": "15px",
                "height": "15px",
                "margin": 0,
            },
        ),
        rx.text(label, size="2"),
        style={
            "display": "flex",
            "alignItems": "center",
            "gap": "8px",
            "cursor": "pointer",
            "padding": "3px 0",
        },
    )


def select_field(
    label: str,
    *,
    name: str,
    id: str,
    value: Var | str,
    options: Var,
    all_label: str | None = None,
    placeholder: str | None = None,
    error: Var | str | None = None,
    help_text: str | None = None,
    extra: Sequence[tuple[str, str]] = (),
) -> rx.Component:
    """A labelled select submitting ``name`` with the form; ``options`` is a list var of
    ``Option(value, label)``. ``all_label`` adds an "all" item first (filters)."""
    items: list[rx.Component] = []
    if all_label is not None:
        items += [rx.select.item(all_label, value="all"), rx.select.separator()]
    items += [rx.select.item(label_, value=value_) for value_, label_ in extra]
    items.append(rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value)))
    control = rx.select.root(
        rx.select.trigger(id=id, width="100%", placeholder=placeholder or "Choose…"),
        rx.select.content(*items, position="popper", max_height="320px"),
        name=name,
        default_value=value,
    )
    return field(label, control, html_for=id, error=error, help_text=help_text)


def date_field(
    label: str, *, name: str, id: str, value: Var | str, error: Var | str | None = None
) -> rx.Component:
    return field(
        label,
        rx.input(type="date", name=name, id=id, default_value=value, width="100%"),
        html_for=id,
        error=error,
    )


def filter_bar(*children: rx.Component, columns: str) -> rx.Component:
    return rx.grid(
        *children,
        columns=rx.breakpoints(initial="1", sm="2", lg=columns),
        spacing="3",
        width="100%",
        align="end",
    )
