"""/freight/loads/new and /freight/loads/<id>/edit: the load form."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import date_field, field, form_summary, select_field, submit_button
from rxapp.components.layout import app_shell
from rxapp.components.ui import section_heading
from rxapp.pages import page
from rxapp.state.freight_load_form import FreightLoadFormState

S = FreightLoadFormState
V = FreightLoadFormState.val
E = FreightLoadFormState.err


def _text(label: str, name: str, *, placeholder: str = "", help_text: str | None = None, **props):
    id = "load-" + name.replace("_", "-")
    return field(
        label,
        rx.input(
            name=name,
            id=id,
            default_value=V[name],
            placeholder=placeholder,
            width="100%",
            **props,
        ),
        html_for=id,
        help_text=help_text,
        error=E[name],
    )


def _state_select(label: str, name: str) -> rx.Component:
    id = "load-" + name.replace("_", "-")
    return field(
        label,
        rx.select.root(
            rx.select.trigger(id=id, width="100%", placeholder="State"),
            rx.select.content(
                rx.foreach(S.state_options, lambda s: rx.select.item(s, value=s)),
                position="popper",
                max_height="280px",
            ),
            name=name,
            default_value=V[name],
        ),
        html_for=id,
        error=E[name],
    )


def _group(title: str, subtitle: str, *children: rx.Component, columns: str = "2") -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading(title, subtitle=subtitle),
            rx.grid(
                *children,
                columns=rx.breakpoints(initial="1", md=columns),
                spacing="4",
                width="100%",
                align="start",
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
    )


def _venture_picker() -> rx.Component:
    return rx.cond(
        (S.mode == "new") & (S.venture_choices.length() > 1),
        rx.card(
            field(
                "Venture",
                rx.select.root(
                    rx.select.trigger(id="load-venture", width="100%"),
                    rx.select.content(
                        rx.foreach(
                            S.venture_choices, lambda o: rx.select.item(o.label, value=o.value)
                        ),
                        position="popper",
                    ),
                    value=S.f_venture,
                    on_change=S.choose_venture,
                ),
                html_for="load-venture",
                help_text="The offices, customers and people below follow the venture.",
            ),
            width="100%",
        ),
        rx.fragment(),
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            form_summary(S.errors, id="load-form-errors"),
            _group(
                "Booking",
                "Who the load is for and who books it",
                select_field(
                    "Customer",
                    name="customer_id",
                    id="load-customer-id",
                    value=V["customer_id"],
                    options=S.customer_options,
                    placeholder="Choose a customer",
                    error=E["customer_id"],
                ),
                select_field(
                    "Office",
                    name="office_id",
                    id="load-office-id",
                    value=V["office_id"],
                    options=S.office_options,
                    placeholder="Choose an office",
                    error=E["office_id"],
                ),
                _text(
                    "Reference (optional)",
                    "reference",
                    placeholder="Generated when empty",
                    help_text="Letters, digits and hyphens; unique in the venture.",
                ),
                select_field(
                    "Equipment",
                    name="equipment",
                    id="load-equipment",
                    value=V["equipment"],
                    options=S.equipment_options,
                    error=E["equipment"],
                ),
            ),
            _group(
                "Lane",
                "Where and when",
                _text("Pickup city", "pickup_city", placeholder="City"),
                _state_select("Pickup state", "pickup_state"),
                date_field(
                    "Pickup date",
                    name="pickup_date",
                    id="load-pickup-date",
                    value=V["pickup_date"],
                    error=E["pickup_date"],
                ),
                _text("Drop city", "drop_city", placeholder="City"),
                _state_select("Drop state", "drop_state"),
                date_field(
                    "Drop date",
                    name="drop_date",
                    id="load-drop-date",
                    value=V["drop_date"],
                    error=E["drop_date"],
                ),
                _text("Miles (optional)", "miles", placeholder="e.g. 790", input_mode="numeric"),
                columns="3",
            ),
            _group(
                "Money and people",
                "Amounts in the venture's currency",
                _text(
                    "Bill amount",
                    "bill_amount",
                    placeholder="e.g. 2,400.00",
                    help_text="What the customer pays.",
                    input_mode="decimal",
                ),
                _text(
                    "Carrier cost (optional)",
                    "cost_amount",
                    placeholder="e.g. 1,850.00",
                    help_text="Usually set when the load is covered.",
                    input_mode="decimal",
                ),
                select_field(
                    "Sales",
                    name="sales_user_id",
                    id="load-sales-user-id",
                    value=V["sales_user_id"],
                    options=S.sales_options,
                    error=E["sales_user_id"],
                    help_text="Credited for the load.",
                ),
                select_field(
                    "Dispatcher (optional)",
                    name="dispatcher_user_id",
                    id="load-dispatcher-user-id",
                    value=V["dispatcher_user_id"],
                    options=S.dispatcher_options,
                    error=E["dispatcher_user_id"],
                ),
            ),
            rx.hstack(
                rx.link(
                    rx.button("Cancel", variant="soft", color_scheme="gray", type="button"),
                    href=S.back_href,
                    underline="none",
                ),
                submit_button(
                    rx.cond(S.mode == "new", "Create load", "Save changes"),
                    busy=S.busy,
                    id="load-save",
                ),
                spacing="3",
                justify="end",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=S.save,
        reset_on_submit=False,
        no_validate=True,
        key=S.form_key,
        id="load-form",
        width="100%",
    )


def _page(page_key: str, title: rx.Var | str, crumb: str, reload: object) -> rx.Component:
    return app_shell(
        subtitle=S.subtitle,
        content=rx.vstack(_venture_picker(), _form(), spacing="4", width="100%"),
        page_key=page_key,
        nav_key="freight_loads",
        title=title,
        section="Freight",
        crumb=crumb,
        reload=reload,
        wide=False,
    )


@page("freight_load_new", on_load=S.load_new)
def freight_load_new_page() -> rx.Component:
    return _page("freight_load_new", "New load", "New load", S.load_new)


@page("freight_load_edit", on_load=S.load_edit)
def freight_load_edit_page() -> rx.Component:
    return _page(
        "freight_load_edit",
        rx.cond(S.reference != "", "Edit " + S.reference, "Edit load"),
        "Edit load",
        S.load_edit,
    )
