"""/admin/ventures: ventures with their offices; create and edit dialogs."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, form_dialog, form_summary
from rxapp.components.layout import app_shell
from rxapp.components.ui import code_badge, empty_state, status_badge
from rxapp.pages import page
from rxapp.state.admin_ventures import AdminVentureRow, AdminVenturesState
from rxapp.state.ventures import OfficeRow

S = AdminVenturesState


def _office_line(o: OfficeRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(o.name, weight="medium")),
        rx.table.cell(o.place),
        rx.table.cell(o.timezone),
        rx.table.cell(status_badge(o.active)),
        rx.table.cell(
            rx.cond(
                S.can_manage,
                rx.button(
                    "Edit",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.open_edit_office(o.id),
                    class_name="office-edit",
                ),
                rx.fragment(),
            ),
            text_align="right",
        ),
        align="center",
        class_name="office-row",
    )


def _venture_card(v: AdminVentureRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.hstack(
                        rx.text(v.name, size="3", weight="bold"),
                        code_badge(v.code),
                        status_badge(v.active),
                        align="center",
                        spacing="2",
                    ),
                    rx.text(
                        v.type_label
                        + " · "
                        + v.currency
                        + " · "
                        + v.timezone
                        + " · big-load threshold "
                        + v.threshold,
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="1",
                ),
                rx.spacer(),
                rx.cond(
                    S.can_manage,
                    rx.hstack(
                        rx.button(
                            rx.icon("plus", size=14),
                            "Office",
                            size="1",
                            variant="soft",
                            on_click=S.open_create_office(v.id),
                            class_name="office-new",
                        ),
                        rx.button(
                            "Edit",
                            size="1",
                            variant="soft",
                            color_scheme="gray",
                            on_click=S.open_edit_venture(v.id),
                            class_name="venture-edit",
                        ),
                        spacing="2",
                    ),
                    rx.fragment(),
                ),
                align="start",
                width="100%",
            ),
            rx.cond(
                v.offices.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Office", width="28%"),
                            rx.table.column_header_cell("City", width="28%"),
                            rx.table.column_header_cell("Timezone", width="22%"),
                            rx.table.column_header_cell("Status", width="12%"),
                            rx.table.column_header_cell("", width="10%"),
                        )
                    ),
                    rx.table.body(rx.foreach(v.offices, _office_line)),
                    size="1",
                    width="100%",
                    class_name="vcc-table",
                    style={"tableLayout": "fixed"},
                ),
                rx.text(
                    "No offices yet. Add one so people can be assigned to it.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="admin-venture",
        data_code=v.code,
    )


def _select(name: str, id: str, value: rx.Var, items: rx.Component, disabled=False):
    return rx.select.root(
        rx.select.trigger(id=id, width="100%"),
        rx.select.content(items),
        name=name,
        default_value=value,
        disabled=disabled,
    )


def venture_dialog() -> rx.Component:
    creating = S.venture_mode == "create"
    e = S.v_errors
    return form_dialog(
        form_summary(S.v_summary, id="venture-form-errors"),
        rx.cond(
            creating,
            rx.grid(
                field(
                    "Code",
                    rx.input(
                        id="v-code",
                        name="code",
                        default_value=S.v_code,
                        placeholder="e.g. AFL",
                        max_length=8,
                        width="100%",
                    ),
                    html_for="v-code",
                    help_text="2 to 8 letters",
                    error=e.get("code", ""),
                ),
                field(
                    "Short name (URL)",
                    rx.input(
                        id="v-slug",
                        name="slug",
                        default_value=S.v_slug,
                        placeholder="atlas-freight",
                        width="100%",
                    ),
                    html_for="v-slug",
                    help_text="lower-case letters, digits, hyphens",
                    error=e.get("slug", ""),
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
            rx.fragment(),
        ),
        field(
            "Name",
            rx.input(id="v-name", name="name", default_value=S.v_name, width="100%"),
            html_for="v-name",
            error=e.get("name", ""),
        ),
        rx.cond(
            creating,
            rx.grid(
                field(
                    "Type",
                    _select(
                        "type",
                        "v-type",
                        S.v_type,
                        rx.foreach(
                            S.type_options,
                            lambda t: rx.select.item(t.label, value=t.value),
                        ),
                    ),
                    html_for="v-type",
                    error=e.get("type", ""),
                ),
                field(
                    "Currency",
                    _select(
                        "currency",
                        "v-currency",
                        S.v_currency,
                        rx.fragment(
                            rx.select.item("US dollar (USD)", value="USD"),
                            rx.select.item("Indian rupee (INR)", value="INR"),
                        ),
                    ),
                    html_for="v-currency",
                    error=e.get("currency", ""),
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
            rx.fragment(),
        ),
        rx.grid(
            field(
                "Timezone",
                _select(
                    "timezone",
                    "v-timezone",
                    S.v_timezone,
                    rx.foreach(S.timezones, lambda z: rx.select.item(z, value=z)),
                ),
                html_for="v-timezone",
                help_text="Defines the venture's business day",
                error=e.get("timezone", ""),
            ),
            field(
                "Big-load threshold",
                rx.input(
                    id="v-threshold",
                    name="critical_load_amount",
                    default_value=S.v_threshold,
                    input_mode="decimal",
                    width="100%",
                    text_align="right",
                ),
                html_for="v-threshold",
                help_text="Delivered loads at or above it reach the briefing",
                error=e.get("critical_load_amount", ""),
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.cond(
            creating,
            rx.fragment(),
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    name="is_active",
                    id="v-active",
                    default_checked=S.v_active,
                    style={"accentColor": "var(--accent-9)"},
                ),
                rx.text(
                    "Active (inactive ventures disappear from navigation and lists)",
                    size="2",
                ),
                style={"display": "flex", "gap": "8px", "alignItems": "center"},
            ),
        ),
        title=rx.cond(creating, "New venture", "Edit " + S.v_name),
        description=rx.cond(
            creating,
            "Code, short name, type and currency cannot change later.",
            "Code " + S.v_code + " · " + S.v_currency,
        ),
        submit=rx.button(
            rx.cond(creating, "Create venture", "Save changes"),
            type="submit",
            id="venture-save",
        ),
        on_submit=S.save_venture,
        open=S.venture_open,
        on_open_change=S.set_venture_open,
        id="venture-dialog",
        max_width="560px",
    )


def office_dialog() -> rx.Component:
    creating = S.office_mode == "create"
    e = S.o_errors
    return form_dialog(
        form_summary(S.o_summary, id="office-form-errors"),
        field(
            "Name",
            rx.input(id="o-name", name="name", default_value=S.o_name, width="100%"),
            html_for="o-name",
            error=e.get("name", ""),
        ),
        rx.grid(
            field(
                "City",
                rx.input(id="o-city", name="city", default_value=S.o_city, width="100%"),
                html_for="o-city",
                error=e.get("city", ""),
            ),
            field(
                "Country",
                rx.input(
                    id="o-country",
                    name="country",
                    default_value=S.o_country,
                    width="100%",
                ),
                html_for="o-country",
                error=e.get("country", ""),
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        field(
            "Timezone",
            _select(
                "timezone",
                "o-timezone",
                S.o_timezone,
                rx.foreach(S.timezones, lambda z: rx.select.item(z, value=z)),
            ),
            html_for="o-timezone",
            error=e.get("timezone", ""),
        ),
        rx.cond(
            creating,
            rx.fragment(),
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    name="is_active",
                    id="o-active",
                    default_checked=S.o_active,
                    style={"accentColor": "var(--accent-9)"},
                ),
                rx.text("Active", size="2"),
                style={"display": "flex", "gap": "8px", "alignItems": "center"},
            ),
        ),
        title=rx.cond(creating, "New office", "Edit " + S.o_name),
        description=S.office_venture_name,
        submit=rx.button(
            rx.cond(creating, "Add office", "Save changes"),
            type="submit",
            id="office-save",
        ),
        on_submit=S.save_office,
        open=S.office_open,
        on_open_change=S.set_office_open,
        id="office-dialog",
        max_width="520px",
    )


@page("admin_ventures", on_load=S.load)
def admin_ventures_page() -> rx.Component:
    content = rx.vstack(
        rx.cond(
            S.ventures.length() > 0,
            rx.vstack(rx.foreach(S.ventures, _venture_card), spacing="4", width="100%"),
            empty_state(
                "building",
                "No ventures yet",
                "Create the group's first venture with “New venture”.",
            ),
        ),
        venture_dialog(),
        office_dialog(),
        spacing="4",
        width="100%",
    )
    return app_shell(
        content,
        page_key="admin_ventures",
        title="Ventures & offices",
        section="Admin",
        reload=S.load,
        actions=rx.cond(
            S.can_manage,
            rx.button(
                rx.icon("plus", size=16),
                "New venture",
                on_click=S.open_create_venture,
                id="venture-new",
            ),
            rx.fragment(),
        ),
    )
