"""Form building blocks: a label above the control, help text or the error under it, a summary
at the top when a form has several errors, and a submit button that cannot double-submit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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


def submit_button(label: Var | str, *, busy: Var, id: str, **props: object) -> rx.Component:
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


# -- filter forms ---------------------------------------------------------------------------------


def filter_form(
    body: rx.Component, *, id: str, on_submit: Any, form_key: Var | None = None
) -> rx.Component:
    """A list page's filter form: submitting applies the filters and keeps what was typed
    (``reset_on_submit`` off); keyed on the state's ``form_key`` where Clear must re-render the
    fields with the defaults."""
    keyed = {"key": form_key} if form_key is not None else {}
    return rx.form(body, on_submit=on_submit, reset_on_submit=False, **keyed, id=id)


def filter_card(
    body: rx.Component, *, id: str, on_submit: Any, form_key: Var | None = None
) -> rx.Component:
    """``filter_form`` in a card, above a list."""
    return rx.card(filter_form(body, id=id, on_submit=on_submit, form_key=form_key), width="100%")


def filter_actions(prefix: str, *, on_clear: Any, **props: Any) -> rx.Component:
    """The filter form's Apply (submit) and Clear buttons: ids ``{prefix}-apply`` and
    ``{prefix}-clear``; ``props`` place their row."""
    return rx.hstack(
        rx.button("Apply", type="submit", id=f"{prefix}-apply"),
        rx.button(
            "Clear",
            type="button",
            variant="soft",
            color_scheme="gray",
            on_click=on_clear,
            id=f"{prefix}-clear",
        ),
        spacing="2",
        **props,
    )


# -- dialogs --------------------------------------------------------------------------------------


def form_dialog(
    *body: rx.Component,
    title: Var | str,
    description: Var | str | None,
    submit: rx.Component,
    on_submit: Any,
    open: Var,
    on_open_change: Any,
    id: str,
    max_width: str,
    cancel_id: str | None = None,
    **form_props: Any,
) -> rx.Component:
    """A dialog holding one form: title, grey description, the fields, then Cancel (closes) and
    ``submit`` (usually ``submit_button``, busy while the server works). ``form_props`` go to
    the form (``no_validate``, ``key``)."""
    cancel = rx.button(
        "Cancel",
        variant="soft",
        color_scheme="gray",
        type="button",
        **({"id": cancel_id} if cancel_id else {}),
    )
    header: list[rx.Component] = [rx.dialog.title(title)]
    if description is not None:
        header.append(
            rx.dialog.description(description, size="2", color_scheme="gray", margin_bottom="12px")
        )
    return rx.dialog.root(
        rx.dialog.content(
            *header,
            rx.form(
                rx.vstack(
                    *body,
                    rx.hstack(
                        rx.dialog.close(cancel),
                        submit,
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="4",
                    width="100%",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
                **form_props,
                width="100%",
            ),
            max_width=max_width,
            id=id,
        ),
        open=open,
        on_open_change=on_open_change,
    )
