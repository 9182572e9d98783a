"""/saas/customers (the list, "New customer") and /saas/customers/[customer_id] (a customer's
subscriptions, add one, cancel one)."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    date_field,
    field,
    filter_card,
    form_dialog,
    form_summary,
    select_field,
    submit_button,
    text_input,
)
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state
from rxapp.pages import page
from rxapp.state.saas_customers import SaasCustomersState, SaasCustomerState
from rxapp.views.saas import CustomerRow, SubscriptionRow

L = SaasCustomersState
C = SaasCustomerState


def _text(label: str, name: str, prefix: str, error: rx.Var, **props: object) -> rx.Component:
    return field(
        label,
        text_input(f"{prefix}-{name}", name, **props),
        html_for=f"{prefix}-{name}",
        error=error,
    )


# -- the list -------------------------------------------------------------------------------------


def _customer(row: CustomerRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(row.name, href=row.href)),
        rx.table.cell(row.domain),
        rx.table.cell(row.active, text_align="right"),
        rx.table.cell(row.mrr, text_align="right"),
        class_name="customer-row",
    )


def _create_dialog() -> rx.Component:
    return form_dialog(
        form_summary(L.c_errors, id="customer-create-errors"),
        select_field(
            "Venture",
            name="venture_id",
            id="customer-venture-id",
            value="",
            options=L.manage_ventures,
            placeholder="Choose a venture",
            error=L.c_err["venture_id"],
        ),
        _text("Name", "name", "customer", L.c_err["name"]),
        _text("Domain", "domain", "customer", L.c_err["domain"], placeholder="example.com"),
        title="New customer",
        description="A company subscribing to one of your SaaS ventures.",
        submit=submit_button("Add customer", busy=L.busy, id="customer-create-save"),
        on_submit=L.create_customer,
        open=L.create_open,
        on_open_change=L.set_create_open,
        id="customer-create",
        max_width="520px",
        no_validate=True,
    )


def _list() -> rx.Component:
    return rx.vstack(
        filter_card(
            rx.hstack(
                rx.box(_text("Search", "q", "customers", "", default_value=L.f_q), width="280px"),
                submit_button("Apply", busy=False, id="customers-apply"),
                spacing="3",
                align="end",
            ),
            id="customers-filters",
            on_submit=L.apply_filters,
        ),
        rx.cond(
            L.rows.length() > 0,
            rx.vstack(
                data_table(
                    ["Customer", "Domain", ("Active subscriptions", "right"), ("MRR", "right")],
                    rx.table.body(rx.foreach(L.rows, _customer)),
                    id="customers-table",
                ),
                cursor_pager(L, id_prefix="customers"),
                width="100%",
            ),
            empty_state("users", "No customers", "No customer matches.", id="customers-empty"),
        ),
        _create_dialog(),
        spacing="4",
        width="100%",
    )


@page("saas_customers", on_load=L.load)
def saas_customers_page() -> rx.Component:
    return app_shell(
        _list(),
        page_key="saas_customers",
        title="Customers",
        section="SaaS",
        subtitle="Each with its MRR today.",
        reload=L.load,
        actions=rx.cond(
            L.can_manage,
            rx.button(
                rx.icon("plus", size=14), "New customer", on_click=L.open_create, id="customer-new"
            ),
            rx.fragment(),
        ),
    )


# -- one customer ---------------------------------------------------------------------------------


def _sub(row: SubscriptionRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.plan),
        rx.table.cell(row.mrr, text_align="right"),
        rx.table.cell(row.started),
        rx.table.cell(row.cancelled),
        rx.table.cell(row.reason),
        rx.table.cell(
            rx.cond(
                C.can_manage & row.is_active,
                rx.button(
                    "Cancel…",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=C.open_cancel(row.id),
                ),
                rx.fragment(),
            )
        ),
        class_name="subscription-row",
    )


def _add_dialog() -> rx.Component:
    return form_dialog(
        form_summary(C.a_errors, id="sub-add-errors"),
        _text("Plan", "plan", "sub", C.a_err["plan"], placeholder="Growth"),
        _text("MRR", "mrr", "sub", C.a_err["mrr"], placeholder="199.00"),
        date_field(
            "Start date",
            name="started_at",
            id="sub-started-at",
            value=C.today,
            error=C.a_err["started_at"],
        ),
        title="Add a subscription",
        description="MRR in the venture's currency; it counts from the start date.",
        submit=submit_button("Add", busy=C.busy, id="sub-add-save"),
        on_submit=C.add_subscription,
        open=C.add_open,
        on_open_change=C.set_add_open,
        id="sub-add",
        max_width="480px",
        no_validate=True,
    )


def _cancel_dialog() -> rx.Component:
    return form_dialog(
        form_summary(C.x_errors, id="sub-cancel-errors"),
        date_field(
            "Cancellation date",
            name="cancelled_at",
            id="sub-cancelled-at",
            value=C.today,
            error=C.x_err["cancelled_at"],
        ),
        _text("Reason", "reason", "sub-cancel", C.x_err["reason"]),
        title=C.cancel_title,
        description="From this date the subscription no longer counts in MRR. A cancellation "
        "is final.",
        submit=submit_button("Cancel subscription", busy=C.busy, id="sub-cancel-save"),
        on_submit=C.cancel,
        open=C.cancel_open,
        on_open_change=C.set_cancel_open,
        id="sub-cancel",
        max_width="480px",
        no_validate=True,
    )


def _customer_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(C.domain, color_scheme="gray"),
            rx.badge("MRR today: ", C.mrr, variant="soft", size="2", id="customer-mrr"),
            spacing="3",
        ),
        rx.cond(
            C.subs.length() > 0,
            data_table(
                ["Plan", ("MRR", "right"), "Started", "Cancelled", "Reason", ""],
                rx.table.body(rx.foreach(C.subs, _sub)),
                id="subscriptions-table",
            ),
            empty_state("receipt", "No subscriptions", "None yet.", id="subscriptions-empty"),
        ),
        _add_dialog(),
        _cancel_dialog(),
        spacing="4",
        width="100%",
    )


@page("saas_customer", on_load=C.load)
def saas_customer_page() -> rx.Component:
    return app_shell(
        _customer_page(),
        page_key="saas_customer",
        title=C.name,
        section="SaaS",
        nav_key="saas_customers",
        reload=C.load,
        actions=rx.cond(
            C.can_manage,
            rx.button(
                rx.icon("plus", size=14), "Add subscription", on_click=C.open_add, id="sub-new"
            ),
            rx.fragment(),
        ),
    )
